package tensor_test

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

func ExampleMatMul() {
	x := tensor.FromF32([]float32{1, 2}, 1, 2)             // one token, hidden 2
	w := tensor.FromF32([]float32{1, 0, 0, 1, 1, 1}, 3, 2) // Linear weight [out 3, in 2]
	b := tensor.FromF32([]float32{0, 0, 0.5})              // bias [3]
	y := tensor.MatMulBias(x, w, b)                        // [1, 3]
	fmt.Println(y.Shape(), y.Data())
	y.Release()
	// Output: [1 3] [1 2 3.5]
}

func ExampleQuantize() {
	w := make([]float32, 32)
	for i := range w {
		w[i] = float32(i%16)/2 - 4 // −4 … 3.5 in steps of 0.5
	}
	q, err := tensor.Quantize(tensor.FromF32(w, 1, 32), 4, 32)
	if err != nil {
		panic(err)
	}
	bits, group, words, scales, biases := q.Quant()
	fmt.Printf("%d-bit, group %d, first word %#08x, scale %v, bias %v\n", bits, group, words[0], scales[0], biases[0])
	fmt.Println(tensor.Dequantize(q).Data()[:4])
	// Output:
	// 4-bit, group 32, first word 0x76543210, scale 0.5, bias -4
	// [-4 -3.5 -3 -2.5]
}

func ExampleRoPE() {
	x := tensor.FromF32([]float32{1, 0, 0, 0}, 1, 1, 4) // [seq 1, heads 1, dim 4]
	cos, sin := tensor.RopeTables([]int{0}, tensor.InvFreq(4, 10000), 1)
	fmt.Println(tensor.RoPE(x, cos, sin, false).Data()) // position 0: unchanged
	// Output: [1 0 0 0]
}
