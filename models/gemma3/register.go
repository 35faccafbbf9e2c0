package gemma3

import "github.com/govlm/govlm/vlm"

func init() {
	vlm.RegisterModel("gemma3_text", func(configJSON []byte) (vlm.LanguageModel, error) {
		c, err := ParseTextConfig(configJSON)
		if err != nil {
			return nil, err
		}
		return NewTextOnly(c)
	})
	vlm.RegisterModel("gemma3", func(configJSON []byte) (vlm.LanguageModel, error) {
		c, err := ParseConfig(configJSON)
		if err != nil {
			return nil, err
		}
		return New(c)
	})
	vlm.RegisterProcessor("Gemma3Processor", NewProcessor)
	vlm.RegisterProcessor("gemma3", NewProcessor)
	eot := []string{"<end_of_turn>"}
	for _, c := range []vlm.ModelConfiguration{
		{ID: "google/gemma-3-4b-it", DefaultPrompt: "Describe this image.", ExtraEOSTokens: eot},
		{ID: "mlx-community/gemma-3-4b-it-4bit", DefaultPrompt: "Describe this image.", ExtraEOSTokens: eot},
		{ID: "google/gemma-3-1b-it", DefaultPrompt: "Why is the sky blue?", ExtraEOSTokens: eot},
	} {
		vlm.RegisterConfiguration(c)
	}
}
