package main

import (
	"fmt"
	"time"

	"github.com/govlm/govlm/kernels"
)

// memory measures streaming bandwidth (a read-only reduction and a copy,
// STREAM style) and the effective bandwidth of each weight format's
// matrix-vector product over the same amount of memory, all with the given
// number of threads. On a shared host the bandwidth drifts, so each
// matrix-vector measurement is paired with a read measurement taken right
// before it, and both keep the best of three timings.
func memory(threads int, minTime time.Duration, mib int) {
	bytes := mib << 20
	src := randSlice(bytes / 4)
	dst := make([]float32, len(src))
	readOnce := func() float64 {
		return float64(bytes) / bestOf3(minTime, func() {
			parallel(len(src), threads, func(lo, hi int) { kernels.DotF32(src[lo:hi], src[lo:hi]) })
		}) / 1e9
	}
	read := readOnce()
	cp := 2 * float64(bytes) / timeIt(minTime, func() {
		parallel(len(src), threads, func(lo, hi int) { copy(dst[lo:hi], src[lo:hi]) })
	}) / 1e9
	fmt.Printf("\n%-22s %8.1f GB/s\n", "memory read (dot)", read)
	fmt.Printf("%-22s %8.1f GB/s (read + write)\n", "memory copy", cp)
	dst = nil

	const cols = 4096
	x := randSlice(cols)
	fmt.Printf("%-22s %8s %8s %10s %10s\n", "matvec (k=4096)", "GB/s", "of read", "read GB/s", "rows")
	for _, f := range []struct {
		name   string
		format kernels.Format
		bits   int
		quant  bool
	}{
		{"F32", kernels.FormatF32, 32, false},
		{"F16", kernels.FormatF16, 16, false},
		{"BF16", kernels.FormatBF16, 16, false},
		{"Q8/g64 float", kernels.FormatQ8, 8, false},
		{"Q8/g64 int8", kernels.FormatQ8, 8, true},
		{"Q4/g64 float", kernels.FormatQ4, 4, false},
		{"Q4/g64 int8", kernels.FormatQ4, 4, true},
	} {
		rows := bytes * 8 / (cols * f.bits)
		w := makeWeight(f.format, rows, cols, src)
		wb := float64(rows) * float64(cols) * float64(f.bits) / 8
		if f.bits < 16 {
			wb += float64(rows) * cols / 64 * 8 // scales and biases
		}
		y := make([]float32, rows)
		var act kernels.ActQ8
		kernels.QuantizeActQ8(&act, x)
		read := readOnce()
		sec := bestOf3(minTime, func() {
			if f.quant {
				kernels.QuantizeActQ8(&act, x)
			}
			parallel(rows, threads, func(lo, hi int) {
				if f.quant {
					kernels.MatVecQ(y[lo:hi], w, lo, hi, &act)
				} else {
					kernels.MatVec(y[lo:hi], w, lo, hi, x)
				}
			})
		})
		gbs := wb / sec / 1e9
		fmt.Printf("%-22s %8.1f %7.0f%% %10.1f %10d\n", f.name, gbs, 100*gbs/read, read, rows)
	}
}

// makeWeight builds a rows×cols weight of the format, reusing src's memory
// for its payload (the values do not matter for timing, only the bytes).
func makeWeight(format kernels.Format, rows, cols int, src []float32) *kernels.Mat {
	w := &kernels.Mat{Format: format, Rows: rows, Cols: cols}
	n := rows * cols
	switch format {
	case kernels.FormatF32:
		w.F32 = src[:n]
	case kernels.FormatF16, kernels.FormatBF16:
		w.U16 = make([]uint16, n)
		for i := 0; i < n; i += len(src) {
			kernels.F32ToF16(w.U16[i:min(n, i+len(src))], src)
		}
	default:
		w.GroupSize = 64
		bits := 8
		if format == kernels.FormatQ4 {
			bits = 4
		}
		w.Q = make([]uint32, n*bits/32)
		for i := range w.Q {
			w.Q[i] = uint32(i) * 2654435761
		}
		w.Scales = src[:n/64]
		w.Biases = src[n/64 : 2*n/64]
	}
	return w
}

// bestOf3 returns the smallest of three timeIt measurements.
func bestOf3(minTime time.Duration, f func()) float64 {
	best := timeIt(minTime/3, f)
	for range 2 {
		best = min(best, timeIt(minTime/3, f))
	}
	return best
}
