package jinja

import (
	"strings"
	"unicode"
)

// runTest evaluates "v is name(args)".
func (r *renderer) runTest(name string, v any, a callArgs) (bool, error) {
	one := func() (any, error) {
		args, err := bindArgs(name, a, []string{"other"}, required)
		if err != nil {
			return nil, err
		}
		return args[0], nil
	}
	noArgs := func() error {
		if len(a.pos)+len(a.kwNames) > 0 {
			return errorf("test '%s' takes no arguments", name)
		}
		return nil
	}
	switch name {
	case "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "sameas":
		other, err := one()
		if err != nil {
			return false, err
		}
		switch name {
		case "eq", "equalto", "==":
			return equal(v, other), nil
		case "ne", "!=":
			return !equal(v, other), nil
		case "lt", "lessthan", "<":
			return compare("<", v, other)
		case "le", "<=":
			return compare("<=", v, other)
		case "gt", "greaterthan", ">":
			return compare(">", v, other)
		case "ge", ">=":
			return compare(">=", v, other)
		case "in":
			return contains(other, v)
		default: // sameas: identity; for the immutable values here, equality of type and value
			return sameAs(v, other), nil
		}
	case "divisibleby":
		other, err := one()
		if err != nil {
			return false, err
		}
		m, err := r.arith("%", v, other)
		if err != nil {
			return false, err
		}
		return equal(m, int64(0)), nil
	}
	if err := noArgs(); err != nil {
		return false, err
	}
	switch name {
	case "defined":
		return !isUndefined(v), nil
	case "undefined":
		return isUndefined(v), nil
	case "none":
		return v == nil, nil
	case "boolean":
		_, ok := v.(bool)
		return ok, nil
	case "true":
		b, ok := v.(bool)
		return ok && b, nil
	case "false":
		b, ok := v.(bool)
		return ok && !b, nil
	case "integer":
		_, ok := v.(int64)
		return ok, nil
	case "float":
		_, ok := v.(float64)
		return ok, nil
	case "number":
		_, _, _, ok := number(v)
		return ok, nil
	case "string":
		_, ok := v.(string)
		return ok, nil
	case "mapping":
		_, ok := v.(*OrderedMap)
		return ok, nil
	case "sequence": // Python: has __len__ and __getitem__ (Undefined has both)
		switch v.(type) {
		case string, []any, Tuple, *OrderedMap, Undefined:
			return true, nil
		}
		return false, nil
	case "iterable":
		switch v.(type) {
		case string, []any, Tuple, *OrderedMap, Undefined:
			return true, nil
		}
		return false, nil
	case "callable": // Undefined defines __call__ (which raises), so it counts
		return isCallable(v) || isUndefined(v), nil
	case "odd", "even": // value % 2 == 1 (odd) or == 0 (even), as in Python
		m, err := r.arith("%", v, int64(2))
		if err != nil {
			return false, err
		}
		if name == "odd" {
			return equal(m, int64(1)), nil
		}
		return equal(m, int64(0)), nil
	case "lower", "upper":
		s := pyStr(v)
		hasCased := false
		for _, c := range s {
			if name == "lower" && (unicode.IsUpper(c) || unicode.IsTitle(c)) || name == "upper" && (unicode.IsLower(c) || unicode.IsTitle(c)) {
				return false, nil
			}
			hasCased = hasCased || isCased(c)
		}
		return hasCased, nil
	case "escaped":
		return false, nil
	case "filter":
		_, ok := filters[pyStr(v)]
		return ok, nil
	case "test":
		return isTestName(pyStr(v)), nil
	}
	return false, errorf("no test named '%s'", name)
}

func isTestName(s string) bool {
	switch strings.TrimSpace(s) {
	case "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=",
		"in", "sameas", "divisibleby", "defined", "undefined", "none", "boolean", "true", "false", "integer",
		"float", "number", "string", "mapping", "sequence", "iterable", "callable", "odd", "even", "lower",
		"upper", "escaped", "filter", "test":
		return true
	}
	return false
}

// sameAs approximates Python's "is": singletons compare by value, other
// values by type and equality.
func sameAs(a, b any) bool {
	switch a.(type) {
	case nil, bool:
		return a == b
	case *OrderedMap, *namespace, *macro:
		return a == b
	}
	return typeName(a) == typeName(b) && equal(a, b)
}
