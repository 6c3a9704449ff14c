package play

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/engine"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// linked is an App joined to a real engine, as in the page but without the
// worker: frames go through protocol.Encode and Decode.
type linked struct {
	t     *testing.T
	a     *App
	e     *engine.Engine
	clock time.Time
}

func joined(t *testing.T, c core.Config) *linked {
	t.Helper()
	a, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	l := &linked{t: t, a: a, clock: time.Unix(0, 0)}
	l.e = engine.New(func() time.Time { l.clock = l.clock.Add(time.Millisecond); return l.clock })
	return l
}

// frame is one drawn frame: the page's commands and ack go to the engine,
// the engine trains a slice if it has work, and the page takes what the
// engine sent. It returns Take's first error.
func (l *linked) frame() error {
	l.t.Helper()
	for _, m := range l.a.Outbox() {
		f, err := protocol.Encode(m)
		if err != nil {
			l.t.Fatalf("the page made a bad message: %v", err)
		}
		if m, err = protocol.Decode(f); err != nil {
			l.t.Fatal(err)
		}
		l.e.Handle(m)
	}
	if l.e.Wait() == 0 {
		l.e.Slice()
	}
	var first error
	for _, m := range l.e.Outbox() {
		if m.Type == protocol.TypeRefused || m.Type == protocol.TypeFault {
			l.t.Fatalf("the engine said: %s", m.Reason)
		}
		if err := l.a.Take(m); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// settle runs frames until the page has seen the engine take every command
// and stop.
func (l *linked) settle() {
	l.t.Helper()
	for range 10_000 {
		l.frame()
		if !l.a.Busy() {
			return
		}
	}
	l.t.Fatal("the run did not settle")
}

// The mirror follows the engine's run exactly: paused after Step clicks and
// a run, it holds the weights core trains natively for the same steps.
func TestMirrorIsCoresRun(t *testing.T) {
	l := joined(t, core.DefaultConfig())
	l.a.SetRate(0)
	for range 5 {
		l.frame()
	}
	l.a.Toggle() // pause
	l.settle()
	for range 7 {
		if err := l.a.Step(); err != nil {
			t.Fatal(err)
		}
	}
	l.settle()
	step := l.a.Trainer().Metrics().Step
	if step < 7 {
		t.Fatalf("step %d after a run and 7 steps", step)
	}
	native, _ := core.NewTrainer(core.DefaultConfig())
	native.Run(step)
	if !reflect.DeepEqual(protocol.Weights(native.Network()), protocol.Weights(l.a.Trainer().Network())) ||
		native.Metrics() != l.a.Trainer().Metrics() {
		t.Fatalf("the mirror at step %d is not core's run: %+v vs %+v", step, l.a.Trainer().Metrics(), native.Metrics())
	}
	for range 20 {
		l.frame()
	}
	if got := l.a.Trainer().Metrics().Step; got != step || l.a.Busy() {
		t.Fatalf("a paused run went on to step %d (busy %v)", got, l.a.Busy())
	}
}

// A state made before the page's latest command is not shown: after a reset
// the mirror never goes back to the steps trained before it.
func TestStaleStatesAreDropped(t *testing.T) {
	l := joined(t, core.DefaultConfig())
	l.a.SetRate(0)
	for range 3 {
		l.frame()
	}
	// The engine has made a state the page has not taken yet.
	for _, m := range l.a.Outbox() {
		l.e.Handle(m)
	}
	l.e.Slice()
	pending := l.e.Outbox()
	l.a.Reset()
	for _, m := range pending {
		l.a.Take(m)
	}
	if got := l.a.Trainer().Metrics().Step; got != 0 || !l.a.Busy() {
		t.Fatalf("after a reset the page shows step %d from a stale state", got)
	}
}

func TestStopsOnDivergence(t *testing.T) {
	c := core.DefaultConfig()
	c.Optimizer, c.LearningRate, c.Activation = core.OptSGD, core.MaxLR, core.ActLinear
	l := joined(t, c)
	l.a.SetRate(0)
	var err error
	for range 2000 {
		if err = l.frame(); err != nil {
			break
		}
	}
	a := l.a
	if !errors.Is(err, ErrStopped) || a.Running || a.Trainer().Diverged() == "" {
		t.Fatalf("err = %v, running = %v, diverged = %q; want a stopped, diverged run", err, a.Running, a.Trainer().Diverged())
	}
	for range 3 {
		l.frame()
	}
	if a.Busy() {
		t.Fatal("a diverged run is still busy")
	}
	if err := a.Step(); !errors.Is(err, core.ErrDiverged) {
		t.Fatalf("Step after divergence: %v", err)
	}
	a.Reset()
	if a.Trainer().Diverged() != "" || a.Trainer().Metrics().Step != 0 {
		t.Fatal("Reset did not restore the run")
	}
	l.settle()
}

func TestApplyRebuildsOnlyOnChange(t *testing.T) {
	a, _ := New(core.DefaultConfig())
	a.Trainer().Run(5)
	v := a.Version()
	if err := a.Apply(core.DefaultConfig()); err != nil || a.Version() != v || a.Trainer().Metrics().Step != 5 {
		t.Fatal("applying the same config restarted the run")
	}
	c := core.DefaultConfig()
	c.K = 3
	if err := a.Apply(c); err != nil || a.Trainer().Metrics().Step != 0 || a.Config().K != 3 {
		t.Fatalf("Apply k=3: err %v, k %d", err, a.Config().K)
	}
	bad := c
	bad.N = 100000
	var fe *core.FieldError
	if err := a.Apply(bad); !errors.As(err, &fe) || fe.Field != "n" || a.Config().N != 11 {
		t.Fatalf("oversized N: err %v, N %d", err, a.Config().N)
	}
}

func TestResetKeepsSeedAndNewSeedChangesIt(t *testing.T) {
	a, _ := New(core.DefaultConfig())
	w0 := a.Trainer().Network().W1.At(0, 0)
	a.Trainer().Run(10)
	a.Reset()
	if a.Trainer().Network().W1.At(0, 0) != w0 {
		t.Fatal("Reset changed the initial weights")
	}
	if err := a.NewSeed(1); err != nil { // same as current: must still change
		t.Fatal(err)
	}
	if a.Config().Seed == 1 || a.Trainer().Network().W1.At(0, 0) == w0 {
		t.Fatal("NewSeed kept the weights")
	}
}

func TestStepPausesAndImportRestores(t *testing.T) {
	l := joined(t, core.DefaultConfig())
	a := l.a
	if err := a.Step(); err != nil || a.Running {
		t.Fatal("Step did not pause")
	}
	l.settle()
	if a.Trainer().Metrics().Step != 1 {
		t.Fatalf("Step took the run to step %d", a.Trainer().Metrics().Step)
	}
	src, _ := core.NewTrainer(core.DefaultConfig())
	src.Run(30)
	data, err := src.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	loss := src.Metrics().Loss
	lb := joined(t, core.DefaultConfig())
	b := lb.a
	if err := b.Import([]byte("{not json")); !errors.Is(err, core.ErrSnapshot) || b.Trainer().Metrics().Step != 0 {
		t.Fatalf("bad import: %v", err)
	}
	if err := b.Import(data); err != nil || b.Trainer().Metrics().Loss != loss || b.Running {
		t.Fatalf("import: %v", err)
	}
	// The engine continues from the imported weights as core does from
	// the snapshot (with its optimizer state).
	lb.settle()
	for range 5 {
		b.Step()
	}
	lb.settle()
	want, err := core.LoadSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	want.Run(5)
	if got := b.Trainer().Metrics(); got != want.Metrics() || !reflect.DeepEqual(protocol.Weights(want.Network()), protocol.Weights(b.Trainer().Network())) {
		t.Fatalf("after import and 5 steps: %+v, want %+v", got, want.Metrics())
	}
}

func TestResizeAndSwitchTaskStayValid(t *testing.T) {
	c := core.DefaultConfig()
	c.Shift = 10
	if r := Resize(c, 5); r.Validate() != nil || r.Shift != 4 {
		t.Fatalf("resize shift: %+v", r)
	}
	c = SwitchTask(core.DefaultConfig(), core.TaskCustom)
	if c.Validate() != nil || core.FormatMap(c.Custom) != "2,3,4,5,6,7,8,9,10,11,-" {
		t.Fatalf("switch to custom: %v %q", c.Validate(), core.FormatMap(c.Custom))
	}
	for _, n := range []int{2, 3, 20} {
		if r := Resize(c, n); r.Validate() != nil {
			t.Fatalf("resize custom to %d: %v", n, r.Validate())
		}
	}
	if s := SwitchTask(c, core.TaskReverse); s.Custom != nil || s.Validate() != nil {
		t.Fatal("switch away from custom kept the map")
	}
}

func TestSetWeightCountsEditsKeepsVersion(t *testing.T) {
	a, err := New(core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	v := a.Version()
	if err := a.SetWeight(core.LayerW2, 3, 1, 7.5); err != nil {
		t.Fatal(err)
	}
	if a.Trainer().Network().W2.At(3, 1) != 7.5 || a.Edits() != 1 || a.Version() != v {
		t.Errorf("after an edit: w %v, edits %d, version %d (was %d)", a.Trainer().Network().W2.At(3, 1), a.Edits(), a.Version(), v)
	}
	if err := a.SetWeight(core.LayerW2, 99, 0, 1); err == nil || a.Edits() != 1 {
		t.Errorf("a refused edit: err %v, edits %d", err, a.Edits())
	}
}

// An imported run keeps the step at which it was first solved, which its
// snapshot records, after the engine has taken it over and trained on.
func TestImportKeepsTheSolvedStep(t *testing.T) {
	src, _ := core.NewTrainer(core.DefaultConfig())
	src.Run(200)
	solved := src.Metrics().SolvedAt
	if solved < 0 || solved >= 200 {
		t.Fatalf("the source run was solved at %d; want a step before 200", solved)
	}
	data, err := src.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	l := joined(t, core.DefaultConfig())
	if err := l.a.Import(data); err != nil {
		t.Fatal(err)
	}
	l.settle()
	if err := l.a.Step(); err != nil {
		t.Fatal(err)
	}
	l.settle()
	if m := l.a.Trainer().Metrics(); m.Step != 201 || m.SolvedAt != solved {
		t.Errorf("after the import and a step: step %d, solved at %d; want 201, solved at %d", m.Step, m.SolvedAt, solved)
	}
	if s, ok := l.a.charts.Loss.Solved(); !ok || s != solved {
		t.Errorf("the chart marks solved at %d (%v), want %d", s, ok, solved)
	}
}
