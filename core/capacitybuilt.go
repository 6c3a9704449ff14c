package core

// This file finds, for a capacity measurement's k, the largest N in its
// search range that Construct solves: the hand-built counterpart of a
// sweep's learned max N. Each N is constructed and checked (every pair
// right), never assumed.

import (
	"fmt"
)

// BuiltCapacity is, for one k of a capacity measurement, the largest N in the
// search range whose shift-by-one task Construct solves with the
// measurement's activation, output layer and biases.
type BuiltCapacity struct {
	K int
	// MaxN is the largest N in [Low, High] that Construct solved, every pair
	// right; 0 when every N of the range was refused.
	MaxN int
	// Low and High are the search range, as a sweep uses for this k
	// (High is capped at MaxNDirect for k = 0).
	Low, High int
	// Tried lists the N constructed, in order: from High down to MaxN.
	Tried []int
	// Refusal is why MaxN+1 (or Low, when MaxN is 0) has no hand-built
	// solution, as Construct says; "" when MaxN is High.
	Refusal string
}

// AtBound reports whether MaxN is the top of the search range, so that
// Construct may solve larger N too.
func (b BuiltCapacity) AtBound() bool { return b.MaxN > 0 && b.MaxN == b.High }

// BuiltSearch looks for the largest N that Construct solves for one k, one
// Construct per Step, so that a page can spread it over its frames. It
// searches from the top of the range down and stops at the first N solved:
// with output biases that is the top at once; without them at k = 1 every N
// whose task has too many pairs is refused before any weight is built.
type BuiltSearch struct {
	spec *capSpec
	res  BuiltCapacity
	next int // the N to construct next; < Low when done
	done bool
}

// NewBuiltSearch returns the search for k over spec's range (MinN..MaxN, with
// spec's Base giving activation, output and biases). It returns an error if
// spec is invalid (as Sweep would) or k is not from 0 to MaxK.
func NewBuiltSearch(spec CapacitySpec, k int) (*BuiltSearch, error) {
	c, err := spec.check()
	if err != nil {
		return nil, err
	}
	if err := checkKs([]int{k}); err != nil {
		return nil, err
	}
	lo, hi, err := c.bounds(k)
	if err != nil {
		return nil, err
	}
	return &BuiltSearch{spec: c, res: BuiltCapacity{K: k, Low: lo, High: hi}, next: hi}, nil
}

// Done reports whether the search has its answer.
func (s *BuiltSearch) Done() bool { return s.done }

// Step constructs and checks the next N, unless the search is done, and
// reports whether it is done now.
func (s *BuiltSearch) Step() bool {
	if s.done {
		return true
	}
	n := s.next
	s.res.Tried = append(s.res.Tried, n)
	ok, why := s.solves(n)
	switch {
	case ok:
		s.res.MaxN, s.done = n, true
	case n <= s.res.Low:
		s.res.Refusal, s.done = why, true
	default:
		s.res.Refusal = why
		s.next--
	}
	if ok && n == s.res.High {
		s.res.Refusal = ""
	}
	return s.done
}

// solves builds (k, n) and checks that every pair is right.
func (s *BuiltSearch) solves(n int) (bool, string) {
	cfg, err := s.spec.config(s.res.K, n, s.spec.Seeds[0])
	if err != nil {
		return false, err.Error()
	}
	t, err := Construct(cfg)
	if err != nil {
		return false, err.Error()
	}
	if m := t.Metrics(); m.Correct != m.Pairs {
		return false, fmt.Sprintf("the built %s gets %d of %d pairs right", cfg.Shape(), m.Correct, m.Pairs)
	}
	return true, ""
}

// Result returns what the search has found so far: its answer once Done.
// Tried is the caller's to keep.
func (s *BuiltSearch) Result() BuiltCapacity {
	r := s.res
	r.Tried = append([]int(nil), r.Tried...)
	return r
}

// LargestBuilt runs the search for k to its end: the largest N of spec's
// range that Construct solves. It returns NewBuiltSearch's error, if any.
func LargestBuilt(spec CapacitySpec, k int) (BuiltCapacity, error) {
	s, err := NewBuiltSearch(spec, k)
	if err != nil {
		return BuiltCapacity{}, err
	}
	for !s.Step() {
	}
	return s.Result(), nil
}
