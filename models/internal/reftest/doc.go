// Package reftest reads the reference fixtures of testdata/models — tiny
// random-weight checkpoints next to the outputs transformers computed for
// them (reference.json, reference.safetensors) — and compares a model's
// outputs with them. It is meant for the models' tests only.
//
// A fixture test reads like this:
//
//	f := reftest.Load(t, "llama") // skips when the fixture is absent
//	mc := f.LoadModel(t)
//	for _, c := range f.Cases {
//		ids := f.PromptIDs(t, mc, c)
//		logits, err := mc.Model.Forward(ids, mc.Model.NewCaches(vlm.GenerateParameters{}))
//		...
//		f.CheckLogits(t, c, logits)
//		reftest.CheckGreedy(t, mc.Model, &vlm.LMInput{Tokens: ids}, c.Greedy, 5)
//	}
package reftest
