package hub

import (
	"sync"
	"time"
)

// Progress describes a snapshot download in flight. Byte counts cover the
// files this call downloads (files already cached are not counted), and only
// grow; Downloaded equals Total in the last report of a successful call.
type Progress struct {
	File           string        // the file that last made progress
	Downloaded     int64         // bytes on disk so far, resumed parts included
	Total          int64         // bytes to download in all
	BytesPerSecond float64       // recent transfer rate
	ETA            time.Duration // time left at that rate; 0 when unknown or done
	FilesDone      int           // files complete, cached ones included
	FilesTotal     int           // files selected by the patterns
}

const (
	progressInterval = 100 * time.Millisecond // least time between reports
	rateWindow       = 5 * time.Second        // span the rate is measured over
)

// tracker merges the progress of parallel downloads into serialized,
// throttled reports with monotone counts.
type tracker struct {
	mu          sync.Mutex
	cb          func(Progress)
	now         func() time.Time
	p           Progress
	counted     map[string]int64 // per file: the most bytes ever counted
	transferred int64            // bytes received by this call
	samples     []rateSample
	lastEmit    time.Time
}

type rateSample struct {
	t time.Time
	n int64 // transferred at t
}

func newTracker(cb func(Progress), filesTotal, filesDone int, total int64) *tracker {
	t := &tracker{cb: cb, now: time.Now, counted: map[string]int64{}}
	t.p.FilesTotal, t.p.FilesDone, t.p.Total = filesTotal, filesDone, total
	return t
}

// update records that file now has pos bytes on disk, n of them newly
// received. A file that restarts from zero does not move the count back.
func (t *tracker) update(file string, pos, n int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.counted[file]; pos > c {
		t.p.Downloaded += pos - c
		t.counted[file] = pos
	}
	t.transferred += n
	t.p.File = file
	t.emit(false)
}

// fileDone records a finished file of the given size.
func (t *tracker) fileDone(file string, size int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.counted[file]; size > c {
		t.p.Downloaded += size - c
		t.counted[file] = size
	}
	t.p.FilesDone++
	t.p.File = file
	t.emit(true)
}

// finish sends the final report.
func (t *tracker) finish() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.emit(true)
}

// emit reports the state, at most once per progressInterval unless forced.
// The caller holds t.mu, so reports are serialized and ordered.
func (t *tracker) emit(force bool) {
	now := t.now()
	if k := len(t.samples); k == 0 || force || now.Sub(t.samples[k-1].t) >= progressInterval/2 {
		t.samples = append(t.samples, rateSample{now, t.transferred})
	}
	// Keep one sample older than the window as its left edge.
	for len(t.samples) > 2 && now.Sub(t.samples[1].t) >= rateWindow {
		t.samples = t.samples[1:]
	}
	if !force && now.Sub(t.lastEmit) < progressInterval {
		return
	}
	t.lastEmit = now
	first := t.samples[0]
	t.p.BytesPerSecond = 0
	if dt := now.Sub(first.t).Seconds(); dt > 0 {
		t.p.BytesPerSecond = float64(t.transferred-first.n) / dt
	}
	t.p.ETA = 0
	if left := t.p.Total - t.p.Downloaded; left > 0 && t.p.BytesPerSecond > 0 {
		t.p.ETA = time.Duration(float64(left) / t.p.BytesPerSecond * float64(time.Second))
	}
	if t.cb != nil {
		t.cb(t.p)
	}
}
