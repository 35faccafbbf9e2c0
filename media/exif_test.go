package media

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadOrientationTIFFHeaders(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Orientation
	}{
		{"little endian", []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00"), 6},
		{"big endian", []byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x08\x00\x00"), 8},
		{"out of range value", []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x09\x00\x00\x00"), 0},
		{"wrong type", []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x04\x00\x01\x00\x00\x00\x06\x00\x00\x00"), 0},
		{"IFD past end", []byte("II*\x00\xff\x00\x00\x00"), 0},
		{"truncated entry", []byte("II*\x00\x08\x00\x00\x00\x05\x00\x12\x01"), 0},
		{"jpeg without exif", []byte("\xff\xd8\xff\xdb\x00\x04\x00\x00\xff\xda"), 0},
		{"jpeg bad length", []byte("\xff\xd8\xff\xe1\xff\xff"), 0},
		{"png without chunks", []byte("\x89PNG\r\n\x1a\n"), 0},
		{"not an image", []byte("hello"), 0},
	}
	for _, tt := range tests {
		if got := ReadOrientation(tt.data); got != tt.want {
			t.Errorf("%s: orientation %d, want %d", tt.name, got, tt.want)
		}
	}
}

func FuzzReadOrientation(f *testing.F) {
	for _, name := range []string{"orient_6.png", "orient_7.webp"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x16Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPEXIF\xff\xff\xff\x7f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := ReadOrientation(data); o < 0 || o > 8 {
			t.Fatalf("orientation %d out of range", o)
		}
	})
}
