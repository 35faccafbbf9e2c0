package vlm

import (
	"fmt"
	"time"
)

// StopReason says why generation ended.
type StopReason string

// Stop reasons.
const (
	StopEOS       StopReason = "eos"
	StopLength    StopReason = "length"
	StopString    StopReason = "stop_string"
	StopCancelled StopReason = "cancelled"
)

// CompletionInfo is the record of one finished generation.
type CompletionInfo struct {
	PromptTokens int
	// PromptTime covers Prepare (vision tower and prefill) and the first
	// forward pass, up to the logits of the first generated token.
	PromptTime time.Duration
	PromptTPS  float64
	// GenerationTokens counts sampled tokens (the EOS token included).
	GenerationTokens int
	GenerationTime   time.Duration
	GenerationTPS    float64
	// TimeToFirstToken is measured from the start of Generate.
	TimeToFirstToken time.Duration
	StopReason       StopReason
	// PeakMemory is the largest Go heap (live objects, sampled after
	// prefill and after every step, from runtime/metrics) plus the bytes of
	// memory-mapped weight files. Memory the OS pages in lazily for mmap'd
	// weights is counted in full.
	PeakMemory uint64
}

// String summarises the record on one line.
func (c *CompletionInfo) String() string {
	return fmt.Sprintf("prompt: %d tokens, %.2f tokens/s; generation: %d tokens, %.2f tokens/s; TTFT %v; stop: %s; peak memory %.1f MiB",
		c.PromptTokens, c.PromptTPS, c.GenerationTokens, c.GenerationTPS, c.TimeToFirstToken.Round(time.Millisecond), c.StopReason, float64(c.PeakMemory)/(1<<20))
}

// Chunk is one piece of generated output: new text (possibly empty while
// the detokenizer or the stop-string check holds text back) and the token
// ids sampled since the previous chunk. The last chunk has Info set.
type Chunk struct {
	Text   string
	Tokens []int32
	Info   *CompletionInfo
}
