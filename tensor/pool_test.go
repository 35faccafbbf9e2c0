package tensor

import (
	"sync/atomic"
	"testing"

	ipar "github.com/govlm/govlm/internal/parallel"
)

func TestParTilesRunsEveryTileOnce(t *testing.T) {
	defer ipar.SetWorkers(ipar.SetWorkers(0))
	for _, workers := range []int{1, 2, 7} {
		ipar.SetWorkers(workers)
		for _, n := range []int{0, 1, 2, 7, 100} {
			hits := make([]atomic.Int32, n)
			parTiles(n, func(i int) { hits[i].Add(1) })
			for i := range hits {
				if h := hits[i].Load(); h != 1 {
					t.Errorf("workers=%d n=%d: tile %d ran %d times", workers, n, i, h)
				}
			}
		}
	}
}
