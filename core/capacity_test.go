package core

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// testCapSpec returns a spec on the post's settings (tanh, softmax, biases,
// Adam) with seeds 1..3. The learning rate is pinned so that a change of
// DefaultLR does not move the capacities these tests rely on.
func testCapSpec(budget int) CapacitySpec {
	base := DefaultConfig()
	base.Optimizer, base.LearningRate = OptAdam, 0.1
	return CapacitySpec{Base: base, Budget: budget, Seeds: []uint64{1, 2, 3}}
}

func TestCheckPointSolves525(t *testing.T) {
	p, err := CheckPoint(context.Background(), testCapSpec(2000), 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	if p.K != 2 || p.N != 5 || len(p.Seeds) != 3 {
		t.Fatalf("point %d-%d with %d seeds, want 5-2 with 3", p.N, p.K, len(p.Seeds))
	}
	if !p.Solved {
		t.Fatalf("5-2-5 did not solve: %+v", p.Seeds)
	}
	for i, s := range p.Seeds {
		if s.Seed != uint64(i+1) {
			t.Errorf("seed %d reported as seed %d: seeds out of order", i+1, s.Seed)
		}
		if !s.Solved || s.Steps < 0 || s.Steps > 2000 || s.Correct != 4 || s.Pairs != 4 || s.Accuracy != 1 {
			t.Errorf("seed %d: %+v, want solved within 2000 steps with 4 of 4 pairs", s.Seed, s)
		}
		if !(s.MaxAbsWeight > 0) || s.Diverged != "" {
			t.Errorf("seed %d: largest |weight| %v, diverged %q", s.Seed, s.MaxAbsWeight, s.Diverged)
		}
		// Training stops at the solving step: a trainer run to that step
		// must be solved there and not one step earlier.
		c := testCapSpec(0).Base
		c.N, c.K, c.Seed = 5, 2, s.Seed
		tr, err := NewTrainer(c)
		if err != nil {
			t.Fatal(err)
		}
		tr.Run(s.Steps)
		m := tr.Metrics()
		if m.SolvedAt != s.Steps || m.MaxAbsWeight != s.MaxAbsWeight {
			t.Errorf("seed %d: rerun solved at %d with largest |weight| %v, CheckPoint said %d and %v",
				s.Seed, m.SolvedAt, m.MaxAbsWeight, s.Steps, s.MaxAbsWeight)
		}
	}
	if m := p.MedianSteps(); m != float64(sortedSteps(p)[1]) {
		t.Errorf("median %v of %v", m, sortedSteps(p))
	}
}

func sortedSteps(p PointOutcome) []int {
	s := make([]int, len(p.Seeds))
	for i, o := range p.Seeds {
		s[i] = o.Steps
	}
	for i := range s { // insertion sort: three values
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// With one hidden unit and no output bias the logits are w_j*h: as h varies
// only the outputs with the largest and the smallest w_j can ever win, so at
// most 2 of the 4 pairs of 5-1-5 are right, whatever the training.
func TestCheckPointCannotSolve(t *testing.T) {
	spec := testCapSpec(300)
	spec.Base.OutputBias = false
	p, err := CheckPoint(context.Background(), spec, 1, 5)
	if err != nil {
		t.Fatal(err)
	}
	if p.Solved {
		t.Fatal("5-1-5 without output bias reported solved")
	}
	for _, s := range p.Seeds {
		if s.Solved || s.Steps != 300 || s.Correct > 2 || s.Pairs != 4 {
			t.Errorf("seed %d: %+v, want unsolved after 300 steps with at most 2 of 4 pairs", s.Seed, s)
		}
	}
}

// sweepK1 is a small sweep: k=1 with biases can in principle map any N (the
// logits w_j*h+b_j are lines in h, each can top the others on an interval),
// but within 2000 steps training manages only a handful.
func sweepK1() CapacitySpec {
	spec := testCapSpec(2000)
	spec.MaxN = 64
	return spec
}

func TestSweepMonotoneConsistent(t *testing.T) {
	spec := sweepK1()
	res, err := Sweep(context.Background(), spec, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("%d results for one k", len(res))
	}
	r := res[0]
	if r.K != 1 || r.Low != MinN || r.High != 64 {
		t.Fatalf("k=%d range [%d, %d], want k=1 in [%d, 64]", r.K, r.Low, r.High, MinN)
	}
	if r.MaxN < MinN || r.AtBound() {
		t.Fatalf("max N = %d: expected a capacity strictly inside [%d, 64]", r.MaxN, MinN)
	}
	if !r.Best.Solved || r.Best.N != r.MaxN || len(r.Best.Seeds) != 3 {
		t.Fatalf("best point %+v does not describe a solved N=%d", r.Best, r.MaxN)
	}
	// The search must have evaluated MaxN (solved) and MaxN+1 (failed).
	var sawMax, sawNext bool
	for _, p := range r.Tried {
		sawMax = sawMax || (p.N == r.MaxN && p.Solved)
		sawNext = sawNext || (p.N == r.MaxN+1 && !p.Solved)
		if p.Solved && p.N > r.MaxN || !p.Solved && p.N <= r.MaxN {
			t.Errorf("tried N=%d solved=%v contradicts max N %d", p.N, p.Solved, r.MaxN)
		}
	}
	if !sawMax || !sawNext {
		t.Errorf("tried %v: want N=%d solved and N=%d failed among them", r.Tried, r.MaxN, r.MaxN+1)
	}
	// Solved keeps every solved point tried, complete, in order, Best last.
	var solvedN []int
	for _, p := range r.Tried {
		if p.Solved {
			solvedN = append(solvedN, p.N)
		}
	}
	if len(r.Solved) != len(solvedN) || !reflect.DeepEqual(r.Solved[len(r.Solved)-1], r.Best) {
		t.Fatalf("solved points %+v: want N=%v with Best last", r.Solved, solvedN)
	}
	for i, p := range r.Solved {
		if p.N != solvedN[i] || !p.Solved || len(p.Seeds) != 3 {
			t.Errorf("solved point %d: %+v, want N=%d with 3 seeds", i, p, solvedN[i])
		}
	}
	// Independent checks of the two points.
	at, err := CheckPoint(context.Background(), spec, 1, r.MaxN)
	if err != nil {
		t.Fatal(err)
	}
	if !at.Solved || !reflect.DeepEqual(at, r.Best) {
		t.Errorf("CheckPoint at max N %d: %+v, sweep said %+v", r.MaxN, at, r.Best)
	}
	above, err := CheckPoint(context.Background(), spec, 1, r.MaxN+1)
	if err != nil {
		t.Fatal(err)
	}
	if above.Solved {
		t.Errorf("N = max N + 1 = %d solves: %+v", r.MaxN+1, above.Seeds)
	}
}

// The answer must not depend on the parallelism, on the run, or on the
// driver: Sweep with 1 or 3 workers and a Sweeper stepped in small slices
// give identical results.
func TestSweepReproducible(t *testing.T) {
	spec := sweepK1()
	spec.Budget = 1000
	ks := []int{1, 2}
	if testing.Short() {
		ks = []int{1}
	}
	spec.MaxN = 16 // k=2 reaches it quickly; keeps the test fast
	spec.Workers = 1
	a, err := Sweep(context.Background(), spec, ks)
	if err != nil {
		t.Fatal(err)
	}
	spec.Workers = 3
	b, err := Sweep(context.Background(), spec, ks)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("1 worker: %+v\n3 workers: %+v", a, b)
	}
	var progress int
	spec.Progress = func(CapacityProgress) { progress++ }
	sw, err := NewSweeper(spec, ks)
	if err != nil {
		t.Fatal(err)
	}
	if st := sw.State(); st.Done || st.K != ks[0] || st.N != MinN || st.KTotal != len(ks) {
		t.Fatalf("initial state %+v", st)
	}
	calls := 0
	for !sw.Step(97) {
		calls++
		st := sw.State()
		if st.Step > spec.Budget || st.Steps > int64(97*calls) {
			t.Fatalf("state %+v after %d calls of 97 steps", st, calls)
		}
		if calls > 1e6 {
			t.Fatal("Sweeper does not finish")
		}
	}
	if !sw.Done() || !sw.State().Done || !sw.Step(10) {
		t.Fatal("a done Sweeper must stay done")
	}
	if c := sw.Results(); !reflect.DeepEqual(a, c) {
		t.Fatalf("Sweep: %+v\nSweeper: %+v", a, c)
	}
	if progress == 0 {
		t.Error("Progress never called")
	}
	points := 0
	for _, r := range a {
		points += len(r.Tried)
	}
	if st := sw.State(); st.Points != points || st.KDone != len(ks) {
		t.Errorf("final state %+v, want %d points", st, points)
	}
}

func TestSweepCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sweep(ctx, testCapSpec(1000), []int{2}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Sweep: err %v", err)
	}
	if _, err := CheckPoint(ctx, testCapSpec(1000), 2, 11); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled CheckPoint: err %v", err)
	}
}

// TestSweepCancelKeepsFinishedKs: a sweep cancelled part way returns the ks
// whose search had finished. With one worker the seeds run in order: k=1's
// only point (N=2) finishes, then the first k=2 seed cancels the sweep.
func TestSweepCancelKeepsFinishedKs(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	spec := testCapSpec(300)
	spec.MinN, spec.MaxN, spec.Workers = 2, 2, 1
	spec.Progress = func(p CapacityProgress) {
		if p.K == 2 {
			cancel()
		}
	}
	res, err := Sweep(ctx, spec, []int{1, 2})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if len(res) != 1 || res[0].K != 1 || len(res[0].Tried) != 1 {
		t.Fatalf("results %+v, want k=1 alone", res)
	}
}

func TestCapacityBadInput(t *testing.T) {
	ok := testCapSpec(100)
	bad := func(f func(*CapacitySpec)) CapacitySpec {
		s := ok
		s.Seeds = append([]uint64(nil), ok.Seeds...)
		f(&s)
		return s
	}
	specs := map[string]CapacitySpec{
		"zero budget":     bad(func(s *CapacitySpec) { s.Budget = 0 }),
		"huge budget":     bad(func(s *CapacitySpec) { s.Budget = MaxCapacityBudget + 1 }),
		"no seeds":        bad(func(s *CapacitySpec) { s.Seeds = nil }),
		"duplicate seed":  bad(func(s *CapacitySpec) { s.Seeds = []uint64{1, 2, 1} }),
		"seed too large":  bad(func(s *CapacitySpec) { s.Seeds = []uint64{MaxSeed + 1} }),
		"min N too small": bad(func(s *CapacitySpec) { s.MinN = 1 }),
		"max N too large": bad(func(s *CapacitySpec) { s.MaxN = MaxN + 1 }),
		"min above max":   bad(func(s *CapacitySpec) { s.MinN, s.MaxN = 10, 5 }),
		"negative worker": bad(func(s *CapacitySpec) { s.Workers = -1 }),
		"bad lr":          bad(func(s *CapacitySpec) { s.Base.LearningRate = 0 }),
		"bad activation":  bad(func(s *CapacitySpec) { s.Base.Activation = "gelu" }),
		"bad optimizer":   bad(func(s *CapacitySpec) { s.Base.Optimizer = "" }),
	}
	for name, s := range specs {
		if _, err := Sweep(context.Background(), s, []int{2}); err == nil {
			t.Errorf("Sweep with %s: no error", name)
		}
		if _, err := CheckPoint(context.Background(), s, 2, 5); err == nil {
			t.Errorf("CheckPoint with %s: no error", name)
		}
		if _, err := NewSweeper(s, []int{2}); err == nil {
			t.Errorf("NewSweeper with %s: no error", name)
		}
	}
	for name, ks := range map[string][]int{
		"no ks": nil, "negative k": {-1}, "k too large": {MaxK + 1}, "duplicate k": {2, 3, 2},
	} {
		if _, err := Sweep(context.Background(), ok, ks); err == nil {
			t.Errorf("Sweep with %s: no error", name)
		}
		if _, err := NewSweeper(ok, ks); err == nil {
			t.Errorf("NewSweeper with %s: no error", name)
		}
	}
	// k=0 caps N at MaxNDirect; a range entirely above it is an error.
	above := ok
	above.MinN = MaxNDirect + 1
	if _, err := Sweep(context.Background(), above, []int{0}); err == nil {
		t.Error("Sweep with k=0 and min N above MaxNDirect: no error")
	}
	for _, pt := range [][2]int{{-1, 5}, {MaxK + 1, 5}, {2, 1}, {2, MaxN + 1}, {0, MaxNDirect + 1}} {
		if _, err := CheckPoint(context.Background(), ok, pt[0], pt[1]); err == nil {
			t.Errorf("CheckPoint k=%d N=%d: no error", pt[0], pt[1])
		}
	}
	// A nil context is documented to mean context.Background().
	var nilCtx context.Context
	if _, err := CheckPoint(nilCtx, ok, 2, 3); err != nil {
		t.Errorf("CheckPoint with a nil context: %v", err)
	}
}
