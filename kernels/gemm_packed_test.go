package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmNTPacked checks that GemmNTPacked gives exactly GemmNT's bits for
// every tier and weight format, over ragged shapes (several k blocks, rows
// that are not a multiple of any register tile, a few rows that skip
// packing), with A packed in pieces, a shared PackedA reused for a smaller
// block, and guard values around C.
func TestGemmNTPacked(t *testing.T) {
	shapes := [][3]int{{1, 5, 7}, {16, 33, 40}, {17, 95, 300}, {25, 67, 129}, {31, 130, 513}, {100, 70, 41}, {150, 290, 96}, {64, 64, 0}, {19, 41, 1100}}
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(17, 18))
		var p PackedA // reused: later shapes may be smaller
		for _, mc := range allMatCases {
			for _, s := range shapes {
				m, n, k := s[0], s[1], s[2]
				if mc.group > 0 {
					k = max(1, (k+mc.group-1)/mc.group) * mc.group
				}
				lo := n / 3
				w := randMat(r, mc, n+lo+2, k)
				hi := lo + n
				lda, ldc := k+3, n+5
				aOff := (m + n) % 8
				a := randF32(r, m*lda+aOff)[aOff:]
				want, _ := guarded(m*ldc, 0)
				GemmNT(want, ldc, a, lda, m, w, lo, hi)
				panels := p.Init(a, lda, m, k)
				if panels > 0 && m <= 16 {
					t.Fatalf("%v m=%d: %d panels for a block that GemmNT does not pack", mc, m, panels)
				}
				// Pack in uneven pieces, last piece first.
				cut := panels / 3
				p.Pack(cut, panels)
				p.Pack(0, cut)
				c, check := guarded(m*ldc, 3)
				GemmNTPacked(c, ldc, &p, w, lo, hi)
				check(t)
				for i := range want {
					if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%v m=%d n=%d k=%d: C[%d] = %v, GemmNT gives %v", mc, m, n, k, i, c[i], want[i])
					}
				}
			}
		}
	})
}
