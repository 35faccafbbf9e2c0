package tensor

import (
	"testing"

	"github.com/govlm/govlm/internal/parallel"
)

// TestDecodeAllocations bounds the garbage a decode step's operations make
// once the scratch pool is warm: only small headers (tensor structs,
// closures), never activation-sized buffers.
func TestDecodeAllocations(t *testing.T) {
	old := parallel.SetWorkers(1)
	defer parallel.SetWorkers(old)
	x := randT(1, 1, 256)
	w := randT(2, 512, 256)
	nw := randT(3, 256)
	q, k, v := randT(4, 1, 4, 64), randT(5, 300, 2, 64), randT(6, 300, 2, 64)
	step := func() {
		h := RMSNorm(x, nw, 1e-6, false)
		y := MatMul(h, w)
		a := Attention(q, k, v, AttentionOptions{Causal: true, QueryOffset: 299})
		SiLUInPlace(y)
		h.Release()
		y.Release()
		a.Release()
	}
	step()
	var before, after testingMem
	before.read()
	allocs := testing.AllocsPerRun(50, step)
	after.read()
	if allocs > 40 {
		t.Fatalf("decode step makes %.0f allocations", allocs)
	}
	perStep := (after.bytes - before.bytes) / 51
	t.Logf("decode step: %.0f allocations, %d bytes", allocs, perStep)
	if perStep > 8<<10 {
		t.Fatalf("decode step allocates %d bytes", perStep)
	}
}
