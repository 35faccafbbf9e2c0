package jinja

import (
	"fmt"
	"strings"
)

// Python string formatting: printf-style "fmt % args" (also the format
// filter) and str.format.

// percentFormat is Python's "fmt % args" for %s %r %d %i %f %x %%, with
// optional width/precision, and %(name)s against a dict.
// limit bounds the output size (and any field width) in bytes.
func percentFormat(f string, args any, limit int) (any, error) {
	var list []any
	var dict *OrderedMap
	mappingLike := false // Python skips the "not all arguments converted" check for these
	switch x := args.(type) {
	case Tuple:
		list = x
	case *OrderedMap:
		dict, mappingLike = x, true
		list = []any{x}
	case []any, Undefined:
		mappingLike = true
		list = []any{x}
	default:
		list = []any{x}
	}
	next := 0
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if b.Len() > limit {
			return nil, &evalError{kind: KindLimit, msg: "formatted string exceeded the size limit"}
		}
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return nil, errorf("incomplete format")
		}
		var v any
		haveV := false
		if f[i] == '(' {
			end := strings.IndexByte(f[i:], ')')
			if end < 0 || dict == nil {
				return nil, errorf("format requires a mapping")
			}
			key := f[i+1 : i+end]
			dv, ok := dict.vals[key]
			if !ok {
				return nil, errorf("format: key %q missing", key)
			}
			v, haveV = dv, true
			i += end + 1
		}
		j := i
		for j < len(f) && strings.IndexByte("-+ #0123456789.", f[j]) >= 0 {
			j++
		}
		if j >= len(f) {
			return nil, errorf("incomplete format")
		}
		spec, verb := f[i:j], f[j]
		i = j
		if err := checkSpecWidths(spec, limit); err != nil {
			return nil, err
		}
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if !haveV {
			if next >= len(list) {
				return nil, errorf("not enough arguments for format string")
			}
			v = list[next]
			next++
		}
		switch verb {
		case 's':
			b.WriteString(fmt.Sprintf("%"+spec+"s", pyStr(v)))
		case 'r':
			b.WriteString(fmt.Sprintf("%"+spec+"s", pyRepr(v)))
		case 'd', 'i':
			n, fl, isF, ok := number(v)
			if !ok {
				return nil, errorf("%%d format: a real number is required, not %s", typeName(v))
			}
			if isF {
				n = int64(fl)
			}
			b.WriteString(fmt.Sprintf("%"+spec+"d", n))
		case 'f', 'F', 'e', 'g', 'x', 'X', 'o':
			n, fl, isF, ok := number(v)
			if !ok {
				return nil, errorf("%%%c format: a number is required, not %s", verb, typeName(v))
			}
			if verb == 'x' || verb == 'X' || verb == 'o' {
				if isF {
					return nil, errorf("%%%c format: an integer is required", verb)
				}
				b.WriteString(fmt.Sprintf("%"+spec+string(verb), n))
			} else {
				if !strings.Contains(spec, ".") && verb != 'g' {
					spec += ".6"
				}
				b.WriteString(fmt.Sprintf("%"+spec+string(verb), fl))
			}
		default:
			return nil, errorf("unsupported format character '%c'", verb)
		}
	}
	if b.Len() > limit {
		return nil, &evalError{kind: KindLimit, msg: "formatted string exceeded the size limit"}
	}
	if !mappingLike && next < len(list) {
		return nil, errorf("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// pyFormat is str.format with positional ({} {0}) and keyword ({name})
// fields; format specs after ':' are not supported beyond being ignored
// for strings.
func pyFormat(f string, a callArgs, limit int) (any, error) {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			return nil, errorf("format: single '{' encountered in format string")
		}
		field := f[i+1 : i+end]
		i += end
		field, _, _ = strings.Cut(field, ":")
		field, _, _ = strings.Cut(field, "!")
		var v any
		switch {
		case field == "":
			if auto >= len(a.pos) {
				return nil, errorf("format: replacement index %d out of range", auto)
			}
			v = a.pos[auto]
			auto++
		case field[0] >= '0' && field[0] <= '9':
			idx := 0
			for _, d := range field {
				if d < '0' || d > '9' {
					return nil, errorf("format: bad field %q", field)
				}
				idx = idx*10 + int(d-'0')
				if idx > len(a.pos) {
					break
				}
			}
			if idx >= len(a.pos) {
				return nil, errorf("format: replacement index %d out of range", idx)
			}
			v = a.pos[idx]
		default:
			found := false
			for k, name := range a.kwNames {
				if name == field {
					v, found = a.kwVals[k], true
				}
			}
			if !found {
				return nil, errorf("format: missing keyword argument '%s'", field)
			}
		}
		b.WriteString(pyStr(v))
		if b.Len() > limit {
			return nil, &evalError{kind: KindLimit, msg: "formatted string exceeded the size limit"}
		}
	}
	return b.String(), nil
}

// checkSpecWidths rejects printf widths and precisions larger than limit,
// before fmt allocates them.
func checkSpecWidths(spec string, limit int) error {
	n := 0
	for i := 0; i <= len(spec); i++ {
		if i < len(spec) && spec[i] >= '0' && spec[i] <= '9' {
			n = n*10 + int(spec[i]-'0')
			if n > limit {
				return &evalError{kind: KindLimit, msg: "format width exceeded the size limit"}
			}
			continue
		}
		n = 0
	}
	return nil
}
