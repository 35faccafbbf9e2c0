package qwen2vl

import "github.com/govlm/govlm/vlm"

func newModel(configJSON []byte) (vlm.LanguageModel, error) {
	c, err := ParseConfig(configJSON)
	if err != nil {
		return nil, err
	}
	return New(c)
}

func init() {
	vlm.RegisterModel(TypeQwen2VL, newModel)
	vlm.RegisterModel(TypeQwen25VL, newModel)
	vlm.RegisterProcessor("Qwen2VLProcessor", NewProcessor)
	vlm.RegisterProcessor("Qwen2_5_VLProcessor", NewProcessor)
	vlm.RegisterProcessor(TypeQwen2VL, NewProcessor)
	vlm.RegisterProcessor(TypeQwen25VL, NewProcessor)

	const prompt = "Describe this image."
	for _, id := range []string{
		"Qwen/Qwen2-VL-2B-Instruct",
		"Qwen/Qwen2.5-VL-3B-Instruct",
		"mlx-community/Qwen2-VL-2B-Instruct-4bit",
		"mlx-community/Qwen2.5-VL-3B-Instruct-4bit",
	} {
		vlm.RegisterConfiguration(vlm.ModelConfiguration{ID: id, DefaultPrompt: prompt})
	}
}
