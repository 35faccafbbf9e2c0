package jinja

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Filters over sequences and mappings: selection, mapping, ordering and
// aggregation, with jinja2's attribute= paths and case-insensitive defaults.

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

func filterBatch(_ *renderer, in any, a callArgs) (any, error) {
	args, err := bindArgs("batch", a, []string{"linecount", "fill_with"}, required, nil)
	if err != nil {
		return nil, err
	}
	n, ok := args[0].(int64)
	if !ok || n <= 0 {
		return nil, errorf("batch: linecount must be a positive integer")
	}
	if err := checkListLen(int(min(n, maxListLen+1))); err != nil {
		return nil, err
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
	seen := map[string]bool{}
	for _, it := range items {
		k := sortKey(get(it), cs)
		if !hashable(k) {
			return nil, errorf("unhashable type: '%s'", typeName(k))
		}
		h := hashKey(k)
		if !seen[h] {
			seen[h] = true
			out = append(out, it)
		}
	}
	return out, nil
}

// hashKey maps a hashable value to a string that is equal for values
// Python considers equal (1 == 1.0 == True).
func hashKey(v any) string {
	switch x := v.(type) {
	case string:
		return "s" + x
	case bool:
		if x {
			return "n1"
		}
		return "n0"
	case int64:
		return "n" + strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return "n" + strconv.FormatInt(int64(x), 10)
		}
		return "f" + formatFloat(x)
	case Tuple:
		var b strings.Builder
		b.WriteString("(")
		for _, e := range x {
			k := hashKey(e)
			b.WriteString(strconv.Itoa(len(k)))
			b.WriteString(":")
			b.WriteString(k)
		}
		return b.String()
	}
	return "o" + pyRepr(v)
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
