//go:build !amd64 || purego

package media

const useAVX2 = false

func dotU8AVX2(dst []int32, src []uint8, stride int, taps []int32) {
	dotU8Generic(dst, src, stride, taps)
}
