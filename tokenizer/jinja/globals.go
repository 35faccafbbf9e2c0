package jinja

import (
	"fmt"
)

// maxRange bounds the length of lists made by range().
const maxRange = 1_000_000

// builtinGlobals are the names every template sees (shadowed by Render's
// variables).
func builtinGlobals() map[string]any {
	return map[string]any{
		"range":           builtinFunc(globalRange),
		"dict":            builtinFunc(globalDict),
		"namespace":       builtinFunc(globalNamespace),
		"raise_exception": builtinFunc(globalRaise),
	}
}

func globalRange(_ *renderer, a callArgs) (any, error) {
	if len(a.kwNames) > 0 || len(a.pos) == 0 || len(a.pos) > 3 {
		return nil, errorf("range expects 1 to 3 integer arguments")
	}
	var n [3]int64
	for i, v := range a.pos {
		x, ok := v.(int64)
		if !ok {
			if b, isB := v.(bool); isB {
				x, ok = map[bool]int64{false: 0, true: 1}[b], true
			}
		}
		if !ok {
			return nil, errorf("range: '%s' object cannot be interpreted as an integer", typeName(v))
		}
		n[i] = x
	}
	start, stop, step := int64(0), n[0], int64(1)
	if len(a.pos) >= 2 {
		start, stop = n[0], n[1]
	}
	if len(a.pos) == 3 {
		step = n[2]
	}
	if step == 0 {
		return nil, errorf("range() arg 3 must not be zero")
	}
	var count int64
	if step > 0 && stop > start {
		count = (stop - start + step - 1) / step
	} else if step < 0 && start > stop {
		count = (start - stop - step - 1) / -step
	}
	if count > maxRange {
		return nil, &evalError{kind: KindLimit, msg: fmt.Sprintf("range of %d items exceeds the limit of %d", count, maxRange)}
	}
	out := make([]any, count)
	for i := range out {
		out[i] = start + int64(i)*step
	}
	return out, nil
}

func globalDict(_ *renderer, a callArgs) (any, error) {
	m := NewOrderedMap()
	if len(a.pos) > 1 {
		return nil, errorf("dict expected at most 1 argument, got %d", len(a.pos))
	}
	if len(a.pos) == 1 {
		if err := mergeInto(m, a.pos[0]); err != nil {
			return nil, err
		}
	}
	for i, k := range a.kwNames {
		m.Set(k, a.kwVals[i])
	}
	return m, nil
}

// mergeInto copies a dict, or a list of key/value pairs, into m.
func mergeInto(m *OrderedMap, v any) error {
	switch x := v.(type) {
	case *OrderedMap:
		for _, k := range x.keys {
			m.Set(k, x.vals[k])
		}
		return nil
	case []any, Tuple:
		items, _ := asSeq(x)
		for _, it := range items {
			pair, ok := asSeq(it)
			if !ok || len(pair) != 2 {
				return errorf("dict update sequence element is not a pair")
			}
			k, ok := pair[0].(string)
			if !ok {
				return errorf("dict keys must be strings, got %s", typeName(pair[0]))
			}
			m.Set(k, pair[1])
		}
		return nil
	}
	return errorf("cannot convert '%s' object to a dict", typeName(v))
}

func globalNamespace(_ *renderer, a callArgs) (any, error) {
	ns := &namespace{attrs: NewOrderedMap()}
	for _, v := range a.pos {
		if err := mergeInto(ns.attrs, v); err != nil {
			return nil, err
		}
	}
	for i, k := range a.kwNames {
		ns.attrs.Set(k, a.kwVals[i])
	}
	return ns, nil
}

func globalRaise(_ *renderer, a callArgs) (any, error) {
	msg := ""
	if len(a.pos) > 0 {
		msg = pyStr(a.pos[0])
	}
	return nil, &Error{Kind: KindRaised, Msg: msg}
}
