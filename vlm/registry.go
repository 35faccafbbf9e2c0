package vlm

import (
	"maps"
	"slices"
	"sync"

	"github.com/govlm/govlm/tokenizer"
)

// ModelConstructor builds a model (LanguageModel or VLMModel) from the bytes
// of its config.json. Weights are bound afterwards by Load.
type ModelConstructor func(configJSON []byte) (LanguageModel, error)

// ProcessorContext is what a ProcessorConstructor gets to build a processor.
type ProcessorContext struct {
	// Dir is the model directory.
	Dir string
	// ModelType is config.json's model_type.
	ModelType string
	// ModelConfig is the raw config.json.
	ModelConfig []byte
	// Processor is the processor configuration (either on-disk layout).
	Processor *BaseProcessorConfiguration
	// Tokenizer is the loaded tokenizer.
	Tokenizer *tokenizer.Tokenizer
	// Model is the constructed model.
	Model LanguageModel
	// Configuration is the configuration the model was loaded with.
	Configuration ModelConfiguration
}

// ProcessorConstructor builds the input processor of a model.
type ProcessorConstructor func(ProcessorContext) (UserInputProcessor, error)

var registry = struct {
	sync.RWMutex
	models         map[string]ModelConstructor
	processors     map[string]ProcessorConstructor
	configurations map[string]ModelConfiguration
}{
	models:         map[string]ModelConstructor{},
	processors:     map[string]ProcessorConstructor{},
	configurations: map[string]ModelConfiguration{},
}

// RegisterModel makes a model type (config.json's model_type) loadable.
// It panics when modelType is empty, ctor is nil or the type is already
// registered: registration happens in init functions and a clash is a
// programming error.
func RegisterModel(modelType string, ctor ModelConstructor) {
	registry.Lock()
	defer registry.Unlock()
	if modelType == "" || ctor == nil {
		panic("vlm: RegisterModel with an empty model type or nil constructor")
	}
	if _, dup := registry.models[modelType]; dup {
		panic("vlm: RegisterModel called twice for model type " + modelType)
	}
	registry.models[modelType] = ctor
}

// RegisterProcessor registers the processor of a processor_class
// (preprocessor_config.json / processor_config.json). A model package may
// also register its processor under its model type: Load falls back to that
// when the checkpoint names no class or an unregistered one. It panics on an
// empty name, a nil constructor or a duplicate.
func RegisterProcessor(name string, ctor ProcessorConstructor) {
	registry.Lock()
	defer registry.Unlock()
	if name == "" || ctor == nil {
		panic("vlm: RegisterProcessor with an empty name or nil constructor")
	}
	if _, dup := registry.processors[name]; dup {
		panic("vlm: RegisterProcessor called twice for " + name)
	}
	registry.processors[name] = ctor
}

// RegisterConfiguration records a well-known configuration (a hub id with
// its default prompt and extra EOS tokens) under c.Name(). It panics when
// the name is empty or already registered.
func RegisterConfiguration(c ModelConfiguration) {
	registry.Lock()
	defer registry.Unlock()
	name := c.Name()
	if name == "" {
		panic("vlm: RegisterConfiguration without an ID or Directory")
	}
	if _, dup := registry.configurations[name]; dup {
		panic("vlm: RegisterConfiguration called twice for " + name)
	}
	registry.configurations[name] = c
}

// ModelTypes returns the registered model types, sorted.
func ModelTypes() []string {
	registry.RLock()
	defer registry.RUnlock()
	return slices.Sorted(maps.Keys(registry.models))
}

// ProcessorClasses returns the registered processor names, sorted.
func ProcessorClasses() []string {
	registry.RLock()
	defer registry.RUnlock()
	return slices.Sorted(maps.Keys(registry.processors))
}

// Configurations returns the registered configurations sorted by name.
func Configurations() []ModelConfiguration {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]ModelConfiguration, 0, len(registry.configurations))
	for _, name := range slices.Sorted(maps.Keys(registry.configurations)) {
		out = append(out, registry.configurations[name])
	}
	return out
}

// LookupConfiguration returns the registered configuration named name (a hub
// id).
func LookupConfiguration(name string) (ModelConfiguration, bool) {
	registry.RLock()
	defer registry.RUnlock()
	c, ok := registry.configurations[name]
	return c, ok
}

func lookupModel(modelType string) (ModelConstructor, bool) {
	registry.RLock()
	defer registry.RUnlock()
	c, ok := registry.models[modelType]
	return c, ok
}

func lookupProcessor(name string) (ProcessorConstructor, bool) {
	registry.RLock()
	defer registry.RUnlock()
	c, ok := registry.processors[name]
	return c, ok
}
