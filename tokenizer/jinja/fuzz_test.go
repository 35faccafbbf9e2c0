package jinja

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseRender feeds arbitrary templates to Parse and Render under small
// limits: neither may panic (which Render would report as an "internal
// error"), and every failure must be an *Error.
func FuzzParseRender(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "templates", "*.jinja"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"{{ x }}", "{% for a, b in d.items() if a %}{{ loop.cycle(1, 2) }}{% else %}{% endfor %}",
		"{%- raw -%} {{ }} {%- endraw -%}", "{# c #}{{ 'a' ~ 1 | string }}", "{{ [1, 2][::-1] | tojson(indent=2) }}",
		"{% macro m(a=1) %}{{ caller() if caller is defined }}{% endmacro %}{% call m() %}x{% endcall %}",
		"{{ '%s' | format(1) }}{{ 'a{}'.format(2) }}", "{% set ns = namespace(x=[]) %}{% set ns.x = ns.x + [1] %}",
		"{{ 1 if 2 else 3 if 4 }}", "{{ a.b.c[0]['d'] }}", "{% filter upper %}{{ 'x' }}{% endfilter %}",
	} {
		f.Add(s)
	}
	vars := map[string]any{
		"messages":              []any{map[string]any{"role": "user", "content": "hi"}, map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "yo"}}}},
		"tools":                 []any{map[string]any{"type": "function", "function": map[string]any{"name": "f"}}},
		"add_generation_prompt": true,
		"bos_token":             "<s>",
		"x":                     1,
		"d":                     map[string]any{"k": "v"},
	}
	opts := Options{TrimBlocks: true, LstripBlocks: true, MaxSteps: 20_000, MaxOutputBytes: 1 << 16, MaxCallDepth: 16}
	f.Fuzz(func(t *testing.T, src string) {
		tmpl, err := Parse("fuzz", src, opts)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		if _, err := tmpl.Render(vars); err != nil {
			checkFuzzError(t, err)
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("error is not an *Error: %v", err)
	}
	if strings.Contains(je.Msg, "internal error") {
		t.Fatalf("panic inside the engine: %v", err)
	}
}
