package kernels

// gemmNT is GemmNT on the blocked driver. Small m (decode, a few tokens)
// streams weight rows through MatVec in L2-sized row blocks instead, which
// reads each weight once without packing.
func gemmNT(c []float32, ldc int, a []float32, lda, m int, w *Mat, lo, hi int) {
	if m <= gemmArch.smallM {
		k := w.Cols
		rb := max(1, smallMRowBytes/max(1, k*bytesPerValue(w)))
		for r0 := lo; r0 < hi; r0 += rb {
			r1 := min(hi, r0+rb)
			for i := 0; i < m; i++ {
				MatVec(c[i*ldc+r0-lo:i*ldc+r1-lo], w, r0, r1, a[i*lda:i*lda+k])
			}
		}
		return
	}
	src := bSource{w: w, lo: lo}
	gemmBlocked(m, hi-lo, w.Cols, a, lda, &src, c, ldc, false)
}

// smallMRowBytes is the weight bytes one row block of the small-m path
// covers: it stays in L2 while every row of A passes over it.
const smallMRowBytes = 256 << 10

func bytesPerValue(w *Mat) int {
	switch w.Format {
	case FormatF32:
		return 4
	case FormatF16, FormatBF16:
		return 2
	}
	return 1
}

// gemmF32NN is GemmF32NN on the blocked driver; a few rows of A go through
// AxpyF32 directly.
func gemmF32NN(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	if m <= gemmArch.smallM {
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			if !accumulate {
				clear(ci)
			}
			for p := 0; p < k; p++ {
				AxpyF32(a[i*lda+p], b[p*ldb:p*ldb+n], ci)
			}
		}
		return
	}
	src := bSource{f: b, ld: ldb}
	gemmBlocked(m, n, k, a, lda, &src, c, ldc, accumulate)
}

// gemmF32NT is GemmF32NT on the blocked driver; a few rows of A go through
// DotF32 directly.
func gemmF32NT(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	if m <= gemmArch.smallM {
		for i := 0; i < m; i++ {
			ai := a[i*lda : i*lda+k]
			for j := 0; j < n; j++ {
				s := DotF32(ai, b[j*ldb:j*ldb+k])
				if accumulate {
					s += c[i*ldc+j]
				}
				c[i*ldc+j] = s
			}
		}
		return
	}
	src := bSource{f: b, ld: ldb, nt: true}
	gemmBlocked(m, n, k, a, lda, &src, c, ldc, accumulate)
}
