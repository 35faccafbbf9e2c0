package vlm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ModelConfiguration says which model to load and how to talk to it.
type ModelConfiguration struct {
	// ID is a Hugging Face hub repository ("Qwen/Qwen2-VL-2B-Instruct").
	ID string
	// Revision is a branch, tag or commit of ID; empty means "main".
	Revision string
	// Directory is a local model folder; when set it wins over ID.
	Directory string
	// DefaultPrompt is a prompt that shows the model off (CLI default).
	DefaultPrompt string
	// ExtraEOSTokens are token strings that also end generation (e.g.
	// "<end_of_turn>"), on top of the EOS ids of the tokenizer and configs.
	ExtraEOSTokens []string
	// Tokenizer overrides where the tokenizer comes from: a local folder
	// or a hub repository id. Empty means the model's own files.
	Tokenizer string
}

// Name returns the local directory if set, else the hub id.
func (c ModelConfiguration) Name() string {
	if c.Directory != "" {
		return c.Directory
	}
	return c.ID
}

// BaseProcessorConfiguration is the part of a checkpoint's processor files
// that the loader needs, read from either on-disk layout:
//
//   - transformers 4.x: a flat preprocessor_config.json (image processor
//     fields and processor_class at the top level);
//   - transformers 5.x: processor_config.json with processor_class and
//     nested "image_processor" / "video_processor" objects.
//
// ImageProcessor and VideoProcessor hold the raw image (video) processor
// object in both layouts, so a model's processor decodes its own fields from
// them without caring which layout it came from.
type BaseProcessorConfiguration struct {
	// ProcessorClass is processor_class, e.g. "Qwen2VLProcessor".
	ProcessorClass string
	// ImageProcessorType is image_processor_type, e.g.
	// "Qwen2VLImageProcessor".
	ImageProcessorType string
	// ImageProcessor is the raw image processor object.
	ImageProcessor json.RawMessage
	// VideoProcessor is the raw video processor object, or nil.
	VideoProcessor json.RawMessage
	// Processor is the whole processor_config.json (5.x layout) or the flat
	// preprocessor_config.json (4.x), for processor-level fields such as
	// image_seq_length.
	Processor json.RawMessage
	// File is the file the configuration was read from.
	File string
}

// Processor configuration file names.
const (
	PreprocessorConfigFile = "preprocessor_config.json"
	ProcessorConfigFile    = "processor_config.json"
	VideoPreprocessorFile  = "video_preprocessor_config.json"
)

type processorHeader struct {
	ProcessorClass     string          `json:"processor_class"`
	ImageProcessorType string          `json:"image_processor_type"`
	ImageProcessor     json.RawMessage `json:"image_processor"`
	VideoProcessor     json.RawMessage `json:"video_processor"`
}

// LoadProcessorConfiguration reads the processor configuration of the model
// folder dir: preprocessor_config.json (4.x) first, then
// processor_config.json (5.x), merging processor_class from the other file
// when the first lacks it. It returns (nil, nil) when neither file exists
// (text-only models) and a KindLoad *Error for malformed files.
func LoadProcessorConfiguration(dir string) (*BaseProcessorConfiguration, error) {
	flat, flatErr := readOptional(filepath.Join(dir, PreprocessorConfigFile))
	nested, nestedErr := readOptional(filepath.Join(dir, ProcessorConfigFile))
	if err := errors.Join(flatErr, nestedErr); err != nil {
		return nil, Errorf(KindLoad, "reading processor configuration in %s: %w", dir, err)
	}
	if flat == nil && nested == nil {
		return nil, nil
	}
	cfg := &BaseProcessorConfiguration{}
	var nh processorHeader
	if nested != nil {
		if err := json.Unmarshal(nested, &nh); err != nil {
			return nil, Errorf(KindLoad, "decoding %s: %w", filepath.Join(dir, ProcessorConfigFile), err)
		}
	}
	if flat != nil {
		var fh processorHeader
		if err := json.Unmarshal(flat, &fh); err != nil {
			return nil, Errorf(KindLoad, "decoding %s: %w", filepath.Join(dir, PreprocessorConfigFile), err)
		}
		cfg.File = filepath.Join(dir, PreprocessorConfigFile)
		cfg.ProcessorClass = fh.ProcessorClass
		cfg.ImageProcessorType = fh.ImageProcessorType
		cfg.ImageProcessor = flat
		cfg.Processor = flat
		if cfg.ProcessorClass == "" {
			cfg.ProcessorClass = nh.ProcessorClass
		}
		if nested != nil {
			cfg.Processor = nested
			cfg.VideoProcessor = nh.VideoProcessor
		}
	} else {
		cfg.File = filepath.Join(dir, ProcessorConfigFile)
		cfg.ProcessorClass = nh.ProcessorClass
		cfg.Processor = nested
		cfg.ImageProcessor = nh.ImageProcessor
		cfg.VideoProcessor = nh.VideoProcessor
		if len(nh.ImageProcessor) > 0 {
			var ih processorHeader
			if err := json.Unmarshal(nh.ImageProcessor, &ih); err != nil {
				return nil, Errorf(KindLoad, "decoding image_processor in %s: %w", cfg.File, err)
			}
			cfg.ImageProcessorType = ih.ImageProcessorType
		}
	}
	if cfg.VideoProcessor == nil {
		video, err := readOptional(filepath.Join(dir, VideoPreprocessorFile))
		if err != nil {
			return nil, Errorf(KindLoad, "reading %s: %w", VideoPreprocessorFile, err)
		}
		cfg.VideoProcessor = video
	}
	return cfg, nil
}

// readOptional returns a file's bytes, nil when it does not exist.
func readOptional(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("%s is not valid JSON", path)
	}
	return b, nil
}
