package vlm

import (
	"fmt"
	"strings"

	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
)

// checkpoint is the opened (memory-mapped) safetensors files of a model.
type checkpoint struct {
	src  *safetensors.Set
	dir  string
	size int64
}

func openWeights(dir string) (*checkpoint, error) {
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, Errorf(KindLoad, "opening the weights in %s: %w", dir, err)
	}
	c := &checkpoint{src: src, dir: dir}
	for _, name := range src.Tensors() {
		if info, ok := src.Tensor(name); ok {
			c.size += int64(len(info.Data))
		}
	}
	return c, nil
}

// Close unmaps the files.
func (c *checkpoint) Close() error { return c.src.Close() }

// tensors wraps every checkpoint tensor without copying (where alignment
// allows), combines the mlx-community triplets X.weight (U32) + X.scales +
// X.biases into one quantized tensor named X.weight, and converts tensors of
// rank ≤ 1 (norm weights, biases) to F32, which the ops expect. Only the
// converted tensors allocate memory.
func (c *checkpoint) tensors(q *QuantizationConfig) (map[string]*tensor.Tensor, error) {
	raw := map[string]*tensor.Tensor{}
	for _, name := range c.src.Tensors() {
		info, _ := c.src.Tensor(name)
		t, err := safetensors.ToTensor(info)
		if err != nil {
			return nil, Errorf(KindLoad, "tensor %s: %w", name, err)
		}
		raw[name] = t
	}
	out, err := CombineQuantized(raw, q)
	if err != nil {
		return nil, err
	}
	for name, t := range out {
		if t.Rank() <= 1 && t.DType() != tensor.F32 && t.DType().IsFloat() && t.DType() != tensor.Q4 && t.DType() != tensor.Q8 {
			out[name] = t.ToF32()
		}
	}
	return out, nil
}

// CombineQuantized replaces every triplet X.weight (packed U32) + X.scales +
// X.biases of weights by one Q4/Q8 tensor X.weight, using the bits and
// group size q gives module X (per-module overrides included). When the
// configured width does not fit the stored shapes, the width implied by the
// shapes with the configured group size is used. Other tensors pass through.
// Errors are KindLoad *Error values naming the tensor.
func CombineQuantized(weights map[string]*tensor.Tensor, q *QuantizationConfig) (map[string]*tensor.Tensor, error) {
	out := make(map[string]*tensor.Tensor, len(weights))
	for name, t := range weights {
		out[name] = t
	}
	for name, scales := range weights {
		base, ok := strings.CutSuffix(name, ".scales")
		if !ok {
			continue
		}
		w, wok := weights[base+".weight"]
		biases, bok := weights[base+".biases"]
		if !wok || !bok || w.DType() != tensor.U32 {
			continue
		}
		if q == nil {
			return nil, Errorf(KindLoad, "%s is quantized but config.json has no quantization settings", base)
		}
		qt, err := combine(base, w, scales, biases, q)
		if err != nil {
			return nil, err
		}
		out[base+".weight"] = qt
		delete(out, name)
		delete(out, base+".biases")
	}
	return out, nil
}

func combine(base string, w, scales, biases *tensor.Tensor, q *QuantizationConfig) (*tensor.Tensor, error) {
	bad := func(format string, args ...any) error {
		return Errorf(KindLoad, "quantized %s: %s", base, fmt.Sprintf(format, args...))
	}
	if w.Rank() != 2 || scales.Rank() != 2 || !sameShape(scales.Shape(), biases.Shape()) || scales.Dim(0) != w.Dim(0) {
		return nil, bad("weight %v, scales %v and biases %v do not fit together", w.Shape(), scales.Shape(), biases.Shape())
	}
	bits, group, quantized := q.For(base)
	if !quantized {
		bits, group = q.Bits, q.GroupSize
	}
	rows, words, groups := w.Dim(0), w.Dim(1), scales.Dim(1)
	if words*32/bits != groups*group {
		// Mixed-precision checkpoints without per-module entries: infer the
		// width from the shapes.
		found := false
		for _, b := range []int{4, 8} {
			if words*32/b == groups*group {
				bits, found = b, true
				break
			}
		}
		if !found {
			return nil, bad("weight %v and scales %v fit neither 4 nor 8 bits with group size %d", w.Shape(), scales.Shape(), group)
		}
	}
	s, err := floats(scales)
	if err != nil {
		return nil, bad("scales: %v", err)
	}
	b, err := floats(biases)
	if err != nil {
		return nil, bad("biases: %v", err)
	}
	qt, err := tensor.NewQuantized(bits, group, w.Uint32s(), s, b, rows, words*32/bits)
	if err != nil {
		return nil, bad("%v", err)
	}
	return qt, nil
}

// floats returns the values of a float tensor as float32 (converting
// half-precision scales, which is the only allocation of combining).
func floats(t *tensor.Tensor) ([]float32, error) {
	switch t.DType() {
	case tensor.F32:
		return t.Data(), nil
	case tensor.F16, tensor.BF16:
		return t.ToF32().Data(), nil
	}
	return nil, fmt.Errorf("dtype %v is not a float", t.DType())
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
