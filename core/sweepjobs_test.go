package core

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
)

// runJobs drives s with `trainers` simulated trainers that finish their jobs
// in an order chosen by rng, training each job with SeedRun in slices of
// `slice` steps, and returns the results. With speculate, a trainer that
// Next leaves idle takes a job from Speculate; ahead then gets the
// speculative jobs handed out.
func runJobs(t *testing.T, s *SweepJobs, trainers, slice int, rng *rand.Rand, speculate bool) (res []KCapacity, ahead []SeedJob) {
	t.Helper()
	type running struct {
		job SeedJob
		run *SeedRun
	}
	var busy []*running
	dropped := map[int]bool{}
	for rounds := 0; !s.Done(); rounds++ {
		if rounds > 1e7 {
			t.Fatal("the sweep does not finish")
		}
		for len(busy) < trainers {
			j, ok := s.Next()
			if !ok && speculate {
				if j, ok = s.Speculate(); ok {
					ahead = append(ahead, j)
				}
			}
			if !ok {
				break
			}
			r, err := NewSeedRun(j.Config, j.Budget)
			if err != nil {
				t.Fatal(err)
			}
			busy = append(busy, &running{j, r})
		}
		if len(busy) == 0 {
			t.Fatalf("nothing to do and not done: %+v", s.State())
		}
		i := rng.IntN(len(busy))
		b := busy[i]
		b.run.Advance(slice)
		if !b.run.Done() {
			continue
		}
		busy = append(busy[:i], busy[i+1:]...)
		if dropped[b.job.ID] {
			// A trainer that missed the cancel reports anyway: ignored.
			if obs, err := s.Report(b.job.ID, b.run.Outcome()); err != nil || obs != nil {
				t.Fatalf("late report of dropped job %d: %v, %v", b.job.ID, obs, err)
			}
			continue
		}
		obs, err := s.Report(b.job.ID, b.run.Outcome())
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range obs {
			dropped[id] = true
			// Half the time the trainer stops at once, half the time it
			// finishes and reports late.
			if rng.IntN(2) == 0 {
				for k, x := range busy {
					if x.job.ID == id {
						busy = append(busy[:k], busy[k+1:]...)
						break
					}
				}
			}
		}
	}
	if st := s.State(); !st.Done || st.Queued != 0 || st.KDone != st.KTotal {
		t.Errorf("final state %+v", st)
	}
	if _, ok := s.Next(); ok {
		t.Error("a done SweepJobs hands out a job")
	}
	if _, ok := s.Speculate(); ok {
		t.Error("a done SweepJobs speculates")
	}
	return s.Results(), ahead
}

// Whatever the number of trainers and the order in which they finish, and
// whether idle trainers speculate or wait, SweepJobs gives Sweep's results.
func TestSweepJobsEqualSweep(t *testing.T) {
	spec := sweepK1()
	spec.Budget, spec.MaxN = 1000, 16
	ks := []int{1, 2}
	if testing.Short() {
		ks = []int{1}
	}
	want, err := Sweep(context.Background(), spec, ks)
	if err != nil {
		t.Fatal(err)
	}
	tried := map[SweepPoint]bool{}
	points := 0
	for _, r := range want {
		points += len(r.Tried)
		for _, p := range r.Tried {
			tried[SweepPoint{r.K, p.N}] = true
		}
	}
	for _, speculate := range []bool{false, true} {
		for _, trainers := range []int{1, 2, 5} {
			for seed := range uint64(3) {
				s, err := NewSweepJobs(spec, ks)
				if err != nil {
					t.Fatal(err)
				}
				got, ahead := runJobs(t, s, trainers, 37+int(seed)*50, rand.New(rand.NewPCG(seed, uint64(trainers))), speculate)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%d trainers, order %d, speculate %v:\n got %+v\nwant %+v", trainers, seed, speculate, got, want)
				}
				for _, r := range want {
					if tr := s.Tried(r.K); !reflect.DeepEqual(tr, r.Tried) {
						t.Errorf("Tried(%d) = %v, want %v", r.K, tr, r.Tried)
					}
				}
				if st := s.State(); st.Points != points || st.Steps <= 0 || st.Ahead != 0 || st.Out != 0 {
					t.Errorf("state %+v, want %d points and no job out", st, points)
				}
				// Some guesses were right: their points were evaluated (and
				// TestSweepJobsSpeculate checks that such a job is taken).
				right := 0
				for _, j := range ahead {
					if tried[SweepPoint{j.K, j.N}] {
						right++
					}
				}
				if speculate && trainers > 1 && right == 0 {
					t.Errorf("%d trainers, order %d: none of %d speculative jobs was of a point evaluated", trainers, seed, len(ahead))
				}
			}
		}
	}
}

// Speculate hands out the seeds of the point after the current one, as if
// it solved, only once the current point's seeds are all out. An outcome
// reported ahead is taken when the search gets there: Next then hands out
// only the other seeds. When the current point fails, the speculative jobs
// still training are returned as obsolete.
func TestSweepJobsSpeculate(t *testing.T) {
	spec := testCapSpec(2000)
	spec.MinN, spec.MaxN = 4, 16 // 4-2-4, then 8-2-8 if it solves
	s, err := NewSweepJobs(spec, []int{2})
	if err != nil {
		t.Fatal(err)
	}
	train := func(j SeedJob) SeedOutcome {
		r, err := NewSeedRun(j.Config, j.Budget)
		if err != nil {
			t.Fatal(err)
		}
		for !r.Done() {
			r.Advance(500)
		}
		return r.Outcome()
	}
	first := []SeedJob{}
	for range 2 {
		j, _ := s.Next()
		first = append(first, j)
	}
	if _, ok := s.Speculate(); ok {
		t.Fatal("speculated while the current point has a seed queued")
	}
	j, _ := s.Next()
	first = append(first, j)
	a, ok := s.Speculate()
	if !ok || a.K != 2 || a.N != 8 || a.SeedIndex != 0 {
		t.Fatalf("speculative job %+v, %v; want seed 0 of 8-2-8", a, ok)
	}
	b, _ := s.Speculate()
	if b.N != 8 || b.SeedIndex != 1 || b.ID == a.ID {
		t.Fatalf("second speculative job %+v", b)
	}
	ao := train(a)
	if !ao.Solved {
		t.Fatal("8-2-8 seed 1 did not solve")
	}
	if obs, err := s.Report(a.ID, ao); err != nil || obs != nil {
		t.Fatalf("reporting a speculative job: %v, %v", obs, err)
	}
	if _, err := s.Report(b.ID, SeedOutcome{Seed: b.Config.Seed + 1}); err == nil {
		t.Error("a speculative outcome of another seed was accepted")
	}
	for _, j := range first {
		o := train(j)
		if !o.Solved {
			t.Fatalf("4-2-4 seed %d did not solve", j.Config.Seed)
		}
		if obs, err := s.Report(j.ID, o); err != nil || obs != nil {
			t.Fatalf("report %d: %v, %v", j.ID, obs, err)
		}
	}
	// 8-2-8: seed 0 is in, seed 1 is out (b), seed 2 waits for Next.
	if st := s.State(); st.Queued != 1 || st.Out != 1 || st.Ahead != 0 || !reflect.DeepEqual(st.Evaluating, []SweepPoint{{2, 8}}) {
		t.Fatalf("after 4-2-4: %+v", st)
	}
	c, _ := s.Next()
	if c.N != 8 || c.SeedIndex != 2 {
		t.Fatalf("Next after 4-2-4 gave %+v, want seed 2 of 8-2-8", c)
	}
	// 16-2-16 ahead, then 8-2-8 fails (an outcome made up for the test):
	// the speculative job is obsolete, and so is b; the search goes on at 6.
	d, ok := s.Speculate()
	if !ok || d.N != 16 {
		t.Fatalf("speculative job %+v, %v; want 16-2-16", d, ok)
	}
	obs, err := s.Report(c.ID, SeedOutcome{Seed: c.Config.Seed, Solved: false, Steps: 2000})
	if err != nil || !reflect.DeepEqual(obs, []int{b.ID, d.ID}) {
		t.Fatalf("obsolete %v, %v; want [%d %d]", obs, err, b.ID, d.ID)
	}
	if st := s.State(); st.Ahead != 0 || st.Out != 0 || st.Queued != 3 || !reflect.DeepEqual(st.Evaluating, []SweepPoint{{2, 6}}) {
		t.Errorf("after 8-2-8 failed: %+v", st)
	}
	if tr := s.Tried(2); !reflect.DeepEqual(tr, []TriedPoint{{4, true}, {8, false}}) {
		t.Errorf("tried %v", tr)
	}
}

// The first seed failing settles its point: the other seeds handed out are
// returned as obsolete and the queued ones are never handed out.
func TestSweepJobsDropsSeedsOfAFailedPoint(t *testing.T) {
	spec := testCapSpec(10)
	spec.MinN, spec.MaxN = 64, 64 // 10 steps never solve 64-1-64
	s, err := NewSweepJobs(spec, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Next()
	b, _ := s.Next()
	if st := s.State(); st.Queued != 1 || st.Out != 2 || !reflect.DeepEqual(st.Evaluating, []SweepPoint{{1, 64}}) {
		t.Fatalf("state %+v", st)
	}
	r, _ := NewSeedRun(b.Config, b.Budget)
	for !r.Done() {
		r.Advance(100)
	}
	if r.Outcome().Solved {
		t.Fatal("64-1-64 solved in 10 steps")
	}
	obs, err := s.Report(b.ID, r.Outcome())
	if err != nil || !reflect.DeepEqual(obs, []int{a.ID}) {
		t.Fatalf("obsolete %v, %v; want [%d]", obs, err, a.ID)
	}
	if !s.Done() {
		t.Fatalf("not done: %+v", s.State())
	}
	if _, ok := s.Next(); ok {
		t.Error("the failed point's third seed was handed out")
	}
	res := s.Results()
	if len(res) != 1 || res[0].MaxN != 0 || !reflect.DeepEqual(res[0].Tried, []TriedPoint{{64, false}}) {
		t.Errorf("results %+v", res)
	}
}

func TestSweepJobsBadInput(t *testing.T) {
	if _, err := NewSweepJobs(CapacitySpec{}, []int{1}); err == nil {
		t.Error("a zero spec was accepted")
	}
	if _, err := NewSweepJobs(testCapSpec(10), []int{1, 1}); err == nil {
		t.Error("a repeated k was accepted")
	}
	s, err := NewSweepJobs(testCapSpec(10), []int{1})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := s.Next()
	if _, err := s.Report(999, SeedOutcome{Seed: 1}); err == nil {
		t.Error("a report of a job never handed out was accepted")
	}
	if _, err := s.Report(j.ID, SeedOutcome{Seed: j.Config.Seed + 1, Solved: true}); err == nil {
		t.Error("an outcome of another seed was accepted")
	}
	if st := s.State(); st.Out != 1 || st.Points != 0 {
		t.Errorf("a refused report changed the sweep: %+v", st)
	}
	if _, err := NewSeedRun(j.Config, 0); err == nil {
		t.Error("a zero budget was accepted")
	}
	bad := j.Config
	bad.N = 0
	if _, err := NewSeedRun(bad, 10); err == nil {
		t.Error("an invalid config was accepted")
	}
}
