// Package benchutil holds what the models' real-size benchmarks share:
// random BF16 weights for a module tree of any size made in memory (no
// checkpoint download), a test photo, and the process's CPU time and peak
// resident set for reporting per-phase work and memory.
package benchutil
