package play

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
