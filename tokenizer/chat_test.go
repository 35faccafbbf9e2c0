package tokenizer

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govlm/govlm/tokenizer/jinja"
)

// TestGoldenChat renders the recorded conversations with the real Qwen3
// and Gemma 3 chat templates and compares with transformers 5.17.
// (The golden file's "ids" entries hold the BatchEncoding keys, not ids, so
// the ids are checked for consistency: decoding them gives the text back.)
func TestGoldenChat(t *testing.T) {
	g := loadGoldens(t)
	for _, name := range []string{"qwen3", "gemma3"} {
		cases := g.Chat[name]
		if len(cases) == 0 {
			t.Fatalf("no chat goldens for %s", name)
		}
		tk := sharedTokenizer(t, name)
		for i, c := range cases {
			msgs, err := DecodeMessages(c.Messages)
			if err != nil {
				t.Fatal(err)
			}
			opts := ChatOptions{AddGenerationPrompt: c.AddGenerationPrompt}
			if len(c.Tools) > 0 {
				if opts.Tools, err = DecodeMessages(c.Tools); err != nil {
					t.Fatal(err)
				}
			}
			if c.EnableThinking != nil {
				opts.Extra = map[string]any{"enable_thinking": *c.EnableThinking}
			}
			got, err := tk.ApplyChatTemplate(msgs, opts)
			if err != nil {
				t.Errorf("%s[%d]: %v", name, i, err)
				continue
			}
			if got != c.Rendered {
				t.Errorf("%s[%d]:\n got %q\nwant %q", name, i, got, c.Rendered)
			}
			ids, err := tk.EncodeChat(msgs, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids, tk.Encode(c.Rendered, false)) {
				t.Errorf("%s[%d]: EncodeChat differs from Encode(rendered, false)", name, i)
			}
			if back := tk.Decode(ids, false); back != got {
				t.Errorf("%s[%d]: Decode(EncodeChat) = %q", name, i, back)
			}
		}
	}
}

// writeModelDir writes a model folder holding the byte-level fixture and
// the given side files.
func writeModelDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	tj, err := os.ReadFile(filepath.Join("testdata", "bpe_bytelevel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), tj, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestChatTemplateSources(t *testing.T) {
	const cfg = `{"eos_token": "<|endoftext|>", "chat_template": [
		{"name": "default", "template": "cfg-default"},
		{"name": "tool_use", "template": "{{ (tools or []) | length }} tools"}]}`
	tests := []struct {
		name   string
		files  map[string]string
		opts   ChatOptions
		want   string
		errSub string
	}{
		{"config list default", map[string]string{"tokenizer_config.json": cfg}, ChatOptions{}, "cfg-default", ""},
		{"tool_use picked for tools", map[string]string{"tokenizer_config.json": cfg},
			ChatOptions{Tools: []map[string]any{{"type": "function"}}}, "1 tools", ""},
		{"named", map[string]string{"tokenizer_config.json": cfg}, ChatOptions{Template: "tool_use"}, "0 tools", ""},
		{"literal", map[string]string{"tokenizer_config.json": cfg},
			ChatOptions{Template: "{{ eos_token }}|{{ messages[0].content }}"}, "<|endoftext|>|hi", ""},
		{"jinja file wins", map[string]string{"tokenizer_config.json": cfg, "chat_template.jinja": "from-jinja"},
			ChatOptions{}, "from-jinja", ""},
		{"json file wins", map[string]string{"tokenizer_config.json": cfg, "chat_template.json": `{"chat_template": "from-json"}`},
			ChatOptions{}, "from-json", ""},
		{"extra template folder", map[string]string{"additional_chat_templates/rag.jinja": "rag {{ documents | length }}"},
			ChatOptions{Template: "rag", Documents: []map[string]any{{"text": "a"}, {"text": "b"}}}, "rag 2", ""},
		{"extra vars", map[string]string{"chat_template.jinja": "{{ enable_thinking }} {{ add_generation_prompt }}"},
			ChatOptions{AddGenerationPrompt: true, Extra: map[string]any{"enable_thinking": false}}, "False True", ""},
		{"strftime_now", map[string]string{"chat_template.jinja": "{{ strftime_now('%d %b %Y') }}"},
			ChatOptions{Now: func() time.Time { return time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC) }}, "04 Mar 2025", ""},
		{"raise_exception", map[string]string{"chat_template.jinja": "{{ raise_exception('no system role') }}"},
			ChatOptions{}, "", "no system role"},
		{"no template", nil, ChatOptions{}, "", "no chat template"},
		{"syntax error", map[string]string{"chat_template.jinja": "{% if %}"}, ChatOptions{}, "", "syntax"},
	}
	msgs := []map[string]any{{"role": "user", "content": "hi"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk, err := Load(writeModelDir(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			got, err := tk.ApplyChatTemplate(msgs, tc.opts)
			if tc.errSub != "" {
				var te *TemplateError
				if !errors.As(err, &te) || !strings.Contains(err.Error(), tc.errSub) {
					t.Fatalf("error = %v, want a *TemplateError containing %q", err, tc.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestChatRaisedErrorKind(t *testing.T) {
	tk, err := Load(writeModelDir(t, map[string]string{"chat_template.jinja": "{{ raise_exception('bad') }}"}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = tk.ApplyChatTemplate(nil, ChatOptions{})
	var je *jinja.Error
	if !errors.As(err, &je) || je.Kind != jinja.KindRaised {
		t.Fatalf("error = %v, want a *jinja.Error of kind raised", err)
	}
}

func TestToolKeyOrder(t *testing.T) {
	tk, err := Load(writeModelDir(t, map[string]string{"chat_template.jinja": "{{ tools[0] | tojson }}"}))
	if err != nil {
		t.Fatal(err)
	}
	tool := map[string]any{"function": map[string]any{"parameters": map[string]any{"required": []any{"x"}, "type": "object"},
		"description": "d", "name": "f"}, "type": "function"}
	got, err := tk.ApplyChatTemplate(nil, ChatOptions{Tools: []map[string]any{tool}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object", "required": ["x"]}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
