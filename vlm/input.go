package vlm

import (
	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/tensor"
)

// Role names of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// UserInput is one request as the user states it: a plain prompt or chat
// messages, with images and videos, plus processing hints.
type UserInput struct {
	// Prompt is a plain prompt, used when Messages is empty. It is sent as
	// one user message through the chat template unless the processor is
	// template-free (PaliGemma).
	Prompt string
	// Images and Videos accompany Prompt (with Messages, media live in the
	// message parts).
	Images []ImageSource
	Videos []VideoSource
	// Messages is the conversation.
	Messages []Message
	// Tools are tool (function) descriptions passed to the chat template.
	Tools []map[string]any
	// Extra holds additional chat-template variables
	// (e.g. "enable_thinking").
	Extra map[string]any
	// Processing holds preprocessing hints.
	Processing Processing
}

// Message is one chat turn.
type Message struct {
	Role    string
	Content []Part
}

// Text returns a message holding one text part.
func Text(role, text string) Message { return Message{Role: role, Content: []Part{{Text: text}}} }

// Part is one piece of a message's content: exactly one of Text, Image or
// Video is set.
type Part struct {
	Text  string
	Image *ImageSource
	Video *VideoSource
}

// Kind returns "text", "image" or "video".
func (p Part) Kind() string {
	switch {
	case p.Image != nil:
		return "image"
	case p.Video != nil:
		return "video"
	}
	return "text"
}

// ImageSource says where an image comes from: exactly one of Path, URL,
// Bytes or Image is set.
type ImageSource struct {
	Path  string
	URL   string
	Bytes []byte
	Image *media.Image
}

// VideoSource says where a video comes from: a file Path or URL (decoded
// through ffmpeg) or already decoded Frames (with their timestamps in
// seconds in FrameTimes, optional).
type VideoSource struct {
	Path       string
	URL        string
	Frames     []*media.Image
	FrameTimes []float64
}

// Processing holds preprocessing hints. Zero values mean the processor's
// defaults from preprocessor_config.json.
type Processing struct {
	// Resize, when both are positive, scales every image to the best fit
	// inside ResizeWidth×ResizeHeight (aspect ratio kept, bicubic) before
	// the model's own preprocessing; see ResizeImage.
	ResizeWidth, ResizeHeight int
	// MinPixels and MaxPixels bound the pixel count of resized images
	// (Qwen2-VL style processors).
	MinPixels, MaxPixels int
	// FPS samples videos at this many frames per second; MaxFrames caps the
	// number of frames.
	FPS       float64
	MaxFrames int
	// PanAndScan, when set, overrides the processor's own pan-and-scan
	// setting (Gemma 3: crops of long images added next to the image).
	PanAndScan *bool
}

// ResizeImage applies the Resize hint to img (media.Apply's best fit) and
// returns img itself when there is no hint. Processors call it right after
// loading each image.
func (p Processing) ResizeImage(img *media.Image) (*media.Image, error) {
	if p.ResizeWidth <= 0 || p.ResizeHeight <= 0 {
		return img, nil
	}
	out, err := media.Apply(img, media.Processing{Resize: &media.Size{W: p.ResizeWidth, H: p.ResizeHeight}})
	if err != nil {
		return nil, Errorf(KindImageProcessing, "resize hint %dx%d: %w", p.ResizeWidth, p.ResizeHeight, err)
	}
	return out, nil
}

// MediaCounts returns the number of images and videos in the input, from
// Images/Videos and from the message parts.
func (u *UserInput) MediaCounts() (images, videos int) {
	images, videos = len(u.Images), len(u.Videos)
	for _, m := range u.Messages {
		for _, p := range m.Content {
			switch p.Kind() {
			case "image":
				images++
			case "video":
				videos++
			}
		}
	}
	return images, videos
}

// CheckMedia returns the typed error for inputs that exceed what a model
// accepts: more than maxImages images or maxVideos videos (negative means no
// limit; 0 forbids the kind), or both kinds when mixed is false.
func (u *UserInput) CheckMedia(maxImages, maxVideos int, mixed bool) error {
	images, videos := u.MediaCounts()
	switch {
	case !mixed && images > 0 && videos > 0:
		return Errorf(KindSingleMediaTypeAllowed, "got %d images and %d videos", images, videos)
	case maxVideos == 0 && videos > 0:
		return Errorf(KindVideoProcessing, "this model does not accept videos (got %d)", videos)
	case maxImages == 0 && images > 0:
		return Errorf(KindImageProcessing, "this model does not accept images (got %d)", images)
	case maxImages == 1 && images > 1:
		return Errorf(KindSingleImageAllowed, "got %d images", images)
	case maxVideos == 1 && videos > 1:
		return Errorf(KindSingleVideoAllowed, "got %d videos", videos)
	case maxImages > 1 && images > maxImages:
		return Errorf(KindImageProcessing, "at most %d images are allowed, got %d", maxImages, images)
	case maxVideos > 1 && videos > maxVideos:
		return Errorf(KindVideoProcessing, "at most %d videos are allowed, got %d", maxVideos, videos)
	}
	return nil
}

// THW is a temporal × height × width grid of patches (Qwen2-VL's
// image_grid_thw / video_grid_thw rows).
type THW struct{ T, H, W int }

// Product returns T·H·W.
func (g THW) Product() int { return g.T * g.H * g.W }

// ProcessedImage holds the pixels of the images of a request after
// preprocessing, in the layout the model's vision tower expects.
type ProcessedImage struct {
	// Pixels is the model's pixel tensor (e.g. [patches, C·t·p·p] for
	// Qwen2-VL, [images, C, H, W] for SigLIP towers).
	Pixels *tensor.Tensor
	// Grids holds one THW per image where the model uses grids.
	Grids []THW
	// Sizes holds the original size of each image.
	Sizes []media.Size
	// Extra holds model-specific metadata (e.g. a pixel attention mask or
	// the crop layout of image splitting).
	Extra map[string]any
}

// ProcessedVideo holds the frames of the videos of a request after
// preprocessing.
type ProcessedVideo struct {
	Pixels *tensor.Tensor
	Grids  []THW
	// SecondsPerGrid is the time each temporal grid step spans, per video
	// (Qwen2.5-VL's second_per_grid_ts).
	SecondsPerGrid []float64
	Extra          map[string]any
}

// LMInput is a request after preprocessing: what a LanguageModel consumes.
type LMInput struct {
	// Tokens is the prompt's token ids, media placeholders expanded.
	Tokens []int32
	// Mask is an optional attention or token-type mask over Tokens (1 =
	// attend / special), for models that need one.
	Mask []int32
	// Image and Video are the preprocessed media, or nil.
	Image *ProcessedImage
	Video *ProcessedVideo
	// Extra holds anything else a model's processor hands its model.
	Extra map[string]any
}

// Release returns the pixel tensors' storage to the scratch pool.
func (in *LMInput) Release() {
	if in.Image != nil && in.Image.Pixels != nil {
		in.Image.Pixels.Release()
	}
	if in.Video != nil && in.Video.Pixels != nil {
		in.Video.Pixels.Release()
	}
}
