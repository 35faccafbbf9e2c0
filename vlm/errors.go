package vlm

import (
	"fmt"
	"strings"
)

// ErrorKind classifies an *Error.
type ErrorKind uint8

// Error kinds.
const (
	KindUnknown                ErrorKind = iota
	KindImageRequired                    // the model needs an image and none was given
	KindMaskRequired                     // the model needs an attention mask in LMInput
	KindSingleImageAllowed               // more than one image for a one-image model
	KindSingleVideoAllowed               // more than one video for a one-video model
	KindSingleMediaTypeAllowed           // images and videos mixed where only one kind is allowed
	KindImageProcessing                  // an image could not be loaded or preprocessed
	KindVideoProcessing                  // a video could not be loaded or preprocessed
	KindProcessing                       // the prompt could not be prepared (template, tokens)
	KindUnsupportedModelType             // config.json names a model_type nobody registered
	KindUnknownProcessor                 // no processor is registered for the class or model type
	KindLoad                             // files, config or weights could not be loaded
	KindGeneration                       // generation parameters or the model failed mid-run
)

var kindNames = [...]string{
	KindUnknown:                "unknown",
	KindImageRequired:          "image required",
	KindMaskRequired:           "mask required",
	KindSingleImageAllowed:     "only a single image is allowed",
	KindSingleVideoAllowed:     "only a single video is allowed",
	KindSingleMediaTypeAllowed: "only one media type (images or videos) is allowed",
	KindImageProcessing:        "image processing",
	KindVideoProcessing:        "video processing",
	KindProcessing:             "processing",
	KindUnsupportedModelType:   "unsupported model type",
	KindUnknownProcessor:       "unknown processor",
	KindLoad:                   "load",
	KindGeneration:             "generation",
}

// String returns the kind in words.
func (k ErrorKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", uint8(k))
}

// Error is the typed error of the vlm API. Detail says what went wrong in
// words that name the input; Err is the underlying cause, if any.
type Error struct {
	Kind   ErrorKind
	Detail string
	Err    error
}

// Error returns "vlm: <kind>: <detail>: <cause>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("vlm: ")
	b.WriteString(e.Kind.String())
	e.writeTail(&b)
	return b.String()
}

// writeTail writes ": detail: cause". A cause that is an *Error of the
// same kind is written without repeating the "vlm: kind" prefix.
func (e *Error) writeTail(b *strings.Builder) {
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err == nil {
		return
	}
	if inner, ok := e.Err.(*Error); ok && inner.Kind == e.Kind {
		inner.writeTail(b)
		return
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same kind, so that
// errors.Is(err, vlm.ErrSingleImageAllowed) matches any such error
// whatever its detail.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Detail == "" && t.Err == nil
}

// Errorf returns an *Error of kind k with a formatted detail. A %w verb in
// format sets Err.
func Errorf(k ErrorKind, format string, args ...any) *Error {
	wrapped := fmt.Errorf(format, args...)
	e := &Error{Kind: k, Detail: wrapped.Error()}
	if u, ok := wrapped.(interface{ Unwrap() error }); ok {
		e.Err = u.Unwrap()
		e.Detail = strings.TrimSuffix(strings.TrimSuffix(e.Detail, e.Err.Error()), ": ")
	}
	return e
}

// Sentinels for errors.Is, one per kind.
var (
	ErrImageRequired          = &Error{Kind: KindImageRequired}
	ErrMaskRequired           = &Error{Kind: KindMaskRequired}
	ErrSingleImageAllowed     = &Error{Kind: KindSingleImageAllowed}
	ErrSingleVideoAllowed     = &Error{Kind: KindSingleVideoAllowed}
	ErrSingleMediaTypeAllowed = &Error{Kind: KindSingleMediaTypeAllowed}
	ErrImageProcessing        = &Error{Kind: KindImageProcessing}
	ErrVideoProcessing        = &Error{Kind: KindVideoProcessing}
	ErrProcessing             = &Error{Kind: KindProcessing}
	ErrUnsupportedModelType   = &Error{Kind: KindUnsupportedModelType}
	ErrUnknownProcessor       = &Error{Kind: KindUnknownProcessor}
	ErrLoad                   = &Error{Kind: KindLoad}
	ErrGeneration             = &Error{Kind: KindGeneration}
)
