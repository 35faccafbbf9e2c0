package reftest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Part is one piece of a reference message's content: {"type": "text",
// "text": …}, {"type": "image", "path": …} or {"type": "video", "path":
// [frame paths]}, with paths relative to the repository root.
type Part struct {
	Type string
	Text string
	// Path is the image's path; Frames are the video's frame paths.
	Path   string
	Frames []string
}

// UnmarshalJSON reads a part, whose "path" is one path for an image and a
// list of frame paths for a video.
func (p *Part) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type string          `json:"type"`
		Text string          `json:"text"`
		Path json.RawMessage `json:"path"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*p = Part{Type: raw.Type, Text: raw.Text}
	if len(raw.Path) == 0 {
		return nil
	}
	dst := any(&p.Path)
	if raw.Type == "video" {
		dst = &p.Frames
	}
	if err := json.Unmarshal(raw.Path, dst); err != nil {
		return fmt.Errorf("%s part: path: %w", raw.Type, err)
	}
	return nil
}

// Message is a Hugging Face chat message of a reference case. Its content
// is a string (text-only fixtures) or a list of parts.
type Message struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

// Case is one case of reference.json: the input (chat messages, or a raw
// prompt with images) and what transformers made of it.
type Case struct {
	Name string `json:"name"`
	// Messages is nil for raw-text cases.
	Messages []Message `json:"messages"`
	// Prompt is the rendered chat template, or the raw text of a raw case.
	Prompt string `json:"prompt"`
	// Images are the image paths of a raw case, relative to the
	// repository root.
	Images []string `json:"images"`
	// Videos are the videos of a raw case, each a list of frame paths
	// relative to the repository root.
	Videos [][]string `json:"videos"`
	// AddSpecialTokens is what was passed to the tokenizer (nil: not
	// passed, which means true).
	AddSpecialTokens *bool `json:"add_special_tokens"`
	// CallKwargs are extra keyword arguments of the processor call.
	CallKwargs map[string]any `json:"processor_call_kwargs"`
	// InputIDs are the prompt's token ids.
	InputIDs []int32 `json:"input_ids"`
	// LogitsPositions are the prompt positions whose logits rows the
	// reference holds, in the order of its rows.
	LogitsPositions []int `json:"logits_positions"`
	// Greedy is the greedy continuation (EOS disabled).
	Greedy []int32 `json:"greedy"`
	// RopeDeltas are Qwen2-VL's M-RoPE position deltas, one per sequence
	// (absent for other models).
	RopeDeltas []int `json:"rope_deltas"`
}

// Fixture is one folder of testdata/models with its parsed reference.
type Fixture struct {
	// Name is the folder's name, Dir its path.
	Name, Dir string
	// Cases are the reference cases in file order.
	Cases []Case
	// Root is the repository root, the base of image paths.
	Root string
	ref  *safetensors.File
}

// RepoRoot returns the folder holding go.mod, walking up from the test's
// working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Load reads testdata/models/<name>/reference.json and opens
// reference.safetensors next to it (closed when the test ends). It skips
// the test when the fixture is absent.
func Load(t testing.TB, name string) *Fixture {
	t.Helper()
	root := RepoRoot(t)
	dir := filepath.Join(root, "testdata", "models", name)
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Skipf("fixture %s not present: %v", name, err)
	}
	var ref struct {
		Cases []Case `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("fixture %s: reference.json: %v", name, err)
	}
	st, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	t.Cleanup(func() { st.Close() })
	return &Fixture{Name: name, Dir: dir, Cases: ref.Cases, Root: root, ref: st}
}

// Tensor returns the reference tensor name (e.g. "chat.logits") as F32 or
// integer data, failing the test when it is absent.
func (f *Fixture) Tensor(t testing.TB, name string) *tensor.Tensor {
	t.Helper()
	info, ok := f.ref.Tensor(name)
	if !ok {
		t.Fatalf("fixture %s: reference.safetensors has no %s", f.Name, name)
	}
	x, err := safetensors.ToTensor(info)
	if err != nil {
		t.Fatalf("fixture %s: %s: %v", f.Name, name, err)
	}
	return x
}

// HasTensor reports whether the reference holds the tensor name, for
// outputs that only some cases have (e.g. "<case>.pixel_values_videos").
func (f *Fixture) HasTensor(name string) bool {
	_, ok := f.ref.Tensor(name)
	return ok
}

// LoadModel loads the fixture's checkpoint through vlm.Load, with the
// given extra EOS tokens, and closes it when the test ends.
func (f *Fixture) LoadModel(t testing.TB, extraEOS ...string) *vlm.ModelContext {
	t.Helper()
	return LoadModel(t, f.Dir, extraEOS...)
}

// UserInput turns a case into the vlm.UserInput a user would pass: its
// chat messages, or for a raw case its prompt, images and videos. Paths
// are resolved against the repository root. A video is given as its
// decoded frames without frame times, as the reference passed it.
func (f *Fixture) UserInput(t testing.TB, c Case) vlm.UserInput {
	t.Helper()
	if c.Messages == nil {
		in := vlm.UserInput{Prompt: c.Prompt}
		for _, p := range c.Images {
			in.Images = append(in.Images, vlm.ImageSource{Path: filepath.Join(f.Root, p)})
		}
		for _, frames := range c.Videos {
			in.Videos = append(in.Videos, *f.video(t, c, frames))
		}
		return in
	}
	var in vlm.UserInput
	for _, m := range c.Messages {
		msg := vlm.Message{Role: m.Role}
		var s string
		if err := json.Unmarshal(m.Content, &s); err == nil {
			msg.Content = []vlm.Part{{Text: s}}
			in.Messages = append(in.Messages, msg)
			continue
		}
		var parts []Part
		if err := json.Unmarshal(m.Content, &parts); err != nil {
			t.Fatalf("case %s: message content: %v", c.Name, err)
		}
		for _, p := range parts {
			switch p.Type {
			case "image":
				msg.Content = append(msg.Content, vlm.Part{Image: &vlm.ImageSource{Path: filepath.Join(f.Root, p.Path)}})
			case "video":
				msg.Content = append(msg.Content, vlm.Part{Video: f.video(t, c, p.Frames)})
			case "text":
				msg.Content = append(msg.Content, vlm.Part{Text: p.Text})
			default:
				t.Fatalf("case %s: content part of type %q is not supported", c.Name, p.Type)
			}
		}
		in.Messages = append(in.Messages, msg)
	}
	return in
}

// video decodes the frames of a case's video, whose paths are relative to
// the repository root.
func (f *Fixture) video(t testing.TB, c Case, frames []string) *vlm.VideoSource {
	t.Helper()
	if len(frames) == 0 {
		t.Fatalf("case %s: video without frames", c.Name)
	}
	v := &vlm.VideoSource{}
	for _, p := range frames {
		img, err := media.DecodeFile(filepath.Join(f.Root, p), media.DecodeOptions{})
		if err != nil {
			t.Fatalf("case %s: video frame: %v", c.Name, err)
		}
		v.Frames = append(v.Frames, img)
	}
	return v
}

// PromptIDs returns the token ids of a text case the way the reference
// made them: a chat case through mc.Processor (its chat template), a raw
// case through the tokenizer with the case's add_special_tokens.
func (f *Fixture) PromptIDs(t testing.TB, mc *vlm.ModelContext, c Case) []int32 {
	t.Helper()
	if c.Messages == nil {
		return mc.Tokenizer.Encode(c.Prompt, c.AddSpecialTokens == nil || *c.AddSpecialTokens)
	}
	in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
	if err != nil {
		t.Fatalf("case %s: %v", c.Name, err)
	}
	return in.Tokens
}
