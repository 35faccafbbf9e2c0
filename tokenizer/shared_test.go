package tokenizer

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// sharedDir finds ../shared/testdata/tokenizers next to the module root (or
// the folder named by $GOVLM_TOKENIZER_DATA, used on the benchmark machine),
// or skips the test when the shared test material is absent (a user's clone).
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("GOVLM_TOKENIZER_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "testdata", "tokenizers")
	if _, err := os.Stat(filepath.Join(p, "goldens.json")); err != nil {
		t.Skipf("shared tokenizer test data not found at %s; it lives beside the repository in CI", p)
	}
	return p
}

// gunzipFile reads a .gz file into memory.
func gunzipFile(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	sharedMu    sync.Mutex
	sharedCache = map[string]*Tokenizer{}
)

// sharedTokenizer loads the real tokenizer of a model in the shared data:
// tokenizer.json.gz is gunzipped into a temporary folder with the
// tokenizer_config.json beside it, then loaded with Load. Results are cached
// across tests.
func sharedTokenizer(t testing.TB, name string) *Tokenizer {
	t.Helper()
	root := sharedDir(t)
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if tk, ok := sharedCache[name]; ok {
		return tk
	}
	src := filepath.Join(root, name)
	dir, err := os.MkdirTemp("", "tokenizer-"+name)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), gunzipFile(t, filepath.Join(src, "tokenizer.json.gz")), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(src, "tokenizer_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	tk, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	sharedCache[name] = tk
	return tk
}

type goldenEncoding struct {
	Text               string  `json:"text"`
	AddSpecialTokens   bool    `json:"add_special_tokens"`
	IDs                []int32 `json:"ids"`
	Decoded            string  `json:"decoded"`
	DecodedSkipSpecial string  `json:"decoded_skip_special"`
}

type goldenChat struct {
	Messages            json.RawMessage `json:"messages"`
	Tools               json.RawMessage `json:"tools"`
	AddGenerationPrompt bool            `json:"add_generation_prompt"`
	EnableThinking      *bool           `json:"enable_thinking"`
	Rendered            string          `json:"rendered"`
}

type goldens struct {
	Encodings map[string][]goldenEncoding `json:"encodings"`
	Chat      map[string][]goldenChat     `json:"chat"`
}

func loadGoldens(t testing.TB) goldens {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), "goldens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g goldens
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&g); err != nil {
		t.Fatal(err)
	}
	return g
}
