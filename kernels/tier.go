package kernels

import (
	"fmt"
	"slices"
)

// Tier names one family of kernel implementations. The fastest tier the CPU
// supports is installed at start-up; SetTier switches to another one, which
// lets tests and benchmarks exercise every tier present on the machine.
type Tier uint8

// Implementation tiers, slowest first.
const (
	TierGeneric Tier = iota // pure Go (the references plus a Go GEMM driver)
	TierAVX2                // amd64 AVX2 + FMA + F16C
	TierAVX512              // amd64 AVX-512 F/BW/VL (VNNI used when present)
	TierNEON                // arm64 Advanced SIMD
)

// String returns the tier's short name.
func (t Tier) String() string {
	switch t {
	case TierGeneric:
		return "generic"
	case TierAVX2:
		return "avx2"
	case TierAVX512:
		return "avx512"
	case TierNEON:
		return "neon"
	}
	return fmt.Sprintf("Tier(%d)", uint8(t))
}

// TierUnavailableError reports a request for a tier this CPU or build lacks.
type TierUnavailableError struct {
	Tier      Tier
	Available []Tier
}

func (e *TierUnavailableError) Error() string {
	return fmt.Sprintf("kernels: tier %v not available (have %v)", e.Tier, e.Available)
}

var current Tier

// Tiers lists the tiers usable on this machine and build, slowest first.
// TierGeneric is always present.
func Tiers() []Tier { return slices.Clone(available) }

// CurrentTier reports the tier the dispatch variables point at.
func CurrentTier() Tier { return current }

// SetTier points every dispatch variable at tier t. It is meant for tests,
// benchmarks and for users who want to rule an instruction set out; it must
// not run concurrently with kernel calls.
func SetTier(t Tier) error {
	if !slices.Contains(available, t) {
		return &TierUnavailableError{Tier: t, Available: Tiers()}
	}
	installGeneric()
	installArch(t)
	current = t
	return nil
}

// installGeneric points every dispatch variable at its portable version.
func installGeneric() {
	F16ToF32 = F16ToF32Ref
	F32ToF16 = F32ToF16Ref
	BF16ToF32 = BF16ToF32Ref
	F32ToBF16 = F32ToBF16Ref
	DotF32 = DotF32Ref
	AxpyF32 = AxpyF32Ref
	MatVec = matVecGo
	MatVecQ = matVecQGo
	QuantizeActQ8 = quantizeActQ8Go
	GemmNT = gemmNT
	GemmF32NN = gemmF32NN
	GemmF32NT = gemmF32NT
	SoftmaxF32 = softmaxGo
	RMSNormF32 = RMSNormF32Ref
	SiLUF32 = siluGo
	SiLUMulF32 = siluMulGo
	GELUTanhF32 = geluTanhGo
	gemmArch = gemmArchGeneric
	transpose8 = nil
	dequantGroups = nil
	dots = rowDotsGo
	qAct = dotQActRef
}

func init() {
	if err := SetTier(available[len(available)-1]); err != nil {
		panic(err) // unreachable: the last available tier is always valid
	}
}
