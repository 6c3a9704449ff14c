//go:build js && wasm

package views

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
)

// theme holds the canvas colours for the light or dark page.
type theme struct {
	bg, node, nodeLine, unused, text, muted, tipBg, tipLine color.RGBA
	pos, neg                                                color.RGBA
	// hidden fills the hidden units: the bottleneck gets the one accent
	// colour so the eye finds it at once, whatever N is.
	hidden, hiddenText color.RGBA
}

// The post draws positive weights blue and negative ones red; the shades
// differ a little per theme so both stay visible on their background.
var (
	// The light theme is the saved figures' palette (figure.Light): one home
	// for the colours, so a saved SVG looks like the canvas.
	lightTheme = theme{
		bg: figure.Light.Background, node: figure.Light.Node, nodeLine: figure.Light.NodeLine,
		unused: figure.Light.Unused, text: figure.Light.Text, muted: figure.Light.Muted,
		tipBg: rgb(0x1b, 0x1f, 0x27), tipLine: rgb(0xff, 0xff, 0xff),
		pos: figure.Light.Positive, neg: figure.Light.Negative,
		hidden: figure.Light.Hidden, hiddenText: figure.Light.HiddenText,
	}
	// The dark theme is figure.Dark, in which the page's picture of the
	// network is drawn while a dark page's canvas loads.
	darkTheme = theme{
		bg: figure.Dark.Background, node: figure.Dark.Node, nodeLine: figure.Dark.NodeLine,
		unused: figure.Dark.Unused, text: figure.Dark.Text, muted: figure.Dark.Muted,
		tipBg: rgb(0xf1, 0xf3, 0xf7), tipLine: rgb(0x16, 0x19, 0x20),
		pos: figure.Dark.Positive, neg: figure.Dark.Negative,
		hidden: figure.Dark.Hidden, hiddenText: figure.Dark.HiddenText,
	}
)

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// maxBatchVertices keeps each DrawTriangles call within uint16 indices.
const maxBatchVertices = 65532

// NetView draws the network and the hover tooltip, and follows the pointer
// over the canvas. All of its state belongs to the game loop: its methods
// must be called from ebiten's Update and Draw, or from closures that
// Update drains.
type NetView struct {
	fonts *fontCache
	white *ebiten.Image // a 1x1 white source for solid triangles
	verts []ebiten.Vertex
	idx   []uint16
	conns []layout.Connection // the connections of the frame, reused
	// circles holds layout.UnitCircle per segment count, for disc and ring.
	circles map[int][]layout.Point
	nodes   nodeCache
	layout  *layout.Layout
	dark    bool
	// rect and reserve are what layout was computed for.
	rect    layout.Rect
	reserve float64

	// The pointer (mouse or last touch) in screen pixels; ok is false when it
	// is not over the canvas.
	px, py float64
	ok     bool
	lastCX int
	lastCY int

	drawCalls int // DrawTriangles and DrawImage calls since TakeDrawCalls
}

// NewNetView returns a view in the light theme with the pointer away from
// the canvas.
func NewNetView() *NetView {
	return &NetView{fonts: newFontCache(), white: whitePixel(), lastCX: -1, lastCY: -1, circles: map[int][]layout.Point{}}
}

// circle returns layout.UnitCircle(seg), made once per segment count.
func (v *NetView) circle(seg int) []layout.Point {
	c, ok := v.circles[seg]
	if !ok {
		c = layout.UnitCircle(seg)
		v.circles[seg] = c
	}
	return c
}

func (v *NetView) theme() *theme {
	if v.dark {
		return &darkTheme
	}
	return &lightTheme
}

// SetDark switches between the dark and the light theme, as the page's
// colour scheme does.
func (v *NetView) SetDark(dark bool) { v.dark = dark }

// Dark reports whether the view draws in the dark theme.
func (v *NetView) Dark() bool { return v.dark }

// Background is the canvas colour of the current theme.
func (v *NetView) Background() color.RGBA { return v.theme().bg }

// TakeDrawCalls returns the draw calls made since its last call (one Draw's
// worth when called once a frame), for the debug overlay, and starts the
// count again.
func (v *NetView) TakeDrawCalls() int {
	n := v.drawCalls
	v.drawCalls = 0
	return n
}

// UpdatePointer follows the mouse and touches; call it once per Update. A
// touch keeps its position after the finger lifts, so a tap on a node
// leaves its values on screen.
func (v *NetView) UpdatePointer() {
	if ids := ebiten.AppendTouchIDs(nil); len(ids) > 0 {
		x, y := ebiten.TouchPosition(ids[0])
		v.px, v.py, v.ok = float64(x), float64(y), true
		return
	}
	x, y := ebiten.CursorPosition()
	if x != v.lastCX || y != v.lastCY {
		v.lastCX, v.lastCY = x, y
		v.px, v.py, v.ok = float64(x), float64(y), true
	}
}

// PointerLeft hides the tooltip when the mouse leaves the canvas.
func (v *NetView) PointerLeft() { v.ok = false }

// draw renders tr's network, whose inputs have targets (core.Targets), into
// rectangle r of screen, leaving reserve device pixels on the right free for
// the walk-through's output bars. The caller fills the background and draws
// the tooltip last (drawTip), so the other panels cannot cover it.
func (v *NetView) draw(screen *ebiten.Image, tr *core.Trainer, targets []int, r layout.Rect, reserve float64) {
	th := v.theme()
	net := tr.Network()
	scale := ebiten.Monitor().DeviceScaleFactor()
	if l := v.layout; l == nil || v.rect != r || v.reserve != reserve || l.N != net.N || l.K != net.K || l.Scale != scale {
		v.layout = layout.NewLayoutIn(r, reserve, net.N, net.K, scale)
		v.rect, v.reserve = r, reserve
	}
	l := v.layout
	v.drawEdges(screen, net, l, th)
	v.drawNodes(screen, targets, l, th)
	if l.Labels {
		v.drawLabels(screen, l, th)
	}
	if l.Numbers {
		v.drawNumbers(screen, net, l, th)
	}
}

// drawTip draws the tooltip for what the pointer is over, if anything; it
// reads the live trainer, so the value follows training frame by frame.
func (v *NetView) drawTip(screen *ebiten.Image, tr *core.Trainer) {
	if l := v.layout; v.ok && l != nil {
		if tip := v.tooltip(tr, l); tip != "" {
			v.drawTooltip(screen, tip, l, v.theme())
		}
	}
}

// drawEdges draws every connection as a quad, batched into as few
// DrawTriangles calls as the uint16 index limit allows.
func (v *NetView) drawEdges(screen *ebiten.Image, net *core.Network, l *layout.Layout, th *theme) {
	aa := l.Edges() <= 4000
	v.conns = l.Connections(v.conns, net)
	for _, c := range v.conns {
		v.line(screen, c.A, c.B, c.Weight, c.Strength, l, th, aa)
	}
	v.flush(screen, aa)
}

// line queues one connection coloured by the sign of w with strength f.
func (v *NetView) line(screen *ebiten.Image, a, b layout.Point, w, f float64, l *layout.Layout, th *theme, aa bool) {
	width, alpha := l.Stroke(f)
	c := th.pos
	if w < 0 {
		c = th.neg
	}
	q := layout.Quad(a, b, width)
	v.quad(screen, q, c, alpha, aa)
}

func (v *NetView) quad(screen *ebiten.Image, q [4]layout.Point, c color.RGBA, alpha float64, aa bool) {
	if len(v.verts)+4 > maxBatchVertices {
		v.flush(screen, aa)
	}
	base := uint16(len(v.verts))
	t := vertex(0, 0, c, alpha) // the colour, worked out once for the four corners
	for _, p := range q {
		t.DstX, t.DstY = float32(p.X), float32(p.Y)
		v.verts = append(v.verts, t)
	}
	v.idx = append(v.idx, base, base+1, base+2, base, base+2, base+3)
}

// disc queues a filled circle as a triangle fan.
func (v *NetView) disc(screen *ebiten.Image, p layout.Point, r float64, c color.RGBA, alpha float64) {
	seg := 10
	if r > 4 {
		seg = 28
	}
	if len(v.verts)+seg+1 > maxBatchVertices {
		v.flush(screen, false)
	}
	base := uint16(len(v.verts))
	t := vertex(p.X, p.Y, c, alpha) // the centre; the rim shares its colour
	v.verts = append(v.verts, t)
	for _, u := range v.circle(seg) {
		t.DstX, t.DstY = float32(p.X+r*u.X), float32(p.Y+r*u.Y)
		v.verts = append(v.verts, t)
	}
	for s := range seg {
		v.idx = append(v.idx, base, base+1+uint16(s), base+1+uint16((s+1)%seg))
	}
}

func vertex(x, y float64, c color.RGBA, alpha float64) ebiten.Vertex {
	return ebiten.Vertex{
		DstX: float32(x), DstY: float32(y), SrcX: 1, SrcY: 1,
		ColorR: float32(c.R) / 255, ColorG: float32(c.G) / 255, ColorB: float32(c.B) / 255, ColorA: float32(alpha),
	}
}

func (v *NetView) flush(screen *ebiten.Image, aa bool) {
	if len(v.idx) == 0 {
		return
	}
	if c := &v.nodes; c.building { // into the nodes' picture, whose corner is at (x, y)
		for i := range v.verts {
			v.verts[i].DstX -= float32(c.x)
			v.verts[i].DstY -= float32(c.y)
		}
		screen = c.img
	}
	screen.DrawTriangles(v.verts, v.idx, v.white, &ebiten.DrawTrianglesOptions{AntiAlias: aa})
	v.drawCalls++
	v.verts, v.idx = v.verts[:0], v.idx[:0]
}

// nodeCache is a picture of the network's nodes, which change only with the
// layout, the theme and the task's targets, while the connections under them
// change every step. At N = 128 the nodes are some 15,000 vertices, which
// ebiten copies several times on each DrawTriangles: they were about a
// twentieth of a frame's Go time (timers around the parts of Draw), and
// drawing them once into an image makes that nearly nothing. The picture is
// drawn at a whole-pixel offset, so it lands on the same pixels as the discs
// drawn straight onto the screen would.
type nodeCache struct {
	layout   *layout.Layout // what img was drawn for
	dark     bool
	targets  []int
	img      *ebiten.Image
	x, y     int  // img's top-left corner on the screen
	building bool // flush draws into img
}

// drawNodes draws the nodes' picture, drawn afresh when stale.
func (v *NetView) drawNodes(screen *ebiten.Image, targets []int, l *layout.Layout, th *theme) {
	c := &v.nodes
	if c.img == nil || c.layout != l || c.dark != v.dark || !slices.Equal(c.targets, targets) {
		c.layout, c.dark, c.targets = l, v.dark, slices.Clone(targets)
		if c.img != nil {
			c.img.Deallocate()
		}
		b := l.NodeBounds(3*l.Scale + 2) // the rings (at most 1.5·Scale) and antialiasing
		c.x, c.y = int(math.Floor(b.X)), int(math.Floor(b.Y))
		c.img = ebiten.NewImage(max(1, int(math.Ceil(b.X+b.W))-c.x), max(1, int(math.Ceil(b.Y+b.H))-c.y))
		c.building = true
		v.makeNodes(screen, targets, l, th)
		c.building = false
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(float64(c.x), float64(c.y))
	screen.DrawImage(c.img, op)
	v.drawCalls++
}

// makeNodes draws each node as a ringed disc; inputs that have no target
// (the post's "input 5 never gets fired") are filled grey.
func (v *NetView) makeNodes(screen *ebiten.Image, targets []int, l *layout.Layout, th *theme) {
	ring := max(1, l.Scale*1.2)
	if l.R < 3*l.Scale {
		ring = 0
	}
	fillOf := func(used bool) color.RGBA {
		if used {
			return th.node
		}
		return th.unused
	}
	hit := make([]bool, l.N)
	for _, t := range targets {
		if t >= 0 {
			hit[t] = true
		}
	}
	for i, p := range l.In {
		v.node(screen, p, l.R, ring, fillOf(targets[i] >= 0), th)
	}
	for j, p := range l.Out {
		v.node(screen, p, l.R, ring, fillOf(hit[j]), th)
	}
	for _, p := range l.Hidden {
		v.node(screen, p, l.HR, max(ring, l.Scale*1.5), th.hidden, th)
	}
	// Antialiased discs look round; for hundreds of dots it costs more than
	// it shows.
	v.flush(screen, l.N <= 128)
}

func (v *NetView) node(screen *ebiten.Image, p layout.Point, r, ring float64, fill color.RGBA, th *theme) {
	if ring == 0 { // tiny nodes: one solid dot reads better than a ring
		v.disc(screen, p, r, th.nodeLine, 0.9)
		return
	}
	v.disc(screen, p, r+ring, th.nodeLine, 1)
	v.disc(screen, p, r, fill, 1)
}

// drawText draws s centred (or aligned) at (x, y).
func (v *NetView) drawText(screen *ebiten.Image, s string, size, x, y float64, h text.Align, c color.RGBA) {
	drawText(screen, s, v.fonts.face(size), x, y, h, c)
}

func (v *NetView) drawLabels(screen *ebiten.Image, l *layout.Layout, th *theme) {
	for i, p := range l.In {
		v.drawText(screen, fmt.Sprint(i+1), l.LabelSize, p.X, p.Y, text.AlignCenter, th.text)
		q := l.Out[i]
		v.drawText(screen, fmt.Sprint(i+1), l.LabelSize, q.X, q.Y, text.AlignCenter, th.text)
	}
	for h, p := range l.Hidden {
		v.drawText(screen, fmt.Sprint(h+1), min(l.HR*0.95, 14*l.Scale), p.X, p.Y, text.AlignCenter, th.hiddenText)
	}
}

// drawNumbers writes the post's numbers beside each node, one per hidden
// unit, top to bottom (layout.NodeNumber). Each number takes its sign's colour.
func (v *NetView) drawNumbers(screen *ebiten.Image, net *core.Network, l *layout.Layout, th *theme) {
	lineH, gap := l.NumberLineHeight(), l.NumberGap()
	for i, p := range l.In {
		y0 := l.NumberTop(p.Y, net.K)
		for h := 0; h < net.K; h++ {
			x := layout.NodeNumber(net, layout.LayerIn, i, h)
			v.drawText(screen, layout.FormatNumber(x), l.NumSize, p.X-gap, y0+lineH*float64(h), text.AlignEnd, v.signColor(x, th))
		}
	}
	for j, p := range l.Out {
		y0 := l.NumberTop(p.Y, net.K)
		for h := 0; h < net.K; h++ {
			x := layout.NodeNumber(net, layout.LayerOut, j, h)
			v.drawText(screen, layout.FormatNumber(x), l.NumSize, p.X+gap, y0+lineH*float64(h), text.AlignStart, v.signColor(x, th))
		}
	}
}

func (v *NetView) signColor(x float64, th *theme) color.RGBA {
	if x < 0 {
		return th.neg
	}
	return th.pos
}

// tooltip returns the text for what the pointer is over, or "".
func (v *NetView) tooltip(tr *core.Trainer, l *layout.Layout) string {
	net := tr.Network()
	cfg := tr.Config()
	targets := core.Targets(&cfg)
	var b strings.Builder
	if n, ok := l.HitNode(v.px, v.py); ok {
		switch n.Layer {
		case layout.LayerIn:
			i := n.Index
			if targets[i] >= 0 {
				fmt.Fprintf(&b, "Input %d → should fire output %d", i+1, targets[i]+1)
			} else {
				fmt.Fprintf(&b, "Input %d (no target: never fired)", i+1)
			}
			if ins, ok := tr.Inspect(i); ok {
				fmt.Fprintf(&b, "\nfires output %d, margin %.4g", ins.Winner+1, ins.Margin)
			}
			for h := 0; h < min(net.K, 16); h++ {
				x := net.W1.At(h, i)
				fmt.Fprintf(&b, "\n→ hidden %d: w = %.6g  (10·tanh = %.3f)", h+1, x, core.DisplayScale*math.Tanh(x))
			}
		case layout.LayerHidden:
			h := n.Index
			fmt.Fprintf(&b, "Hidden unit %d (%s)\nbias = %.6g", h+1, cfg.Activation, net.B1.AtVec(h))
		case layout.LayerOut:
			j := n.Index
			fmt.Fprintf(&b, "Output %d\nbias = %.6g", j+1, net.B2.AtVec(j))
			for h := 0; h < min(net.K, 16); h++ {
				fmt.Fprintf(&b, "\nhidden %d →: w = %.6g", h+1, net.W2.At(j, h))
			}
		}
		return b.String()
	}
	e, ok := l.HitEdge(v.px, v.py)
	if !ok {
		return ""
	}
	switch {
	case net.K == 0:
		fmt.Fprintf(&b, "Input %d → output %d\nw = %.6g", e.From+1, e.To+1, net.W2.At(e.To, e.From))
	case e.Layer == layout.LayerIn:
		x := net.W1.At(e.To, e.From)
		fmt.Fprintf(&b, "Input %d → hidden %d\nw = %.6g\n10·tanh(w) = %.4f", e.From+1, e.To+1, x, core.DisplayScale*math.Tanh(x))
	default:
		fmt.Fprintf(&b, "Hidden %d → output %d\nw = %.6g", e.From+1, e.To+1, net.W2.At(e.To, e.From))
	}
	return b.String()
}

// drawTooltip draws s in a box near the pointer, kept inside the canvas.
func (v *NetView) drawTooltip(screen *ebiten.Image, s string, l *layout.Layout, th *theme) {
	size := 13 * l.Scale
	face := v.fonts.face(size)
	lineH := size * 1.35
	tw, _ := text.Measure(s, face, lineH)
	lines := strings.Count(s, "\n") + 1
	pad := 8 * l.Scale
	bw, bh := tw+2*pad, float64(lines)*lineH+2*pad
	x, y := v.px+14*l.Scale, v.py+14*l.Scale
	sw, sh := float64(screen.Bounds().Dx()), float64(screen.Bounds().Dy())
	if x+bw > sw {
		x = max(0, v.px-14*l.Scale-bw)
	}
	if y+bh > sh {
		y = max(0, sh-bh)
	}
	q := [4]layout.Point{{X: x, Y: y}, {X: x + bw, Y: y}, {X: x + bw, Y: y + bh}, {X: x, Y: y + bh}}
	v.quad(screen, q, th.tipBg, 0.94, false)
	v.flush(screen, false)
	op := &text.DrawOptions{}
	op.GeoM.Translate(x+pad, y+pad)
	op.LineSpacing = lineH
	op.ColorScale.ScaleWithColor(th.tipLine)
	text.Draw(screen, s, face, op)
}

// Outline draws a frame of line width w inside rectangle r in the accent
// colour with opacity alpha, its lines a pixel clear of the edge at device
// scale s: the tour points at a panel with it.
func (v *NetView) Outline(screen *ebiten.Image, r layout.Rect, w, alpha, s float64) {
	in := w/2 + s // inside the panel, clear of the canvas edge
	x0, y0, x1, y1 := r.X+in, r.Y+in, r.X+r.W-in, r.Y+r.H-in
	c := v.theme().pos // the page's accent colour
	pt := func(x, y float64) layout.Point { return layout.Point{X: x, Y: y} }
	// Each side runs w/2 past its corners so that the corners are square.
	v.quad(screen, layout.Quad(pt(x0-w/2, y0), pt(x1+w/2, y0), w), c, alpha, false)
	v.quad(screen, layout.Quad(pt(x0-w/2, y1), pt(x1+w/2, y1), w), c, alpha, false)
	v.quad(screen, layout.Quad(pt(x0, y0+w/2), pt(x0, y1-w/2), w), c, alpha, false)
	v.quad(screen, layout.Quad(pt(x1, y0+w/2), pt(x1, y1-w/2), w), c, alpha, false)
	v.flush(screen, false)
}
