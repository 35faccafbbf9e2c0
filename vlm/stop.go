package vlm

import (
	"strings"
	"unicode/utf8"
)

// stopMatcher holds back the tail of the generated text that could still
// become a stop string, so that text already yielded never contains one.
type stopMatcher struct {
	stops   []string
	hold    int // longest stop string length − 1, in bytes
	pending strings.Builder
}

func newStopMatcher(stops []string) *stopMatcher {
	m := &stopMatcher{}
	for _, s := range stops {
		if s == "" {
			continue
		}
		m.stops = append(m.stops, s)
		m.hold = max(m.hold, len(s)-1)
	}
	return m
}

// push adds newly decoded text and returns the text that is safe to yield;
// stopped reports that a stop string was found (the text up to it is
// returned and the rest discarded).
func (m *stopMatcher) push(text string) (emit string, stopped bool) {
	if len(m.stops) == 0 {
		return text, false
	}
	m.pending.WriteString(text)
	buf := m.pending.String()
	cut := -1
	for _, s := range m.stops {
		if i := strings.Index(buf, s); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut >= 0 {
		m.pending.Reset()
		return buf[:cut], true
	}
	keep := len(buf) - m.hold
	if keep <= 0 {
		return "", false
	}
	// Do not split a UTF-8 sequence.
	for keep > 0 && keep < len(buf) && !utf8.RuneStart(buf[keep]) {
		keep--
	}
	m.pending.Reset()
	m.pending.WriteString(buf[keep:])
	return buf[:keep], false
}

// flush returns the held-back text at the end of generation.
func (m *stopMatcher) flush() string {
	s := m.pending.String()
	m.pending.Reset()
	return s
}
