package layout

import (
	"fmt"
	"math"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Connection is one line of the network drawing: where it runs, its weight
// and its strength in [0, 1], which sets its width and opacity (Stroke).
type Connection struct {
	Edge     Edge
	A, B     Point
	Weight   float64
	Strength float64
}

// Connections appends to dst[:0] every connection of net as the page draws
// it, in drawing order: with K = 0 each output's N lines, otherwise the input
// side (hidden unit by hidden unit) then the output side (output by output).
// Input-side strengths are |tanh(w)|, because the post shows those weights as
// 10·tanh(w) and a saturated unit looks the same however large w grows;
// output-side strengths are |w| over the largest |w| of W2. l must be the
// layout of net's shape; net is not modified.
func (l *Layout) Connections(dst []Connection, net *core.Network) []Connection {
	dst = dst[:0]
	w2 := net.W2.RawMatrix().Data
	maxW2 := 1e-9
	for _, x := range w2 {
		maxW2 = max(maxW2, math.Abs(x))
	}
	if net.K == 0 {
		for j, b := range l.Out {
			for i, a := range l.In {
				x := w2[j*net.N+i]
				dst = append(dst, Connection{Edge{LayerIn, i, j}, a, b, x, math.Abs(x) / maxW2})
			}
		}
		return dst
	}
	w1 := net.W1.RawMatrix().Data
	for h, b := range l.Hidden {
		for i, a := range l.In {
			x := w1[h*net.N+i]
			dst = append(dst, Connection{Edge{LayerIn, i, h}, a, b, x, math.Abs(math.Tanh(x))})
		}
	}
	for j, b := range l.Out {
		for h, a := range l.Hidden {
			x := w2[j*net.K+h]
			dst = append(dst, Connection{Edge{LayerOut, h, j}, a, b, x, math.Abs(x) / maxW2})
		}
	}
	return dst
}

// NodeNumber returns the post's number for hidden unit h beside node i of
// layer: on an input, 10·tanh of its weight into h (core.DisplayScale); on an
// output, its weight from h. It panics for the hidden layer, a network
// without hidden units, or indices out of range.
func NodeNumber(net *core.Network, layer Layer, i, h int) float64 {
	switch layer {
	case LayerIn:
		return core.DisplayScale * math.Tanh(net.W1.At(h, i))
	case LayerOut:
		return net.W2.At(i, h)
	}
	panic("play: NodeNumber: hidden units carry no numbers")
}

// FormatNumber writes a node number as the page shows it: one decimal below
// 100, a whole number from there on, as the post's whole numbers get too
// coarse while a network is still learning.
func FormatNumber(x float64) string {
	if math.Abs(x) >= 99.95 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// NumberLineHeight is the distance between the K numbers stacked beside a
// node, and NumberTop the y of the first, centred on the node at y.
func (l *Layout) NumberLineHeight() float64 { return l.NumSize * 1.1 }

// NumberTop returns the y of the first of k numbers beside a node at y.
func (l *Layout) NumberTop(y float64, k int) float64 {
	return y - l.NumberLineHeight()*float64(k-1)/2
}

// NumberGap is the horizontal distance from a node's centre to its numbers.
func (l *Layout) NumberGap() float64 { return l.R + l.Scale*4 }

// UnitCircle returns seg points spaced evenly on the unit circle, point s at
// the angle 2π·s/seg. Discs and rings are drawn from it: their vertices are
// the same every frame, so the canvas keeps one per segment count rather
// than calling cos and sin for each of thousands of vertices a frame.
// It panics if seg is negative.
func UnitCircle(seg int) []Point {
	ps := make([]Point, seg)
	for s := range ps {
		t := 2 * math.Pi * float64(s) / float64(seg)
		ps[s] = Point{X: math.Cos(t), Y: math.Sin(t)}
	}
	return ps
}

// NodeBounds returns the smallest rectangle that holds every node's disc,
// grown by pad: radius R+pad for the inputs and outputs, HR+pad for the
// hidden units. The canvas keeps its picture of the nodes that size, so pad
// must cover whatever it draws around a disc (its ring, antialiasing).
func (l *Layout) NodeBounds(pad float64) Rect {
	x0, y0 := math.Inf(1), math.Inf(1)
	x1, y1 := math.Inf(-1), math.Inf(-1)
	grow := func(ps []Point, r float64) {
		for _, p := range ps {
			x0, y0 = min(x0, p.X-r), min(y0, p.Y-r)
			x1, y1 = max(x1, p.X+r), max(y1, p.Y+r)
		}
	}
	grow(l.In, l.R+pad)
	grow(l.Out, l.R+pad)
	grow(l.Hidden, l.HR+pad)
	if x0 > x1 { // no nodes
		return Rect{}
	}
	return Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}
