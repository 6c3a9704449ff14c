package explain

import (
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/bottleneck-playground/bottleneck/core"
	"gonum.org/v1/gonum/mat"
)

// Box is a rectangle of the hidden code space, y up.
type Box struct{ MinX, MinY, MaxX, MaxY float64 }

// UnitBox is [-1,1]², the range of two tanh units.
var UnitBox = Box{-1, -1, 1, 1}

// Range returns the interval a hidden unit's activation can take: [-1,1] for
// tanh and the linear unit (whose codes the views show in the same frame),
// [0,1] for sigmoid, [0,1] for ReLU too (its codes are unbounded above, so
// views should widen the frame with FitBox).
func Range(a core.Activation) (lo, hi float64) {
	switch a {
	case core.ActSigmoid, core.ActReLU:
		return 0, 1
	default:
		return -1, 1
	}
}

// FitBox returns the frame the 2-D views use for net: the
// activation's Range on both axes, widened to hold every code of codes (an N×2
// matrix, see Codes) with a 5% margin when a code falls outside (ReLU and the
// linear unit). codes may be nil.
func FitBox(net *core.Network, codes mat.Matrix) Box {
	lo, hi := Range(net.Activation)
	b := Box{lo, lo, hi, hi}
	if codes == nil {
		return b
	}
	r, c := codes.Dims()
	if c < 2 {
		return b
	}
	grown := false
	for i := 0; i < r; i++ {
		x, y := codes.At(i, 0), codes.At(i, 1)
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			continue
		}
		if x < b.MinX || x > b.MaxX || y < b.MinY || y > b.MaxY {
			grown = true
			b.MinX, b.MaxX = min(b.MinX, x), max(b.MaxX, x)
			b.MinY, b.MaxY = min(b.MinY, y), max(b.MaxY, y)
		}
	}
	if grown {
		mx, my := 0.05*(b.MaxX-b.MinX), 0.05*(b.MaxY-b.MinY)
		b = Box{b.MinX - mx, b.MinY - my, b.MaxX + mx, b.MaxY + my}
	}
	return b
}

// Errors about shapes and values.
var (
	ErrNoHidden = errors.New("explain: the network has no hidden layer")
	ErrK        = errors.New("explain: this view needs a different number of hidden units")
	ErrNaN      = errors.New("explain: a weight is not finite")
	ErrSize     = errors.New("explain: bad size")
)

// Codes writes each input's hidden code (its hidden activations when it fires
// alone, act(W1[:,i]+B1), via core's Network.Hidden) into row i of dst, an N×K
// matrix. An empty dst is resized; a non-empty dst of another shape is an
// error, as is a network without hidden layer. net is not modified.
func Codes(dst *mat.Dense, net *core.Network) error {
	if net == nil || net.W1 == nil {
		return ErrNoHidden
	}
	n, k := net.N, net.K
	if dst.IsEmpty() {
		dst.ReuseAs(n, k)
	} else if r, c := dst.Dims(); r != n || c != k {
		return ErrSize
	}
	pre := make([]float64, k)
	for i := 0; i < n; i++ {
		net.Hidden(i, pre, dst.RawRowView(i))
	}
	return nil
}

// Interval is a stretch [From, To] of a 1-D hidden space where Output has the
// largest logit.
type Interval struct {
	Output   int
	From, To float64
}

// Intervals returns, for a network with one hidden unit, the exact pieces of
// [lo, hi] on which each output wins, in order from lo to hi, appended to
// dst[:0]. Output j's logit is the line W2[j]*h + B2[j]; the winners are the
// upper envelope of those lines, found exactly by the convex-hull trick in
// O(N log N) rather than by sampling. The pieces tile [lo, hi]: the first
// starts at lo, each starts where the previous ends, the last ends at hi.
// Ties go to the lower output index, as in core.
//
// Without output biases every line passes through the origin, so only the
// smallest slope (h < 0) and the largest (h > 0) can win.
//
// It returns an error when K != 1, lo >= hi or a weight is not finite.
func Intervals(dst []Interval, net *core.Network, lo, hi float64) ([]Interval, error) {
	if net == nil || net.K != 1 || net.W2 == nil {
		return dst[:0], ErrK
	}
	if !(lo < hi) {
		return dst[:0], ErrSize
	}
	w2 := net.W2.RawMatrix().Data
	b2 := net.B2.RawVector().Data
	var e envelope
	if err := e.sort(w2[:net.N], 1); err != nil {
		return dst[:0], err
	}
	for _, b := range b2[:net.N] {
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return dst[:0], ErrNaN
		}
	}
	return e.upper(dst[:0], b2[:net.N], lo, hi), nil
}

// envelope computes upper envelopes of lines m[j]*x + c[j] that share their
// slopes across calls (the rows of a region map differ only in intercepts).
type envelope struct {
	m     []float64 // slopes, by output
	order []int     // outputs by ascending slope, then ascending index
	stack []int
}

// sort records the slopes, every stride-th value of slopes (column 0 of a
// row-major matrix with stride columns), and orders the outputs by them.
func (e *envelope) sort(slopes []float64, stride int) error {
	n := len(slopes) / stride
	e.m = e.m[:0]
	for j := 0; j < n; j++ {
		v := slopes[j*stride]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ErrNaN
		}
		e.m = append(e.m, v)
	}
	e.order = e.order[:0]
	for j := 0; j < n; j++ {
		e.order = append(e.order, j)
	}
	slices.SortStableFunc(e.order, func(a, b int) int {
		switch {
		case e.m[a] < e.m[b]:
			return -1
		case e.m[a] > e.m[b]:
			return 1
		}
		return 0
	})
	return nil
}

// upper appends to dst the winning pieces of [lo, hi] for intercepts c.
func (e *envelope) upper(dst []Interval, c []float64, lo, hi float64) []Interval {
	m := e.m
	st := e.stack[:0]
	for _, j := range e.order {
		if len(st) > 0 && m[st[len(st)-1]] == m[j] {
			// Parallel lines: the higher one dominates everywhere; on equal
			// intercepts the lower index (already on the stack) is kept.
			if c[j] <= c[st[len(st)-1]] {
				continue
			}
			st = st[:len(st)-1]
		}
		for len(st) >= 2 {
			a, b := st[len(st)-2], st[len(st)-1]
			// b is useless when j overtakes a no later than b does:
			// (c_a-c_j)/(m_j-m_a) <= (c_a-c_b)/(m_b-m_a), both denominators > 0.
			if (c[a]-c[j])*(m[b]-m[a]) <= (c[a]-c[b])*(m[j]-m[a]) {
				st = st[:len(st)-1]
				continue
			}
			break
		}
		st = append(st, j)
	}
	e.stack = st
	from := lo
	for i, j := range st {
		to := hi
		if i+1 < len(st) {
			nx := st[i+1]
			to = (c[j] - c[nx]) / (m[nx] - m[j])
		}
		if to <= from {
			continue // wins only left of lo, or on a single point
		}
		if from >= hi {
			break
		}
		dst = append(dst, Interval{Output: j, From: from, To: min(to, hi)})
		from = to
	}
	if len(dst) > 0 {
		dst[len(dst)-1].To = hi
	}
	return dst
}

// RegionMap is a W×H raster of a 2-D hidden space: for each cell, the output
// with the largest logit W2·h + B2 at the cell's centre.
type RegionMap struct {
	W, H int
	Box  Box
	// Cells holds W*H winning outputs row by row, row 0 at the top (y = Box.MaxY)
	// as an image is laid out, so a view can paint it directly.
	Cells []int16
	// Wins[j] is true when output j wins at least one cell. Its length is N.
	Wins []bool

	env  envelope
	segs []Interval
}

// CoarseSize is a region-map resolution for refreshing while training runs:
// at 64×64 a refresh at N = 1024 costs 64 envelopes of 1024 lines, half the
// work of 128×128 (the per-row envelopes dominate, not the cells).
const CoarseSize = 64

// NewRegionMap returns a w×h map, or an error unless 1 <= w, h <= 4096.
func NewRegionMap(w, h int) (*RegionMap, error) {
	if w < 1 || h < 1 || w > 4096 || h > 4096 {
		return nil, ErrSize
	}
	return &RegionMap{W: w, H: h, Cells: make([]int16, w*h)}, nil
}

// Fill computes the map of net (K = 2) over box. net is not modified.
//
// Cost: rather than evaluating N logits in every cell (128×128 cells × N =
// 1024 × 2 multiply-adds = 33M per refresh), each row is a 1-D problem: with
// y fixed, output j's logit is the line W2[j][0]*x + (W2[j][1]*y + B2[j]) in
// x, so the row's winners are an upper envelope of N lines computed exactly
// in O(N) after one O(N log N) sort by slope. A refresh costs O(N log N +
// H*N + W*H): about 0.3M operations at 128×128 and N = 1024, measured at
// 2-5 ms natively (BenchmarkRegionMap128N1024); CoarseSize halves it.
//
// It returns an error when K != 2, N > 32767, the box is empty or a weight is
// not finite; the map is then unchanged.
func (m *RegionMap) Fill(net *core.Network, box Box) error {
	if net == nil || net.K != 2 || net.W2 == nil {
		return ErrK
	}
	if net.N > math.MaxInt16 {
		return ErrSize
	}
	if !(box.MinX < box.MaxX && box.MinY < box.MaxY) {
		return ErrSize
	}
	n := net.N
	w2 := net.W2.RawMatrix().Data
	b2 := net.B2.RawVector().Data[:n]
	for _, v := range b2 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ErrNaN
		}
	}
	for j := 0; j < n; j++ {
		if v := w2[2*j+1]; math.IsNaN(v) || math.IsInf(v, 0) {
			return ErrNaN
		}
	}
	if err := m.env.sort(w2[:2*n], 2); err != nil {
		return err
	}
	m.Box = box
	if cap(m.Wins) < n {
		m.Wins = make([]bool, n)
	}
	m.Wins = m.Wins[:n]
	clear(m.Wins)
	c := make([]float64, n)
	dx := (box.MaxX - box.MinX) / float64(m.W)
	dy := (box.MaxY - box.MinY) / float64(m.H)
	for row := 0; row < m.H; row++ {
		y := box.MaxY - (float64(row)+0.5)*dy
		for j := range c {
			c[j] = w2[2*j+1]*y + b2[j]
		}
		m.segs = m.env.upper(m.segs[:0], c, box.MinX, box.MaxX)
		cells := m.Cells[row*m.W : (row+1)*m.W]
		s := 0
		for col := range cells {
			x := box.MinX + (float64(col)+0.5)*dx
			for s+1 < len(m.segs) && x >= m.segs[s].To {
				s++
			}
			out := m.segs[s].Output
			cells[col] = int16(out)
			m.Wins[out] = true
		}
	}
	return nil
}

// Cell returns the cell containing hidden point (x, y): its column and row.
// ok is false outside the box.
func (m *RegionMap) Cell(x, y float64) (col, row int, ok bool) {
	b := m.Box
	if !(x >= b.MinX && x <= b.MaxX && y >= b.MinY && y <= b.MaxY) {
		return 0, 0, false
	}
	col = min(int((x-b.MinX)/(b.MaxX-b.MinX)*float64(m.W)), m.W-1)
	row = min(int((b.MaxY-y)/(b.MaxY-b.MinY)*float64(m.H)), m.H-1)
	return col, row, true
}

// At returns the winner of the cell containing hidden point (x, y); ok is
// false outside the box.
func (m *RegionMap) At(x, y float64) (out int, ok bool) {
	col, row, ok := m.Cell(x, y)
	if !ok {
		return 0, false
	}
	return int(m.Cells[row*m.W+col]), true
}

// Winners appends to dst[:0] the outputs that win at least one cell, in
// ascending order.
func (m *RegionMap) Winners(dst []int) []int {
	dst = dst[:0]
	for j, w := range m.Wins {
		if w {
			dst = append(dst, j)
		}
	}
	return dst
}

// Point is a position in view coordinates (or, for projections, a 2-D code).
type Point struct{ X, Y float64 }

// Viewport maps a Box of the hidden space onto a rectangle of the view, whose
// y axis points down as on a canvas.
type Viewport struct {
	Box        Box
	X, Y, W, H float64 // the view rectangle: top-left corner and size
}

// ToView returns the view position of hidden point (x, y).
func (v Viewport) ToView(x, y float64) Point {
	b := v.Box
	return Point{
		v.X + (x-b.MinX)/(b.MaxX-b.MinX)*v.W,
		v.Y + (b.MaxY-y)/(b.MaxY-b.MinY)*v.H,
	}
}

// FromView returns the hidden point at view position p.
func (v Viewport) FromView(p Point) (x, y float64) {
	b := v.Box
	return b.MinX + (p.X-v.X)/v.W*(b.MaxX-b.MinX), b.MaxY - (p.Y-v.Y)/v.H*(b.MaxY-b.MinY)
}

// ViewPoints appends to dst[:0] the view positions of the first two columns of
// coords (an R×C matrix, C >= 2; with C = 1 the y coordinate is 0).
func (v Viewport) ViewPoints(dst []Point, coords mat.Matrix) []Point {
	dst = dst[:0]
	r, c := coords.Dims()
	for i := 0; i < r; i++ {
		y := 0.0
		if c > 1 {
			y = coords.At(i, 1)
		}
		dst = append(dst, v.ToView(coords.At(i, 0), y))
	}
	return dst
}

// Nearest returns the index of the point of pts nearest to p within radius
// (inclusive), for hover linking; ok is false when none is that close. Ties
// go to the lower index, so overlapping codes resolve to the first input.
func Nearest(pts []Point, p Point, radius float64) (index int, ok bool) {
	best := radius * radius
	index = -1
	for i, q := range pts {
		dx, dy := q.X-p.X, q.Y-p.Y
		if d := dx*dx + dy*dy; d <= best && (index < 0 || d < best) {
			best, index = d, i
		}
	}
	return index, index >= 0
}

// LabelGroup is one label of the hidden space's dots: the points of pts
// (indices, ascending) that sit within the radius of the group's first
// point, At, labelled once as "2, 3" rather than as numbers drawn over one
// another.
type LabelGroup struct {
	At      Point
	Members []int
}

// Text is the group's label: its members' input numbers (from 1), "2, 3"
// (the space keeps "1, 16" from reading as 116 in a small font).
func (g LabelGroup) Text() string {
	b := make([]byte, 0, 4*len(g.Members))
	for j, i := range g.Members {
		if j > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(i+1), 10)
	}
	return string(b)
}

// LabelRadius is how near, in CSS pixels, two dots of the hidden space are
// to share a label (GroupLabels): about the width of a two-digit label in
// the 10 px font the canvas and the saved figure use.
const LabelRadius = 9

// GroupLabels appends to dst[:0] the label groups of pts and returns it:
// each point joins the first group whose anchor (its first point) lies
// within radius of it, or starts a group of its own, in the order of pts.
// Codes that coincide (two inputs with the same hidden code, common early in
// training, when tanh saturates in a corner) get one readable label. It
// reuses the groups' member slices of dst.
func GroupLabels(dst []LabelGroup, pts []Point, radius float64) []LabelGroup {
	dst = dst[:0]
	r2 := radius * radius
	for i, p := range pts {
		joined := false
		for g := range dst {
			dx, dy := p.X-dst[g].At.X, p.Y-dst[g].At.Y
			if dx*dx+dy*dy <= r2 {
				dst[g].Members = append(dst[g].Members, i)
				joined = true
				break
			}
		}
		if !joined {
			if len(dst) < cap(dst) {
				dst = dst[:len(dst)+1] // keeps that group's Members to reuse
			} else {
				dst = append(dst, LabelGroup{})
			}
			g := &dst[len(dst)-1]
			g.At, g.Members = p, append(g.Members[:0], i)
		}
	}
	return dst
}
