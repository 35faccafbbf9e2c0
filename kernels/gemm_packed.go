package kernels

// PackedA is the left operand of GemmNT packed once into the installed
// tier's micro-kernel panels, so that many GemmNT calls over different
// weight rows (the output tiles of one row block) share one packing of A
// instead of each packing it again. GemmNTPacked on it gives results
// bit-identical to GemmNT on the same rows.
//
// Layout: for each k block of the tier's kc columns (the last one shorter),
// ceil(m/mr) panels of kc×mr values, rows past m zero: block p starts at
// p·kc·rows where rows is m rounded up to mr. A PackedA is reused across
// calls; its buffer grows only when a larger block arrives.
type PackedA struct {
	a        []float32 // the unpacked rows (used when packing does not pay)
	lda      int
	m, k     int
	rows     int // m rounded up to mr
	mr, kc   int // the tier's register rows and k block when packed
	packed   bool
	buf      []float32
	panelSet int // panels per k block
}

// Init prepares p for the m×k matrix a (row stride lda) and returns the
// number of row panels to pack with Pack; 0 means that GemmNTPacked will
// read a directly, as GemmNT does for a few rows (m ≤ 16), and nothing
// needs packing. Pack and GemmNTPacked must run under the tier that was
// installed when Init ran.
func (p *PackedA) Init(a []float32, lda, m, k int) int {
	mk := &gemmArch
	*p = PackedA{a: a, lda: lda, m: m, k: k, buf: p.buf}
	if m <= mk.smallM || k == 0 {
		return 0
	}
	p.mr, p.kc = mk.mr, mk.kc
	p.panelSet = (m + mk.mr - 1) / mk.mr
	p.rows = p.panelSet * mk.mr
	if cap(p.buf) < p.rows*k {
		p.buf = make([]float32, p.rows*k)
	}
	p.buf = p.buf[:p.rows*k]
	p.packed = true
	return p.panelSet
}

// Pack packs the row panels [p0, p1) (mr rows each) for every k block;
// panels past the last one are ignored. Calls on disjoint ranges may run
// concurrently.
func (p *PackedA) Pack(p0, p1 int) {
	if !p.packed {
		return
	}
	mr, kc := p.mr, p.kc
	i0 := p0 * mr
	rows := min(p1*mr, p.m) - i0
	if rows <= 0 {
		return
	}
	for pc := 0; pc < p.k; pc += kc {
		w := min(kc, p.k-pc)
		packA(p.buf[pc*p.rows+i0*w:], p.a, p.lda, i0, rows, pc, w, mr)
	}
}

// GemmNTPacked computes C = A·W[lo:hi]ᵀ like GemmNT, with A the m rows
// prepared by p.Init and packed by p.Pack over all its panels.
func GemmNTPacked(c []float32, ldc int, p *PackedA, w *Mat, lo, hi int) {
	if !p.packed {
		GemmNT(c, ldc, p.a, p.lda, p.m, w, lo, hi)
		return
	}
	mk := &gemmArch
	if mk.mr != p.mr || mk.kc != p.kc {
		panic("kernels: GemmNTPacked under another tier than PackedA.Init")
	}
	n := hi - lo
	if n == 0 {
		return
	}
	src := weightSource(w, lo)
	pb := getPackBufs(mk)
	defer packPool.Put(pb)
	for jc := 0; jc < n; jc += mk.nc {
		nc := min(mk.nc, n-jc)
		for pc := 0; pc < p.k; pc += mk.kc {
			kc := min(mk.kc, p.k-pc)
			src.pack(pb.b, jc, nc, pc, kc, mk.nr, pb.row)
			block := p.buf[pc*p.rows:]
			for ic := 0; ic < p.m; ic += mk.mc {
				mc := min(mk.mc, p.m-ic)
				macroKernel(mk, mc, nc, kc, block[ic*kc:], pb, c[ic*ldc+jc:], ldc, pc > 0)
			}
		}
	}
}
