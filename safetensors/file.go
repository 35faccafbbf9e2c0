package safetensors

import (
	"sort"
)

// File is an open safetensors file. Its tensors' Data slices alias the
// file's memory mapping and stay valid until Close. A File is safe for
// concurrent reads.
type File struct {
	path     string
	tensors  map[string]Info
	names    []string
	metadata map[string]string
	release  func() error
}

// Open maps and validates the safetensors file at path. A malformed file
// gives a *FormatError; a file that cannot be read gives the os error,
// wrapped with the path.
func Open(path string) (*File, error) {
	b, release, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	tensors, meta, err := parse(path, b)
	if err != nil {
		release()
		return nil, err
	}
	names := make([]string, 0, len(tensors))
	for k := range tensors {
		names = append(names, k)
	}
	sort.Strings(names)
	return &File{path: path, tensors: tensors, names: names, metadata: meta, release: release}, nil
}

// Path returns the path the file was opened from.
func (f *File) Path() string { return f.path }

// Tensors returns the tensor names, sorted. The caller must not modify the
// slice.
func (f *File) Tensors() []string { return f.names }

// Tensor returns the named tensor and whether it exists.
func (f *File) Tensor(name string) (Info, bool) {
	t, ok := f.tensors[name]
	return t, ok
}

// Metadata returns the header's __metadata__ map (nil when absent).
func (f *File) Metadata() map[string]string { return f.metadata }

// Close unmaps the file; tensor data obtained from it must not be used
// afterwards. Closing twice is harmless.
func (f *File) Close() error {
	if f.release == nil {
		return nil
	}
	r := f.release
	f.release = nil
	f.tensors = nil
	return r()
}
