package nn

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))+1e-30
}

func ptr[T any](v T) *T { return &v }

func TestInvFreqDefaultLinearPartial(t *testing.T) {
	want := []float64{1, 0.1, 0.01, 0.001}
	cases := []struct {
		name   string
		p      RopeParams
		factor float64
	}{
		{"default", RopeParams{HeadDim: 8, Base: 10000}, 1},
		{"mrope is default", RopeParams{HeadDim: 8, Base: 10000, Scaling: &RopeScaling{Type: "mrope", MropeSection: []int{1, 1, 2}}}, 1},
		{"partial", RopeParams{HeadDim: 16, PartialRotaryFactor: 0.5, Base: 10000}, 1},
		{"linear", RopeParams{HeadDim: 8, Base: 10000, Scaling: &RopeScaling{Type: "linear", Factor: 4}}, 4},
	}
	for _, tc := range cases {
		inv, attn, err := tc.p.InvFreq(0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(inv) != len(want) || attn != 1 {
			t.Fatalf("%s: %d frequencies, attention factor %v", tc.name, len(inv), attn)
		}
		for j := range want {
			if !near(float64(inv[j]), want[j]/tc.factor, 1e-6) {
				t.Errorf("%s: inv[%d] = %g, want %g", tc.name, j, inv[j], want[j]/tc.factor)
			}
		}
	}
}

func TestInvFreqDynamic(t *testing.T) {
	p := RopeParams{HeadDim: 8, Base: 10000, MaxPositionEmbeddings: 100, Scaling: &RopeScaling{Type: "dynamic", Factor: 2}}
	def, _, _ := RopeParams{HeadDim: 8, Base: 10000}.InvFreq(0)
	inv, _, err := p.InvFreq(50)
	if err != nil {
		t.Fatal(err)
	}
	for j := range inv {
		if !near(float64(inv[j]), float64(def[j]), 1e-6) {
			t.Fatalf("within max_position_embeddings dynamic must equal default: %v vs %v", inv, def)
		}
	}
	// At twice the trained length with factor 2 the base grows by
	// (2·2 − 1)^(dim/(dim−2)) = 3^(4/3).
	inv, _, _ = p.InvFreq(200)
	base := 10000 * math.Pow(3, 8.0/6)
	for j := range inv {
		want := math.Pow(base, -float64(2*j)/8)
		if !near(float64(inv[j]), want, 1e-5) {
			t.Errorf("inv[%d] = %g, want %g", j, inv[j], want)
		}
	}
}

func TestInvFreqYarn(t *testing.T) {
	p := RopeParams{HeadDim: 128, Base: 10000, MaxPositionEmbeddings: 8192,
		Scaling: &RopeScaling{Type: "yarn", Factor: 4, OriginalMaxPositionEmbeddings: 2048}}
	def, _, _ := RopeParams{HeadDim: 128, Base: 10000}.InvFreq(0)
	inv, attn, err := p.InvFreq(0)
	if err != nil {
		t.Fatal(err)
	}
	if !near(float64(attn), 0.1*math.Log(4)+1, 1e-6) {
		t.Errorf("attention factor %v, want 0.1·ln 4 + 1", attn)
	}
	// Correction range with beta_fast 32, beta_slow 1: the dimensions below
	// floor(low) extrapolate (keep the default frequency), those above
	// ceil(high) interpolate (divide by the factor).
	corr := func(rot float64) float64 { return 128 * math.Log(2048/(rot*2*math.Pi)) / (2 * math.Log(10000)) }
	low, high := math.Floor(corr(32)), math.Ceil(corr(1))
	for j := range inv {
		switch {
		case float64(j) <= low:
			if !near(float64(inv[j]), float64(def[j]), 1e-6) {
				t.Errorf("dim %d (≤ low %v): %g, want default %g", j, low, inv[j], def[j])
			}
		case float64(j) >= high:
			if !near(float64(inv[j]), float64(def[j])/4, 1e-6) {
				t.Errorf("dim %d (≥ high %v): %g, want default/4 %g", j, high, inv[j], def[j]/4)
			}
		default:
			ramp := (float64(j) - low) / (high - low)
			want := float64(def[j])/4*ramp + float64(def[j])*(1-ramp)
			if !near(float64(inv[j]), want, 1e-5) {
				t.Errorf("dim %d: %g, want blend %g", j, inv[j], want)
			}
		}
	}
	// truncate=false keeps the fractional correction range: some blended
	// dimension must change.
	p.Scaling.Truncate = ptr(false)
	inv2, _, _ := p.InvFreq(0)
	changed := false
	for j := range inv {
		changed = changed || inv[j] != inv2[j]
	}
	if !changed {
		t.Error("truncate=false had no effect")
	}
}

func TestInvFreqYarnAttentionFactor(t *testing.T) {
	cases := []struct {
		name string
		s    RopeScaling
		want float64
	}{
		{"explicit", RopeScaling{Type: "yarn", Factor: 4, AttentionFactor: ptr(0.5)}, 0.5},
		{"mscale pair", RopeScaling{Type: "yarn", Factor: 40, Mscale: 1, MscaleAllDim: 0.5},
			(0.1*math.Log(40) + 1) / (0.05*math.Log(40) + 1)},
		{"factor from lengths", RopeScaling{Type: "yarn", OriginalMaxPositionEmbeddings: 1024}, 0.1*math.Log(4) + 1},
	}
	for _, tc := range cases {
		p := RopeParams{HeadDim: 64, Base: 10000, MaxPositionEmbeddings: 4096, Scaling: &tc.s}
		_, attn, err := p.InvFreq(0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !near(float64(attn), tc.want, 1e-6) {
			t.Errorf("%s: attention factor %v, want %v", tc.name, attn, tc.want)
		}
	}
}

func TestInvFreqLlama3(t *testing.T) {
	p := RopeParams{HeadDim: 128, Base: 500000, Scaling: &RopeScaling{
		Type: "llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 8192}}
	def, _, _ := RopeParams{HeadDim: 128, Base: 500000}.InvFreq(0)
	inv, _, err := p.InvFreq(0)
	if err != nil {
		t.Fatal(err)
	}
	var sawHigh, sawLow, sawMid bool
	for j := range inv {
		wave := 2 * math.Pi / float64(def[j])
		switch {
		case wave < 8192/4.0:
			sawHigh = true
			if !near(float64(inv[j]), float64(def[j]), 1e-6) {
				t.Errorf("high-frequency dim %d changed", j)
			}
		case wave > 8192:
			sawLow = true
			if !near(float64(inv[j]), float64(def[j])/8, 1e-6) {
				t.Errorf("low-frequency dim %d not divided by 8", j)
			}
		default:
			sawMid = true
			s := (8192/wave - 1) / 3
			want := (1-s)*float64(def[j])/8 + s*float64(def[j])
			if !near(float64(inv[j]), want, 1e-5) {
				t.Errorf("medium dim %d: %g, want %g", j, inv[j], want)
			}
		}
	}
	if !sawHigh || !sawLow || !sawMid {
		t.Error("test does not cover all three bands")
	}
}

func TestInvFreqLongrope(t *testing.T) {
	short := []float64{1, 2}
	long := []float64{3, 5}
	p := RopeParams{HeadDim: 4, Base: 100, MaxPositionEmbeddings: 4096,
		Scaling: &RopeScaling{Type: "longrope", ShortFactor: short, LongFactor: long, OriginalMaxPositionEmbeddings: 1024}}
	inv, attn, err := p.InvFreq(10)
	if err != nil {
		t.Fatal(err)
	}
	if !near(float64(attn), math.Sqrt(1+math.Log(4)/math.Log(1024)), 1e-6) {
		t.Errorf("attention factor %v", attn)
	}
	if !near(float64(inv[0]), 1, 1e-6) || !near(float64(inv[1]), 0.1/2, 1e-6) {
		t.Errorf("short factors: %v", inv)
	}
	inv, _, _ = p.InvFreq(2000)
	if !near(float64(inv[0]), 1.0/3, 1e-6) || !near(float64(inv[1]), 0.1/5, 1e-6) {
		t.Errorf("long factors: %v", inv)
	}
}

func TestInvFreqErrors(t *testing.T) {
	cases := map[string]RopeParams{
		"odd dim":       {HeadDim: 7, Base: 10000},
		"no base":       {HeadDim: 8},
		"unknown type":  {HeadDim: 8, Base: 10000, Scaling: &RopeScaling{Type: "spiral"}},
		"linear no fac": {HeadDim: 8, Base: 10000, Scaling: &RopeScaling{Type: "linear"}},
		"llama3 bands":  {HeadDim: 8, Base: 10000, Scaling: &RopeScaling{Type: "llama3", Factor: 8, LowFreqFactor: 4, HighFreqFactor: 1, OriginalMaxPositionEmbeddings: 10}},
		"longrope lens": {HeadDim: 8, Base: 10000, MaxPositionEmbeddings: 10, Scaling: &RopeScaling{Type: "longrope", ShortFactor: []float64{1}, LongFactor: []float64{1}, OriginalMaxPositionEmbeddings: 5}},
	}
	for name, p := range cases {
		_, _, err := p.InvFreq(0)
		var re *RopeError
		if !errors.As(err, &re) {
			t.Errorf("%s: got %v, want a *RopeError", name, err)
		}
	}
}

func TestRopeScalingJSON(t *testing.T) {
	for _, src := range []string{
		`{"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}`,
		`{"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768, "rope_theta": 1e6}`,
	} {
		var s RopeScaling
		if err := json.Unmarshal([]byte(src), &s); err != nil {
			t.Fatal(err)
		}
		if s.Type != "yarn" || s.Factor != 4 || s.OriginalMaxPositionEmbeddings != 32768 {
			t.Errorf("%s decoded as %+v", src, s)
		}
	}
}

func TestRotaryTables(t *testing.T) {
	r, err := NewRotary(RopeParams{HeadDim: 8, Base: 10000, Scaling: &RopeScaling{Type: "yarn", Factor: 2, OriginalMaxPositionEmbeddings: 64}}, false)
	if err != nil {
		t.Fatal(err)
	}
	cos, sin := r.Tables(5, 3)
	if cos.Dim(0) != 3 || cos.Dim(1) != 8 {
		t.Fatalf("table shape %v", cos.Shape())
	}
	inv, attn := r.InvFreq(), r.AttentionFactor()
	for i := range 3 {
		for j, f := range inv {
			a := float64(float32(5+i) * f)
			if !near(float64(cos.Data()[i*8+j]), math.Cos(a)*float64(attn), 1e-5) ||
				!near(float64(sin.Data()[i*8+j+4]), math.Sin(a)*float64(attn), 1e-5) {
				t.Fatalf("row %d freq %d: cos/sin off", i, j)
			}
		}
	}
}

func TestRotaryDynamicGrows(t *testing.T) {
	r, err := NewRotary(RopeParams{HeadDim: 8, Base: 10000, MaxPositionEmbeddings: 16, Scaling: &RopeScaling{Type: "dynamic", Factor: 2}}, false)
	if err != nil {
		t.Fatal(err)
	}
	before := append([]float32(nil), r.InvFreq()...)
	r.Tables(0, 16)
	if r.InvFreq()[1] != before[1] {
		t.Fatal("frequencies changed within max_position_embeddings")
	}
	r.Tables(30, 2)
	grown := r.InvFreq()[1]
	if grown >= before[1] {
		t.Fatal("dynamic NTK did not lower the frequencies past max_position_embeddings")
	}
	r.Tables(40, 1)
	if r.InvFreq()[1] >= grown {
		t.Fatal("frequencies did not follow a longer sequence")
	}
	r.Tables(0, 4) // a new, short request
	if r.InvFreq()[1] != before[1] {
		t.Fatal("frequencies not reset for a sequence within max_position_embeddings")
	}
}
