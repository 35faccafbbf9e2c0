package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"sort"
)

// MaxHeaderSize is the largest JSON header Open accepts (100 MB, the limit
// of the reference implementation).
const MaxHeaderSize = 100_000_000

// Info describes one tensor: its safetensors dtype name, its shape
// (outermost first; empty for a scalar) and its bytes.
type Info struct {
	DType string
	Shape []int
	Data  []byte
}

// entry is a tensor's header record.
type entry struct {
	DType       *string   `json:"dtype"`
	Shape       *[]int64  `json:"shape"`
	DataOffsets *[]uint64 `json:"data_offsets"`
}

type span struct {
	name       string
	begin, end uint64
}

// parse validates a whole file image b and returns its tensors and
// metadata. name labels errors.
func parse(name string, b []byte) (map[string]Info, map[string]string, error) {
	fail := func(tensor, format string, args ...any) error {
		return &FormatError{File: name, Tensor: tensor, Reason: fmt.Sprintf(format, args...)}
	}
	if len(b) < 8 {
		return nil, nil, fail("", "file of %d bytes is shorter than the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > MaxHeaderSize {
		return nil, nil, fail("", "header length %d exceeds the %d-byte limit", n, MaxHeaderSize)
	}
	if n > uint64(len(b)-8) {
		return nil, nil, fail("", "header length %d runs past the end of the %d-byte file", n, len(b))
	}
	head := b[8 : 8+n]
	data := b[8+n:]
	if len(bytes.TrimRight(head, " ")) == 0 || head[0] != '{' {
		return nil, nil, fail("", "header is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, nil, fail("", "header JSON: %v", err)
	}
	tensors := map[string]Info{}
	var meta map[string]string
	seen := map[string]bool{}
	var spans []span
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fail("", "header JSON: %v", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, nil, fail("", "header JSON: key %v is not a string", tok)
		}
		if seen[key] {
			return nil, nil, fail(key, "appears twice in the header")
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fail(key, "header JSON: %v", err)
		}
		if key == "__metadata__" {
			if err := json.Unmarshal(raw, &meta); err != nil || meta == nil && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
				return nil, nil, fail("", "__metadata__ must map strings to strings")
			}
			continue
		}
		var e entry
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&e); err != nil {
			return nil, nil, fail(key, "invalid record: %v", err)
		}
		if e.DType == nil || e.Shape == nil || e.DataOffsets == nil {
			return nil, nil, fail(key, "record needs dtype, shape and data_offsets")
		}
		size, ok := dtypeSizes[*e.DType]
		if !ok {
			return nil, nil, fail(key, "unknown dtype %q", *e.DType)
		}
		if len(*e.DataOffsets) != 2 {
			return nil, nil, fail(key, "data_offsets must be [begin, end]")
		}
		begin, end := (*e.DataOffsets)[0], (*e.DataOffsets)[1]
		if begin > end {
			return nil, nil, fail(key, "data_offsets [%d, %d] run backwards", begin, end)
		}
		if end > uint64(len(data)) {
			return nil, nil, fail(key, "data_offsets [%d, %d] run past the %d data bytes", begin, end, len(data))
		}
		count := uint64(1)
		shape := make([]int, len(*e.Shape))
		for i, dim := range *e.Shape {
			if dim < 0 {
				return nil, nil, fail(key, "negative dimension %d", dim)
			}
			hi, lo := bits.Mul64(count, uint64(dim))
			if hi != 0 || lo > math.MaxInt64 {
				return nil, nil, fail(key, "shape %v overflows", *e.Shape)
			}
			count = lo
			shape[i] = int(dim)
		}
		if hi, nbytes := bits.Mul64(count, uint64(size)); hi != 0 || nbytes != end-begin {
			return nil, nil, fail(key, "shape %v of %s needs %d bytes, data_offsets give %d", shape, *e.DType, count*uint64(size), end-begin)
		}
		tensors[key] = Info{DType: *e.DType, Shape: shape, Data: data[begin:end:end]}
		spans = append(spans, span{key, begin, end})
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fail("", "header JSON: %v", err)
	}
	if rest := bytes.TrimRight(head[dec.InputOffset():], " \t\r\n"); len(rest) != 0 {
		return nil, nil, fail("", "trailing bytes after the header JSON")
	}
	// The ranges must tile the data area exactly: sorted by offset, each
	// begins where the previous ended and the last ends at the file's end.
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].begin != spans[j].begin {
			return spans[i].begin < spans[j].begin
		}
		return spans[i].end < spans[j].end
	})
	var at uint64
	for _, s := range spans {
		switch {
		case s.begin < at:
			return nil, nil, fail(s.name, "data_offsets [%d, %d] overlap another tensor", s.begin, s.end)
		case s.begin > at:
			return nil, nil, fail(s.name, "gap of %d bytes before data_offsets [%d, %d]", s.begin-at, s.begin, s.end)
		}
		at = s.end
	}
	if at != uint64(len(data)) {
		return nil, nil, fail("", "%d bytes after the last tensor", uint64(len(data))-at)
	}
	return tensors, meta, nil
}
