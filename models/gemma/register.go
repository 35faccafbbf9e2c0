package gemma

import "github.com/govlm/govlm/vlm"

func init() {
	vlm.RegisterModel("gemma", func(configJSON []byte) (vlm.LanguageModel, error) {
		c, err := ParseConfig(configJSON)
		if err != nil {
			return nil, err
		}
		return New(c)
	})
}
