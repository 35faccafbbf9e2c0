package kernels

import "sync"

// This file is the blocked GEMM driver shared by every tier (the GotoBLAS /
// BLIS loop nest). The innermost computation is a register-blocked
// micro-kernel that multiplies an mr×kc panel of A by a kc×nr panel of B;
// each tier supplies its own (see gemmArch). Around it:
//
//	for jc in n step nc:            // B block of kc×nc, packed once, lives in L3/L2
//	  for pc in k step kc:
//	    pack B[pc:pc+kc, jc:jc+nc]  // converting F16/BF16/Q4/Q8 to float32 here
//	    for ic in m step mc:        // A block of mc×kc, lives in L2
//	      pack A[ic:ic+mc, pc:pc+kc]
//	      for jr in nc step nr:     // B micro-panel kc×nr, lives in L1
//	        for ir in mc step mr:
//	          micro-kernel → C[ic+ir : +mr, jc+jr : +nr]
//
// Packing buffers come from a sync.Pool, so a steady stream of calls
// allocates nothing after the first.

// microKernel is one tier's register-blocked kernel and its block sizes.
type microKernel struct {
	mr, nr     int // register tile
	kc, mc, nc int // cache blocks; mc is a multiple of mr, nc of nr
	// fn computes the mr×nr tile C = Apanel·Bpanel (+C when acc), where
	// Apanel holds kc groups of mr values and Bpanel kc groups of nr values.
	// ldc is in elements. kc is at least 1.
	fn func(kc int, a, b, c *float32, ldc int, acc bool)
	// smallM is the largest m for which GemmNT streams weight rows through
	// the matrix-vector kernel instead of packing them.
	smallM int
	// ntMinM and nnMinM are the fewest rows of A for which GemmF32NT and
	// GemmF32NN pack and use the micro-kernel; fewer rows call DotF32 or
	// AxpyF32 per row. Decode attention (one query row per head of a
	// group against hundreds of keys, head dim 64) crosses over at about
	// 3 rows for NT and 6 for NN on AVX2/AVX-512 (BenchmarkGemmF32Decode).
	ntMinM, nnMinM int
}

// gemmArch is the micro-kernel of the installed tier.
var gemmArch microKernel

// gemmArchGeneric is the pure-Go micro-kernel's configuration.
var gemmArchGeneric = microKernel{mr: 4, nr: 4, kc: 256, mc: 64, nc: 1024, fn: microKernelGo, smallM: 16, ntMinM: 17, nnMinM: 17}

// packBufs holds one call's packing space.
type packBufs struct {
	a, b, row []float32
	tile      []float32
}

var packPool sync.Pool

func getPackBufs(mk *microKernel) *packBufs {
	pb, _ := packPool.Get().(*packBufs)
	if pb == nil {
		pb = new(packBufs)
	}
	grow := func(s []float32, n int) []float32 {
		if cap(s) < n {
			return make([]float32, n)
		}
		return s[:n]
	}
	pb.a = grow(pb.a, mk.mc*mk.kc)
	pb.b = grow(pb.b, mk.kc*mk.nc)
	pb.row = grow(pb.row, transposeRows*mk.kc)
	pb.tile = grow(pb.tile, mk.mr*mk.nr)
	return pb
}

// bSource describes the right-hand operand of a GEMM and knows how to pack
// a kc×nc block of it into nr-wide column panels.
type bSource struct {
	w  *Mat      // NT weight (GemmNT); nil for plain float32 operands
	lo int       // first weight row of the output range (GemmNT)
	f  []float32 // plain float32 operand (GemmF32NN / GemmF32NT)
	ld int
	nt bool // f is n×k (transposed) rather than k×n
}

// pack writes B[p0:p0+kc, j0:j0+nc] into dst as ceil(nc/nr) panels, each kc
// rows of nr values; columns past nc are zero. rows is scratch for
// transposeRows rows of kc converted weight values.
func (s *bSource) pack(dst []float32, j0, nc, p0, kc, nr int, rows []float32) {
	if s.w == nil && !s.nt {
		packBNN(dst, s.f, s.ld, j0, nc, p0, kc, nr)
		return
	}
	for jp := 0; jp < nc; jp += nr {
		panel := dst[jp*kc : (jp+nr)*kc]
		w := min(nr, nc-jp)
		for j := 0; j < w; j += transposeRows {
			h := min(transposeRows, w-j)
			if s.w == nil {
				off := (j0+jp+j)*s.ld + p0
				packT(panel[j:], nr, s.f[off:], s.ld, h, kc)
				continue
			}
			for i := 0; i < h; i++ {
				rowRange(rows[i*kc:(i+1)*kc], s.w, s.lo+j0+jp+j+i, p0)
			}
			packT(panel[j:], nr, rows, kc, h, kc)
		}
		for j := w; j < nr; j++ {
			for p := 0; p < kc; p++ {
				panel[p*nr+j] = 0
			}
		}
	}
}

// transposeRows is how many source rows packT moves at once.
const transposeRows = 8

// packT writes dst[p*width+i] = src[i*ld+p] for i < rows, p < kc. Whole
// groups of 8 rows and 8 columns go through the tier's transpose8 when it
// has one.
func packT(dst []float32, width int, src []float32, ld, rows, kc int) {
	i := 0
	if transpose8 != nil && kc >= 8 {
		k8 := kc &^ 7
		for ; i+8 <= rows; i += 8 {
			_ = src[(i+7)*ld+k8-1]
			_ = dst[(k8-1)*width+i+7]
			transpose8(&dst[i], width, &src[i*ld], ld, k8)
			for r := i; r < i+8 && k8 < kc; r++ {
				scatterColumn(dst[k8*width+r:], src[r*ld+k8:r*ld+kc], width)
			}
		}
	}
	for ; i < rows; i++ {
		scatterColumn(dst[i:], src[i*ld:i*ld+kc], width)
	}
}

// transpose8, when set, writes dst[p*dstStride+i] = src[i*srcStride+p] for
// i < 8 and p < kc (a multiple of 8); strides are in elements.
var transpose8 func(dst *float32, dstStride int, src *float32, srcStride int, kc int)

// packBNN packs a row-major k×n operand.
func packBNN(dst, b []float32, ldb, j0, nc, p0, kc, nr int) {
	for jp := 0; jp < nc; jp += nr {
		panel := dst[jp*kc : (jp+nr)*kc]
		w := min(nr, nc-jp)
		for p := 0; p < kc; p++ {
			d := panel[p*nr : p*nr+nr]
			off := (p0+p)*ldb + j0 + jp
			copy(d, b[off:off+w])
			clear(d[w:])
		}
	}
}

// packA writes A[i0:i0+mc, p0:p0+kc] into dst as ceil(mc/mr) panels, each kc
// columns of mr values; rows past mc are zero.
func packA(dst, a []float32, lda, i0, mc, p0, kc, mr int) {
	for ip := 0; ip < mc; ip += mr {
		panel := dst[ip*kc : (ip+mr)*kc]
		h := min(mr, mc-ip)
		packT(panel, mr, a[(i0+ip)*lda+p0:], lda, h, kc)
		for i := h; i < mr; i++ {
			for p := 0; p < kc; p++ {
				panel[p*mr+i] = 0
			}
		}
	}
}

// gemmBlocked computes C[m×n] = A·B (+C when acc) with B described by src.
func gemmBlocked(m, n, k int, a []float32, lda int, src *bSource, c []float32, ldc int, acc bool) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !acc {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	mk := &gemmArch
	pb := getPackBufs(mk)
	defer packPool.Put(pb)
	for jc := 0; jc < n; jc += mk.nc {
		nc := min(mk.nc, n-jc)
		for pc := 0; pc < k; pc += mk.kc {
			kc := min(mk.kc, k-pc)
			src.pack(pb.b, jc, nc, pc, kc, mk.nr, pb.row)
			blockAcc := acc || pc > 0
			for ic := 0; ic < m; ic += mk.mc {
				mc := min(mk.mc, m-ic)
				packA(pb.a, a, lda, ic, mc, pc, kc, mk.mr)
				macroKernel(mk, mc, nc, kc, pb.a, pb, c[ic*ldc+jc:], ldc, blockAcc)
			}
		}
	}
}

// macroKernel runs the micro-kernel over an mc×nc block of C, with the A
// block packed in pa and the B block in pb.b.
func macroKernel(mk *microKernel, mc, nc, kc int, pa []float32, pb *packBufs, c []float32, ldc int, acc bool) {
	mr, nr := mk.mr, mk.nr
	for jr := 0; jr < nc; jr += nr {
		bp := &pb.b[jr*kc]
		w := min(nr, nc-jr)
		for ir := 0; ir < mc; ir += mr {
			ap := &pa[ir*kc]
			h := min(mr, mc-ir)
			if h == mr && w == nr {
				mk.fn(kc, ap, bp, &c[ir*ldc+jr], ldc, acc)
				continue
			}
			// Ragged edge: compute the full tile aside, keep what is in range.
			t := pb.tile
			mk.fn(kc, ap, bp, &t[0], nr, false)
			for i := 0; i < h; i++ {
				ci := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+w]
				ti := t[i*nr : i*nr+w]
				if acc {
					for j, v := range ti {
						ci[j] += v
					}
				} else {
					copy(ci, ti)
				}
			}
		}
	}
}

// scatterColumn writes src[p] to dst[p*stride].
func scatterColumn(dst, src []float32, stride int) {
	for p, v := range src {
		dst[p*stride] = v
	}
}
