package hub

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// linkMode selects how a snapshot entry points at its blob.
type linkMode int

const (
	linkSymlink  linkMode = iota // relative symlink, hard link or copy as fallbacks
	linkHardlink                 // start at the hard link (tests of the fallback)
	linkCopy                     // copy only (tests of the last fallback)
)

// linkBlob makes the snapshot entry pointer refer to blob: a relative
// symlink, as huggingface_hub makes (../../blobs/<etag> for a top-level file),
// else a hard link, else a copy, for file systems or Windows accounts that
// refuse symlinks. The entry is created under a temporary name and renamed
// into place, so a concurrent reader never sees a half-made entry.
func linkBlob(blob, pointer string, mode linkMode) error {
	dir := filepath.Dir(pointer)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("hub: create snapshot folder: %w", err)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(pointer)+".tmp-"+randomSuffix())
	var errs []error
	if mode <= linkSymlink {
		rel, err := filepath.Rel(dir, blob)
		if err == nil {
			err = os.Symlink(rel, tmp)
		}
		if err == nil {
			return renameInto(tmp, pointer)
		}
		errs = append(errs, err)
	}
	if mode <= linkHardlink {
		err := os.Link(blob, tmp)
		if err == nil {
			return renameInto(tmp, pointer)
		}
		errs = append(errs, err)
	}
	err := copyFile(blob, tmp)
	if err == nil {
		return renameInto(tmp, pointer)
	}
	os.Remove(tmp)
	errs = append(errs, err)
	return fmt.Errorf("hub: link %s to %s: %w", pointer, blob, errors.Join(errs...))
}

func renameInto(tmp, dst string) error {
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("hub: place snapshot entry %s: %w", dst, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
