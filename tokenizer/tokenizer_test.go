package tokenizer

import (
	"slices"
	"sync"
	"testing"
)

const addedNormJSON = `{
	"added_tokens": [
		{"id": 10, "content": "hello", "normalized": true, "special": false},
		{"id": 11, "content": "RAW", "normalized": false, "special": true}
	],
	"normalizer": {"type": "Lowercase"},
	"pre_tokenizer": {"type": "WhitespaceSplit"},
	"model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "world": 1, "raw": 2, "hello": 3}, "unk_token": "[UNK]"}
}`

// TestAddedTokenNormalization: a token marked normalized is matched in the
// normalized text (so "HELLO" finds it after lower-casing); one that is not
// is matched in the raw text before normalization.
func TestAddedTokenNormalization(t *testing.T) {
	tk, err := FromJSON([]byte(addedNormJSON))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []int32
	}{
		{"HELLO World", []int32{10, 1}},
		{"RAW world", []int32{11, 1}},
		{"raw world", []int32{2, 1}},
		{"xRAWx", []int32{0, 11, 0}},
	}
	for _, tc := range tests {
		if got := tk.Encode(tc.in, false); !slices.Equal(got, tc.want) {
			t.Errorf("Encode(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := tk.Decode([]int32{10, 11, 1}, true); got != "hello world" {
		t.Errorf("Decode(skip special) = %q (no decoder joins with spaces)", got)
	}
	if id, ok := tk.TokenID("hello"); !ok || id != 10 {
		t.Errorf("TokenID(hello) = %d %v, want the added token 10", id, ok)
	}
	if tk.Token(2) != "raw" || tk.Token(99) != "" {
		t.Errorf("Token: %q %q", tk.Token(2), tk.Token(99))
	}
	if tk.VocabSize() != 12 {
		t.Errorf("VocabSize = %d, want 12", tk.VocabSize())
	}
}

// TestConcurrentEncode encodes from many goroutines at once (the word cache
// and scratch buffers are shared); run with -race.
func TestConcurrentEncode(t *testing.T) {
	tk := byteLevelNoAdded(t)
	texts := []string{"Hello world", "the cat and the hat", "it's 123 naïve 日本", "  spaced  out  "}
	want := make([][]int32, len(texts))
	for i, s := range texts {
		want[i] = tk.Encode(s, true)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 200; k++ {
				i := (g + k) % len(texts)
				if got := tk.Encode(texts[i], true); !slices.Equal(got, want[i]) {
					t.Errorf("goroutine %d: Encode(%q) = %v, want %v", g, texts[i], got, want[i])
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
