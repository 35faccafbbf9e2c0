// openblas: times cblas_sgemm for C = A·Wᵀ (A m×k, W n×k, row-major), the
// shape govlm's GemmNT computes, and prints one line:
//   openblas m k n threads reps seconds_per_call gflops best_gflops
// (gflops from the mean time per call, best_gflops from the fastest call,
// which is steadier on a shared machine)
// Build: gcc -O2 -o openblas openblas.c -lopenblas
// Threads come from OPENBLAS_NUM_THREADS.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
	if (argc != 5) {
		fprintf(stderr, "usage: %s m k n min_seconds\n", argv[0]);
		return 2;
	}
	int m = atoi(argv[1]), k = atoi(argv[2]), n = atoi(argv[3]);
	double minSec = atof(argv[4]);
	float *a = malloc(sizeof(float) * (size_t)m * k);
	float *w = malloc(sizeof(float) * (size_t)n * k);
	float *c = malloc(sizeof(float) * (size_t)m * n);
	if (!a || !w || !c) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	srand(1);
	for (size_t i = 0; i < (size_t)m * k; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
	for (size_t i = 0; i < (size_t)n * k; i++) w[i] = (float)rand() / RAND_MAX - 0.5f;
	// Warm up (thread start-up, page faults), then time whole calls.
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, w, k, 0.0f, c, n);
	int reps = 0;
	double t0 = now(), el, best = 1e30;
	do {
		double t1 = now();
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, w, k, 0.0f, c, n);
		double d = now() - t1;
		if (d < best) best = d;
		reps++;
		el = now() - t0;
	} while (el < minSec);
	double per = el / reps, flop = 2.0 * m * k * n;
	printf("openblas %d %d %d %d %d %.6g %.2f %.2f\n", m, k, n, openblas_get_num_threads(), reps, per, flop / per / 1e9, flop / best / 1e9);
	return 0;
}
