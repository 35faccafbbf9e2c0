package vlm

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/tokenizer"
)

func init() { RegisterModel(tinyModelType, newTinyModel) }

var tinyPrompt = []int32{7, 4, 11, 11, 14, 26, 22, 14, 17, 11, 3}

// greedyReference recomputes the whole history with fresh caches for every
// token: no cache reuse, no chunking.
func greedyReference(t *testing.T, m *tinyModel, prompt []int32, n int) []int32 {
	t.Helper()
	hist := slices.Clone(prompt)
	var out []int32
	for range n {
		logits, err := m.Forward(hist, m.NewCaches(GenerateParameters{}))
		if err != nil {
			t.Fatal(err)
		}
		tok := argmax(lastRow(logits, nil))
		logits.Release()
		out = append(out, tok)
		hist = append(hist, tok)
	}
	return out
}

func collectTokens(t *testing.T, m LanguageModel, prompt []int32, p GenerateParameters, eos []int32) []int32 {
	t.Helper()
	var out []int32
	for tok, err := range Tokens(context.Background(), m, &LMInput{Tokens: prompt}, p, eos) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok)
	}
	return out
}

func TestTokensMatchFullRecompute(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sliding int
		step    int
	}{
		{"one chunk", 0, 0},
		{"chunks of 3", 0, 3},
		{"chunks of 1", 0, 1},
		{"sliding window 5, chunks of 4", 5, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tinyCfg
			cfg.Sliding = tc.sliding
			m := newBoundTinyModel(t, cfg, 1)
			const n = 12
			want := greedyReference(t, m, tinyPrompt, n)
			got := collectTokens(t, m, tinyPrompt, GenerateParameters{MaxTokens: n, PrefillStepSize: tc.step}, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("generated %v, full recompute gives %v", got, want)
			}
			if len(slices.Compact(slices.Clone(want))) < 3 {
				t.Fatalf("degenerate reference %v: the test would not notice cache errors", want)
			}
		})
	}
}

func TestTokensQuantizedKVCache(t *testing.T) {
	m := newBoundTinyModel(t, tinyCfg, 1)
	want := greedyReference(t, m, tinyPrompt, 1)
	// Two heads of 8 fit no supported group (32, 64, 128): asking for a
	// quantized cache is an error, not a silent fall-back to float32.
	var err error
	for _, e := range Tokens(context.Background(), m, &LMInput{Tokens: tinyPrompt},
		GenerateParameters{MaxTokens: 6, KVBits: 8, KVGroupSize: 32, QuantizedKVStart: 2}, nil) {
		if e != nil {
			err = e
		}
	}
	if !errors.Is(err, ErrGeneration) || !strings.Contains(err.Error(), "group size 32") {
		t.Fatalf("err = %v, want a generation error naming the group size", err)
	}
	// Without kv-bits the same request runs.
	if got := collectTokens(t, m, tinyPrompt, GenerateParameters{MaxTokens: 6}, nil); got[0] != want[0] {
		t.Fatalf("got %v, first greedy token %d", got, want[0])
	}
}

func TestTokensStopAtEOS(t *testing.T) {
	m := newBoundTinyModel(t, tinyCfg, 1)
	ref := greedyReference(t, m, tinyPrompt, 8)
	eos := ref[4]
	i := slices.Index(ref, eos)
	got := collectTokens(t, m, tinyPrompt, GenerateParameters{MaxTokens: 8}, []int32{eos})
	if !slices.Equal(got, ref[:i+1]) {
		t.Fatalf("with EOS %d got %v, want %v", eos, got, ref[:i+1])
	}
}

func TestTokensSeededSampling(t *testing.T) {
	m := newBoundTinyModel(t, tinyCfg, 1)
	p := GenerateParameters{MaxTokens: 10, Temperature: 1.5, TopP: 0.95, Seed: 42}
	a := collectTokens(t, m, tinyPrompt, p, nil)
	b := collectTokens(t, m, tinyPrompt, p, nil)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed gave %v and %v", a, b)
	}
}

func TestTokensRejectBadParameters(t *testing.T) {
	m := newBoundTinyModel(t, tinyCfg, 1)
	for _, p := range []GenerateParameters{{KVBits: 3}, {Temperature: -1}, {TopP: 2}, {MaxKVSize: -1}, {MaxTokens: -1}, {KVBits: 4, KVGroupSize: 7}} {
		for _, err := range Tokens(context.Background(), m, &LMInput{Tokens: tinyPrompt}, p, nil) {
			if !errors.Is(err, ErrGeneration) {
				t.Errorf("%+v: got %v, want a generation error", p, err)
			}
			break
		}
	}
	for _, err := range Tokens(context.Background(), m, &LMInput{}, GenerateParameters{}, nil) {
		if !errors.Is(err, ErrGeneration) {
			t.Errorf("empty prompt: got %v", err)
		}
		break
	}
	for _, err := range Tokens(context.Background(), m, &LMInput{Tokens: []int32{99}}, GenerateParameters{}, nil) {
		if err == nil {
			t.Error("out-of-vocabulary prompt accepted")
		}
		break
	}
}

// tinyContext is a ModelContext over the directly built tiny model and the
// tiny tokenizer.
func tinyContext(t *testing.T, eos []int32) *ModelContext {
	t.Helper()
	dir := t.TempDir()
	writeTinyTokenizer(t, dir)
	tok, err := tokenizer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &ModelContext{Model: newBoundTinyModel(t, tinyCfg, 1), Tokenizer: tok, EOSTokenIDs: eos}
}

type genResult struct {
	text   string
	tokens []int32
	info   *CompletionInfo
	err    error
	chunks int
}

func generate(ctx context.Context, mc *ModelContext, p GenerateParameters) genResult {
	var r genResult
	for c, err := range Generate(ctx, mc, &LMInput{Tokens: tinyPrompt}, p) {
		r.chunks++
		r.text += c.Text
		r.tokens = append(r.tokens, c.Tokens...)
		if c.Info != nil {
			r.info = c.Info
		}
		if err != nil {
			r.err = err
		}
	}
	return r
}

func TestGenerateTextAndInfo(t *testing.T) {
	mc := tinyContext(t, nil)
	r := generate(context.Background(), mc, GenerateParameters{MaxTokens: 10})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if want := mc.Tokenizer.Decode(r.tokens, true); r.text != want {
		t.Errorf("streamed text %q, Decode gives %q", r.text, want)
	}
	i := r.info
	if i == nil || i.StopReason != StopLength || i.GenerationTokens != 10 || i.PromptTokens != len(tinyPrompt) {
		t.Fatalf("info %+v", i)
	}
	if i.PeakMemory == 0 || i.PromptTPS <= 0 || i.GenerationTPS <= 0 || i.TimeToFirstToken <= 0 {
		t.Errorf("info has empty measurements: %+v", i)
	}
	if i.String() == "" {
		t.Error("empty summary")
	}
}

func TestGenerateEOSFromContext(t *testing.T) {
	mc := tinyContext(t, nil)
	ref := generate(context.Background(), mc, GenerateParameters{MaxTokens: 10})
	eos := ref.tokens[5]
	mc.EOSTokenIDs = []int32{eos}
	r := generate(context.Background(), mc, GenerateParameters{MaxTokens: 10})
	i := slices.Index(ref.tokens, eos)
	if r.info.StopReason != StopEOS || !slices.Equal(r.tokens, ref.tokens[:i]) || r.info.GenerationTokens != i+1 {
		t.Fatalf("EOS %d: tokens %v (info %+v), reference %v", eos, r.tokens, r.info, ref.tokens)
	}
}

func TestGenerateStopStrings(t *testing.T) {
	mc := tinyContext(t, nil)
	ref := generate(context.Background(), mc, GenerateParameters{MaxTokens: 16})
	if len(ref.text) < 8 {
		t.Fatalf("reference text %q too short", ref.text)
	}
	stop := ref.text[4:7]
	cut := strings.Index(ref.text, stop)
	r := generate(context.Background(), mc, GenerateParameters{MaxTokens: 16, StopStrings: []string{"zzzzzzzzzzzz", stop}})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.info.StopReason != StopString || r.text != ref.text[:cut] {
		t.Fatalf("stop %q: text %q (reason %s), want %q", stop, r.text, r.info.StopReason, ref.text[:cut])
	}
}

func TestGenerateCancellation(t *testing.T) {
	mc := tinyContext(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var r genResult
	for c, err := range Generate(ctx, mc, &LMInput{Tokens: tinyPrompt}, GenerateParameters{MaxTokens: 50}) {
		r.tokens = append(r.tokens, c.Tokens...)
		if len(r.tokens) == 3 {
			cancel()
		}
		if c.Info != nil {
			r.info, r.err = c.Info, err
		}
	}
	if r.info == nil || r.info.StopReason != StopCancelled || !errors.Is(r.err, context.Canceled) || len(r.tokens) != 3 {
		t.Fatalf("after cancel: %d tokens, info %+v, err %v", len(r.tokens), r.info, r.err)
	}
}

func TestGenerateBreakStops(t *testing.T) {
	mc := tinyContext(t, nil)
	n := 0
	for range Generate(context.Background(), mc, &LMInput{Tokens: tinyPrompt}, GenerateParameters{MaxTokens: 50}) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("loop ran %d times", n)
	}
}

func BenchmarkTinyDecode(b *testing.B) {
	m := newBoundTinyModel(b, tinyCfg, 1)
	b.ResetTimer()
	for range b.N {
		for _, err := range Tokens(context.Background(), m, &LMInput{Tokens: tinyPrompt}, GenerateParameters{MaxTokens: 32}, nil) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestPrefillChunks(t *testing.T) {
	tokens := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, tc := range []struct {
		step  int
		sizes []int
	}{{3, []int{3, 3, 3}}, {4, []int{4, 4, 1}}, {0, []int{9}}, {100, []int{9}}} {
		var sizes []int
		rest, err := PrefillChunks(context.Background(), tokens, tc.step, func(c []int32) error {
			sizes = append(sizes, len(c))
			return nil
		})
		if err != nil || !slices.Equal(sizes, tc.sizes) || !slices.Equal(rest, []int32{9}) {
			t.Errorf("step %d: chunks %v, rest %v, %v", tc.step, sizes, rest, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PrefillChunks(ctx, tokens, 2, func([]int32) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	boom := errors.New("boom")
	if _, err := PrefillChunks(context.Background(), tokens, 2, func([]int32) error { return boom }); err != boom {
		t.Errorf("run error: %v", err)
	}
}

// brokenModel is the tiny model with a decoding step that feeds attention a
// mis-shaped tensor, as a buggy architecture would.
type brokenModel struct{ *tinyModel }

func (b brokenModel) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	if caches[0].Offset() > len(tinyPrompt) {
		tensor.Attention(tensor.New(1, 4, 8), tensor.New(1, 3, 8), tensor.New(1, 3, 8), tensor.AttentionOptions{})
	}
	return b.tinyModel.Forward(tokens, caches)
}

func TestTokensTurnTensorPanicsIntoErrors(t *testing.T) {
	m := brokenModel{newBoundTinyModel(t, tinyCfg, 1)}
	var n int
	var last error
	for _, err := range Tokens(context.Background(), m, &LMInput{Tokens: tinyPrompt}, GenerateParameters{MaxTokens: 5}, nil) {
		n++
		last = err
	}
	var se *tensor.ShapeError
	if !errors.As(last, &se) {
		t.Fatalf("after %d yields got %v, want a *tensor.ShapeError", n, last)
	}
}

// logitsModel is the tiny model with a Prepare that runs the whole prompt
// and returns the logits of its last position, as a VLM's Prepare does.
type logitsModel struct{ *tinyModel }

func (m logitsModel) Prepare(ctx context.Context, in *LMInput, caches []nn.Cache, step int) (PrepareResult, error) {
	h, err := m.hidden(in.Tokens, caches)
	if err != nil {
		return PrepareResult{}, err
	}
	defer h.Release()
	last := h.Slice(0, h.Dim(0)-1, h.Dim(0))
	return PrepareResult{Logits: m.Head.Forward(last)}, nil
}

func TestTokensFromPreparedLogits(t *testing.T) {
	m := newBoundTinyModel(t, tinyCfg, 1)
	want := greedyReference(t, m, tinyPrompt, 8)
	got := collectTokens(t, logitsModel{m}, tinyPrompt, GenerateParameters{MaxTokens: 8}, nil)
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTokensMaxKVSize(t *testing.T) {
	m := newBoundTinyModel(t, tinyCfg, 1)
	want := greedyReference(t, m, tinyPrompt, 8)
	// A bound larger than the sequence changes nothing.
	if got := collectTokens(t, m, tinyPrompt, GenerateParameters{MaxTokens: 8, MaxKVSize: 64}, nil); !slices.Equal(got, want) {
		t.Fatalf("MaxKVSize 64: got %v, want %v", got, want)
	}
	// A smaller one bounds the caches; generation still runs to the end.
	if got := collectTokens(t, m, tinyPrompt, GenerateParameters{MaxTokens: 8, MaxKVSize: 8, PrefillStepSize: 4}, nil); len(got) != 8 {
		t.Fatalf("MaxKVSize 8: %d tokens", len(got))
	}
}

// nanModel is a real tiny model whose first prompt logits are poisoned
// with a NaN, as an overflowing half-precision weight would produce.
type nanModel struct{ *tinyModel }

func (m nanModel) Prepare(ctx context.Context, in *LMInput, caches []nn.Cache, step int) (PrepareResult, error) {
	res, err := logitsModel(m).Prepare(ctx, in, caches, step)
	if err == nil {
		res.Logits.Data()[3] = float32(math.NaN())
	}
	return res, err
}

func TestTokensRejectNaNLogits(t *testing.T) {
	m := nanModel{newBoundTinyModel(t, tinyCfg, 1)}
	var got []int32
	var err error
	for tok, e := range Tokens(context.Background(), m, &LMInput{Tokens: tinyPrompt}, GenerateParameters{MaxTokens: 3}, nil) {
		if e != nil {
			err = e
			break
		}
		got = append(got, tok)
	}
	if len(got) != 0 || !errors.Is(err, ErrGeneration) || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("tokens %v, err %v: want no token and a generation error about NaN", got, err)
	}
}
