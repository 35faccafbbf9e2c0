package jinja

// Statement nodes. Each carries the template line it starts on.
type node interface{ nodeLine() int }

type pos struct{ line int }

func (p pos) nodeLine() int { return p.line }

type (
	textNode struct {
		pos
		text string
	}
	outputNode struct {
		pos
		expr expr
	}
	ifNode struct {
		pos
		conds  []expr
		bodies [][]node
		orElse []node
	}
	forNode struct {
		pos
		target    assignTarget
		iter      expr
		cond      expr // inline "if" filter, may be nil
		recursive bool // the body may call loop(items) to recurse
		body      []node
		orElse    []node
	}
	setNode struct {
		pos
		target assignTarget
		value  expr
	}
	setBlockNode struct {
		pos
		target  assignTarget
		filters []*filterExpr // applied in order to the rendered body
		body    []node
	}
	macroNode struct {
		pos
		name   string
		params []param
		body   []node
		// Which special names the body mentions: as in jinja2, a macro
		// takes extra positional arguments only if it reads varargs, extra
		// keyword arguments only if it reads kwargs, and a {% call %} body
		// only if it reads caller.
		usesVarargs, usesKwargs, usesCaller bool
	}
	callBlockNode struct {
		pos
		call                    *callExpr
		params                  []param // the caller's own parameters
		body                    []node
		usesVarargs, usesKwargs bool
	}
	filterBlockNode struct {
		pos
		filters []*filterExpr
		body    []node
	}
	withNode struct {
		pos
		targets []assignTarget
		values  []expr
		body    []node
	}
	// containerNode renders its body in place (used for {% generation %}).
	containerNode struct {
		pos
		body []node
	}
	breakNode    struct{ pos }
	continueNode struct{ pos }
)

// assignTarget is a name, a tuple of names, or a namespace attribute.
type assignTarget struct {
	names []string // one name, or several for tuple unpacking
	tuple bool
	attr  string // when set, names[0] is the namespace and attr the field
}

type param struct {
	name string
	def  expr // nil: required
}

// argList is the argument list of a call, filter or test:
// f(a, b, k=v, *star, **starstar).
type argList struct {
	args     []expr
	kwNames  []string
	kwValues []expr
	star     expr // *iterable spread into positional arguments, or nil
	starstar expr // **dict spread into keyword arguments, or nil
}

// Expression nodes.
type expr interface{ exprLine() int }

func (p pos) exprLine() int { return p.line }

type (
	literal struct {
		pos
		val any
	}
	nameExpr struct {
		pos
		name string
	}
	listExpr struct {
		pos
		items []expr
	}
	tupleExpr struct {
		pos
		items []expr
	}
	dictExpr struct {
		pos
		keys, vals []expr
	}
	attrExpr struct {
		pos
		obj  expr
		name string
	}
	itemExpr struct {
		pos
		obj expr
		key expr
	}
	sliceExpr struct {
		pos
		obj               expr
		start, stop, step expr // each may be nil
	}
	callExpr struct {
		pos
		fn expr
		argList
	}
	filterExpr struct {
		pos
		name  string
		input expr // nil inside filter blocks and set blocks
		argList
	}
	testExpr struct {
		pos
		name  string
		input expr
		argList
		negate bool
	}
	unaryExpr struct {
		pos
		op string // "-", "+", "not"
		x  expr
	}
	binaryExpr struct {
		pos
		op   string // + - * / // % ** and or in "not in"
		l, r expr
	}
	compareExpr struct {
		pos
		first expr
		ops   []string
		rest  []expr
	}
	concatExpr struct {
		pos
		items []expr
	}
	condExpr struct {
		pos
		test, then, orElse expr // orElse may be nil
	}
)
