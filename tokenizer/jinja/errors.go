package jinja

import "fmt"

// ErrorKind classifies an *Error so callers can tell a broken template from a
// conversation the template refused.
type ErrorKind int

const (
	// KindSyntax is a template that does not parse.
	KindSyntax ErrorKind = iota + 1
	// KindRuntime is an operation that failed while rendering (bad types,
	// undefined values used where Jinja2 rejects them, a failing Func).
	KindRuntime
	// KindRaised is an error the template raised itself through
	// raise_exception, usually because the input violates its rules.
	KindRaised
	// KindLimit is a render stopped by one of the Options limits.
	KindLimit
)

// String names the kind.
func (k ErrorKind) String() string {
	switch k {
	case KindSyntax:
		return "syntax error"
	case KindRuntime:
		return "runtime error"
	case KindRaised:
		return "raised"
	case KindLimit:
		return "limit exceeded"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Error is the only error type Parse and Render return. Line is 1-based and
// points into the template source (0 when unknown).
type Error struct {
	Kind ErrorKind
	Name string // template name given to Parse
	Line int
	Msg  string
	Err  error // underlying cause, e.g. the error a Func returned
}

// Error formats the error as "jinja: name:line: kind: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("jinja: %s:%d: %s: %s", e.Name, e.Line, e.Kind, e.Msg)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// evalError is the internal form of a runtime failure; the renderer stamps it
// with the template name and the line of the node being evaluated.
type evalError struct {
	kind ErrorKind
	line int
	msg  string
	err  error
}

func (e *evalError) Error() string { return e.msg }
func (e *evalError) Unwrap() error { return e.err }

func errorf(format string, args ...any) *evalError {
	return &evalError{kind: KindRuntime, msg: fmt.Sprintf(format, args...)}
}
