package core

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestShardsPartitionTheGrid: for every shard count the shards together hold
// each job exactly once, and a shard is the same every time.
func TestShardsPartitionTheGrid(t *testing.T) {
	jobs := ScalingJobs([]int{1, 3}, []int{8, 16, 32}, []uint64{1, 2, 5})
	if len(jobs) != 18 || jobs[0] != (ScalingJob{1, 8, 1}) || jobs[3] != (ScalingJob{1, 16, 1}) || jobs[17] != (ScalingJob{3, 32, 5}) {
		t.Fatalf("jobs out of order: %v", jobs)
	}
	for count := 1; count <= 20; count++ {
		seen := map[ScalingJob]int{}
		for i := range count {
			a, err := ShardJobs(jobs, i, count)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := ShardJobs(jobs, i, count)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("shard %d/%d differs between calls", i, count)
			}
			for _, j := range a {
				seen[j]++
			}
		}
		if len(seen) != len(jobs) {
			t.Fatalf("%d shards hold %d of %d jobs", count, len(seen), len(jobs))
		}
		for j, c := range seen {
			if c != 1 {
				t.Fatalf("%d shards: %v appears %d times", count, j, c)
			}
		}
	}
	for _, bad := range [][2]int{{0, 0}, {-1, 3}, {3, 3}} {
		if _, err := ShardJobs(jobs, bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("shard %d/%d: %v", bad[0], bad[1], err)
		}
	}
}

// TestSummarizeScalingIgnoresOrder: shuffled outcomes give the same rows,
// medians and largest weights are over the solved seeds only, and missing,
// repeated or foreign jobs are errors.
func TestSummarizeScalingIgnoresOrder(t *testing.T) {
	jobs := ScalingJobs([]int{2}, []int{4, 8}, []uint64{1, 2, 3})
	var outs []ScalingOutcome
	for i, j := range jobs {
		o := ScalingOutcome{K: j.K, N: j.N, SeedOutcome: SeedOutcome{Seed: j.Seed, Solved: true, Steps: 10 * (i + 1), MaxAbsWeight: float64(i)}}
		if j.N == 8 && j.Seed == 3 {
			o.Solved, o.Steps, o.MaxAbsWeight = false, 1000, 99
		}
		outs = append(outs, o)
	}
	rows, err := SummarizeScaling(outs, jobs)
	if err != nil {
		t.Fatal(err)
	}
	want := []ScalingRow{
		{K: 2, N: 4, Seeds: 3, Solved: 3, MedianSteps: 20, MaxAbsWeight: 2},
		{K: 2, N: 8, Seeds: 3, Solved: 2, MedianSteps: 45, MaxAbsWeight: 4},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows %+v\nwant %+v", rows, want)
	}
	shuffled := append([]ScalingOutcome(nil), outs...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if again, _ := SummarizeScaling(shuffled, jobs); !reflect.DeepEqual(again, rows) {
		t.Errorf("shuffled outcomes gave %+v", again)
	}
	if _, err := SummarizeScaling(outs[1:], jobs); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a missing job: %v", err)
	}
	if _, err := SummarizeScaling(append(outs, outs[2]), jobs); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a repeated job: %v", err)
	}
	if _, err := SummarizeScaling(outs, jobs[:5]); err == nil || !strings.Contains(err.Error(), "not part") {
		t.Errorf("a foreign job: %v", err)
	}
	none, _ := SummarizeScaling([]ScalingOutcome{{K: 1, N: 9, SeedOutcome: SeedOutcome{Seed: 1, Steps: 5}}}, nil)
	if len(none) != 1 || none[0].Solved != 0 || !math.IsNaN(none[0].MedianSteps) || !math.IsNaN(none[0].MaxAbsWeight) {
		t.Errorf("no seed solved: %+v, want NaN median and weight", none)
	}
}

func TestFitPowerLaw(t *testing.T) {
	x := []float64{8, 16, 32, 64, 0, 128}
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = 3 * math.Pow(v, 1.5)
	}
	y[4] = math.NaN() // skipped with its x = 0
	e, c, ok := FitPowerLaw(x, y)
	if !ok || math.Abs(e-1.5) > 1e-12 || math.Abs(c-3) > 1e-9 {
		t.Errorf("fit %g x^%g (%v), want 3 x^1.5", c, e, ok)
	}
	if _, _, ok := FitPowerLaw([]float64{4, 4}, []float64{1, 2}); ok {
		t.Error("a fit through one distinct x reported ok")
	}
	if _, _, ok := FitPowerLaw([]float64{4}, []float64{1}); ok {
		t.Error("a fit through one point reported ok")
	}
}
