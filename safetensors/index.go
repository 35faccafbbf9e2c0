package safetensors

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// IndexFile is the name of a sharded checkpoint's index.
const IndexFile = "model.safetensors.index.json"

// SingleFile is the name of an unsharded checkpoint.
const SingleFile = "model.safetensors"

// Set is a checkpoint spread over one or more safetensors files, addressed
// by tensor name. It is safe for concurrent reads.
type Set struct {
	files    []*File
	byName   map[string]*File
	names    []string
	metadata map[string]string
}

// OpenDir opens the checkpoint in dir: through model.safetensors.index.json
// when present, else model.safetensors, else every *.safetensors file in
// the folder. It fails with an error wrapping fs.ErrNotExist when the folder
// holds none.
func OpenDir(dir string) (*Set, error) {
	idx := filepath.Join(dir, IndexFile)
	if _, err := os.Stat(idx); err == nil {
		return OpenIndex(idx)
	}
	single := filepath.Join(dir, SingleFile)
	if _, err := os.Stat(single); err == nil {
		return openFiles([]string{single}, nil, "")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.safetensors"))
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("safetensors: no %s, %s or *.safetensors in %s: %w", IndexFile, SingleFile, dir, fs.ErrNotExist)
	}
	sort.Strings(paths)
	return openFiles(paths, nil, "")
}

// OpenIndex opens the shards a model.safetensors.index.json names (paths
// relative to the index's folder) and checks that every tensor of its
// weight_map is in the shard it names. Index problems are *FormatError.
func OpenIndex(path string) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	var idx struct {
		Metadata  map[string]json.RawMessage `json:"metadata"`
		WeightMap map[string]string          `json:"weight_map"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, &FormatError{File: path, Reason: fmt.Sprintf("index JSON: %v", err)}
	}
	if len(idx.WeightMap) == 0 {
		return nil, &FormatError{File: path, Reason: "index has no weight_map"}
	}
	dir := filepath.Dir(path)
	var shards []string
	seen := map[string]bool{}
	for tensor, shard := range idx.WeightMap {
		if shard == "" || filepath.IsAbs(shard) || strings.ContainsAny(shard, `/\`) || shard == "." || shard == ".." {
			return nil, &FormatError{File: path, Tensor: tensor, Reason: fmt.Sprintf("shard name %q must be a file in the index's folder", shard)}
		}
		if !seen[shard] {
			seen[shard] = true
			shards = append(shards, filepath.Join(dir, shard))
		}
	}
	sort.Strings(shards)
	set, err := openFiles(shards, idx.WeightMap, path)
	if err != nil {
		return nil, err
	}
	set.metadata = map[string]string{}
	for k, v := range idx.Metadata {
		var str string
		if json.Unmarshal(v, &str) != nil {
			str = string(v) // numbers such as total_size keep their JSON text
		}
		set.metadata[k] = str
	}
	return set, nil
}

// openFiles opens paths as one Set. With a weight map, every listed tensor
// must be in its named file.
func openFiles(paths []string, weightMap map[string]string, index string) (*Set, error) {
	s := &Set{byName: map[string]*File{}}
	for _, p := range paths {
		f, err := Open(p)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.files = append(s.files, f)
		for _, name := range f.Tensors() {
			if other, dup := s.byName[name]; dup {
				s.Close()
				return nil, &FormatError{File: p, Tensor: name, Reason: "also stored in " + other.Path()}
			}
			s.byName[name] = f
		}
		if len(paths) == 1 {
			s.metadata = f.Metadata()
		}
	}
	for name, shard := range weightMap {
		f, ok := s.byName[name]
		if !ok || filepath.Base(f.Path()) != shard {
			s.Close()
			return nil, &FormatError{File: index, Tensor: name, Reason: fmt.Sprintf("weight_map names %s, which does not hold it", shard)}
		}
	}
	for name := range s.byName {
		s.names = append(s.names, name)
	}
	sort.Strings(s.names)
	return s, nil
}

// Tensors returns every tensor name across the shards, sorted. The caller
// must not modify the slice.
func (s *Set) Tensors() []string { return s.names }

// Tensor returns the named tensor and whether it exists.
func (s *Set) Tensor(name string) (Info, bool) {
	f, ok := s.byName[name]
	if !ok {
		return Info{}, false
	}
	return f.Tensor(name)
}

// Files returns the open shards.
func (s *Set) Files() []*File { return s.files }

// Metadata returns the index's "metadata" for a sharded checkpoint (values
// that are not JSON strings keep their JSON text, e.g. total_size) and the
// header's __metadata__ for a single file.
func (s *Set) Metadata() map[string]string { return s.metadata }

// Close closes every shard and returns the first error.
func (s *Set) Close() error {
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.Close())
	}
	s.files = nil
	return errors.Join(errs...)
}
