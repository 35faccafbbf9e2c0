package tokenizer

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// streamAll feeds ids one by one and checks that no piece ends inside a
// UTF-8 character; it returns the concatenation.
func streamAll(t *testing.T, tk *Tokenizer, ids []int32, skip bool) string {
	t.Helper()
	d := tk.NewStreamDecoder(skip)
	var b strings.Builder
	for _, id := range ids {
		s := d.Add(id)
		if !utf8.ValidString(s) || strings.HasSuffix(s, "\uFFFD") {
			t.Fatalf("Add(%d) returned an incomplete piece %q", id, s)
		}
		b.WriteString(s)
	}
	b.WriteString(d.Flush())
	return b.String()
}

var streamTexts = []string{
	"Hello world", "naïve café 日本語のテキスト 😀🎉 👨‍👩‍👧‍👦 🇫🇷", "  two  spaces\n\nnew lines\t",
	"ab é日 xyz", "the cat sat", "x́ combining", "",
}

// TestStreamDecoderMatchesDecode checks that streamed pieces concatenate
// to Decode(all) for every fixture and, when present, the real tokenizers,
// with and without special tokens.
func TestStreamDecoderMatchesDecode(t *testing.T) {
	tks := map[string]*Tokenizer{}
	for _, f := range []string{"bpe_bytelevel.json", "bpe_sentencepiece.json", "bpe_metaspace.json", "unigram.json", "wordpiece.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		tk, err := FromJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		tks[f] = tk
	}
	if _, err := os.Stat(filepath.Join(sharedDirOrEmpty(), "goldens.json")); err == nil {
		tks["qwen3"] = sharedTokenizer(t, "qwen3")
		tks["gemma3"] = sharedTokenizer(t, "gemma3")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for name, tk := range tks {
		sp := specialIDs(tk)
		for i, text := range streamTexts {
			// Special tokens between whole encodings, as a chat has them.
			ids := tk.Encode(text, true)
			if len(sp) > 0 {
				ids = append([]int32{sp[rng.IntN(len(sp))]}, ids...)
				ids = append(ids, sp[rng.IntN(len(sp))])
			}
			ids = append(ids, tk.Encode(streamTexts[(i+1)%len(streamTexts)], false)...)
			for _, skip := range []bool{false, true} {
				want := tk.Decode(ids, skip)
				if got := streamAll(t, tk, ids, skip); got != want {
					t.Errorf("%s %q skip=%v: stream %q, Decode %q", name, text, skip, got, want)
				}
			}
		}
	}
}

func specialIDs(tk *Tokenizer) []int32 {
	var out []int32
	for _, a := range tk.added {
		if a.Special {
			out = append(out, a.ID)
		}
	}
	return out
}

// sharedDirOrEmpty is the shared data folder, or "" when absent.
func sharedDirOrEmpty() string {
	if d := os.Getenv("GOVLM_TOKENIZER_DATA"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "testdata", "tokenizers")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// TestStreamDecoderHoldsPartialCharacters feeds the byte tokens of a
// four-byte character one at a time: nothing may come out before the last.
func TestStreamDecoderHoldsPartialCharacters(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bpe_sentencepiece.json"))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := FromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	ids := tk.Encode("😀", false) // ▁ then four <0xXX> byte tokens
	if len(ids) != 5 {
		t.Fatalf("Encode = %v, want ▁ and four byte tokens", ids)
	}
	d := tk.NewStreamDecoder(false)
	var got []string
	for _, id := range ids {
		got = append(got, d.Add(id))
	}
	want := []string{"", "", "", "", "😀"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pieces %q, want %q", got, want)
	}
	if rest := d.Flush(); rest != "" {
		t.Errorf("Flush = %q, want empty", rest)
	}
	// An unfinished character comes out of Flush as replacement characters.
	d.Add(ids[1])
	if rest := d.Flush(); rest != "\uFFFD" {
		t.Errorf("Flush of a lone lead byte = %q, want U+FFFD", rest)
	}
}

// TestStreamDecoderRandomIDs streams random id sequences (any token, byte
// tokens that split characters, special tokens) through byte-level
// tokenizers, where decoding is local, and checks the concatenation equals
// Decode of all ids.
func TestStreamDecoderRandomIDs(t *testing.T) {
	tks := map[string]*Tokenizer{}
	data, err := os.ReadFile(filepath.Join("testdata", "bpe_bytelevel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if tks["fixture"], err = FromJSON(data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(sharedDirOrEmpty(), "goldens.json")); err == nil {
		tks["qwen3"] = sharedTokenizer(t, "qwen3")
	}
	rng := rand.New(rand.NewPCG(3, 5))
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	for name, tk := range tks {
		n := tk.VocabSize()
		for r := 0; r < rounds; r++ {
			ids := make([]int32, 1+rng.IntN(40))
			for i := range ids {
				if rng.IntN(3) == 0 {
					ids[i] = int32(rng.IntN(256)) // single bytes: often partial characters
				} else {
					ids[i] = int32(rng.IntN(n))
				}
			}
			for _, skip := range []bool{false, true} {
				d := tk.NewStreamDecoder(skip)
				var b strings.Builder
				for _, id := range ids {
					b.WriteString(d.Add(id))
				}
				b.WriteString(d.Flush())
				if want := tk.Decode(ids, skip); b.String() != want {
					t.Fatalf("%s skip=%v ids %v:\nstream %q\nDecode %q", name, skip, ids, b.String(), want)
				}
			}
		}
	}
}
