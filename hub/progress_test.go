package hub

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock is a settable time source.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestTrackerRateETAAndRestart(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	var got []Progress
	tr := newTracker(func(p Progress) { got = append(got, p) }, 3, 1, 2_000_000)
	tr.now = clk.now
	tr.update("a", 0, 0)
	for range 10 {
		clk.advance(200 * time.Millisecond)
		tr.update("a", tr.counted["a"]+100_000, 100_000) // 500 kB/s
	}
	last := got[len(got)-1]
	if last.Downloaded != 1_000_000 || last.BytesPerSecond != 500_000 || last.ETA != 2*time.Second {
		t.Errorf("after 2s at 500 kB/s: %+v", last)
	}
	// The file restarts from zero (server ignored Range): counts do not go back.
	clk.advance(time.Second)
	tr.update("a", 10, 10)
	if p := got[len(got)-1]; p.Downloaded != 1_000_000 {
		t.Errorf("restart moved the count to %d", p.Downloaded)
	}
	tr.fileDone("a", 1_200_000)
	clk.advance(time.Second)
	tr.update("b", 800_000, 800_000)
	tr.fileDone("b", 800_000)
	tr.finish()
	end := got[len(got)-1]
	if end.Downloaded != 2_000_000 || end.FilesDone != 3 || end.ETA != 0 {
		t.Errorf("final report %+v", end)
	}
}

func TestTrackerThrottles(t *testing.T) {
	clk := &fakeClock{t: time.Unix(0, 0)}
	n := 0
	tr := newTracker(func(Progress) { n++ }, 1, 0, 1000)
	tr.now = clk.now
	for i := range 100 {
		tr.update("f", int64(i), 1) // all within one instant
	}
	if n != 1 {
		t.Errorf("%d reports in one instant, want 1", n)
	}
	clk.advance(progressInterval)
	tr.update("f", 200, 1)
	tr.fileDone("f", 1000) // forced
	if n != 3 {
		t.Errorf("%d reports, want 3", n)
	}
	var nilTracker *tracker // a nil tracker (no callback) ignores everything
	nilTracker.update("f", 1, 1)
	nilTracker.fileDone("f", 1)
	nilTracker.finish()
}

func TestProgressBarTerminal(t *testing.T) {
	var buf bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	b := NewProgressBar(&buf, true)
	b.now = clk.now
	b.Update(Progress{File: "model-00001-of-00002.safetensors", Downloaded: 1_500_000_000, Total: 3_000_000_000,
		BytesPerSecond: 50_000_000, ETA: 30 * time.Second, FilesDone: 1, FilesTotal: 5})
	b.Update(Progress{File: "x", Downloaded: 1_600_000_000, Total: 3_000_000_000, FilesTotal: 5}) // too soon: skipped
	clk.advance(terminalInterval)
	b.Update(Progress{File: "c.json", Downloaded: 3_000_000_000, Total: 3_000_000_000, FilesDone: 5, FilesTotal: 5})
	b.Done()
	out := buf.String()
	frames := strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:]
	if len(frames) != 2 || !strings.HasSuffix(out, "\n") || strings.Count(out, "\n") != 1 {
		t.Fatalf("want two frames redrawn with \\r and one final newline, got %q", out)
	}
	want0 := "[############------------]  50%  1.5 GB/3.0 GB  50.0 MB/s  ETA 0:30  1/5 files  model-00001-of-00002.saf..."
	if frames[0] != want0[:76]+"..." {
		t.Errorf("frame 0 = %q", frames[0])
	}
	if len([]rune(frames[0])) > terminalColumns {
		t.Errorf("frame longer than %d columns: %q", terminalColumns, frames[0])
	}
	if !strings.HasPrefix(frames[1], "[########################] 100%  3.0 GB/3.0 GB  5/5 files  c.json") ||
		len(frames[1]) != len(frames[0]) {
		t.Errorf("frame 1 = %q: want the final state padded over the longer previous line", frames[1])
	}
}

func TestProgressBarPlain(t *testing.T) {
	var buf bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	b := NewProgressBar(&buf, false)
	b.now = clk.now
	p := Progress{File: "m.safetensors", Total: 1000, FilesTotal: 2}
	for i := range 10 { // 10 reports over one second: one line
		p.Downloaded = int64(i * 10)
		b.Update(p)
		clk.advance(100 * time.Millisecond)
	}
	p.FilesDone = 1 // a finished file always gets a line
	b.Update(p)
	clk.advance(plainInterval)
	p.Downloaded = 500
	b.Update(p)
	p.Downloaded, p.FilesDone = 1000, 2
	b.Update(p) // final, drawn although too soon
	b.Done()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 || strings.Contains(buf.String(), "\r") {
		t.Fatalf("got %d lines: %q", len(lines), buf.String())
	}
	if !strings.HasPrefix(lines[3], "[########################] 100%  1.0 kB/1.0 kB  2/2 files") {
		t.Errorf("last line %q", lines[3])
	}
}

func TestFormatters(t *testing.T) {
	bytesCases := map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_234_567: "1.2 MB", 5e12: "5.0 TB", 7e15: "7000.0 TB"}
	for n, want := range bytesCases {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
	etaCases := map[time.Duration]string{0: "0:00", 59 * time.Second: "0:59", 61 * time.Second: "1:01",
		3723 * time.Second: "1:02:03", 1500 * time.Millisecond: "0:02"}
	for d, want := range etaCases {
		if got := formatETA(d); got != want {
			t.Errorf("formatETA(%v) = %q, want %q", d, got, want)
		}
	}
}
