package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// matCase names a weight layout under test.
type matCase struct {
	format Format
	group  int // quantized formats only
}

func (c matCase) String() string {
	names := [...]string{"F32", "F16", "BF16", "Q4", "Q8"}
	if c.group > 0 {
		return fmt.Sprintf("%s/g%d", names[c.format], c.group)
	}
	return names[c.format]
}

// allMatCases covers every format, and both packings at every group size.
var allMatCases = []matCase{
	{FormatF32, 0}, {FormatF16, 0}, {FormatBF16, 0},
	{FormatQ4, 32}, {FormatQ4, 64}, {FormatQ4, 128},
	{FormatQ8, 32}, {FormatQ8, 64}, {FormatQ8, 128},
}

// randMat builds a rows×cols weight of the case's format with random
// contents. cols must be a multiple of the group size for quantized cases.
func randMat(r *rand.Rand, c matCase, rows, cols int) *Mat {
	m := &Mat{Format: c.format, Rows: rows, Cols: cols}
	n := rows * cols
	switch c.format {
	case FormatF32:
		m.F32 = randF32(r, n)
	case FormatF16:
		m.U16 = make([]uint16, n)
		F32ToF16Ref(m.U16, randF32(r, n))
	case FormatBF16:
		m.U16 = make([]uint16, n)
		F32ToBF16Ref(m.U16, randF32(r, n))
	case FormatQ4, FormatQ8:
		m.GroupSize = c.group
		bits := m.Bits()
		m.Q = make([]uint32, n*bits/32)
		for i := range m.Q {
			m.Q[i] = r.Uint32()
		}
		g := n / c.group
		m.Scales = make([]float32, g)
		m.Biases = make([]float32, g)
		for i := range m.Scales {
			m.Scales[i] = float32(r.Float64()*0.1 + 0.01)
			m.Biases[i] = float32(-r.Float64() * 0.8)
		}
	}
	return m
}

// absRowMag returns Σ_j |W[r][j]*x[j]| for the tolerance of row r's dot.
func absRowMag(w *Mat, r int, x []float32, row []float32) float64 {
	RowRef(row, w, r)
	var s float64
	for j, v := range row {
		s += math.Abs(float64(v) * float64(x[j]))
	}
	return s
}
