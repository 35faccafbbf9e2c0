package vlm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/govlm/govlm/tokenizer"
)

func TestTextProcessor(t *testing.T) {
	dir := t.TempDir()
	writeTinyTokenizer(t, dir)
	tok, err := tokenizer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := NewTextProcessor(tok)
	in, err := p.Prepare(context.Background(), UserInput{Messages: []Message{Text(RoleSystem, "be kind"), Text(RoleUser, "hi")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tok.Decode(in.Tokens, false), "system be kind.user hi.assistant "; got != want {
		t.Errorf("templated prompt %q, want %q", got, want)
	}
	if _, err := p.Prepare(context.Background(), UserInput{Prompt: "x", Images: []ImageSource{{Path: "a.png"}}}); !errors.Is(err, ErrImageProcessing) {
		t.Errorf("image to a text model: %v", err)
	}

	// Without a chat template the plain prompt is encoded.
	writeFile(t, dir, "tokenizer_config.json", `{"eos_token": "<eos>"}`)
	os.Remove(filepath.Join(dir, "chat_template.jinja"))
	tok, err = tokenizer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	in, err = NewTextProcessor(tok).Prepare(context.Background(), UserInput{Prompt: "hey"})
	if err != nil || tok.Decode(in.Tokens, false) != "hey" {
		t.Errorf("plain prompt: %v, %v", in, err)
	}
	if _, err := NewTextProcessor(tok).Prepare(context.Background(), UserInput{Messages: []Message{Text(RoleUser, "a")}}); !errors.Is(err, ErrProcessing) {
		t.Errorf("messages without a template: %v", err)
	}
}
