package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/govlm/govlm/hub"
	"github.com/govlm/govlm/tokenizer"
)

// tokenizerFiles are the files tokenize and template need from a model.
var tokenizerFiles = []string{
	"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
	"chat_template.json", "chat_template.jinja", "config.json",
}

// loadTokenizer loads the tokenizer of a local model folder or a hub id
// (downloading only the tokenizer's files).
func loadTokenizer(ctx context.Context, model string, stderr io.Writer) (*tokenizer.Tokenizer, error) {
	dir := model
	if st, err := os.Stat(model); err != nil || !st.IsDir() {
		id, rev, err := hub.ParseRepoID(model)
		if err != nil {
			return nil, fmt.Errorf("--model %q is neither a folder nor a hub id: %w", model, err)
		}
		bar := hub.NewProgressBar(stderr, isTerminal(stderr))
		dir, err = hub.NewClient().Snapshot(ctx, id, rev, tokenizerFiles, bar.Update)
		bar.Done()
		if err != nil {
			return nil, err
		}
	}
	return tokenizer.Load(dir)
}

func runTokenize(args []string, stdout, stderr io.Writer, stdin io.Reader) error {
	fs := newFlagSet("tokenize", stderr)
	model := fs.String("model", DefaultModel, "hub id or local model folder")
	noSpecial := fs.Bool("no-special", false, "do not add special tokens (BOS and the like)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: vlm tokenize [--model M] [--no-special] < text   (one trailing newline, as echo adds, is dropped)")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	tok, err := loadTokenizer(context.Background(), *model, stderr)
	if err != nil {
		return err
	}
	text, err := io.ReadAll(stdin)
	if err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	ids := tok.Encode(strings.TrimSuffix(string(text), "\n"), !*noSpecial)
	if ids == nil {
		ids = []int32{}
	}
	return json.NewEncoder(stdout).Encode(ids)
}
