package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// allHalves is every 16-bit pattern, so F16/BF16 → F32 is checked exhaustively.
func allHalves() []uint16 {
	h := make([]uint16, 1<<16)
	for i := range h {
		h[i] = uint16(i)
	}
	return h
}

// f32Cases mixes random bit patterns with the values rounding gets wrong
// most easily: ties, subnormal boundaries, overflow edges, NaN payloads.
func f32Cases(r *rand.Rand) []float32 {
	bits := []uint32{
		0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x7fbfffff,
		0x33000000, 0x33000001, 0x387fc000, 0x38800000, 0x477fe000, 0x477ff000, 0x477fefff, 0x47800000,
		0x3f801000, 0x3f803000, 0x3f808000, 0x3f818000, 0x00000001, 0x007fffff, 0x3f7fffff,
	}
	for range 20000 {
		bits = append(bits, r.Uint32())
	}
	// Values near half precision's range, where the rounding work happens.
	for range 20000 {
		e := uint32(r.IntN(40) + 100)
		bits = append(bits, r.Uint32()&0x80000000|e<<23|r.Uint32()&0x7fffff)
	}
	// Exact ties for both formats.
	for range 2000 {
		bits = append(bits, r.Uint32()&0xffffe000|0x1000, r.Uint32()&0xffff0000|0x8000)
	}
	f := make([]float32, len(bits))
	for i, b := range bits {
		f[i] = math.Float32frombits(b)
	}
	return f
}

func TestHalfToF32Exhaustive(t *testing.T) {
	src := allHalves()
	for _, tc := range []struct {
		name      string
		fast, ref func([]float32, []uint16)
	}{
		{"F16ToF32", func(d []float32, s []uint16) { F16ToF32(d, s) }, F16ToF32Ref},
		{"BF16ToF32", func(d []float32, s []uint16) { BF16ToF32(d, s) }, BF16ToF32Ref},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachTier(t, func(t *testing.T) {
				want := make([]float32, len(src))
				tc.ref(want, src)
				for _, n := range testSizes() {
					for off := 0; off < 8; off++ {
						dst, check := guarded(n, off)
						s := src[off*997 : off*997+n+3]
						tc.fast(dst, s)
						check(t)
						for i := range dst {
							if math.Float32bits(dst[i]) != math.Float32bits(want[off*997+i]) {
								t.Fatalf("n=%d off=%d: %#04x → %#08x, want %#08x", n, off, s[i], math.Float32bits(dst[i]), math.Float32bits(want[off*997+i]))
							}
						}
					}
				}
				got := make([]float32, len(src))
				tc.fast(got, src)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%#04x → %#08x, want %#08x", src[i], math.Float32bits(got[i]), math.Float32bits(want[i]))
					}
				}
			})
		})
	}
}

func TestF32ToHalf(t *testing.T) {
	src := f32Cases(rand.New(rand.NewPCG(5, 6)))
	for _, tc := range []struct {
		name      string
		fast, ref func([]uint16, []float32)
	}{
		{"F32ToF16", func(d []uint16, s []float32) { F32ToF16(d, s) }, F32ToF16Ref},
		{"F32ToBF16", func(d []uint16, s []float32) { F32ToBF16(d, s) }, F32ToBF16Ref},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachTier(t, func(t *testing.T) {
				want := make([]uint16, len(src))
				tc.ref(want, src)
				got := make([]uint16, len(src))
				tc.fast(got, src)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%#08x → %#04x, want %#04x", math.Float32bits(src[i]), got[i], want[i])
					}
				}
				const guard = 0xdead
				for _, n := range testSizes() {
					for off := 0; off < 8; off++ {
						buf := make([]uint16, n+off+9)
						for i := range buf {
							buf[i] = guard
						}
						tc.fast(buf[off:off+n], src[off:off+n+2])
						for i, v := range buf {
							inside := i >= off && i < off+n
							if inside && v != want[i] || !inside && v != guard {
								t.Fatalf("n=%d off=%d: element %d = %#04x", n, off, i, v)
							}
						}
					}
				}
			})
		})
	}
}
