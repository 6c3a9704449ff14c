package play

import (
	"math"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestWalkMoveWrapsAndAutoCycles(t *testing.T) {
	w := NewWalk()
	w.Move(-1, 5)
	if w.Selected != 4 {
		t.Fatalf("up from nothing = %d, want the last input", w.Selected)
	}
	w.Move(1, 5)
	if w.Selected != 0 {
		t.Fatalf("down from the last = %d, want wrap to 0", w.Selected)
	}
	w.Tick(0.3, 5)
	if in, out := w.Progress(); in != 0.5 || out != 0 {
		t.Fatalf("progress at 0.3 s = %v %v", in, out)
	}
	w.SetAuto(true, 5)
	for range 10 {
		w.Tick(AutoPeriod/10+1e-9, 5)
	}
	if w.Selected != 1 || w.Age > AutoPeriod/5 {
		t.Fatalf("auto after one period: selected %d age %v", w.Selected, w.Age)
	}
	w.Tick(0.01, 1) // N shrank under the selection
	if w.Selected != 0 {
		t.Fatalf("after N shrank to 1 auto picked %d", w.Selected)
	}
	w.Auto = false
	w.Tick(1, 0)
	if w.Selected != -1 {
		t.Fatalf("selection kept on an empty network: %d", w.Selected)
	}
}

func TestDragWeightAndEdgeParam(t *testing.T) {
	if got := DragWeight(1, -50, 2); math.Abs(got-2) > 1e-9 {
		t.Fatalf("dragging up 25 CSS px at 2x = %v, want 2", got)
	}
	c := core.DefaultConfig()
	tr, err := core.NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	net := tr.Network()
	for _, e := range []Edge{{LayerIn, 3, 1}, {LayerOut, 1, 7}} {
		l, r, col := EdgeParam(e, net.K)
		if err := tr.SetWeight(l, r, col, 4.25); err != nil {
			t.Fatal(err)
		}
		if EdgeWeight(net, e) != 4.25 {
			t.Fatalf("edge %v: weight %v after SetWeight", e, EdgeWeight(net, e))
		}
	}
	if net.W1.At(1, 3) != 4.25 || net.W2.At(7, 1) != 4.25 {
		t.Fatal("EdgeParam points at the wrong parameter")
	}
}

func TestSplitPanels(t *testing.T) {
	wide := SplitPanels(1800, 1200, 2)
	if wide.Stacked || wide.Net.W < wide.Hidden.W || wide.Hidden.Y != 0 || wide.Chart.Y != wide.Hidden.H ||
		wide.Net.W+wide.Hidden.W != 1800 || wide.Chart.Y+wide.Chart.H != 1200 {
		t.Fatalf("wide: %+v", wide)
	}
	phone := SplitPanels(358*3, 700*3, 3)
	if !phone.Stacked || phone.Hidden.Empty() || phone.Chart.Empty() || phone.Net.H < phone.Hidden.H ||
		phone.Hidden.Y != phone.Net.H || phone.Chart.X != phone.Hidden.W {
		t.Fatalf("phone: %+v", phone)
	}
	tiny := SplitPanels(300, 250, 1)
	if !tiny.Hidden.Empty() || tiny.Net.W != 300 {
		t.Fatalf("tiny canvas must show the network alone: %+v", tiny)
	}
	l := NewLayoutIn(Rect{100, 50, 600, 400}, 60, 11, 2, 1)
	if l.In[0].X < 100 || l.Out[0].X > 640 || l.In[0].Y < 50 {
		t.Fatalf("offset layout: %v %v", l.In[0], l.Out[0])
	}
	for i, p := range l.In {
		if n, ok := l.HitNode(p.X, p.Y); !ok || n != (Node{LayerIn, i}) {
			t.Fatalf("HitNode in offset layout, input %d: %v %v", i, n, ok)
		}
	}
}

func TestSplitPanelsShowing(t *testing.T) {
	for _, size := range [][3]float64{{1800, 1200, 2}, {700, 900, 1}} {
		w, h, s := size[0], size[1], size[2]
		all := SplitPanels(w, h, s)
		if got := SplitPanelsShowing(w, h, s, true, true); got != all {
			t.Errorf("%v: both shown %+v, want SplitPanels %+v", size, got, all)
		}
		none := SplitPanelsShowing(w, h, s, false, false)
		if none.Net != (Rect{0, 0, w, h}) || !none.Hidden.Empty() || !none.Chart.Empty() {
			t.Errorf("%v: neither shown: %+v", size, none)
		}
		onlyHidden := SplitPanelsShowing(w, h, s, true, false)
		if !onlyHidden.Chart.Empty() || onlyHidden.Net != all.Net || onlyHidden.Hidden.W*onlyHidden.Hidden.H != all.Hidden.W*all.Hidden.H+all.Chart.W*all.Chart.H {
			t.Errorf("%v: hidden space alone %+v (all %+v)", size, onlyHidden, all)
		}
		onlyCharts := SplitPanelsShowing(w, h, s, false, true)
		if !onlyCharts.Hidden.Empty() || onlyCharts.Chart != onlyHidden.Hidden {
			t.Errorf("%v: charts alone %+v", size, onlyCharts)
		}
	}
}
