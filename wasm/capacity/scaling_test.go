package capacity

import (
	"math"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// solvedPoint is a solved point whose seeds took the given steps and
// reached the given largest |weight|.
func solvedPoint(k, n int, steps []int, weights []float64) core.PointOutcome {
	p := core.PointOutcome{K: k, N: n, Solved: true}
	for i := range steps {
		p.Seeds = append(p.Seeds, core.SeedOutcome{Seed: uint64(i + 1), Solved: true, Steps: steps[i], MaxAbsWeight: weights[i]})
	}
	return p
}

func TestScalingFitsAnExactPowerLaw(t *testing.T) {
	// steps = 3·N^2 (median of three seeds), |w| = 0.5·N^1.5 (the largest);
	// points in evaluation order, not sorted.
	var solved []core.PointOutcome
	for _, n := range []int{8, 2, 4, 6} {
		s := 3 * float64(n*n)
		w := 0.5 * math.Pow(float64(n), 1.5)
		solved = append(solved, solvedPoint(2, n, []int{int(s) - 5, int(s), int(s) + 9}, []float64{w / 2, w, w / 3}))
	}
	series := Scaling([]core.KCapacity{{K: 2, Solved: solved}, {K: 1, Solved: solved[:1]}, {K: 3}})
	if len(series) != 3 {
		t.Fatalf("%d series for 3 ks", len(series))
	}
	s := series[0]
	if s.K != 2 || !s.Fitted {
		t.Fatalf("k=2 series %+v: want fitted", s)
	}
	for i, n := range []float64{2, 4, 6, 8} {
		if s.N[i] != n || s.Steps[i] != 3*n*n {
			t.Errorf("point %d: N=%g steps=%g, want N=%g steps=%g", i, s.N[i], s.Steps[i], n, 3*n*n)
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"steps exponent", s.StepsExp, 2}, {"steps constant", s.StepsC, 3}, {"weight exponent", s.WeightsExp, 1.5}, {"weight constant", s.WeightC, 0.5}, {"reference", s.RefExp(), 1}} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %.12g, want %g", c.name, c.got, c.want)
		}
	}
	// One solved N, or none: no fit, and the text says so.
	for _, u := range series[1:] {
		if u.Fitted || u.StepsExp != 0 || u.WeightsExp != 0 {
			t.Errorf("k=%d with %d solved N: %+v, want no fit", u.K, len(u.N), u)
		}
	}
	want := "k=2: steps ~ N^2.00, |w| ~ N^1.50 (N^(2/k) = N^1); k=1: fewer than two solved N, no fit; k=3: fewer than two solved N, no fit"
	if got := ScalingText(series); got != want {
		t.Errorf("text\n got %q\nwant %q", got, want)
	}
	if got := ScalingText(nil); got != "" {
		t.Errorf("text of nothing = %q", got)
	}
}

func TestScalingPanels(t *testing.T) {
	series := []Series{
		{K: 2, N: []float64{3, 6, 12}, Steps: []float64{40, 300, 2500}, Weights: []float64{2, 5, 11}, Fitted: true, WeightsExp: 1.2, WeightC: 0.5},
		{K: 3, N: []float64{5, 40}, Steps: []float64{90, 7000}, Weights: []float64{3, math.NaN()}},
	}
	area := Rect{10, 20, 410, 220}
	steps, weights := ScalingPanels(area, 40, series)
	if steps.Area != (Rect{10, 20, 190, 220}) || weights.Area != (Rect{230, 20, 410, 220}) {
		t.Fatalf("areas %+v and %+v: want two 180-pixel halves 40 apart", steps.Area, weights.Area)
	}
	// N rounds out to powers of two, y to powers of ten; NaN is ignored.
	if steps.N.Lo != 2 || steps.N.Hi != 64 || steps.Y.Lo != 10 || steps.Y.Hi != 1e4 {
		t.Errorf("steps axes N %g..%g y %g..%g, want 2..64 and 10..10000", steps.N.Lo, steps.N.Hi, steps.Y.Lo, steps.Y.Hi)
	}
	if weights.Y.Lo != 1 || weights.Y.Hi != 100 {
		t.Errorf("weights y %g..%g, want 1..100", weights.Y.Lo, weights.Y.Hi)
	}
	var labels []string
	for _, tk := range steps.NTicks {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "2 4 8 16 32 64" {
		t.Errorf("N ticks %q", got)
	}
	if first, last := steps.NTicks[0], steps.NTicks[len(steps.NTicks)-1]; first.P != 10 || last.P != 190 {
		t.Errorf("N ticks from x=%g to %g, want the panel's edges 10 and 190", first.P, last.P)
	}
	if first, last := steps.YTicks[0], steps.YTicks[len(steps.YTicks)-1]; first.P != 220 || last.P != 20 || len(steps.YTicks) != 4 {
		t.Errorf("y ticks %+v: want 4 from the bottom (220) to the top (20)", steps.YTicks)
	}
	// A fitted line is straight on log-log axes: its slope in pixels is the
	// exponent times the axes' pixels per factor.
	x0, y0, x1, y1 := weights.Line(1.2, 0.5, 3, 12)
	xPerOctave := weights.Area.W() / math.Log2(weights.N.Hi/weights.N.Lo)
	yPerOctave := weights.Area.H() / math.Log2(weights.Y.Hi/weights.Y.Lo)
	if got := -(y1 - y0) / yPerOctave / ((x1 - x0) / xPerOctave); math.Abs(got-1.2) > 1e-9 {
		t.Errorf("line slope = exponent %g, want 1.2", got)
	}
	// The reference N^(2/k) meets the fit at the middle of the range.
	rx0, ry0, rx1, ry1, ok := weights.RefLine(series[0])
	if !ok || rx0 != x0 || rx1 != x1 {
		t.Fatalf("reference from x=%g to %g (ok %v), want the fit's %g to %g", rx0, rx1, ok, x0, x1)
	}
	if mid, ref := (y0+y1)/2, (ry0+ry1)/2; math.Abs(mid-ref) > 1e-9 {
		t.Errorf("reference's middle at y=%g, fit's at %g", ref, mid)
	}
	if got := -(ry1 - ry0) / yPerOctave / ((rx1 - rx0) / xPerOctave); math.Abs(got-1) > 1e-9 {
		t.Errorf("reference slope %g, want 2/k = 1", got)
	}
	if _, _, _, _, ok := weights.RefLine(series[1]); ok {
		t.Error("a reference for an unfitted series")
	}
	// The panels hold the lines' ends too: k=1's reference N^2 through a
	// flat fit leaves the points' span 1..10.
	flat := []Series{{K: 1, N: []float64{2, 16}, Steps: []float64{10, 10}, Weights: []float64{3, 3}, Fitted: true, StepsC: 10, WeightC: 3}}
	_, fw := ScalingPanels(area, 40, flat)
	if ref := flat[0].RefC(); math.Abs(ref*2*2-3/8.0) > 1e-12 || fw.Y.Lo != 0.1 || fw.Y.Hi != 100 {
		t.Errorf("flat fit: reference constant %g (want 3/32), weights y %g..%g (want 0.1..100)", ref, fw.Y.Lo, fw.Y.Hi)
	}
	if got := fw.YTicks[0].Label + " " + fw.YTicks[len(fw.YTicks)-1].Label; got != "0.1 100" {
		t.Errorf("weights y ticks from %q", got)
	}
	// No usable values: default axes, no panic.
	empty := NewPanel(area, nil, []float64{0, -1, math.Inf(1)})
	if empty.N.Lo != PlotMinN || empty.N.Hi != PlotMaxN || empty.Y.Lo != 1 || empty.Y.Hi != 10 {
		t.Errorf("empty panel axes %+v %+v", empty.N, empty.Y)
	}
	// A single value still spans one power.
	one := NewPanel(area, []float64{4}, []float64{100})
	if one.N.Lo != 4 || one.N.Hi != 8 || one.Y.Lo != 100 || one.Y.Hi != 1000 {
		t.Errorf("one-value panel axes N %g..%g y %g..%g", one.N.Lo, one.N.Hi, one.Y.Lo, one.Y.Hi)
	}
}
