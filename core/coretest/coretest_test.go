package coretest

import (
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestTrainedIsTheFragmentsRunAfterSteps(t *testing.T) {
	tr := Trained(t, "n=5&k=2&seed=3", 40)
	cfg, err := core.ParseFragment("n=5&k=2&seed=3")
	if err != nil {
		t.Fatal(err)
	}
	want, err := core.NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for range 40 {
		if err := want.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if got := tr.Metrics(); got.Step != 40 || got.Loss != want.Metrics().Loss {
		t.Errorf("Trained gave step %d loss %v, want step 40 loss %v", got.Step, got.Loss, want.Metrics().Loss)
	}
	if got := tr.Config(); got.Encode() != cfg.Encode() {
		t.Errorf("Trained's config %q, want %q", got.Encode(), cfg.Encode())
	}
}
