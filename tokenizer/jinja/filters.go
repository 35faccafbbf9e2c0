package jinja

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// maxIndent bounds the indent widths of the tojson and indent filters.
const maxIndent = 1024

// filterFunc implements one filter; in is the filtered value.
type filterFunc func(r *renderer, in any, a callArgs) (any, error)

var filters map[string]filterFunc

func init() {
	filters = map[string]filterFunc{
		"abs":         filterAbs,
		"attr":        filterAttr,
		"batch":       filterBatch,
		"capitalize":  strFilter(capitalize),
		"center":      filterCenter,
		"count":       filterLength,
		"d":           filterDefault,
		"default":     filterDefault,
		"dictsort":    filterDictsort,
		"e":           strFilter(htmlEscape),
		"escape":      strFilter(htmlEscape),
		"first":       filterFirst,
		"float":       filterFloat,
		"forceescape": strFilter(htmlEscape),
		"format":      filterFormat,
		"indent":      filterIndent,
		"int":         filterInt,
		"items":       filterItems,
		"join":        filterJoin,
		"last":        filterLast,
		"length":      filterLength,
		"list":        filterList,
		"lower":       strFilter(pyLower),
		"map":         filterMap,
		"max":         filterMinMax(true),
		"min":         filterMinMax(false),
		"reject":      filterSelect(false, false),
		"rejectattr":  filterSelect(false, true),
		"replace":     filterReplace,
		"reverse":     filterReverse,
		"round":       filterRound,
		"safe":        func(_ *renderer, in any, _ callArgs) (any, error) { return in, nil },
		"select":      filterSelect(true, false),
		"selectattr":  filterSelect(true, true),
		"sort":        filterSort,
		"string":      func(_ *renderer, in any, _ callArgs) (any, error) { return pyStr(in), nil },
		"sum":         filterSum,
		"title":       strFilter(jinjaTitle),
		"tojson":      filterToJSON,
		"trim":        filterTrim,
		"truncate":    filterTruncate,
		"unique":      filterUnique,
		"upper":       strFilter(pyUpper),
		"wordcount":   filterWordcount,
	}
}

// applyFilter evaluates a filter call on in.
func (r *renderer) applyFilter(f *filterExpr, in any, s *scope) (any, error) {
	args, err := r.evalArgs(&f.argList, s)
	if err != nil {
		return nil, err
	}
	return r.callFilter(f.name, in, args)
}

func (r *renderer) callFilter(name string, in any, a callArgs) (any, error) {
	fn, ok := filters[name]
	if !ok {
		return nil, errorf("no filter named '%s'", name)
	}
	if err := r.charge(in); err != nil {
		return nil, err
	}
	return fn(r, in, a)
}

func strFilter(f func(string) string) filterFunc {
	return func(_ *renderer, in any, a callArgs) (any, error) {
		if len(a.pos)+len(a.kwNames) > 0 {
			return nil, errorf("filter takes no arguments")
		}
		return f(pyStr(in)), nil
	}
}

// jinjaTitle is Jinja2's title filter: capitalise each word, where words
// start after spaces, '-', and opening brackets.
func jinjaTitle(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		if pyIsSpace(r) || strings.ContainsRune("-({[<", r) {
			b.WriteRune(r)
			start = true
			continue
		}
		if start {
			b.WriteString(pyUpper(string(r))) // jinja2 uses upper(), not title case
		} else {
			b.WriteString(pyLower(string(r)))
		}
		start = false
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func filterAbs(_ *renderer, in any, _ callArgs) (any, error) {
	switch x := in.(type) {
	case int64:
		if x == math.MinInt64 {
			return nil, errorf("integer overflow")
		}
		return absInt(x), nil
	case float64:
		return math.Abs(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return nil, errorf("bad operand type for abs(): '%s'", typeName(in))
}

func filterAttr(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("attr", a, []string{"name"}, required)
	if err != nil {
		return nil, err
	}
	name, ok := args[0].(string)
	if !ok {
		return nil, errorf("attr: name must be a string")
	}
	return attrOnly(in, name), nil
}

// attrOnly is Python getattr without the item fallback: methods, namespace
// attributes and loop fields.
func attrOnly(obj any, name string) any {
	if _, isDict := obj.(*OrderedMap); isDict && !isDictMethod(name) {
		return Undefined{Name: name}
	}
	return getAttr(obj, name)
}

func filterCenter(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("center", a, []string{"width"}, int64(80))
	if err != nil {
		return nil, err
	}
	width, ok := args[0].(int64)
	if !ok {
		return nil, errorf("center: width must be an integer")
	}
	s := pyStr(in)
	n := int64(len([]rune(s)))
	if width <= n || width > maxRange {
		return s, nil
	}
	marg := width - n
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(" ", int(left)) + s + strings.Repeat(" ", int(marg-left)), nil
}

func pyLen(v any) (int, error) {
	switch x := v.(type) {
	case string:
		return len([]rune(x)), nil
	case []any:
		return len(x), nil
	case Tuple:
		return len(x), nil
	case *OrderedMap:
		return x.Len(), nil
	case Undefined:
		return 0, nil
	}
	return 0, errorf("object of type '%s' has no len()", typeName(v))
}

func filterLength(_ *renderer, in any, _ callArgs) (any, error) {
	n, err := pyLen(in)
	return int64(n), err
}

func filterDefault(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("default", a, []string{"default_value", "boolean"}, "", false)
	if err != nil {
		return nil, err
	}
	if isUndefined(in) || truthy(args[1]) && !truthy(in) {
		return args[0], nil
	}
	return in, nil
}

func filterFloat(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("float", a, []string{"default"}, 0.0)
	if err != nil {
		return nil, err
	}
	switch x := in.(type) {
	case Undefined:
		return nil, errorf("'%s' is undefined", x.Name)
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimFunc(x, pyIsSpace), 64); err == nil {
			return f, nil
		}
	}
	return args[0], nil
}

func filterInt(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("int", a, []string{"default", "base"}, int64(0), int64(10))
	if err != nil {
		return nil, err
	}
	switch x := in.(type) {
	case Undefined:
		return nil, errorf("'%s' is undefined", x.Name)
	case int64:
		return x, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
			return args[0], nil
		}
		return int64(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case string:
		base, _ := args[1].(int64)
		t := strings.ReplaceAll(strings.TrimFunc(x, pyIsSpace), "_", "")
		t = trimBasePrefix(t, base)
		if i, err := strconv.ParseInt(t, int(base), 64); err == nil {
			return i, nil
		}
		if f, err := strconv.ParseFloat(t, 64); err == nil && !math.IsNaN(f) && math.Abs(f) < 1<<63 {
			return int64(f), nil
		}
	}
	return args[0], nil
}

func filterReplace(r *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("replace", a, []string{"old", "new", "count"}, required, required, nil)
	if err != nil {
		return nil, err
	}
	n := int64(-1)
	if args[2] != nil {
		var ok bool
		if n, ok = args[2].(int64); !ok {
			return nil, errorf("replace: count must be an integer")
		}
	}
	s, old, nw := pyStr(in), pyStr(args[0]), pyStr(args[1])
	if err := r.checkReplaceSize(s, old, nw); err != nil {
		return nil, err
	}
	return strings.Replace(s, old, nw, int(n)), nil
}

func filterRound(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("round", a, []string{"precision", "method"}, int64(0), "common")
	if err != nil {
		return nil, err
	}
	prec, ok := args[0].(int64)
	if !ok {
		return nil, errorf("round: precision must be an integer")
	}
	_, f, isF, ok := number(in)
	if !ok {
		return nil, errorf("round: expected a number, got %s", typeName(in))
	}
	scale := math.Pow(10, float64(prec))
	var out float64
	switch args[1] {
	case "common":
		if !isF && prec >= 0 {
			i, _, _, _ := number(in) // ints (and bools, as ints) round to themselves
			return i, nil
		}
		out = math.RoundToEven(f*scale) / scale
	case "ceil":
		out = math.Ceil(f*scale) / scale
	case "floor":
		out = math.Floor(f*scale) / scale
	default:
		return nil, errorf("round: method must be common, ceil or floor")
	}
	return out, nil
}

func filterToJSON(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("tojson", a, []string{"ensure_ascii", "indent", "separators", "sort_keys"}, false, nil, nil, false)
	if err != nil {
		return nil, err
	}
	var indent *string
	switch x := args[1].(type) {
	case nil:
	case int64:
		if x > maxIndent {
			return nil, &evalError{kind: KindLimit, msg: fmt.Sprintf("tojson: indent %d exceeds the limit of %d", x, maxIndent)}
		}
		s := strings.Repeat(" ", int(max(0, x)))
		indent = &s
	case string:
		indent = &x
	default:
		return nil, errorf("tojson: indent must be an integer or string")
	}
	o := defaultJSONOptions(indent)
	o.ensureASCII = truthy(args[0])
	o.sortKeys = truthy(args[3])
	if args[2] != nil {
		seps, ok := asSeq(args[2])
		if !ok || len(seps) != 2 {
			return nil, errorf("tojson: separators must be a pair of strings")
		}
		item, ok1 := seps[0].(string)
		key, ok2 := seps[1].(string)
		if !ok1 || !ok2 {
			return nil, errorf("tojson: separators must be a pair of strings")
		}
		o.itemSep, o.keySep = item, key
	}
	return toJSON(in, o)
}

func filterTrim(_ *renderer, in any, a callArgs) (any, error) {
	chars, has, err := optChars("trim", a)
	if err != nil {
		return nil, err
	}
	return pyStrip(pyStr(in), "strip", chars, has), nil
}

func filterTruncate(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("truncate", a, []string{"length", "killwords", "end", "leeway"}, int64(255), false, "...", int64(5))
	if err != nil {
		return nil, err
	}
	length, ok1 := args[0].(int64)
	end, ok2 := args[2].(string)
	leeway, ok3 := args[3].(int64)
	if !ok1 || !ok2 || !ok3 {
		return nil, errorf("truncate: bad arguments")
	}
	// jinja2 measures the value itself, so short lists pass through and
	// values without a length are errors.
	n, err := pyLen(in)
	if err != nil {
		return nil, err
	}
	if int64(n) <= length+leeway {
		return in, nil
	}
	s, ok := in.(string)
	if !ok {
		return nil, errorf("truncate: cannot truncate %s", typeName(in))
	}
	rs := []rune(s)
	endLen := int64(len([]rune(end)))
	if length < endLen {
		return nil, errorf("expected length >= %d, got %d", endLen, length)
	}
	cut := string(rs[:length-endLen])
	if truthy(args[1]) {
		return cut + end, nil
	}
	if i := strings.LastIndex(cut, " "); i >= 0 {
		cut = cut[:i]
	}
	return cut + end, nil
}

func filterWordcount(_ *renderer, in any, _ callArgs) (any, error) {
	n := int64(0)
	inWord := false
	for _, r := range pyStr(in) {
		w := r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) // Python's \w
		if w && !inWord {
			n++
		}
		inWord = w
	}
	return n, nil
}

func filterIndent(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("indent", a, []string{"width", "first", "blank"}, int64(4), false, false)
	if err != nil {
		return nil, err
	}
	var pad string
	switch w := args[0].(type) {
	case int64:
		if w > maxIndent {
			return nil, &evalError{kind: KindLimit, msg: fmt.Sprintf("indent: width %d exceeds the limit of %d", w, maxIndent)}
		}
		pad = strings.Repeat(" ", int(max(0, w)))
	case string:
		pad = w
	default:
		return nil, errorf("indent: width must be an integer or string")
	}
	text, ok := in.(string)
	if !ok {
		return nil, errorf("indent: expected a string, got %s", typeName(in))
	}
	lines := splitLines(text+"\n", false)
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
			if line != "" || truthy(args[2]) {
				b.WriteString(pad)
			}
		}
		b.WriteString(line)
	}
	out := b.String()
	if truthy(args[1]) {
		out = pad + out
	}
	return out, nil
}

func filterFormat(r *renderer, in any, a callArgs) (any, error) {
	if len(a.kwNames) > 0 {
		m := NewOrderedMap()
		for i, k := range a.kwNames {
			m.Set(k, a.kwVals[i])
		}
		return percentFormat(pyStr(in), m, r.opts.MaxOutputBytes)
	}
	return percentFormat(pyStr(in), Tuple(a.pos), r.opts.MaxOutputBytes)
}

// trimBasePrefix drops the 0x/0o/0b prefix Python's int() accepts for the
// matching base; base 0 is left to strconv, which reads the prefix itself.
func trimBasePrefix(s string, base int64) string {
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	if len(s) > 2 && s[0] == '0' {
		p := s[1] | 0x20
		if base == 16 && p == 'x' || base == 8 && p == 'o' || base == 2 && p == 'b' {
			s = s[2:]
		}
	}
	return sign + s
}
