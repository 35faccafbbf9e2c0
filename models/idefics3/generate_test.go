package idefics3

import (
	"context"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestGenerateEndToEnd goes the user's way through the API on the
// Idefics3 fixture: vlm.Load of the folder, Processor.Prepare of the
// messages, vlm.Generate with the EOS ids of the checkpoint and the
// configuration. The greedy reference (run with EOS disabled) meets
// <end_of_utterance> at step 13 of the text-only case, so Generate must
// yield the 13 tokens before it and stop with StopEOS after 14 samples; the image case has
// no EOS in its 20 steps and stops by length.
func TestGenerateEndToEnd(t *testing.T) {
	f := reftest.Load(t, "idefics3")
	mc := f.LoadModel(t, endOfUtterance)
	eou, ok := mc.Tokenizer.TokenID("<end_of_utterance>")
	if !ok || !slices.Contains(mc.EOSTokenIDs, eou) {
		t.Fatalf("EOS ids %v lack <end_of_utterance>", mc.EOSTokenIDs)
	}
	for _, c := range f.Cases[:2] {
		t.Run(c.Name, func(t *testing.T) {
			in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
			if err != nil {
				t.Fatal(err)
			}
			// Chunks carry the tokens before the EOS; the record counts it.
			want, sampled := c.Greedy, len(c.Greedy)
			reason := vlm.StopLength
			if i := slices.IndexFunc(want, func(id int32) bool { return slices.Contains(mc.EOSTokenIDs, id) }); i >= 0 {
				want, sampled, reason = want[:i], i+1, vlm.StopEOS
			}
			var got []int32
			var info *vlm.CompletionInfo
			for chunk, err := range vlm.Generate(context.Background(), mc, in, vlm.GenerateParameters{MaxTokens: len(c.Greedy)}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, chunk.Tokens...)
				if chunk.Info != nil {
					info = chunk.Info
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("tokens\n%v\nwant\n%v", got, want)
			}
			if info == nil || info.StopReason != reason || info.PromptTokens != len(c.InputIDs) || info.GenerationTokens != sampled {
				t.Errorf("completion %v, want stop %s after %d prompt tokens and %d sampled", info, reason, len(c.InputIDs), sampled)
			}
		})
	}
}

// TestConfigurationsRegistered checks the well-known hub configurations.
func TestConfigurationsRegistered(t *testing.T) {
	for _, id := range []string{"HuggingFaceTB/SmolVLM-256M-Instruct", "HuggingFaceTB/SmolVLM-500M-Instruct",
		"HuggingFaceTB/SmolVLM2-256M-Video-Instruct", "HuggingFaceM4/Idefics3-8B-Llama3"} {
		c, ok := vlm.LookupConfiguration(id)
		if !ok {
			t.Errorf("%s is not registered", id)
			continue
		}
		if c.DefaultPrompt == "" || !slices.Contains(c.ExtraEOSTokens, "<end_of_utterance>") {
			t.Errorf("%s: %+v", id, c)
		}
	}
	for _, name := range []string{"idefics3", "smolvlm"} {
		if !slices.Contains(vlm.ModelTypes(), name) {
			t.Errorf("model type %s not registered", name)
		}
	}
	for _, name := range []string{"Idefics3Processor", "SmolVLMProcessor"} {
		if !slices.Contains(vlm.ProcessorClasses(), name) {
			t.Errorf("processor %s not registered", name)
		}
	}
}

// TestLoadQuantized loads the SmolVLM fixture with load-time 4-bit
// quantization (text decoder and connector; the tiny tower's width 32 is
// not a multiple of the group size) and checks that an image prompt still
// runs through the tower and the quantized decoder.
func TestLoadQuantized(t *testing.T) {
	f := reftest.Load(t, "smolvlm")
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: f.Dir}, vlm.LoadOptions{Quantize: "q4"})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, f.Cases[1]))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range vlm.Tokens(context.Background(), mc.Model, in, vlm.GenerateParameters{MaxTokens: 4}, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("generated %d tokens", n)
	}
}
