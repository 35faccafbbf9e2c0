package vlm

import "context"

// ModelContainer serialises use of one loaded model: at most one Perform
// runs at a time. It is safe for concurrent use.
type ModelContainer struct {
	mc *ModelContext
	// sem is a one-slot semaphore, held while a Perform runs; a channel
	// rather than a mutex so that waiting honours ctx.
	sem chan struct{}
}

// NewModelContainer wraps a loaded model.
func NewModelContainer(mc *ModelContext) *ModelContainer {
	return &ModelContainer{mc: mc, sem: make(chan struct{}, 1)}
}

// Perform runs fn with exclusive use of the model. It waits for earlier
// calls to finish, or returns ctx's error if ctx is done first.
func (c *ModelContainer) Perform(ctx context.Context, fn func(*ModelContext) error) error {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.sem }()
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(c.mc)
}
