package reftest

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// LogitsTolerance is the largest relative error CheckLogits accepts: the
// reference is float32, so only summation order separates the two.
const LogitsTolerance = 1e-4

// MaxAbs returns max |got[i] − want[i]| and max |want[i]| over the
// elements of want; got must be at least as long.
func MaxAbs(got, want []float32) (diff, scale float64) {
	for i, w := range want {
		diff = math.Max(diff, math.Abs(float64(got[i]-w)))
		scale = math.Max(scale, math.Abs(float64(w)))
	}
	return diff, scale
}

// RelErr returns max |got − want| / max |want| (NaN when want is all
// zeros and got equals it, +Inf when only got is non-zero there).
func RelErr(got, want []float32) float64 {
	d, s := MaxAbs(got, want)
	return d / s
}

// RowsRelErr returns max |got[pos] − want[i]| / max |want| over the rows
// positions[i] of got [n, width] against the rows i of want [len(positions),
// width].
func RowsRelErr(got, want *tensor.Tensor, positions []int) float64 {
	width := got.Dim(-1)
	var diff, scale float64
	for i, pos := range positions {
		d, s := MaxAbs(got.Data()[pos*width:(pos+1)*width], want.Data()[i*width:(i+1)*width])
		diff, scale = math.Max(diff, d), math.Max(scale, s)
	}
	return diff / scale
}

// CheckLogits compares the rows of logits [n, vocab] at the case's
// recorded positions with the reference "<case>.logits": relative error
// at most LogitsTolerance.
func (f *Fixture) CheckLogits(t testing.TB, c Case, logits *tensor.Tensor) {
	t.Helper()
	want := f.Tensor(t, c.Name+".logits")
	if want.Dim(-1) != logits.Dim(-1) || want.Dim(0) != len(c.LogitsPositions) {
		t.Fatalf("logits %v, reference %v for positions %v", logits.Shape(), want.Shape(), c.LogitsPositions)
	}
	rel := RowsRelErr(logits, want, c.LogitsPositions)
	t.Logf("logits: relative error %.3g", rel)
	if !(rel <= LogitsTolerance) {
		t.Errorf("logits relative error %.3g > %g", rel, LogitsTolerance)
	}
}

// CheckMaxAbs fails the test when max |got − want| exceeds tol; what
// names the compared values in the message. The lengths must match.
func CheckMaxAbs(t testing.TB, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	diff, _ := MaxAbs(got, want)
	t.Logf("%s: max |Δ| %.3g", what, diff)
	if !(diff <= tol) {
		t.Errorf("%s max |Δ| %.3g > %g", what, diff, tol)
	}
}

// CheckRelative fails the test when got and want differ in shape, or when
// max |got − want| / max |want| exceeds tol; what names the compared
// values in the message.
func CheckRelative(t testing.TB, what string, got, want *tensor.Tensor, tol float64) {
	t.Helper()
	CheckShape(t, what, got.Shape(), want.Shape())
	rel := RelErr(got.Data(), want.Data())
	t.Logf("%s: relative error %.3g", what, rel)
	if !(rel <= tol) {
		t.Errorf("%s relative error %.3g > %g", what, rel, tol)
	}
}

// CheckIDs fails the test at once when the prompt ids differ from the
// reference: every later comparison would be meaningless.
func CheckIDs(t testing.TB, got, want []int32) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("input ids\n%v\nwant\n%v", got, want)
	}
}

// CheckGreedy runs vlm.Tokens on in with greedy sampling, len(want)
// tokens and prefill chunks of step tokens, and compares the tokens with
// want.
func CheckGreedy(t testing.TB, m vlm.LanguageModel, in *vlm.LMInput, want []int32, step int) {
	t.Helper()
	var got []int32
	p := vlm.GenerateParameters{MaxTokens: len(want), PrefillStepSize: step}
	for tok, err := range vlm.Tokens(context.Background(), m, in, p, nil) {
		if err != nil {
			t.Fatalf("greedy (prefill step %d): %v", step, err)
		}
		got = append(got, tok)
	}
	if !slices.Equal(got, want) {
		t.Errorf("greedy (prefill step %d)\n%v\nwant\n%v", step, got, want)
	}
}

// CheckShape fails the test at once when got and want differ; what names
// the compared values in the message.
func CheckShape(t testing.TB, what string, got, want []int) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s %v, want %v", what, got, want)
	}
}
