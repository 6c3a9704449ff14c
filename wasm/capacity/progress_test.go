package capacity

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestProgress(t *testing.T) {
	s, errs := Parse("k=1,2&budget=400&seeds=2&max=16")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	jobs, err := core.NewSweepJobs(s.Spec(), s.Ks)
	if err != nil {
		t.Fatal(err)
	}
	p := Progress{Jobs: jobs, MaxN: s.MaxN, Busy: 1, Workers: 2, Running: true, Elapsed: 3456 * time.Millisecond}
	if f := p.Fraction(); f != 0 {
		t.Errorf("nothing tried: fraction %v", f)
	}
	// Running: whole seconds, so the line changes once a second.
	if got, want := p.Text(), "k=1 N=2, k=2 N=2 (0 of 2 k values done) · 1 of 2 workers busy · 0 points tried · 3s"; got != want {
		t.Errorf("running:\n got %q\nwant %q", got, want)
	}
	p.Running, p.Stopped = false, true
	if got := p.Text(); !strings.HasPrefix(got, "Stopped after 0 points and 3.46s;") {
		t.Errorf("stopped: %q", got)
	}
	// Train the sweep to its end, checking the fraction only grows.
	last := 0.0
	for !jobs.Done() {
		j, ok := jobs.Next()
		if !ok {
			t.Fatalf("no job and not done: %+v", jobs.State())
		}
		r, err := core.NewSeedRun(j.Config, j.Budget)
		if err != nil {
			t.Fatal(err)
		}
		for !r.Done() {
			r.Advance(100)
		}
		if _, err := jobs.Report(j.ID, r.Outcome()); err != nil {
			t.Fatal(err)
		}
		f := p.Fraction()
		if f < last || f > 1 || (!jobs.Done() && f >= 1) {
			t.Fatalf("fraction %v after %v (done %v)", f, last, jobs.Done())
		}
		last = f
	}
	if last != 1 {
		t.Errorf("done: fraction %v", last)
	}
	p.Stopped, p.Steps, p.Elapsed = false, 1234, 12345*time.Millisecond
	st := jobs.State()
	want := fmt.Sprintf("Done: 2 k values, %d points tried, 1234 training steps in 12s.", st.Points)
	if got := p.Text(); got != want {
		t.Errorf("done:\n got %q\nwant %q", got, want)
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 workers"}, {1, "1 worker"}, {2, "2 workers"}} {
		if got := Count(c.n, "worker", "workers"); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
