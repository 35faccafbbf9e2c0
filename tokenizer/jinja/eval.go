package jinja

import "strings"

// eval evaluates an expression in scope s.
func (r *renderer) eval(e expr, s *scope) (any, error) {
	switch e := e.(type) {
	case *literal:
		return e.val, nil
	case *nameExpr:
		if v, ok := s.lookup(e.name); ok {
			return v, nil
		}
		return Undefined{Name: e.name}, nil
	case *listExpr:
		out := make([]any, len(e.items))
		for i, it := range e.items {
			v, err := r.eval(it, s)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *tupleExpr:
		out := make(Tuple, len(e.items))
		for i, it := range e.items {
			v, err := r.eval(it, s)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *dictExpr:
		m := NewOrderedMap()
		for i, ke := range e.keys {
			k, err := r.eval(ke, s)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, errorf("dict keys must be strings, got %s", typeName(k))
			}
			v, err := r.eval(e.vals[i], s)
			if err != nil {
				return nil, err
			}
			m.Set(ks, v)
		}
		return m, nil
	case *attrExpr:
		obj, err := r.eval(e.obj, s)
		if err != nil {
			return nil, err
		}
		return getAttr(obj, e.name), nil
	case *itemExpr:
		obj, err := r.eval(e.obj, s)
		if err != nil {
			return nil, err
		}
		key, err := r.eval(e.key, s)
		if err != nil {
			return nil, err
		}
		return getItem(obj, key), nil
	case *sliceExpr:
		return r.evalSlice(e, s)
	case *callExpr:
		fn, err := r.eval(e.fn, s)
		if err != nil {
			return nil, err
		}
		args, err := r.evalArgs(&e.argList, s)
		if err != nil {
			return nil, err
		}
		return r.callValue(fn, args, e.fn)
	case *filterExpr:
		in, err := r.eval(e.input, s)
		if err != nil {
			return nil, err
		}
		return r.applyFilter(e, in, s)
	case *testExpr:
		in, err := r.eval(e.input, s)
		if err != nil {
			return nil, err
		}
		args, err := r.evalArgs(&e.argList, s)
		if err != nil {
			return nil, err
		}
		ok, err := r.runTest(e.name, in, args)
		if err != nil {
			return nil, err
		}
		return ok != e.negate, nil
	case *unaryExpr:
		x, err := r.eval(e.x, s)
		if err != nil {
			return nil, err
		}
		switch e.op {
		case "not":
			return !truthy(x), nil
		case "-":
			return negate(x)
		}
		switch x.(type) {
		case int64, float64, bool:
			return x, nil
		}
		return nil, errorf("bad operand type for unary +: '%s'", typeName(x))
	case *binaryExpr:
		return r.evalBinary(e, s)
	case *compareExpr:
		l, err := r.eval(e.first, s)
		if err != nil {
			return nil, err
		}
		for i, op := range e.ops {
			rv, err := r.eval(e.rest[i], s)
			if err != nil {
				return nil, err
			}
			if err := r.charge(l, rv); err != nil {
				return nil, err
			}
			ok, err := compare(op, l, rv)
			if err != nil {
				return nil, err
			}
			if !ok {
				return false, nil
			}
			l = rv
		}
		return true, nil
	case *concatExpr:
		var b strings.Builder
		for _, it := range e.items {
			v, err := r.eval(it, s)
			if err != nil {
				return nil, err
			}
			b.WriteString(pyStr(v))
			if err := r.checkSize(b.Len()); err != nil {
				return nil, err
			}
		}
		return b.String(), nil
	case *condExpr:
		c, err := r.eval(e.test, s)
		if err != nil {
			return nil, err
		}
		if truthy(c) {
			return r.eval(e.then, s)
		}
		if e.orElse == nil {
			return Undefined{Name: "conditional expression"}, nil
		}
		return r.eval(e.orElse, s)
	}
	return nil, errorf("unknown expression %T", e)
}

// exprName describes a callee for error messages.
func exprName(e expr) string {
	switch e := e.(type) {
	case *nameExpr:
		return e.name
	case *attrExpr:
		return exprName(e.obj) + "." + e.name
	}
	return "function"
}

func (r *renderer) evalArgs(l *argList, s *scope) (callArgs, error) {
	var a callArgs
	if len(l.args) > 0 {
		a.pos = make([]any, 0, len(l.args))
	}
	for _, e := range l.args {
		v, err := r.eval(e, s)
		if err != nil {
			return a, err
		}
		a.pos = append(a.pos, v)
	}
	if l.star != nil {
		v, err := r.eval(l.star, s)
		if err != nil {
			return a, err
		}
		items, err := iterate(v)
		if err != nil {
			return a, err
		}
		a.pos = append(a.pos, items...)
	}
	a.kwNames = l.kwNames
	if len(l.kwValues) > 0 {
		a.kwVals = make([]any, len(l.kwValues))
	}
	for i, e := range l.kwValues {
		v, err := r.eval(e, s)
		if err != nil {
			return a, err
		}
		a.kwVals[i] = v
	}
	if l.starstar != nil {
		v, err := r.eval(l.starstar, s)
		if err != nil {
			return a, err
		}
		d, ok := v.(*OrderedMap)
		if !ok {
			return a, errorf("argument after ** must be a mapping, not %s", typeName(v))
		}
		a.kwNames = append([]string(nil), a.kwNames...)
		for _, k := range d.keys {
			for _, have := range a.kwNames {
				if have == k {
					return a, errorf("got multiple values for keyword argument '%s'", k)
				}
			}
			a.kwNames = append(a.kwNames, k)
			a.kwVals = append(a.kwVals, d.vals[k])
		}
	}
	return a, nil
}

func (r *renderer) evalBinary(e *binaryExpr, s *scope) (any, error) {
	l, err := r.eval(e.l, s)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "and":
		if !truthy(l) {
			return l, nil
		}
		return r.eval(e.r, s)
	case "or":
		if truthy(l) {
			return l, nil
		}
		return r.eval(e.r, s)
	}
	rv, err := r.eval(e.r, s)
	if err != nil {
		return nil, err
	}
	return r.arith(e.op, l, rv)
}

func (r *renderer) evalSlice(e *sliceExpr, s *scope) (any, error) {
	obj, err := r.eval(e.obj, s)
	if err != nil {
		return nil, err
	}
	var bounds [3]any
	for i, be := range []expr{e.start, e.stop, e.step} {
		if be == nil {
			continue
		}
		if bounds[i], err = r.eval(be, s); err != nil {
			return nil, err
		}
	}
	return slice(obj, bounds[0], bounds[1], bounds[2])
}

// getAttr implements obj.name: methods and attributes first, then items,
// as Jinja2's getattr does. A missing attribute is Undefined (also on an
// Undefined object, where Jinja2 would raise).
func getAttr(obj any, name string) any {
	switch x := obj.(type) {
	case *OrderedMap:
		if isDictMethod(name) {
			return &boundMethod{recv: x, name: name}
		}
		if v, ok := x.vals[name]; ok {
			return v
		}
	case string:
		if isStringMethod(name) {
			return &boundMethod{recv: x, name: name}
		}
	case []any, Tuple:
		if name == "index" || name == "count" {
			return &boundMethod{recv: x, name: name}
		}
	case *namespace:
		if v, ok := x.attrs.vals[name]; ok {
			return v
		}
	case *loopState:
		return x.attr(name)
	}
	return Undefined{Name: name}
}

// getItem implements obj[key]: items first, then attributes for string
// keys, as Jinja2's getitem does.
func getItem(obj any, key any) any {
	switch x := obj.(type) {
	case *OrderedMap:
		if k, ok := key.(string); ok {
			if v, ok := x.vals[k]; ok {
				return v
			}
		}
	case []any, Tuple, string:
		if i, ok := toIndex(key); ok {
			if v, ok := indexSeq(x, i); ok {
				return v
			}
			return Undefined{Name: pyRepr(key)}
		}
	}
	if k, ok := key.(string); ok {
		return getAttr(obj, k)
	}
	return Undefined{Name: pyRepr(key)}
}

// toIndex accepts ints and bools (Python bools are ints) as indexes.
func toIndex(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func indexSeq(seq any, i int) (any, bool) {
	switch x := seq.(type) {
	case string:
		rs := []rune(x)
		if i < 0 {
			i += len(rs)
		}
		if i < 0 || i >= len(rs) {
			return nil, false
		}
		return string(rs[i]), true
	default:
		items, _ := asSeq(x)
		if i < 0 {
			i += len(items)
		}
		if i < 0 || i >= len(items) {
			return nil, false
		}
		return items[i], true
	}
}

// slice implements Python's seq[start:stop:step] for lists, tuples and
// strings.
func slice(obj, start, stop, step any) (any, error) {
	var n int
	var runes []rune
	items, isSeq := asSeq(obj)
	switch x := obj.(type) {
	case string:
		runes = []rune(x)
		n = len(runes)
	case []any, Tuple:
		n = len(items)
	case Undefined:
		return nil, errorf("'%s' is undefined", x.Name)
	default:
		return nil, errorf("'%s' object is not subscriptable", typeName(obj))
	}
	st := 1
	if step != nil {
		v, ok := toIndex(step)
		if !ok {
			return nil, errorf("slice indices must be integers or None")
		}
		if v == 0 {
			return nil, errorf("slice step cannot be zero")
		}
		st = v
	}
	bound := func(v any, def int) (int, error) {
		if v == nil {
			return def, nil
		}
		i, ok := toIndex(v)
		if !ok {
			return 0, errorf("slice indices must be integers or None")
		}
		if i < 0 {
			i += n
			if i < 0 {
				if st < 0 {
					return -1, nil
				}
				return 0, nil
			}
		}
		if i >= n {
			if st < 0 {
				return n - 1, nil
			}
			return n, nil
		}
		return i, nil
	}
	var lo, hi int
	var err error
	if st > 0 {
		if lo, err = bound(start, 0); err != nil {
			return nil, err
		}
		if hi, err = bound(stop, n); err != nil {
			return nil, err
		}
	} else {
		if lo, err = bound(start, n-1); err != nil {
			return nil, err
		}
		if hi, err = bound(stop, -1); err != nil {
			return nil, err
		}
	}
	var idx []int
	for i := lo; (st > 0 && i < hi) || (st < 0 && i > hi); i += st {
		idx = append(idx, i)
	}
	if !isSeq {
		out := make([]rune, len(idx))
		for k, i := range idx {
			out[k] = runes[i]
		}
		return string(out), nil
	}
	out := make([]any, len(idx))
	for k, i := range idx {
		out[k] = items[i]
	}
	if _, ok := obj.(Tuple); ok {
		return Tuple(out), nil
	}
	return out, nil
}
