package media

import "math"

// DefaultSamplesPerSecond is the sampling rate used when VideoOptions sets
// neither SamplesPerSecond nor TargetFPS.
const DefaultSamplesPerSecond = 2.0

// SampleCount returns how many frames to take from a video of the given
// duration at fps samples per second: round(fps*duration), clamped to
// [1, maxFrames] (maxFrames <= 0: no cap) and to the available frames
// (available <= 0: unknown).
func SampleCount(duration, fps float64, maxFrames, available int) int {
	n := int(math.Round(fps * duration))
	if maxFrames > 0 {
		n = min(n, maxFrames)
	}
	if available > 0 {
		n = min(n, available)
	}
	return max(n, 1)
}

// SampleTimes returns n timestamps evenly spaced from 0 to duration
// inclusive (a linspace); one sample is taken at 0.
func SampleTimes(duration float64, n int) []float64 {
	if n <= 1 {
		return []float64{0}
	}
	ts := make([]float64, n)
	for i := range ts {
		ts[i] = duration * float64(i) / float64(n-1)
	}
	ts[n-1] = duration
	return ts
}

// frameIndex maps a timestamp (seconds from the start) to the index of the
// frame displayed at that time, clamped to the last frame.
func frameIndex(t, fps float64, count int) int {
	i := int(math.Floor(t*fps + 1e-6))
	return max(0, min(i, count-1))
}
