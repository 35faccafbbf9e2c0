package vlm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/govlm/govlm/hub"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/tokenizer"
)

// LoadOptions tunes Load.
type LoadOptions struct {
	// Quantize converts eligible float weights (the Linear and Embedding
	// tables whose width is a multiple of 64) at load time: "q4", "q8" or
	// "" (keep the checkpoint's dtypes).
	Quantize string
	// Progress receives download progress.
	Progress func(hub.Progress)
	// Hub is the client used for downloads (nil: hub.NewClient()).
	Hub *hub.Client
}

// ModelContext is a loaded model with everything needed to use it.
type ModelContext struct {
	Configuration ModelConfiguration
	Model         LanguageModel
	Processor     UserInputProcessor
	Tokenizer     *tokenizer.Tokenizer
	Config        BaseConfiguration
	// Dir is the model folder the files were read from.
	Dir string
	// EOSTokenIDs are the ids that end generation.
	EOSTokenIDs []int32
	// WeightBytes is the size of the memory-mapped weight files.
	WeightBytes int64

	closer io.Closer
}

// Close unmaps the weight files. The model must not be used afterwards.
func (mc *ModelContext) Close() error {
	if mc.closer == nil {
		return nil
	}
	err := mc.closer.Close()
	mc.closer = nil
	return err
}

// BaseConfiguration is the part of config.json every model shares.
type BaseConfiguration struct {
	ModelType   string
	EOSTokenIDs []int32
	// Quantization is the mlx-community quantization, or nil.
	Quantization *QuantizationConfig
	// Raw is the whole config.json.
	Raw json.RawMessage
}

// idList decodes a token id given as a number, a list of numbers or null.
type idList []int32

// UnmarshalJSON accepts a number, a list of numbers or null.
func (l *idList) UnmarshalJSON(b []byte) error {
	var one *int32
	if err := json.Unmarshal(b, &one); err == nil {
		if one != nil {
			*l = idList{*one}
		}
		return nil
	}
	var many []int32
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

// ParseBaseConfiguration decodes the shared fields of config.json:
// model_type, eos_token_id (top level or in text_config) and the
// quantization settings.
func ParseBaseConfiguration(configJSON []byte) (BaseConfiguration, error) {
	var raw struct {
		ModelType  string `json:"model_type"`
		EOS        idList `json:"eos_token_id"`
		TextConfig struct {
			EOS idList `json:"eos_token_id"`
		} `json:"text_config"`
	}
	if err := json.Unmarshal(configJSON, &raw); err != nil {
		return BaseConfiguration{}, Errorf(KindLoad, "decoding config.json: %w", err)
	}
	if raw.ModelType == "" {
		return BaseConfiguration{}, Errorf(KindLoad, "config.json has no model_type")
	}
	q, err := ParseQuantization(configJSON)
	if err != nil {
		return BaseConfiguration{}, Errorf(KindLoad, "config.json: %w", err)
	}
	eos := append(slices.Clone([]int32(raw.EOS)), raw.TextConfig.EOS...)
	return BaseConfiguration{ModelType: raw.ModelType, EOSTokenIDs: eos, Quantization: q, Raw: configJSON}, nil
}

// Files Load downloads from the hub: the model's, and a tokenizer
// override's.
var (
	modelFilePatterns     = []string{"*.json", "*.safetensors", "*.jinja", "tokenizer.model", "*.txt", "*.tiktoken"}
	tokenizerFilePatterns = []string{"*.json", "*.jinja", "tokenizer.model", "*.txt", "*.tiktoken"}
)

// Load resolves, downloads (if needed), decodes and binds a model and its
// tokenizer and processor. Failures are *Error values of kind KindLoad,
// KindUnsupportedModelType or KindUnknownProcessor.
func Load(ctx context.Context, cfg ModelConfiguration, opts LoadOptions) (*ModelContext, error) {
	if cfg.Directory == "" && cfg.ID == "" {
		return nil, Errorf(KindLoad, "configuration names neither a directory nor a hub id")
	}
	bits, err := parseQuantizeOption(opts.Quantize)
	if err != nil {
		return nil, err
	}
	dir, err := resolve(ctx, cfg.Directory, cfg.ID, cfg.Revision, modelFilePatterns, opts)
	if err != nil {
		return nil, err
	}
	configJSON, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, Errorf(KindLoad, "reading config.json: %w", err)
	}
	base, err := ParseBaseConfiguration(configJSON)
	if err != nil {
		return nil, err
	}
	ctor, ok := lookupModel(base.ModelType)
	if !ok {
		return nil, Errorf(KindUnsupportedModelType, "model_type %q in %s (supported: %s)",
			base.ModelType, filepath.Join(dir, "config.json"), strings.Join(ModelTypes(), ", "))
	}
	model, err := construct(ctor, configJSON)
	if err != nil {
		return nil, Errorf(KindLoad, "building %s model: %w", base.ModelType, err)
	}

	ckpt, err := openWeights(dir)
	if err != nil {
		return nil, err
	}
	mc := &ModelContext{Configuration: cfg, Model: model, Config: base, Dir: dir, closer: ckpt, WeightBytes: ckpt.size}
	fail := func(err error) (*ModelContext, error) {
		mc.Close()
		return nil, err
	}
	weights, err := ckpt.tensors(base.Quantization)
	if err != nil {
		return fail(err)
	}
	if weights, err = sanitize(model, weights); err != nil {
		return fail(Errorf(KindLoad, "sanitizing %s weights: %w", base.ModelType, err))
	}
	if err := nn.Bind(model, weights, ""); err != nil {
		return fail(Errorf(KindLoad, "binding weights of %s: %w", dir, err))
	}
	if bits > 0 {
		if err := QuantizeModel(model, bits, DefaultKVGroupSize); err != nil {
			return fail(Errorf(KindLoad, "quantizing to %d bits: %w", bits, err))
		}
	}

	tokDir := dir
	if cfg.Tokenizer != "" {
		if tokDir, err = resolve(ctx, localDir(cfg.Tokenizer), hubID(cfg.Tokenizer), "", tokenizerFilePatterns, opts); err != nil {
			return fail(err)
		}
	}
	if mc.Tokenizer, err = tokenizer.Load(tokDir); err != nil {
		return fail(Errorf(KindLoad, "loading the tokenizer from %s: %w", tokDir, err))
	}
	if mc.EOSTokenIDs, err = eosIDs(dir, base, mc.Tokenizer, cfg.ExtraEOSTokens); err != nil {
		return fail(err)
	}
	if mc.Processor, err = buildProcessor(dir, base, configJSON, mc); err != nil {
		return fail(err)
	}
	return mc, nil
}

// construct and sanitize run model code, turning tensor panics into errors.
func construct(ctor ModelConstructor, config []byte) (m LanguageModel, err error) {
	defer tensor.Recover(&err)
	return ctor(config)
}

func sanitize(m LanguageModel, w map[string]*tensor.Tensor) (out map[string]*tensor.Tensor, err error) {
	defer tensor.Recover(&err)
	return m.Sanitize(w)
}

func parseQuantizeOption(s string) (int, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case "q4", "4":
		return 4, nil
	case "q8", "8":
		return 8, nil
	}
	return 0, Errorf(KindLoad, "quantize option %q (want q4, q8 or empty)", s)
}

// localDir returns s when it names an existing directory.
func localDir(s string) string {
	if st, err := os.Stat(s); err == nil && st.IsDir() {
		return s
	}
	return ""
}

func hubID(s string) string {
	if localDir(s) != "" {
		return ""
	}
	return s
}

// resolve returns a local folder holding the model files: dir itself, or a
// hub snapshot of id limited to patterns.
func resolve(ctx context.Context, dir, id, revision string, patterns []string, opts LoadOptions) (string, error) {
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return "", Errorf(KindLoad, "model directory: %w", err)
		}
		if !st.IsDir() {
			return "", Errorf(KindLoad, "%s is not a directory", dir)
		}
		return dir, nil
	}
	client := opts.Hub
	if client == nil {
		client = hub.NewClient()
	}
	out, err := client.Snapshot(ctx, id, revision, patterns, opts.Progress)
	if err != nil {
		return "", Errorf(KindLoad, "downloading %s: %w", id, err)
	}
	return out, nil
}

// eosIDs gathers the ids that end generation: the tokenizer's (which
// include generation_config.json's), config.json's and the extra tokens.
func eosIDs(dir string, base BaseConfiguration, tok *tokenizer.Tokenizer, extra []string) ([]int32, error) {
	ids := append(slices.Clone(tok.EOSIDs()), base.EOSTokenIDs...)
	gen, err := readOptional(filepath.Join(dir, "generation_config.json"))
	if err != nil {
		return nil, Errorf(KindLoad, "reading generation_config.json: %w", err)
	}
	if gen != nil {
		var g struct {
			EOS idList `json:"eos_token_id"`
		}
		if err := json.Unmarshal(gen, &g); err != nil {
			return nil, Errorf(KindLoad, "decoding generation_config.json: %w", err)
		}
		ids = append(ids, g.EOS...)
	}
	for _, s := range extra {
		id, ok := tok.TokenID(s)
		if !ok {
			return nil, Errorf(KindLoad, "extra EOS token %q is not in the vocabulary", s)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

func buildProcessor(dir string, base BaseConfiguration, configJSON []byte, mc *ModelContext) (UserInputProcessor, error) {
	pc, err := LoadProcessorConfiguration(dir)
	if err != nil {
		return nil, err
	}
	pctx := ProcessorContext{
		Dir: dir, ModelType: base.ModelType, ModelConfig: configJSON, Processor: pc,
		Tokenizer: mc.Tokenizer, Model: mc.Model, Configuration: mc.Configuration,
	}
	var names []string
	if pc != nil && pc.ProcessorClass != "" {
		names = append(names, pc.ProcessorClass)
	}
	names = append(names, base.ModelType)
	for _, name := range names {
		if ctor, ok := lookupProcessor(name); ok {
			p, err := ctor(pctx)
			if err != nil {
				return nil, Errorf(KindLoad, "building processor %s: %w", name, err)
			}
			return p, nil
		}
	}
	if _, vision := mc.Model.(VLMModel); !vision {
		return NewTextProcessor(mc.Tokenizer), nil
	}
	return nil, Errorf(KindUnknownProcessor, "no processor registered for %s (registered: %s)",
		strings.Join(names, " or "), strings.Join(ProcessorClasses(), ", "))
}

// QuantizeModel converts, in place, the weights of every nn.Linear and
// nn.Embedding in model whose dtype is F32, F16 or BF16 and whose width is a
// multiple of groupSize to the affine format with bits 4 or 8. Other weights
// are left alone.
func QuantizeModel(model any, bits, groupSize int) error {
	var errs []error
	done := map[*tensor.Tensor]*tensor.Tensor{} // tied weights are converted once
	nn.Walk(model, func(path string, m any) {
		var w **tensor.Tensor
		switch l := m.(type) {
		case *nn.Linear:
			w = &l.Weight
		case *nn.Embedding:
			w = &l.Weight
		default:
			return
		}
		t := *w
		if q, ok := done[t]; ok {
			*w = q
			return
		}
		if t == nil || t.Rank() != 2 || t.Dim(1)%groupSize != 0 {
			return
		}
		switch t.DType() {
		case tensor.F32, tensor.F16, tensor.BF16:
		default:
			return
		}
		q, err := tensor.Quantize(t, bits, groupSize)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			return
		}
		done[t] = q
		*w = q
	})
	return errors.Join(errs...)
}
