package vlm

import "runtime/metrics"

// heapMetric is the runtime/metrics name of the bytes of live and not yet
// swept heap objects.
const heapMetric = "/memory/classes/heap/objects:bytes"

// peakMemory tracks the largest heap seen plus a fixed mapped size.
type peakMemory struct {
	mapped  uint64
	max     uint64
	samples []metrics.Sample
}

func newPeakMemory(mapped int64) *peakMemory {
	m := &peakMemory{mapped: uint64(max(mapped, 0)), samples: []metrics.Sample{{Name: heapMetric}}}
	m.sample()
	return m
}

func (m *peakMemory) sample() {
	metrics.Read(m.samples)
	if v := m.samples[0].Value; v.Kind() == metrics.KindUint64 {
		m.max = max(m.max, v.Uint64())
	}
}

func (m *peakMemory) peak() uint64 {
	m.sample()
	return m.max + m.mapped
}
