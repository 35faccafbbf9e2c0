package media

import (
	"errors"
	"slices"
	"testing"
)

func TestToTensor(t *testing.T) {
	m := gradientImage(5, 3)
	x := ToTensor(m, Rescale255, ImageNetMean, ImageNetStd)
	if got := x.Shape(); !slices.Equal(got, []int{1, 3, 3, 5}) {
		t.Fatalf("shape %v, want [1 3 3 5]", got)
	}
	if !slices.Equal(x.Data(), ToCHW(m, Rescale255, ImageNetMean, ImageNetStd)) {
		t.Fatal("tensor data differs from ToCHW")
	}
	frames, err := FramesToTensor([]*Image{m, m}, Rescale255, ImageNetMean, ImageNetStd)
	if err != nil {
		t.Fatal(err)
	}
	if got := frames.Shape(); !slices.Equal(got, []int{2, 3, 3, 5}) {
		t.Fatalf("shape %v, want [2 3 3 5]", got)
	}
	var se *SizeError
	if _, err := FramesToTensor([]*Image{m, gradientImage(4, 3)}, 1, [3]float32{}, [3]float32{1, 1, 1}); !errors.As(err, &se) {
		t.Errorf("mixed sizes: err %v, want *SizeError", err)
	}
	if _, err := FramesToTensor(nil, 1, [3]float32{}, [3]float32{1, 1, 1}); !errors.As(err, &se) {
		t.Errorf("no frames: err %v, want *SizeError", err)
	}
}
