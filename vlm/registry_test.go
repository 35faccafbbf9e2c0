package vlm

import (
	"slices"
	"testing"
)

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", name)
		}
	}()
	f()
}

func TestRegistries(t *testing.T) {
	RegisterModel("govlm_test_b", newTinyModel)
	RegisterModel("govlm_test_a", newTinyModel)
	types := ModelTypes()
	if !slices.IsSorted(types) || !slices.Contains(types, "govlm_test_a") || !slices.Contains(types, tinyModelType) {
		t.Errorf("ModelTypes() = %v", types)
	}
	mustPanic(t, "duplicate model", func() { RegisterModel("govlm_test_a", newTinyModel) })
	mustPanic(t, "empty model type", func() { RegisterModel("", newTinyModel) })
	mustPanic(t, "nil constructor", func() { RegisterModel("govlm_test_c", nil) })

	proc := func(ProcessorContext) (UserInputProcessor, error) { return nil, nil }
	RegisterProcessor("GovlmTestZProcessor", proc)
	RegisterProcessor("GovlmTestAProcessor", proc)
	classes := ProcessorClasses()
	if !slices.IsSorted(classes) || !slices.Contains(classes, "GovlmTestZProcessor") {
		t.Errorf("ProcessorClasses() = %v", classes)
	}
	mustPanic(t, "duplicate processor", func() { RegisterProcessor("GovlmTestZProcessor", proc) })

	RegisterConfiguration(ModelConfiguration{ID: "govlm/test-b", DefaultPrompt: "b", ExtraEOSTokens: []string{"<end>"}})
	RegisterConfiguration(ModelConfiguration{ID: "govlm/test-a"})
	mustPanic(t, "duplicate configuration", func() { RegisterConfiguration(ModelConfiguration{ID: "govlm/test-a"}) })
	mustPanic(t, "nameless configuration", func() { RegisterConfiguration(ModelConfiguration{}) })
	confs := Configurations()
	var names []string
	for _, c := range confs {
		names = append(names, c.Name())
	}
	if !slices.IsSorted(names) || !slices.Contains(names, "govlm/test-a") {
		t.Errorf("Configurations() names = %v", names)
	}
	c, ok := LookupConfiguration("govlm/test-b")
	if !ok || c.DefaultPrompt != "b" || c.ExtraEOSTokens[0] != "<end>" {
		t.Errorf("LookupConfiguration = %+v, %v", c, ok)
	}
}

func TestConfigurationName(t *testing.T) {
	if n := (ModelConfiguration{ID: "a/b", Directory: "/models/x"}).Name(); n != "/models/x" {
		t.Errorf("directory must win, got %q", n)
	}
}
