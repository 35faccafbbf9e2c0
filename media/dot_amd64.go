//go:build amd64 && !purego

package media

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

// dotU8AVX2 is dotU8 for len(dst) a multiple of 8, eight lanes at a time.
//
//go:noescape
func dotU8AVX2(dst []int32, src []uint8, stride int, taps []int32)
