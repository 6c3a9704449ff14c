package capacity

import (
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// scheduleMakespan runs the sweep of frag on `workers` simulated workers
// that take jobs as the explorer's do (Next, then Speculate if speculate)
// and returns when the last finishes, in cost units: a job costs its steps
// times N²(2k+3) (the step's multiply-adds) plus a fixed 2·10⁵ for starting
// it. outcomes caches each job's outcome, trained natively, by (k, N, seed).
func scheduleMakespan(b *testing.B, frag string, workers int, speculate bool, outcomes map[[3]int]core.SeedOutcome) float64 {
	s, errs := Parse(frag)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	jobs, err := core.NewSweepJobs(s.Spec(), s.Ks)
	if err != nil {
		b.Fatal(err)
	}
	type running struct {
		job core.SeedJob
		end float64
	}
	busy := make([]running, workers)
	now := 0.0
	assign := func() {
		for w := range busy {
			if busy[w].job.ID != 0 {
				continue
			}
			j, ok := jobs.Next()
			if !ok && speculate {
				j, ok = jobs.Speculate()
			}
			if !ok {
				return
			}
			key := [3]int{j.K, j.N, j.SeedIndex}
			o, ok := outcomes[key]
			if !ok {
				r, err := core.NewSeedRun(j.Config, j.Budget)
				if err != nil {
					b.Fatal(err)
				}
				for !r.Done() {
					r.Advance(1 << 20)
				}
				o = r.Outcome()
				outcomes[key] = o
			}
			busy[w] = running{j, now + float64(o.Steps)*float64(j.N*j.N*(2*j.K+3)) + 2e5}
		}
	}
	assign()
	for !jobs.Done() {
		w := -1
		for i, r := range busy {
			if r.job.ID != 0 && (w < 0 || r.end < busy[w].end) {
				w = i
			}
		}
		if w < 0 {
			b.Fatalf("no worker busy and the sweep not done: %+v", jobs.State())
		}
		now = busy[w].end
		j := busy[w].job
		busy[w].job = core.SeedJob{}
		obsolete, err := jobs.Report(j.ID, outcomes[[3]int{j.K, j.N, j.SeedIndex}])
		if err != nil {
			b.Fatal(err)
		}
		for _, id := range obsolete {
			for i := range busy {
				if busy[i].job.ID == id {
					busy[i].job = core.SeedJob{}
				}
			}
		}
		assign()
	}
	return now
}

// BenchmarkSchedule simulates sweeps on 1 and 2 workers, without and with
// speculation (core.SweepJobs.Speculate), and reports the 2-worker speedup:
// the bound the sweep's structure sets on BenchmarkCapacityWorkers's figure
// (site/bench_test.go) when nothing else takes the cores. Its first sweep is
// that benchmark's.
func BenchmarkSchedule(b *testing.B) {
	for _, frag := range []string{
		"k=1,2,3&budget=4000&seeds=3&max=128",
		"k=2&budget=4000&seeds=3&max=128",
		"k=2,3&budget=4000&seeds=3&max=64",
		"k=1,2,3&budget=4000&seeds=4&max=128",
	} {
		b.Run(frag, func(b *testing.B) {
			outcomes := map[[3]int]core.SeedOutcome{}
			for range b.N {
				for _, speculate := range []bool{false, true} {
					one := scheduleMakespan(b, frag, 1, speculate, outcomes)
					two := scheduleMakespan(b, frag, 2, speculate, outcomes)
					name := "speedup-2-vs-1"
					if speculate {
						name = "speedup-2-vs-1-speculating"
					}
					b.ReportMetric(one/two, name)
				}
			}
		})
	}
}
