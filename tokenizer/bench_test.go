package tokenizer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchText repeats a testdata sample whole until it reaches 1 MiB
// (bench/tokenizer/hf_bench.py builds the same text for HF).
func benchText(b *testing.B, name string) string {
	b.Helper()
	s, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	const size = 1 << 20
	return strings.Repeat(string(s), (size+len(s)-1)/len(s))
}

// BenchmarkLoadQwen3 measures Load of the Qwen3 tokenizer folder
// (tokenizer.json of 151k tokens and 151k merges, tokenizer_config.json).
func BenchmarkLoadQwen3(b *testing.B) { benchLoad(b, "qwen3") }

// BenchmarkLoadGemma3 measures Load of the Gemma 3 tokenizer folder (262k
// tokens, 515k merges, 6k added tokens).
func BenchmarkLoadGemma3(b *testing.B) { benchLoad(b, "gemma3") }

func benchLoad(b *testing.B, model string) {
	root := sharedDir(b)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), gunzipFile(b, filepath.Join(root, model, "tokenizer.json.gz")), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(root, model, "tokenizer_config.json"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), cfg, 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEncode(b *testing.B, model, sample string) {
	tk := sharedTokenizer(b, model)
	text := benchText(b, sample)
	b.SetBytes(int64(len(text)))
	var n int
	for b.Loop() {
		n = len(tk.Encode(text, false))
	}
	b.ReportMetric(float64(n), "tokens")
}

// BenchmarkEncodeQwen3English measures single-goroutine encode throughput
// on 1 MiB of English prose.
func BenchmarkEncodeQwen3English(b *testing.B) { benchEncode(b, "qwen3", "sample_en.txt") }

// BenchmarkEncodeQwen3CJK measures encode throughput on 1 MiB of Chinese
// and Japanese prose.
func BenchmarkEncodeQwen3CJK(b *testing.B) { benchEncode(b, "qwen3", "sample_cjk.txt") }

// BenchmarkEncodeGemma3English covers the SentencePiece-style BPE path,
// where each line is one long BPE word.
func BenchmarkEncodeGemma3English(b *testing.B) { benchEncode(b, "gemma3", "sample_en.txt") }

// BenchmarkDecodeQwen3English measures Decode of the ids of 1 MiB of
// English prose.
func BenchmarkDecodeQwen3English(b *testing.B) {
	tk := sharedTokenizer(b, "qwen3")
	text := benchText(b, "sample_en.txt")
	ids := tk.Encode(text, false)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tk.Decode(ids, false)
	}
}
