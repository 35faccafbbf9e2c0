package safetensors

import "fmt"

// FormatError reports a malformed safetensors file or index.
type FormatError struct {
	File   string // the file (or index) being read; empty for Write
	Tensor string // the tensor concerned, if any
	Reason string
}

func (e *FormatError) Error() string {
	switch {
	case e.Tensor != "" && e.File != "":
		return fmt.Sprintf("safetensors: %s: tensor %q: %s", e.File, e.Tensor, e.Reason)
	case e.Tensor != "":
		return fmt.Sprintf("safetensors: tensor %q: %s", e.Tensor, e.Reason)
	case e.File != "":
		return fmt.Sprintf("safetensors: %s: %s", e.File, e.Reason)
	}
	return "safetensors: " + e.Reason
}
