package vlm

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestModelContainerSerialises(t *testing.T) {
	c := NewModelContainer(&ModelContext{})
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Perform(context.Background(), func(*ModelContext) error {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(time.Millisecond)
				running.Add(-1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak.Load() != 1 {
		t.Fatalf("%d calls ran at once", peak.Load())
	}
}

func TestModelContainerHonoursContext(t *testing.T) {
	c := NewModelContainer(&ModelContext{})
	release := make(chan struct{})
	started := make(chan struct{})
	go c.Perform(context.Background(), func(*ModelContext) error {
		close(started)
		<-release
		return nil
	})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	called := false
	err := c.Perform(ctx, func(*ModelContext) error { called = true; return nil })
	close(release)
	if !errors.Is(err, context.DeadlineExceeded) || called {
		t.Fatalf("waiting call: err %v, called %v", err, called)
	}
	sentinel := errors.New("x")
	if err := c.Perform(context.Background(), func(*ModelContext) error { return sentinel }); err != sentinel {
		t.Fatalf("error not passed through: %v", err)
	}
}
