package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// hfCases is testdata/hf_cases.json: outputs of HF tokenizers 0.23 for the
// hand-made fixtures and for single components, recorded by
// bench/tokenizer/hf_check.py.
type hfCases struct {
	Tokenizers string `json:"tokenizers"`
	Fixtures   map[string][]struct {
		Text        string  `json:"text"`
		AddSpecial  bool    `json:"add_special"`
		IDs         []int32 `json:"ids"`
		Decoded     string  `json:"decoded"`
		DecodedSkip string  `json:"decoded_skip"`
	} `json:"fixtures"`
	Patterns      map[string][]pretokCase `json:"patterns"`
	PreTokenizers []struct {
		Config json.RawMessage `json:"config"`
		Cases  []pretokCase    `json:"cases"`
	} `json:"pretokenizers"`
	Normalizers []struct {
		Config json.RawMessage `json:"config"`
		Cases  []struct {
			Text       string `json:"text"`
			Normalized string `json:"normalized"`
		} `json:"cases"`
	} `json:"normalizers"`
	Decoders []struct {
		Config json.RawMessage `json:"config"`
		Cases  []struct {
			Tokens  []string `json:"tokens"`
			Decoded string   `json:"decoded"`
		} `json:"cases"`
	} `json:"decoders"`
}

type pretokCase struct {
	Text   string   `json:"text"`
	Pieces []string `json:"pieces"`
}

func loadHFCases(t *testing.T) *hfCases {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "hf_cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c hfCases
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// preTexts runs a pre-tokenizer on s and returns the pieces' text.
func preTexts(p preTokenizer, s string) []string {
	var out []string
	p.preTokenize(piece{s: s, origin: true}, func(q piece) { out = append(out, q.text()) })
	return out
}

// TestHFFixtures encodes and decodes with the hand-made tokenizers
// (one per model type) and compares with HF.
func TestHFFixtures(t *testing.T) {
	c := loadHFCases(t)
	for _, name := range sortedKeys(c.Fixtures) {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			tk, err := FromJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range c.Fixtures[name] {
				if got := tk.Encode(k.Text, k.AddSpecial); !slices.Equal(got, k.IDs) {
					t.Errorf("Encode(%q, %v) = %v, want %v", k.Text, k.AddSpecial, got, k.IDs)
				}
				if got := tk.Decode(k.IDs, false); got != k.Decoded {
					t.Errorf("Decode(%v, false) = %q, want %q", k.IDs, got, k.Decoded)
				}
				if got := tk.Decode(k.IDs, true); got != k.DecodedSkip {
					t.Errorf("Decode(%v, true) = %q, want %q", k.IDs, got, k.DecodedSkip)
				}
			}
		})
	}
}

// TestHFSplitPatterns runs the hand-written GPT-2, Llama 3 and Qwen 2
// pattern matchers, and the generic lookahead matcher on the same patterns,
// on tricky text (contractions, digits, whitespace runs before words and at
// the end, Unicode categories).
func TestHFSplitPatterns(t *testing.T) {
	c := loadHFCases(t)
	exprs := map[string]string{"gpt2": patternGPT2, "llama3": patternLlama3, "qwen2": patternQwen2}
	for name, cases := range c.Patterns {
		hand, err := compileRegex(exprs[name])
		if err != nil {
			t.Fatal(err)
		}
		generic, ok := compileLookahead(exprs[name])
		if !ok {
			t.Fatalf("%s: the generic lookahead matcher does not accept the pattern", name)
		}
		for kind, m := range map[string]matcher{"hand-written": hand, "generic": generic} {
			p := splitPre{pat: m, behavior: behaviorIsolated}
			for _, k := range cases {
				got := preTexts(p, k.Text)
				if !slices.Equal(got, k.Pieces) && !(len(got) == 0 && len(k.Pieces) == 0) {
					t.Errorf("%s (%s) on %q:\n got %q\nwant %q", name, kind, k.Text, got, k.Pieces)
				}
			}
		}
	}
}

// TestHFPreTokenizers checks every pre-tokenizer type and split behaviour.
func TestHFPreTokenizers(t *testing.T) {
	c := loadHFCases(t)
	for _, pc := range c.PreTokenizers {
		p, err := parsePreTokenizer(pc.Config)
		if err != nil {
			t.Errorf("%s: %v", pc.Config, err)
			continue
		}
		for _, k := range pc.Cases {
			got := preTexts(p, k.Text)
			if !slices.Equal(got, k.Pieces) && !(len(got) == 0 && len(k.Pieces) == 0) {
				t.Errorf("%s on %q:\n got %q\nwant %q", pc.Config, k.Text, got, k.Pieces)
			}
		}
	}
}

// TestHFNormalizers checks every normalizer type.
func TestHFNormalizers(t *testing.T) {
	c := loadHFCases(t)
	for _, nc := range c.Normalizers {
		n, err := parseNormalizer(nc.Config)
		if err != nil {
			t.Errorf("%s: %v", nc.Config, err)
			continue
		}
		for _, k := range nc.Cases {
			if got := n.normalize(k.Text); got != k.Normalized {
				t.Errorf("%s on %q: got %q, want %q", nc.Config, k.Text, got, k.Normalized)
			}
		}
	}
}

// TestHFDecoders checks every decoder type.
func TestHFDecoders(t *testing.T) {
	c := loadHFCases(t)
	for _, dc := range c.Decoders {
		d, err := parseDecoder(dc.Config)
		if err != nil {
			t.Errorf("%s: %v", dc.Config, err)
			continue
		}
		for _, k := range dc.Cases {
			got := ""
			for _, s := range d.decode(append([]string(nil), k.Tokens...)) {
				got += s
			}
			if got != k.Decoded {
				t.Errorf("%s on %q: got %q, want %q", dc.Config, k.Tokens, got, k.Decoded)
			}
		}
	}
}
