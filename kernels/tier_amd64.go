//go:build amd64 && !purego && gc

package kernels

import "github.com/klauspost/cpuid/v2"

// available lists the tiers this CPU supports: AVX2 needs AVX2, FMA3 and
// F16C; AVX-512 needs F, BW, VL and DQ on top. VNNI is used inside the
// AVX-512 tier when present (see hasVNNI).
var available = detectTiers()

var hasVNNI = cpuid.CPU.Supports(cpuid.AVX512VNNI)

func detectTiers() []Tier {
	t := []Tier{TierGeneric}
	c := cpuid.CPU
	if !c.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.F16C) {
		return t
	}
	t = append(t, TierAVX2)
	if c.Supports(cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512VL, cpuid.AVX512DQ) {
		t = append(t, TierAVX512)
	}
	return t
}

// installArch points the dispatch variables at tier t's assembly.
func installArch(t Tier) {
	if t == TierGeneric {
		return
	}
	transpose8 = transpose8AVX
	dequantGroups = dequantGroupsAVX2
	F16ToF32 = widenWith(f16ToF32AVX2)
	BF16ToF32 = widenWith(bf16ToF32AVX2)
	F32ToF16 = narrowWith(f32ToF16AVX2)
	F32ToBF16 = narrowWith(f32ToBF16AVX2)
	dots.q = dotQAVX2
	SoftmaxF32 = softmaxSIMD
	RMSNormF32 = rmsNormSIMD
	SiLUF32 = siluSIMD
	SiLUMulF32 = siluMulSIMD
	GELUTanhF32 = geluTanhSIMD
	switch t {
	case TierAVX2:
		gemmArch = gemmArchAVX2
		DotF32 = dotF32With(dotAVX2)
		AxpyF32 = axpyF32With(axpyAVX2)
		dots.f16 = dotHalfWith(dotF16AVX2)
		dots.bf16 = dotHalfWith(dotBF16AVX2)
		qAct = qActWith(qdotQ4AVX2, qdotQ8AVX2, qdotQ4PairAVX2, nil)
	case TierAVX512:
		gemmArch = gemmArchAVX512
		DotF32 = dotF32With(dotAVX512)
		AxpyF32 = axpyF32With(axpyAVX512)
		dots.f16 = dotHalfWith(dotF16AVX512)
		dots.bf16 = dotHalfWith(dotBF16AVX2) // VPMOVZXWD to ZMM measured slower
		qAct = qActWith(qdotQ4AVX2, qdotQ8AVX2, qdotQ4PairAVX2, nil)
		QuantizeActQ8 = quantizeActQ8AVX512
		dots.q = dotQAVX512
		dots.q4p = dotQ4PairAVX512
		if hasVNNI {
			qAct = qActWith(qdotQ4VNNI, qdotQ8VNNI, qdotQ4PairAVX2, qdotQ8PairVNNI) // paired Q4: VPMADDUBSW measured faster than VPDPBUSD
		}
	}
}
