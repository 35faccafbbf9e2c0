package hub

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRelPathProblem: every name accepted as safe stays inside the folder it
// is joined to.
func FuzzRelPathProblem(f *testing.F) {
	for _, s := range []string{"config.json", "a/b/c", "../x", "a/../../b", "/abs", `a\b`, "..", ".", "a//b", "…/x", "C:x", "NUL"} {
		f.Add(s)
	}
	base := filepath.Join(f.TempDir(), "snapshots", "c")
	f.Fuzz(func(t *testing.T, name string) {
		if relPathProblem(name) != "" {
			return
		}
		p := filepath.Join(base, filepath.FromSlash(name))
		rel, err := filepath.Rel(base, p)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			t.Fatalf("accepted %q, which lands at %s", name, p)
		}
	})
}

// FuzzGlob: any non-empty UTF-8 pattern compiles, and a pattern without
// special characters matches exactly itself.
func FuzzGlob(f *testing.F) {
	for _, s := range []string{"*.json", "[!a]*", "[]]", "[", "a?b", `\[x]`, "[^x]", "ü*"} {
		f.Add(s, "name.json")
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if pattern == "" || !utf8.ValidString(pattern) {
			return
		}
		m, err := newMatcher([]string{pattern})
		if err != nil {
			t.Fatalf("pattern %q: %v", pattern, err)
		}
		m.match(name)
		if !strings.ContainsAny(pattern, "*?[") && !strings.HasSuffix(pattern, "/") {
			if !m.match(pattern) || m.match(pattern+"x") {
				t.Fatalf("literal pattern %q does not match exactly itself", pattern)
			}
		}
	})
}
