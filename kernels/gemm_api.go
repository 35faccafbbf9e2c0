package kernels

import "sync"

// gemmNT is GemmNT on the blocked driver. Small m (decode, a few tokens)
// streams weight rows in L2-sized row blocks instead, which reads each
// weight once without packing: through MatVec for float32 weights or a
// single row, and for other formats converted once per block to float32 so
// that every row of A reuses the conversion.
func gemmNT(c []float32, ldc int, a []float32, lda, m int, w *Mat, lo, hi int) {
	if m > 1 && m <= gemmArch.smallM && w.Format != FormatF32 {
		gemmNTSmallConvert(c, ldc, a, lda, m, w, lo, hi)
		return
	}
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
	src := weightSource(w, lo)
	gemmBlocked(m, hi-lo, w.Cols, a, lda, &src, c, ldc, false)
}

// weightSource is the packing source of weight rows from lo on. Float32
// weights are transposed straight from w.F32 rather than copied row by row
// into scratch first (rowRange), which saved a memmove of every packed
// weight value.
func weightSource(w *Mat, lo int) bSource {
	if w.Format == FormatF32 {
		return bSource{f: w.F32[lo*w.Cols:], ld: w.Cols, nt: true}
	}
	return bSource{w: w, lo: lo}
}

// convRowBytes is the float32 bytes of one converted row block.
const convRowBytes = 128 << 10

var convPool sync.Pool

func gemmNTSmallConvert(c []float32, ldc int, a []float32, lda, m int, w *Mat, lo, hi int) {
	k := w.Cols
	rb := max(1, convRowBytes/(4*max(1, k)))
	bp, _ := convPool.Get().(*[]float32)
	if bp == nil {
		bp = new([]float32)
	}
	defer convPool.Put(bp)
	if cap(*bp) < rb*k {
		*bp = make([]float32, rb*k)
	}
	buf := (*bp)[:rb*k]
	for r0 := lo; r0 < hi; r0 += rb {
		r1 := min(hi, r0+rb)
		for r := r0; r < r1; r++ {
			rowRange(buf[(r-r0)*k:(r-r0+1)*k], w, r, 0)
		}
		for i := 0; i < m; i++ {
			ai := a[i*lda : i*lda+k]
			ci := c[i*ldc+r0-lo : i*ldc+r1-lo]
			for j := range ci {
				ci[j] = DotF32(ai, buf[j*k:(j+1)*k])
			}
		}
	}
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

// gemmF32NN is GemmF32NN on the blocked driver; fewer rows of A than the
// tier's nnMinM go through AxpyF32 directly.
func gemmF32NN(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	if m < gemmArch.nnMinM {
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

// gemmF32NT is GemmF32NT on the blocked driver; fewer rows of A than the
// tier's ntMinM go through DotF32 directly.
func gemmF32NT(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	if m < gemmArch.ntMinM {
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
