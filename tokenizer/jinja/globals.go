package jinja

import (
	"fmt"
	"strings"
	"time"
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

// StrftimeNow returns a Func for the strftime_now global that chat
// templates (e.g. Llama 3.x) call to print the date: it formats now() with
// Python strftime directives (%d %m %Y %y %b %B %a %A %H %I %M %S %p %j %e
// %%). Pass it in Render's vars as "strftime_now".
func StrftimeNow(now func() time.Time) Func {
	return func(args []any, kwargs map[string]any) (any, error) {
		if len(args) != 1 || len(kwargs) > 0 {
			return nil, fmt.Errorf("strftime_now expects one format string")
		}
		f, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("strftime_now format must be a string, got %s", typeName(args[0]))
		}
		return strftime(now(), f), nil
	}
}

// strftime formats t with Python/C strftime directives; unknown directives
// are copied through.
func strftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'b':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%02d", h)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}
