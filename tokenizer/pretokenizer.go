package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// piece is one span of text moving through pre-tokenization.
type piece struct {
	s string
	// origin is set when the span starts at offset 0 of the caller's text
	// (Metaspace's prepend_scheme "first" looks at it).
	origin bool
	// byteLevel is set when the span still has to be mapped byte by byte to
	// the GPT-2 alphabet; the BPE model does that while looking up ids.
	byteLevel bool
}

// text returns the span as the model must see it.
func (p piece) text() string {
	if p.byteLevel {
		return byteLevelEncode(p.s)
	}
	return p.s
}

// preTokenizer splits a piece into smaller pieces, handing each to emit in
// order. Streaming keeps a long text from turning into a slice of hundreds
// of thousands of pieces.
type preTokenizer interface {
	preTokenize(p piece, emit func(piece))
}

// splitBehavior says what happens to the matched parts of a split.
type splitBehavior uint8

const (
	behaviorRemoved splitBehavior = iota
	behaviorIsolated
	behaviorMergedWithPrevious
	behaviorMergedWithNext
	behaviorContiguous
)

func parseBehavior(s string) (splitBehavior, error) {
	switch strings.ToLower(s) {
	case "removed":
		return behaviorRemoved, nil
	case "isolated":
		return behaviorIsolated, nil
	case "merged_with_previous", "mergedwithprevious":
		return behaviorMergedWithPrevious, nil
	case "merged_with_next", "mergedwithnext":
		return behaviorMergedWithNext, nil
	case "contiguous":
		return behaviorContiguous, nil
	}
	return 0, fmt.Errorf("unknown split behavior %q", s)
}

// span is a part of a piece: [start, end) and whether it was a match.
type span struct {
	start, end int
	match      bool
}

// splitSpans applies a split behaviour to the matches ms of a string of
// length n, returning the kept parts in order.
func splitSpans(n int, ms [][2]int, b splitBehavior, invert bool) []span {
	parts := make([]span, 0, 2*len(ms)+1)
	prev := 0
	for _, m := range ms {
		if m[0] > prev {
			parts = append(parts, span{prev, m[0], invert})
		}
		if m[1] > m[0] {
			parts = append(parts, span{m[0], m[1], !invert})
		}
		prev = m[1]
	}
	if prev < n {
		parts = append(parts, span{prev, n, invert})
	}
	switch b {
	case behaviorIsolated:
		return parts
	case behaviorRemoved:
		out := parts[:0]
		for _, p := range parts {
			if !p.match {
				out = append(out, p)
			}
		}
		return out
	case behaviorMergedWithPrevious:
		out := make([]span, 0, len(parts))
		prevMatch := false
		for _, p := range parts {
			if p.match && !prevMatch && len(out) > 0 {
				out[len(out)-1].end = p.end
			} else {
				out = append(out, span{p.start, p.end, false})
			}
			prevMatch = p.match
		}
		return out
	case behaviorMergedWithNext:
		out := make([]span, 0, len(parts))
		nextMatch := false
		for i := len(parts) - 1; i >= 0; i-- {
			p := parts[i]
			if p.match && !nextMatch && len(out) > 0 {
				out[len(out)-1].start = p.start
			} else {
				out = append(out, span{p.start, p.end, false})
			}
			nextMatch = p.match
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out
	case behaviorContiguous:
		out := make([]span, 0, len(parts))
		prevMatch := false
		for _, p := range parts {
			if p.match == prevMatch && len(out) > 0 {
				out[len(out)-1].end = p.end
			} else {
				out = append(out, span{p.start, p.end, false})
			}
			prevMatch = p.match
		}
		return out
	}
	return parts
}

// sub is the part [start, end) of p.
func (p piece) sub(start, end int) piece {
	return piece{s: p.s[start:end], origin: p.origin && start == 0, byteLevel: p.byteLevel}
}

// splitPiece splits p with the matches find returns and emits the parts.
func splitPiece(p piece, find func(string) [][2]int, b splitBehavior, invert bool, emit func(piece)) {
	if b == behaviorIsolated && !invert {
		isolate(p, find(p.s), emit)
		return
	}
	for _, sp := range splitSpans(len(p.s), find(p.s), b, invert) {
		emit(p.sub(sp.start, sp.end))
	}
}

// isolate emits the gaps and matches of p in order (the Isolated
// behaviour, the common case), without an intermediate span list.
func isolate(p piece, ms [][2]int, emit func(piece)) {
	prev := 0
	for _, m := range ms {
		if m[0] > prev {
			emit(p.sub(prev, m[0]))
		}
		if m[1] > m[0] {
			emit(p.sub(m[0], m[1]))
		}
		prev = m[1]
	}
	if prev < len(p.s) {
		emit(p.sub(prev, len(p.s)))
	}
}

// plain returns p mapped out of the byte-level alphabet, for stages that
// must see its text.
func plain(p piece) piece {
	if p.byteLevel {
		p.s = byteLevelEncode(p.s)
		p.byteLevel = false
	}
	return p
}

type splitPre struct {
	pat      matcher
	behavior splitBehavior
	invert   bool
}

func (sp splitPre) preTokenize(p piece, emit func(piece)) {
	p = plain(p)
	if st, ok := sp.pat.(streamMatcher); ok && sp.behavior == behaviorIsolated && !sp.invert {
		// Matches of the hand-written patterns tile the text: every part
		// is a match, emitted as it is found.
		st.each(p.s, func(start, end int) { emit(p.sub(start, end)) })
		return
	}
	splitPiece(p, sp.pat.findAll, sp.behavior, sp.invert, emit)
}

// byteLevelPre is the GPT-2 byte-level pre-tokenizer.
type byteLevelPre struct {
	addPrefixSpace bool
	useRegex       bool
}

func (bl byteLevelPre) preTokenize(p piece, emit func(piece)) {
	p = plain(p)
	if bl.addPrefixSpace && !strings.HasPrefix(p.s, " ") {
		p.s = " " + p.s
	}
	p.byteLevel = true
	if !bl.useRegex {
		emit(p)
		return
	}
	gpt2Matcher{}.each(p.s, func(start, end int) { emit(p.sub(start, end)) })
}

type prependScheme uint8

const (
	prependAlways prependScheme = iota
	prependFirst
	prependNever
)

// metaspacePre replaces spaces with a marker (▁) and splits before it.
type metaspacePre struct {
	replacement string
	scheme      prependScheme
	split       bool
}

func (ms metaspacePre) preTokenize(p piece, emit func(piece)) {
	p = plain(p)
	if p.s == "" { // HF drops empty splits; nothing is prepended to them
		return
	}
	s := strings.ReplaceAll(p.s, " ", ms.replacement)
	if !strings.HasPrefix(s, ms.replacement) &&
		(ms.scheme == prependAlways || (ms.scheme == prependFirst && p.origin)) {
		s = ms.replacement + s
	}
	p.s = s
	if !ms.split {
		emit(p)
		return
	}
	splitPiece(p, literalMatcher(ms.replacement).findAll, behaviorMergedWithNext, false, emit)
}

// runMatcher returns a find function matching maximal runs of runes for
// which in reports true.
func runMatcher(in func(rune) bool) func(string) [][2]int {
	return func(s string) [][2]int {
		var out [][2]int
		start := -1
		for i, r := range s {
			if in(r) {
				if start < 0 {
					start = i
				}
			} else if start >= 0 {
				out = append(out, [2]int{start, i})
				start = -1
			}
		}
		if start >= 0 {
			out = append(out, [2]int{start, len(s)})
		}
		return out
	}
}

// eachRune returns a find function matching every rune for which in is true.
func eachRune(in func(rune) bool) func(string) [][2]int {
	return func(s string) [][2]int {
		var out [][2]int
		for i, r := range s {
			if in(r) {
				out = append(out, [2]int{i, i + utf8.RuneLen(r)})
			}
		}
		return out
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Pc, r)
}

// isPunct is HF's punctuation test: ASCII punctuation (which includes the
// symbols $+<=>^`|~) or a Unicode P* category.
func isPunct(r rune) bool {
	return unicode.IsPunct(r) || (r < 0x80 && strings.ContainsRune("$+<=>^`|~", r))
}

// whitespacePre keeps runs of word runes and runs of other non-space runes
// (the pattern \w+|[^\w\s]+).
type whitespacePre struct{}

func wordOrOtherRuns(s string) [][2]int {
	var out [][2]int
	kind := 0 // 0 none, 1 word, 2 other
	start := 0
	for i, r := range s {
		k := 2
		if isWordRune(r) {
			k = 1
		} else if unicode.IsSpace(r) {
			k = 0
		}
		if k != kind {
			if kind != 0 {
				out = append(out, [2]int{start, i})
			}
			kind, start = k, i
		}
	}
	if kind != 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

func (whitespacePre) preTokenize(p piece, emit func(piece)) {
	splitPiece(plain(p), wordOrOtherRuns, behaviorRemoved, true, emit)
}

type whitespaceSplitPre struct{}

func (whitespaceSplitPre) preTokenize(p piece, emit func(piece)) {
	splitPiece(plain(p), runMatcher(unicode.IsSpace), behaviorRemoved, false, emit)
}

type bertPre struct{}

func (bertPre) preTokenize(p piece, emit func(piece)) {
	splitPiece(plain(p), runMatcher(unicode.IsSpace), behaviorRemoved, false, func(q piece) {
		splitPiece(q, eachRune(isPunct), behaviorIsolated, false, emit)
	})
}

type digitsPre struct{ individual bool }

func (d digitsPre) preTokenize(p piece, emit func(piece)) {
	if d.individual {
		splitPiece(plain(p), eachRune(unicode.IsNumber), behaviorIsolated, false, emit)
		return
	}
	splitPiece(plain(p), runMatcher(unicode.IsNumber), behaviorIsolated, false, emit)
}

type punctuationPre struct{ behavior splitBehavior }

func (pp punctuationPre) preTokenize(p piece, emit func(piece)) {
	splitPiece(plain(p), eachRune(isPunct), pp.behavior, false, emit)
}

type charDelimiterPre struct{ delim rune }

func (c charDelimiterPre) preTokenize(p piece, emit func(piece)) {
	splitPiece(plain(p), eachRune(func(r rune) bool { return r == c.delim }), behaviorRemoved, false, emit)
}

type sequencePre []preTokenizer

// preTokenize chains the stages: the emit function of each stage feeds
// the next. The chain is built once per call, not once per piece.
func (seq sequencePre) preTokenize(p piece, emit func(piece)) {
	if len(seq) == 0 {
		emit(p)
		return
	}
	next := emit
	for i := len(seq) - 1; i >= 1; i-- {
		stage, after := seq[i], next
		next = func(q piece) { stage.preTokenize(q, after) }
	}
	seq[0].preTokenize(p, next)
}

// preTokenizerJSON holds the fields of every pre-tokenizer type.
type preTokenizerJSON struct {
	Type             string            `json:"type"`
	Pretokenizers    []json.RawMessage `json:"pretokenizers"`
	Pattern          json.RawMessage   `json:"pattern"`
	Behavior         string            `json:"behavior"`
	Invert           bool              `json:"invert"`
	AddPrefixSpace   *bool             `json:"add_prefix_space"`
	UseRegex         *bool             `json:"use_regex"`
	Replacement      *string           `json:"replacement"`
	PrependScheme    string            `json:"prepend_scheme"`
	Split            *bool             `json:"split"`
	IndividualDigits bool              `json:"individual_digits"`
	Delimiter        string            `json:"delimiter"`
}

// parsePreTokenizer builds a pre-tokenizer; JSON null gives nil.
func parsePreTokenizer(raw json.RawMessage) (preTokenizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var j preTokenizerJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	switch j.Type {
	case "Split":
		pat, err := parsePattern(j.Pattern)
		if err != nil {
			return nil, atField("pattern", err)
		}
		b, err := parseBehavior(j.Behavior)
		if err != nil {
			return nil, atField("behavior", err)
		}
		return splitPre{pat: pat, behavior: b, invert: j.Invert}, nil
	case "ByteLevel":
		return byteLevelPre{addPrefixSpace: boolOr(j.AddPrefixSpace, true), useRegex: boolOr(j.UseRegex, true)}, nil
	case "Metaspace":
		return parseMetaspace(j.Replacement, j.PrependScheme, j.AddPrefixSpace, j.Split)
	case "Whitespace":
		return whitespacePre{}, nil
	case "WhitespaceSplit":
		return whitespaceSplitPre{}, nil
	case "BertPreTokenizer":
		return bertPre{}, nil
	case "Digits":
		return digitsPre{individual: j.IndividualDigits}, nil
	case "Punctuation":
		b := behaviorIsolated
		if j.Behavior != "" {
			var err error
			if b, err = parseBehavior(j.Behavior); err != nil {
				return nil, atField("behavior", err)
			}
		}
		return punctuationPre{behavior: b}, nil
	case "CharDelimiterSplit":
		rs := []rune(j.Delimiter)
		if len(rs) != 1 {
			return nil, atField("delimiter", fmt.Errorf("want one character, got %q", j.Delimiter))
		}
		return charDelimiterPre{delim: rs[0]}, nil
	case "Sequence":
		seq := make(sequencePre, 0, len(j.Pretokenizers))
		for i, r := range j.Pretokenizers {
			p, err := parsePreTokenizer(r)
			if err != nil {
				return nil, atField(fmt.Sprintf("pretokenizers[%d]", i), err)
			}
			if p != nil {
				seq = append(seq, p)
			}
		}
		return seq, nil
	}
	return nil, &UnsupportedError{Kind: "pre_tokenizer", Type: j.Type}
}

// parseMetaspace reads Metaspace's fields, old (add_prefix_space) or new
// (prepend_scheme) style.
func parseMetaspace(repl *string, scheme string, addPrefix, split *bool) (metaspacePre, error) {
	p := metaspacePre{replacement: "▁", scheme: prependAlways, split: boolOr(split, true)}
	if repl != nil {
		if len([]rune(*repl)) != 1 {
			return p, atField("replacement", fmt.Errorf("want one character, got %q", *repl))
		}
		p.replacement = *repl
	}
	switch strings.ToLower(scheme) {
	case "always":
		p.scheme = prependAlways
	case "first":
		p.scheme = prependFirst
	case "never":
		p.scheme = prependNever
	case "":
		if addPrefix != nil && !*addPrefix {
			p.scheme = prependNever
		}
	default:
		return p, atField("prepend_scheme", fmt.Errorf("unknown value %q", scheme))
	}
	return p, nil
}
