package jinja

// walkNames calls visit for every name an AST references, in statements
// and expressions alike; nested macro bodies are included.
func walkNames(body []node, visit func(string)) {
	for _, n := range body {
		walkNode(n, visit)
	}
}

func walkNode(n node, visit func(string)) {
	switch n := n.(type) {
	case *outputNode:
		walkExpr(n.expr, visit)
	case *ifNode:
		for i, c := range n.conds {
			walkExpr(c, visit)
			walkNames(n.bodies[i], visit)
		}
		walkNames(n.orElse, visit)
	case *forNode:
		walkExpr(n.iter, visit)
		walkExpr(n.cond, visit)
		walkNames(n.body, visit)
		walkNames(n.orElse, visit)
	case *setNode:
		walkExpr(n.value, visit)
	case *setBlockNode:
		for _, f := range n.filters {
			walkExpr(f, visit)
		}
		walkNames(n.body, visit)
	case *macroNode:
		for _, p := range n.params {
			walkExpr(p.def, visit)
		}
		walkNames(n.body, visit)
	case *callBlockNode:
		walkExpr(n.call, visit)
		walkNames(n.body, visit)
	case *filterBlockNode:
		for _, f := range n.filters {
			walkExpr(f, visit)
		}
		walkNames(n.body, visit)
	case *withNode:
		for _, v := range n.values {
			walkExpr(v, visit)
		}
		walkNames(n.body, visit)
	case *containerNode:
		walkNames(n.body, visit)
	}
}

func walkArgs(l *argList, visit func(string)) {
	for _, a := range l.args {
		walkExpr(a, visit)
	}
	for _, a := range l.kwValues {
		walkExpr(a, visit)
	}
	walkExpr(l.star, visit)
	walkExpr(l.starstar, visit)
}

func walkExprs(es []expr, visit func(string)) {
	for _, e := range es {
		walkExpr(e, visit)
	}
}

func walkExpr(e expr, visit func(string)) {
	switch e := e.(type) {
	case *nameExpr:
		visit(e.name)
	case *listExpr:
		walkExprs(e.items, visit)
	case *tupleExpr:
		walkExprs(e.items, visit)
	case *dictExpr:
		walkExprs(e.keys, visit)
		walkExprs(e.vals, visit)
	case *attrExpr:
		walkExpr(e.obj, visit)
	case *itemExpr:
		walkExpr(e.obj, visit)
		walkExpr(e.key, visit)
	case *sliceExpr:
		walkExprs([]expr{e.obj, e.start, e.stop, e.step}, visit)
	case *callExpr:
		walkExpr(e.fn, visit)
		walkArgs(&e.argList, visit)
	case *filterExpr:
		walkExpr(e.input, visit)
		walkArgs(&e.argList, visit)
	case *testExpr:
		walkExpr(e.input, visit)
		walkArgs(&e.argList, visit)
	case *unaryExpr:
		walkExpr(e.x, visit)
	case *binaryExpr:
		walkExpr(e.l, visit)
		walkExpr(e.r, visit)
	case *compareExpr:
		walkExpr(e.first, visit)
		walkExprs(e.rest, visit)
	case *concatExpr:
		walkExprs(e.items, visit)
	case *condExpr:
		walkExprs([]expr{e.test, e.then, e.orElse}, visit)
	}
}
