package safetensors

import "sort"

// dtypeSizes maps every dtype name the format defines to its element size
// in bytes.
var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// DTypeSize returns the size in bytes of one element of the named dtype and
// whether the name is known.
func DTypeSize(name string) (int, bool) {
	n, ok := dtypeSizes[name]
	return n, ok
}

// DTypes lists the dtype names this package accepts, sorted.
func DTypes() []string {
	out := make([]string, 0, len(dtypeSizes))
	for k := range dtypeSizes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
