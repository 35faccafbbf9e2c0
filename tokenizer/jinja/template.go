package jinja

import (
	"errors"
	"fmt"
	"strings"
)

// Default limits, used when the corresponding Options field is zero.
const (
	DefaultMaxOutputBytes = 64 << 20
	DefaultMaxSteps       = 10_000_000
	DefaultMaxCallDepth   = 64
)

// Options configures parsing and rendering. Hugging Face renders chat
// templates with TrimBlocks and LstripBlocks both on.
type Options struct {
	// TrimBlocks removes the first newline after a block or comment tag.
	TrimBlocks bool
	// LstripBlocks strips spaces and tabs from the start of a line up to a
	// block or comment tag.
	LstripBlocks bool
	// MaxOutputBytes bounds the rendered output and any string built while
	// rendering (DefaultMaxOutputBytes when 0).
	MaxOutputBytes int
	// MaxSteps bounds the statements executed and loop iterations run
	// (DefaultMaxSteps when 0).
	MaxSteps int
	// MaxCallDepth bounds nested macro calls (DefaultMaxCallDepth when 0).
	MaxCallDepth int
}

func (o Options) withDefaults() Options {
	if o.MaxOutputBytes <= 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = DefaultMaxSteps
	}
	if o.MaxCallDepth <= 0 {
		o.MaxCallDepth = DefaultMaxCallDepth
	}
	return o
}

// Template is a parsed template. It is immutable and safe for concurrent
// Render calls.
type Template struct {
	name string
	body []node
	opts Options
}

// Parse parses src. name identifies the template in error messages. A
// syntax error is returned as an *Error of kind KindSyntax.
func Parse(name, src string, opts Options) (t *Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, &Error{Kind: KindSyntax, Name: name, Msg: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	opts = opts.withDefaults()
	toks, lerr := lex(prepareSource(src), opts)
	if lerr != nil {
		return nil, wrapError(name, lerr)
	}
	p := &parser{toks: toks}
	body, perr := p.parseTemplate()
	if perr != nil {
		return nil, wrapError(name, perr)
	}
	return &Template{name: name, body: body, opts: opts}, nil
}

// Name returns the name given to Parse.
func (t *Template) Name() string { return t.name }

// Render executes the template with vars as its global variables and
// returns the output.
//
// Values may be nil, bool, any integer type, float32/float64, string,
// json.Number, json.RawMessage (decoded with DecodeJSON), slices and arrays
// ([]any, []string, []map[string]any, ...), maps with string keys,
// *OrderedMap, Tuple, Func, and pointers to these.
// *OrderedMap (see DecodeJSON) keeps key order for tojson, items() and
// iteration; plain Go maps are visited in sorted key order.
//
// Besides vars, templates see the globals range, dict, namespace and
// raise_exception (which fails the render with an *Error of kind
// KindRaised); an entry in vars with the same name takes precedence, e.g. a
// strftime_now built with StrftimeNow. Every failure is an *Error.
func (t *Template) Render(vars map[string]any) (out string, err error) {
	r := &renderer{t: t, opts: t.opts}
	defer func() {
		if rec := recover(); rec != nil {
			out, err = "", &Error{Kind: KindRuntime, Name: t.name, Line: r.line, Msg: fmt.Sprintf("internal error: %v", rec)}
		}
	}()
	globals := &scope{vars: builtinGlobals()}
	user := &scope{vars: make(map[string]any, len(vars)), parent: globals}
	for k, v := range vars {
		n, nerr := normalize(v)
		if nerr != nil {
			return "", &Error{Kind: KindRuntime, Name: t.name, Msg: fmt.Sprintf("variable %q: %v", k, nerr)}
		}
		user.vars[k] = n
	}
	var b strings.Builder
	r.out = &b
	if xerr := r.execBody(t.body, &scope{vars: map[string]any{}, parent: user}); xerr != nil {
		if errors.Is(xerr, errBreak) || errors.Is(xerr, errContinue) {
			xerr = &evalError{kind: KindSyntax, line: r.line, msg: "break or continue outside a loop"}
		}
		return "", r.wrap(xerr)
	}
	return b.String(), nil
}

// wrapError turns an internal error into the public *Error.
func wrapError(name string, e *evalError) *Error {
	return &Error{Kind: e.kind, Name: name, Line: e.line, Msg: e.msg, Err: e.err}
}

func (r *renderer) wrap(err error) error {
	var pub *Error
	if errors.As(err, &pub) {
		if pub.Name == "" {
			pub.Name = r.t.name
		}
		if pub.Line == 0 {
			pub.Line = r.line
		}
		return pub
	}
	var ee *evalError
	if errors.As(err, &ee) {
		if ee.line == 0 {
			ee.line = r.line
		}
		return wrapError(r.t.name, ee)
	}
	return &Error{Kind: KindRuntime, Name: r.t.name, Line: r.line, Msg: err.Error(), Err: err}
}
