package play

import (
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// A run that divergence stopped starts again on reset or on a new config,
// as the divergence message promises; a paused run stays paused.
func TestResetOrRebuildResumesDivergedRun(t *testing.T) {
	c, err := core.ParseFragment("n=11&k=2&act=linear&opt=sgd&lr=10")
	if err != nil {
		t.Fatal(err)
	}
	l := joined(t, c)
	a := l.a
	a.SetRate(0)
	diverge := func() {
		t.Helper()
		for range 500 {
			if err := l.frame(); err != nil {
				return
			}
		}
		t.Fatal("the run did not diverge")
	}
	diverge()
	if a.Running {
		t.Fatal("a diverged run is still running")
	}
	a.Reset()
	if !a.Running || a.Trainer().Diverged() != "" {
		t.Fatal("Reset did not resume the diverged run")
	}
	diverge()
	sane := a.Config()
	sane.LearningRate = 0.1
	if err := a.Apply(sane); err != nil || !a.Running {
		t.Fatalf("Apply after divergence: err %v, running %v", err, a.Running)
	}
	a.Toggle() // paused by the user
	a.Reset()
	if a.Running {
		t.Fatal("Reset started a run the user had paused")
	}
}
