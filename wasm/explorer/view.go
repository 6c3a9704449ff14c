//go:build js && wasm

package explorer

import (
	"image/color"
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/textdraw"
)

// capTheme holds the plot's colours for the light or dark page; they follow
// style.css's palette.
type capTheme struct {
	bg, text, muted, grid, axis, ours, post, lister, fail, current, built color.RGBA
}

var (
	capLight = capTheme{
		bg: capRGB(0xfb, 0xfb, 0xfd), text: capRGB(0x1b, 0x1f, 0x27), muted: capRGB(0x5d, 0x66, 0x75),
		grid: capRGB(0xe6, 0xe8, 0xee), axis: capRGB(0x5d, 0x66, 0x75),
		ours: capRGB(0x1f, 0x5f, 0xd6), post: capRGB(0xd9, 0x8a, 0x00), lister: capRGB(0xd6, 0x33, 0x2b),
		fail: capRGB(0xd6, 0x33, 0x2b), current: capRGB(0x1f, 0x5f, 0xd6), built: capRGB(0x1a, 0x86, 0x4a),
	}
	capDark = capTheme{
		bg: capRGB(0x16, 0x19, 0x20), text: capRGB(0xe8, 0xec, 0xf2), muted: capRGB(0x9a, 0xa4, 0xb4),
		grid: capRGB(0x26, 0x2b, 0x35), axis: capRGB(0x9a, 0xa4, 0xb4),
		ours: capRGB(0x5b, 0x9c, 0xff), post: capRGB(0xf2, 0xb6, 0x3c), lister: capRGB(0xff, 0x6b, 0x5e),
		fail: capRGB(0xff, 0x6b, 0x5e), current: capRGB(0x5b, 0x9c, 0xff), built: capRGB(0x4c, 0xd1, 0x7f),
	}
)

func capRGB(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// capView draws the capacity plot. Its state belongs to the game loop.
type capView struct {
	fonts *textdraw.Cache
	dark  bool
	b     capBatch
	// labels are drawn after the shapes, which are batched.
	labels []capLabel
}

type capLabel struct {
	s    string
	size float64
	x, y float64
	h    text.Align
	c    color.RGBA
}

func newCapView() *capView {
	return &capView{fonts: textdraw.NewCache(), b: capBatch{white: textdraw.WhitePixel()}}
}

func (v *capView) theme() *capTheme {
	if v.dark {
		return &capDark
	}
	return &capLight
}

// label draws s with its left (h = AlignStart), centre or right at x and its
// vertical centre at y, and returns its width.
func (v *capView) label(_ *ebiten.Image, s string, size, x, y float64, h text.Align, c color.RGBA) {
	v.labels = append(v.labels, capLabel{s, size, x, y, h, c})
}

func (v *capView) drawLabel(dst *ebiten.Image, l capLabel) {
	textdraw.Draw(dst, l.s, v.fonts.Face(l.size), l.x, l.y, l.h, l.c)
}

func (v *capView) width(s string, size float64) float64 {
	return text.Advance(s, v.fonts.Face(size))
}

// capMaxVertices keeps a batch within uint16 indices.
const capMaxVertices = 65532

// capBatch collects the plot's shapes as coloured triangles, drawn in one
// antialiased DrawTriangles call: ebiten's antialiasing renders each call
// through an offscreen image, so one call per line would cost a frame's time.
type capBatch struct {
	white *ebiten.Image
	verts []ebiten.Vertex
	idx   []uint16
}

func (b *capBatch) reset() { b.verts, b.idx = b.verts[:0], b.idx[:0] }

func (b *capBatch) vertex(x, y float64, c color.RGBA) {
	b.verts = append(b.verts, ebiten.Vertex{
		DstX: float32(x), DstY: float32(y), SrcX: 1, SrcY: 1,
		ColorR: float32(c.R) / 255, ColorG: float32(c.G) / 255, ColorB: float32(c.B) / 255, ColorA: float32(c.A) / 255,
	})
}

// room flushes the batch when n more vertices would overflow uint16 indices.
func (b *capBatch) room(dst *ebiten.Image, n int) {
	if len(b.verts)+n > capMaxVertices {
		b.flush(dst)
	}
}

func (b *capBatch) flush(dst *ebiten.Image) {
	if len(b.idx) > 0 {
		dst.DrawTriangles(b.verts, b.idx, b.white, &ebiten.DrawTrianglesOptions{AntiAlias: true})
	}
	b.reset()
}

// line adds a segment of width w.
func (b *capBatch) line(dst *ebiten.Image, x0, y0, x1, y1, w float64, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	b.room(dst, 4)
	i := uint16(len(b.verts))
	b.vertex(x0+nx, y0+ny, c)
	b.vertex(x1+nx, y1+ny, c)
	b.vertex(x1-nx, y1-ny, c)
	b.vertex(x0-nx, y0-ny, c)
	b.idx = append(b.idx, i, i+1, i+2, i, i+2, i+3)
}

// disc adds a filled circle.
func (b *capBatch) disc(dst *ebiten.Image, x, y, r float64, c color.RGBA) {
	const n = 20
	b.room(dst, n+1)
	i := uint16(len(b.verts))
	b.vertex(x, y, c)
	for j := range n {
		a := 2 * math.Pi * float64(j) / n
		b.vertex(x+r*math.Cos(a), y+r*math.Sin(a), c)
	}
	for j := range uint16(n) {
		b.idx = append(b.idx, i, i+1+j, i+1+(j+1)%n)
	}
}

// ring adds a circle's outline of width w.
func (b *capBatch) ring(dst *ebiten.Image, x, y, r, w float64, c color.RGBA) {
	const n = 24
	b.room(dst, 2*n)
	i := uint16(len(b.verts))
	for j := range n {
		a := 2 * math.Pi * float64(j) / n
		cs, sn := math.Cos(a), math.Sin(a)
		b.vertex(x+(r+w/2)*cs, y+(r+w/2)*sn, c)
		b.vertex(x+(r-w/2)*cs, y+(r-w/2)*sn, c)
	}
	for j := range uint16(n) {
		o0, i0 := i+2*j, i+2*j+1
		o1, i1 := i+2*((j+1)%n), i+2*((j+1)%n)+1
		b.idx = append(b.idx, o0, o1, i0, i0, o1, i1)
	}
}

// arrowUp adds a line from (x, y) up by length with an arrowhead.
func (b *capBatch) arrowUp(dst *ebiten.Image, x, y, length, w float64, c color.RGBA) {
	top := y - length
	b.line(dst, x, y, x, top, w, c)
	hd := 4 * w
	b.line(dst, x, top, x-hd, top+hd, w, c)
	b.line(dst, x, top, x+hd, top+hd, w, c)
}

// square adds the outline of a square of half-side r.
func (b *capBatch) square(dst *ebiten.Image, x, y, r, w float64, c color.RGBA) {
	b.line(dst, x-r-w/2, y-r, x+r+w/2, y-r, w, c)
	b.line(dst, x+r, y-r, x+r, y+r, w, c)
	b.line(dst, x+r+w/2, y+r, x-r-w/2, y+r, w, c)
	b.line(dst, x-r, y+r, x-r, y-r, w, c)
}

func (b *capBatch) diamond(dst *ebiten.Image, x, y, r, w float64, c color.RGBA) {
	b.line(dst, x, y-r, x+r, y, w, c)
	b.line(dst, x+r, y, x, y+r, w, c)
	b.line(dst, x, y+r, x-r, y, w, c)
	b.line(dst, x-r, y, x, y-r, w, c)
}

func (v *capView) draw(screen *ebiten.Image, g *game) {
	th := v.theme()
	screen.Fill(th.bg)
	v.b.reset()
	v.labels = v.labels[:0]
	defer func() {
		v.b.flush(screen)
		for _, l := range v.labels {
			v.drawLabel(screen, l)
		}
	}()
	b := screen.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	scale := ebiten.Monitor().DeviceScaleFactor()
	s := g.settings
	if g.pool != nil {
		s = g.swSettings
	}
	// Once a k has a fit, the scaling panels take the canvas's lower part.
	hMain := h
	for _, sr := range g.series {
		if sr.Fitted {
			hMain = math.Round(h * 0.6)
			v.scaling(screen, capacity.Rect{X0: 46 * scale, Y0: hMain + 30*scale, X1: w - 14*scale, Y1: h - 24*scale}, g.series, th, scale)
			break
		}
	}
	p := capacity.NewPlot(w, hMain, scale, s.Ks)
	if lines := v.legendLines(p, th, scale); lines > 1 {
		p = capacity.NewPlotLegend(w, hMain, scale, s.Ks, lines)
	}
	a := p.Area
	lw := max(1, scale)

	// Grid and N axis: powers of two, log scale.
	for _, t := range p.NTicks {
		v.b.line(screen, a.X0, t.P, a.X1, t.P, lw*0.8, th.grid)
		v.b.line(screen, a.X0-4*scale, t.P, a.X0, t.P, lw, th.axis)
		if t.Label != "" {
			v.label(screen, t.Label, p.Small, a.X0-7*scale, t.P, text.AlignEnd, th.muted)
		}
	}
	v.b.line(screen, a.X0, a.Y0, a.X0, a.Y1, lw, th.axis)
	v.b.line(screen, a.X0, a.Y1, a.X1, a.Y1, lw, th.axis)
	v.label(screen, "max N", p.Small, a.X0-7*scale, a.Y0-12*scale, text.AlignEnd, th.muted)
	// k axis: one column per k; the swept ks are in the text colour.
	swept := map[int]bool{}
	for _, k := range s.Ks {
		swept[k] = true
	}
	for _, t := range p.KTicks {
		v.b.line(screen, t.P, a.Y1, t.P, a.Y1+4*scale, lw, th.axis)
		c := th.muted
		if swept[t.V] {
			c = th.text
		}
		v.label(screen, t.Label, p.Font, t.P, a.Y1+13*scale, text.AlignCenter, c)
	}
	v.label(screen, "k (hidden units)", p.Small, (a.X0+a.X1)/2, a.Y1+31*scale, text.AlignCenter, th.muted)

	// The search's bound, when below the axis's top.
	if s.MaxN < capacity.PlotMaxN {
		y := p.N.Pixel(float64(s.MaxN))
		for x := a.X0; x < a.X1; x += 10 * scale {
			v.b.line(screen, x, y, min(x+5*scale, a.X1), y, lw, th.muted)
		}
		// At the left end: the right one is where the post's "more than
		// 100" for k = 4 points up.
		v.label(screen, "search bound "+strconv.Itoa(s.MaxN), p.Small, a.X0+4*scale, y-8*scale, text.AlignStart, th.muted)
	}

	col := p.ColumnWidth()
	refDX := min(col*0.16, 18*scale)  // references right of the column centre
	trailDX := min(col*0.2, 22*scale) // tried points left of it

	// References: the post's claims (diamonds; >100 with an arrow up) and
	// Lister's cap (a bar with a tick down: at most).
	for _, r := range p.ReferenceMarks() {
		x := r.X + refDX
		switch r.Kind {
		case capacity.RefAtMost:
			hw := min(col*0.14, 12*scale)
			v.b.line(screen, x-hw, r.Y, x+hw, r.Y, 2*lw, th.lister)
			v.b.line(screen, x, r.Y, x, r.Y+6*scale, 2*lw, th.lister)
		default:
			v.b.diamond(screen, x, r.Y, 5*scale, 1.6*lw, th.post)
			if r.Kind == capacity.RefAtLeast {
				v.b.arrowUp(screen, x, r.Y-6*scale, 16*scale, 1.6*lw, th.post)
			}
		}
		c := th.post
		if r.Kind == capacity.RefAtMost {
			c = th.lister
		}
		if x+8*scale+v.width(r.Label, p.Small) > p.Canvas.X1-2*scale {
			v.label(screen, r.Label, p.Small, x-8*scale, r.Y, text.AlignEnd, c) // no room on the right
		} else {
			v.label(screen, r.Label, p.Small, x+8*scale, r.Y, text.AlignStart, c)
		}
	}

	// Tried points of the finished ks and of the k being swept: a trail of
	// small dots, filled when solved, hollow red when failed.
	trail := func(k int, tried []core.TriedPoint) {
		x := p.KX(k) - trailDX
		for _, t := range tried {
			y := p.N.Pixel(capacity.ClampN(float64(t.N)))
			if t.Solved {
				v.b.disc(screen, x, y, 2.2*scale, th.muted)
			} else {
				v.b.ring(screen, x, y, 2.6*scale, lw, th.fail)
			}
		}
	}
	for _, r := range g.rows {
		trail(r.K, r.Tried)
	}
	if g.pool != nil {
		jobs := g.pool.Jobs()
		for _, pt := range jobs.State().Evaluating {
			tried := jobs.Tried(pt.K)
			trail(pt.K, tried)
			if x, y0, y1, ok := p.Bracket(pt.K, tried); ok {
				v.b.line(screen, x, y0, x, y1, 3*lw, th.grid)
			}
			// The point being evaluated: a ring that beats while running.
			x, y := p.At(pt.K, float64(pt.N))
			r := 6 * scale
			if g.beatBig() {
				r *= 1.25
			}
			v.b.ring(screen, x, y, r, 1.5*lw, th.current)
		}
	}

	// Our results: filled dots labelled with max N; at the bound an arrow up
	// (the capacity may be larger); none solving: a cross at the bottom.
	for _, m := range p.Marks(g.rows) {
		switch {
		case m.None:
			d := 5 * scale
			v.b.line(screen, m.X-d, m.Y-d, m.X+d, m.Y+d, 2*lw, th.fail)
			v.b.line(screen, m.X-d, m.Y+d, m.X+d, m.Y-d, 2*lw, th.fail)
		default:
			if m.AtBound {
				v.b.arrowUp(screen, m.X, m.Y-6*scale, 18*scale, 2*lw, th.ours)
			}
			v.b.disc(screen, m.X, m.Y, 5.5*scale, th.ours)
		}
		ly := m.Y - 14*scale
		if m.AtBound {
			ly = m.Y + 14*scale
		}
		if m.None {
			ly = m.Y - 14*scale
		}
		v.label(screen, m.Label, p.Font, m.X, ly, text.AlignCenter, th.ours)
	}

	// Built by hand (core.Construct, each N built and checked): a green
	// square right of the column centre, labelled with its N; at the bound
	// an arrow up, none solving a cross at the bottom.
	for _, m := range p.BuiltMarks(g.built) {
		x := m.X + refDX
		d := 4.5 * scale
		if m.None {
			v.b.line(screen, x-d, m.Y-d, x+d, m.Y+d, 1.8*lw, th.built)
			v.b.line(screen, x-d, m.Y+d, x+d, m.Y-d, 1.8*lw, th.built)
		} else {
			v.b.square(screen, x, m.Y, d, 1.8*lw, th.built)
			if m.AtBound {
				v.b.arrowUp(screen, x, m.Y-d-2*scale, 12*scale, 1.6*lw, th.built)
			}
		}
		ly := m.Y
		if m.AtBound {
			ly -= 7 * scale // above the search bound's dashed line
		}
		if x+8*scale+v.width(m.Label, p.Small) > p.Canvas.X1-2*scale {
			v.label(screen, m.Label, p.Small, x-8*scale, ly, text.AlignEnd, th.built)
		} else {
			v.label(screen, m.Label, p.Small, x+8*scale, ly, text.AlignStart, th.built)
		}
	}

	v.legend(screen, p, th, scale)
}

// legendItem is one entry of the plot's key.
type legendItem struct {
	label string
	c     color.RGBA
	mark  func(x, y float64)
}

// legendLines returns how many lines the legend takes in p.
func (v *capView) legendLines(p capacity.Plot, th *capTheme, scale float64) int {
	lines := 1
	v.layoutLegend(p, v.legendItems(nil, th, scale), scale, func(_ legendItem, _, _ float64, line int) { lines = line + 1 })
	return lines
}

// layoutLegend places items from the area's left edge, wrapping to a new
// line, LegendLineGap label heights down, when an item would pass the
// canvas's right edge, and calls at for each with its position and line.
func (v *capView) layoutLegend(p capacity.Plot, items []legendItem, scale float64, at func(it legendItem, x, y float64, line int)) {
	x, y, line := p.Area.X0, p.Legend, 0
	for _, it := range items {
		wd := 16*scale + v.width(it.label, p.Small)
		if x+wd > p.Canvas.X1-4*scale && x > p.Area.X0 {
			x, y, line = p.Area.X0, y+p.Small*capacity.LegendLineGap, line+1
		}
		at(it, x, y, line)
		x += wd + 14*scale
	}
}

// legend draws the key above the plot, wrapping to more lines when narrow
// (draw made room for them).
func (v *capView) legend(screen *ebiten.Image, p capacity.Plot, th *capTheme, scale float64) {
	v.layoutLegend(p, v.legendItems(screen, th, scale), scale, func(it legendItem, x, y float64, _ int) {
		it.mark(x+5*scale, y)
		v.label(screen, it.label, p.Small, x+14*scale, y, text.AlignStart, th.muted)
	})
}

// legendItems are the legend's entries, drawing their marks on screen.
func (v *capView) legendItems(screen *ebiten.Image, th *capTheme, scale float64) []legendItem {
	lw := max(1, scale)
	return []legendItem{
		{"this sweep (max N)", th.ours, func(x, y float64) {
			v.b.disc(screen, x, y, 4.5*scale, th.ours)
		}},
		{"built by hand (max N)", th.built, func(x, y float64) { v.b.square(screen, x, y, 4*scale, 1.5*lw, th.built) }},
		{"the post", th.post, func(x, y float64) { v.b.diamond(screen, x, y, 4.5*scale, 1.5*lw, th.post) }},
		{"Lister: backprop N-2-N limit", th.lister, func(x, y float64) {
			v.b.line(screen, x-6*scale, y, x+6*scale, y, 2*lw, th.lister)
		}},
		{"tried: solved / failed", th.muted, func(x, y float64) {
			v.b.disc(screen, x-4*scale, y, 2.2*scale, th.muted)
			v.b.ring(screen, x+4*scale, y, 2.6*scale, lw, th.fail)
		}},
	}
}

// scaling draws the two scaling panels in area: each fitted k's median steps
// to solve and largest |weight| at solve against N on log-log axes, with its
// fitted line, and dashed in the weight panel the N^(2/k) reference.
func (v *capView) scaling(screen *ebiten.Image, area capacity.Rect, series []capacity.Series, th *capTheme, scale float64) {
	if area.W() < 40*scale || area.H() < 30*scale {
		return // no room: the page's text still gives the exponents
	}
	lw := max(1, scale)
	small := 10 * scale
	steps, weights := capacity.ScalingPanels(area, 58*scale, series)
	colours := []color.RGBA{th.ours, th.post, th.lister, th.muted}
	for pi, pn := range []capacity.Panel{steps, weights} {
		a := pn.Area
		for _, t := range pn.YTicks {
			v.b.line(screen, a.X0, t.P, a.X1, t.P, lw*0.8, th.grid)
			v.label(screen, t.Label, small, a.X0-5*scale, t.P, text.AlignEnd, th.muted)
		}
		for _, t := range pn.NTicks {
			v.b.line(screen, t.P, a.Y1, t.P, a.Y1+3*scale, lw, th.axis)
			v.label(screen, t.Label, small, t.P, a.Y1+10*scale, text.AlignCenter, th.muted)
		}
		v.b.line(screen, a.X0, a.Y0, a.X0, a.Y1, lw, th.axis)
		v.b.line(screen, a.X0, a.Y1, a.X1, a.Y1, lw, th.axis)
		title := "median steps to solve vs N"
		if pi == 1 {
			title = "largest |w| at solve vs N (dashed: N^(2/k))"
			if v.width(title, small) > a.W() { // a phone
				title = "|w| (dashed N^(2/k))"
			}
		}
		v.label(screen, title, small, a.X0, a.Y0-12*scale, text.AlignStart, th.muted)
		for i, sr := range series {
			if !sr.Fitted {
				continue
			}
			c := colours[i%len(colours)]
			ys, e, k := sr.Steps, sr.StepsExp, sr.StepsC
			if pi == 1 {
				ys, e, k = sr.Weights, sr.WeightsExp, sr.WeightC
				if x0, y0, x1, y1, ok := pn.RefLine(sr); ok {
					v.dashed(screen, x0, y0, x1, y1, lw, th.muted, scale)
				}
			}
			for j := range sr.N {
				x, y := pn.At(sr.N[j], ys[j])
				v.b.disc(screen, x, y, 3*scale, c)
			}
			n0, n1 := sr.N[0], sr.N[len(sr.N)-1]
			x0, y0, x1, y1 := pn.Line(e, k, n0, n1)
			v.b.line(screen, x0, y0, x1, y1, 1.5*lw, c)
			v.label(screen, "k="+strconv.Itoa(sr.K)+" N^"+strconv.FormatFloat(e, 'f', 2, 64), small, min(x1+4*scale, a.X1), y1-8*scale, text.AlignEnd, c)
		}
	}
}

// dashed draws a dashed line from (x0, y0) to (x1, y1).
func (v *capView) dashed(screen *ebiten.Image, x0, y0, x1, y1, w float64, c color.RGBA, scale float64) {
	length := math.Hypot(x1-x0, y1-y0)
	dash := 5 * scale
	for d := 0.0; d < length; d += 2 * dash {
		t0, t1 := d/length, min(d+dash, length)/length
		v.b.line(screen, x0+t0*(x1-x0), y0+t0*(y1-y0), x0+t1*(x1-x0), y0+t1*(y1-y0), w, c)
	}
}
