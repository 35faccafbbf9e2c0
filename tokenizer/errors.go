package tokenizer

import (
	"fmt"
)

// LoadError reports a tokenizer file that is missing, unreadable or holds a
// value this package cannot use. File is the file's base name (for example
// "tokenizer.json"), Field the JSON path of the offending value when one is
// known (for example "model.merges[12]").
type LoadError struct {
	File  string
	Field string
	Err   error
}

// Error names the file, the field when known, and the cause.
func (e *LoadError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("tokenizer: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("tokenizer: %s: field %s: %v", e.File, e.Field, e.Err)
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// UnsupportedError reports a component type in tokenizer.json (a model,
// normalizer, pre-tokenizer, post-processor or decoder, or a split pattern)
// that this package does not implement.
type UnsupportedError struct {
	Kind string // "model", "normalizer", "pre_tokenizer", "post_processor", "decoder" or "pattern"
	Type string // the "type" value or pattern text
}

// Error names the component kind and type.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("unsupported %s %q", e.Kind, e.Type)
}

// TemplateError reports a chat template that is missing, fails to parse or
// fails to render.
type TemplateError struct {
	Name string // template name ("default" when unnamed)
	Err  error
}

// Error names the template and the cause.
func (e *TemplateError) Error() string {
	return fmt.Sprintf("tokenizer: chat template %q: %v", e.Name, e.Err)
}

// Unwrap returns the underlying error.
func (e *TemplateError) Unwrap() error { return e.Err }

// fieldError is an error tied to a JSON path inside tokenizer.json; the
// loader turns it into a *LoadError naming the file.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.field + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// atField wraps err with a JSON path; a path already present is prefixed.
func atField(field string, err error) error {
	if fe, ok := err.(*fieldError); ok {
		return &fieldError{field: field + "." + fe.field, err: fe.err}
	}
	return &fieldError{field: field, err: err}
}
