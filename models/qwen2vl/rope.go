package qwen2vl

import (
	"github.com/govlm/govlm/vlm"
)

// Positions holds the multimodal rotary position of every prompt token:
// the temporal, height and width streams (transformers' position_ids
// [3, seq] of get_rope_index).
type Positions [3][]int

// RopeIndex computes the M-RoPE positions of tokens, as transformers'
// get_rope_index does. Text tokens advance all three streams together by
// one. A run of image (video) placeholder tokens takes the next image
// (video) grid: its merged patches get the temporal, row and column index
// of their grid cell added to the position after the preceding text. For
// Qwen2.5-VL the temporal index of video frames is time-aligned:
// ⌊t · secondsPerGrid · tokens_per_second⌋ (images use 0). Text after a
// vision block resumes at one past the block's largest position.
//
// delta is the offset of the next position past the prompt relative to
// the token count: decoding step i (0-based, after the prompt of n
// tokens) is at position n + i + delta on all three streams. A placeholder
// run that does not match its grid is a KindProcessing error.
func RopeIndex(tokens []int32, c *Config, images, videos []vlm.THW, secondsPerGrid []float64) (pos Positions, delta int, err error) {
	n := len(tokens)
	for k := range pos {
		pos[k] = make([]int, n)
	}
	merge := c.Vision.SpatialMergeSize
	next, img, vid := 0, 0, 0
	for i := 0; i < n; {
		tok := tokens[i]
		if tok != c.ImageTokenID && tok != c.VideoTokenID {
			pos[0][i], pos[1][i], pos[2][i] = next, next, next
			next++
			i++
			continue
		}
		var (
			g    vlm.THW
			secs float32
			kind = "image"
		)
		if tok == c.ImageTokenID {
			if img >= len(images) {
				return pos, 0, vlm.Errorf(vlm.KindProcessing, "the prompt has more image placeholder runs than the %d image grids", len(images))
			}
			g = images[img]
			img++
		} else {
			kind = "video"
			if vid >= len(videos) {
				return pos, 0, vlm.Errorf(vlm.KindProcessing, "the prompt has more video placeholder runs than the %d video grids", len(videos))
			}
			g = videos[vid]
			secs = 1
			if vid < len(secondsPerGrid) {
				secs = float32(secondsPerGrid[vid])
			}
			vid++
		}
		lt, lh, lw := g.T, g.H/merge, g.W/merge
		count := lt * lh * lw
		if count <= 0 || i+count > n {
			return pos, 0, vlm.Errorf(vlm.KindProcessing, "%s grid %dx%dx%d needs %d placeholder tokens at position %d of %d", kind, g.T, g.H, g.W, count, i, n)
		}
		for j := i; j < i+count; j++ {
			if tokens[j] != tok {
				return pos, 0, vlm.Errorf(vlm.KindProcessing, "%s grid %dx%dx%d needs %d placeholder tokens at position %d, the run ends at %d", kind, g.T, g.H, g.W, count, i, j)
			}
		}
		start, top := next, next
		j := i
		for t := range lt {
			ti := t
			if c.ModelType == TypeQwen25VL {
				// torch: (t · second_per_grid · tokens_per_second).long()
				ti = int(float32(t) * secs * float32(c.Vision.TokensPerSecond))
			}
			for h := range lh {
				for w := range lw {
					pos[0][j], pos[1][j], pos[2][j] = start+ti, start+h, start+w
					top = max(top, start+ti, start+h, start+w)
					j++
				}
			}
		}
		next = top + 1
		i += count
	}
	if img != len(images) || vid != len(videos) {
		return pos, 0, vlm.Errorf(vlm.KindProcessing, "the prompt has placeholders for %d of %d images and %d of %d videos", img, len(images), vid, len(videos))
	}
	return pos, next - n, nil
}
