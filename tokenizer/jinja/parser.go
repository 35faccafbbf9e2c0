package jinja

import "strings"

// maxParseDepth bounds nesting of blocks and expressions, so hostile
// templates cannot exhaust the stack.
const maxParseDepth = 500

type parser struct {
	toks      []token
	i         int
	depth     int
	loopDepth int // enclosing for loops in the current macro, for break/continue
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.typ != tEOF {
		p.i++
	}
	return t
}

func (p *parser) fail(t token, format string, args ...any) *evalError {
	e := errorf(format, args...)
	e.kind = KindSyntax
	e.line = t.line
	return e
}

func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.typ == tOp && t.val == op
}

func (p *parser) isName(name string) bool {
	t := p.peek()
	return t.typ == tName && t.val == name
}

func (p *parser) expectOp(op string) *evalError {
	t := p.next()
	if t.typ != tOp || t.val != op {
		return p.fail(t, "expected '%s', got %s", op, t)
	}
	return nil
}

func (p *parser) expectName() (token, *evalError) {
	t := p.next()
	if t.typ != tName {
		return t, p.fail(t, "expected a name, got %s", t)
	}
	return t, nil
}

func (p *parser) expectBlockEnd() *evalError {
	t := p.next()
	if t.typ != tBlockEnd {
		return p.fail(t, "expected end of statement '%%}', got %s", t)
	}
	return nil
}

func (p *parser) enter() *evalError {
	p.depth++
	if p.depth > maxParseDepth {
		return p.fail(p.peek(), "template nested deeper than %d levels", maxParseDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// parseTemplate parses the whole token stream.
func (p *parser) parseTemplate() ([]node, *evalError) {
	body, end, err := p.parseBody()
	if err != nil {
		return nil, err
	}
	if end != "" {
		return nil, p.fail(p.toks[p.i-1], "unexpected '%s'", end)
	}
	return body, nil
}

// parseBody parses nodes until EOF or a block tag named in ends. It returns
// the name of the ending tag (the tag name itself consumed, the rest of the
// tag left for the caller), or "" at end of template.
func (p *parser) parseBody(ends ...string) ([]node, string, *evalError) {
	if err := p.enter(); err != nil {
		return nil, "", err
	}
	defer p.leave()
	var body []node
	for {
		t := p.next()
		switch t.typ {
		case tEOF:
			if len(ends) > 0 {
				return nil, "", p.fail(t, "unexpected end of template, expected '%s'", strings.Join(ends, "' or '"))
			}
			return body, "", nil
		case tData:
			body = append(body, &textNode{pos{t.line}, t.val})
		case tVarBegin:
			e, err := p.parseTuple(true)
			if err != nil {
				return nil, "", err
			}
			if end := p.next(); end.typ != tVarEnd {
				return nil, "", p.fail(end, "expected end of print statement '}}', got %s", end)
			}
			body = append(body, &outputNode{pos{t.line}, e})
		case tBlockBegin:
			kw, err := p.expectName()
			if err != nil {
				return nil, "", err
			}
			for _, e := range ends {
				if kw.val == e {
					return body, kw.val, nil
				}
			}
			n, err := p.parseStatement(kw)
			if err != nil {
				return nil, "", err
			}
			body = append(body, n)
		default:
			return nil, "", p.fail(t, "unexpected %s", t)
		}
	}
}

func (p *parser) parseStatement(kw token) (node, *evalError) {
	at := pos{kw.line}
	switch kw.val {
	case "if":
		return p.parseIf(at)
	case "for":
		return p.parseFor(at)
	case "set":
		return p.parseSet(at)
	case "macro":
		return p.parseMacro(at)
	case "call":
		return p.parseCallBlock(at)
	case "filter":
		return p.parseFilterBlock(at)
	case "with":
		return p.parseWith(at)
	case "generation":
		if err := p.expectBlockEnd(); err != nil {
			return nil, err
		}
		body, err := p.parseEnd("endgeneration")
		return &containerNode{at, body}, err
	case "break", "continue":
		if p.loopDepth == 0 {
			return nil, p.fail(kw, "'%s' outside a loop", kw.val)
		}
		if err := p.expectBlockEnd(); err != nil {
			return nil, err
		}
		if kw.val == "break" {
			return &breakNode{at}, nil
		}
		return &continueNode{at}, nil
	case "include", "import", "from", "extends", "block":
		return nil, p.fail(kw, "'%s' is not supported: chat templates are single files", kw.val)
	}
	return nil, p.fail(kw, "unknown tag '%s'", kw.val)
}

// parseEnd parses a body that must close with the given tag.
func (p *parser) parseEnd(end string) ([]node, *evalError) {
	body, _, err := p.parseBody(end)
	if err != nil {
		return nil, err
	}
	return body, p.expectBlockEnd()
}

func (p *parser) parseIf(at pos) (node, *evalError) {
	n := &ifNode{pos: at}
	for {
		cond, err := p.parseTuple(false)
		if err != nil {
			return nil, err
		}
		if err := p.expectBlockEnd(); err != nil {
			return nil, err
		}
		body, end, err := p.parseBody("elif", "else", "endif")
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, cond)
		n.bodies = append(n.bodies, body)
		switch end {
		case "elif":
			continue
		case "else":
			if err := p.expectBlockEnd(); err != nil {
				return nil, err
			}
			n.orElse, err = p.parseEnd("endif")
			return n, err
		}
		return n, p.expectBlockEnd()
	}
}

func (p *parser) parseFor(at pos) (node, *evalError) {
	target, err := p.parseAssignTarget(true, false)
	if err != nil {
		return nil, err
	}
	if !p.isName("in") {
		return nil, p.fail(p.peek(), "expected 'in' in for loop, got %s", p.peek())
	}
	p.next()
	iter, err := p.parseTuple(false)
	if err != nil {
		return nil, err
	}
	n := &forNode{pos: at, target: target, iter: iter}
	if p.isName("if") {
		p.next()
		if n.cond, err = p.parseExpression(true); err != nil {
			return nil, err
		}
	}
	if p.isName("recursive") {
		p.next()
		n.recursive = true
	}
	if err := p.expectBlockEnd(); err != nil {
		return nil, err
	}
	p.loopDepth++
	body, end, err := p.parseBody("else", "endfor")
	p.loopDepth--
	if err != nil {
		return nil, err
	}
	n.body = body
	if err := p.expectBlockEnd(); err != nil {
		return nil, err
	}
	if end == "else" {
		n.orElse, err = p.parseEnd("endfor")
	}
	return n, err
}

// parseAssignTarget reads "name", "ns.attr" (when attrOK) or "a, b"
// (when tupleOK), optionally in parentheses.
func (p *parser) parseAssignTarget(tupleOK, attrOK bool) (assignTarget, *evalError) {
	var t assignTarget
	paren := false
	if tupleOK && p.isOp("(") {
		p.next()
		paren = true
	}
	for {
		name, err := p.expectName()
		if err != nil {
			return t, err
		}
		if isReservedName(name.val) {
			return t, p.fail(name, "cannot assign to '%s'", name.val)
		}
		t.names = append(t.names, name.val)
		if attrOK && len(t.names) == 1 && p.isOp(".") {
			p.next()
			attr, err := p.expectName()
			if err != nil {
				return t, err
			}
			t.attr = attr.val
			return t, nil
		}
		if !tupleOK || !p.isOp(",") {
			break
		}
		p.next()
		t.tuple = true
		if paren && p.isOp(")") {
			break
		}
	}
	if paren {
		if err := p.expectOp(")"); err != nil {
			return t, err
		}
		t.tuple = true
	}
	return t, nil
}

func isReservedName(s string) bool {
	switch s {
	case "true", "false", "none", "True", "False", "None", "in", "not", "and", "or", "is", "if", "else":
		return true
	}
	return false
}

func (p *parser) parseSet(at pos) (node, *evalError) {
	target, err := p.parseAssignTarget(true, true)
	if err != nil {
		return nil, err
	}
	if p.isOp("=") {
		p.next()
		value, err := p.parseTuple(true)
		if err != nil {
			return nil, err
		}
		return &setNode{at, target, value}, p.expectBlockEnd()
	}
	if target.tuple || target.attr != "" {
		return nil, p.fail(p.peek(), "block set needs a single name")
	}
	filters, err := p.parseFilterChain()
	if err != nil {
		return nil, err
	}
	if err := p.expectBlockEnd(); err != nil {
		return nil, err
	}
	body, err := p.parseEnd("endset")
	return &setBlockNode{at, target, filters, body}, err
}

// parseFilterChain reads "| f(args) | g" (the leading "|" optional for the
// first filter when first is true is handled by callers).
func (p *parser) parseFilterChain() ([]*filterExpr, *evalError) {
	var out []*filterExpr
	for p.isOp("|") {
		p.next()
		f, err := p.parseFilter(nil)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func (p *parser) parseParams() ([]param, *evalError) {
	var params []param
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	for !p.isOp(")") {
		if len(params) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
			if p.isOp(")") {
				break
			}
		}
		name, err := p.expectName()
		if err != nil {
			return nil, err
		}
		prm := param{name: name.val}
		if p.isOp("=") {
			p.next()
			if prm.def, err = p.parseExpression(true); err != nil {
				return nil, err
			}
		} else if len(params) > 0 && params[len(params)-1].def != nil {
			return nil, p.fail(name, "non-default argument '%s' follows default argument", name.val)
		}
		params = append(params, prm)
	}
	p.next()
	return params, nil
}

func (p *parser) parseMacro(at pos) (node, *evalError) {
	name, err := p.expectName()
	if err != nil {
		return nil, err
	}
	params, err := p.parseParams()
	if err != nil {
		return nil, err
	}
	if err := p.expectBlockEnd(); err != nil {
		return nil, err
	}
	outerLoops := p.loopDepth
	p.loopDepth = 0
	body, err := p.parseEnd("endmacro")
	p.loopDepth = outerLoops
	m := &macroNode{pos: at, name: name.val, params: params, body: body}
	m.usesVarargs, m.usesKwargs, m.usesCaller = specialNames(body)
	return m, err
}

func (p *parser) parseCallBlock(at pos) (node, *evalError) {
	var params []param
	var err *evalError
	if p.isOp("(") {
		if params, err = p.parseParams(); err != nil {
			return nil, err
		}
	}
	e, err := p.parseExpression(true)
	if err != nil {
		return nil, err
	}
	call, ok := e.(*callExpr)
	if !ok {
		return nil, p.fail(p.peek(), "expected a call after 'call'")
	}
	if err := p.expectBlockEnd(); err != nil {
		return nil, err
	}
	outerLoops := p.loopDepth
	p.loopDepth = 0
	body, err := p.parseEnd("endcall")
	p.loopDepth = outerLoops
	n := &callBlockNode{pos: at, call: call, params: params, body: body}
	n.usesVarargs, n.usesKwargs, _ = specialNames(body)
	return n, err
}

func (p *parser) parseFilterBlock(at pos) (node, *evalError) {
	first, err := p.parseFilter(nil)
	if err != nil {
		return nil, err
	}
	rest, err := p.parseFilterChain()
	if err != nil {
		return nil, err
	}
	if err := p.expectBlockEnd(); err != nil {
		return nil, err
	}
	body, err := p.parseEnd("endfilter")
	return &filterBlockNode{at, append([]*filterExpr{first}, rest...), body}, err
}

func (p *parser) parseWith(at pos) (node, *evalError) {
	n := &withNode{pos: at}
	for !(p.peek().typ == tBlockEnd) {
		if len(n.targets) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		target, err := p.parseAssignTarget(false, false)
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		v, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		n.targets = append(n.targets, target)
		n.values = append(n.values, v)
	}
	p.next()
	body, err := p.parseEnd("endwith")
	n.body = body
	return n, err
}

// specialNames reports whether a macro body reads varargs, kwargs and
// caller.
func specialNames(body []node) (varargs, kwargs, caller bool) {
	walkNames(body, func(n string) {
		switch n {
		case "varargs":
			varargs = true
		case "kwargs":
			kwargs = true
		case "caller":
			caller = true
		}
	})
	return varargs, kwargs, caller
}
