//go:build !(amd64 || arm64) || purego || !gc

package kernels

// Without assembly only the portable tier exists.
var available = []Tier{TierGeneric}

func installArch(Tier) {}
