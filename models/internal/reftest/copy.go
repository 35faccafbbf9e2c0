package reftest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/vlm"
)

// referenceFiles are the fixture files that hold transformers' outputs,
// not the checkpoint.
var referenceFiles = []string{"reference.json", "reference.safetensors"}

// Copy copies the fixture's checkpoint files (not its subfolders, not
// reference.json or reference.safetensors, not the files named in skip)
// into a new temporary folder and returns that folder, for tests that
// change a file of the checkpoint.
func (f *Fixture) Copy(t testing.TB, skip ...string) string {
	t.Helper()
	dir := t.TempDir()
	copyFiles(t, f.Dir, dir, append(skip, referenceFiles...))
	return dir
}

// Layout4x builds, in a temporary folder, the transformers 4.x layout of
// the fixture: its checkpoint files without the 5.x processor_config.json
// and chat_template.jinja, with the files of layout_4x/ laid over them. It
// skips the test when the fixture has no layout_4x/.
func (f *Fixture) Layout4x(t testing.TB) string {
	t.Helper()
	overlay := filepath.Join(f.Dir, "layout_4x")
	if _, err := os.Stat(overlay); err != nil {
		t.Skipf("fixture %s has no layout_4x: %v", f.Name, err)
	}
	dir := f.Copy(t, "processor_config.json", "chat_template.jinja")
	copyFiles(t, overlay, dir, nil)
	return dir
}

// copyFiles copies the regular files of from, except those named in skip,
// into to.
func copyFiles(t testing.TB, from, to string, skip []string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || slices.Contains(skip, e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// LoadModel loads the checkpoint in dir through vlm.Load, with the given
// extra EOS tokens, and closes it when the test ends.
func LoadModel(t testing.TB, dir string, extraEOS ...string) *vlm.ModelContext {
	t.Helper()
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir, ExtraEOSTokens: extraEOS}, vlm.LoadOptions{})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	t.Cleanup(func() { mc.Close() })
	return mc
}
