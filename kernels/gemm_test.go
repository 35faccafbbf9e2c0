package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gemmShapes are (m, n, k) triples with ragged edges for every register
// tile in use and more than one cache block in each dimension.
var gemmShapes = [][3]int{
	{1, 1, 1}, {1, 7, 5}, {2, 33, 17}, {3, 5, 64}, {4, 40, 96}, {5, 17, 33}, {6, 16, 8}, {7, 31, 70},
	{8, 48, 128}, {9, 1, 3}, {12, 32, 256}, {13, 33, 257}, {14, 64, 64}, {17, 95, 300},
	{25, 67, 129}, {31, 130, 513}, {64, 64, 0}, {100, 70, 41}, {150, 290, 96},
	{19, 41, 1100}, // k past the AVX-512 kc of 1024
}

func TestGemmNT(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, mc := range allMatCases {
			for _, s := range gemmShapes {
				m, n, k := s[0], s[1], s[2]
				if mc.group > 0 {
					k = max(1, (k+mc.group-1)/mc.group) * mc.group
				}
				lo := n / 3
				w := randMat(r, mc, n+lo+2, k)
				hi := lo + n
				lda, ldc := k+3, n+5
				aOff := (m + n) % 8 // unaligned A, offsets 0..7
				a := randF32(r, m*lda+aOff)[aOff:]
				c, check := guarded(m*ldc, 3)
				GemmNT(c, ldc, a, lda, m, w, lo, hi)
				check(t)
				want := make([]float32, m*ldc)
				GemmNTRef(want, ldc, a, lda, m, w, lo, hi)
				row := make([]float32, k)
				for j := 0; j < n; j++ {
					RowRef(row, w, lo+j)
					for i := 0; i < m; i++ {
						var mag float64
						for p := 0; p < k; p++ {
							mag += math.Abs(float64(a[i*lda+p]) * float64(row[p]))
						}
						if got := c[i*ldc+j]; !closeEnough(got, want[i*ldc+j], mag) {
							t.Fatalf("%v m=%d n=%d k=%d: C[%d][%d] = %v, want %v", mc, m, n, k, i, j, got, want[i*ldc+j])
						}
					}
				}
				for i := 0; i < m; i++ {
					for j := n; j < ldc; j++ {
						if c[i*ldc+j] != guardF32 {
							t.Fatalf("%v m=%d n=%d k=%d: padding C[%d][%d] written", mc, m, n, k, i, j)
						}
					}
				}
			}
		}
	})
}

func TestGemmF32(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for _, nt := range []bool{false, true} {
			for _, accumulate := range []bool{false, true} {
				for _, s := range gemmShapes {
					m, n, k := s[0], s[1], s[2]
					lda, ldb, ldc := k+1, n+2, n+3
					if nt {
						ldb = k + 2
					}
					a := randF32(r, m*lda)
					bRows := k
					if nt {
						bRows = n
					}
					b := randF32(r, bRows*ldb)
					c := randF32(r, m*ldc)
					want := append([]float32(nil), c...)
					if nt {
						GemmF32NT(m, n, k, a, lda, b, ldb, c, ldc, accumulate)
						GemmF32NTRef(m, n, k, a, lda, b, ldb, want, ldc, accumulate)
					} else {
						GemmF32NN(m, n, k, a, lda, b, ldb, c, ldc, accumulate)
						GemmF32NNRef(m, n, k, a, lda, b, ldb, want, ldc, accumulate)
					}
					for i := 0; i < m; i++ {
						for j := 0; j < ldc; j++ {
							got, w := c[i*ldc+j], want[i*ldc+j]
							if j >= n {
								if got != w {
									t.Fatalf("nt=%v m=%d n=%d k=%d: padding C[%d][%d] written", nt, m, n, k, i, j)
								}
								continue
							}
							mag := math.Abs(float64(w)) * 4
							for p := 0; p < k; p++ {
								var bv float32
								if nt {
									bv = b[j*ldb+p]
								} else {
									bv = b[p*ldb+j]
								}
								mag += math.Abs(float64(a[i*lda+p]) * float64(bv))
							}
							if !closeEnough(got, w, mag) {
								t.Fatalf("nt=%v acc=%v m=%d n=%d k=%d: C[%d][%d] = %v, want %v", nt, accumulate, m, n, k, i, j, got, w)
							}
						}
					}
				}
			}
		}
	})
}
