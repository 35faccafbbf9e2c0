package jinja

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// number converts ints, floats and bools (Python bools are ints) for
// arithmetic. isFloat reports whether the float form must be used.
func number(v any) (i int64, f float64, isFloat, ok bool) {
	switch x := v.(type) {
	case int64:
		return x, float64(x), false, true
	case float64:
		return 0, x, true, true
	case bool:
		if x {
			return 1, 1, false, true
		}
		return 0, 0, false, true
	}
	return 0, 0, false, false
}

func negate(x any) (any, error) {
	i, f, isF, ok := number(x)
	if !ok {
		if u, isU := x.(Undefined); isU {
			return nil, errorf("'%s' is undefined", u.Name)
		}
		return nil, errorf("bad operand type for unary -: '%s'", typeName(x))
	}
	if isF {
		return -f, nil
	}
	if i == math.MinInt64 {
		return nil, errorf("integer overflow")
	}
	return -i, nil
}

// arith implements + - * / // % ** with Python semantics.
func (r *renderer) arith(op string, l, rv any) (any, error) {
	if u, ok := l.(Undefined); ok {
		return nil, errorf("'%s' is undefined", u.Name)
	}
	if u, ok := rv.(Undefined); ok {
		// str % Undefined formats (Python calls str.__mod__ first).
		if _, isStr := l.(string); !isStr || op != "%" {
			return nil, errorf("'%s' is undefined", u.Name)
		}
	}
	li, lf, lF, lok := number(l)
	ri, rf, rF, rok := number(rv)
	if lok && rok {
		return numericOp(op, li, lf, lF, ri, rf, rF)
	}
	if err := r.charge(l, rv); err != nil {
		return nil, err
	}
	switch op {
	case "+":
		switch x := l.(type) {
		case string:
			if y, ok := rv.(string); ok {
				if err := r.checkSize(len(x) + len(y)); err != nil {
					return nil, err
				}
				return x + y, nil
			}
		case []any:
			if y, ok := rv.([]any); ok {
				if err := checkListLen(len(x) + len(y)); err != nil {
					return nil, err
				}
				out := make([]any, 0, len(x)+len(y))
				return append(append(out, x...), y...), nil
			}
		case Tuple:
			if y, ok := rv.(Tuple); ok {
				if err := checkListLen(len(x) + len(y)); err != nil {
					return nil, err
				}
				out := make(Tuple, 0, len(x)+len(y))
				return append(append(out, x...), y...), nil
			}
		}
	case "*":
		// sequence * int in either order
		seq, n := l, rv
		switch l.(type) {
		case int64, bool:
			seq, n = rv, l
		}
		count, _, isF, ok := number(n)
		if ok && !isF {
			if count < 0 {
				count = 0
			}
			switch x := seq.(type) {
			case string:
				if err := r.checkSize(len(x) * int(min(count, int64(r.opts.MaxOutputBytes)+1))); err != nil {
					return nil, err
				}
				return strings.Repeat(x, int(count)), nil
			case []any, Tuple:
				items, _ := asSeq(x)
				if err := checkListLen(len(items) * int(min(count, maxListLen+1))); err != nil {
					return nil, err
				}
				out := make([]any, 0, len(items)*int(count))
				for range count {
					out = append(out, items...)
				}
				if _, isTuple := x.(Tuple); isTuple {
					return Tuple(out), nil
				}
				return out, nil
			}
		}
	case "%":
		if x, ok := l.(string); ok {
			return percentFormat(x, rv, r.opts.MaxOutputBytes)
		}
	}
	return nil, errorf("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(l), typeName(rv))
}

func numericOp(op string, li int64, lf float64, lF bool, ri int64, rf float64, rF bool) (any, error) {
	useFloat := lF || rF
	switch op {
	case "+":
		if !useFloat {
			sum := li + ri
			if (sum > li) != (ri > 0) {
				return nil, errorf("integer overflow")
			}
			return sum, nil
		}
		return lf + rf, nil
	case "-":
		if !useFloat {
			d := li - ri
			if (li >= 0) != (ri >= 0) && (d >= 0) != (li >= 0) {
				return nil, errorf("integer overflow")
			}
			return d, nil
		}
		return lf - rf, nil
	case "*":
		if !useFloat {
			hi, lo := bits.Mul64(uint64(absInt(li)), uint64(absInt(ri)))
			if hi != 0 || lo > math.MaxInt64 {
				return nil, errorf("integer overflow")
			}
			p := int64(lo)
			if (li < 0) != (ri < 0) {
				p = -p
			}
			return p, nil
		}
		return lf * rf, nil
	case "/":
		if rf == 0 {
			return nil, errorf("division by zero")
		}
		return lf / rf, nil
	case "//":
		if rf == 0 {
			return nil, errorf("integer division or modulo by zero")
		}
		if !useFloat {
			q := li / ri
			if (li%ri != 0) && ((li < 0) != (ri < 0)) {
				q--
			}
			return q, nil
		}
		div, _ := floatDivmod(lf, rf)
		return div, nil
	case "%":
		if rf == 0 {
			return nil, errorf("integer division or modulo by zero")
		}
		if !useFloat {
			m := li % ri
			if m != 0 && ((m < 0) != (ri < 0)) {
				m += ri
			}
			return m, nil
		}
		_, m := floatDivmod(lf, rf)
		return m, nil
	case "**":
		if !useFloat && ri >= 0 {
			result := int64(1)
			base := li
			for e := ri; e > 0; e-- {
				hi, lo := bits.Mul64(uint64(absInt(result)), uint64(absInt(base)))
				if hi != 0 || lo > math.MaxInt64 {
					return nil, errorf("integer overflow")
				}
				neg := (result < 0) != (base < 0)
				result = int64(lo)
				if neg {
					result = -result
				}
				if result == 0 || result == 1 && base == 1 {
					break
				}
			}
			return result, nil
		}
		if lf == 0 && rf < 0 {
			return nil, errorf("0.0 cannot be raised to a negative power")
		}
		return math.Pow(lf, rf), nil
	}
	return nil, errorf("unknown operator %s", op)
}

// maxListLen bounds the lists a template can build with + and *, so a
// doubling loop cannot exhaust memory within the step limit.
const maxListLen = 1 << 20

func checkListLen(n int) error {
	if n > maxListLen {
		return &evalError{kind: KindLimit, msg: fmt.Sprintf("list of %d items exceeds the limit of %d", n, maxListLen)}
	}
	return nil
}

// floatDivmod is Python's float divmod (float_divmod in CPython), so //
// and % agree with Python to the last bit, signed zeros included.
func floatDivmod(vx, wx float64) (floorDiv, mod float64) {
	mod = math.Mod(vx, wx)
	div := (vx - mod) / wx
	if mod != 0 {
		if (wx < 0) != (mod < 0) {
			mod += wx
			div -= 1
		}
	} else {
		mod = math.Copysign(0, wx)
	}
	if div == 0 {
		return math.Copysign(0, vx/wx), mod
	}
	floorDiv = math.Floor(div)
	if div-floorDiv > 0.5 {
		floorDiv++
	}
	return floorDiv, mod
}

func absInt(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

// equal is Python ==.
func equal(a, b any) bool {
	ai, af, aF, aok := number(a)
	bi, bf, bF, bok := number(b)
	if aok && bok {
		if aF || bF {
			return af == bf
		}
		return ai == bi
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case Undefined:
		_, ok := b.(Undefined)
		return ok
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && equalSeq(x, y)
	case Tuple:
		y, ok := b.(Tuple)
		return ok && equalSeq(x, y)
	case *OrderedMap:
		y, ok := b.(*OrderedMap)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.keys {
			yv, ok := y.vals[k]
			if !ok || !equal(x.vals[k], yv) {
				return false
			}
		}
		return true
	}
	return a == b
}

func equalSeq(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equal(x[i], y[i]) {
			return false
		}
	}
	return true
}

// less is Python < for numbers, strings and sequences.
func less(a, b any) (bool, error) {
	ai, af, aF, aok := number(a)
	bi, bf, bF, bok := number(b)
	if aok && bok {
		if aF || bF {
			return af < bf, nil
		}
		return ai < bi, nil
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x < y, nil
		}
	case []any, Tuple:
		xs, _ := asSeq(x)
		if ys, ok := asSeq(b); ok && sameKind(a, b) {
			for i := 0; i < len(xs) && i < len(ys); i++ {
				if !equal(xs[i], ys[i]) {
					return less(xs[i], ys[i])
				}
			}
			return len(xs) < len(ys), nil
		}
	}
	if u, ok := a.(Undefined); ok {
		return false, errorf("'%s' is undefined", u.Name)
	}
	if u, ok := b.(Undefined); ok {
		return false, errorf("'%s' is undefined", u.Name)
	}
	return false, errorf("'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
}

func sameKind(a, b any) bool {
	_, at := a.(Tuple)
	_, bt := b.(Tuple)
	return at == bt
}

// compare evaluates one comparison operator.
func compare(op string, a, b any) (bool, error) {
	switch op {
	case "==":
		return equal(a, b), nil
	case "!=":
		return !equal(a, b), nil
	case "<":
		return less(a, b)
	case ">":
		return less(b, a)
	case "<=":
		lt, err := less(b, a)
		return !lt && err == nil, err
	case ">=":
		lt, err := less(a, b)
		return !lt && err == nil, err
	case "in":
		return contains(b, a)
	case "not in":
		in, err := contains(b, a)
		return !in, err
	}
	return false, errorf("unknown comparison %s", op)
}

// contains is Python's "needle in haystack".
func contains(haystack, needle any) (bool, error) {
	switch h := haystack.(type) {
	case string:
		n, ok := needle.(string)
		if !ok {
			return false, errorf("'in <string>' requires string as left operand, not %s", typeName(needle))
		}
		return strings.Contains(h, n), nil
	case []any, Tuple:
		items, _ := asSeq(h)
		for _, it := range items {
			if equal(it, needle) {
				return true, nil
			}
		}
		return false, nil
	case *OrderedMap:
		n, ok := needle.(string)
		if !ok {
			if !hashable(needle) {
				return false, errorf("unhashable type: '%s'", typeName(needle))
			}
			return false, nil
		}
		_, found := h.vals[n]
		return found, nil
	case Undefined:
		return false, nil
	}
	return false, errorf("argument of type '%s' is not iterable", typeName(haystack))
}
