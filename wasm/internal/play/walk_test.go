package play

import (
	"math"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
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
	for _, e := range []layout.Edge{{Layer: layout.LayerIn, From: 3, To: 1}, {Layer: layout.LayerOut, From: 1, To: 7}} {
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
