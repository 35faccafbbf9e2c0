package benchutil

import (
	"time"
)

// Phases sums the wall-clock and CPU time of the phases of a benchmark
// iteration (preprocess, vision, prefill, decode, …) over all iterations.
// Call Start at the beginning of an iteration, then End after each phase.
// The zero value is ready to use.
type Phases struct {
	wall, cpu map[string]time.Duration
	at        time.Time
	atCPU     time.Duration
}

// Start marks the beginning of the iteration's first phase.
func (p *Phases) Start() { p.at, p.atCPU = time.Now(), CPUTime() }

// End adds the time since the last Start or End to phase name; the next
// phase begins now.
func (p *Phases) End(name string) {
	now, cpu := time.Now(), CPUTime()
	if p.wall == nil {
		p.wall, p.cpu = map[string]time.Duration{}, map[string]time.Duration{}
	}
	p.wall[name] += now.Sub(p.at)
	p.cpu[name] += cpu - p.atCPU
	p.at, p.atCPU = now, cpu
}

// Wall returns the summed wall-clock time of phase name.
func (p *Phases) Wall(name string) time.Duration { return p.wall[name] }

// CPU returns the summed process CPU time of phase name (0 where CPUTime
// is not measured). On a machine shared with other work the wall times
// include waiting for a core; these do not.
func (p *Phases) CPU(name string) time.Duration { return p.cpu[name] }
