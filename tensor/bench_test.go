package tensor

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// The sizes of the issue: Qwen2-0.5B's MLP (896 → 4864) for decode (1 row)
// and a 512-row prefill chunk, with every weight storage, plus square F32
// products.
func BenchmarkMatMul(b *testing.B) {
	const k, n = 896, 4864
	w := randT(1, n, k)
	weights := map[DType]*Tensor{F32: w}
	for _, dt := range []DType{BF16, Q8, Q4} {
		weights[dt] = weightAs(b, w, dt)
	}
	for _, m := range []int{1, 512} {
		x := randT(2, m, k)
		for _, dt := range []DType{F32, BF16, Q8, Q4} {
			b.Run(fmt.Sprintf("%dx%dx%d/%v", m, k, n, dt), func(b *testing.B) {
				b.SetBytes(int64(weightBytes(weights[dt])))
				c0 := processCPU()
				for b.Loop() {
					MatMul(x, weights[dt]).Release()
				}
				b.ReportMetric(2*float64(m*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				reportCPU(b, c0)
			})
			if m != 1 || (dt != Q8 && dt != Q4) {
				continue
			}
			b.Run(fmt.Sprintf("%dx%dx%d/%v-int", m, k, n, dt), func(b *testing.B) {
				defer SetIntegerMatVec(SetIntegerMatVec(true))
				b.SetBytes(int64(weightBytes(weights[dt])))
				for b.Loop() {
					MatMul(x, weights[dt]).Release()
				}
				b.ReportMetric(2*float64(m*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
	for _, s := range []int{1024, 2048} {
		if s == 2048 && testing.Short() {
			continue
		}
		x, w := randT(3, s, s), randT(4, s, s)
		b.Run(fmt.Sprintf("%dx%dx%d/F32", s, s, s), func(b *testing.B) {
			c0 := processCPU()
			for b.Loop() {
				MatMul(x, w).Release()
			}
			b.ReportMetric(2*float64(s*s*s)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			reportCPU(b, c0)
		})
	}
}

// BenchmarkMatMulQwen2 runs the prefill products of one Qwen2-0.5B layer
// (512 tokens, BF16 weights; gate and up are BenchmarkMatMul's 4864 rows)
// whose tiling mmTiles chooses: CPU time shows what finer tiles cost.
func BenchmarkMatMulQwen2(b *testing.B) {
	for _, sz := range [][2]int{{896, 896}, {896, 128}, {4864, 896}, {896, 4864}} {
		k, n := sz[0], sz[1]
		x, w := randT(2, 512, k), weightAs(b, randT(1, n, k), BF16)
		b.Run(fmt.Sprintf("512x%dx%d", k, n), func(b *testing.B) {
			c0 := processCPU()
			for b.Loop() {
				MatMul(x, w).Release()
			}
			reportCPU(b, c0)
		})
	}
}

func weightBytes(w *Tensor) int {
	switch w.dtype {
	case F32:
		return 4 * w.Len()
	case F16, BF16:
		return 2 * w.Len()
	}
	return 4*len(w.u32) + 8*len(w.scales)
}

// Attention with Qwen2-0.5B's heads (14 query, 2 key/value, dim 64).
func BenchmarkAttention(b *testing.B) {
	const hq, hkv, d = 14, 2, 64
	for _, ctx := range []int{1024, 4096} {
		k, v := randT(5, ctx, hkv, d), randT(6, ctx, hkv, d)
		for _, lq := range []int{1, 512} {
			q := randT(7, lq, hq, d)
			opts := AttentionOptions{Causal: true, QueryOffset: ctx - lq}
			b.Run(fmt.Sprintf("ctx%d/q%d", ctx, lq), func(b *testing.B) {
				c0 := processCPU()
				for b.Loop() {
					Attention(q, k, v, opts).Release()
				}
				reportCPU(b, c0)
			})
		}
	}
}

// Attention with an F32 mask (the general path: PaliGemma's prefix-LM and
// Gemma 3's image blocks come as masks), 512 queries over 1024 keys.
func BenchmarkAttentionMasked(b *testing.B) {
	const hq, hkv, d, lq, lk = 8, 1, 256, 512, 1024
	q, k, v := randT(9, lq, hq, d), randT(10, lk, hkv, d), randT(11, lk, hkv, d)
	mask := New(lq, lk)
	md := mask.Data()
	for i := range lq {
		for j := range lk {
			if j > lk-lq+i && j >= 256 { // causal after a 256-key prefix
				md[i*lk+j] = float32(math.Inf(-1))
			}
		}
	}
	c0 := processCPU()
	for b.Loop() {
		Attention(q, k, v, AttentionOptions{Mask: mask}).Release()
	}
	reportCPU(b, c0)
}

func BenchmarkNorms(b *testing.B) {
	x := randT(1, 512, 896)
	w, bias := randT(2, 896), randT(3, 896)
	b.Run("RMSNorm/512x896", func(b *testing.B) {
		c0 := processCPU()
		for b.Loop() {
			RMSNorm(x, w, 1e-6, false).Release()
		}
		reportCPU(b, c0)
	})
	b.Run("LayerNorm/512x896", func(b *testing.B) {
		c0 := processCPU()
		for b.Loop() {
			LayerNorm(x, w, bias, 1e-6).Release()
		}
		reportCPU(b, c0)
	})
	b.Run("Softmax/512x896", func(b *testing.B) {
		for b.Loop() {
			Softmax(x).Release()
		}
	})
}

func BenchmarkActivations(b *testing.B) {
	gate, up := randT(1, 512, 4864), randT(2, 512, 4864)
	b.Run("SwiGLU/512x4864", func(b *testing.B) {
		for b.Loop() {
			SwiGLU(gate, up).Release()
		}
	})
	b.Run("GeGLUTanh/512x4864", func(b *testing.B) {
		for b.Loop() {
			GeGLU(gate, up, true).Release()
		}
	})
}

// The vision tower of SmolVLM-256M (SigLIP-base on 512×512 tiles): 1024
// patch tokens, hidden 768, MLP 3072, 12 heads of 64, BF16 weights.
func BenchmarkVisionTower(b *testing.B) {
	const m, h, ff, heads = 1024, 768, 3072, 12
	x, x4 := randT(1, m, h), randT(2, m, ff)
	wqkv := weightAs(b, randT(3, h, h), BF16)
	wfc1 := weightAs(b, randT(4, ff, h), BF16)
	wfc2 := weightAs(b, randT(5, h, ff), BF16)
	mm := map[string][2]*Tensor{
		"MatMul/1024x768x768/BF16":  {x, wqkv},
		"MatMul/1024x768x3072/BF16": {x, wfc1},
		"MatMul/1024x3072x768/BF16": {x4, wfc2},
	}
	for name, op := range mm {
		b.Run(name, func(b *testing.B) {
			c0 := processCPU()
			for b.Loop() {
				MatMul(op[0], op[1]).Release()
			}
			reportCPU(b, c0)
		})
	}
	q, k, v := randT(6, m, heads, h/heads), randT(7, m, heads, h/heads), randT(8, m, heads, h/heads)
	b.Run("Attention/1024x12x64", func(b *testing.B) {
		c0 := processCPU()
		for b.Loop() {
			Attention(q, k, v, AttentionOptions{}).Release()
		}
		reportCPU(b, c0)
	})
	b.Run("QuickGELU/1024x3072", func(b *testing.B) {
		c0 := processCPU()
		for b.Loop() {
			QuickGELU(x4).Release()
		}
		reportCPU(b, c0)
	})
	b.Run("GELUTanh/1024x3072", func(b *testing.B) {
		c0 := processCPU()
		for b.Loop() {
			GELUTanh(x4).Release()
		}
		reportCPU(b, c0)
	})
}

// reportCPU reports the process CPU time per iteration since c0 (user +
// system, all threads): on a shared machine wall time includes waiting for
// a core, CPU time does not.
func reportCPU(b *testing.B, c0 time.Duration) {
	if c := processCPU(); c > 0 {
		b.ReportMetric(float64(c-c0)/1e6/float64(b.N), "cpu-ms/op")
	}
}
