package jinja

import (
	"os"
	"path/filepath"
	"testing"
)

func benchTemplate(b *testing.B, file string) string {
	b.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "templates", file))
	if err != nil {
		b.Fatal(err)
	}
	return string(src)
}

func benchConversation(b *testing.B) map[string]any {
	b.Helper()
	tools, err := DecodeJSON([]byte(`[{"type": "function", "function": {"name": "get_weather", "description": "Get weather",
		"parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["city"]}}}]`))
	if err != nil {
		b.Fatal(err)
	}
	var msgs []any
	for i := range 10 {
		msgs = append(msgs, map[string]any{"role": "user", "content": "Question number " + string(rune('0'+i)) + "?"},
			map[string]any{"role": "assistant", "content": "<think>\nreasoning\n</think>\n\nAnswer " + string(rune('0'+i))})
	}
	return map[string]any{"messages": msgs, "tools": tools, "add_generation_prompt": true, "bos_token": "<bos>"}
}

func BenchmarkParseQwen3(b *testing.B) {
	src := benchTemplate(b, "qwen3.jinja")
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("qwen3", src, hfOpts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderQwen3 renders a 20-message conversation with one tool.
func BenchmarkRenderQwen3(b *testing.B) {
	tmpl, err := Parse("qwen3", benchTemplate(b, "qwen3.jinja"), hfOpts)
	if err != nil {
		b.Fatal(err)
	}
	vars := benchConversation(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(vars); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderGemma3 renders the same conversation without tools.
func BenchmarkRenderGemma3(b *testing.B) {
	tmpl, err := Parse("gemma3", benchTemplate(b, "gemma3.jinja"), hfOpts)
	if err != nil {
		b.Fatal(err)
	}
	vars := benchConversation(b)
	delete(vars, "tools")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(vars); err != nil {
			b.Fatal(err)
		}
	}
}
