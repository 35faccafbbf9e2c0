package jinja

import (
	"errors"
	"fmt"
)

// callArgs are evaluated call arguments.
type callArgs struct {
	pos     []any
	kwNames []string
	kwVals  []any
	caller  *macro // set by {% call %} blocks
}

// required marks a parameter without a default in bindArgs.
type requiredArg struct{}

var required = requiredArg{}

// bindArgs matches positional and keyword arguments against Python-style
// parameters, filling defaults. fname names the callee in errors.
func bindArgs(fname string, a callArgs, names []string, defaults ...any) ([]any, error) {
	if len(a.pos) > len(names) {
		return nil, errorf("%s() takes at most %d arguments (%d given)", fname, len(names), len(a.pos))
	}
	out := make([]any, len(names))
	set := make([]bool, len(names))
	for i, v := range a.pos {
		out[i], set[i] = v, true
	}
	for k, name := range a.kwNames {
		found := false
		for i, n := range names {
			if n == name {
				if set[i] {
					return nil, errorf("%s() got multiple values for argument '%s'", fname, name)
				}
				out[i], set[i], found = a.kwVals[k], true, true
				break
			}
		}
		if !found {
			return nil, errorf("%s() got an unexpected keyword argument '%s'", fname, name)
		}
	}
	for i := range names {
		if set[i] {
			continue
		}
		if i >= len(defaults) || defaults[i] == required {
			return nil, errorf("%s() missing required argument '%s'", fname, names[i])
		}
		out[i] = defaults[i]
	}
	return out, nil
}

// builtinFunc is a global implemented in Go with access to the renderer.
type builtinFunc func(r *renderer, a callArgs) (any, error)

// macro is a {% macro %} (or the body of a {% call %} block).
type macro struct {
	name    string
	params  []param
	body    []node
	closure *scope
	// whether the body reads varargs, kwargs and caller, which decides
	// whether extra arguments and a call block are accepted
	varargs, kwargs, caller bool
}

func (m *macro) call(r *renderer, a callArgs) (any, error) {
	if r.depth >= r.opts.MaxCallDepth {
		return nil, &evalError{kind: KindLimit, msg: fmt.Sprintf("macro calls nested deeper than %d", r.opts.MaxCallDepth)}
	}
	if len(a.pos) > len(m.params) && !m.varargs {
		return nil, errorf("macro '%s' takes not more than %d argument(s)", m.name, len(m.params))
	}
	if a.caller != nil && !m.caller {
		return nil, errorf("macro '%s' was invoked with a caller but does not use one", m.name)
	}
	sc := m.closure.child()
	var varargs Tuple
	for i, v := range a.pos {
		if i < len(m.params) {
			sc.vars[m.params[i].name] = v
		} else {
			varargs = append(varargs, v)
		}
	}
	kwargs := NewOrderedMap()
	for k, name := range a.kwNames {
		isParam := false
		for i, prm := range m.params {
			if prm.name == name {
				if i < len(a.pos) {
					return nil, errorf("macro '%s' got multiple values for argument '%s'", m.name, name)
				}
				isParam = true
				break
			}
		}
		switch {
		case isParam:
			sc.vars[name] = a.kwVals[k]
		case m.kwargs:
			kwargs.Set(name, a.kwVals[k])
		default:
			return nil, errorf("macro '%s' takes no keyword argument '%s'", m.name, name)
		}
	}
	for _, prm := range m.params {
		if _, ok := sc.vars[prm.name]; ok {
			continue
		}
		if prm.def == nil {
			sc.vars[prm.name] = Undefined{Name: prm.name}
			continue
		}
		v, err := r.eval(prm.def, sc)
		if err != nil {
			return nil, err
		}
		sc.vars[prm.name] = v
	}
	if varargs == nil {
		varargs = Tuple{}
	}
	sc.vars["varargs"] = varargs
	sc.vars["kwargs"] = kwargs
	if a.caller != nil {
		sc.vars["caller"] = a.caller
	}
	line := r.line
	r.depth++
	text, err := r.capture(m.body, sc)
	r.depth--
	r.line = line
	if errors.Is(err, errBreak) || errors.Is(err, errContinue) {
		return nil, &evalError{kind: KindSyntax, msg: "break or continue outside a loop"}
	}
	return text, err
}

// boundMethod is a method looked up on a value (e.g. "abc".upper), called
// later.
type boundMethod struct {
	recv any
	name string
}

// loopState is the "loop" variable of a for loop.
type loopState struct {
	items   []any
	index0  int
	depth   int // 1-based level of a recursive loop
	recurse func(items any) (any, error)
	changed []any
	hasLast bool
}

func (l *loopState) attr(name string) any {
	n := len(l.items)
	switch name {
	case "index":
		return int64(l.index0 + 1)
	case "index0":
		return int64(l.index0)
	case "revindex":
		return int64(n - l.index0)
	case "revindex0":
		return int64(n - l.index0 - 1)
	case "first":
		return l.index0 == 0
	case "last":
		return l.index0 == n-1
	case "length":
		return int64(n)
	case "depth":
		return int64(l.depth)
	case "depth0":
		return int64(l.depth - 1)
	case "previtem":
		if l.index0 > 0 {
			return l.items[l.index0-1]
		}
		return Undefined{Name: "previtem"}
	case "nextitem":
		if l.index0+1 < n {
			return l.items[l.index0+1]
		}
		return Undefined{Name: "nextitem"}
	case "cycle", "changed":
		return &boundMethod{recv: l, name: name}
	}
	return Undefined{Name: name}
}

func isCallable(v any) bool {
	switch x := v.(type) {
	case Func, builtinFunc, *macro, *boundMethod:
		return true
	case *loopState:
		return x.recurse != nil
	}
	return false
}

// callValue calls fn with args. callee is the expression that produced fn,
// named in error messages.
func (r *renderer) callValue(fn any, a callArgs, callee expr) (any, error) {
	switch f := fn.(type) {
	case *macro:
		return f.call(r, a)
	case builtinFunc:
		return f(r, a)
	case *boundMethod:
		return r.callMethod(f, a)
	case *loopState:
		if f.recurse == nil {
			return nil, errorf("the loop is not recursive: add 'recursive' to call loop()")
		}
		if len(a.pos) != 1 || len(a.kwNames) > 0 {
			return nil, errorf("loop() takes exactly one iterable")
		}
		return f.recurse(a.pos[0])
	case Func:
		var kw map[string]any
		if len(a.kwNames) > 0 {
			kw = make(map[string]any, len(a.kwNames))
			for i, k := range a.kwNames {
				kw[k] = a.kwVals[i]
			}
		}
		v, err := f(a.pos, kw)
		if err != nil {
			var pub *Error
			if errors.As(err, &pub) {
				return nil, pub
			}
			return nil, &evalError{kind: KindRuntime, msg: fmt.Sprintf("%s: %v", exprName(callee), err), err: err}
		}
		n, nerr := normalize(v)
		if nerr != nil {
			return nil, errorf("%s returned %v", exprName(callee), nerr)
		}
		return n, nil
	case Undefined:
		return nil, errorf("'%s' is undefined", f.Name)
	}
	return nil, errorf("'%s' object is not callable", typeName(fn))
}
