package jinja

import (
	"errors"
	"fmt"
	"strings"
)

// errBreak and errContinue unwind loop bodies for {% break %} and
// {% continue %}.
var (
	errBreak    = errors.New("break")
	errContinue = errors.New("continue")
)

// scope is one level of variables. Loop bodies, macro calls and with
// blocks get their own; if blocks do not, as in Jinja2.
type scope struct {
	vars   map[string]any
	parent *scope
}

func (s *scope) lookup(name string) (any, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func (s *scope) child() *scope { return &scope{vars: map[string]any{}, parent: s} }

// renderer holds the state of one Render call.
type renderer struct {
	t     *Template
	opts  Options
	out   *strings.Builder
	steps int
	depth int // macro call depth
	line  int // line of the statement being executed, for errors
}

func (r *renderer) step() error {
	r.steps++
	if r.steps > r.opts.MaxSteps {
		return &evalError{kind: KindLimit, msg: "render exceeded the step limit"}
	}
	return nil
}

// charge accounts for work proportional to the size of the values an
// operation walks (a step per 16 list items or 256 bytes of string), so
// that filters, membership tests and comparisons on large values count
// against MaxSteps like statements do.
func (r *renderer) charge(vals ...any) error {
	n := 0
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			n += len(x) / 16
		case []any:
			n += len(x)
		case Tuple:
			n += len(x)
		case *OrderedMap:
			n += len(x.keys)
		}
	}
	if n < 64 {
		return nil
	}
	r.steps += n / 16
	if r.steps > r.opts.MaxSteps {
		return &evalError{kind: KindLimit, msg: "render exceeded the step limit"}
	}
	return nil
}

func (r *renderer) write(s string) error {
	if r.out.Len()+len(s) > r.opts.MaxOutputBytes {
		return &evalError{kind: KindLimit, msg: "output exceeded the size limit"}
	}
	r.out.WriteString(s)
	return nil
}

// checkSize rejects a string value that is larger than the output limit.
func (r *renderer) checkSize(n int) error {
	if n > r.opts.MaxOutputBytes {
		return &evalError{kind: KindLimit, msg: "string exceeded the size limit"}
	}
	return nil
}

// capture renders body into a fresh buffer and returns the text.
func (r *renderer) capture(body []node, s *scope) (string, error) {
	saved := r.out
	var b strings.Builder
	r.out = &b
	err := r.execBody(body, s)
	r.out = saved
	return b.String(), err
}

func (r *renderer) execBody(body []node, s *scope) error {
	for _, n := range body {
		if err := r.exec(n, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) exec(n node, s *scope) error {
	if err := r.step(); err != nil {
		return err
	}
	r.line = n.nodeLine()
	switch n := n.(type) {
	case *textNode:
		return r.write(n.text)
	case *outputNode:
		v, err := r.eval(n.expr, s)
		if err != nil {
			return err
		}
		return r.write(pyStr(v))
	case *ifNode:
		for i, c := range n.conds {
			v, err := r.eval(c, s)
			if err != nil {
				return err
			}
			if truthy(v) {
				return r.execBody(n.bodies[i], s)
			}
		}
		return r.execBody(n.orElse, s)
	case *forNode:
		return r.execFor(n, s)
	case *setNode:
		v, err := r.eval(n.value, s)
		if err != nil {
			return err
		}
		return r.assign(n.target, v, s)
	case *setBlockNode:
		text, err := r.capture(n.body, s)
		if err != nil {
			return err
		}
		v, err := r.applyFilters(n.filters, text, s)
		if err != nil {
			return err
		}
		return r.assign(n.target, v, s)
	case *macroNode:
		s.vars[n.name] = &macro{name: n.name, params: n.params, body: n.body, closure: s,
			varargs: n.usesVarargs, kwargs: n.usesKwargs, caller: n.usesCaller}
		return nil
	case *callBlockNode:
		return r.execCallBlock(n, s)
	case *filterBlockNode:
		text, err := r.capture(n.body, s)
		if err != nil {
			return err
		}
		v, err := r.applyFilters(n.filters, text, s)
		if err != nil {
			return err
		}
		return r.write(pyStr(v))
	case *withNode:
		inner := s.child()
		for i, t := range n.targets {
			v, err := r.eval(n.values[i], s)
			if err != nil {
				return err
			}
			if err := r.assign(t, v, inner); err != nil {
				return err
			}
		}
		return r.execBody(n.body, inner)
	case *containerNode:
		return r.execBody(n.body, s)
	case *breakNode:
		return errBreak
	case *continueNode:
		return errContinue
	}
	return errorf("unknown statement %T", n)
}

func (r *renderer) applyFilters(filters []*filterExpr, v any, s *scope) (any, error) {
	for _, f := range filters {
		var err error
		if v, err = r.applyFilter(f, v, s); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// assign binds v to a target in scope s.
func (r *renderer) assign(t assignTarget, v any, s *scope) error {
	if t.attr != "" {
		obj, ok := s.lookup(t.names[0])
		ns, isNS := obj.(*namespace)
		if !ok || !isNS {
			return errorf("cannot assign attribute '%s' on '%s': not a namespace", t.attr, t.names[0])
		}
		ns.attrs.Set(t.attr, v)
		return nil
	}
	if !t.tuple {
		s.vars[t.names[0]] = v
		return nil
	}
	items, err := iterate(v)
	if err != nil {
		return errorf("cannot unpack %s", typeName(v))
	}
	if len(items) != len(t.names) {
		return errorf("cannot unpack %d values into %d names", len(items), len(t.names))
	}
	for i, name := range t.names {
		s.vars[name] = items[i]
	}
	return nil
}

func (r *renderer) execFor(n *forNode, s *scope) error {
	iv, err := r.eval(n.iter, s)
	if err != nil {
		return err
	}
	return r.runLoop(n, iv, s, 1)
}

// runLoop runs a for loop over iv at the given depth (1 for the outermost
// level of a recursive loop, which calls loop(items) to go one deeper).
func (r *renderer) runLoop(n *forNode, iv any, s *scope, depth int) error {
	if err := r.charge(iv); err != nil {
		return err
	}
	items, err := iterate(iv)
	if err != nil {
		return err
	}
	if n.cond != nil {
		kept := make([]any, 0, len(items))
		for _, it := range items {
			if err := r.step(); err != nil {
				return err
			}
			inner := s.child()
			if err := r.assign(n.target, it, inner); err != nil {
				return err
			}
			c, err := r.eval(n.cond, inner)
			if err != nil {
				return err
			}
			if truthy(c) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	loop := &loopState{items: items, depth: depth}
	if n.recursive {
		loop.recurse = func(v any) (any, error) {
			if depth >= r.opts.MaxCallDepth {
				return nil, &evalError{kind: KindLimit, msg: fmt.Sprintf("recursive loop deeper than %d", r.opts.MaxCallDepth)}
			}
			saved := r.out
			var b strings.Builder
			r.out = &b
			err := r.runLoop(n, v, s, depth+1)
			r.out = saved
			return b.String(), err
		}
	}
	// As in jinja2's compiled loops, the else block runs unless some
	// iteration ran its body to the end (break and continue both skip the
	// end, so a loop whose every iteration continues still runs else).
	completed := false
	for i, it := range items {
		if err := r.step(); err != nil {
			return err
		}
		loop.index0 = i
		inner := s.child()
		inner.vars["loop"] = loop
		if err := r.assign(n.target, it, inner); err != nil {
			return err
		}
		err := r.execBody(n.body, inner)
		if errors.Is(err, errBreak) {
			break
		}
		if err != nil && !errors.Is(err, errContinue) {
			return err
		}
		completed = completed || err == nil
	}
	if !completed {
		return r.execBody(n.orElse, s)
	}
	return nil
}

func (r *renderer) execCallBlock(n *callBlockNode, s *scope) error {
	fn, err := r.eval(n.call.fn, s)
	if err != nil {
		return err
	}
	m, ok := fn.(*macro)
	if !ok {
		return errorf("call block needs a macro, got %s", typeName(fn))
	}
	args, err := r.evalArgs(&n.call.argList, s)
	if err != nil {
		return err
	}
	args.caller = &macro{name: "caller", params: n.params, body: n.body, closure: s,
		varargs: n.usesVarargs, kwargs: n.usesKwargs}
	v, err := m.call(r, args)
	if err != nil {
		return err
	}
	return r.write(pyStr(v))
}
