package tokenizer

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func TestLoadConfig(t *testing.T) {
	dir := writeModelDir(t, map[string]string{
		"tokenizer_config.json": `{
			"bos_token": {"content": "<s>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
			"eos_token": "<|endoftext|>",
			"add_bos_token": true, "add_eos_token": true,
			"extra_special_tokens": {"image_token": "<image>"},
			"boi_token": "<boi>",
			"added_tokens_decoder": {"300": {"content": "<extra>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": false}}
		}`,
		"special_tokens_map.json": `{"pad_token": "<pad>", "eos_token": "ignored-because-config-has-one"}`,
		"generation_config.json":  `{"eos_token_id": [7, 279], "bos_token_id": 1}`,
		"chat_template.jinja":     "{{ bos_token }}|{{ eos_token }}|{{ pad_token }}|{{ image_token }}|{{ boi_token }}",
	})
	tk, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	eosID, _ := tk.TokenID("<|endoftext|>")
	bosID, ok := tk.BOS()
	if !ok || tk.Token(bosID) != "<s>" || tk.BOSToken() != "<s>" {
		t.Errorf("BOS = %d %v %q, want the new special token <s>", bosID, ok, tk.BOSToken())
	}
	if id, ok := tk.EOS(); !ok || id != eosID || tk.EOSToken() != "<|endoftext|>" {
		t.Errorf("EOS = %d %v, want %d", id, ok, eosID)
	}
	if id, ok := tk.PAD(); !ok || tk.Token(id) != "<pad>" || !tk.IsSpecial(id) {
		t.Errorf("PAD = %d %v, want the special token <pad> from special_tokens_map.json", id, ok)
	}
	if got, want := tk.EOSIDs(), []int32{eosID, 7}; !slices.Equal(got, want) {
		t.Errorf("EOSIDs = %v, want %v (config EOS, then generation_config ids without repeats)", got, want)
	}
	img, ok := tk.TokenID("<image>")
	if !ok || !tk.IsSpecial(img) {
		t.Errorf("extra special token <image> not registered as special")
	}
	if id, ok := tk.TokenID("<extra>"); !ok || id != 300 || tk.IsSpecial(300) {
		t.Errorf("added_tokens_decoder entry: id %d %v, special %v", id, ok, tk.IsSpecial(300))
	}
	ids := tk.Encode("Hello<image>", true)
	hello := tk.Encode("Hello", false)
	want := append(append([]int32{bosID}, hello...), img, eosID)
	if !slices.Equal(ids, want) {
		t.Errorf("Encode with add_bos/add_eos = %v, want %v", ids, want)
	}
	if got := tk.Decode(ids, true); got != "Hello" {
		t.Errorf("Decode(skip special) = %q, want Hello", got)
	}
	if tk.VocabSize() <= int(img) {
		t.Errorf("VocabSize %d does not cover id %d", tk.VocabSize(), img)
	}
	out, err := tk.ApplyChatTemplate(nil, ChatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "<s>|<|endoftext|>|<pad>|<image>|<boi>"; out != want {
		t.Errorf("template vars = %q, want %q", out, want)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		file      string
		fieldPart string
	}{
		{"bad config json", map[string]string{"tokenizer_config.json": "{"}, "tokenizer_config.json", ""},
		{"bad eos type", map[string]string{"tokenizer_config.json": `{"eos_token": 5}`}, "tokenizer_config.json", "eos_token"},
		{"bad chat template", map[string]string{"tokenizer_config.json": `{"chat_template": 3}`}, "tokenizer_config.json", "chat_template"},
		{"bad generation eos", map[string]string{"generation_config.json": `{"eos_token_id": "x"}`}, "generation_config.json", "eos_token_id"},
		{"bad chat_template.json", map[string]string{"chat_template.json": `{"chat_template": {}}`}, "chat_template.json", "chat_template"},
		{"bad special map", map[string]string{"special_tokens_map.json": `[]`}, "special_tokens_map.json", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeModelDir(t, tc.files))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error = %v, want *LoadError", err)
			}
			if le.File != tc.file || !strings.Contains(le.Field, tc.fieldPart) {
				t.Errorf("LoadError{File: %q, Field: %q}, want file %q, field containing %q", le.File, le.Field, tc.file, tc.fieldPart)
			}
		})
	}
	_, err := Load(t.TempDir())
	var le *LoadError
	if !errors.As(err, &le) || le.File != "tokenizer.json" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing tokenizer.json: error = %v", err)
	}
}

func TestFromJSONErrors(t *testing.T) {
	bpe := func(model string) string {
		return `{"model": ` + model + `}`
	}
	tests := []struct {
		name        string
		json        string
		field       string
		unsupported bool
	}{
		{"not json", `{`, "", false},
		{"no model", `{}`, "model", false},
		{"unknown model", bpe(`{"type": "Magic", "vocab": {}}`), "model", true},
		{"merge out of vocab", bpe(`{"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}`), "model.merges[0]", false},
		{"bad merge string", bpe(`{"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}`), "model.merges", false},
		{"unk missing", bpe(`{"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}`), "model.unk_token", false},
		{"negative id", bpe(`{"type": "BPE", "vocab": {"a": -1}, "merges": []}`), "model.vocab", false},
		{"unknown normalizer", `{"normalizer": {"type": "Precompiled"}, "model": {"type": "WordLevel", "vocab": {}}}`, "normalizer", true},
		{"unknown pre-tokenizer in sequence", `{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}, {"type": "Nope"}]}, "model": {"type": "WordLevel", "vocab": {}}}`, "pre_tokenizer.pretokenizers[1]", true},
		{"bad split behavior", `{"pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways"}, "model": {"type": "WordLevel", "vocab": {}}}`, "pre_tokenizer.behavior", false},
		{"unsupported regex", `{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "a(?=b)"}, "behavior": "Isolated"}, "model": {"type": "WordLevel", "vocab": {}}}`, "pre_tokenizer.pattern", true},
		{"template missing token", `{"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}], "special_tokens": {}}, "model": {"type": "WordLevel", "vocab": {}}}`, "post_processor.single[0]", false},
		{"unknown decoder", `{"decoder": {"type": "CTC2"}, "model": {"type": "WordLevel", "vocab": {}}}`, "decoder", true},
		{"empty added token", `{"added_tokens": [{"id": 0, "content": ""}], "model": {"type": "WordLevel", "vocab": {}}}`, "added_tokens[0].content", false},
		{"unigram unk out of range", bpe(`{"type": "Unigram", "unk_id": 5, "vocab": [["a", -1.0]]}`), "model.unk_id", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromJSON([]byte(tc.json))
			var le *LoadError
			if !errors.As(err, &le) || le.File != "tokenizer.json" {
				t.Fatalf("error = %v, want *LoadError for tokenizer.json", err)
			}
			if le.Field != tc.field {
				t.Errorf("Field = %q, want %q (%v)", le.Field, tc.field, err)
			}
			var ue *UnsupportedError
			if errors.As(err, &ue) != tc.unsupported {
				t.Errorf("UnsupportedError present = %v, want %v (%v)", !tc.unsupported, tc.unsupported, err)
			}
		})
	}
}

// TestSplitSpecialTokens: with split_special_tokens the text of a special
// token is encoded as ordinary text; non-special added tokens still match.
func TestSplitSpecialTokens(t *testing.T) {
	plainTk, err := Load(writeModelDir(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	splitTk, err := Load(writeModelDir(t, map[string]string{"tokenizer_config.json": `{"split_special_tokens": true}`}))
	if err != nil {
		t.Fatal(err)
	}
	eot, _ := plainTk.TokenID("<|endoftext|>")
	if got := plainTk.Encode("<|endoftext|>", false); !slices.Equal(got, []int32{eot}) {
		t.Errorf("default: Encode = %v, want [%d]", got, eot)
	}
	got := splitTk.Encode("<|endoftext|>", false)
	if slices.Contains(got, eot) || splitTk.Decode(got, false) != "<|endoftext|>" {
		t.Errorf("split_special_tokens: Encode = %v, want the text as ordinary tokens", got)
	}
	word, _ := splitTk.TokenID("[WORD]")
	if got := splitTk.Encode("a [WORD] b", false); !slices.Contains(got, word) {
		t.Errorf("split_special_tokens must not affect the non-special [WORD]: %v", got)
	}
}
