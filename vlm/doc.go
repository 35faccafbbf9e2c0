// Package vlm is govlm's public API: the interfaces every model implements,
// the inputs a request is made of, the registries models add themselves to,
// the factory that loads a model from the Hugging Face hub or a local folder,
// and the generation loop.
//
// # The path of one request
//
//	UserInput ──UserInputProcessor.Prepare──▶ LMInput
//	LMInput ──LanguageModel.Prepare (vision, chunked prefill)──▶ caches + logits
//	decode loop: Forward(one token) → logits → Sampler → stream decoder → Chunk
//
// A program blank-imports the architectures it wants (or models/all), loads
// a model and generates:
//
//	mc, err := vlm.Load(ctx, vlm.ModelConfiguration{ID: "Qwen/Qwen2-VL-2B-Instruct"}, vlm.LoadOptions{})
//	input, err := mc.Processor.Prepare(ctx, vlm.UserInput{Messages: ...})
//	for chunk, err := range vlm.Generate(ctx, mc, input, vlm.GenerateParameters{MaxTokens: 200}) {
//		...
//	}
//
// # Registries
//
// Architectures register themselves in an init function, in the manner of
// database/sql drivers: RegisterModel for a config.json model_type,
// RegisterProcessor for a processor_class (or a model type as a fallback),
// RegisterConfiguration for well-known hub checkpoints. Registering the same
// name twice panics: it is a programming error.
//
// # Errors
//
// Failures a caller can act on are an *Error with a Kind (errors.As), and
// errors.Is matches them against the sentinels ErrImageRequired,
// ErrSingleImageAllowed, … by kind.
//
// # Conversations
//
// A Session holds a conversation and the model's KV caches between turns:
// each turn renders the whole conversation through the chat template and
// prefills only what follows the longest prefix the caches already hold.
//
// # Concurrency
//
// A loaded model is not safe for concurrent requests (a request may keep
// per-request state in the model between Prepare and the last Forward);
// ModelContainer serialises access.
package vlm
