package idefics3

import "github.com/govlm/govlm/vlm"

func newModel(configJSON []byte) (vlm.LanguageModel, error) {
	c, err := ParseConfig(configJSON)
	if err != nil {
		return nil, err
	}
	return New(c)
}

func init() {
	vlm.RegisterModel("idefics3", newModel)
	vlm.RegisterModel("smolvlm", newModel)
	vlm.RegisterProcessor("Idefics3Processor", NewProcessor)
	vlm.RegisterProcessor("SmolVLMProcessor", NewProcessor)
	vlm.RegisterProcessor("idefics3", NewProcessor)
	vlm.RegisterProcessor("smolvlm", NewProcessor)

	eou := []string{"<end_of_utterance>"}
	for _, c := range []vlm.ModelConfiguration{
		{ID: "HuggingFaceTB/SmolVLM-256M-Instruct", DefaultPrompt: "Describe this image.", ExtraEOSTokens: eou},
		{ID: "HuggingFaceTB/SmolVLM-500M-Instruct", DefaultPrompt: "Describe this image.", ExtraEOSTokens: eou},
		{ID: "HuggingFaceTB/SmolVLM2-256M-Video-Instruct", DefaultPrompt: "Describe this image.", ExtraEOSTokens: eou},
		{ID: "HuggingFaceM4/Idefics3-8B-Llama3", DefaultPrompt: "Describe this image.", ExtraEOSTokens: eou},
	} {
		vlm.RegisterConfiguration(c)
	}
}
