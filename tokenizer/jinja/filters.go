package jinja

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

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
		"lower":       strFilter(strings.ToLower),
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
		"upper":       strFilter(strings.ToUpper),
		"wordcount":   filterWordcount,
	}
}

// applyFilter evaluates a filter call on in.
func (r *renderer) applyFilter(f *filterExpr, in any, s *scope) (any, error) {
	args, err := r.evalArgs(f.args, f.kwNames, f.kwValues, s)
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
			b.WriteRune(unicode.ToTitle(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
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

func filterBatch(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("batch", a, []string{"linecount", "fill_with"}, required, nil)
	if err != nil {
		return nil, err
	}
	n, ok := args[0].(int64)
	if !ok || n <= 0 {
		return nil, errorf("batch: linecount must be a positive integer")
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	var out []any
	for i := 0; i < len(items); i += int(n) {
		end := min(i+int(n), len(items))
		row := append([]any(nil), items[i:end]...)
		if args[1] != nil {
			for len(row) < int(n) {
				row = append(row, args[1])
			}
		}
		out = append(out, row)
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
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

// sortKey prepares a value for case-insensitive comparison.
func sortKey(v any, caseSensitive bool) any {
	if s, ok := v.(string); ok && !caseSensitive {
		return strings.ToLower(s)
	}
	return v
}

// sortValues sorts items stably by key(item); errors from incomparable
// values are reported.
func sortValues(items []any, key func(any) any, reverse bool) ([]any, error) {
	out := append([]any(nil), items...)
	keys := make([]any, len(out))
	for i, it := range out {
		keys[i] = key(it)
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := keys[idx[i]], keys[idx[j]]
		if reverse {
			a, b = b, a
		}
		lt, err := less(a, b)
		if err != nil && sortErr == nil {
			sortErr = err
		}
		return lt
	})
	if sortErr != nil {
		return nil, sortErr
	}
	sorted := make([]any, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted, nil
}

func filterDictsort(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("dictsort", a, []string{"case_sensitive", "by", "reverse"}, false, "key", false)
	if err != nil {
		return nil, err
	}
	d, ok := in.(*OrderedMap)
	if !ok {
		return nil, errorf("dictsort: expected a dict, got %s", typeName(in))
	}
	pos := 0
	switch args[1] {
	case "key":
	case "value":
		pos = 1
	default:
		return nil, errorf("dictsort: you can only sort by either 'key' or 'value'")
	}
	items := make([]any, len(d.keys))
	for i, k := range d.keys {
		items[i] = Tuple{k, d.vals[k]}
	}
	cs := truthy(args[0])
	return sortValues(items, func(v any) any { return sortKey(v.(Tuple)[pos], cs) }, truthy(args[2]))
}

func filterFirst(_ *renderer, in any, _ callArgs) (any, error) {
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return Undefined{Name: "first item"}, nil
	}
	return items[0], nil
}

func filterLast(_ *renderer, in any, _ callArgs) (any, error) {
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return Undefined{Name: "last item"}, nil
	}
	return items[len(items)-1], nil
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

func filterItems(_ *renderer, in any, _ callArgs) (any, error) {
	switch x := in.(type) {
	case Undefined:
		return []any{}, nil
	case *OrderedMap:
		return dictMethod(x, "items", callArgs{})
	}
	return nil, errorf("can only get item pairs from a mapping, not %s", typeName(in))
}

// attrGetter follows a dotted attribute path ("a.b", "0.name"): each part
// is an item lookup (integers for digit parts), as Jinja2's make_attrgetter.
func attrGetter(path any) (func(any) any, error) {
	switch p := path.(type) {
	case int64:
		return func(v any) any { return getItem(v, p) }, nil
	case string:
		parts := strings.Split(p, ".")
		keys := make([]any, len(parts))
		for i, part := range parts {
			if n, err := strconv.ParseInt(part, 10, 64); err == nil {
				keys[i] = n
			} else {
				keys[i] = part
			}
		}
		return func(v any) any {
			for _, k := range keys {
				v = getItem(v, k)
			}
			return v
		}, nil
	}
	return nil, errorf("attribute must be a string or integer, got %s", typeName(path))
}

func filterJoin(r *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("join", a, []string{"d", "attribute"}, "", nil)
	if err != nil {
		return nil, err
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	if args[1] != nil {
		get, err := attrGetter(args[1])
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			if i == 0 {
				items = append([]any(nil), items...)
			}
			items[i] = get(it)
		}
	}
	var b strings.Builder
	sep := pyStr(args[0])
	for i, it := range items {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(pyStr(it))
		if err := r.checkSize(b.Len()); err != nil {
			return nil, err
		}
	}
	return b.String(), nil
}

func filterList(_ *renderer, in any, _ callArgs) (any, error) {
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	return append([]any{}, items...), nil
}

func filterMap(r *renderer, in any, a callArgs) (any, error) {
	if !truthy(in) { // jinja2 maps over a false value (None, 0, "") as empty
		return []any{}, nil
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	var fn func(any) (any, error)
	if len(a.pos) == 0 {
		var attr, def any
		hasDef := false
		for i, k := range a.kwNames {
			switch k {
			case "attribute":
				attr = a.kwVals[i]
			case "default":
				def, hasDef = a.kwVals[i], true
			default:
				return nil, errorf("map: unexpected keyword argument '%s'", k)
			}
		}
		if attr == nil {
			return nil, errorf("map requires a filter name or attribute=")
		}
		get, err := attrGetter(attr)
		if err != nil {
			return nil, err
		}
		fn = func(v any) (any, error) {
			out := get(v)
			if hasDef && isUndefined(out) {
				return def, nil
			}
			return out, nil
		}
	} else {
		name, ok := a.pos[0].(string)
		if !ok {
			return nil, errorf("map: filter name must be a string")
		}
		rest := callArgs{pos: a.pos[1:], kwNames: a.kwNames, kwVals: a.kwVals}
		fn = func(v any) (any, error) { return r.callFilter(name, v, rest) }
	}
	out := make([]any, len(items))
	for i, it := range items {
		if out[i], err = fn(it); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func filterMinMax(isMax bool) filterFunc {
	return func(_ *renderer, in any, a callArgs) (any, error) {
		args, err := bindArgs("min/max", a, []string{"case_sensitive", "attribute"}, false, nil)
		if err != nil {
			return nil, err
		}
		items, err := iterate(in)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return Undefined{Name: "min/max of empty sequence"}, nil
		}
		get := func(v any) any { return v }
		if args[1] != nil {
			if get, err = attrGetter(args[1]); err != nil {
				return nil, err
			}
		}
		cs := truthy(args[0])
		best := items[0]
		for _, it := range items[1:] {
			lt, err := less(sortKey(get(it), cs), sortKey(get(best), cs))
			if err != nil {
				return nil, err
			}
			gt, err := less(sortKey(get(best), cs), sortKey(get(it), cs))
			if err != nil {
				return nil, err
			}
			if (!isMax && lt) || (isMax && gt) {
				best = it
			}
		}
		return best, nil
	}
}

// filterSelect builds select/reject (attr=false) and selectattr/rejectattr.
func filterSelect(keep, attr bool) filterFunc {
	return func(r *renderer, in any, a callArgs) (any, error) {
		if !truthy(in) { // jinja2 filters a false value (None, 0, "") as empty
			return []any{}, nil
		}
		items, err := iterate(in)
		if err != nil {
			return nil, err
		}
		get := func(v any) any { return v }
		rest := a.pos
		if attr {
			if len(rest) == 0 {
				return nil, errorf("missing parameter for attribute name")
			}
			if get, err = attrGetter(rest[0]); err != nil {
				return nil, err
			}
			rest = rest[1:]
		}
		var test func(any) (bool, error)
		if len(rest) == 0 {
			test = func(v any) (bool, error) { return truthy(v), nil }
		} else {
			name, ok := rest[0].(string)
			if !ok {
				return nil, errorf("test name must be a string")
			}
			targs := callArgs{pos: rest[1:], kwNames: a.kwNames, kwVals: a.kwVals}
			test = func(v any) (bool, error) { return r.runTest(name, v, targs) }
		}
		out := []any{}
		for _, it := range items {
			ok, err := test(get(it))
			if err != nil {
				return nil, err
			}
			if ok == keep {
				out = append(out, it)
			}
		}
		return out, nil
	}
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

func filterReverse(_ *renderer, in any, _ callArgs) (any, error) {
	if s, ok := in.(string); ok {
		rs := []rune(s)
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return string(rs), nil
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return out, nil
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

func filterSort(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("sort", a, []string{"reverse", "case_sensitive", "attribute"}, false, false, nil)
	if err != nil {
		return nil, err
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	get := func(v any) any { return v }
	if args[2] != nil {
		if get, err = attrGetter(args[2]); err != nil {
			return nil, err
		}
	}
	cs := truthy(args[1])
	return sortValues(items, func(v any) any { return sortKey(get(v), cs) }, truthy(args[0]))
}

func filterSum(r *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("sum", a, []string{"attribute", "start"}, nil, int64(0))
	if err != nil {
		return nil, err
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	get := func(v any) any { return v }
	if args[0] != nil {
		if get, err = attrGetter(args[0]); err != nil {
			return nil, err
		}
	}
	total := args[1]
	for _, it := range items {
		if total, err = r.arith("+", total, get(it)); err != nil {
			return nil, err
		}
	}
	return total, nil
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
		s := strings.Repeat(" ", int(max(0, min(x, 64))))
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

func filterUnique(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("unique", a, []string{"case_sensitive", "attribute"}, false, nil)
	if err != nil {
		return nil, err
	}
	items, err := iterate(in)
	if err != nil {
		return nil, err
	}
	get := func(v any) any { return v }
	if args[1] != nil {
		if get, err = attrGetter(args[1]); err != nil {
			return nil, err
		}
	}
	cs := truthy(args[0])
	out := []any{}
	var seen []any
outer:
	for _, it := range items {
		k := sortKey(get(it), cs)
		if !hashable(k) {
			return nil, errorf("unhashable type: '%s'", typeName(k))
		}
		for _, s := range seen {
			if equal(s, k) {
				continue outer
			}
		}
		seen = append(seen, k)
		out = append(out, it)
	}
	return out, nil
}

// hashable reports whether Python could use v as a dict key or set member.
func hashable(v any) bool {
	switch x := v.(type) {
	case []any, *OrderedMap, *namespace:
		return false
	case Tuple:
		for _, e := range x {
			if !hashable(e) {
				return false
			}
		}
	}
	return true
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

func filterWordcount(_ *renderer, in any, _ callArgs) (any, error) {
	return int64(len(wordRe.FindAllStringIndex(pyStr(in), -1))), nil
}

func filterIndent(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("indent", a, []string{"width", "first", "blank"}, int64(4), false, false)
	if err != nil {
		return nil, err
	}
	var pad string
	switch w := args[0].(type) {
	case int64:
		pad = strings.Repeat(" ", int(max(0, min(w, 1024))))
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

func filterFormat(_ *renderer, in any, a callArgs) (any, error) {
	if len(a.kwNames) > 0 {
		m := NewOrderedMap()
		for i, k := range a.kwNames {
			m.Set(k, a.kwVals[i])
		}
		return percentFormat(pyStr(in), m)
	}
	return percentFormat(pyStr(in), Tuple(a.pos))
}

// percentFormat is Python's "fmt % args" for %s %r %d %i %f %x %%, with
// optional width/precision, and %(name)s against a dict.
func percentFormat(f string, args any) (any, error) {
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
	if !mappingLike && next < len(list) {
		return nil, errorf("not all arguments converted during string formatting")
	}
	return b.String(), nil
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
