package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// raw builds a file image from a header string and data bytes.
func raw(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	b = append(b, header...)
	return append(b, data...)
}

func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.safetensors")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	tensors := map[string]Info{
		"a.weight": {DType: "F32", Shape: []int{2, 2}, Data: []byte{0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64}},
		"b":        {DType: "BF16", Shape: []int{3}, Data: []byte{1, 2, 3, 4, 5, 6}},
		"ids":      {DType: "I64", Shape: []int{1}, Data: []byte{7, 0, 0, 0, 0, 0, 0, 0}},
		"scalar":   {DType: "U8", Shape: []int{}, Data: []byte{9}},
		"empty":    {DType: "F16", Shape: []int{0, 4}, Data: []byte{}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, tensors, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	f, err := Open(writeTemp(t, buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"a.weight", "b", "empty", "ids", "scalar"}
	if got := f.Tensors(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Tensors() = %v", got)
	}
	for name, w := range tensors {
		g, ok := f.Tensor(name)
		if !ok || g.DType != w.DType || !bytes.Equal(g.Data, w.Data) || len(g.Shape) != len(w.Shape) {
			t.Fatalf("%s: got %+v, want %+v", name, g, w)
		}
	}
	if f.Metadata()["format"] != "pt" {
		t.Fatalf("metadata %v", f.Metadata())
	}
	// Wider dtypes come first, so the I64 tensor is 8-byte aligned.
	ids, _ := f.Tensor("ids")
	hdr := binary.LittleEndian.Uint64(buf.Bytes())
	if (8+hdr)%8 != 0 || bytes.Index(buf.Bytes(), ids.Data) != int(8+hdr) {
		t.Fatal("I64 tensor not first in the data area")
	}
	if _, ok := f.Tensor("missing"); ok {
		t.Fatal("missing tensor found")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}

func TestHeaderViolations(t *testing.T) {
	big := binary.LittleEndian.AppendUint64(nil, MaxHeaderSize+1)
	cases := []struct {
		name   string
		file   []byte
		tensor string
		reason string
	}{
		{"short file", []byte{1, 2, 3}, "", "shorter than"},
		{"header too big", append(big, '{', '}'), "", "exceeds"},
		{"header past end", binary.LittleEndian.AppendUint64(nil, 50), "", "runs past"},
		{"not an object", raw(`[1, 2]  `, nil), "", "not a JSON object"},
		{"bad json", raw(`{"a": {`, nil), "a", "JSON"},
		{"trailing junk", raw(`{} x`, nil), "", "JSON"},
		{"unknown dtype", raw(`{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}`, make([]byte, 16)), "a", "unknown dtype"},
		{"missing field", raw(`{"a":{"dtype":"F32","shape":[1]}}`, make([]byte, 4)), "a", "needs dtype"},
		{"unknown field", raw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, make([]byte, 4)), "a", "invalid record"},
		{"size mismatch", raw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)), "a", "needs 8 bytes"},
		{"negative dim", raw(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, make([]byte, 4)), "a", "negative"},
		{"backwards", raw(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}`, make([]byte, 4)), "a", "backwards"},
		{"out of bounds", raw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, make([]byte, 4)), "a", "past the 4 data bytes"},
		{"overlap", raw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "b", "overlap"},
		{"gap", raw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "a", "gap"},
		{"trailing data", raw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 8)), "", "after the last tensor"},
		{"duplicate", raw(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`, make([]byte, 2)), "a", "twice"},
		{"metadata not strings", raw(`{"__metadata__":{"k":1}}`, nil), "", "__metadata__"},
		{"overflow", raw(`{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}`, make([]byte, 8)), "a", "overflow"},
		{"float offsets", raw(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1.5]}}`, make([]byte, 1)), "a", "invalid record"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, c.file)
			f, err := Open(p)
			if err == nil {
				f.Close()
				t.Fatal("accepted")
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			if fe.File != p || fe.Tensor != c.tensor || !strings.Contains(fe.Reason, c.reason) {
				t.Fatalf("got %+v, want tensor %q and reason containing %q", fe, c.tensor, c.reason)
			}
		})
	}
}

func TestOpenValidEdgeCases(t *testing.T) {
	for _, c := range []struct{ name, header string }{
		{"empty", `{}`},
		{"padded", `{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}     `},
		{"newline padded", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}\n\t "},
		{"null metadata", `{"__metadata__":null,"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`},
	} {
		data := []byte{}
		if strings.Contains(c.header, `"a"`) {
			data = []byte{5}
		}
		f, err := Open(writeTemp(t, raw(c.header, data)))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		f.Close()
	}
	if _, err := Open(filepath.Join(t.TempDir(), "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestWriteRejects(t *testing.T) {
	var fe *FormatError
	if err := Write(&bytes.Buffer{}, map[string]Info{"x": {DType: "F32", Shape: []int{2}, Data: make([]byte, 4)}}, nil); !errors.As(err, &fe) {
		t.Fatalf("short data: %v", err)
	}
	if err := Write(&bytes.Buffer{}, map[string]Info{"x": {DType: "Q4", Data: nil}}, nil); !errors.As(err, &fe) {
		t.Fatalf("bad dtype: %v", err)
	}
}

func writeFile(t *testing.T, path string, tensors map[string]Info) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, tensors, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestShardedIndex(t *testing.T) {
	dir := t.TempDir()
	u8 := func(v byte) Info { return Info{DType: "U8", Shape: []int{1}, Data: []byte{v}} }
	writeFile(t, filepath.Join(dir, "model-00001-of-00002.safetensors"), map[string]Info{"a": u8(1), "b": u8(2)})
	writeFile(t, filepath.Join(dir, "model-00002-of-00002.safetensors"), map[string]Info{"c": u8(3)})
	index := `{"metadata":{"total_size":3},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}}`
	os.WriteFile(filepath.Join(dir, IndexFile), []byte(index), 0o644)
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Tensors(), ","); got != "a,b,c" {
		t.Fatalf("Tensors = %s", got)
	}
	if c, ok := s.Tensor("c"); !ok || c.Data[0] != 3 {
		t.Fatalf("c = %+v", c)
	}
	if s.Metadata()["total_size"] != "3" || len(s.Files()) != 2 {
		t.Fatalf("metadata %v, %d files", s.Metadata(), len(s.Files()))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	bad := []struct{ name, index, tensor string }{
		{"wrong shard", `{"weight_map":{"a":"model-00002-of-00002.safetensors"}}`, "a"},
		{"missing tensor", `{"weight_map":{"zz":"model-00001-of-00002.safetensors"}}`, "zz"},
		{"escaping path", `{"weight_map":{"a":"../x.safetensors"}}`, "a"},
		{"no weight map", `{"metadata":{}}`, ""},
	}
	for _, c := range bad {
		p := filepath.Join(dir, "bad.index.json")
		os.WriteFile(p, []byte(c.index), 0o644)
		_, err := OpenIndex(p)
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Tensor != c.tensor {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	// The same tensor in two shards.
	dup := t.TempDir()
	writeFile(t, filepath.Join(dup, "x1.safetensors"), map[string]Info{"a": u8(1)})
	writeFile(t, filepath.Join(dup, "x2.safetensors"), map[string]Info{"a": u8(2)})
	var fe *FormatError
	if _, err := OpenDir(dup); !errors.As(err, &fe) || fe.Tensor != "a" {
		t.Fatalf("duplicate across shards: %v", err)
	}
}

func TestOpenDirSingleAndEmpty(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenDir(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("empty dir: %v", err)
	}
	writeFile(t, filepath.Join(dir, SingleFile), map[string]Info{"w": {DType: "F16", Shape: []int{1}, Data: []byte{0, 60}}})
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.Tensor("w"); !ok {
		t.Fatal("w missing")
	}
}

func FuzzOpen(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, map[string]Info{
		"a": {DType: "F32", Shape: []int{2}, Data: make([]byte, 8)},
		"b": {DType: "BOOL", Shape: []int{3}, Data: []byte{1, 0, 1}},
	}, map[string]string{"k": "v"})
	f.Add(buf.Bytes())
	f.Add(raw(`{}`, nil))
	f.Add(raw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f.safetensors")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		file, err := Open(p)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		defer file.Close()
		// Whatever was accepted is self-consistent.
		for _, name := range file.Tensors() {
			info, _ := file.Tensor(name)
			size, ok := DTypeSize(info.DType)
			n := 1
			for _, d := range info.Shape {
				n *= d
			}
			if !ok || n*size != len(info.Data) {
				t.Fatalf("%s: accepted inconsistent tensor %+v", name, info)
			}
		}
	})
}

func TestToTensor(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, map[string]Info{
		"w": {DType: "BF16", Shape: []int{2}, Data: []byte{0x80, 0x3f, 0x00, 0xc0}},
		"d": {DType: "F64", Shape: []int{1}, Data: make([]byte, 8)},
	}, nil)
	f, err := Open(writeTemp(t, buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, _ := f.Tensor("w")
	x, err := ToTensor(w)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.ToF32().Data(); got[0] != 1 || got[1] != -2 {
		t.Fatalf("values %v", got)
	}
	d, _ := f.Tensor("d")
	var ue *UnsupportedDTypeError
	if _, err := ToTensor(d); !errors.As(err, &ue) || ue.DType != "F64" {
		t.Fatalf("F64: %v", err)
	}
}
