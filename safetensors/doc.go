// Package safetensors reads and writes the safetensors checkpoint format:
// an 8-byte little-endian header length N, N bytes of JSON describing every
// tensor (dtype, shape, byte range) plus an optional "__metadata__" map of
// strings, then the tensors' bytes, row-major and little-endian.
//
// Open memory-maps the file (read-only, on unix; other systems read it into
// memory) and validates the whole header before returning: the size limit,
// well-formed JSON without duplicate or unknown fields, known dtype names,
// shapes whose byte size matches their range, ranges inside the file that
// neither overlap nor leave gaps, and a metadata map of strings. Every
// violation is a *FormatError naming the file, the tensor and the reason.
// Tensor data is returned as sub-slices of the mapping, so weights are never
// copied; they stay valid until Close.
//
// OpenDir and OpenIndex open a sharded checkpoint through its
// model.safetensors.index.json (weight_map), or a folder holding a single
// model.safetensors. Write produces a file that Open accepts.
//
// Why not github.com/nlpodyssey/safetensors: it was evaluated first. Its
// Deserialize works on a caller-supplied []byte, so it could serve mmap'd
// bytes without copying, and its header validation checks contiguity,
// overlaps and sizes. But its errors are untyped strings (govlm needs a
// typed error naming file, tensor and reason that callers inspect with
// errors.As), it has no memory mapping, no sharded index support and
// a writer tied to its own View interface; the format is small enough that
// a dependency-free reader of a few hundred lines, fuzzed, costs less than
// adapting it.
package safetensors
