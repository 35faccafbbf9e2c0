package kernels

// The dispatching entry points. Each variable starts as the reference and is
// replaced at init by the fastest implementation the CPU supports (see
// SetTier). They must not be reassigned while kernels are running.

var (
	// F16ToF32 converts IEEE half words to float32 (len(dst) values).
	F16ToF32 = F16ToF32Ref
	// F32ToF16 converts float32 to IEEE half, round-to-nearest-even.
	F32ToF16 = F32ToF16Ref
	// BF16ToF32 converts bfloat16 words to float32 (len(dst) values).
	BF16ToF32 = BF16ToF32Ref
	// F32ToBF16 converts float32 to bfloat16, round-to-nearest-even.
	F32ToBF16 = F32ToBF16Ref
	// DotF32 returns the dot product of x and y[:len(x)].
	DotF32 = DotF32Ref
	// AxpyF32 computes y += alpha*x.
	AxpyF32 = AxpyF32Ref
	// MatVec computes y = W[lo:hi]·x for a weight of any format.
	MatVec = MatVecRef
	// GemmNT computes C = A·W[lo:hi]ᵀ for a weight of any format.
	GemmNT = GemmNTRef
	// GemmF32NN computes C = A·B (+C) for float32 operands.
	GemmF32NN = GemmF32NNRef
	// GemmF32NT computes C = A·Bᵀ (+C) for float32 operands.
	GemmF32NT = GemmF32NTRef
	// QuantizeActQ8 quantizes an activation row for MatVecQ, growing dst's
	// buffers only when they are too small.
	QuantizeActQ8 = QuantizeActQ8Ref
	// MatVecQ computes y ≈ W[lo:hi]·x for a Q4 or Q8 weight with integer
	// dot products against act = QuantizeActQ8(x); see quant.go for the
	// accuracy bound.
	MatVecQ = MatVecQRef

	// SoftmaxF32 replaces x with softmax(x); scores more than 72 below the
	// row's maximum (-Inf among them) give exactly 0, never a subnormal.
	SoftmaxF32 = SoftmaxF32Ref
	// RMSNormF32 computes dst = x·w / sqrt(mean(x²) + eps).
	RMSNormF32 = RMSNormF32Ref
	// SiLUF32 computes dst = x·sigmoid(x).
	SiLUF32 = SiLUF32Ref
	// SiLUMulF32 computes dst = silu(gate)·up.
	SiLUMulF32 = SiLUMulF32Ref
	// GELUTanhF32 computes the tanh approximation of GELU.
	GELUTanhF32 = GELUTanhF32Ref
)
