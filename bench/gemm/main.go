// Command gemm compares govlm's float32 GEMM with OpenBLAS on the same
// shapes and thread count, and measures memory bandwidth against the
// decode-time matrix-vector kernels. See bench/README.md.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govlm/govlm/kernels"
)

func main() {
	threads := flag.Int("threads", 2, "worker goroutines (and OPENBLAS_NUM_THREADS)")
	blas := flag.String("openblas", "", "path of the compiled openblas.c timer (empty: skip OpenBLAS)")
	minTime := flag.Duration("time", time.Second, "minimum timing per measurement")
	shapes := flag.String("shapes", "1x896x4864,512x896x4864,1024x1024x1024,2048x2048x2048", "comma-separated m×k×n GEMM shapes")
	memMiB := flag.Int("mem", 1024, "MiB of weights for the bandwidth and matrix-vector measurements")
	skipGemm := flag.Bool("nogemm", false, "skip the GEMM comparison")
	skipMem := flag.Bool("nomem", false, "skip the bandwidth measurements")
	tier := flag.String("tier", "", "kernel tier to use (generic, avx2, avx512, neon; empty: the fastest)")
	flag.Parse()
	if err := selectTier(*tier); err != nil {
		fmt.Fprintln(os.Stderr, "gemm:", err)
		os.Exit(2)
	}
	if err := run(*threads, *blas, *minTime, *shapes, *memMiB, !*skipGemm, !*skipMem); err != nil {
		fmt.Fprintln(os.Stderr, "gemm:", err)
		os.Exit(1)
	}
}

func run(threads int, blas string, minTime time.Duration, shapes string, memMiB int, doGemm, doMem bool) error {
	fmt.Printf("# govlm kernels tier %v, %d threads, GOMAXPROCS %d, %s/%s\n", kernels.CurrentTier(), threads, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	if doGemm {
		fmt.Printf("%-18s %23s %23s %14s\n", "GEMM m×k×n", "govlm GF/s mean/best", "OpenBLAS GF/s mean/best", "ratio mean/best")
		for _, s := range strings.Split(shapes, ",") {
			m, k, n, err := parseShape(s)
			if err != nil {
				return err
			}
			ours, oursBest := gemmGFLOPS(m, k, n, threads, minTime)
			var theirs, theirsBest float64
			if blas != "" {
				if theirs, theirsBest, err = openblasGFLOPS(blas, m, k, n, threads, minTime); err != nil {
					return err
				}
			}
			ratio := "-"
			if theirs > 0 {
				ratio = fmt.Sprintf("%.2f / %.2f", ours/theirs, oursBest/theirsBest)
			}
			fmt.Printf("%-18s %11.1f / %-9.1f %11.1f / %-9.1f %14s\n", s, ours, oursBest, theirs, theirsBest, ratio)
		}
	}
	if doMem {
		memory(threads, minTime, memMiB)
	}
	return nil
}

// selectTier switches the kernels to the named tier.
func selectTier(name string) error {
	if name == "" {
		return nil
	}
	for _, t := range kernels.Tiers() {
		if t.String() == name {
			return kernels.SetTier(t)
		}
	}
	return fmt.Errorf("tier %q not available (have %v)", name, kernels.Tiers())
}

func parseShape(s string) (m, k, n int, err error) {
	f := strings.Split(strings.TrimSpace(s), "x")
	if len(f) != 3 {
		return 0, 0, 0, fmt.Errorf("shape %q: want m×k×n as MxKxN", s)
	}
	var v [3]int
	for i, p := range f {
		if v[i], err = strconv.Atoi(p); err != nil || v[i] <= 0 {
			return 0, 0, 0, fmt.Errorf("shape %q: bad dimension %q", s, p)
		}
	}
	return v[0], v[1], v[2], nil
}

// parallel runs f(lo, hi) over [0, n) split into threads contiguous ranges,
// as the tensor package splits weight rows.
func parallel(n, threads int, f func(lo, hi int)) {
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		lo, hi := n*t/threads, n*(t+1)/threads
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

// timeIt calls f until minTime has passed (after one warm-up call) and
// returns the mean seconds per call.
func timeIt(minTime time.Duration, f func()) float64 {
	mean, _ := timeCalls(minTime, f)
	return mean
}

// timeCalls returns the mean and the fastest seconds per call of f over
// minTime (after one warm-up call).
func timeCalls(minTime time.Duration, f func()) (mean, best float64) {
	f()
	reps := 0
	best = 1e30
	start := time.Now()
	for time.Since(start) < minTime {
		t := time.Now()
		f()
		best = min(best, time.Since(t).Seconds())
		reps++
	}
	return time.Since(start).Seconds() / float64(reps), best
}

func randSlice(n int) []float32 {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32() - 0.5
	}
	return s
}

// gemmGFLOPS returns GFLOPS from the mean and from the fastest call.
func gemmGFLOPS(m, k, n, threads int, minTime time.Duration) (mean, best float64) {
	a := randSlice(m * k)
	w := &kernels.Mat{Format: kernels.FormatF32, Rows: n, Cols: k, F32: randSlice(n * k)}
	c := make([]float32, m*n)
	ms, bs := timeCalls(minTime, func() {
		parallel(n, threads, func(lo, hi int) { kernels.GemmNT(c[lo:], n, a, k, m, w, lo, hi) })
	})
	flop := 2 * float64(m) * float64(k) * float64(n)
	return flop / ms / 1e9, flop / bs / 1e9
}

// openblasGFLOPS runs the C timer and parses its one-line report (mean and
// fastest-call GFLOPS).
func openblasGFLOPS(bin string, m, k, n, threads int, minTime time.Duration) (mean, best float64, err error) {
	cmd := exec.Command(bin, strconv.Itoa(m), strconv.Itoa(k), strconv.Itoa(n), strconv.FormatFloat(minTime.Seconds(), 'f', 3, 64))
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+strconv.Itoa(threads))
	out, err := cmd.Output()
	if err != nil {
		return 0, 0, fmt.Errorf("running %s: %w", bin, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 9 && f[0] == "openblas" {
			mean, err1 := strconv.ParseFloat(f[7], 64)
			best, err2 := strconv.ParseFloat(f[8], 64)
			if err := errors.Join(err1, err2); err != nil {
				return 0, 0, fmt.Errorf("%s: parsing %q: %w", bin, sc.Text(), err)
			}
			return mean, best, nil
		}
	}
	return 0, 0, fmt.Errorf("%s: unexpected output %q", bin, out)
}
