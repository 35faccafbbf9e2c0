// Package refgen_test checks the reference fixtures that tools/refgen writes under testdata/models:
// their size budget and that every reference.json agrees with its reference.safetensors, its config.json
// and the test images it names. The generators themselves are Python (see README.md).
package refgen_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const (
	maxFixtureBytes = 2 << 20
	maxTreeBytes    = 20 << 20
	minGreedy       = 16
)

type refCase struct {
	Name            string         `json:"name"`
	Images          []string       `json:"images"`
	Videos          [][]string     `json:"videos"`
	Prompt          string         `json:"prompt"`
	InputIDs        []int          `json:"input_ids"`
	LogitsPositions []int          `json:"logits_positions"`
	Greedy          []int          `json:"greedy"`
	GreedyMargins   []float64      `json:"greedy_margins"`
	FeatureRows     map[string]int `json:"feature_rows"`
}

type reference struct {
	Generator        string    `json:"generator"`
	Transformers     string    `json:"transformers"`
	Torch            string    `json:"torch"`
	ProcessorBackend string    `json:"processor_backend"`
	Cases            []refCase `json:"cases"`
}

type tensorInfo struct {
	Dtype string `json:"dtype"`
	Shape []int  `json:"shape"`
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func fixtureDirs(t *testing.T) (string, []string) {
	t.Helper()
	root := repoRoot(t)
	base := filepath.Join(root, "testdata", "models")
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(base, e.Name()))
		}
	}
	if len(dirs) == 0 {
		t.Fatalf("no fixtures under %s", base)
	}
	return root, dirs
}

func dirBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("sizing %s: %v", dir, err)
	}
	return n
}

// safetensorsHeader reads the tensor table of a .safetensors file.
func safetensorsHeader(path string) (map[string]tensorInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var n uint64
	if err := binary.Read(f, binary.LittleEndian, &n); err != nil {
		return nil, fmt.Errorf("%s: header length: %w", path, err)
	}
	if n > 1<<24 {
		return nil, fmt.Errorf("%s: header length %d too large", path, n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(buf, &raw); err != nil {
		return nil, fmt.Errorf("%s: header json: %w", path, err)
	}
	out := make(map[string]tensorInfo, len(raw))
	for k, v := range raw {
		if k == "__metadata__" {
			continue
		}
		var ti tensorInfo
		if err := json.Unmarshal(v, &ti); err != nil {
			return nil, fmt.Errorf("%s: tensor %s: %w", path, k, err)
		}
		out[k] = ti
	}
	return out, nil
}

// modelConfig holds the config.json fields the references are checked against.
type modelConfig struct {
	VocabSize    int `json:"vocab_size"`
	HiddenSize   int `json:"hidden_size"`
	ImageTokenID *int
	VideoTokenID *int
}

func readConfig(t *testing.T, dir string) modelConfig {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("config.json: %v", err)
	}
	var cfg modelConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("config.json: %v", err)
	}
	if tc, ok := top["text_config"]; ok {
		var text modelConfig
		if err := json.Unmarshal(tc, &text); err != nil {
			t.Fatalf("text_config: %v", err)
		}
		cfg.VocabSize, cfg.HiddenSize = text.VocabSize, text.HiddenSize
	}
	intField := func(names ...string) *int {
		for _, n := range names {
			if v, ok := top[n]; ok {
				var x int
				if json.Unmarshal(v, &x) == nil {
					return &x
				}
			}
		}
		return nil
	}
	cfg.ImageTokenID = intField("image_token_id", "image_token_index")
	cfg.VideoTokenID = intField("video_token_id")
	if cfg.VocabSize == 0 || cfg.HiddenSize == 0 {
		t.Fatalf("config.json: vocab_size %d hidden_size %d", cfg.VocabSize, cfg.HiddenSize)
	}
	return cfg
}

func TestFixtureSizes(t *testing.T) {
	root, dirs := fixtureDirs(t)
	for _, dir := range dirs {
		if n := dirBytes(t, dir); n > maxFixtureBytes {
			t.Errorf("%s: %d bytes, budget %d", filepath.Base(dir), n, maxFixtureBytes)
		}
	}
	if n := dirBytes(t, filepath.Join(root, "testdata", "models")); n > maxTreeBytes {
		t.Errorf("testdata/models: %d bytes, budget %d", n, maxTreeBytes)
	}
}

func TestReferencesAgreeWithTensors(t *testing.T) {
	root, dirs := fixtureDirs(t)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "reference.json"))
			if err != nil {
				t.Fatal(err)
			}
			var ref reference
			if err := json.Unmarshal(data, &ref); err != nil {
				t.Fatalf("reference.json: %v", err)
			}
			if ref.Generator == "" || ref.Transformers == "" || ref.Torch == "" || ref.ProcessorBackend == "" {
				t.Errorf("header incomplete: generator %q transformers %q torch %q processor_backend %q",
					ref.Generator, ref.Transformers, ref.Torch, ref.ProcessorBackend)
			}
			if len(ref.Cases) == 0 {
				t.Fatal("no cases")
			}
			tensors, err := safetensorsHeader(filepath.Join(dir, "reference.safetensors"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := safetensorsHeader(filepath.Join(dir, "model.safetensors")); err != nil {
				t.Fatal(err)
			}
			cfg := readConfig(t, dir)
			for _, c := range ref.Cases {
				checkCase(t, root, c, cfg, tensors)
			}
		})
	}
}

func wantTensor(t *testing.T, tensors map[string]tensorInfo, name string, shape []int) {
	t.Helper()
	ti, ok := tensors[name]
	if !ok {
		t.Errorf("%s missing from reference.safetensors", name)
		return
	}
	if ti.Dtype != "F32" || !slices.Equal(ti.Shape, shape) {
		t.Errorf("%s: %s %v, want F32 %v", name, ti.Dtype, ti.Shape, shape)
	}
}

func countID(ids []int, id *int) int {
	if id == nil {
		return 0
	}
	n := 0
	for _, x := range ids {
		if x == *id {
			n++
		}
	}
	return n
}

func checkCase(t *testing.T, root string, c refCase, cfg modelConfig, tensors map[string]tensorInfo) {
	t.Helper()
	n := len(c.InputIDs)
	if n == 0 || c.Prompt == "" {
		t.Errorf("%s: empty input_ids or prompt", c.Name)
		return
	}
	for _, id := range append(slices.Clone(c.InputIDs), c.Greedy...) {
		if id < 0 || id >= cfg.VocabSize {
			t.Errorf("%s: token id %d outside vocab %d", c.Name, id, cfg.VocabSize)
			break
		}
	}
	if len(c.Greedy) < minGreedy || len(c.GreedyMargins) != len(c.Greedy) {
		t.Errorf("%s: %d greedy ids, %d margins", c.Name, len(c.Greedy), len(c.GreedyMargins))
	}
	for i, m := range c.GreedyMargins {
		if !(m > 0) {
			t.Errorf("%s: greedy step %d margin %v", c.Name, i, m)
		}
	}
	if !slices.IsSorted(c.LogitsPositions) || len(c.LogitsPositions) == 0 ||
		c.LogitsPositions[0] < 0 || c.LogitsPositions[len(c.LogitsPositions)-1] != n-1 {
		t.Errorf("%s: logits_positions %v for %d tokens", c.Name, c.LogitsPositions, n)
	}
	wantTensor(t, tensors, c.Name+".logits", []int{len(c.LogitsPositions), cfg.VocabSize})
	for key, id := range map[string]*int{"image_features": cfg.ImageTokenID, "video_features": cfg.VideoTokenID} {
		if k := countID(c.InputIDs, id); k > 0 {
			wantTensor(t, tensors, c.Name+"."+key, []int{k, cfg.HiddenSize})
			if c.FeatureRows[key] != k {
				t.Errorf("%s: feature_rows[%s] = %d, %d placeholder tokens", c.Name, key, c.FeatureRows[key], k)
			}
		}
	}
	if ti, ok := tensors[c.Name+".position_ids"]; ok && !slices.Equal(ti.Shape, []int{3, n}) {
		t.Errorf("%s.position_ids: shape %v, want [3 %d]", c.Name, ti.Shape, n)
	}
	paths := slices.Clone(c.Images)
	for _, v := range c.Videos {
		paths = append(paths, v...)
	}
	for _, p := range paths {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("%s: image %s: %v", c.Name, p, err)
		}
	}
}
