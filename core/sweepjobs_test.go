package core

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
)

// runJobs drives s with `trainers` simulated trainers that finish their jobs
// in an order chosen by rng, training each job with SeedRun in slices of
// `slice` steps, and returns the results.
func runJobs(t *testing.T, s *SweepJobs, trainers, slice int, rng *rand.Rand) []KCapacity {
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
	return s.Results()
}

// Whatever the number of trainers and the order in which they finish,
// SweepJobs gives Sweep's results.
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
	for _, trainers := range []int{1, 2, 5} {
		for seed := range uint64(3) {
			s, err := NewSweepJobs(spec, ks)
			if err != nil {
				t.Fatal(err)
			}
			got := runJobs(t, s, trainers, 37+int(seed)*50, rand.New(rand.NewPCG(seed, uint64(trainers))))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d trainers, order %d:\n got %+v\nwant %+v", trainers, seed, got, want)
			}
			points := 0
			for _, r := range want {
				points += len(r.Tried)
				if tr := s.Tried(r.K); !reflect.DeepEqual(tr, r.Tried) {
					t.Errorf("Tried(%d) = %v, want %v", r.K, tr, r.Tried)
				}
			}
			if st := s.State(); st.Points != points || st.Steps <= 0 {
				t.Errorf("state %+v, want %d points", st, points)
			}
		}
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
