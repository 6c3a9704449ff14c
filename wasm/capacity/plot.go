package capacity

import (
	"math"
	"strconv"

	"github.com/bottleneck-playground/bottleneck/core"
)

// The plot's N axis is logarithmic from PlotMinN to PlotMaxN: the whole range
// a sweep can search, so that the post's 11, 30 and 100 keep their place
// whatever the settings.
const (
	PlotMinN = core.MinN // 2
	PlotMaxN = core.MaxN // 1024
)

// Rect is a rectangle in canvas pixels, X0 < X1 and Y0 < Y1 (y grows down).
type Rect struct{ X0, Y0, X1, Y1 float64 }

// W and H are the rectangle's width and height.
func (r Rect) W() float64 { return r.X1 - r.X0 }
func (r Rect) H() float64 { return r.Y1 - r.Y0 }

// LogAxis maps values from Lo to Hi (both > 0) logarithmically onto pixels
// from P0 (at Lo) to P1 (at Hi); P1 < P0 for an axis that grows upwards.
type LogAxis struct {
	Lo, Hi float64
	P0, P1 float64
}

// Pixel returns the pixel of v. Values outside [Lo, Hi] extrapolate; v ≤ 0
// maps to P0.
func (a LogAxis) Pixel(v float64) float64 {
	if v <= 0 {
		return a.P0
	}
	t := (math.Log2(v) - math.Log2(a.Lo)) / (math.Log2(a.Hi) - math.Log2(a.Lo))
	return a.P0 + t*(a.P1-a.P0)
}

// Value is the inverse of Pixel.
func (a LogAxis) Value(p float64) float64 {
	t := (p - a.P0) / (a.P1 - a.P0)
	return math.Exp2(math.Log2(a.Lo) + t*(math.Log2(a.Hi)-math.Log2(a.Lo)))
}

// PowersOfTwo returns the powers of two from lo to hi, inclusive: the N
// axis's ticks (2, 4, ..., 1024).
func PowersOfTwo(lo, hi int) []int {
	var out []int
	for v := 1; v <= hi; v *= 2 {
		if v >= lo {
			out = append(out, v)
		}
	}
	return out
}

// Tick is one axis tick: its value, pixel and label ("" for an unlabelled
// minor tick).
type Tick struct {
	V     int
	P     float64
	Label string
}

// RefKind says how a reference value bounds the capacity.
type RefKind int

// The kinds of reference.
const (
	RefAbout   RefKind = iota // the post's "N≈11": a point
	RefAtLeast                // the post's "more than a hundred": a point with an up arrow
	RefAtMost                 // Lister's limit N ≤ 19: a cap, drawn as a bar with a down tick
)

// Reference is a published value to compare a sweep with.
type Reference struct {
	K, N   int
	Kind   RefKind
	Label  string // short, for the plot
	Source string // in full, for the page and the tests
}

// References are the values the explorer checks: the post's three claims and
// Lister's backprop limit for N-2-N encoders.
var References = []Reference{
	{K: 2, N: 11, Kind: RefAbout, Label: "post ≈11", Source: "the post: two hidden units handle eleven inputs and outputs, “close to the limit”"},
	{K: 3, N: 30, Kind: RefAbout, Label: "post ≈30", Source: "the post: three hidden units, “something like thirty”"},
	{K: 4, N: 100, Kind: RefAtLeast, Label: "post >100", Source: "the post: four hidden units, “more than a hundred”"},
	{K: 2, N: 19, Kind: RefAtMost, Label: "Lister ≤19", Source: "Lister's backprop limit N ≤ 19 for N-2-N encoders, cited in Bakker, Phillips & Wiles (1994), “The 1000-2-1000 encoder”"},
}

// Plot is the geometry of the capacity plot for a canvas size: the area
// inside the axes, the k axis (one column per k, linear) and the N axis
// (logarithmic, growing upwards), their ticks and the text sizes.
type Plot struct {
	Canvas   Rect
	Area     Rect // inside the axes
	Scale    float64
	KLo, KHi int // the k columns shown
	N        LogAxis
	KTicks   []Tick
	NTicks   []Tick
	Font     float64 // label size in pixels
	Small    float64 // small label size
	Legend   float64 // the legend's baseline y (centre of its line)
}

// NewPlot lays out a plot of w×h canvas pixels at scale (device pixels per
// CSS pixel) for the ks being swept. The k axis spans the ks and the
// references' 2..4, so the post's claims always show. It leaves room above
// the axes for a legend of one line, or two on a phone (w < 420 CSS px).
func NewPlot(w, h, scale float64, ks []int) Plot { return NewPlotLegend(w, h, scale, ks, 0) }

// LegendLineGap is the distance between the legend's lines, in label heights
// (Plot.Small).
const LegendLineGap = 1.6

// NewPlotLegend is NewPlot with room above the axes for a legend of lines
// lines, starting at Plot.Legend, LegendLineGap*Small apart; lines below
// NewPlot's one (two on a phone) leave NewPlot's room.
func NewPlotLegend(w, h, scale float64, ks []int, lines int) Plot {
	scale = max(scale, 0.5)
	p := Plot{Canvas: Rect{0, 0, max(w, 1), max(h, 1)}, Scale: scale}
	p.Font = 12 * scale
	p.Small = 10.5 * scale
	if w < 420*scale { // a phone: tighter text
		p.Font, p.Small = 11*scale, 9.5*scale
	}
	left, right := 46*scale, 14*scale
	top, bottom := 40*scale, 44*scale
	if w < 420*scale {
		top = 52 * scale // the legend takes two lines
	}
	p.Legend = 14 * scale
	base := 1
	if w < 420*scale {
		base = 2
	}
	top += float64(max(0, lines-base)) * LegendLineGap * p.Small
	// Keep an area even on a tiny canvas.
	p.Area = Rect{
		X0: min(left, w/3), Y0: min(top, h/3),
		X1: max(w-right, min(left, w/3)+1), Y1: max(h-bottom, min(top, h/3)+1),
	}
	p.KLo, p.KHi = 2, 4
	for _, k := range ks {
		p.KLo, p.KHi = min(p.KLo, k), max(p.KHi, k)
	}
	for k := p.KLo; k <= p.KHi; k++ {
		p.KTicks = append(p.KTicks, Tick{V: k, P: p.KX(k), Label: strconv.Itoa(k)})
	}
	p.N = LogAxis{Lo: PlotMinN, Hi: PlotMaxN, P0: p.Area.Y1, P1: p.Area.Y0}
	// Label every power of two when there is room (about 1.6 label heights
	// apart), else every other one, always including both ends.
	pows := PowersOfTwo(PlotMinN, PlotMaxN)
	step := 1
	for step < len(pows) && p.Area.H()/float64(len(pows)-1)*float64(step) < 1.6*p.Small {
		step *= 2
	}
	for i, v := range pows {
		t := Tick{V: v, P: p.N.Pixel(float64(v))}
		if i%step == 0 || i == len(pows)-1 {
			t.Label = strconv.Itoa(v)
		}
		p.NTicks = append(p.NTicks, t)
	}
	return p
}

// KX returns the x of k's column centre.
func (p Plot) KX(k int) float64 {
	cols := float64(p.KHi - p.KLo + 1)
	return p.Area.X0 + (float64(k-p.KLo)+0.5)/cols*p.Area.W()
}

// At returns the pixel of the point (k, n).
func (p Plot) At(k int, n float64) (x, y float64) { return p.KX(k), p.N.Pixel(n) }

// ColumnWidth is the width of one k column.
func (p Plot) ColumnWidth() float64 { return p.Area.W() / float64(p.KHi-p.KLo+1) }

// Mark is one of the sweep's results on the plot.
type Mark struct {
	K, MaxN int
	X, Y    float64
	// AtBound: MaxN is the search's bound, so the capacity is at least MaxN:
	// drawn with a bar and an arrow up. None: even N=Low failed, drawn as a
	// cross at the bottom.
	AtBound, None bool
	Label         string // "76", "≥ 64", "none"
}

// Marks places the finished rows' results.
func (p Plot) Marks(rows []Row) []Mark {
	var out []Mark
	for _, r := range rows {
		m := Mark{K: r.K, MaxN: r.MaxN, AtBound: r.AtBound, Label: strconv.Itoa(r.MaxN)}
		n := float64(r.MaxN)
		switch {
		case r.MaxN == 0:
			m.None, m.Label, n = true, "none", PlotMinN
		case r.AtBound:
			m.Label = "≥ " + m.Label
		}
		m.X, m.Y = p.At(r.K, n)
		out = append(out, m)
	}
	return out
}

// BuiltMarks places the built-by-hand results (core.LargestBuilt's, one per
// k, in any order) of the ks in the plot's range, labelled like Marks: "1024",
// "≥ 64" at the search's bound, "none" (at the bottom) when Construct solved
// no N of the range.
func (p Plot) BuiltMarks(built []core.BuiltCapacity) []Mark {
	var out []Mark
	for _, b := range built {
		if b.K < p.KLo || b.K > p.KHi {
			continue
		}
		m := Mark{K: b.K, MaxN: b.MaxN, AtBound: b.AtBound(), Label: strconv.Itoa(b.MaxN)}
		n := float64(b.MaxN)
		switch {
		case b.MaxN == 0:
			m.None, m.Label, n = true, "none", PlotMinN
		case m.AtBound:
			m.Label = "≥ " + m.Label
		}
		m.X, m.Y = p.At(b.K, ClampN(n))
		out = append(out, m)
	}
	return out
}

// ReferenceMarks places the references that fall in the plot's k range.
func (p Plot) ReferenceMarks() []RefMark {
	var out []RefMark
	for _, r := range References {
		if r.K < p.KLo || r.K > p.KHi {
			continue
		}
		x, y := p.At(r.K, float64(r.N))
		out = append(out, RefMark{Reference: r, X: x, Y: y})
	}
	return out
}

// RefMark is a reference placed on the plot.
type RefMark struct {
	Reference
	X, Y float64
}

// Bracket returns the pixels of the current search interval of a k being
// swept, from the largest N known to solve (good, or Low-1) to the smallest
// known to fail (bad, or High+1), clamped to the axis; ok is false when the
// tried points give no interval yet.
func (p Plot) Bracket(k int, tried []core.TriedPoint) (x, y0, y1 float64, ok bool) {
	if len(tried) == 0 {
		return 0, 0, 0, false
	}
	good, bad := PlotMinN, PlotMaxN
	for _, t := range tried {
		if t.Solved {
			good = max(good, t.N)
		} else {
			bad = min(bad, t.N)
		}
	}
	x = p.KX(k)
	return x, p.N.Pixel(float64(good)), p.N.Pixel(float64(bad)), true
}

// ClampN limits n to the plot's N range.
func ClampN(n float64) float64 { return math.Min(math.Max(n, PlotMinN), PlotMaxN) }
