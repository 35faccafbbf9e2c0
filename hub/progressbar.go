package hub

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	barWidth         = 24
	terminalInterval = 100 * time.Millisecond // redraw rate on a terminal
	plainInterval    = 2 * time.Second        // line rate in logs
	terminalColumns  = 79                     // longest line drawn in place, so it never wraps
)

// ProgressBar renders [Progress] reports. On a terminal it redraws one line
// in place with a carriage return; elsewhere (a log, a pipe) it prints plain
// lines, at most one every two seconds, plus one when a file completes. Pass
// its Update method as the progress callback; it is safe for concurrent use.
type ProgressBar struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	now      func() time.Time
	last     time.Time
	lastDone int
	width    int // length of the last terminal line, to blank leftovers
	drawn    bool
}

// NewProgressBar returns a renderer writing to w. isTerminal says whether w
// is an interactive terminal; callers decide it, e.g. with
// golang.org/x/term.IsTerminal.
func NewProgressBar(w io.Writer, isTerminal bool) *ProgressBar {
	return &ProgressBar{w: w, terminal: isTerminal, now: time.Now}
}

// Update draws p, unless the previous drawing is too recent. The final report
// (all bytes and files done) is always drawn.
func (b *ProgressBar) Update(p Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	final := p.FilesDone >= p.FilesTotal && p.Downloaded >= p.Total
	interval := plainInterval
	if b.terminal {
		interval = terminalInterval
	}
	fileFinished := p.FilesDone != b.lastDone
	if b.drawn && !final && now.Sub(b.last) < interval && !(fileFinished && !b.terminal) {
		return
	}
	b.last, b.lastDone, b.drawn = now, p.FilesDone, true
	line := formatProgress(p)
	if b.terminal {
		line = fitWidth(line, terminalColumns)
	}
	if !b.terminal {
		fmt.Fprintln(b.w, line)
		return
	}
	pad := ""
	if n := utf8.RuneCountInString(line); n < b.width {
		pad = strings.Repeat(" ", b.width-n)
	}
	b.width = utf8.RuneCountInString(line)
	fmt.Fprint(b.w, "\r"+line+pad)
}

// Done ends the terminal line, so that later output starts on a new one.
func (b *ProgressBar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.terminal && b.drawn {
		fmt.Fprintln(b.w)
		b.width = 0
	}
}

// formatProgress renders one line:
// [#########---------------]  38%  1.2 GB/3.1 GB  45.0 MB/s  ETA 0:42  2/5 files  model.safetensors
func formatProgress(p Progress) string {
	frac := 1.0
	if p.Total > 0 {
		frac = min(float64(p.Downloaded)/float64(p.Total), 1)
	}
	filled := int(frac * barWidth)
	var s strings.Builder
	s.WriteByte('[')
	s.WriteString(strings.Repeat("#", filled))
	s.WriteString(strings.Repeat("-", barWidth-filled))
	fmt.Fprintf(&s, "] %3d%%  %s/%s", int(frac*100), formatBytes(p.Downloaded), formatBytes(p.Total))
	if p.BytesPerSecond > 0 {
		fmt.Fprintf(&s, "  %s/s", formatBytes(int64(p.BytesPerSecond)))
	}
	if p.ETA > 0 {
		fmt.Fprintf(&s, "  ETA %s", formatETA(p.ETA))
	}
	fmt.Fprintf(&s, "  %d/%d files", p.FilesDone, p.FilesTotal)
	if p.File != "" {
		s.WriteString("  " + p.File)
	}
	return s.String()
}

// formatBytes uses decimal units, as the hub's web pages do.
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		v /= unit
		if v < unit || u == "TB" {
			return fmt.Sprintf("%.1f %s", v, u)
		}
	}
	return fmt.Sprintf("%d B", n) // not reached
}

// formatETA prints h:mm:ss or m:ss.
func formatETA(d time.Duration) string {
	sec := int64(d.Round(time.Second) / time.Second)
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// fitWidth shortens s to at most n runes, marking the cut with "...".
func fitWidth(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
