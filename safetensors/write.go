package safetensors

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// Write writes tensors and metadata (may be nil) in safetensors format.
// Tensors are laid out by descending element size, then by name, so every
// tensor is aligned to its element size when the data area is (the header is
// padded with spaces to a multiple of 8 bytes). An Info whose dtype is
// unknown or whose Data does not match its shape is a *FormatError.
func Write(w io.Writer, tensors map[string]Info, metadata map[string]string) error {
	names := make([]string, 0, len(tensors))
	for name, t := range tensors {
		size, ok := dtypeSizes[t.DType]
		if !ok {
			return &FormatError{Tensor: name, Reason: fmt.Sprintf("unknown dtype %q", t.DType)}
		}
		if name == "__metadata__" {
			return &FormatError{Tensor: name, Reason: "reserved name"}
		}
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return &FormatError{Tensor: name, Reason: "negative dimension"}
			}
			n *= d
		}
		if n*size != len(t.Data) {
			return &FormatError{Tensor: name, Reason: fmt.Sprintf("shape %v of %s needs %d bytes, have %d", t.Shape, t.DType, n*size, len(t.Data))}
		}
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		si, sj := dtypeSizes[tensors[names[i]].DType], dtypeSizes[tensors[names[j]].DType]
		if si != sj {
			return si > sj
		}
		return names[i] < names[j]
	})
	header := make(map[string]any, len(names)+1)
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var off uint64
	for _, name := range names {
		t := tensors[name]
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		end := off + uint64(len(t.Data))
		header[name] = map[string]any{"dtype": t.DType, "shape": shape, "data_offsets": [2]uint64{off, end}}
		off = end
	}
	js, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("safetensors: encoding header: %w", err)
	}
	for len(js)%8 != 0 {
		js = append(js, ' ')
	}
	bw := bufio.NewWriter(w)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(js)))
	bw.Write(n[:])
	bw.Write(js)
	for _, name := range names {
		bw.Write(tensors[name].Data)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: writing: %w", err)
	}
	return nil
}
