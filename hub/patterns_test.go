package hub

import (
	"errors"
	"testing"
)

// The expectations follow Python's fnmatch.fnmatchcase, which huggingface_hub
// uses for allow_patterns.
func TestMatcher(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"*.json", "config.json", true},
		{"*.json", "sub/config.json", true}, // '*' crosses '/'
		{"*.json", "config.json.bak", false},
		{"*.json", "config.JSON", false},
		{"tokenizer.model", "tokenizer.model", true},
		{"tokenizer.model", "xtokenizer.model", false},
		{"model-?????-of-?????.safetensors", "model-00001-of-00002.safetensors", true},
		{"model-?????-of-?????.safetensors", "model-0001-of-00002.safetensors", false},
		{"[ct]*.json", "config.json", true},
		{"[ct]*.json", "preprocessor_config.json", false},
		{"[!ct]*.json", "preprocessor_config.json", true},
		{"[!ct]*.json", "config.json", false},
		{"[]x]a", "]a", true},
		{"[]x]a", "xa", true},
		{"[^a]b", "^b", true}, // '^' is literal in fnmatch sets
		{"[^a]b", "cb", false},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[x", "[x", true},    // unclosed '[' is literal
		{"[1-0]", "0", false}, // reversed range: dropped, the set is empty
		{"[!1-0]", "z", true},
		{"[a-\\]", "a", false},
		{"[\\]x", "\\x", true},
		{"[[:alpha:]]", "a]", true}, // no POSIX classes in fnmatch
		{"[a-]", "-", true},
		{"[-a]", "-", true},
		{"[z-a-c]x", "-x", true},
		{"a.b", "axb", false},
		{"a+b(c)", "a+b(c)", true},
		{"onnx/", "onnx/model.onnx", true},
		{"onnx/", "onnxx/model.onnx", false},
		{"*", "any/thing\nat all", true},
		{"ü*.txt", "über.txt", true},
	}
	for _, tc := range cases {
		m, err := newMatcher([]string{tc.pattern})
		if err != nil {
			t.Fatalf("%q: %v", tc.pattern, err)
		}
		if got := m.match(tc.name); got != tc.want {
			t.Errorf("%q matches %q = %v, want %v (regexp %s)", tc.pattern, tc.name, got, tc.want, globToRegexp(tc.pattern))
		}
	}
}

func TestMatcherDefaultsAndErrors(t *testing.T) {
	m, err := newMatcher(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"config.json": true, "model-00001-of-00004.safetensors": true, "chat_template.jinja": true,
		"tokenizer.model": true, "merges.txt": true, "pytorch_model.bin": false, "model.gguf": false,
		"README.md": false, ".gitattributes": false,
	} {
		if m.match(name) != want {
			t.Errorf("default patterns on %q = %v, want %v", name, !want, want)
		}
	}
	var pe *PatternError
	if _, err := newMatcher([]string{"*.json", ""}); !errors.As(err, &pe) {
		t.Errorf("empty pattern: %v, want PatternError", err)
	}
}
