package play

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// SetCode puts input 3's code where it is asked to, as two weight edits the
// engine takes too: once the engine answers, the page's network is core's
// with that input's weights set, and the code is the place asked for.
func TestSetCodeMovesTheCodeInTheEngine(t *testing.T) {
	const frag = "n=11&k=2"
	c, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	l := joined(t, c)
	a := l.a
	a.Toggle() // pause
	l.settle()
	step := a.Trainer().Metrics().Step
	place := []float64{0.35, -0.6}
	if err := a.SetCode(2, place); err != nil {
		t.Fatal(err)
	}
	if a.Edits() != 2 {
		t.Errorf("edits %d, want 2 (one per hidden unit)", a.Edits())
	}
	l.settle()
	want := coretest.Trained(t, frag, step).Network()
	w, err := core.InputWeightsFor(want, 2, place)
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range w {
		want.W1.Set(h, 2, v)
	}
	got := a.Trainer().Network()
	if got.Digest() != want.Digest() {
		t.Fatalf("after the engine took the drag: digest %s, want %s", got.Digest(), want.Digest())
	}
	// The engine has the edit: a step from there is core's.
	wt := coretest.Trained(t, frag, step)
	for h, v := range w {
		if err := wt.SetWeight(core.LayerW1, h, 2, v); err != nil {
			t.Fatal(err)
		}
	}
	wt.Run(1)
	a.Step()
	l.settle()
	if a.Trainer().Network().Digest() != wt.Network().Digest() {
		t.Fatal("a step after the drag differs from core's")
	}
	if err := a.SetCode(2, place); err != nil {
		t.Fatal(err)
	}
	code := a.Codes().RawRowView(2)
	for h := range place {
		if math.Abs(code[h]-place[h]) > 1e-12 {
			t.Errorf("input 3's code %v, want %v", code, place)
		}
	}
}

// A place the activation cannot reach is refused with the reason, and
// nothing changes or goes to the engine.
func TestSetCodeRefusedKeepsTheRun(t *testing.T) {
	c := core.DefaultConfig()
	c.K = 2
	l := joined(t, c)
	a := l.a
	a.Toggle()
	l.settle()
	before := protocol.Weights(a.Trainer().Network())
	err := a.SetCode(3, []float64{1.2, 0})
	if err == nil || !strings.Contains(err.Error(), "input 4's code cannot go there") || !strings.Contains(err.Error(), "strictly between -1 and 1") {
		t.Fatalf("got %v", err)
	}
	if a.Edits() != 0 || !reflect.DeepEqual(before, protocol.Weights(a.Trainer().Network())) {
		t.Fatal("a refused code changed the run")
	}
	for _, m := range a.Outbox() {
		if m.Type == protocol.TypeSetWeight {
			t.Fatal("a refused code sent an edit")
		}
	}
}

// Fit outputs after 30 steps of 11-2-11 gets every pair right, keeps the
// hidden layer and the step, and the engine trains on from it.
func TestFitOutputsGetsEveryPairRight(t *testing.T) {
	c, err := core.ParseFragment("n=11&k=2")
	if err != nil {
		t.Fatal(err)
	}
	l := joined(t, c)
	a := l.a
	a.Toggle()
	for range 30 {
		a.Step()
	}
	l.settle()
	if m := a.Trainer().Metrics(); m.Step != 30 || m.Correct == m.Pairs {
		t.Fatalf("before fitting: %+v (want step 30 and not yet solved, or the test shows nothing)", m)
	}
	w1 := protocol.Weights(a.Trainer().Network())[:c.N*c.K]
	v := a.Version()
	if err := a.FitOutputs(); err != nil {
		t.Fatal(err)
	}
	l.settle()
	m := a.Trainer().Metrics()
	if m.Step != 30 || m.Correct != m.Pairs || m.MinMargin < core.DefaultMargin || a.Running || a.Version() != v+1 {
		t.Fatalf("after fitting: %+v, running %v", m, a.Running)
	}
	if got := protocol.Weights(a.Trainer().Network())[:c.N*c.K]; !reflect.DeepEqual(got, w1) {
		t.Error("fitting the outputs changed the hidden layer")
	}
}

// Without output biases, a code moved into the middle of the others makes
// its output unwinnable: Fit names it and the run is kept.
func TestFitOutputsNamesTheUnwinnable(t *testing.T) {
	c, err := core.ParseFragment("n=5&k=2&ob=0")
	if err != nil {
		t.Fatal(err)
	}
	l := joined(t, c)
	a := l.a
	if err := a.Construct(); err != nil {
		t.Fatal(err)
	}
	if err := a.SetCode(2, []float64{0.01, 0}); err != nil {
		t.Fatal(err)
	}
	l.settle()
	before := protocol.Weights(a.Trainer().Network())
	v := a.Version()
	err = a.FitOutputs()
	if got := Unwinnable(err); !reflect.DeepEqual(got, []int{2}) {
		t.Fatalf("unwinnable inputs %v (error %v), want [2]", got, err)
	}
	if !strings.Contains(err.Error(), "(input 3,") {
		t.Errorf("the message does not name input 3: %v", err)
	}
	if a.Version() != v || !reflect.DeepEqual(before, protocol.Weights(a.Trainer().Network())) {
		t.Error("a refused fit changed the run")
	}
	if got := a.Unfit(); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("marked inputs %v, want [2]", got)
	}
	if err := a.SetCode(2, []float64{0.5, 0.5}); err != nil {
		t.Fatal(err)
	}
	if got := a.Unfit(); got != nil {
		t.Errorf("after the code moved, still marked: %v", got)
	}
}

// A diverged run has no codes to move or fit to, and is not replaced by a
// network built by hand before its reader has seen why it stopped: all
// three say so and change nothing.
func TestSetCodeAndFitRefuseADivergedRun(t *testing.T) {
	c := core.DefaultConfig()
	c.K = 2
	c.Optimizer, c.LearningRate, c.Activation = core.OptSGD, core.MaxLR, core.ActLinear
	l := joined(t, c)
	l.a.SetRate(0)
	for range 2000 {
		if err := l.frame(); err != nil {
			break
		}
	}
	a := l.a
	if a.Trainer().Diverged() == "" {
		t.Fatal("the run did not diverge")
	}
	before := a.Trainer().Network().Digest()
	if err := a.SetCode(0, []float64{0.1, 0.2}); err == nil || !strings.Contains(err.Error(), "the run diverged") || !strings.Contains(err.Error(), "Reset or rebuild it first") {
		t.Errorf("SetCode on a diverged run: %v", err)
	}
	if err := a.FitOutputs(); err == nil || !strings.Contains(err.Error(), "the run diverged") {
		t.Errorf("FitOutputs on a diverged run: %v", err)
	}
	if err := a.Construct(); err == nil || !strings.Contains(err.Error(), "the run diverged") || !strings.Contains(err.Error(), "then Construct") {
		t.Errorf("Construct on a diverged run: %v", err)
	}
	if a.Trainer().Network().Digest() != before || a.Edits() != 0 || a.BuiltByHand() {
		t.Error("a refused edit changed the diverged run")
	}
}
