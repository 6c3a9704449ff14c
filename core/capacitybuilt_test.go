package core

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// builtSpec is a capacity measurement of act with output biases ob, N up to maxN.
func builtSpec(act Activation, ob bool, maxN int) CapacitySpec {
	base := DefaultConfig()
	base.Activation, base.OutputBias = act, ob
	return CapacitySpec{Base: base, Budget: 100, Seeds: []uint64{1, 2}, MaxN: maxN}
}

// constructs reports whether Construct solves the point (k, n) of spec, every
// pair right, asked directly.
func constructs(t *testing.T, spec CapacitySpec, k, n int) bool {
	t.Helper()
	cfg, err := spec.PointConfig(k, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Construct(cfg)
	if err != nil {
		if !errors.Is(err, ErrNotConstructible) {
			t.Fatalf("%s: %v, not a refusal", cfg.Shape(), err)
		}
		return false
	}
	m := tr.Metrics()
	return m.Correct == m.Pairs
}

// The search finds the largest N that Construct solves, from the top down:
// the top at once with output biases (and without them for k >= 2), and for
// k = 1 without output biases the largest N whose N-1 pairs one line through
// 0 can separate (2 pairs for tanh and linear, 1 for sigmoid and relu).
func TestLargestBuilt(t *testing.T) {
	for _, tt := range []struct {
		act  Activation
		ob   bool
		k    int
		maxN int
		want int
	}{
		{ActTanh, true, 1, 64, 64},
		{ActTanh, true, 2, 64, 64},
		{ActTanh, true, 4, 1024, 1024},
		{ActTanh, true, 0, 1024, MaxNDirect},
		{ActTanh, false, 0, 64, 64},
		{ActTanh, false, 1, 64, 3},
		{ActLinear, false, 1, 32, 3},
		{ActSigmoid, false, 1, 64, 2},
		{ActReLU, false, 1, 16, 2},
		{ActTanh, false, 2, 256, 256},
		{ActReLU, false, 3, 64, 64},
		{ActSigmoid, true, 1, 1024, 1024},
	} {
		spec := builtSpec(tt.act, tt.ob, tt.maxN)
		b, err := LargestBuilt(spec, tt.k)
		if err != nil {
			t.Fatal(err)
		}
		name := func() string { return string(tt.act) + map[bool]string{true: " ob", false: " no ob"}[tt.ob] }
		if b.MaxN != tt.want || b.K != tt.k || b.Low != MinN || b.High != min(tt.maxN, map[bool]int{true: MaxNDirect, false: MaxN}[tt.k == 0]) {
			t.Errorf("%s k=%d max %d: %+v, want max N %d", name(), tt.k, tt.maxN, b, tt.want)
			continue
		}
		// Checked against Construct itself: MaxN solves, MaxN+1 does not.
		if !constructs(t, spec, tt.k, b.MaxN) {
			t.Errorf("%s k=%d: Construct does not solve the N=%d found", name(), tt.k, b.MaxN)
		}
		if b.MaxN < b.High && constructs(t, spec, tt.k, b.MaxN+1) {
			t.Errorf("%s k=%d: Construct solves N=%d too, above the %d found", name(), tt.k, b.MaxN+1, b.MaxN)
		}
		// From the top down, stopping at the first solved.
		var want []int
		for n := b.High; n >= b.MaxN; n-- {
			want = append(want, n)
		}
		if !slices.Equal(b.Tried, want) {
			t.Errorf("%s k=%d: tried %v, want %v", name(), tt.k, b.Tried, want)
		}
		if b.AtBound() != (b.MaxN == b.High) || (b.Refusal == "") != b.AtBound() {
			t.Errorf("%s k=%d: at bound %v, refusal %q", name(), tt.k, b.AtBound(), b.Refusal)
		}
		if !b.AtBound() && !containsAll(b.Refusal, "no hand-built solution", "switch output biases on") {
			t.Errorf("%s k=%d: refusal %q", name(), tt.k, b.Refusal)
		}
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// Step by step the search gives the same answer, one Construct per Step, and
// a bad spec or k is an error, not a panic.
func TestBuiltSearchSteps(t *testing.T) {
	spec := builtSpec(ActTanh, false, 8)
	s, err := NewBuiltSearch(spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for !s.Done() {
		s.Step()
		steps++
		if r := s.Result(); len(r.Tried) != steps {
			t.Fatalf("after %d steps %d tried", steps, len(r.Tried))
		}
	}
	if r := s.Result(); r.MaxN != 3 || steps != 6 || !s.Step() {
		t.Errorf("%d steps: %+v", steps, r)
	}
	if _, err := NewBuiltSearch(spec, MaxK+1); err == nil {
		t.Error("k above MaxK accepted")
	}
	bad := spec
	bad.Seeds = nil
	if _, err := NewBuiltSearch(bad, 1); err == nil {
		t.Error("a spec without seeds accepted")
	}
	bad = spec
	bad.MinN = 200
	bad.MaxN = 0
	if _, err := NewBuiltSearch(bad, 0); err == nil {
		t.Error("k=0 with the smallest N above MaxNDirect accepted")
	}
}

// BenchmarkLargestBuilt measures the explorer's work for one k at the top of
// its range: one Construct of 1024-k-1024 with output biases, and for k = 1
// without them the 1022 cheap refusals down to N=3.
func BenchmarkLargestBuilt(b *testing.B) {
	for _, bc := range []struct {
		name string
		ob   bool
		k    int
	}{{"1024-4-1024", true, 4}, {"1024-8-1024", true, 8}, {"1024-2-1024-noOB", false, 2}, {"k1-noOB-down-to-3", false, 1}} {
		b.Run(bc.name, func(b *testing.B) {
			spec := builtSpec(ActTanh, bc.ob, MaxN)
			for b.Loop() {
				if _, err := LargestBuilt(spec, bc.k); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
