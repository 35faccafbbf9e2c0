package tensor

import (
	"encoding/json"
	"os"
	"testing"
)

// loadGolden reads testdata/torch_golden.json, values PyTorch 2.11 computed
// (see testdata/gen_torch_golden.py).
func loadGolden(t *testing.T) goldenT {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g goldenT
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}
