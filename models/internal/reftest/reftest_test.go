package reftest

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

func TestMaxAbsAndRelErr(t *testing.T) {
	for _, tc := range []struct {
		name        string
		got, want   []float32
		diff, scale float64
	}{
		{"equal", []float32{1, -2, 3}, []float32{1, -2, 3}, 0, 3},
		{"one off", []float32{1, -2.5, 3}, []float32{1, -2, 3}, 0.5, 3},
		{"negative scale", []float32{0, 0}, []float32{-4, 1}, 4, 4},
		{"longer got", []float32{1, 2, 99}, []float32{1, 2}, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, s := MaxAbs(tc.got, tc.want)
			if d != tc.diff || s != tc.scale {
				t.Errorf("MaxAbs = %v, %v, want %v, %v", d, s, tc.diff, tc.scale)
			}
			if r := RelErr(tc.got, tc.want); r != tc.diff/tc.scale {
				t.Errorf("RelErr = %v, want %v", r, tc.diff/tc.scale)
			}
		})
	}
}

func TestRowsRelErr(t *testing.T) {
	// got has 3 rows of width 2; the reference holds rows 0 and 2.
	got := tensor.FromF32([]float32{1, 2, 100, 100, 5, 6}, 3, 2)
	for _, tc := range []struct {
		name      string
		want      []float32
		positions []int
		rel       float64
	}{
		{"exact", []float32{1, 2, 5, 6}, []int{0, 2}, 0},
		{"skipped row ignored", []float32{1, 2, 5, 6.5}, []int{0, 2}, 0.5 / 6.5},
		{"order follows positions", []float32{5, 6, 1, 2}, []int{2, 0}, 0},
		{"wrong row", []float32{5, 6}, []int{1}, 95.0 / 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tensor.FromF32(tc.want, len(tc.positions), 2)
			if r := RowsRelErr(got, want, tc.positions); math.Abs(r-tc.rel) > 1e-12 {
				t.Errorf("RowsRelErr = %v, want %v", r, tc.rel)
			}
		})
	}
}

func TestUserInput(t *testing.T) {
	f := &Fixture{Name: "x", Root: "/repo"}
	for _, tc := range []struct {
		name string
		c    string
		want vlm.UserInput
	}{
		{"text content", `{"messages": [{"role": "user", "content": "hi"}]}`,
			vlm.UserInput{Messages: []vlm.Message{vlm.Text("user", "hi")}}},
		{"parts", `{"messages": [{"role": "user", "content": [{"type": "image", "path": "a.png"}, {"type": "text", "text": "what?"}]}]}`,
			vlm.UserInput{Messages: []vlm.Message{{Role: "user", Content: []vlm.Part{
				{Image: &vlm.ImageSource{Path: "/repo/a.png"}}, {Text: "what?"}}}}}},
		{"raw prompt with images", `{"prompt": "caption en", "images": ["b.png"]}`,
			vlm.UserInput{Prompt: "caption en", Images: []vlm.ImageSource{{Path: "/repo/b.png"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Case
			if err := json.Unmarshal([]byte(tc.c), &c); err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(f.UserInput(t, c))
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestCaseRopeDeltas(t *testing.T) {
	for _, tc := range []struct {
		js   string
		want []int
	}{
		{`{"name": "video", "rope_deltas": [-37]}`, []int{-37}},
		{`{"name": "text"}`, nil},
	} {
		var c Case
		if err := json.Unmarshal([]byte(tc.js), &c); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.RopeDeltas, tc.want) {
			t.Errorf("%s: rope deltas %v, want %v", tc.js, c.RopeDeltas, tc.want)
		}
	}
}

func TestLoadSkipsAbsentFixture(t *testing.T) {
	went := false
	t.Run("absent", func(t *testing.T) {
		Load(t, "no such fixture")
		went = true
	})
	if went {
		t.Error("Load of an absent fixture did not skip")
	}
}

func TestLoadAndLayout4x(t *testing.T) {
	f := Load(t, "paligemma")
	if len(f.Cases) == 0 || f.Cases[0].Name == "" || len(f.Cases[0].Greedy) == 0 {
		t.Fatalf("cases %+v", f.Cases)
	}
	if x := f.Tensor(t, f.Cases[0].Name+".logits"); x.Dim(0) != len(f.Cases[0].LogitsPositions) {
		t.Errorf("logits %v for positions %v", x.Shape(), f.Cases[0].LogitsPositions)
	}
	if !f.HasTensor(f.Cases[0].Name+".logits") || f.HasTensor(f.Cases[0].Name+".no_such_output") {
		t.Errorf("HasTensor: logits %v, no_such_output %v", f.HasTensor(f.Cases[0].Name+".logits"),
			f.HasTensor(f.Cases[0].Name+".no_such_output"))
	}
	dir := f.Layout4x(t)
	for _, tc := range []struct {
		file string
		from string // "" when the file must be absent
	}{
		{"config.json", f.Dir},
		{"preprocessor_config.json", filepath.Join(f.Dir, "layout_4x")},
		{"processor_config.json", filepath.Join(f.Dir, "layout_4x")},
		{"reference.json", ""},
		{"reference.safetensors", ""},
	} {
		got, err := os.ReadFile(filepath.Join(dir, tc.file))
		if tc.from == "" {
			if err == nil {
				t.Errorf("%s copied", tc.file)
			}
			continue
		}
		want, werr := os.ReadFile(filepath.Join(tc.from, tc.file))
		if werr != nil { // the 5.x file must not stay when the overlay lacks it
			if err == nil {
				t.Errorf("%s present, but not in %s", tc.file, tc.from)
			}
			continue
		}
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: not the copy of %s (%v)", tc.file, tc.from, err)
		}
	}
}
