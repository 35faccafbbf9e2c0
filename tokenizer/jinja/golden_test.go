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

// specialTokenVars are the tokenizer_config entries transformers passes to
// chat templates.
var specialTokenVars = []string{"bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"}

// caseVars turns a golden case into render variables: every key except the
// expected outputs.
func caseVars(c *OrderedMap, config *OrderedMap) map[string]any {
	vars := map[string]any{}
	for _, k := range specialTokenVars {
		if v, ok := config.Get(k); ok {
			if s, isStr := v.(string); isStr {
				vars[k] = s
			}
		}
	}
	for _, k := range c.Keys() {
		switch k {
		case "rendered", "ids", "name", "template", "error":
			continue
		}
		v, _ := c.Get(k)
		vars[k] = v
	}
	return vars
}

// TestSharedGoldens renders every chat case in the shared goldens (made by
// transformers' apply_chat_template) with the real templates.
func TestSharedGoldens(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "tokenizers")
	goldens := readJSONFile(t, filepath.Join(dir, "goldens.json"))
	chatV, ok := goldens.Get("chat")
	if !ok {
		t.Fatal("goldens.json has no chat section")
	}
	chat := chatV.(*OrderedMap)
	if chat.Len() == 0 {
		t.Fatal("no chat goldens")
	}
	for _, model := range chat.Keys() {
		config := readJSONFile(t, filepath.Join(dir, model, "tokenizer_config.json"))
		srcV, _ := config.Get("chat_template")
		src, ok := srcV.(string)
		if !ok {
			t.Fatalf("%s: no chat_template string", model)
		}
		tmpl, err := Parse(model, src, Options{TrimBlocks: true, LstripBlocks: true})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		casesV, _ := chat.Get(model)
		for i, cv := range casesV.([]any) {
			c := cv.(*OrderedMap)
			want, _ := c.Get("rendered")
			got, err := tmpl.Render(caseVars(c, config))
			if err != nil {
				t.Errorf("%s case %d: %v", model, i, err)
				continue
			}
			if got != want {
				t.Errorf("%s case %d:\n got %q\nwant %q", model, i, got, want)
			}
		}
	}
}
