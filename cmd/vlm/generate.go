package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/govlm/govlm/hub"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// sampleJPEG is the photograph vlm generate describes when it is given no
// media and no prompt: "Chelsea the cat" from scikit-image's sample data
// (CC0).
//
//go:embed sample.jpg
var sampleJPEG []byte

// modelFlags are the flags every command that loads a model shares.
type modelFlags struct {
	model      string
	quantize   string
	int8Decode bool
}

func (m *modelFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.model, "model", DefaultModel, "hub id (org/name[@revision]) or local model folder")
	fs.StringVar(&m.quantize, "quantize", "", "quantize float weights at load time: q4 or q8")
	fs.BoolVar(&m.int8Decode, "int8-decode", false,
		"for q4/q8 weights, decode with int8-rounded activations and integer dot products (faster, slightly less exact)")
}

// configuration turns --model into a ModelConfiguration: a local folder, a
// registered configuration, or a plain hub id.
func (m *modelFlags) configuration() (vlm.ModelConfiguration, error) {
	if st, err := os.Stat(m.model); err == nil && st.IsDir() {
		return vlm.ModelConfiguration{Directory: m.model}, nil
	}
	id, rev, err := hub.ParseRepoID(m.model)
	if err != nil {
		return vlm.ModelConfiguration{}, fmt.Errorf("--model %q is neither a folder nor a hub id: %w", m.model, err)
	}
	cfg, ok := vlm.LookupConfiguration(id)
	if !ok {
		cfg = vlm.ModelConfiguration{ID: id}
	}
	cfg.Revision = rev
	return cfg, nil
}

// load loads the model, drawing download progress on stderr.
func (m *modelFlags) load(ctx context.Context, stderr io.Writer) (*vlm.ModelContext, error) {
	switch m.quantize {
	case "", "q4", "q8":
	default:
		return nil, fmt.Errorf("--quantize must be q4 or q8, not %q", m.quantize)
	}
	cfg, err := m.configuration()
	if err != nil {
		return nil, err
	}
	tensor.SetIntegerMatVec(m.int8Decode)
	bar := hub.NewProgressBar(stderr, isTerminal(stderr))
	mc, err := vlm.Load(ctx, cfg, vlm.LoadOptions{Quantize: m.quantize, Progress: bar.Update})
	bar.Done()
	return mc, err
}

// sampleFlags are the generation parameters shared by generate and chat.
type sampleFlags struct {
	maxTokens   int
	temperature float64
	topP        float64
	topK        int
	minP        float64
	repetition  float64
	seed        uint64
	kvBits      int
	maxKV       int
	stops       stringList
}

func (s *sampleFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&s.maxTokens, "max-tokens", 256, "most tokens to generate")
	fs.Float64Var(&s.temperature, "temperature", 0, "sampling temperature (0: greedy)")
	fs.Float64Var(&s.topP, "top-p", 0, "nucleus sampling threshold (0: off)")
	fs.IntVar(&s.topK, "top-k", 0, "sample among the k most likely tokens (0: off)")
	fs.Float64Var(&s.minP, "min-p", 0, "drop tokens below min-p × the top probability (0: off)")
	fs.Float64Var(&s.repetition, "repetition-penalty", 0, "penalty for recently generated tokens (0 or 1: off)")
	fs.Uint64Var(&s.seed, "seed", 0, "random seed for sampling")
	fs.IntVar(&s.kvBits, "kv-bits", 0, "quantize the KV cache to 4 or 8 bits (0: off)")
	fs.IntVar(&s.maxKV, "max-kv-size", 0, "bound each layer's KV cache (0: unbounded)")
	fs.Var(&s.stops, "stop", "stop string (repeatable)")
}

func (s *sampleFlags) parameters() vlm.GenerateParameters {
	return vlm.GenerateParameters{
		MaxTokens:         s.maxTokens,
		Temperature:       float32(s.temperature),
		TopP:              float32(s.topP),
		TopK:              s.topK,
		MinP:              float32(s.minP),
		RepetitionPenalty: float32(s.repetition),
		Seed:              s.seed,
		KVBits:            s.kvBits,
		MaxKVSize:         s.maxKV,
		StopStrings:       s.stops,
	}
}

// mediaFlags are preprocessing hints.
type mediaFlags struct {
	resize     string
	minPixels  int
	maxPixels  int
	fps        float64
	maxFrames  int
	panAndScan boolFlag
}

// boolFlag is a boolean flag that remembers whether it was given, so
// "not given" can mean "the model's own default".
type boolFlag struct{ set, value bool }

func (b *boolFlag) String() string   { return strconv.FormatBool(b.value) }
func (b *boolFlag) IsBoolFlag() bool { return true }
func (b *boolFlag) Set(s string) error {
	v, err := strconv.ParseBool(s)
	b.set, b.value = true, v
	return err
}

func (m *mediaFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.resize, "resize", "", "resize images to W or WxH before the model's own preprocessing")
	fs.IntVar(&m.minPixels, "min-pixels", 0, "lower pixel budget per image (Qwen2-VL style processors)")
	fs.IntVar(&m.maxPixels, "max-pixels", 0, "upper pixel budget per image (Qwen2-VL style processors)")
	fs.Float64Var(&m.fps, "fps", 0, "video frames sampled per second (0: the processor's default)")
	fs.IntVar(&m.maxFrames, "max-frames", 0, "most video frames (0: the processor's default)")
	fs.Var(&m.panAndScan, "pan-and-scan", "add crops of long images (Gemma 3); default: the processor's setting")
}

func (m *mediaFlags) processing() (vlm.Processing, error) {
	p := vlm.Processing{MinPixels: m.minPixels, MaxPixels: m.maxPixels, FPS: m.fps, MaxFrames: m.maxFrames}
	if m.panAndScan.set {
		p.PanAndScan = &m.panAndScan.value
	}
	if m.resize != "" {
		w, h, err := parseSize(m.resize)
		if err != nil {
			return p, err
		}
		p.ResizeWidth, p.ResizeHeight = w, h
	}
	return p, nil
}

// parseSize reads "W" (a square) or "WxH".
func parseSize(s string) (w, h int, err error) {
	ws, hs, found := strings.Cut(strings.ToLower(s), "x")
	if !found {
		hs = ws
	}
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("--resize %q: want W or WxH with positive integers", s)
	}
	return w, h, nil
}

// imageSource turns a flag value into an image source.
func imageSource(s string) vlm.ImageSource {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "data:") {
		return vlm.ImageSource{URL: s}
	}
	return vlm.ImageSource{Path: s}
}

func videoSource(s string) vlm.VideoSource {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return vlm.VideoSource{URL: s}
	}
	return vlm.VideoSource{Path: s}
}

// jsonRecord is what --json prints.
type jsonRecord struct {
	Model            string  `json:"model"`
	Prompt           string  `json:"prompt"`
	Text             string  `json:"text"`
	GeneratedIDs     []int32 `json:"generated_ids"`
	StopReason       string  `json:"stop_reason"`
	PromptTokens     int     `json:"prompt_tokens"`
	PromptTPS        float64 `json:"prompt_tokens_per_second"`
	GenerationTokens int     `json:"generation_tokens"`
	GenerationTPS    float64 `json:"generation_tokens_per_second"`
	TimeToFirstToken float64 `json:"time_to_first_token_seconds"`
	PeakMemory       uint64  `json:"peak_memory_bytes"`
}

func runGenerate(args []string, stdout, stderr io.Writer, _ io.Reader) error {
	fs := newFlagSet("generate", stderr)
	var (
		mf      modelFlags
		sf      sampleFlags
		media   mediaFlags
		images  stringList
		videos  stringList
		prompt  = fs.String("prompt", "", "the question or instruction (default: the model's default prompt)")
		system  = fs.String("system", "", "system message")
		asJSON  = fs.Bool("json", false, "print one JSON record instead of streaming text")
		verbose = fs.Bool("verbose", false, "print the rendered prompt's token count and timing details")
	)
	mf.register(fs)
	sf.register(fs)
	media.register(fs)
	fs.Var(&images, "image", "image path or URL (repeatable)")
	fs.Var(&videos, "video", "video path or URL (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	processing, err := media.processing()
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	mc, err := mf.load(ctx, stderr)
	if err != nil {
		return err
	}
	defer mc.Close()

	text := *prompt
	useSample := len(images) == 0 && len(videos) == 0 && text == ""
	if text == "" {
		text = mc.Configuration.DefaultPrompt
	}
	if text == "" {
		text = "Describe this image."
	}
	var parts []vlm.Part
	if useSample && acceptsImages(mc.Model) {
		parts = append(parts, vlm.Part{Image: &vlm.ImageSource{Bytes: sampleJPEG}})
		if !*asJSON {
			fmt.Fprintln(stderr, "(no --image given: describing the sample photograph built into vlm)")
		}
	}
	for _, s := range images {
		src := imageSource(s)
		parts = append(parts, vlm.Part{Image: &src})
	}
	for _, s := range videos {
		src := videoSource(s)
		parts = append(parts, vlm.Part{Video: &src})
	}
	parts = append(parts, vlm.Part{Text: text})

	input := vlm.UserInput{Processing: processing}
	if *system != "" {
		input.Messages = append(input.Messages, vlm.Text(vlm.RoleSystem, *system))
	}
	input.Messages = append(input.Messages, vlm.Message{Role: vlm.RoleUser, Content: parts})

	lm, err := mc.Processor.Prepare(ctx, input)
	if err != nil {
		return err
	}
	if *verbose {
		fmt.Fprintf(stderr, "prompt: %d tokens\n", len(lm.Tokens))
	}

	rec := jsonRecord{Model: mf.model, Prompt: text}
	var out strings.Builder
	var info *vlm.CompletionInfo
	for chunk, err := range vlm.Generate(ctx, mc, lm, sf.parameters()) {
		if err != nil {
			return err
		}
		rec.GeneratedIDs = append(rec.GeneratedIDs, chunk.Tokens...)
		out.WriteString(chunk.Text)
		if !*asJSON {
			io.WriteString(stdout, chunk.Text)
		}
		if chunk.Info != nil {
			info = chunk.Info
		}
	}
	rec.GeneratedIDs = withoutEOS(rec.GeneratedIDs, mc.EOSTokenIDs)
	if info == nil {
		return errors.New("generation ended without a completion record")
	}
	if *asJSON {
		rec.Text = out.String()
		rec.StopReason = string(info.StopReason)
		rec.PromptTokens = info.PromptTokens
		rec.PromptTPS = info.PromptTPS
		rec.GenerationTokens = info.GenerationTokens
		rec.GenerationTPS = info.GenerationTPS
		rec.TimeToFirstToken = info.TimeToFirstToken.Seconds()
		rec.PeakMemory = info.PeakMemory
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rec)
	}
	fmt.Fprintln(stdout)
	printSummary(stderr, info)
	return nil
}

// withoutEOS drops a trailing end-of-sequence id.
func withoutEOS(ids, eos []int32) []int32 {
	if n := len(ids); n > 0 {
		for _, e := range eos {
			if ids[n-1] == e {
				return ids[:n-1]
			}
		}
	}
	return ids
}

func printSummary(w io.Writer, info *vlm.CompletionInfo) {
	fmt.Fprintln(w, "==========")
	fmt.Fprintf(w, "Prompt: %d tokens, %.2f tokens/s\n", info.PromptTokens, info.PromptTPS)
	fmt.Fprintf(w, "Generation: %d tokens, %.2f tokens/s\n", info.GenerationTokens, info.GenerationTPS)
	fmt.Fprintf(w, "Time to first token: %s\n", info.TimeToFirstToken.Round(time.Millisecond))
	fmt.Fprintf(w, "Peak memory: %.2f GB (stop: %s)\n", float64(info.PeakMemory)/1e9, info.StopReason)
}

func acceptsImages(m vlm.LanguageModel) bool {
	v, ok := m.(vlm.VLMModel)
	return ok && v.MediaSupport().MaxImages != 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
