package tokenizer

import (
	"strings"
	"sync"
)

// Words longer than this many bytes are not cached, and the cache stops
// growing at wordCacheCap entries (as HF's does).
const (
	wordCacheMaxLen = 256
	wordCacheCap    = 100_000
)

// wordCache maps a pre-tokenized word to its ids. It is safe for concurrent
// use.
type wordCache struct {
	mu sync.RWMutex
	m  map[string][]int32
}

func newWordCache() *wordCache { return &wordCache{m: make(map[string][]int32, 1024)} }

func (c *wordCache) get(w string) ([]int32, bool) {
	c.mu.RLock()
	ids, ok := c.m[w]
	c.mu.RUnlock()
	return ids, ok
}

func (c *wordCache) put(w string, ids []int32) {
	if len(w) > wordCacheMaxLen {
		return
	}
	c.mu.Lock()
	if len(c.m) < wordCacheCap {
		c.m[strings.Clone(w)] = ids
	}
	c.mu.Unlock()
}
