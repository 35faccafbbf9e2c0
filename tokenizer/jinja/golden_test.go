package jinja

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds ../shared/testdata next to the module root, or skips.
func sharedDir(t *testing.T) string {
	t.Helper()
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
	shared := filepath.Join(dir, "..", "shared", "testdata")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("shared test data not present at %s: skipping golden comparison", shared)
	}
	return shared
}

func readJSONFile(t *testing.T, path string) *OrderedMap {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := DecodeJSON(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m, ok := v.(*OrderedMap)
	if !ok {
		t.Fatalf("%s: top level is not an object", path)
	}
	return m
}

func field(m *OrderedMap, k string) any {
	v, _ := m.Get(k)
	return v
}

// specialTokenVars are the tokenizer_config entries transformers passes to
// chat templates.
var specialTokenVars = []string{"bos_token", "eos_token", "unk_token", "pad_token"}

// renderGoldenCases renders chat cases (messages, add_generation_prompt and
// any extra variables such as tools or enable_thinking) and compares them
// with the "rendered" text transformers produced.
func renderGoldenCases(t *testing.T, model, src string, special *OrderedMap, cases []any) {
	t.Helper()
	tmpl, err := Parse(model, src, hfOpts)
	if err != nil {
		t.Fatalf("%s: %v", model, err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no cases", model)
	}
	for i, cv := range cases {
		c := cv.(*OrderedMap)
		vars := map[string]any{}
		for _, k := range specialTokenVars {
			if s, ok := field(special, k).(string); ok {
				vars[k] = s
			}
		}
		for _, k := range c.Keys() {
			if k != "rendered" && k != "ids" {
				vars[k] = field(c, k)
			}
		}
		got, err := tmpl.Render(vars)
		if err != nil {
			t.Errorf("%s case %d: %v", model, i, err)
			continue
		}
		if want := field(c, "rendered"); got != want {
			t.Errorf("%s case %d:\n got %q\nwant %q", model, i, got, want)
		}
	}
}

// TestGoldensCopy renders the copy of the shared chat goldens (made by
// transformers' apply_chat_template with the real Qwen3 and Gemma 3
// templates) kept in testdata, so it runs without ../shared.
func TestGoldensCopy(t *testing.T) {
	models := field(readJSONFile(t, filepath.Join("testdata", "goldens_chat.json")), "models").(*OrderedMap)
	for _, model := range models.Keys() {
		m := field(models, model).(*OrderedMap)
		src, err := os.ReadFile(filepath.Join("testdata", "templates", field(m, "template_file").(string)))
		if err != nil {
			t.Fatal(err)
		}
		renderGoldenCases(t, model, string(src), field(m, "special_tokens").(*OrderedMap), field(m, "cases").([]any))
	}
}

// TestSharedGoldens renders every chat case of ../shared's goldens with the
// template from each model's tokenizer_config.json, and checks that the
// testdata copies of the templates are current.
func TestSharedGoldens(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "tokenizers")
	chat, ok := field(readJSONFile(t, filepath.Join(dir, "goldens.json")), "chat").(*OrderedMap)
	if !ok || chat.Len() == 0 {
		t.Fatal("goldens.json has no chat section")
	}
	for _, model := range chat.Keys() {
		config := readJSONFile(t, filepath.Join(dir, model, "tokenizer_config.json"))
		src, ok := field(config, "chat_template").(string)
		if !ok {
			t.Fatalf("%s: no chat_template string", model)
		}
		renderGoldenCases(t, model, src, config, field(chat, model).([]any))
		local, err := os.ReadFile(filepath.Join("testdata", "templates", model+".jinja"))
		if err != nil || string(local) != src {
			t.Errorf("testdata/templates/%s.jinja is missing or differs from shared tokenizer_config.json", model)
		}
	}
}
