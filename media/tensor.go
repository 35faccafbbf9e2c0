package media

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

// ToTensor converts m to a float32 tensor of shape [1, 3, H, W] with
// ToCHW's arithmetic: (float32(v)*scale - mean[c]) / std[c].
func ToTensor(m *Image, scale float64, mean, std [3]float32) *tensor.Tensor {
	return tensor.FromF32(ToCHW(m, scale, mean, std), 1, 3, m.H, m.W)
}

// FramesToTensor stacks same-sized images (e.g. video frames) into a float32
// tensor of shape [T, 3, H, W] with ToCHW's arithmetic. It returns a
// *SizeError when there are no frames or their sizes differ.
func FramesToTensor(frames []*Image, scale float64, mean, std [3]float32) (*tensor.Tensor, error) {
	if len(frames) == 0 {
		return nil, &SizeError{Op: "frames to tensor", Reason: "no frames"}
	}
	w, h := frames[0].W, frames[0].H
	data := make([]float32, 0, len(frames)*3*w*h)
	for i, f := range frames {
		if f.W != w || f.H != h {
			return nil, &SizeError{Op: "frames to tensor", Reason: fmt.Sprintf("frame %d is %dx%d, frame 0 is %dx%d", i, f.W, f.H, w, h)}
		}
		data = append(data, ToCHW(f, scale, mean, std)...)
	}
	return tensor.FromF32(data, len(frames), 3, h, w), nil
}
