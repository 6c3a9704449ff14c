package play

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestTickRespectsSpeedAndPause(t *testing.T) {
	a, err := New(core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	a.Speed = 7
	a.Budget = time.Hour
	if n, err := a.Tick(time.Now); n != 7 || err != nil {
		t.Fatalf("Tick = %d, %v; want 7 steps", n, err)
	}
	a.Toggle()
	if n, _ := a.Tick(time.Now); n != 0 {
		t.Fatalf("paused Tick took %d steps", n)
	}
	if got := a.Trainer().Metrics().Step; got != 7 {
		t.Fatalf("step = %d, want 7", got)
	}
}

func TestTickStopsAtBudgetButTakesOneStep(t *testing.T) {
	a, _ := New(core.DefaultConfig())
	a.Speed = 100
	a.Budget = time.Millisecond
	clock := time.Unix(0, 0)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	if n, _ := a.Tick(now); n != 1 {
		t.Fatalf("Tick with an exhausted budget took %d steps, want 1", n)
	}
}

func TestTickStopsOnDivergence(t *testing.T) {
	c := core.DefaultConfig()
	c.Optimizer, c.LearningRate, c.Activation = core.OptSGD, core.MaxLR, core.ActLinear
	a, _ := New(c)
	a.Speed, a.Budget = 500, time.Hour
	var err error
	for range 200 {
		if _, err = a.Tick(time.Now); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrStopped) || a.Running || a.Trainer().Diverged() == "" {
		t.Fatalf("err = %v, running = %v, diverged = %q; want a stopped, diverged run", err, a.Running, a.Trainer().Diverged())
	}
	a.Reset()
	if a.Trainer().Diverged() != "" || a.Trainer().Metrics().Step != 0 {
		t.Fatal("Reset did not restore the run")
	}
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
	a, _ := New(core.DefaultConfig())
	if err := a.Step(); err != nil || a.Running || a.Trainer().Metrics().Step != 1 {
		t.Fatal("Step did not pause and step once")
	}
	a.Trainer().Run(30)
	data, err := a.Trainer().MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	loss := a.Trainer().Metrics().Loss
	b, _ := New(core.DefaultConfig())
	if err := b.Import([]byte("{not json")); !errors.Is(err, core.ErrSnapshot) || b.Trainer().Metrics().Step != 0 {
		t.Fatalf("bad import: %v", err)
	}
	if err := b.Import(data); err != nil || b.Trainer().Metrics().Loss != loss || b.Running {
		t.Fatalf("import: %v", err)
	}
}

func TestSpeedMapping(t *testing.T) {
	if SpeedSteps(0) != 1 || SpeedSteps(SpeedMax) != MaxSteps || SpeedSteps(-5) != 1 {
		t.Fatal("speed ends wrong")
	}
	prev := 0
	for v := 0; v <= SpeedMax; v++ {
		s := SpeedSteps(v)
		if s < prev {
			t.Fatalf("not monotonic at %d", v)
		}
		prev = s
	}
	for _, s := range []int{1, 3, 10, 100, 500} {
		if got := SpeedSteps(SpeedValue(s)); math.Abs(float64(got-s)) > float64(s)/10+1 {
			t.Fatalf("round trip %d -> %d", s, got)
		}
	}
}

func TestQueueDrainsInOrderIncludingNested(t *testing.T) {
	var q Queue
	var got []int
	q.Push(func() { got = append(got, 1); q.Push(func() { got = append(got, 3) }) })
	q.Push(func() { got = append(got, 2) })
	if n := q.Drain(); n != 3 || len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("drained %d: %v", n, got)
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

func TestLayoutGeometry(t *testing.T) {
	l := NewLayout(800, 600, 11, 2, 1)
	if len(l.In) != 11 || len(l.Out) != 11 || len(l.Hidden) != 2 || !l.Numbers || !l.Labels {
		t.Fatalf("11-2-11 layout: %+v", l)
	}
	for i := 1; i < 11; i++ {
		if l.In[i].Y <= l.In[i-1].Y || l.In[i].X != l.In[0].X || l.Out[i].X <= l.Hidden[0].X {
			t.Fatal("columns out of order")
		}
	}
	if l.In[0].X-l.NumW < 0 || l.Out[0].X+l.NumW > 800 {
		t.Fatal("numbers do not fit on the canvas")
	}
	for i, p := range l.In {
		if n, ok := l.HitNode(p.X+1, p.Y-1); !ok || n != (Node{LayerIn, i}) {
			t.Fatalf("HitNode input %d = %v %v", i, n, ok)
		}
	}
	if n, ok := l.HitNode(l.Hidden[1].X, l.Hidden[1].Y); !ok || n != (Node{LayerHidden, 1}) {
		t.Fatal("hidden node not hit")
	}
	a, b := l.In[3], l.Hidden[1]
	if e, ok := l.HitEdge((a.X+b.X)/2, (a.Y+b.Y)/2); !ok || e != (Edge{LayerIn, 3, 1}) {
		t.Fatalf("HitEdge = %v %v", e, ok)
	}
	a, b = l.Hidden[0], l.Out[7]
	if e, ok := l.HitEdge(a.X*0.3+b.X*0.7, a.Y*0.3+b.Y*0.7); !ok || e != (Edge{LayerOut, 0, 7}) {
		t.Fatalf("HitEdge W2 = %v %v", e, ok)
	}
	big := NewLayout(800, 600, 1024, 16, 1)
	if big.Numbers || big.Labels || big.R <= 0 {
		t.Fatal("a 1024 network must drop numbers and labels")
	}
	if _, ok := big.HitNode(big.In[500].X, big.In[500].Y); !ok {
		t.Fatal("dense column not hit")
	}
	direct := NewLayout(800, 600, 5, 0, 1)
	if direct.Hidden != nil || direct.Edges() != 25 {
		t.Fatal("direct layout")
	}
	a, b = direct.In[0], direct.Out[4]
	if e, ok := direct.HitEdge(a.X*0.9+b.X*0.1, a.Y*0.9+b.Y*0.1); !ok || e != (Edge{LayerIn, 0, 4}) {
		t.Fatalf("direct HitEdge = %v", e)
	}
}

func TestStrokeGrowsWithWeight(t *testing.T) {
	l := NewLayout(800, 600, 11, 2, 1)
	w0, a0 := l.Stroke(0)
	w1, a1 := l.Stroke(1)
	if !(w1 > w0 && a1 > a0 && a1 <= 1 && a0 > 0) {
		t.Fatalf("stroke %v %v -> %v %v", w0, a0, w1, a1)
	}
	q := Quad(Point{0, 0}, Point{10, 0}, 2)
	if q[0].Y != 1 || q[1].Y != -1 || q[2].X != 10 {
		t.Fatalf("quad %v", q)
	}
}

func TestFrameBudget(t *testing.T) {
	for _, tc := range []struct{ overhead, want time.Duration }{
		{0, MaxBudget},
		{2 * time.Millisecond, 6 * time.Millisecond},
		{3 * time.Millisecond, 5 * time.Millisecond},
		{7500 * time.Microsecond, MinBudget},
		{time.Second, MinBudget},
	} {
		if got := FrameBudget(FrameTarget, tc.overhead); got != tc.want {
			t.Errorf("FrameBudget(%v, %v) = %v, want %v", FrameTarget, tc.overhead, got, tc.want)
		}
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
