package tokenizer

import (
	"slices"
	"testing"
)

// TestLossyUTF8 checks the replacement of ill-formed sequences: one U+FFFD
// per maximal subpart, as Rust's String::from_utf8_lossy (and so HF's
// ByteLevel decoder) does.
func TestLossyUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\xf0\x9f\x98\x80b", "a😀b"},
		{"\xe2\x82", "\uFFFD"},
		{"\xe2\x82x", "\uFFFDx"},
		{"\xff\xfe", "\uFFFD\uFFFD"},
		{"\xf0\x9f\x98", "\uFFFD"},
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xe0\x80\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xc0\xaf", "\uFFFD\uFFFD"},
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xf0\x9f\x98\xf0\x9f\x98\x80", "\uFFFD😀"},
		{"\x80", "\uFFFD"},
	}
	for _, tc := range tests {
		if got := lossyUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("lossyUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestByteLevelAlphabet checks the GPT-2 byte alphabet: printable bytes
// stand for themselves, space is Ġ, newline Ċ, and the map inverts.
func TestByteLevelAlphabet(t *testing.T) {
	if byteToRune[' '] != 'Ġ' || byteToRune['\n'] != 'Ċ' || byteToRune['a'] != 'a' || byteToRune[0xAD] != 'Ń' {
		t.Errorf("alphabet: space %q newline %q a %q 0xAD %q", byteToRune[' '], byteToRune['\n'], byteToRune['a'], byteToRune[0xAD])
	}
	for b := 0; b < 256; b++ {
		if got, ok := runeToByteFast(byteToRune[b]); !ok || int(got) != b {
			t.Fatalf("byte %#x does not round trip", b)
		}
	}
	if got := string(byteLevelDecode(nil, "<|end|>Ġhi")); got != "<|end|> hi" {
		t.Errorf("byteLevelDecode = %q", got)
	}
	if got := string(byteLevelDecode(nil, "日本")); got != "日本" {
		t.Errorf("a token outside the alphabet must be kept as is, got %q", got)
	}
}

// TestBPEOptions covers ignore_merges, the subword prefix and word suffix,
// unfused unk and byte fallback on a tiny vocabulary.
func TestBPEOptions(t *testing.T) {
	vocab := map[string]int32{"a": 0, "b": 1, "c": 2, "bc": 3, "abc": 4, "<unk>": 5, "<0x7A>": 6}
	merges := [][2]string{{"b", "c"}}
	tests := []struct {
		name         string
		ignoreMerges bool
		byteFallback bool
		fuseUnk      bool
		word         string
		want         []int32
	}{
		{"merges", false, false, false, "abc", []int32{0, 3}},
		{"ignore merges takes the whole word", true, false, false, "abc", []int32{4}},
		{"ignore merges falls back to merging", true, false, false, "abcb", []int32{0, 3, 1}},
		{"unk not fused", false, false, false, "xya", []int32{5, 5, 0}},
		{"unk fused", false, false, true, "xya", []int32{5, 0}},
		{"byte fallback", false, true, true, "zxa", []int32{6, 5, 0}},
	}
	for _, tc := range tests {
		m, err := newBPE(vocab, merges, "<unk>", tc.fuseUnk, tc.byteFallback, tc.ignoreMerges, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := m.tokenize(piece{s: tc.word}, nil); !slices.Equal(got, tc.want) {
			t.Errorf("%s: tokenize(%q) = %v, want %v", tc.name, tc.word, got, tc.want)
		}
	}

	// Continuing-subword prefix and end-of-word suffix (BERT-style BPE).
	vocab2 := map[string]int32{"a": 0, "##b": 1, "##c</w>": 2, "a##b": 3, "ab": 4, "##b##c</w>": 5, "##bc</w>": 6, "abc</w>": 7}
	m, err := newBPE(vocab2, [][2]string{{"a", "##b"}, {"ab", "##c</w>"}}, "", false, false, false, "##", "</w>")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.tokenize(piece{s: "abc"}, nil); !slices.Equal(got, []int32{7}) {
		t.Errorf("prefix/suffix BPE: tokenize(abc) = %v, want [7]", got)
	}
}
