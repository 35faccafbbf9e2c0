package tokenizer

import (
	"slices"
	"testing"
)

// TestGoldenEncodings checks encode and decode against HF tokenizers 0.23
// outputs recorded for the real Qwen3 and Gemma 3 tokenizers.
func TestGoldenEncodings(t *testing.T) {
	g := loadGoldens(t)
	for _, name := range []string{"qwen3", "gemma3"} {
		cases := g.Encodings[name]
		if len(cases) == 0 {
			t.Fatalf("no goldens for %s", name)
		}
		tk := sharedTokenizer(t, name)
		t.Run(name, func(t *testing.T) {
			for _, c := range cases {
				got := tk.Encode(c.Text, c.AddSpecialTokens)
				if !slices.Equal(got, c.IDs) {
					t.Errorf("Encode(%q, %v)\n got %v\nwant %v", c.Text, c.AddSpecialTokens, got, c.IDs)
				}
				if d := tk.Decode(c.IDs, false); d != c.Decoded {
					t.Errorf("Decode(%v, false) = %q, want %q", c.IDs, d, c.Decoded)
				}
				if d := tk.Decode(c.IDs, true); d != c.DecodedSkipSpecial {
					t.Errorf("Decode(%v, true) = %q, want %q", c.IDs, d, c.DecodedSkipSpecial)
				}
			}
		})
	}
}
