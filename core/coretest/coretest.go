// Package coretest holds test helpers shared by the packages that check their
// results against core: the engine, the protocol, the figures and the
// browser tests all compare what they show with a native run.
package coretest

import (
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Trained returns a trainer for the run that fragment (a URL fragment without
// the '#', as core.ParseFragment takes it) describes, after steps full-batch
// steps. It fails t at once when the fragment or the config is bad, so a
// test never compares with a run it did not mean.
func Trained(t testing.TB, fragment string, steps int) *core.Trainer {
	t.Helper()
	cfg, err := core.ParseFragment(fragment)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := core.NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(steps)
	return tr
}
