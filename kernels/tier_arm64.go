//go:build arm64 && !purego && gc

package kernels

import "github.com/klauspost/cpuid/v2"

// NEON is part of every arm64 CPU Go supports.
var available = []Tier{TierGeneric, TierNEON}

// installArch points the dispatch variables at the NEON kernels. The
// narrowing conversions (F32ToF16, F32ToBF16) stay in Go on arm64.
func installArch(t Tier) {
	if t != TierNEON {
		return
	}
	gemmArch = gemmArchNEON
	dequantGroups = dequantGroupsNEON
	F16ToF32 = widenNEON(f16ToF32NEON, F16ToF32Ref)
	BF16ToF32 = widenNEON(bf16ToF32NEON, BF16ToF32Ref)
	DotF32 = dotF32NEON
	AxpyF32 = axpyF32NEON
	dots.f16 = dotHalfNEON(dotF16NEON, f16ToF32)
	dots.bf16 = dotHalfNEON(dotBF16NEON, bf16ToF32)
	dots.q = dotQNEON
	SoftmaxF32 = softmaxSIMD
	RMSNormF32 = rmsNormSIMD
	SiLUF32 = siluSIMD
	SiLUMulF32 = siluMulSIMD
	GELUTanhF32 = geluTanhSIMD
	if hasDotProd {
		qAct = qActSDOT
	}
}

// hasDotProd reports FEAT_DotProd (SDOT), present on Apple M1 and later and
// most ARMv8.2+ cores; without it MatVecQ uses the Go reduction.
var hasDotProd = cpuid.CPU.Supports(cpuid.ASIMDDP)
