package play

import (
	"math"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
)

// Timing of the walk-through animation, in seconds.
const (
	// PulseIn is how long the pulse takes from the input to the hidden
	// units, and PulseOut from the hidden units to the outputs: slow enough
	// to follow with the eye, short enough not to hold up the reader.
	PulseIn  = 0.6
	PulseOut = 0.7
	// AutoPeriod is how long auto mode shows each input before the next.
	AutoPeriod = 2.5
)

// Walk is the state of the activation walk-through: which input fires, how
// far its pulse has run, and whether auto mode cycles through the inputs.
// It belongs to the game loop.
type Walk struct {
	Selected int     // the firing input, or -1 when none
	Auto     bool    // cycle through the inputs
	Age      float64 // seconds since Selected fired
	autoT    float64
}

// NewWalk returns a walk with no input selected: the network view stays the
// post's plain picture until the reader fires an input.
func NewWalk() Walk { return Walk{Selected: -1} }

// Select fires input i of n (clamped into range) and restarts the pulse.
func (w *Walk) Select(i, n int) {
	if n < 1 {
		w.Selected = -1
		return
	}
	w.Selected = min(max(i, 0), n-1)
	w.Age, w.autoT = 0, 0
}

// Move fires the input d places after the selected one, wrapping around; from
// no selection, down (d > 0) starts at the first input and up at the last.
func (w *Walk) Move(d, n int) {
	if n < 1 {
		return
	}
	if w.Selected < 0 {
		if d > 0 {
			w.Select(0, n)
		} else {
			w.Select(n-1, n)
		}
		return
	}
	w.Select(((w.Selected+d)%n+n)%n, n)
}

// SetAuto turns auto mode on or off; turning it on with nothing selected
// fires the first input at once, so the toggle visibly does something.
func (w *Walk) SetAuto(on bool, n int) {
	w.Auto = on
	if on && w.Selected < 0 {
		w.Select(0, n)
	}
}

// Tick advances the animation by dt seconds for a network of n inputs: it
// drops a selection that no longer exists (N shrank) and, in auto mode,
// moves to the next input every AutoPeriod.
func (w *Walk) Tick(dt float64, n int) {
	if w.Selected >= n {
		w.Selected = -1
	}
	if !(dt > 0) {
		return
	}
	w.Age += dt
	if w.Auto && n > 0 {
		w.autoT += dt
		if w.autoT >= AutoPeriod || w.Selected < 0 {
			w.Move(1, n)
		}
	}
}

// Progress returns how far the pulse has run along the input-to-hidden and
// the hidden-to-output connections, each from 0 to 1.
func (w *Walk) Progress() (in, out float64) {
	in = min(max(w.Age/PulseIn, 0), 1)
	out = min(max((w.Age-PulseIn)/PulseOut, 0), 1)
	return in, out
}

// PixelsPerUnit is how far (in CSS pixels) a vertical drag on a connection
// moves its weight by 1: a 100-pixel drag spans the post's -2..+2 range, and
// a few pixels make a fine adjustment.
const PixelsPerUnit = 25

// DragWeight returns the weight after dragging a connection that weighed w0
// by dy device pixels (positive is down; up increases the weight, as on a
// slider), at scale device pixels per CSS pixel.
func DragWeight(w0, dy, scale float64) float64 {
	if !(scale > 0) {
		scale = 1
	}
	w := w0 - dy/(scale*PixelsPerUnit)
	return math.Round(w*1000) / 1000 // a weight a reader can type back in
}

// EdgeParam returns which parameter of core's network the connection e is,
// for Trainer.SetWeight: W1[hidden][input] on the input side, W2[out][hidden]
// on the output side, W2[out][in] for the direct network (k = 0).
func EdgeParam(e layout.Edge, k int) (l core.Layer, row, col int) {
	if k == 0 || e.Layer != layout.LayerIn {
		return core.LayerW2, e.To, e.From
	}
	return core.LayerW1, e.To, e.From
}

// EdgeWeight returns the current weight of connection e in net.
func EdgeWeight(net *core.Network, e layout.Edge) float64 {
	l, r, c := EdgeParam(e, net.K)
	if l == core.LayerW1 {
		return net.W1.At(r, c)
	}
	return net.W2.At(r, c)
}
