package hub

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

func TestParseRepoID(t *testing.T) {
	cases := []struct {
		in, id, rev string
		bad         bool
	}{
		{in: "Qwen/Qwen2-VL-2B-Instruct", id: "Qwen/Qwen2-VL-2B-Instruct"},
		{in: "HuggingFaceTB/SmolVLM-256M-Instruct@main", id: "HuggingFaceTB/SmolVLM-256M-Instruct", rev: "main"},
		{in: "org/name@refs/pr/3", id: "org/name", rev: "refs/pr/3"},
		{in: "org/name@feat@2", id: "org/name", rev: "feat@2"},
		{in: "gpt2", id: "gpt2"},
		{in: "mlx-community/gemma-3-4b-it-4bit", id: "mlx-community/gemma-3-4b-it-4bit"},
		{in: "a_b/c.d", id: "a_b/c.d"},
		{in: "", bad: true},
		{in: "org/", bad: true},
		{in: "/name", bad: true},
		{in: "a/b/c", bad: true},
		{in: "org--x/name", bad: true},
		{in: "org/na..me", bad: true},
		{in: "org/-name", bad: true},
		{in: "org/name.", bad: true},
		{in: "org/name.git", bad: true},
		{in: "org/na me", bad: true},
		{in: "../etc", bad: true},
		{in: "org/name@", bad: true},
		{in: "org/name@../x", bad: true},
		{in: "org/" + strings.Repeat("x", 97), bad: true},
	}
	for _, tc := range cases {
		id, rev, err := ParseRepoID(tc.in)
		if tc.bad {
			var re *RepoIDError
			var ve *RevisionError
			if !errors.As(err, &re) && !errors.As(err, &ve) {
				t.Errorf("ParseRepoID(%q) = %q, %q, %v; want a typed error", tc.in, id, rev, err)
			}
			continue
		}
		if err != nil || id != tc.id || rev != tc.rev {
			t.Errorf("ParseRepoID(%q) = %q, %q, %v; want %q, %q", tc.in, id, rev, err, tc.id, tc.rev)
		}
	}
}

func TestRelPathProblem(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		{"config.json", true},
		{"sub/dir/model.safetensors", true},
		{"..hidden", true},
		{"a..b.json", true},
		{".gitattributes", true},
		{"", false},
		{"/abs", false},
		{"..", false},
		{"../x", false},
		{"a/../b", false},
		{"a/./b", false},
		{"a//b", false},
		{"a/", false},
		{`a\b`, false},
		{"a\x00b", false},
		{"a\tb", false},
	}
	if runtime.GOOS == "windows" {
		cases = append(cases, struct {
			name string
			ok   bool
		}{"C:x", false}, struct {
			name string
			ok   bool
		}{"NUL", false})
	}
	for _, tc := range cases {
		if got := relPathProblem(tc.name); (got == "") != tc.ok {
			t.Errorf("relPathProblem(%q) = %q, want ok=%v", tc.name, got, tc.ok)
		}
	}
}

func TestCheckETagAndCommit(t *testing.T) {
	for _, e := range []string{"e99d66bdf4860e4b2c463471e464fd606eb0a4fe", strings.Repeat("a", 64), "abc-12_x"} {
		if err := checkETag("r", e); err != nil {
			t.Errorf("checkETag(%q): %v", e, err)
		}
	}
	for _, e := range []string{"", "a.b", "a/b", "..", strings.Repeat("a", 129), "a b"} {
		if err := checkETag("r", e); err == nil {
			t.Errorf("checkETag(%q) accepted", e)
		}
	}
	if checkCommit("r", strings.Repeat("a", 40)) != nil || checkCommit("r", strings.Repeat("A", 40)) == nil ||
		checkCommit("r", strings.Repeat("a", 39)) == nil {
		t.Error("checkCommit wants exactly 40 lowercase hex digits")
	}
}

func TestNormalizeETag(t *testing.T) {
	cases := map[string]string{
		`"abc"`:     "abc",
		`W/"abc"`:   "abc",
		`abc`:       "abc",
		` W/"ab" `:  "ab",
		`""`:        "",
		`W/"a-b_c"`: "a-b_c",
	}
	for in, want := range cases {
		if got := normalizeETag(in); got != want {
			t.Errorf("normalizeETag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContentRangeStart(t *testing.T) {
	cases := []struct {
		in   string
		n    int64
		okay bool
	}{
		{"bytes 100-199/200", 100, true},
		{"bytes 0-0/1", 0, true},
		{"bytes */200", 0, false},
		{"items 1-2/3", 0, false},
		{"", 0, false},
		{"bytes -5-9/10", 0, false},
	}
	for _, tc := range cases {
		n, ok := contentRangeStart(tc.in)
		if ok != tc.okay || ok && n != tc.n {
			t.Errorf("contentRangeStart(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.n, tc.okay)
		}
	}
}
