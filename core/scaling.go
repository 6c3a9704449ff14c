package core

// This file measures how training cost scales with N: a grid of points (k, N)
// trained from a list of seeds, each seed of each point a job. The jobs have
// a fixed order, so that a grid can be split into shards that separate
// machines run, and the shards' outcomes merged back into exactly the table
// of one run.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// ScalingJob is one seed at one point (K, N) of a scaling grid.
type ScalingJob struct {
	K, N int
	Seed uint64
}

// ScalingJobs returns the jobs of the grid ks x ns x seeds, k outermost and
// the seed innermost, in the order given.
func ScalingJobs(ks, ns []int, seeds []uint64) []ScalingJob {
	jobs := make([]ScalingJob, 0, len(ks)*len(ns)*len(seeds))
	for _, k := range ks {
		for _, n := range ns {
			for _, s := range seeds {
				jobs = append(jobs, ScalingJob{K: k, N: n, Seed: s})
			}
		}
	}
	return jobs
}

// ShardJobs returns shard i of count (0 <= i < count): the jobs whose index
// is i modulo count. Dealing the jobs round-robin gives every shard a share
// of the expensive large-N points. It returns an error for a bad i or count.
func ShardJobs(jobs []ScalingJob, i, count int) ([]ScalingJob, error) {
	if count < 1 || i < 0 || i >= count {
		return nil, fmt.Errorf("capacity: shard %d/%d does not exist; shards are 0/n to (n-1)/n with n >= 1", i, count)
	}
	var out []ScalingJob
	for j := i; j < len(jobs); j += count {
		out = append(out, jobs[j])
	}
	return out, nil
}

// ScalingOutcome is one job's result.
type ScalingOutcome struct {
	K, N int
	SeedOutcome
}

// ScalingRow summarises one point of a grid over its seeds.
type ScalingRow struct {
	K, N   int
	Seeds  int // seeds trained
	Solved int // seeds that solved within the budget
	// MedianSteps is the median of the solved seeds' steps to solve, and
	// MaxAbsWeight the largest |parameter| at solve over them; both NaN when
	// no seed solved.
	MedianSteps, MaxAbsWeight float64
}

// SummarizeScaling groups outcomes by point and returns one row per point,
// sorted by k and then N. The outcomes may come in any order (from shards);
// want, when not nil, is the whole grid: every job of it must appear exactly
// once and no other, or SummarizeScaling returns an error naming the first
// missing or unexpected job.
func SummarizeScaling(outcomes []ScalingOutcome, want []ScalingJob) ([]ScalingRow, error) {
	seen := make(map[ScalingJob]bool, len(outcomes))
	for _, o := range outcomes {
		j := ScalingJob{K: o.K, N: o.N, Seed: o.Seed}
		if seen[j] {
			return nil, fmt.Errorf("capacity: k=%d N=%d seed %d appears twice", j.K, j.N, j.Seed)
		}
		seen[j] = true
	}
	if want != nil {
		expected := make(map[ScalingJob]bool, len(want))
		for _, j := range want {
			expected[j] = true
			if !seen[j] {
				return nil, fmt.Errorf("capacity: k=%d N=%d seed %d is missing: is a shard missing or unfinished?", j.K, j.N, j.Seed)
			}
		}
		for _, o := range outcomes {
			if j := (ScalingJob{K: o.K, N: o.N, Seed: o.Seed}); !expected[j] {
				return nil, fmt.Errorf("capacity: k=%d N=%d seed %d is not part of this grid", j.K, j.N, j.Seed)
			}
		}
	}
	points := make(map[[2]int]*PointOutcome)
	for _, o := range outcomes {
		key := [2]int{o.K, o.N}
		p := points[key]
		if p == nil {
			p = &PointOutcome{K: o.K, N: o.N}
			points[key] = p
		}
		p.Seeds = append(p.Seeds, o.SeedOutcome)
	}
	rows := make([]ScalingRow, 0, len(points))
	for _, p := range points {
		solved := PointOutcome{K: p.K, N: p.N}
		for _, s := range p.Seeds {
			if s.Solved {
				solved.Seeds = append(solved.Seeds, s)
			}
		}
		r := ScalingRow{K: p.K, N: p.N, Seeds: len(p.Seeds), Solved: len(solved.Seeds),
			MedianSteps: math.NaN(), MaxAbsWeight: math.NaN()}
		if r.Solved > 0 {
			r.MedianSteps, r.MaxAbsWeight = solved.MedianSteps(), solved.MaxAbsWeight()
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b ScalingRow) int {
		return cmp.Or(cmp.Compare(a.K, b.K), cmp.Compare(a.N, b.N))
	})
	return rows, nil
}

// FitPowerLaw fits y = c * x^e by least squares on log y against log x and
// returns e and c. It uses only pairs with x > 0 and y > 0 (both finite), and
// reports ok = false when fewer than two such pairs with distinct x remain.
// x and y must have the same length; it panics otherwise.
func FitPowerLaw(x, y []float64) (e, c float64, ok bool) {
	if len(x) != len(y) {
		panic("core: FitPowerLaw: x and y differ in length")
	}
	var lx, ly []float64
	for i := range x {
		if x[i] > 0 && y[i] > 0 && isFinite(x[i]) && isFinite(y[i]) {
			lx = append(lx, math.Log(x[i]))
			ly = append(ly, math.Log(y[i]))
		}
	}
	if len(lx) < 2 {
		return 0, 0, false
	}
	var mx, my float64
	for i := range lx {
		mx += lx[i]
		my += ly[i]
	}
	mx /= float64(len(lx))
	my /= float64(len(ly))
	var sxx, sxy float64
	for i := range lx {
		sxx += (lx[i] - mx) * (lx[i] - mx)
		sxy += (lx[i] - mx) * (ly[i] - my)
	}
	if sxx == 0 {
		return 0, 0, false
	}
	e = sxy / sxx
	return e, math.Exp(my - e*mx), true
}
