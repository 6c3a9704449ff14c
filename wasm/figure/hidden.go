package figure

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
)

// ErrHiddenK is returned by HiddenSpace for networks whose hidden space has
// no exact flat picture: k = 0 (none) and k ≥ 3 (the page shows a turning
// cube or a projection, which only sample the space).
var ErrHiddenK = errors.New("the hidden space can be saved as a figure for k = 1 or 2 hidden units only")

// The hidden-space figure's size, in SVG user units.
const (
	hidSide   = 480.0 // the k = 2 square
	hidStripW = 640.0 // the k = 1 strip
	hidStripH = 120.0
	hidMargin = 44.0
	hidTitleH = 34.0
)

// HiddenSpace returns the SVG of net's hidden space, as the page's "hidden
// space" panel shows it: each input's code as a dot in its target output's
// colour (grey for an input without target), numbered when N ≤ 24, over the
// places where each output wins, shaded in that output's colour
// (explain.Shade over the background). For k = 1 those places are exact
// intervals of the line (explain.Intervals), for k = 2 exact convex polygons
// (explain.Regions), not a raster. The frame is the activation's range,
// widened to hold every code (explain.FitBox). cfg is net's config and step
// its step, for the caption. net is not modified.
//
// It returns ErrHiddenK for k other than 1 and 2, and the explain error when
// a weight is not finite.
func HiddenSpace(net *core.Network, cfg core.Config, step int) ([]byte, error) {
	return HiddenSpaceMarked(net, cfg, step, nil)
}

// HiddenSpaceMarked is HiddenSpace with the dots of the inputs in unfit
// (0-based; out-of-range entries are ignored) crossed out in red, each a
// <path class="unwinnable" data-input="i">: the inputs whose outputs Fit
// outputs found unwinnable (core.UnwinnableError), and a note under the
// title naming them. It returns HiddenSpace's errors.
func HiddenSpaceMarked(net *core.Network, cfg core.Config, step int, unfit []int) ([]byte, error) {
	if net.K != 1 && net.K != 2 {
		return nil, ErrHiddenK
	}
	var codes mat.Dense
	if err := explain.Codes(&codes, net); err != nil {
		return nil, err
	}
	for i := 0; i < net.N; i++ {
		for u := 0; u < net.K; u++ {
			if x := codes.At(i, u); math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, explain.ErrNaN
			}
		}
	}
	c := &Light
	caption := Caption(cfg, step)
	targets := core.Targets(&cfg)
	var s svg
	var vp explain.Viewport
	var w, h float64
	if net.K == 1 {
		lo, hi := explain.Range(net.Activation)
		for i := 0; i < net.N; i++ {
			lo, hi = min(lo, codes.At(i, 0)), max(hi, codes.At(i, 0))
		}
		ivs, err := explain.Intervals(nil, net, lo, hi)
		if err != nil {
			return nil, err
		}
		w, h = hidStripW, hidTitleH+hidStripH+2*hidMargin+captionH
		vp = explain.Viewport{Box: explain.Box{MinX: lo, MinY: -1, MaxX: hi, MaxY: 1}, X: hidMargin, Y: hidTitleH + hidMargin, W: w - 2*hidMargin, H: hidStripH}
		s.open(w, h, "Bottleneck hidden space: "+caption, "The hidden code of each input on the line of the one hidden unit, and the interval of the line where each output wins.", c)
		s.text("title", hidMargin, hidTitleH/2+6, 15, "start", c.Text, "hidden space: k = 1, where each output wins on the line")
		y := vp.Y + vp.H/2
		band := min(vp.H*0.35, 26)
		s.b.WriteString(`<g class="regions">` + "\n")
		for _, iv := range ivs {
			a, b := vp.ToView(iv.From, 0), vp.ToView(iv.To, 0)
			fmt.Fprintf(&s.b, `<rect class="interval" data-output="%d" data-from="%s" data-to="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
				iv.Output+1, strconv.FormatFloat(iv.From, 'g', -1, 64), strconv.FormatFloat(iv.To, 'g', -1, 64),
				num(a.X), num(y-band), num(max(b.X-a.X, 0)), num(2*band), Hex(explain.Shade(iv.Output, c.Background)))
		}
		s.b.WriteString("</g>\n")
		fmt.Fprintf(&s.b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-opacity="0.8"/>`+"\n", num(vp.X), num(y), num(vp.X+vp.W), num(y), Hex(c.Muted))
		for _, iv := range ivs {
			a, b := vp.ToView(iv.From, 0), vp.ToView(iv.To, 0)
			if b.X-a.X > 30 {
				s.text("output-label", (a.X+b.X)/2, y+band-8, 10, "middle", c.Text, "out "+strconv.Itoa(iv.Output+1))
			}
		}
		for _, t := range []float64{lo, 0, hi} {
			q := vp.ToView(t, 0)
			s.text("tick", q.X, y+band+12, 10, "middle", c.Muted, strconv.FormatFloat(t, 'g', 2, 64))
		}
		s.text("axis-label", vp.X+vp.W, y+band+28, 11, "end", c.Muted, "hidden unit 1")
	} else {
		box := explain.FitBox(net, &codes)
		regs, err := explain.Regions(nil, net, box)
		if err != nil {
			return nil, err
		}
		w, h = hidSide+2*hidMargin, hidTitleH+hidSide+2*hidMargin+captionH
		vp = explain.Viewport{Box: box, X: hidMargin, Y: hidTitleH + hidMargin, W: hidSide, H: hidSide}
		s.open(w, h, "Bottleneck hidden space: "+caption, "Each input's hidden code as a dot in the square of the two hidden units, and the exact region of the square where each output wins.", c)
		s.text("title", hidMargin, hidTitleH/2+6, 15, "start", c.Text, "hidden space: k = 2, where each output wins")
		s.b.WriteString(`<g class="regions">` + "\n")
		for _, r := range regs {
			pts := make([]string, len(r.Poly))
			for k, p := range r.Poly {
				q := vp.ToView(p.X, p.Y)
				pts[k] = num(q.X) + "," + num(q.Y)
			}
			fmt.Fprintf(&s.b, `<polygon class="region" data-output="%d" points="%s" fill="%s" stroke="%s" stroke-width="0.5"/>`+"\n",
				r.Output+1, strings.Join(pts, " "), Hex(explain.Shade(r.Output, c.Background)), Hex(explain.Shade(r.Output, c.Background)))
		}
		s.b.WriteString("</g>\n")
		o := vp.ToView(0, 0)
		fmt.Fprintf(&s.b, `<rect class="frame" x="%s" y="%s" width="%s" height="%s" fill="none" stroke="%s" stroke-opacity="0.7"/>`+"\n", num(vp.X), num(vp.Y), num(vp.W), num(vp.H), Hex(c.Muted))
		if o.Y > vp.Y && o.Y < vp.Y+vp.H {
			fmt.Fprintf(&s.b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-opacity="0.35"/>`+"\n", num(vp.X), num(o.Y), num(vp.X+vp.W), num(o.Y), Hex(c.Muted))
		}
		if o.X > vp.X && o.X < vp.X+vp.W {
			fmt.Fprintf(&s.b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-opacity="0.35"/>`+"\n", num(o.X), num(vp.Y), num(o.X), num(vp.Y+vp.H), Hex(c.Muted))
		}
		fx := func(x float64) string { return strconv.FormatFloat(x, 'g', 2, 64) }
		s.text("tick", vp.X, vp.Y+vp.H+12, 10, "middle", c.Muted, fx(box.MinX))
		s.text("tick", vp.X+vp.W, vp.Y+vp.H+12, 10, "middle", c.Muted, fx(box.MaxX))
		s.text("tick", vp.X-6, vp.Y+vp.H, 10, "end", c.Muted, fx(box.MinY))
		s.text("tick", vp.X-6, vp.Y, 10, "end", c.Muted, fx(box.MaxY))
		s.text("axis-label", vp.X+vp.W/2, vp.Y+vp.H+26, 11, "middle", c.Muted, "hidden unit 1")
		s.elem("text", fmt.Sprintf(`class="axis-label" x="%s" y="%s" font-size="11" text-anchor="middle" dominant-baseline="central" fill="%s" transform="rotate(-90 %s %s)"`,
			num(vp.X-26), num(vp.Y+vp.H/2), Hex(c.Muted), num(vp.X-26), num(vp.Y+vp.H/2)), "hidden unit 2")
	}

	// The dots: each input's code, filled with its target's colour.
	r := min(max(vp.W/float64(4*max(net.N, 1)), 2), 5)
	s.b.WriteString(`<g class="codes">` + "\n")
	pts := make([]explain.Point, net.N)
	for i := 0; i < net.N; i++ {
		y := 0.0
		if net.K == 2 {
			y = codes.At(i, 1)
		}
		p := vp.ToView(codes.At(i, 0), y)
		pts[i] = p
		fill := c.Unused
		if i < len(targets) && targets[i] >= 0 {
			fill = explain.OutputColor(targets[i])
		}
		fmt.Fprintf(&s.b, `<circle class="code" data-input="%d" cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1"/>`+"\n",
			i+1, num(p.X), num(p.Y), num(r+0.5), Hex(fill), Hex(c.NodeLine))
	}
	if net.N <= 24 {
		// As on the canvas: dots that (nearly) coincide share one label.
		for _, g := range explain.GroupLabels(nil, pts, explain.LabelRadius) {
			s.text("code-label", g.At.X+r+3, g.At.Y-r-3, 10, "start", c.Text, g.Text())
		}
	}
	s.b.WriteString("</g>\n")
	var named []string
	for _, i := range unfit {
		if i < 0 || i >= net.N {
			continue
		}
		p, a := pts[i], r+3
		fmt.Fprintf(&s.b, `<path class="unwinnable" data-input="%d" d="M%s %sL%s %sM%s %sL%s %s" stroke="%s" stroke-width="2" fill="none"/>`+"\n",
			i+1, num(p.X-a), num(p.Y-a), num(p.X+a), num(p.Y+a), num(p.X-a), num(p.Y+a), num(p.X+a), num(p.Y-a), Hex(c.Negative))
		named = append(named, strconv.Itoa(i+1))
	}
	if len(named) > 0 {
		s.text("unwinnable-note", w-hidMargin, hidTitleH/2+6, 11, "end", c.Negative,
			"crossed out: input "+strings.Join(named, ", ")+" (its output cannot win without output biases)")
	}
	s.text("caption", w/2, h-captionH/2, 15, "middle", c.Text, caption)
	return s.close(), nil
}
