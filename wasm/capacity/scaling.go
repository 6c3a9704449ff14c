package capacity

// This file is the explorer's scaling view: how the steps to solve and the
// largest |weight| at solve grow with N, from the points a sweep found to
// solve, on log-log axes with core's power-law fit.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Series is one k's solved points, sorted by N, with their power-law fits.
type Series struct {
	K int
	// N, Steps and Weights are parallel: each solved N, the median of its
	// seeds' steps to solve (core.PointOutcome.MedianSteps) and the largest
	// |weight| at solve over its seeds (core.PointOutcome.MaxAbsWeight), as
	// in the native scaling CSV and docs/capacity-scaling.svg.
	N, Steps, Weights []float64
	// Fitted reports whether both fits exist (core.FitPowerLaw needs two
	// solved N); the exponents and constants are 0 otherwise.
	Fitted              bool
	StepsExp, StepsC    float64 // steps ≈ StepsC · N^StepsExp
	WeightsExp, WeightC float64 // |w| ≈ WeightC · N^WeightsExp
}

// RefExp is the reference exponent 2/k the weights are compared with.
func (s Series) RefExp() float64 { return 2 / float64(s.K) }

// Scaling returns one series per result, in the order given, from each k's
// solved points.
func Scaling(res []core.KCapacity) []Series {
	out := make([]Series, len(res))
	for i, r := range res {
		pts := slices.Clone(r.Solved)
		slices.SortFunc(pts, func(a, b core.PointOutcome) int { return a.N - b.N })
		s := Series{K: r.K}
		for _, p := range pts {
			s.N = append(s.N, float64(p.N))
			s.Steps = append(s.Steps, p.MedianSteps())
			s.Weights = append(s.Weights, p.MaxAbsWeight())
		}
		se, sc, ok1 := core.FitPowerLaw(s.N, s.Steps)
		we, wc, ok2 := core.FitPowerLaw(s.N, s.Weights)
		if ok1 && ok2 {
			s.Fitted, s.StepsExp, s.StepsC, s.WeightsExp, s.WeightC = true, se, sc, we, wc
		}
		out[i] = s
	}
	return out
}

// ScalingText is the fitted exponents as a line of text, one clause per k:
// "k=2: steps ~ N^2.28, |w| ~ N^1.53 (N^(2/k) = N^1)", or "k=1: fewer than
// two solved N, no fit". It is "" for no series.
func ScalingText(series []Series) string {
	parts := make([]string, len(series))
	for i, s := range series {
		if !s.Fitted {
			parts[i] = fmt.Sprintf("k=%d: fewer than two solved N, no fit", s.K)
			continue
		}
		parts[i] = fmt.Sprintf("k=%d: steps ~ N^%.2f, |w| ~ N^%.2f (N^(2/k) = N^%s)",
			s.K, s.StepsExp, s.WeightsExp, strconv.FormatFloat(s.RefExp(), 'g', 3, 64))
	}
	return strings.Join(parts, "; ")
}

// Panel is one log-log scaling panel: N across, a measure up.
type Panel struct {
	Area   Rect
	N, Y   LogAxis
	NTicks []Tick
	YTicks []Tick
}

// NewPanel lays out a panel in area for the given N and y values of every
// series (non-positive and non-finite values are ignored). The axes span
// the values rounded out to powers of two (N) and of ten (y); with no
// usable value they span 2..1024 and 1..10.
func NewPanel(area Rect, ns, ys []float64) Panel {
	nLo, nHi := span(ns, 2)
	yLo, yHi := span(ys, 10)
	p := Panel{Area: area,
		N: LogAxis{Lo: nLo, Hi: nHi, P0: area.X0, P1: area.X1},
		Y: LogAxis{Lo: yLo, Hi: yHi, P0: area.Y1, P1: area.Y0}}
	// Powers from their exponents, so that 0.1, 0.01, ... print exactly.
	for e := math.Round(math.Log2(nLo)); e <= math.Round(math.Log2(nHi)); e++ {
		v := math.Exp2(e)
		p.NTicks = append(p.NTicks, Tick{V: int(v), P: p.N.Pixel(v), Label: strconv.Itoa(int(v))})
	}
	for e := math.Round(math.Log10(yLo)); e <= math.Round(math.Log10(yHi)); e++ {
		v := math.Pow(10, e)
		p.YTicks = append(p.YTicks, Tick{V: int(v), P: p.Y.Pixel(v), Label: strconv.FormatFloat(v, 'g', -1, 64)})
	}
	return p
}

// span returns the powers of base just below the smallest and just above
// the largest usable value, at least one power apart; 2..1024 (base 2) or
// 1..10 (base 10) when no value is usable.
func span(vs []float64, base float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if lo > hi {
		if base == 2 {
			return PlotMinN, PlotMaxN
		}
		return 1, 10
	}
	logb := func(v float64) float64 { return math.Log(v) / math.Log(base) }
	// Round away float noise first, so an exact power stays put.
	l, h := math.Floor(logb(lo)+1e-9), math.Ceil(logb(hi)-1e-9)
	if h <= l {
		h = l + 1
	}
	return math.Pow(base, l), math.Pow(base, h)
}

// At returns the pixel of the point (n, y).
func (p Panel) At(n, y float64) (x, py float64) { return p.N.Pixel(n), p.Y.Pixel(y) }

// Line returns the ends, in pixels, of y = c · N^e drawn over the N range
// [n0, n1].
func (p Panel) Line(e, c, n0, n1 float64) (x0, y0, x1, y1 float64) {
	x0, y0 = p.At(n0, c*math.Pow(n0, e))
	x1, y1 = p.At(n1, c*math.Pow(n1, e))
	return x0, y0, x1, y1
}

// RefC is the constant of the reference c · N^(2/k) drawn for a fitted s:
// through the fitted weight line's value at the geometric middle of s's N
// range, so that only the slopes differ.
func (s Series) RefC() float64 {
	mid := math.Sqrt(s.N[0] * s.N[len(s.N)-1])
	return s.WeightC * math.Pow(mid, s.WeightsExp) / math.Pow(mid, s.RefExp())
}

// RefLine returns the ends of the reference line for s (RefC) over its N
// range. ok is false when s is not fitted.
func (p Panel) RefLine(s Series) (x0, y0, x1, y1 float64, ok bool) {
	if !s.Fitted {
		return 0, 0, 0, 0, false
	}
	x0, y0, x1, y1 = p.Line(s.RefExp(), s.RefC(), s.N[0], s.N[len(s.N)-1])
	return x0, y0, x1, y1, true
}

// ScalingPanels splits area side by side into the steps panel (left) and
// the weights panel (right), with gap pixels between them, each spanning
// every series' values and the ends of its fitted and reference lines.
func ScalingPanels(area Rect, gap float64, series []Series) (steps, weights Panel) {
	var ns, st, ws []float64
	for _, s := range series {
		ns = append(ns, s.N...)
		st = append(st, s.Steps...)
		ws = append(ws, s.Weights...)
		if s.Fitted {
			for _, n := range []float64{s.N[0], s.N[len(s.N)-1]} {
				st = append(st, s.StepsC*math.Pow(n, s.StepsExp))
				ws = append(ws, s.WeightC*math.Pow(n, s.WeightsExp), s.RefC()*math.Pow(n, s.RefExp()))
			}
		}
	}
	half := max((area.W()-gap)/2, 1)
	left := Rect{area.X0, area.Y0, area.X0 + half, area.Y1}
	right := Rect{area.X1 - half, area.Y0, area.X1, area.Y1}
	return NewPanel(left, ns, st), NewPanel(right, ns, ws)
}
