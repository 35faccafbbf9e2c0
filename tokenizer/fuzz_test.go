package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzFromJSON feeds arbitrary tokenizer.json contents: loading must fail
// with an error or succeed, and a loaded tokenizer must encode and decode
// without panicking.
func FuzzFromJSON(f *testing.F) {
	for _, name := range []string{"bpe_bytelevel.json", "bpe_sentencepiece.json", "bpe_metaspace.json", "unigram.json", "wordpiece.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]], "unk_token": "a", "continuing_subword_prefix": "##", "end_of_word_suffix": "</w>"}}`))
	f.Add([]byte(`{"model": {"vocab": [["a", -1.5], ["<0x62>", -2]], "byte_fallback": true}, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "MergedWithNext", "invert": true}}`))
	f.Add([]byte(`{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "##b": 2}, "max_input_chars_per_word": 2}, "normalizer": {"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "Strip", "strip_left": true}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := FromJSON(data)
		if err != nil {
			return
		}
		for _, s := range []string{"", "ab", " a b  ", "Héllo wörld 123", "日本\n\t<s>", "\xff\xfe"} {
			ids := tk.Encode(s, true)
			tk.Decode(ids, false)
			tk.Decode(ids, true)
			d := tk.NewStreamDecoder(false)
			for _, id := range ids {
				d.Add(id)
			}
			d.Flush()
		}
		tk.Decode([]int32{-1, 0, 1, 1 << 30}, false)
	})
}

// byteLevelNoAdded is the byte-level fixture without its added tokens (the
// lstrip token would eat spaces, which is intended but not a round trip).
func byteLevelNoAdded(t testing.TB) *Tokenizer {
	b, err := os.ReadFile(filepath.Join("testdata", "bpe_bytelevel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "added_tokens")
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	tk, err := FromJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// FuzzByteLevelRoundTrip checks that byte-level BPE decodes any valid
// UTF-8 text back to itself: the hand-made fixture exactly, and Qwen3 (when
// the shared data is present) up to its NFC normalizer.
func FuzzByteLevelRoundTrip(f *testing.F) {
	for _, s := range []string{"", "Hello world", "  x  ", "a\r\n\tb", "it's 12345", "naïve 日本語 😀 👨‍👩‍👧", "\u00a0\u2009\u3000", "e\u0301", "<|im_start|>user\nhi<|im_end|>"} {
		f.Add(s)
	}
	fixture := byteLevelNoAdded(f)
	var qwen *Tokenizer
	if _, err := os.Stat(filepath.Join(sharedDirOrEmpty(), "goldens.json")); err == nil {
		qwen = sharedTokenizer(f, "qwen3")
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if got := fixture.Decode(fixture.Encode(s, false), false); got != s {
			t.Errorf("fixture round trip of %q gave %q", s, got)
		}
		if qwen != nil {
			if got, want := qwen.Decode(qwen.Encode(s, false), false), norm.NFC.String(s); got != want {
				t.Errorf("qwen3 round trip of %q gave %q, want %q", s, got, want)
			}
		}
	})
}
