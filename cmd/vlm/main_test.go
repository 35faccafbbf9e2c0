package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is where testdata lives, relative to this package.
const repoRoot = "../.."

// runCLI runs the command in-process and returns its exit status and
// outputs.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb, strings.NewReader(stdin))
	return code, out.String(), errb.String()
}

type referenceCase struct {
	Name     string           `json:"name"`
	Messages []map[string]any `json:"messages"`
	Images   []string         `json:"images"`
	Prompt   string           `json:"prompt"`
	InputIDs []int32          `json:"input_ids"`
	Greedy   []int32          `json:"greedy"`
}

func fixtureCase(t *testing.T, model, name string) (dir string, c referenceCase) {
	t.Helper()
	dir = filepath.Join(repoRoot, "testdata", "models", model)
	data, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Skipf("fixture %s absent: %v", model, err)
	}
	var ref struct{ Cases []referenceCase }
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for _, c := range ref.Cases {
		if c.Name == name {
			return dir, c
		}
	}
	t.Fatalf("fixture %s has no case %q", model, name)
	return "", c
}

// TestGenerateMatchesTransformers runs `vlm generate --json` on the SmolVLM
// reference checkpoint with the fixture's image and prompt and compares the
// generated ids with transformers' greedy continuation.
func TestGenerateMatchesTransformers(t *testing.T) {
	dir, c := fixtureCase(t, "smolvlm", "image")
	var text string
	for _, part := range c.Messages[0]["content"].([]any) {
		if p := part.(map[string]any); p["type"] == "text" {
			text = p["text"].(string)
		}
	}
	n := len(c.Greedy)
	code, stdout, stderr := runCLI(t, "", "generate", "--model", dir, "--image", filepath.Join(repoRoot, c.Images[0]),
		"--prompt", text, "--max-tokens", itoa(n), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rec jsonRecord
	if err := json.Unmarshal([]byte(stdout), &rec); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, stdout)
	}
	if rec.PromptTokens != len(c.InputIDs) {
		t.Errorf("prompt tokens = %d, transformers had %d", rec.PromptTokens, len(c.InputIDs))
	}
	if !slices.Equal(rec.GeneratedIDs, c.Greedy[:len(rec.GeneratedIDs)]) || len(rec.GeneratedIDs) == 0 {
		t.Fatalf("generated %v\ntransformers %v", rec.GeneratedIDs, c.Greedy)
	}
	if rec.Text == "" || rec.GenerationTokens == 0 || rec.StopReason == "" {
		t.Errorf("incomplete record: %+v", rec)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestGenerateStreamsTextAndSummary(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "models", "llama")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("llama fixture absent")
	}
	code, stdout, stderr := runCLI(t, "", "generate", "--model", dir, "--prompt", "Hello", "--max-tokens", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.TrimSpace(stdout) == "" {
		t.Error("no text streamed")
	}
	for _, want := range []string{"Prompt:", "Generation: 5 tokens", "Time to first token", "Peak memory"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bogus"}, 2, "unknown command"},
		{[]string{"generate", "--max-tokens", "x"}, 2, "invalid value"},
		{[]string{"generate", "stray"}, 2, "unexpected argument"},
		{[]string{"generate", "--model", "not a model id!"}, 1, "neither a folder nor a hub id"},
		{[]string{"generate", "--resize", "0x3"}, 1, "--resize"},
		{[]string{"generate", "--quantize", "q3", "--model", filepath.Join(repoRoot, "testdata", "models", "llama")}, 1, "q4 or q8"},
		{[]string{"template"}, 2, "--messages"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("vlm %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 0 && c.code == 1 {
			t.Errorf("vlm %v: error is not one line: %q", c.args, stderr)
		}
	}
}

func TestWrongMediaIsATypedErrorNotAPanic(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "models", "smolvlm")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("smolvlm fixture absent")
	}
	code, _, stderr := runCLI(t, "", "generate", "--model", dir, "--image", filepath.Join(repoRoot, "go.mod"), "--max-tokens", "2")
	if code != 1 || !strings.Contains(stderr, "go.mod") {
		t.Fatalf("exit %d, stderr %q: want a one-line error naming the file", code, stderr)
	}
}

func TestList(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "list")
	if code != 0 {
		t.Fatal("list failed")
	}
	for _, want := range []string{"idefics3", "qwen2_vl", DefaultModel + "  (default)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

func TestTokenizeAndTemplate(t *testing.T) {
	dir, c := fixtureCase(t, "llama", "chat")
	code, stdout, stderr := runCLI(t, "Hello world\n", "tokenize", "--model", dir, "--no-special")
	if code != 0 {
		t.Fatalf("tokenize: exit %d: %s", code, stderr)
	}
	var ids []int32
	if err := json.Unmarshal([]byte(stdout), &ids); err != nil || len(ids) == 0 {
		t.Fatalf("tokenize printed %q", stdout)
	}

	messages, err := json.Marshal(c.Messages)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "messages.json")
	if err := os.WriteFile(file, messages, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "", "template", "--model", dir, "--messages", file, "--add-generation-prompt")
	if code != 0 {
		t.Fatalf("template: exit %d: %s", code, stderr)
	}
	if stdout != c.Prompt {
		t.Fatalf("rendered %q\ntransformers %q", stdout, c.Prompt)
	}
}

func TestChatKeepsCacheAcrossTurns(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "models", "llama")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("llama fixture absent")
	}
	input := "Hello there\n/stats\nAnd again\n/stats\n/reset\n/quit\n"
	code, stdout, stderr := runCLI(t, input, "chat", "--model", dir, "--max-tokens", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "(0 from the cache)") {
		t.Errorf("first turn should start from empty caches:\n%s", stdout)
	}
	if strings.Count(stdout, "from the cache)") != 2 || strings.Contains(stdout[strings.LastIndex(stdout, "prompt "):], "(0 from the cache)") {
		t.Errorf("second turn did not reuse the cache:\n%s", stdout)
	}
	if !strings.Contains(stdout, "(conversation reset)") {
		t.Errorf("/reset not acknowledged:\n%s", stdout)
	}
}
