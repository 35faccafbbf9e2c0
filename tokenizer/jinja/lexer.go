package jinja

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenType int

const (
	tData tokenType = iota
	tVarBegin
	tVarEnd
	tBlockBegin
	tBlockEnd
	tName
	tString
	tInt
	tFloat
	tOp
	tEOF
)

type token struct {
	typ  tokenType
	val  string // data text, name, unescaped string, operator, number text
	ival int64
	fval float64
	line int
}

func (t token) String() string {
	switch t.typ {
	case tData:
		return "template data"
	case tVarBegin:
		return "'{{'"
	case tVarEnd:
		return "'}}'"
	case tBlockBegin:
		return "'{%'"
	case tBlockEnd:
		return "'%}'"
	case tString:
		return "string " + strconv.Quote(t.val)
	case tEOF:
		return "end of template"
	}
	return "'" + t.val + "'"
}

// lexer splits a template into data and tag tokens, applying Jinja2's
// whitespace control ("-" and "+" markers, trim_blocks, lstrip_blocks).
type lexer struct {
	src      string
	pos      int
	opts     Options
	toks     []token
	newlines []int // offsets of '\n' in src, for line numbers
	// lineStarting is Jinja2's flag: the text consumed by the previous tag
	// ended in a newline (or nothing was consumed yet).
	lineStarting bool
}

// prepareSource normalises newlines to "\n" and drops one trailing newline,
// as Jinja2 does with keep_trailing_newline=False.
func prepareSource(src string) string {
	if strings.ContainsRune(src, '\r') {
		src = strings.ReplaceAll(src, "\r\n", "\n")
		src = strings.ReplaceAll(src, "\r", "\n")
	}
	return strings.TrimSuffix(src, "\n")
}

func lex(src string, opts Options) ([]token, *evalError) {
	lx := &lexer{src: src, opts: opts, lineStarting: true}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lx.newlines = append(lx.newlines, i)
		}
	}
	if err := lx.run(); err != nil {
		return nil, err
	}
	lx.toks = append(lx.toks, token{typ: tEOF, line: lx.lineAt(len(src))})
	return lx.toks, nil
}

func (lx *lexer) lineAt(off int) int {
	return sort.SearchInts(lx.newlines, off) + 1
}

func (lx *lexer) fail(off int, format string, args ...any) *evalError {
	e := errorf(format, args...)
	e.kind = KindSyntax
	e.line = lx.lineAt(off)
	return e
}

// nextOpener finds the next "{{", "{%" or "{#" at or after from.
func (lx *lexer) nextOpener(from int) int {
	for i := from; i+1 < len(lx.src); {
		j := strings.IndexByte(lx.src[i:], '{')
		if j < 0 || i+j+1 >= len(lx.src) {
			return -1
		}
		i += j
		switch lx.src[i+1] {
		case '{', '%', '#':
			return i
		}
		i++
	}
	return -1
}

func (lx *lexer) emitData(text string, off int) {
	if text != "" {
		lx.toks = append(lx.toks, token{typ: tData, val: text, line: lx.lineAt(off)})
	}
}

// stripBefore applies the opening tag's whitespace control to the data that
// precedes it. sign is '-', '+' or 0; isVar tells a {{ tag.
func (lx *lexer) stripBefore(text string, sign byte, isVar bool) string {
	if sign == '-' {
		return strings.TrimRightFunc(text, pyIsSpace)
	}
	if sign == '+' || !lx.opts.LstripBlocks || isVar {
		return text
	}
	lpos := strings.LastIndexByte(text, '\n') + 1
	if lpos == 0 && !lx.lineStarting {
		return text
	}
	tail := text[lpos:]
	if tail != "" && strings.TrimLeftFunc(tail, pyIsSpace) == "" {
		return text[:lpos]
	}
	return text
}

// skipAfter consumes what follows a closing tag: all whitespace after "-",
// one newline after a block or comment end when TrimBlocks is on (unless
// the tag ended with "+").
func (lx *lexer) skipAfter(sign byte, trim bool) {
	start := lx.pos
	switch {
	case sign == '-':
		lx.pos = len(lx.src) - len(strings.TrimLeftFunc(lx.src[lx.pos:], pyIsSpace))
	case sign == '+':
	case trim && lx.opts.TrimBlocks && lx.pos < len(lx.src) && lx.src[lx.pos] == '\n':
		lx.pos++
	}
	lx.lineStarting = lx.pos > start && lx.src[lx.pos-1] == '\n'
}

func (lx *lexer) run() *evalError {
	for lx.pos < len(lx.src) {
		at := lx.nextOpener(lx.pos)
		if at < 0 {
			lx.emitData(lx.src[lx.pos:], lx.pos)
			return nil
		}
		text := lx.src[lx.pos:at]
		kind := lx.src[at+1]
		p := at + 2
		var sign byte
		if p < len(lx.src) && (lx.src[p] == '-' || lx.src[p] == '+') {
			sign = lx.src[p]
			p++
		}
		dataOff := lx.pos
		switch kind {
		case '#':
			lx.emitData(lx.stripBefore(text, sign, false), dataOff)
			if err := lx.comment(at, p); err != nil {
				return err
			}
		case '%':
			if end, ok := matchRawBegin(lx.src, p); ok {
				lx.emitData(lx.stripBefore(text, sign, false), dataOff)
				if err := lx.raw(at, end); err != nil {
					return err
				}
				continue
			}
			lx.emitData(lx.stripBefore(text, sign, false), dataOff)
			lx.toks = append(lx.toks, token{typ: tBlockBegin, line: lx.lineAt(at)})
			lx.pos = p
			if err := lx.tag('%'); err != nil {
				return err
			}
		case '{':
			lx.emitData(lx.stripBefore(text, sign, true), dataOff)
			lx.toks = append(lx.toks, token{typ: tVarBegin, line: lx.lineAt(at)})
			lx.pos = p
			if err := lx.tag('}'); err != nil {
				return err
			}
		}
	}
	return nil
}

func (lx *lexer) comment(at, p int) *evalError {
	end := strings.Index(lx.src[p:], "#}")
	if end < 0 {
		return lx.fail(at, "unterminated comment")
	}
	end += p
	var sign byte
	if end > p && (lx.src[end-1] == '-' || lx.src[end-1] == '+') {
		sign = lx.src[end-1]
	}
	lx.pos = end + 2
	lx.skipAfter(sign, true)
	return nil
}

// matchRawBegin recognises "raw" followed by "%}" or "-%}" (not "+%}", as
// in Jinja2) after an opening "{%"; it returns the offset after the tag.
func matchRawBegin(src string, p int) (int, bool) {
	q := skipSpaces(src, p)
	if !strings.HasPrefix(src[q:], "raw") {
		return 0, false
	}
	q = skipSpaces(src, q+3)
	if q < len(src) && src[q] == '-' {
		q++
	}
	if !strings.HasPrefix(src[q:], "%}") {
		return 0, false
	}
	return q + 2, true
}

func skipSpaces(src string, p int) int {
	for p < len(src) && pyIsSpace(rune(src[p])) && src[p] < utf8.RuneSelf {
		p++
	}
	return p
}

// raw copies everything up to {% endraw %} as data.
func (lx *lexer) raw(at, bodyStart int) *evalError {
	// A "-%}" ending the raw tag strips whitespace at the start of the body.
	if lx.src[bodyStart-3] == '-' {
		bodyStart = len(lx.src) - len(strings.TrimLeftFunc(lx.src[bodyStart:], pyIsSpace))
	}
	for search := bodyStart; ; {
		i := strings.Index(lx.src[search:], "{%")
		if i < 0 {
			return lx.fail(at, "missing endraw for raw block")
		}
		i += search
		q := i + 2
		var sign byte
		if q < len(lx.src) && (lx.src[q] == '-' || lx.src[q] == '+') {
			sign = lx.src[q]
			q++
		}
		q = skipSpaces(lx.src, q)
		if !strings.HasPrefix(lx.src[q:], "endraw") {
			search = i + 2
			continue
		}
		q = skipSpaces(lx.src, q+6)
		var endSign byte
		if q < len(lx.src) && (lx.src[q] == '-' || lx.src[q] == '+') {
			endSign = lx.src[q]
			q++
		}
		if !strings.HasPrefix(lx.src[q:], "%}") {
			search = i + 2
			continue
		}
		lx.lineStarting = false
		body := lx.src[bodyStart:i]
		lx.emitData(lx.stripBefore(body, sign, false), bodyStart)
		lx.pos = q + 2
		lx.skipAfter(endSign, true)
		return nil
	}
}

// tag lexes expression tokens until the closing "}}" (closer '}') or "%}"
// (closer '%').
func (lx *lexer) tag(closer byte) *evalError {
	depth := 0
	start := lx.pos
	for {
		// skip whitespace
		for lx.pos < len(lx.src) {
			r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
			if !pyIsSpace(r) {
				break
			}
			lx.pos += n
		}
		if lx.pos >= len(lx.src) {
			return lx.fail(start, "unexpected end of template inside a tag")
		}
		s := lx.src[lx.pos:]
		if depth == 0 {
			var sign byte
			rest := s
			if rest[0] == '-' || rest[0] == '+' {
				sign = rest[0]
				rest = rest[1:]
			}
			if len(rest) >= 2 && rest[0] == closer && rest[1] == '}' && (sign != '+' || closer == '%') {
				line := lx.lineAt(lx.pos)
				lx.pos += len(s) - len(rest) + 2
				if closer == '}' {
					lx.toks = append(lx.toks, token{typ: tVarEnd, line: line})
					lx.skipAfter(sign, false)
				} else {
					lx.toks = append(lx.toks, token{typ: tBlockEnd, line: line})
					lx.skipAfter(sign, true)
				}
				return nil
			}
		}
		line := lx.lineAt(lx.pos)
		c := s[0]
		switch {
		case c == '\'' || c == '"':
			val, n, ok := unescapeString(s)
			if !ok {
				return lx.fail(lx.pos, "unterminated string literal")
			}
			lx.toks = append(lx.toks, token{typ: tString, val: val, line: line})
			lx.pos += n
		case c >= '0' && c <= '9':
			afterDot := len(lx.toks) > 0 && lx.toks[len(lx.toks)-1].typ == tOp && lx.toks[len(lx.toks)-1].val == "."
			tok, n, err := lexNumber(s, afterDot)
			if err != "" {
				return lx.fail(lx.pos, "%s", err)
			}
			tok.line = line
			lx.toks = append(lx.toks, tok)
			lx.pos += n
		case c == '_' || isASCIILetter(c) || c >= utf8.RuneSelf:
			n := 0
			for n < len(s) {
				r, w := utf8.DecodeRuneInString(s[n:])
				if r == '_' || unicode.IsLetter(r) || (n > 0 && unicode.IsDigit(r)) {
					n += w
					continue
				}
				break
			}
			if n == 0 {
				return lx.fail(lx.pos, "unexpected character %q", firstRune(s))
			}
			lx.toks = append(lx.toks, token{typ: tName, val: s[:n], line: line})
			lx.pos += n
		default:
			op := matchOperator(s)
			if op == "" {
				return lx.fail(lx.pos, "unexpected character %q", firstRune(s))
			}
			switch op {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth > 0 {
					depth--
				}
			}
			lx.toks = append(lx.toks, token{typ: tOp, val: op, line: line})
			lx.pos += len(op)
		}
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

var operators = []string{
	"//", "**", "==", "!=", "<=", ">=",
	"+", "-", "*", "/", "%", "~", "<", ">", "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}", ";",
}

func matchOperator(s string) string {
	for _, op := range operators {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	return ""
}

// lexNumber reads an integer or float literal (digits may be separated by
// single underscores). After a "." only an integer is read, so x.0.1 is two
// item lookups.
func lexNumber(s string, intOnly bool) (token, int, string) {
	digits := func(i int) int {
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '_' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' && i > 0 && s[i-1] >= '0' && s[i-1] <= '9') {
			i++
		}
		return i
	}
	n := digits(0)
	isFloat := false
	if !intOnly {
		if n+1 < len(s) && s[n] == '.' && s[n+1] >= '0' && s[n+1] <= '9' {
			n = digits(n + 1)
			isFloat = true
		}
		if n < len(s) && (s[n] == 'e' || s[n] == 'E') {
			m := n + 1
			if m < len(s) && (s[m] == '+' || s[m] == '-') {
				m++
			}
			if m < len(s) && s[m] >= '0' && s[m] <= '9' {
				n = digits(m)
				isFloat = true
			}
		}
	}
	text := strings.ReplaceAll(s[:n], "_", "")
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return token{}, n, "bad float literal " + s[:n]
		}
		return token{typ: tFloat, val: s[:n], fval: f}, n, ""
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return token{}, n, "integer literal out of range: " + s[:n]
	}
	return token{typ: tInt, val: s[:n], ival: i}, n, ""
}

// unescapeString reads a quoted literal at the start of s and decodes
// Python's backslash escapes. It returns the value and the bytes consumed.
func unescapeString(s string) (string, int, bool) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		if c == q {
			return b.String(), i + 1, true
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return "", 0, false
		}
		e := s[i+1]
		i += 2
		switch e {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+width > len(s) {
				return "", 0, false
			}
			v, err := strconv.ParseUint(s[i:i+width], 16, 32)
			if err != nil || v > unicode.MaxRune {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			b.WriteRune(rune(v))
			i += width
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(e - '0')
			for k := 0; k < 2 && i < len(s) && s[i] >= '0' && s[i] <= '7'; k++ {
				v = v*8 + int(s[i]-'0')
				i++
			}
			b.WriteRune(rune(v))
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return "", 0, false
}

// pyIsSpace is Python's str.isspace for one character.
func pyIsSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85:
		return true
	}
	return r > 0x7f && unicode.IsSpace(r)
}
