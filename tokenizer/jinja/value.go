package jinja

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"unicode/utf8"
)

// Values inside the engine are always one of: nil (Python None), Undefined,
// bool, int64, float64, string, []any (list), Tuple, *OrderedMap (dict),
// *namespace, or a callable (Func, *macro, *boundMethod, builtinFunc).
// normalize turns what callers pass in into that set.

// Undefined is the value of a name or key that does not exist. It prints as
// the empty string, iterates as empty and is false; most other uses are
// runtime errors, as in Jinja2. Name is the missing name, for messages.
type Undefined struct{ Name string }

// Tuple is a Python tuple: it behaves like a list but prints as (a, b).
type Tuple []any

// Func is the type of Go functions callable from templates, such as the
// raise_exception and strftime_now globals. args and kwargs hold engine
// values (see Render for the set of types); the result is normalised like a
// render variable. A returned error aborts the render with an *Error of kind
// KindRuntime wrapping it, unless it already is an *Error.
type Func func(args []any, kwargs map[string]any) (any, error)

// namespace is the mutable object made by namespace(); it is the only value
// whose attributes a template may assign ({% set ns.x = 1 %}).
type namespace struct{ attrs *OrderedMap }

// maxNormalizeDepth bounds the nesting of values passed to Render.
const maxNormalizeDepth = 512

// normalize converts a Go value into an engine value.
func normalize(v any) (any, error) { return normalizeDepth(v, 0) }

func normalizeDepth(v any, depth int) (any, error) {
	if depth > maxNormalizeDepth {
		return nil, errorf("value nested deeper than %d levels", maxNormalizeDepth)
	}
	switch x := v.(type) {
	case nil, bool, int64, float64, string, Undefined, *namespace, *macro, *boundMethod, builtinFunc, *loopState:
		return x, nil
	case Func:
		return x, nil
	case func(args []any, kwargs map[string]any) (any, error):
		return Func(x), nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint:
		return int64(x), nil
	case uint64:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case json.Number:
		return numberFromJSON(x)
	case json.RawMessage: // decoded, keeping key order
		v, err := DecodeJSON(x)
		if err != nil {
			return nil, errorf("%v", err)
		}
		return v, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalizeDepth(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case Tuple:
		out := make(Tuple, len(x))
		for i, e := range x {
			n, err := normalizeDepth(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out, nil
	case *OrderedMap:
		if x == nil {
			return nil, nil
		}
		out := NewOrderedMap()
		for _, k := range x.keys {
			n, err := normalizeDepth(x.vals[k], depth+1)
			if err != nil {
				return nil, err
			}
			out.Set(k, n)
		}
		return out, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := NewOrderedMap()
		for _, k := range keys {
			n, err := normalizeDepth(x[k], depth+1)
			if err != nil {
				return nil, err
			}
			out.Set(k, n)
		}
		return out, nil
	}
	return normalizeReflect(v, depth)
}

// normalizeReflect handles the remaining slices, arrays, maps with string
// keys and pointers; anything else is rejected.
func normalizeReflect(v any, depth int) (any, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return normalizeDepth(rv.Elem().Interface(), depth+1)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return []any{}, nil
		}
		out := make([]any, rv.Len())
		for i := range out {
			n, err := normalizeDepth(rv.Index(i).Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, errorf("unsupported map key type %s (want string)", rv.Type().Key())
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		out := NewOrderedMap()
		for _, k := range keys {
			n, err := normalizeDepth(rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())).Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			out.Set(k, n)
		}
		return out, nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	}
	return nil, errorf("unsupported Go value of type %T", v)
}

func numberFromJSON(n json.Number) (any, error) {
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil, errorf("bad JSON number %q", string(n))
	}
	return f, nil
}

// typeName is the Python type name of an engine value, for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case Undefined:
		return "Undefined"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case Tuple:
		return "tuple"
	case *OrderedMap:
		return "dict"
	case *namespace:
		return "Namespace"
	case *loopState:
		return "LoopContext"
	}
	if isCallable(v) {
		return "function"
	}
	return fmt.Sprintf("%T", v)
}

// truthy is Python truthiness.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil, Undefined:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case Tuple:
		return len(x) > 0
	case *OrderedMap:
		return x.Len() > 0
	}
	return true
}

func isUndefined(v any) bool {
	_, ok := v.(Undefined)
	return ok
}

// asSeq returns the elements of a list or tuple.
func asSeq(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case Tuple:
		return x, true
	}
	return nil, false
}

// iterate lists what a for loop over v visits: list and tuple items, dict
// keys, string characters; undefined iterates as empty.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case Tuple:
		return x, nil
	case *OrderedMap:
		out := make([]any, len(x.keys))
		for i, k := range x.keys {
			out[i] = k
		}
		return out, nil
	case string:
		if err := checkListLen(utf8.RuneCountInString(x)); err != nil {
			return nil, err
		}
		rs := []rune(x)
		out := make([]any, len(rs))
		for i, r := range rs {
			out[i] = string(r)
		}
		return out, nil
	case Undefined:
		return nil, nil
	case *loopState:
		return nil, errorf("cannot iterate over a loop object")
	}
	return nil, errorf("'%s' object is not iterable", typeName(v))
}
