// Package layout places the playground's picture: the canvas's panels
// (SplitPanels), and in the network's panel every unit, connection and
// number (Layout), with the hit tests that map a pointer back to a unit or a
// weight. It is pure geometry in device pixels, with no ebiten and no
// syscall/js, so that the canvas (wasm/internal/views) and the SVG figures
// of the training engine (wasm/figure) draw the same picture, and the engine
// does not link the playground's run state to get it.
package layout

import "math"

// Point is a position on the canvas, in device pixels.
type Point struct{ X, Y float64 }

// Layer names a column of nodes.
type Layer int

// The node columns, left to right.
const (
	LayerIn Layer = iota
	LayerHidden
	LayerOut
)

// Layout is the geometry of the network drawing for one canvas size and one
// network shape: inputs in a column on the left, hidden units in the middle,
// outputs on the right, as in the post. K = 0 has no hidden column.
type Layout struct {
	W, H  float64 // canvas size in device pixels
	N, K  int
	Scale float64 // device pixels per CSS pixel

	In, Hidden, Out []Point

	R  float64 // radius of input and output nodes
	HR float64 // radius of hidden nodes

	// Labels is true when nodes are big enough to carry their number 1..N
	// (LabelSize is its font size); hidden units are always labelled.
	Labels    bool
	LabelSize float64
	// Numbers is true when each input and output node carries the post's K
	// numbers beside it (NumSize is their font size, NumW the room reserved
	// for them on each side). Only for N <= MaxNumbered.
	Numbers bool
	NumSize float64
	NumW    float64

	rowStep float64 // vertical distance between input (or output) nodes
	rowY0   float64 // y of node 0

	// Stroke's constants, worked out once: it runs for every connection of
	// every frame.
	strokeMax, strokeDensity float64
}

// MaxNumbered is the largest N whose nodes carry the post's numbers; beyond
// it the numbers would be too small to read and hovering shows them instead.
const MaxNumbered = 16

// NewLayout computes the layout of an N-k-N network on a w x h canvas where
// one CSS pixel is scale device pixels.
func NewLayout(w, h float64, n, k int, scale float64) *Layout {
	if scale <= 0 {
		scale = 1
	}
	l := &Layout{W: w, H: h, N: n, K: k, Scale: scale}
	pad := 14 * scale
	usable := max(h-2*pad, 1)
	l.rowStep = usable / float64(max(n, 1))
	l.rowY0 = pad + l.rowStep/2
	l.R = clamp(l.rowStep*0.38, 0.8*scale, 15*scale)
	if l.R >= 7*scale {
		l.Labels = true
		l.LabelSize = min(l.R*0.95, 13*scale)
	}
	if n <= MaxNumbered && k > 0 {
		size := min(12*scale, l.rowStep*0.9/float64(k))
		if size >= 7*scale && w >= 300*scale {
			l.Numbers = true
			l.NumSize = size
			l.NumW = size * 3.4
		}
	}
	side := pad + l.R
	if l.Numbers {
		side += l.NumW + 4*scale
	}
	xIn, xOut := side, w-side
	if xOut-xIn < 40*scale { // a tiny canvas: keep the columns apart anyway
		xIn, xOut = w*0.2, w*0.8
	}
	l.In = make([]Point, n)
	l.Out = make([]Point, n)
	for i := range n {
		y := l.RowY(i)
		l.In[i] = Point{xIn, y}
		l.Out[i] = Point{xOut, y}
	}
	if k > 0 {
		l.Hidden = make([]Point, k)
		// Spread the hidden units as i/(k+1) of the height (1/3 and 2/3 for
		// the post's two units) so that few units sit near the middle.
		hs := usable / float64(k+1)
		for h := range k {
			l.Hidden[h] = Point{(xIn + xOut) / 2, pad + hs*float64(h+1)}
		}
		l.HR = clamp(hs*0.3, max(l.R, 5*scale), 18*scale)
	}
	l.strokeMax = clamp(l.rowStep*0.5, 1.2*l.Scale, 5*l.Scale)
	if l.K > 0 {
		l.strokeMax = max(l.strokeMax, 1.5*l.Scale)
	}
	l.strokeDensity = clamp(math.Sqrt(300/float64(max(l.Edges(), 1))), 0.2, 1)
	return l
}

// RowY returns the y of input (and output) node i.
func (l *Layout) RowY(i int) float64 { return l.rowY0 + l.rowStep*float64(i) }

// Edges returns the number of connections drawn.
func (l *Layout) Edges() int {
	if l.K == 0 {
		return l.N * l.N
	}
	return 2 * l.N * l.K
}

// Stroke returns the width (device pixels) and opacity (0..1) of a
// connection whose weight has relative magnitude f in [0, 1]: both grow with
// |w|, as the post draws learned connections thicker. Dense networks get
// thinner, fainter lines so the picture does not turn into a solid block.
func (l *Layout) Stroke(f float64) (width, alpha float64) {
	f = clamp(f, 0, 1)
	width = 0.5*l.Scale + (l.strokeMax-0.5*l.Scale)*f
	alpha = (0.12 + 0.88*f) * l.strokeDensity
	return width, alpha
}

// Node identifies one node.
type Node struct {
	Layer Layer
	Index int
}

// Edge identifies one connection: From is the source's index in the left
// column and To the target's in the right one. Layer is LayerIn for input ->
// hidden (W1[To][From]), LayerOut for hidden -> output (W2[To][From]), and
// LayerIn with K = 0 for the direct input -> output weight W2[To][From].
type Edge struct {
	Layer    Layer
	From, To int
}

// HitNode returns the node under (x, y), if any. Nodes smaller than a
// finger are given a few pixels of slack, and dense columns resolve to the
// nearest row.
func (l *Layout) HitNode(x, y float64) (Node, bool) {
	slack := 4 * l.Scale
	for h, p := range l.Hidden {
		if math.Hypot(x-p.X, y-p.Y) <= l.HR+slack {
			return Node{LayerHidden, h}, true
		}
	}
	i := int(math.Round((y - l.rowY0) / l.rowStep))
	if i < 0 || i >= l.N {
		return Node{}, false
	}
	r := max(l.R, l.rowStep/2) + slack
	if p := l.In[i]; math.Abs(x-p.X) <= r && math.Abs(y-p.Y) <= max(l.R+slack, l.rowStep/2) {
		return Node{LayerIn, i}, true
	}
	if p := l.Out[i]; math.Abs(x-p.X) <= r && math.Abs(y-p.Y) <= max(l.R+slack, l.rowStep/2) {
		return Node{LayerOut, i}, true
	}
	return Node{}, false
}

// HitEdge returns the connection nearest to (x, y) within a few pixels, if
// any. It checks every connection of the column pair the point lies between:
// at most N*K (or N*N) distance computations, well under a millisecond.
func (l *Layout) HitEdge(x, y float64) (Edge, bool) {
	tol := 5 * l.Scale
	best, bestD := Edge{}, tol
	found := false
	try := func(a, b Point, e Edge) {
		if d := segDist(x, y, a, b); d <= bestD {
			best, bestD, found = e, d, true
		}
	}
	if l.N == 0 {
		return Edge{}, false
	}
	if l.K == 0 {
		if x < l.In[0].X || x > l.Out[0].X {
			return Edge{}, false
		}
		for i, a := range l.In {
			for j, b := range l.Out {
				try(a, b, Edge{LayerIn, i, j})
			}
		}
		return best, found
	}
	mid := l.Hidden[0].X
	switch {
	case x >= l.In[0].X && x <= mid:
		for i, a := range l.In {
			for h, b := range l.Hidden {
				try(a, b, Edge{LayerIn, i, h})
			}
		}
	case x > mid && x <= l.Out[0].X:
		for h, a := range l.Hidden {
			for j, b := range l.Out {
				try(a, b, Edge{LayerOut, h, j})
			}
		}
	}
	return best, found
}

// segDist is the distance from (x, y) to the segment ab.
func segDist(x, y float64, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = clamp(((x-a.X)*dx+(y-a.Y)*dy)/l2, 0, 1)
	}
	return math.Hypot(x-(a.X+t*dx), y-(a.Y+t*dy))
}

func clamp(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }

// Quad returns the four corners of a line from a to b of the given width, in
// the order a-left, a-right, b-right, b-left, for drawing lines as two
// triangles each (many lines then go to the GPU in one call).
func Quad(a, b Point, width float64) [4]Point {
	dx, dy := b.X-a.X, b.Y-a.Y
	d := math.Hypot(dx, dy)
	if d == 0 {
		d = 1
	}
	nx, ny := -dy/d*width/2, dx/d*width/2
	return [4]Point{{a.X + nx, a.Y + ny}, {a.X - nx, a.Y - ny}, {b.X - nx, b.Y - ny}, {b.X + nx, b.Y + ny}}
}
