//go:build js && wasm

package views

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
)

// Walk-through colours: green for the target (the output that should fire)
// and a right winner, the negative-weight red for a wrong one, so "right" and
// "wrong" read at a glance in both themes.
var (
	rightColor = rgb(0x1f, 0x9d, 0x55)
	focusColor = rgb(0x8a, 0x3f, 0xd1) // the fired (or linked) input: not a weight colour
)

// maxPulses bounds the moving dots of the hidden-to-output pulse: beyond a
// few thousand they are a grey haze that costs more than it shows.
const maxPulses = 3000

// drawWalk draws the selected input firing over the network: its pulse, the
// hidden units filled with their activations, the outputs' softmax, the
// target and the winner, and the logit bars in the reserved strip.
func (ex *Explainer) drawWalk(screen *ebiten.Image, v *NetView, net *core.Network) {
	l := v.layout
	if l == nil {
		return
	}
	th := v.theme()
	s := l.Scale
	if i := ex.linked; i >= 0 && i < len(l.In) {
		v.ring(screen, l.In[i], l.R+4*s, 2*s, focusColor, 0.7)
	}
	if !ex.insOK {
		v.flush(screen, true)
		return
	}
	ins := &ex.ins
	i := ins.Input
	pin, pout := ex.walk.Progress()
	src := l.In[i]
	v.ring(screen, src, l.R+3*s, 3*s, focusColor, 1)
	if net.K == 0 {
		pout = pin
		for j, q := range l.Out {
			if pin < 1 {
				v.disc(screen, lerp(src, q, pin), 3*s, v.signColor(net.W2.At(j, i), th), 0.9)
			}
		}
	} else {
		// The fired input's own connections, drawn again on top in full.
		for h, q := range l.Hidden {
			w := net.W1.At(h, i)
			v.quad(screen, layout.Quad(src, q, max(2*s, l.Scale*3*math.Abs(math.Tanh(w)))), v.signColor(w, th), 0.9, true)
		}
		if pin < 1 {
			for h, q := range l.Hidden {
				v.disc(screen, lerp(src, q, pin), 4*s, v.signColor(net.W1.At(h, i), th), 1)
			}
		}
		if pout > 0 && pout < 1 && net.N*net.K <= maxPulses {
			maxC := 1e-9
			for _, row := range ins.Contrib {
				for _, c := range row {
					maxC = max(maxC, math.Abs(c))
				}
			}
			for j, q := range l.Out {
				for h, p := range l.Hidden {
					c := ins.Contrib[j][h]
					v.disc(screen, lerp(p, q, pout), 2.5*s, v.signColor(c, th), 0.2+0.8*math.Abs(c)/maxC)
				}
			}
		}
		// Each hidden unit fills with its activation: colour for the sign,
		// area for the magnitude, growing as the pulse arrives.
		for h, p := range l.Hidden {
			a := ins.Hidden[h] * pin
			if r := l.HR * math.Sqrt(min(math.Abs(a), 1)); r > 0.5 {
				v.disc(screen, p, r, v.signColor(a, th), 0.85)
			}
		}
	}
	v.flush(screen, true)
	if net.K > 0 && l.HR >= 9*s {
		for h, p := range l.Hidden {
			v.drawText(screen, fmt.Sprintf("%.2f", ins.Hidden[h]*pin), min(11*s, l.HR*0.8), p.X, p.Y+l.HR+8*s, text.AlignCenter, th.text)
		}
	}
	if pout <= 0 {
		return
	}
	ex.drawOutputs(screen, v, l, pout)
}

// drawOutputs shows the softmax over the outputs (each filled by its
// probability), rings the target, marks the winner, and draws each logit as
// a bar in the strip right of the network.
func (ex *Explainer) drawOutputs(screen *ebiten.Image, v *NetView, l *layout.Layout, pout float64) {
	th := v.theme()
	ins := &ex.ins
	s := l.Scale
	win := rightColor
	if !ins.Correct {
		win = th.neg
	}
	for j, q := range l.Out {
		if p := ins.Probs[j] * pout; p > 0.01 {
			v.disc(screen, q, l.R, win, 0.9*p)
		}
	}
	if t := ins.Target; t >= 0 {
		v.ring(screen, l.Out[t], l.R+3*s, 2.5*s, rightColor, pout)
	}
	v.ring(screen, l.Out[ins.Winner], l.R+6.5*s, 1.5*s, win, pout)
	v.flush(screen, true)
	if !ins.Correct && ins.Target >= 0 && l.R >= 5*s {
		q := l.Out[ins.Winner]
		v.drawText(screen, "✗", 2*l.R, q.X-l.R-10*s, q.Y, text.AlignEnd, th.neg)
	}
	if v.reserve <= 0 {
		return
	}
	x0 := v.rect.X + v.rect.W - v.reserve + 8*s
	bw := v.reserve - 14*s
	zero := x0 + 0.3*bw
	maxZ := 1e-9
	for _, z := range ins.Logits {
		if !math.IsNaN(z) && !math.IsInf(z, 0) {
			maxZ = max(maxZ, math.Abs(z))
		}
	}
	rowH := l.RowY(1) - l.RowY(0)
	barH := clampF(rowH*0.28, 1*s, 7*s)
	showText := rowH >= 26*s
	for j, q := range l.Out {
		z := ins.Logits[j] * pout
		length := z / maxZ * 0.7 * bw
		length = max(length, -0.3*bw)
		y := q.Y
		if showText {
			y -= barH
		}
		c := th.pos
		if z < 0 {
			c = th.neg
		}
		a, b := min(zero, zero+length), max(zero, zero+length)
		v.quad(screen, [4]layout.Point{{X: a, Y: y - barH/2}, {X: b, Y: y - barH/2}, {X: b, Y: y + barH/2}, {X: a, Y: y + barH/2}}, c, 0.85, false)
	}
	top, bottom := l.RowY(0)-rowH/2, l.RowY(l.N-1)+rowH/2
	v.quad(screen, layout.Quad(layout.Point{X: zero, Y: top}, layout.Point{X: zero, Y: bottom}, max(1, s)), th.muted, 0.6, false)
	v.flush(screen, false)
	if showText {
		size := min(10.5*s, rowH*0.3)
		for j, q := range l.Out {
			v.drawText(screen, probText(ins.Probs[j]), size, x0, q.Y+size*0.7, text.AlignStart, th.muted)
		}
		v.drawText(screen, "logit · p", 10*s, x0, max(top-2*s, v.rect.Y+7*s), text.AlignStart, th.muted)
	}
}

// probText formats a softmax probability so that the silenced outputs read
// as almost nothing rather than as a misleading 0%.
func probText(p float64) string {
	switch {
	case p >= 0.995:
		return "p≈1"
	case p >= 0.01:
		return fmt.Sprintf("p %.0f%%", 100*p)
	case p > 0:
		return "p<1%"
	}
	return "p 0"
}

// ring queues a circle outline of radius r and stroke width w as quads.
func (v *NetView) ring(screen *ebiten.Image, p layout.Point, r, w float64, c color.RGBA, alpha float64) {
	const seg = 32
	u := v.circle(seg)
	for k := range seg {
		u0, u1 := u[k], u[(k+1)%seg]
		a := layout.Point{X: p.X + r*u0.X, Y: p.Y + r*u0.Y}
		b := layout.Point{X: p.X + r*u1.X, Y: p.Y + r*u1.Y}
		v.quad(screen, layout.Quad(a, b, w), c, alpha, true)
	}
}

func lerp(a, b layout.Point, t float64) layout.Point {
	return layout.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}
}

func clampF(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }
