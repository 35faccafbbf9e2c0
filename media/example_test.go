package media_test

import (
	"fmt"
	"log"

	"github.com/govlm/govlm/media"
)

// A typical PIL-backend preprocessing: decode (EXIF-oriented, alpha on white
// as transformers' convert_to_rgb does), resize with PIL's bicubic filter,
// then rescale and normalise to a [1, 3, H, W] tensor.
func Example() {
	img, err := media.DecodeFile("testdata/transparent_gradient_96x64.png", media.DecodeOptions{Alpha: media.AlphaOnWhite})
	if err != nil {
		log.Fatal(err)
	}
	small, err := media.Resize(img, 48, 32, media.Bicubic)
	if err != nil {
		log.Fatal(err)
	}
	x := media.ToTensor(small, media.Rescale255, media.SigLIPMean, media.SigLIPStd)
	fmt.Println(img.Size(), small.Size(), x.Shape())
	// Output: 96x64 48x32 [1 3 32 48]
}

func ExampleFitInLongestEdge() {
	fmt.Println(media.FitInLongestEdge(media.Size{W: 3000, H: 2000}, 1456))
	fmt.Println(media.FitInShortestEdge(media.Size{W: 3000, H: 2000}, 448))
	// Output:
	// 1456x970
	// 672x448
}

func ExampleSampleTimes() {
	// An 8 s video sampled at 2 fps, at most 10 frames.
	n := media.SampleCount(8, 2, 10, 200)
	fmt.Println(n, media.SampleTimes(8, n)[:3])
	// Output: 10 [0 0.8888888888888888 1.7777777777777777]
}

func ExampleImage_ToRGBA() {
	m := media.NewImage(2, 1)
	copy(m.Pix, []uint8{255, 0, 0, 0, 0, 255})
	fmt.Println(m.ToRGBA().Pix)
	// Output: [255 0 0 255 0 0 255 255]
}
