package engine

import (
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestSlicerFillsTheBudget(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	cost := 20 * time.Microsecond
	total := 0
	step := func(n int) (int, bool) {
		clock.t = clock.t.Add(time.Duration(n)*cost + 5*time.Microsecond) // plus a call's overhead
		total += n
		return n, false
	}
	s := &Slicer{Budget: SliceBudget}
	for frame := range 30 {
		start := clock.t
		got, done := s.Run(clock.now, step)
		el := clock.t.Sub(start)
		if done || got < 1 {
			t.Fatalf("frame %d: %d steps, done %v", frame, got, done)
		}
		if el > SliceBudget+2*cost {
			t.Errorf("frame %d: %v of work, budget %v", frame, el, SliceBudget)
		}
		if frame >= 3 && el < SliceBudget/2 {
			t.Errorf("frame %d: only %v of work (%d steps)", frame, el, got)
		}
		if frame >= 3 && s.LastCalls > 40 {
			t.Errorf("frame %d: %d calls", frame, s.LastCalls)
		}
	}
	// The cost jumps 4x (the search doubled N: a step costs O(N²k)): the
	// next frame overshoots by at most about the budget, and the one after
	// fits again.
	cost *= 4
	for frame := range 5 {
		start := clock.t
		s.Run(clock.now, step)
		el := clock.t.Sub(start)
		limit := SliceBudget + 2*cost
		if frame == 0 {
			limit = 2*SliceBudget + 2*cost
		}
		if el > limit {
			t.Errorf("after the jump, frame %d: %v", frame, el)
		}
	}
	if s.PerStep() < cost/2 || s.PerStep() > 2*cost {
		t.Errorf("PerStep %v, cost %v", s.PerStep(), cost)
	}
	// A single step longer than the budget still runs, once per frame (once
	// the estimate has caught up with the cost).
	cost = 3 * SliceBudget
	s.Run(clock.now, step)
	start := clock.t
	if got, _ := s.Run(clock.now, step); got != 1 {
		t.Errorf("slow step: %d steps per frame", got)
	}
	if el := clock.t.Sub(start); el > cost+time.Millisecond {
		t.Errorf("slow step: %v", el)
	}
	s.Reset()
	if s.PerStep() != 0 {
		t.Error("Reset")
	}
}

func TestSlicerStopsWhenDone(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	left := 10
	calls := 0
	step := func(n int) (int, bool) {
		calls++
		n = min(n, left)
		left -= n
		clock.t = clock.t.Add(time.Duration(n) * time.Microsecond)
		return n, left == 0
	}
	s := &Slicer{Budget: SliceBudget}
	got, done := s.Run(clock.now, step)
	if !done || got != 10 {
		t.Errorf("got %d done %v", got, done)
	}
	// A job that trains nothing and is not done must not spin.
	calls = 0
	got, done = s.Run(clock.now, func(int) (int, bool) { calls++; return 0, false })
	if got != 0 || done || calls != 1 {
		t.Errorf("stuck job: %d steps, done %v, %d calls", got, done, calls)
	}
}
