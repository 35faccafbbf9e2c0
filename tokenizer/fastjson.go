package tokenizer

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON scanner for the two large values of tokenizer.json — the
// vocabulary object and the merges list — which encoding/json decodes
// several times slower. Anything it does not expect makes it fail, and the
// caller falls back to encoding/json (which then reports the error).

var errFastJSON = errors.New("fastjson: unexpected input")

type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str reads a JSON string.
func (s *scanner) str() (string, error) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return "", errFastJSON
	}
	s.i++
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '"' {
			out := string(s.b[start:s.i])
			s.i++
			if !utf8.ValidString(out) {
				return "", errFastJSON
			}
			return out, nil
		}
		if c == '\\' {
			return s.strSlow(start)
		}
		if c < 0x20 {
			return "", errFastJSON
		}
		s.i++
	}
	return "", errFastJSON
}

// strSlow decodes a string holding escapes, from its first byte at start.
func (s *scanner) strSlow(start int) (string, error) {
	buf := append([]byte(nil), s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			if !utf8.Valid(buf) {
				return "", errFastJSON
			}
			return string(buf), nil
		case c < 0x20:
			return "", errFastJSON
		case c != '\\':
			buf = append(buf, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			return "", errFastJSON
		}
		e := s.b[s.i+1]
		s.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return "", errFastJSON
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					save := s.i
					s.i += 2
					if x, ok := s.hex4(); ok {
						r2 = x
					} else {
						s.i = save
					}
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", errFastJSON
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", errFastJSON
		}
	}
	return "", errFastJSON
}

func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s.b[s.i:s.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	s.i += 4
	return rune(v), true
}

// int32 reads a non-negative integer.
func (s *scanner) int32() (int32, error) {
	s.ws()
	start := s.i
	var v int64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		v = v*10 + int64(s.b[s.i]-'0')
		if v > 1<<31-1 {
			return 0, errFastJSON
		}
		s.i++
	}
	if s.i == start {
		return 0, errFastJSON
	}
	return int32(v), nil
}

func (s *scanner) end() error {
	s.ws()
	if s.i != len(s.b) {
		return errFastJSON
	}
	return nil
}

// fastVocab decodes {"token": id, ...}.
func fastVocab(b []byte) (map[string]int32, error) {
	s := &scanner{b: b}
	if !s.eat('{') {
		return nil, errFastJSON
	}
	m := make(map[string]int32, len(b)/16)
	if s.eat('}') {
		return m, s.end()
	}
	for {
		k, err := s.str()
		if err != nil {
			return nil, err
		}
		if !s.eat(':') {
			return nil, errFastJSON
		}
		v, err := s.int32()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return m, s.end()
		}
		return nil, errFastJSON
	}
}

// fastMerges decodes [["a", "b"], ...] or ["a b", ...]; the second form is
// returned as strings for the caller to split.
func fastMerges(b []byte) (pairs [][2]string, lines []string, err error) {
	s := &scanner{b: b}
	if !s.eat('[') {
		return nil, nil, errFastJSON
	}
	if s.eat(']') {
		return nil, nil, s.end()
	}
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '"' {
		for {
			l, err := s.str()
			if err != nil {
				return nil, nil, err
			}
			lines = append(lines, l)
			if s.eat(',') {
				continue
			}
			if s.eat(']') {
				return nil, lines, s.end()
			}
			return nil, nil, errFastJSON
		}
	}
	pairs = make([][2]string, 0, len(b)/16)
	for {
		if !s.eat('[') {
			return nil, nil, errFastJSON
		}
		a, err := s.str()
		if err != nil {
			return nil, nil, err
		}
		if !s.eat(',') {
			return nil, nil, errFastJSON
		}
		c, err := s.str()
		if err != nil {
			return nil, nil, err
		}
		if !s.eat(']') {
			return nil, nil, errFastJSON
		}
		pairs = append(pairs, [2]string{a, c})
		if s.eat(',') {
			continue
		}
		if s.eat(']') {
			return pairs, nil, s.end()
		}
		return nil, nil, errFastJSON
	}
}

// skipValue moves past one JSON value without decoding it (the value is
// checked for balance only; encoding/json validates the small parts later).
func (s *scanner) skipValue() error {
	s.ws()
	if s.i >= len(s.b) {
		return errFastJSON
	}
	switch s.b[s.i] {
	case '"':
		s.i++
		for {
			k := bytes.IndexByte(s.b[s.i:], '"')
			if k < 0 {
				return errFastJSON
			}
			q := s.i + k
			// The quote is escaped when an odd number of backslashes
			// precede it.
			bs := 0
			for j := q - 1; j >= s.i && s.b[j] == '\\'; j-- {
				bs++
			}
			s.i = q + 1
			if bs%2 == 0 {
				return nil
			}
		}
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if err := s.skipValue(); err != nil {
					return err
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return nil
				}
			}
			s.i++
		}
		return errFastJSON
	default:
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return nil
			}
			s.i++
		}
		return nil
	}
}

// fastObject splits a JSON object into its members' raw values.
func fastObject(b []byte) (map[string][]byte, error) {
	s := &scanner{b: b}
	if !s.eat('{') {
		return nil, errFastJSON
	}
	m := map[string][]byte{}
	if s.eat('}') {
		return m, s.end()
	}
	for {
		k, err := s.str()
		if err != nil {
			return nil, err
		}
		if !s.eat(':') {
			return nil, errFastJSON
		}
		s.ws()
		start := s.i
		if err := s.skipValue(); err != nil {
			return nil, err
		}
		m[k] = b[start:s.i]
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return m, s.end()
		}
		return nil, errFastJSON
	}
}
