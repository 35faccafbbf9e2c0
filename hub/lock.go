package hub

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockPollInterval is how often a busy lock is retried.
const lockPollInterval = 50 * time.Millisecond

// fileLock is an exclusive lock on a lock file, held across processes. On
// Unix it is flock(2) and on Windows LockFileEx, the locks Python's filelock
// takes, so govlm and huggingface_hub never write the same blob at once.
type fileLock struct {
	f *os.File
}

// acquireLock waits until it holds the lock file at path or ctx ends.
func acquireLock(ctx context.Context, path string) (*fileLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("hub: create lock folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("hub: open lock file: %w", err)
	}
	for {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("hub: lock %s: %w", path, err)
		}
		if ok {
			return &fileLock{f: f}, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("hub: waiting for lock %s: %w", path, ctx.Err())
		case <-time.After(lockPollInterval):
		}
	}
}

// release unlocks and closes the lock file. The file stays, as with
// huggingface_hub: deleting it would race with a process about to lock it.
func (l *fileLock) release() error {
	return errors.Join(unlockFile(l.f), l.f.Close())
}
