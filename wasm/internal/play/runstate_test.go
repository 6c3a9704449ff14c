package play

import (
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
)

// The hook's run state is the mirror's: core's metrics and digest at the
// step shown, the chart's range, and a digest made again after an edit by
// hand, which changes the weights but not the step.
func TestRunStateIsTheMirrors(t *testing.T) {
	frag := "n=8&k=3&seed=4"
	c, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	l := joined(t, c)
	var r RunReporter
	if s := r.State(l.a); s.Step != 0 || s.Weights != l.a.Trainer().Network().Digest() || s.N != 8 || s.K != 3 {
		t.Fatalf("at step 0: %+v", s)
	}
	for range 40 {
		if err := l.a.Step(); err != nil {
			t.Fatal(err)
		}
	}
	l.settle()
	s := r.State(l.a)
	want := coretest.Trained(t, frag, 40)
	m := want.Metrics()
	if s.Step != 40 || s.Weights != want.Network().Digest() || s.Correct != m.Correct || s.Pairs != m.Pairs ||
		s.Loss == nil || *s.Loss != m.Loss || s.Fragment != c.Encode() || s.Running {
		t.Fatalf("at step 40: %+v, want core's %+v", s, m)
	}
	if s.Chart.First != 0 || s.Chart.Last != 40 || s.Chart.Samples != 41 {
		t.Errorf("chart %+v, want steps 0 to 40, 41 samples", s.Chart)
	}
	if err := l.a.SetWeight(core.LayerW2, 2, 1, 3.5); err != nil {
		t.Fatal(err)
	}
	if e := r.State(l.a); e.Step != 40 || e.Weights == s.Weights || e.Weights != l.a.Trainer().Network().Digest() {
		t.Errorf("after an edit the digest is %s (was %s)", e.Weights, s.Weights)
	}
}
