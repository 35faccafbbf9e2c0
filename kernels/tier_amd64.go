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
	transpose8 = transpose8AVX
	switch t {
	case TierAVX2:
		gemmArch = gemmArchAVX2
	case TierAVX512:
		gemmArch = gemmArchAVX512
	}
}
