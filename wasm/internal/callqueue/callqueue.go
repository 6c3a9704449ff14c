// Package callqueue holds the queue that carries work from browser callbacks
// to a game loop: the playground's and the capacity explorer's alike.
package callqueue

import "sync"

// Queue carries work from browser callbacks to the game loop. A syscall/js
// callback must never block (the browser's event loop waits for it), so it
// only appends a closure here; the game's Update runs them in order. Push and
// Drain may be called from different goroutines.
type Queue struct {
	mu  sync.Mutex
	fns []func()
}

// Push appends f; it never blocks for longer than a slice append.
func (q *Queue) Push(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

// Drain runs every queued closure in the order pushed, including closures
// pushed while draining, and returns how many ran.
func (q *Queue) Drain() int {
	n := 0
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return n
		}
		for _, f := range fns {
			f()
			n++
		}
	}
}
