package play

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// Construct shows core's hand-built network at once, paused at step 0; the
// engine takes it as an import and trains on from it exactly as core does.
func TestConstructGoesToTheEngineAndTrainsOn(t *testing.T) {
	c := core.DefaultConfig()
	c.N = 64
	l := joined(t, c)
	a := l.a
	a.Toggle() // pause
	l.settle()
	v := a.Version()
	if err := a.Construct(); err != nil {
		t.Fatal(err)
	}
	want, err := core.Construct(c)
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		if got := a.Trainer().Metrics(); got != want.Metrics() || !reflect.DeepEqual(protocol.Weights(want.Network()), protocol.Weights(a.Trainer().Network())) {
			t.Fatalf("%s: %+v, want %+v", when, got, want.Metrics())
		}
	}
	if a.Running || a.Version() != v+1 || !a.BuiltByHand() {
		t.Fatalf("after Construct: running %v, version %d (was %d), built by hand %v", a.Running, a.Version(), v, a.BuiltByHand())
	}
	check("the mirror at once")
	if m := a.Trainer().Metrics(); m.Step != 0 || m.Correct != m.Pairs || m.SolvedAt != 0 {
		t.Fatalf("constructed: %+v", m)
	}
	l.settle()
	check("once the engine took it")
	for range 5 {
		a.Step()
	}
	l.settle()
	want.Run(5)
	check("after 5 steps")
	if !a.BuiltByHand() {
		t.Error("training on made the run no longer built by hand")
	}
	a.Reset()
	if a.BuiltByHand() {
		t.Error("a reset run still counts as built by hand")
	}
}

// A config without a solution is refused with core's reason and the run is
// kept: nothing goes to the engine.
func TestConstructRefusedKeepsTheRun(t *testing.T) {
	c := core.DefaultConfig()
	c.K, c.OutputBias = 1, false
	l := joined(t, c)
	a := l.a
	a.Toggle() // pause
	l.settle()
	before := protocol.Weights(a.Trainer().Network())
	v, step := a.Version(), a.Trainer().Metrics().Step
	err := a.Construct()
	if !errors.Is(err, core.ErrNotConstructible) || !strings.Contains(err.Error(), "at most 2 of the task's 10 pairs") {
		t.Fatalf("got %v", err)
	}
	if a.Version() != v || a.Trainer().Metrics().Step != step || a.BuiltByHand() || !reflect.DeepEqual(before, protocol.Weights(a.Trainer().Network())) {
		t.Fatal("a refused Construct changed the run")
	}
	for _, m := range a.Outbox() {
		if m.Type == protocol.TypeImport {
			t.Fatal("a refused Construct sent an import")
		}
	}
}

// A link's lock on the weights refuses every edit by hand and leaves the run
// as it was; EditedByHand says when the link no longer gives the weights.
func TestLockWeightsAndEditedByHand(t *testing.T) {
	l := joined(t, core.DefaultConfig())
	a := l.a
	if a.EditedByHand() {
		t.Fatal("a new run is edited by hand")
	}
	_, locks, err := uikeys.Split("lock=weights")
	if err != nil {
		t.Fatal(err)
	}
	why := locks.WeightsRefusal()
	a.SetLocks(locks)
	before, edits := a.Trainer().Network().Digest(), a.Edits()
	for name, f := range map[string]func() error{
		"SetWeight":  func() error { return a.SetWeight(core.LayerW2, 1, 0, 2) },
		"SetCode":    func() error { return a.SetCode(2, []float64{0.1, 0.2}) },
		"Construct":  a.Construct,
		"FitOutputs": a.FitOutputs,
		"Import":     func() error { return a.Import([]byte(`{}`)) },
	} {
		if err := f(); err == nil || err.Error() != why || !errors.Is(err, ErrLocked) {
			t.Errorf("%s under the lock: %v", name, err)
		}
	}
	if a.Trainer().Network().Digest() != before || a.Edits() != edits || a.EditedByHand() {
		t.Fatal("a refused edit changed the run")
	}
	a.SetLocks(uikeys.UI{})
	if err := a.SetWeight(core.LayerW2, 1, 0, 2); err != nil || !a.EditedByHand() {
		t.Fatalf("an edit without the lock: %v, edited by hand %v", err, a.EditedByHand())
	}
	a.Reset()
	if a.EditedByHand() {
		t.Error("a reset run is still edited by hand")
	}
	if err := a.Construct(); err != nil || !a.EditedByHand() {
		t.Errorf("Construct: %v, edited by hand %v", err, a.EditedByHand())
	}
}

// The link's locks on parameters refuse every path that would change them
// (Apply, NewSeed, Import), and not the link's own run (ApplyLink).
func TestLocksRefuseEveryPath(t *testing.T) {
	l := joined(t, core.DefaultConfig())
	a := l.a
	_, locks, err := uikeys.Split("lock=k,seed")
	if err != nil {
		t.Fatal(err)
	}
	a.SetLocks(locks)
	k3 := a.Config()
	k3.K = 3
	if err := a.Apply(k3); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "lock=k") {
		t.Errorf("Apply of k=3 under lock=k: %v", err)
	}
	if err := a.NewSeed(7); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "lock=seed") {
		t.Errorf("NewSeed under lock=seed: %v", err)
	}
	other := coretest.Trained(t, "n=11&k=3", 5)
	data, err := other.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Import(data); !errors.Is(err, ErrLocked) {
		t.Errorf("Import of a k=3 file under lock=k: %v", err)
	}
	if a.Config().K != 2 {
		t.Fatalf("a refused change changed the run: k = %d", a.Config().K)
	}
	lr := a.Config()
	lr.LearningRate = 0.05
	if err := a.Apply(lr); err != nil {
		t.Errorf("Apply of a free parameter: %v", err)
	}
	if err := a.ApplyLink(k3); err != nil || a.Config().K != 3 {
		t.Errorf("the link's own run: %v, k = %d", err, a.Config().K)
	}
}
