package all_test

import (
	"context"
	"fmt"
	"log"

	_ "github.com/govlm/govlm/models/all"
	"github.com/govlm/govlm/vlm"
)

// Load a vision-language model and ask it about an image. The folder is a
// tiny SmolVLM with random weights from govlm's reference fixtures, so the
// answer is noise, but the path is the real one: for the real model use
// vlm.ModelConfiguration{ID: "HuggingFaceTB/SmolVLM-256M-Instruct"}, which
// downloads it into the Hugging Face cache. The ids printed are the ones
// Hugging Face transformers generates for the same checkpoint and input.
func Example_describeImage() {
	ctx := context.Background()
	mc, err := vlm.Load(ctx, vlm.ModelConfiguration{Directory: "../../testdata/models/smolvlm"}, vlm.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer mc.Close()

	input, err := mc.Processor.Prepare(ctx, vlm.UserInput{
		Prompt: "Describe this image in one sentence.",
		Images: []vlm.ImageSource{{Path: "../../testdata/images/chelsea_80x80.png"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	var ids []int32
	for chunk, err := range vlm.Generate(ctx, mc, input, vlm.GenerateParameters{MaxTokens: 5}) {
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, chunk.Tokens...) // chunk.Text is the decoded text
		if chunk.Info != nil {
			fmt.Println("prompt tokens:", chunk.Info.PromptTokens, "stop:", chunk.Info.StopReason)
		}
	}
	fmt.Println("generated ids:", ids)
	// Output:
	// prompt tokens: 51 stop: length
	// generated ids: [14 310 246 695 428]
}
