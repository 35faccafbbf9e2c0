package vlm

import (
	"context"
	"fmt"
	"log"
)

// Loading a model folder, preparing a chat prompt and streaming the reply.
// A program blank-imports the architectures it needs (models/all); this
// example runs on the tiny random-weight Llama fixture of the repository,
// so the text is gibberish and only the record is printed.
func ExampleGenerate() {
	ctx := context.Background()
	mc, err := Load(ctx, ModelConfiguration{Directory: "../testdata/models/llama"}, LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer mc.Close()

	input, err := mc.Processor.Prepare(ctx, UserInput{Messages: []Message{
		Text(RoleUser, "What is the capital of France?"),
	}})
	if err != nil {
		log.Fatal(err)
	}
	var text string
	for chunk, err := range Generate(ctx, mc, input, GenerateParameters{MaxTokens: 8}) {
		if err != nil {
			log.Fatal(err)
		}
		text += chunk.Text // a real program prints chunks as they come
		if info := chunk.Info; info != nil {
			fmt.Printf("prompt %d tokens, generated %d, stop: %s\n", info.PromptTokens, info.GenerationTokens, info.StopReason)
		}
	}
	// Output: prompt 57 tokens, generated 8, stop: length
}
