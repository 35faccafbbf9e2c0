package qwen2

import "github.com/govlm/govlm/vlm"

func init() {
	vlm.RegisterModel("qwen2", func(configJSON []byte) (vlm.LanguageModel, error) {
		c, err := ParseConfig(configJSON)
		if err != nil {
			return nil, err
		}
		return New(c)
	})
}
