package tokenizer

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSplitMatchersAgree compares, on random text built from the characters
// the patterns treat specially, the hand-written matchers with the generic
// lookahead matcher (Go's regexp for the head of the same pattern). The two
// are independent implementations; both agree with HF on the recorded cases.
func TestSplitMatchersAgree(t *testing.T) {
	alphabet := []rune("aZé日ſ'sStTmMlLdDrReEvV1١½Ⅻ \t\n\r\u00a0\u3000\u2028\u0085.,!?-_/()\u200b\u0301😀")
	rng := rand.New(rand.NewPCG(7, 11))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for _, expr := range []string{patternGPT2, patternLlama3, patternQwen2} {
		hand := knownSplitPatterns[expr]
		generic, ok := compileLookahead(expr)
		if !ok {
			t.Fatalf("generic matcher rejects %q", expr)
		}
		for k := 0; k < n; k++ {
			rs := make([]rune, rng.IntN(16))
			for i := range rs {
				rs[i] = alphabet[rng.IntN(len(alphabet))]
			}
			s := string(rs)
			if a, b := hand.findAll(s), generic.findAll(s); !slices.Equal(a, b) {
				t.Fatalf("pattern %q on %q:\nhand-written %v\ngeneric      %v", expr, s, a, b)
			}
		}
	}
}

// TestSplitSpans covers the split behaviours on one string (HF's results for
// them are in hf_cases.json; this states them where a reader can see them).
func TestSplitSpans(t *testing.T) {
	text := "a--b-"
	ms := literalMatcher("-").findAll(text)
	tests := []struct {
		b      splitBehavior
		invert bool
		want   []string
	}{
		{behaviorRemoved, false, []string{"a", "b"}},
		{behaviorIsolated, false, []string{"a", "-", "-", "b", "-"}},
		{behaviorMergedWithPrevious, false, []string{"a-", "-", "b-"}},
		{behaviorMergedWithNext, false, []string{"a", "-", "-b", "-"}},
		{behaviorContiguous, false, []string{"a", "--", "b", "-"}},
		{behaviorRemoved, true, []string{"-", "-", "-"}},
	}
	for _, tc := range tests {
		var got []string
		for _, sp := range splitSpans(len(text), ms, tc.b, tc.invert) {
			got = append(got, text[sp.start:sp.end])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("behaviour %d invert %v: got %q, want %q", tc.b, tc.invert, got, tc.want)
		}
	}
}
