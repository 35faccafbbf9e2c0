package jinja

// Expression grammar, following Jinja2's parser (lowest precedence first):
// conditional, or, and, not, comparisons/in, + -, ~, * / // %, ** (left
// associative, as in Jinja2), unary - +, then primary with postfix
// (. [] ()) and filter/test chains (| is).

// parseTuple parses "a" or "a, b, ..." (a tuple without parentheses).
func (p *parser) parseTuple(withCond bool) (expr, *evalError) {
	first := p.peek()
	var items []expr
	trailingComma := false
	for {
		if len(items) > 0 {
			if !p.isOp(",") {
				break
			}
			p.next()
			trailingComma = true
		}
		if p.isTupleEnd() {
			break
		}
		e, err := p.parseExpression(withCond)
		if err != nil {
			return nil, err
		}
		items = append(items, e)
		trailingComma = false
	}
	if len(items) == 0 {
		return nil, p.fail(first, "expected an expression, got %s", first)
	}
	if len(items) == 1 && !trailingComma {
		return items[0], nil
	}
	return &tupleExpr{pos{first.line}, items}, nil
}

func (p *parser) isTupleEnd() bool {
	t := p.peek()
	switch t.typ {
	case tBlockEnd, tVarEnd, tEOF:
		return true
	case tOp:
		return t.val == ")"
	case tName:
		return t.val == "if" || t.val == "recursive"
	}
	return false
}

func (p *parser) parseExpression(withCond bool) (expr, *evalError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if withCond {
		return p.parseCondExpr()
	}
	return p.parseOr()
}

func (p *parser) parseCondExpr() (expr, *evalError) {
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	for p.isName("if") {
		t := p.next()
		test, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		var orElse expr
		if p.isName("else") {
			p.next()
			if orElse, err = p.parseExpression(true); err != nil {
				return nil, err
			}
		}
		e = &condExpr{pos{t.line}, test, e, orElse}
	}
	return e, nil
}

func (p *parser) parseOr() (expr, *evalError) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.isName("or") {
		t := p.next()
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos{t.line}, "or", l, r}
	}
	return l, nil
}

func (p *parser) parseAnd() (expr, *evalError) {
	l, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.isName("and") {
		t := p.next()
		r, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos{t.line}, "and", l, r}
	}
	return l, nil
}

func (p *parser) parseNot() (expr, *evalError) {
	if p.isName("not") {
		t := p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{pos{t.line}, "not", x}, nil
	}
	return p.parseCompare()
}

func (p *parser) parseCompare() (expr, *evalError) {
	first, err := p.parseMath1()
	if err != nil {
		return nil, err
	}
	c := &compareExpr{pos: pos{p.peek().line}, first: first}
	for {
		t := p.peek()
		var op string
		switch {
		case t.typ == tOp && (t.val == "==" || t.val == "!=" || t.val == "<" || t.val == ">" || t.val == "<=" || t.val == ">="):
			op = t.val
			p.next()
		case t.typ == tName && t.val == "in":
			op = "in"
			p.next()
		case t.typ == tName && t.val == "not" && p.peekAt(1).typ == tName && p.peekAt(1).val == "in":
			op = "not in"
			p.next()
			p.next()
		}
		if op == "" {
			break
		}
		r, err := p.parseMath1()
		if err != nil {
			return nil, err
		}
		c.ops = append(c.ops, op)
		c.rest = append(c.rest, r)
	}
	if len(c.ops) == 0 {
		return first, nil
	}
	return c, nil
}

func (p *parser) parseMath1() (expr, *evalError) {
	l, err := p.parseConcat()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		t := p.next()
		r, err := p.parseConcat()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos{t.line}, t.val, l, r}
	}
	return l, nil
}

func (p *parser) parseConcat() (expr, *evalError) {
	first, err := p.parseMath2()
	if err != nil {
		return nil, err
	}
	if !p.isOp("~") {
		return first, nil
	}
	c := &concatExpr{pos{p.peek().line}, []expr{first}}
	for p.isOp("~") {
		p.next()
		e, err := p.parseMath2()
		if err != nil {
			return nil, err
		}
		c.items = append(c.items, e)
	}
	return c, nil
}

func (p *parser) parseMath2() (expr, *evalError) {
	l, err := p.parsePow()
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("//") || p.isOp("%") {
		t := p.next()
		r, err := p.parsePow()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos{t.line}, t.val, l, r}
	}
	return l, nil
}

func (p *parser) parsePow() (expr, *evalError) {
	l, err := p.parseUnary(true)
	if err != nil {
		return nil, err
	}
	for p.isOp("**") {
		t := p.next()
		r, err := p.parseUnary(true)
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos{t.line}, "**", l, r}
	}
	return l, nil
}

func (p *parser) parseUnary(withFilter bool) (expr, *evalError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	var e expr
	var err *evalError
	if t.typ == tOp && (t.val == "-" || t.val == "+") {
		p.next()
		x, err := p.parseUnary(false)
		if err != nil {
			return nil, err
		}
		e = &unaryExpr{pos{t.line}, t.val, x}
	} else if e, err = p.parsePrimary(); err != nil {
		return nil, err
	}
	if e, err = p.parsePostfix(e); err != nil {
		return nil, err
	}
	if withFilter {
		return p.parseFilterExpr(e)
	}
	return e, nil
}

func (p *parser) parsePrimary() (expr, *evalError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	at := pos{t.line}
	switch t.typ {
	case tName:
		switch t.val {
		case "true", "True":
			return &literal{at, true}, nil
		case "false", "False":
			return &literal{at, false}, nil
		case "none", "None":
			return &literal{at, nil}, nil
		}
		return &nameExpr{at, t.val}, nil
	case tString:
		s := t.val
		for p.peek().typ == tString {
			s += p.next().val
		}
		return &literal{at, s}, nil
	case tInt:
		return &literal{at, t.ival}, nil
	case tFloat:
		return &literal{at, t.fval}, nil
	case tOp:
		switch t.val {
		case "(":
			if p.isOp(")") {
				p.next()
				return &tupleExpr{at, nil}, nil
			}
			e, err := p.parseTuple(true)
			if err != nil {
				return nil, err
			}
			return e, p.expectOp(")")
		case "[":
			l := &listExpr{pos: at}
			for !p.isOp("]") {
				if len(l.items) > 0 {
					if err := p.expectOp(","); err != nil {
						return nil, err
					}
					if p.isOp("]") {
						break
					}
				}
				e, err := p.parseExpression(true)
				if err != nil {
					return nil, err
				}
				l.items = append(l.items, e)
			}
			p.next()
			return l, nil
		case "{":
			d := &dictExpr{pos: at}
			for !p.isOp("}") {
				if len(d.keys) > 0 {
					if err := p.expectOp(","); err != nil {
						return nil, err
					}
					if p.isOp("}") {
						break
					}
				}
				k, err := p.parseExpression(true)
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(":"); err != nil {
					return nil, err
				}
				v, err := p.parseExpression(true)
				if err != nil {
					return nil, err
				}
				d.keys = append(d.keys, k)
				d.vals = append(d.vals, v)
			}
			p.next()
			return d, nil
		}
	}
	return nil, p.fail(t, "unexpected %s", t)
}

func (p *parser) parsePostfix(e expr) (expr, *evalError) {
	for {
		var err *evalError
		switch {
		case p.isOp("."), p.isOp("["):
			e, err = p.parseSubscript(e)
		case p.isOp("("):
			e, err = p.parseCall(e)
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *parser) parseFilterExpr(e expr) (expr, *evalError) {
	for {
		var err *evalError
		switch {
		case p.isOp("|"):
			p.next()
			e, err = p.parseFilter(e)
		case p.isName("is"):
			p.next()
			e, err = p.parseTest(e)
		case p.isOp("("):
			e, err = p.parseCall(e)
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *parser) parseSubscript(obj expr) (expr, *evalError) {
	t := p.next()
	at := pos{t.line}
	if t.val == "." {
		n := p.next()
		switch n.typ {
		case tName:
			return &attrExpr{at, obj, n.val}, nil
		case tInt:
			return &itemExpr{at, obj, &literal{at, n.ival}}, nil
		}
		return nil, p.fail(n, "expected a name after '.', got %s", n)
	}
	// "[" key "]" or a slice "[start:stop:step]"
	var parts [3]expr
	colons := 0
	for !p.isOp("]") {
		if p.isOp(":") {
			p.next()
			colons++
			if colons > 2 {
				return nil, p.fail(t, "too many ':' in slice")
			}
			continue
		}
		if parts[colons] != nil {
			return nil, p.fail(p.peek(), "expected ']' or ':', got %s", p.peek())
		}
		e, err := p.parseTuple(true)
		if err != nil {
			return nil, err
		}
		parts[colons] = e
	}
	p.next()
	if colons == 0 {
		if parts[0] == nil {
			return nil, p.fail(t, "empty subscript")
		}
		return &itemExpr{at, obj, parts[0]}, nil
	}
	return &sliceExpr{at, obj, parts[0], parts[1], parts[2]}, nil
}

// parseArgs reads "(a, b, k=v, *star, **starstar)".
func (p *parser) parseArgs() (argList, *evalError) {
	var l argList
	if err := p.expectOp("("); err != nil {
		return l, err
	}
	for n := 0; !p.isOp(")"); n++ {
		if n > 0 {
			if err := p.expectOp(","); err != nil {
				return l, err
			}
			if p.isOp(")") {
				break
			}
		}
		switch {
		case p.isOp("*") || p.isOp("**"):
			op := p.next()
			v, err := p.parseExpression(true)
			if err != nil {
				return l, err
			}
			if op.val == "*" {
				if l.star != nil || l.starstar != nil {
					return l, p.fail(op, "*args must come once, before **kwargs")
				}
				l.star = v
			} else {
				if l.starstar != nil {
					return l, p.fail(op, "**kwargs given twice")
				}
				l.starstar = v
			}
		case p.peek().typ == tName && p.peekAt(1).typ == tOp && p.peekAt(1).val == "=":
			if l.starstar != nil {
				return l, p.fail(p.peek(), "keyword argument follows **kwargs")
			}
			name := p.next()
			for _, have := range l.kwNames {
				if have == name.val {
					return l, p.fail(name, "keyword argument repeated: %s", name.val)
				}
			}
			p.next()
			v, err := p.parseExpression(true)
			if err != nil {
				return l, err
			}
			l.kwNames = append(l.kwNames, name.val)
			l.kwValues = append(l.kwValues, v)
		default:
			if len(l.kwNames) > 0 || l.star != nil || l.starstar != nil {
				return l, p.fail(p.peek(), "positional argument follows keyword or * argument")
			}
			v, err := p.parseExpression(true)
			if err != nil {
				return l, err
			}
			l.args = append(l.args, v)
		}
	}
	p.next()
	return l, nil
}

func (p *parser) parseCall(fn expr) (expr, *evalError) {
	line := p.peek().line
	args, err := p.parseArgs()
	if err != nil {
		return nil, err
	}
	return &callExpr{pos{line}, fn, args}, nil
}

func (p *parser) dottedName() (token, *evalError) {
	name, err := p.expectName()
	if err != nil {
		return name, err
	}
	for p.isOp(".") && p.peekAt(1).typ == tName {
		p.next()
		name.val += "." + p.next().val
	}
	return name, nil
}

func (p *parser) parseFilter(input expr) (*filterExpr, *evalError) {
	name, err := p.dottedName()
	if err != nil {
		return nil, err
	}
	if _, ok := filters[name.val]; !ok {
		return nil, p.fail(name, "no filter named '%s'", name.val)
	}
	f := &filterExpr{pos: pos{name.line}, name: name.val, input: input}
	if p.isOp("(") {
		if f.argList, err = p.parseArgs(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (p *parser) parseTest(input expr) (expr, *evalError) {
	negate := false
	if p.isName("not") {
		p.next()
		negate = true
	}
	name, err := p.dottedName()
	if err != nil {
		return nil, err
	}
	if !isTestName(name.val) {
		return nil, p.fail(name, "no test named '%s'", name.val)
	}
	t := &testExpr{pos: pos{name.line}, name: name.val, input: input, negate: negate}
	next := p.peek()
	switch {
	case p.isOp("("):
		if t.argList, err = p.parseArgs(); err != nil {
			return nil, err
		}
	case next.typ == tName && next.val != "else" && next.val != "or" && next.val != "and",
		next.typ == tString, next.typ == tInt, next.typ == tFloat,
		next.typ == tOp && (next.val == "(" || next.val == "[" || next.val == "{"):
		if next.typ == tName && next.val == "is" {
			return nil, p.fail(next, "you cannot chain multiple tests with is")
		}
		arg, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		if arg, err = p.parsePostfix(arg); err != nil {
			return nil, err
		}
		t.args = []expr{arg}
	}
	return t, nil
}
