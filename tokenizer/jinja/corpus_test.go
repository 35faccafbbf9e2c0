package jinja

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The corpora in testdata were rendered by Python's jinja2 configured as
// transformers configures it (testdata/gen_expected.py); every case must
// render byte for byte the same, or fail with the same kind of error.

type corpusCase struct {
	name, template string
	vars           map[string]any
	opts           Options
	now            time.Time
	want           string
	wantErr        ErrorKind
	wantMsg        string
}

func loadCorpus(t *testing.T, file string) []corpusCase {
	t.Helper()
	root := readJSONFile(t, filepath.Join("testdata", file))
	casesV, _ := root.Get("cases")
	shared, _ := root.Get("vars") // variables common to every case, if any
	var out []corpusCase
	for _, cv := range casesV.([]any) {
		c := cv.(*OrderedMap)
		get := func(k string) any { v, _ := c.Get(k); return v }
		cc := corpusCase{name: get("name").(string), opts: Options{TrimBlocks: true, LstripBlocks: true}}
		if src, ok := get("template").(string); ok {
			cc.template = src
		} else {
			b, err := os.ReadFile(filepath.Join("testdata", "templates", get("template_file").(string)))
			if err != nil {
				t.Fatal(err)
			}
			cc.template = string(b)
		}
		cc.vars = map[string]any{}
		for _, vs := range []any{shared, get("vars")} {
			if vm, ok := vs.(*OrderedMap); ok {
				for _, k := range vm.Keys() {
					cc.vars[k], _ = vm.Get(k)
				}
			}
		}
		if o, ok := get("opts").(*OrderedMap); ok {
			tb, _ := o.Get("trim_blocks")
			lb, _ := o.Get("lstrip_blocks")
			cc.opts = Options{TrimBlocks: tb == true, LstripBlocks: lb == true}
		}
		if s, ok := get("strftime_now").(string); ok {
			now, err := time.Parse("2006-01-02T15:04:05", s)
			if err != nil {
				t.Fatal(err)
			}
			cc.now = now
		}
		switch get("error") {
		case nil:
			cc.want = get("want").(string)
		case "syntax":
			cc.wantErr = KindSyntax
		case "raised":
			cc.wantErr = KindRaised
			cc.wantMsg = get("message").(string)
		default:
			cc.wantErr = KindRuntime
		}
		out = append(out, cc)
	}
	if len(out) == 0 {
		t.Fatalf("%s has no cases", file)
	}
	return out
}

func runCorpusCase(t *testing.T, c corpusCase) {
	t.Helper()
	vars := c.vars
	if !c.now.IsZero() {
		vars["strftime_now"] = StrftimeNow(func() time.Time { return c.now })
	}
	tmpl, err := Parse(c.name, c.template, c.opts)
	var got string
	if err == nil {
		got, err = tmpl.Render(vars)
	}
	if c.wantErr == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		if got != c.want {
			t.Fatalf("output differs from jinja2\n got %q\nwant %q", got, c.want)
		}
		return
	}
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("want a %v *Error, got output %q, err %v", c.wantErr, got, err)
	}
	if je.Kind != c.wantErr {
		t.Fatalf("want error kind %v, got %v (%v)", c.wantErr, je.Kind, err)
	}
	if c.wantMsg != "" && je.Msg != c.wantMsg {
		t.Fatalf("want message %q, got %q", c.wantMsg, je.Msg)
	}
	if je.Line <= 0 {
		t.Errorf("error has no line: %v", err)
	}
}

// TestFeatures covers statements, expressions, filters, tests, whitespace
// control and errors, one small template per feature.
func TestFeatures(t *testing.T) {
	for _, c := range loadCorpus(t, "features.json") {
		t.Run(c.name, func(t *testing.T) { runCorpusCase(t, c) })
	}
}

// TestRandomExpressions is a differential test against jinja2 on 1000
// random expressions and small statements (testdata/gen_random.py).
func TestRandomExpressions(t *testing.T) {
	for _, c := range loadCorpus(t, "random.json") {
		t.Run(c.name, func(t *testing.T) { runCorpusCase(t, c) })
	}
}

// TestWhitespaceControl is a differential test against jinja2 on random
// templates mixing text, newlines and tags with "-"/"+" markers under every
// trim_blocks/lstrip_blocks setting (testdata/gen_whitespace.py).
func TestWhitespaceControl(t *testing.T) {
	for _, c := range loadCorpus(t, "whitespace.json") {
		t.Run(c.name, func(t *testing.T) { runCorpusCase(t, c) })
	}
}

// TestControlFlow is a differential test against jinja2 on random nests of
// loops, conditions, assignments, namespaces, macros and call blocks
// (testdata/gen_control.py).
func TestControlFlow(t *testing.T) {
	for _, c := range loadCorpus(t, "control.json") {
		t.Run(c.name, func(t *testing.T) { runCorpusCase(t, c) })
	}
}

// TestChatTemplates renders real chat templates (Qwen3, Gemma 3, SmolVLM and
// Idefics3, Qwen2-VL, Llama 3.2, Mistral, a Phi-3 style generation template)
// with conversations covering vision content, tools, tool calls and
// template-raised errors.
func TestChatTemplates(t *testing.T) {
	groups := map[string]int{}
	for _, c := range loadCorpus(t, "template_cases.json") {
		groups[strings.Split(c.name, "/")[0]]++
		t.Run(c.name, func(t *testing.T) { runCorpusCase(t, c) })
	}
	if len(groups) < 7 {
		t.Errorf("expected cases for at least 7 templates, got %v", groups)
	}
}
