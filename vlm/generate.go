package vlm

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// Generate streams the model's continuation of input. It stops at an EOS
// token (of the tokenizer, config.json, generation_config.json or the
// configuration's extra EOS tokens), a stop string, MaxTokens or when ctx is
// done; the final chunk carries the CompletionInfo. Errors are yielded with
// an empty chunk and end the sequence; cancellation yields the final chunk
// (StopCancelled) together with ctx's error. Breaking out of the loop stops
// generation.
func Generate(ctx context.Context, mc *ModelContext, input *LMInput, params GenerateParameters) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		if mc == nil || mc.Model == nil || mc.Tokenizer == nil {
			yield(Chunk{}, Errorf(KindGeneration, "model context without model or tokenizer"))
			return
		}
		dec := mc.Tokenizer.NewStreamDecoder(true)
		run(ctx, mc.Model, dec, mc.EOSTokenIDs, mc.WeightBytes, input, params, nil, yield)
	}
}

// streamDecoder is the incremental detokenizer Generate needs.
type streamDecoder interface {
	Add(id int32) string
	Flush() string
}

// Tokens streams sampled token ids of model's continuation of input without
// detokenizing: the loop Generate is built on, for benchmarks and callers
// that decode themselves. It stops at one of eos (which is yielded), at
// MaxTokens or when ctx is done.
func Tokens(ctx context.Context, model LanguageModel, input *LMInput, params GenerateParameters, eos []int32) iter.Seq2[int32, error] {
	return func(yield func(int32, error) bool) {
		run(ctx, model, nil, eos, 0, input, params, nil, func(c Chunk, err error) bool {
			if err != nil {
				return yield(0, err)
			}
			for _, t := range c.Tokens {
				if !yield(t, nil) {
					return false
				}
			}
			return true
		})
	}
}

// run is the generation loop. dec may be nil (no text).
func run(ctx context.Context, model LanguageModel, dec streamDecoder, eos []int32, weightBytes int64,
	input *LMInput, params GenerateParameters, caches []nn.Cache, yield func(Chunk, error) bool) {
	start := time.Now()
	if err := params.validate(); err != nil {
		yield(Chunk{}, err)
		return
	}
	p := params.withDefaults()
	sampler, err := NewSampler(p)
	if err != nil {
		yield(Chunk{}, err)
		return
	}
	if input == nil || len(input.Tokens) == 0 {
		yield(Chunk{}, Errorf(KindGeneration, "empty prompt"))
		return
	}
	mem := newPeakMemory(weightBytes)
	info := &CompletionInfo{PromptTokens: len(input.Tokens)}
	finish := func(reason StopReason, text string, err error) {
		info.StopReason = reason
		info.PeakMemory = mem.peak()
		yield(Chunk{Text: text, Info: info}, err)
	}
	cancelled := func() bool { return ctx.Err() != nil }

	if caches == nil {
		caches = model.NewCaches(p)
	}
	res, err := prepare(ctx, model, input, caches, p.PrefillStepSize)
	if err != nil {
		if cancelled() {
			finish(StopCancelled, "", ctx.Err())
			return
		}
		yield(Chunk{}, fmt.Errorf("preparing the prompt: %w", err))
		return
	}
	logits := res.Logits
	if logits == nil {
		if len(res.Tokens) == 0 {
			yield(Chunk{}, Errorf(KindGeneration, "Prepare returned neither logits nor tokens"))
			return
		}
		if logits, err = forward(model, res.Tokens, caches); err != nil {
			yield(Chunk{}, fmt.Errorf("prefill: %w", err))
			return
		}
	}
	row := lastRow(logits, nil)
	logits.Release()
	info.PromptTime = time.Since(start)
	info.PromptTPS = rate(info.PromptTokens, info.PromptTime)
	mem.sample()

	stops := newStopMatcher(p.StopStrings)
	history := slices.Clone(input.Tokens)
	genStart := time.Now()
	reason := StopLength
	for {
		if i := firstNaN(row); i >= 0 {
			yield(Chunk{}, Errorf(KindGeneration, "the model produced a NaN logit (token %d) at generation step %d", i, info.GenerationTokens))
			return
		}
		tok := sampler.Sample(row, history)
		if info.GenerationTokens == 0 {
			info.TimeToFirstToken = time.Since(start)
		}
		info.GenerationTokens++
		history = append(history, tok)
		if slices.Contains(eos, tok) {
			reason = StopEOS
			if dec == nil && !yield(Chunk{Tokens: []int32{tok}}, nil) {
				return
			}
			break
		}
		var text string
		if dec != nil {
			text = dec.Add(tok)
		}
		text, hit := stops.push(text)
		if !yield(Chunk{Text: text, Tokens: []int32{tok}}, nil) {
			return
		}
		if hit {
			reason = StopString
			dec = nil // discard what follows the stop string
			break
		}
		if info.GenerationTokens >= p.MaxTokens {
			break
		}
		if cancelled() {
			reason = StopCancelled
			break
		}
		if err := maybeQuantize(caches, p); err != nil {
			yield(Chunk{}, Errorf(KindGeneration, "kv-bits %d: %v", p.KVBits, err))
			return
		}
		logits, err := forward(model, []int32{tok}, caches)
		if err != nil {
			yield(Chunk{}, fmt.Errorf("decoding step %d: %w", info.GenerationTokens, err))
			return
		}
		row = lastRow(logits, row)
		logits.Release()
		mem.sample()
	}
	info.GenerationTime = time.Since(genStart)
	info.GenerationTPS = rate(info.GenerationTokens, info.GenerationTime)
	var tail string
	if dec != nil {
		t, _ := stops.push(dec.Flush())
		tail = t + stops.flush()
	}
	var cerr error
	if reason == StopCancelled {
		cerr = ctx.Err()
	}
	finish(reason, tail, cerr)
}

// prepare and forward call the model, turning a shape or dtype panic of the
// tensor package (a bug in the model) into an error for the caller.
func prepare(ctx context.Context, m LanguageModel, in *LMInput, caches []nn.Cache, step int) (res PrepareResult, err error) {
	defer tensor.Recover(&err)
	return m.Prepare(ctx, in, caches, step)
}

func forward(m LanguageModel, tokens []int32, caches []nn.Cache) (logits *tensor.Tensor, err error) {
	defer tensor.Recover(&err)
	return m.Forward(tokens, caches)
}

// firstNaN returns the index of the first NaN in row, or -1. A NaN means
// the model's arithmetic broke down (an overflow in a half-precision
// weight, say); sampling from it would quietly pick token 0.
func firstNaN(row []float32) int {
	for i, v := range row {
		if v != v {
			return i
		}
	}
	return -1
}

// lastRow copies the last row of logits ([n, vocab] or [vocab]) into buf.
func lastRow(logits *tensor.Tensor, buf []float32) []float32 {
	v := logits.Dim(-1)
	d := logits.Data()
	return append(buf[:0], d[len(d)-v:]...)
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// maybeQuantize replaces growing caches by quantized ones once they hold
// more than QuantizedKVStart positions (mlx-lm's kv_bits behaviour). A
// cache whose rows do not fit the group size is an error rather than a
// silent fall-back to F32: the caller asked for the memory saving.
func maybeQuantize(caches []nn.Cache, p GenerateParameters) error {
	if p.KVBits == 0 {
		return nil
	}
	for i, c := range caches {
		kv, ok := c.(*nn.KVCache)
		if !ok || kv.Offset() <= p.QuantizedKVStart {
			continue
		}
		q, err := kv.ToQuantized(p.KVBits, p.KVGroupSize)
		if err != nil {
			return err
		}
		caches[i] = q
	}
	return nil
}
