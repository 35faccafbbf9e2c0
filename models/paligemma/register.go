package paligemma

import "github.com/govlm/govlm/vlm"

func init() {
	vlm.RegisterModel("paligemma", func(configJSON []byte) (vlm.LanguageModel, error) {
		c, err := ParseConfig(configJSON)
		if err != nil {
			return nil, err
		}
		return New(c)
	})
	vlm.RegisterProcessor("PaliGemmaProcessor", NewProcessor)
	vlm.RegisterProcessor("paligemma", NewProcessor)
	vlm.RegisterConfiguration(vlm.ModelConfiguration{ID: "google/paligemma-3b-mix-224", DefaultPrompt: "caption en"})
}
