//go:build !unix && !windows

package hub

import (
	"errors"
	"os"
)

// tryLockFile on systems without file locks (wasip1, plan9) marks the lock
// with a sibling ".owner" file created exclusively; a crash leaves it behind,
// and it must then be removed by hand.
func tryLockFile(f *os.File) (bool, error) {
	o, err := os.OpenFile(f.Name()+".owner", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, o.Close()
}

func unlockFile(f *os.File) error {
	return os.Remove(f.Name() + ".owner")
}
