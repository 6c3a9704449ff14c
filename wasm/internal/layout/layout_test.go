package layout

import (
	"math"
	"testing"
)

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

// TestUnitCircle checks the discs' and rings' vertex table: seg points on
// the unit circle, evenly spaced, starting at angle 0 and going the way of
// increasing angle.
func TestUnitCircle(t *testing.T) {
	for _, seg := range []int{3, 10, 28, 32} {
		ps := UnitCircle(seg)
		if len(ps) != seg {
			t.Fatalf("UnitCircle(%d) has %d points", seg, len(ps))
		}
		if ps[0] != (Point{X: 1, Y: 0}) {
			t.Errorf("UnitCircle(%d)[0] = %v, want (1, 0)", seg, ps[0])
		}
		for s, p := range ps {
			if r := math.Hypot(p.X, p.Y); math.Abs(r-1) > 1e-12 {
				t.Errorf("UnitCircle(%d)[%d] = %v is %v from the centre", seg, s, p, r)
			}
			want := 2 * math.Pi * float64(s) / float64(seg)
			if got := math.Mod(math.Atan2(p.Y, p.X)+2*math.Pi, 2*math.Pi); math.Abs(got-want) > 1e-9 {
				t.Errorf("UnitCircle(%d)[%d] at angle %v, want %v", seg, s, got, want)
			}
		}
	}
	if len(UnitCircle(0)) != 0 {
		t.Error("UnitCircle(0) is not empty")
	}
}

// TestNodeBounds checks that the nodes' picture holds every disc with its
// pad, and no more: each side touches some node's disc.
func TestNodeBounds(t *testing.T) {
	for _, nk := range [][2]int{{11, 2}, {128, 4}, {6, 0}} {
		l := NewLayoutIn(Rect{X: 10, Y: 20, W: 900, H: 600}, 74, nk[0], nk[1], 2)
		const pad = 8
		b := l.NodeBounds(pad)
		var touch [4]bool
		check := func(ps []Point, r float64) {
			for _, p := range ps {
				r := r + pad
				if p.X-r < b.X-1e-9 || p.Y-r < b.Y-1e-9 || p.X+r > b.X+b.W+1e-9 || p.Y+r > b.Y+b.H+1e-9 {
					t.Errorf("%v: node at %v radius %v outside %+v", nk, p, r, b)
				}
				touch[0] = touch[0] || math.Abs(p.X-r-b.X) < 1e-9
				touch[1] = touch[1] || math.Abs(p.Y-r-b.Y) < 1e-9
				touch[2] = touch[2] || math.Abs(p.X+r-b.X-b.W) < 1e-9
				touch[3] = touch[3] || math.Abs(p.Y+r-b.Y-b.H) < 1e-9
			}
		}
		check(l.In, l.R)
		check(l.Out, l.R)
		check(l.Hidden, l.HR)
		if touch != [4]bool{true, true, true, true} {
			t.Errorf("%v: %+v is larger than the nodes need (sides touched: %v)", nk, b, touch)
		}
	}
}

// TestStrokeConstants checks Stroke, whose constants NewLayout works out
// once, against the formula worked out in full: the same widths and
// opacities to the bit, for direct and hidden-layer networks of any density.
func TestStrokeConstants(t *testing.T) {
	for _, c := range []struct {
		w, h  float64
		n, k  int
		scale float64
	}{{800, 600, 11, 2, 1}, {1600, 1000, 128, 4, 2}, {500, 400, 1024, 4, 1.5}, {900, 700, 30, 0, 1}, {300, 200, 5, 1, 3}} {
		l := NewLayout(c.w, c.h, c.n, c.k, c.scale)
		maxW := clamp(l.rowStep*0.5, 1.2*l.Scale, 5*l.Scale)
		if l.K > 0 {
			maxW = max(maxW, 1.5*l.Scale)
		}
		density := clamp(math.Sqrt(300/float64(max(l.Edges(), 1))), 0.2, 1)
		for _, f := range []float64{-1, 0, 0.1, 0.37, 0.5, 0.999, 1, 2} {
			g := clamp(f, 0, 1)
			wantW, wantA := 0.5*l.Scale+(maxW-0.5*l.Scale)*g, (0.12+0.88*g)*density
			if w, a := l.Stroke(f); w != wantW || a != wantA {
				t.Errorf("%+v: Stroke(%v) = %v, %v; want %v, %v", c, f, w, a, wantW, wantA)
			}
		}
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
