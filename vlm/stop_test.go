package vlm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStopMatcher(t *testing.T) {
	cases := []struct {
		name    string
		stops   []string
		pieces  []string
		want    string
		stopped bool
	}{
		{"no stops", nil, []string{"ab", "cd"}, "abcd", false},
		{"within one piece", []string{"END"}, []string{"abENDcd"}, "ab", true},
		{"split across pieces", []string{"END"}, []string{"abE", "N", "Dxyz"}, "ab", true},
		{"near miss", []string{"END"}, []string{"abEN", "d!"}, "abENd!", false},
		{"earliest of several", []string{"xyz", "cd"}, []string{"abcdxyz"}, "ab", true},
		{"multibyte held whole", []string{"ééé"}, []string{"aé", "éb"}, "aééb", false},
		{"stop at start", []string{"ab"}, []string{"a", "b", "c"}, "", true},
	}
	for _, tc := range cases {
		m := newStopMatcher(tc.stops)
		var out strings.Builder
		stopped := false
		for _, p := range tc.pieces {
			e, hit := m.push(p)
			if !utf8.ValidString(e) {
				t.Errorf("%s: emitted invalid UTF-8 %q", tc.name, e)
			}
			for _, s := range tc.stops {
				if strings.Contains(out.String()+e, s) {
					t.Errorf("%s: yielded text %q contains stop %q", tc.name, out.String()+e, s)
				}
			}
			out.WriteString(e)
			if hit {
				stopped = true
				break
			}
		}
		if !stopped {
			out.WriteString(m.flush())
		}
		if out.String() != tc.want || stopped != tc.stopped {
			t.Errorf("%s: got %q (stopped %v), want %q (%v)", tc.name, out.String(), stopped, tc.want, tc.stopped)
		}
	}
}
