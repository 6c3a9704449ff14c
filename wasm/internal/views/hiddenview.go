//go:build js && wasm

package views

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"gonum.org/v1/gonum/mat"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
)

// The kinds of hidden-space picture, one per range of k; the state hook
// reports them.
const (
	kindNone      = "none"      // k = 0
	kindIntervals = "intervals" // k = 1: the line and where each output wins
	kindRegions   = "regions"   // k = 2: the square shaded by the winner
	kindCube      = "cube"      // k = 3: a turning projection of the cube
	kindPCA       = "pca"       // k >= 4: the first two principal components
)

// hiddenView is the "hidden space" panel: each input's hidden code as a dot,
// and where each output wins.
type hiddenView struct {
	kind      string
	k, n      int
	version   int
	codes     mat.Dense // N×K codes
	regions   *explain.RegionMap
	img       *ebiten.Image // the region map, one pixel per cell
	pix       []byte
	intervals []explain.Interval
	rot       explain.Rotation
	proj      mat.Dense
	pca       explain.PCA
	pcaOut    mat.Dense
	explained float64
	box       explain.Box
	winners   []int                // outputs that win somewhere, ascending (read through winnerList)
	pts       []explain.Point      // each dot's screen position
	labels    []explain.LabelGroup // the dots' labels, coinciding dots sharing one
	depth     []float64            // k = 3: each dot's depth, larger is farther
	order     []int                // draw order (far first)
	plot      layout.Rect          // the square (or strip) the picture fills
	err       string
	// held keeps box as it is while a code is dragged (the k = 1 and
	// k = 2 frames grow to hold the codes, and would slide under the
	// pointer).
	held bool

	// For k >= 3 the winners are worked out when asked for (winnerList),
	// from winnersNet and the codes, after a refresh marked them stale.
	winnersNet   *core.Network
	winnersStale bool
}

func newHiddenView() hiddenView {
	return hiddenView{rot: explain.DefaultRotation, version: -1}
}

// update recomputes the codes and the picture's geometry for panel r. The
// region map and the PCA are recomputed only when refresh is set (every few
// frames) or the run changed; codes and projections, which are cheap, every
// frame.
func (hv *hiddenView) update(tr *core.Trainer, version int, r layout.Rect, scale, dt float64, refresh, dragging bool, th *theme) {
	net := tr.Network()
	changed := version != hv.version || net.K != hv.k || net.N != hv.n
	if changed {
		hv.version, hv.k, hv.n = version, net.K, net.N
		hv.codes, hv.proj, hv.pcaOut = mat.Dense{}, mat.Dense{}, mat.Dense{}
		hv.pca = explain.PCA{}
		refresh = true
	}
	hv.err = ""
	if net.K < 3 { // the winners are set below, not worked out when asked for
		hv.winnersStale = false
	}
	hv.pts = hv.pts[:0]
	hv.plot = hiddenPlot(r, scale, net.K)
	if net.K == 0 {
		hv.kind, hv.winners = kindNone, hv.winners[:0]
		return
	}
	if err := explain.Codes(&hv.codes, net); err != nil {
		hv.err = err.Error()
		return
	}
	switch {
	case net.K == 1:
		hv.kind = kindIntervals
		lo, hi := explain.Range(net.Activation)
		for i := 0; i < net.N; i++ {
			if c := hv.codes.At(i, 0); !math.IsNaN(c) && !math.IsInf(c, 0) {
				lo, hi = min(lo, c), max(hi, c)
			}
		}
		if hv.held && hv.box.MinX < hv.box.MaxX {
			lo, hi = hv.box.MinX, hv.box.MaxX
		}
		hv.box = explain.Box{MinX: lo, MinY: -1, MaxX: hi, MaxY: 1}
		var err error
		if hv.intervals, err = explain.Intervals(hv.intervals, net, lo, hi); err != nil {
			hv.err = err.Error()
		}
		hv.winners = hv.winners[:0]
		for _, iv := range hv.intervals {
			hv.winners = append(hv.winners, iv.Output)
		}
		slices.Sort(hv.winners)
		hv.winners = slices.Compact(hv.winners)
		vp := explain.Viewport{Box: hv.box, X: hv.plot.X, Y: hv.plot.Y, W: hv.plot.W, H: hv.plot.H}
		for i := 0; i < net.N; i++ {
			hv.pts = append(hv.pts, vp.ToView(hv.codes.At(i, 0), 0))
		}
	case net.K == 2:
		hv.kind = kindRegions
		if !hv.held || !(hv.box.MinX < hv.box.MaxX && hv.box.MinY < hv.box.MaxY) {
			hv.box = explain.FitBox(net, &hv.codes)
		}
		if refresh || hv.regions == nil {
			hv.fillRegions(net, th)
		}
		vp := explain.Viewport{Box: hv.box, X: hv.plot.X, Y: hv.plot.Y, W: hv.plot.W, H: hv.plot.H}
		hv.pts = vp.ViewPoints(hv.pts, &hv.codes)
	case net.K == 3:
		hv.kind = kindCube
		if !dragging {
			hv.rot.Advance(dt)
		}
		if err := hv.rot.ProjectTo(&hv.proj, &hv.codes); err != nil {
			hv.err = err.Error()
			return
		}
		a := explain.CubeRadius * 1.05
		hv.box = explain.Box{MinX: -a, MinY: -a, MaxX: a, MaxY: a}
		vp := explain.Viewport{Box: hv.box, X: hv.plot.X, Y: hv.plot.Y, W: hv.plot.W, H: hv.plot.H}
		hv.pts = vp.ViewPoints(hv.pts, &hv.proj)
		hv.depth = hv.depth[:0]
		for i := 0; i < net.N; i++ {
			hv.depth = append(hv.depth, hv.proj.At(i, 2))
		}
		if refresh {
			hv.winnersNet, hv.winnersStale = net, true
		}
	default:
		hv.kind = kindPCA
		if refresh || hv.pcaOut.IsEmpty() {
			ex, err := hv.pca.Fit(&hv.pcaOut, &hv.codes)
			if err != nil {
				hv.err = err.Error()
				return
			}
			hv.explained = ex
			hv.winnersNet, hv.winnersStale = net, true
		}
		a := 1e-9
		rows, _ := hv.pcaOut.Dims()
		for i := 0; i < rows; i++ {
			a = max(a, math.Abs(hv.pcaOut.At(i, 0)), math.Abs(hv.pcaOut.At(i, 1)))
		}
		a *= 1.12
		hv.box = explain.Box{MinX: -a, MinY: -a, MaxX: a, MaxY: a}
		vp := explain.Viewport{Box: hv.box, X: hv.plot.X, Y: hv.plot.Y, W: hv.plot.W, H: hv.plot.H}
		hv.pts = vp.ViewPoints(hv.pts, &hv.pcaOut)
	}
}

// hiddenPlot returns the picture's rectangle in panel r: a square under the
// title (a strip for the k = 1 line), with room for the axis labels.
func hiddenPlot(r layout.Rect, scale float64, k int) layout.Rect {
	pad := 12 * scale
	top := 40 * scale
	side := max(min(r.W-2*pad, r.H-top-pad-8*scale), 1)
	x := r.X + (r.W-side)/2
	if k == 1 {
		return layout.Rect{X: r.X + 2*pad, Y: r.Y + top, W: max(r.W-4*pad, 1), H: max(r.H-top-pad, 1)}
	}
	return layout.Rect{X: x, Y: r.Y + top, W: side, H: side}
}

// fillRegions recomputes the region map and its image.
func (hv *hiddenView) fillRegions(net *core.Network, th *theme) {
	if hv.regions == nil {
		hv.regions, _ = explain.NewRegionMap(explain.CoarseSize, explain.CoarseSize)
		hv.img = ebiten.NewImage(explain.CoarseSize, explain.CoarseSize)
		hv.pix = make([]byte, 4*explain.CoarseSize*explain.CoarseSize)
	}
	if err := hv.regions.Fill(net, hv.box); err != nil {
		hv.err = err.Error()
		return
	}
	hv.winners = hv.regions.Winners(hv.winners)
	for c, out := range hv.regions.Cells {
		col := shade(int(out), th)
		hv.pix[4*c], hv.pix[4*c+1], hv.pix[4*c+2], hv.pix[4*c+3] = col.R, col.G, col.B, 0xff
	}
	hv.img.WritePixels(hv.pix)
}

// winnerList returns the outputs that win somewhere, ascending. For k >= 3
// they are worked out here, from the latest codes, and only when a refresh
// made them stale: that takes N² k multiplications, and only the page's
// summary (written at most once a second) and the test hook read them, while
// a refresh comes every fourth frame.
func (hv *hiddenView) winnerList() []int {
	if hv.winnersStale {
		hv.winnersStale = false
		hv.codeWinners(hv.winnersNet)
	}
	return hv.winners
}

// codeWinners lists the outputs that win at some input's code: for k >= 3
// the regions are not drawn, so "winning somewhere" means at a code.
func (hv *hiddenView) codeWinners(net *core.Network) {
	hv.winners = hv.winners[:0]
	logits := make([]float64, net.N)
	for i := 0; i < net.N; i++ {
		net.LogitsAt(hv.codes.RawRowView(i), logits)
		best := 0
		for j, z := range logits {
			if z > logits[best] {
				best = j
			}
		}
		hv.winners = append(hv.winners, best)
	}
	slices.Sort(hv.winners)
	hv.winners = slices.Compact(hv.winners)
}

// shade is output j's region colour over the theme's background.
func shade(j int, th *theme) color.RGBA { return explain.Shade(j, th.bg) }

// placeAt returns the place of the hidden space under (x, y), in device
// pixels, each coordinate rounded to 3 decimals: a code on the line (k = 1)
// or in the square (k = 2); false for the other pictures.
func (hv *hiddenView) placeAt(x, y float64) ([]float64, bool) {
	vp := explain.Viewport{Box: hv.box, X: hv.plot.X, Y: hv.plot.Y, W: hv.plot.W, H: hv.plot.H}
	cx, cy := vp.FromView(explain.Point{X: x, Y: y})
	r := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	switch hv.kind {
	case kindIntervals:
		return []float64{r(cx)}, true
	case kindRegions:
		return []float64{r(cx), r(cy)}, true
	}
	return nil, false
}

// dotAt returns the input whose dot is under (x, y).
func (hv *hiddenView) dotAt(x, y, scale float64) (int, bool) {
	return explain.Nearest(hv.pts, explain.Point{X: x, Y: y}, 9*scale)
}

// title returns the panel's subtitle, which says what the picture is.
func (hv *hiddenView) title() string {
	switch hv.kind {
	case kindNone:
		return "k = 0: no hidden layer"
	case kindIntervals:
		return "k = 1: the line, and where each output wins"
	case kindRegions:
		return "k = 2: where each output wins"
	case kindCube:
		return "k = 3: the cube, turning (drag it)"
	}
	return fmt.Sprintf("k = %d: PCA, %s of the variance", hv.k, pct(hv.explained))
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 0, 64) + "%" }

// summary is the panel in words, for the page; "" before the panel has
// been laid out (no frame drawn yet, or none ever without WebGL2), when
// there is nothing it could say.
func (hv *hiddenView) summary() string {
	if hv.kind == "" {
		return ""
	}
	if hv.kind == kindNone {
		return "No hidden layer (k = 0): the inputs connect straight to the outputs, so there is no hidden space."
	}
	if hv.err != "" {
		return "The hidden space cannot be drawn: " + hv.err + "."
	}
	// A list of a thousand outputs helps no one: the first few, then a count.
	const maxListed = 32
	winners := hv.winnerList()
	ws := make([]string, 0, min(len(winners), maxListed+1))
	for i, j := range winners {
		if i == maxListed {
			ws = append(ws, fmt.Sprintf("… (%d of %d outputs)", len(winners), hv.n))
			break
		}
		ws = append(ws, strconv.Itoa(j+1))
	}
	list := strings.Join(ws, ", ")
	switch hv.kind {
	case kindIntervals:
		return fmt.Sprintf("%d codes on a line; outputs winning an interval: %s", hv.n, list)
	case kindRegions:
		return fmt.Sprintf("%d codes; outputs winning somewhere: %s", hv.n, list)
	case kindCube:
		return fmt.Sprintf("%d codes in the cube; outputs that win at a code: %s", hv.n, list)
	}
	return fmt.Sprintf("%d codes projected on 2 principal components (PCA, %s of the variance); outputs that win at a code: %s", hv.n, pct(hv.explained), list)
}

// draw paints the panel.
func (hv *hiddenView) draw(screen *ebiten.Image, v *NetView, net *core.Network, ex *Explainer) {
	r := ex.panels.Hidden
	if r.Empty() {
		return
	}
	th := v.theme()
	s := ex.scale
	panelFrame(screen, v, r, s)
	v.drawText(screen, "hidden space", 14*s, r.X+12*s, r.Y+11*s, text.AlignStart, th.text)
	v.drawText(screen, hv.title(), 10.5*s, r.X+12*s, r.Y+25*s, text.AlignStart, th.muted)
	p := hv.plot
	switch hv.kind {
	case kindNone:
		v.drawText(screen, "no hidden layer", 13*s, r.X+r.W/2, r.Y+r.H/2, text.AlignCenter, th.muted)
		return
	case kindRegions:
		if hv.img != nil {
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Scale(p.W/explain.CoarseSize, p.H/explain.CoarseSize)
			op.GeoM.Translate(p.X, p.Y)
			screen.DrawImage(hv.img, op)
		}
		box := [4]layout.Point{{X: p.X, Y: p.Y}, {X: p.X + p.W, Y: p.Y}, {X: p.X + p.W, Y: p.Y + p.H}, {X: p.X, Y: p.Y + p.H}}
		for k := range box {
			v.quad(screen, layout.Quad(box[k], box[(k+1)%4], s), th.muted, 0.7, false)
		}
		vp := explain.Viewport{Box: hv.box, X: p.X, Y: p.Y, W: p.W, H: p.H}
		o := vp.ToView(0, 0)
		v.quad(screen, layout.Quad(layout.Point{X: p.X, Y: o.Y}, layout.Point{X: p.X + p.W, Y: o.Y}, max(1, 0.6*s)), th.muted, 0.35, false)
		v.quad(screen, layout.Quad(layout.Point{X: o.X, Y: p.Y}, layout.Point{X: o.X, Y: p.Y + p.H}, max(1, 0.6*s)), th.muted, 0.35, false)
		v.flush(screen, false)
	case kindIntervals:
		vp := explain.Viewport{Box: hv.box, X: p.X, Y: p.Y, W: p.W, H: p.H}
		y := p.Y + p.H/2
		band := min(p.H*0.35, 26*s)
		for _, iv := range hv.intervals {
			a, b := vp.ToView(iv.From, 0), vp.ToView(iv.To, 0)
			v.quad(screen, [4]layout.Point{{X: a.X, Y: y - band}, {X: b.X, Y: y - band}, {X: b.X, Y: y + band}, {X: a.X, Y: y + band}}, shade(iv.Output, th), 1, false)
		}
		v.quad(screen, layout.Quad(layout.Point{X: p.X, Y: y}, layout.Point{X: p.X + p.W, Y: y}, max(1, s)), th.muted, 0.8, false)
		v.flush(screen, false)
		for _, iv := range hv.intervals {
			a, b := vp.ToView(iv.From, 0), vp.ToView(iv.To, 0)
			if b.X-a.X > 18*s {
				v.drawText(screen, "out "+strconv.Itoa(iv.Output+1), 10*s, (a.X+b.X)/2, y+band-7*s, text.AlignCenter, th.text)
			}
		}
		for _, t := range []float64{hv.box.MinX, 0, hv.box.MaxX} {
			q := vp.ToView(t, 0)
			v.drawText(screen, strconv.FormatFloat(t, 'g', 2, 64), 10*s, q.X, y+band+9*s, text.AlignCenter, th.muted)
		}
	case kindCube:
		vp := explain.Viewport{Box: hv.box, X: p.X, Y: p.Y, W: p.W, H: p.H}
		cs := explain.CubeCorners()
		var cp [8]layout.Point
		for i, c := range cs {
			x, y, _ := hv.rot.Project(c)
			q := vp.ToView(x, y)
			cp[i] = layout.Point{X: q.X, Y: q.Y}
		}
		for _, e := range explain.CubeEdges() {
			v.quad(screen, layout.Quad(cp[e[0]], cp[e[1]], max(1, s)), th.muted, 0.5, true)
		}
		v.flush(screen, true)
	case kindPCA:
		vp := explain.Viewport{Box: hv.box, X: p.X, Y: p.Y, W: p.W, H: p.H}
		o := vp.ToView(0, 0)
		v.quad(screen, layout.Quad(layout.Point{X: p.X, Y: o.Y}, layout.Point{X: p.X + p.W, Y: o.Y}, max(1, s)), th.muted, 0.4, false)
		v.quad(screen, layout.Quad(layout.Point{X: o.X, Y: p.Y}, layout.Point{X: o.X, Y: p.Y + p.H}, max(1, s)), th.muted, 0.4, false)
		v.flush(screen, false)
		v.drawText(screen, "PC1", 10*s, p.X+p.W, o.Y-8*s, text.AlignEnd, th.muted)
		v.drawText(screen, "PC2", 10*s, o.X+4*s, p.Y+6*s, text.AlignStart, th.muted)
	}
	hv.drawDots(screen, v, net, ex)
	if hv.err != "" {
		v.drawText(screen, hv.err, 10*s, r.X+r.W/2, r.Y+r.H-10*s, text.AlignCenter, th.neg)
	}
}

// drawDots draws each input's code, filled with its target output's colour:
// a dot sitting in the region of its own colour is a pair the network has
// right. The firing input and the one under the pointer are ringed.
func (hv *hiddenView) drawDots(screen *ebiten.Image, v *NetView, net *core.Network, ex *Explainer) {
	th := v.theme()
	s := ex.scale
	targets := ex.targets
	r := clampF(hv.plot.W/float64(4*max(net.N, 1)), 2*s, 5*s)
	hv.order = hv.order[:0]
	for i := range hv.pts {
		hv.order = append(hv.order, i)
	}
	if hv.kind == kindCube && len(hv.depth) == len(hv.pts) {
		sort.SliceStable(hv.order, func(a, b int) bool { return hv.depth[hv.order[a]] > hv.depth[hv.order[b]] })
	}
	for _, i := range hv.order {
		p := layout.Point{X: hv.pts[i].X, Y: hv.pts[i].Y}
		fill := th.unused
		if i < len(targets) && targets[i] >= 0 {
			fill = explain.OutputColor(targets[i])
		}
		v.disc(screen, p, r+max(1, 0.8*s), th.nodeLine, 1)
		v.disc(screen, p, r, fill, 1)
		if i == ex.walk.Selected || i == ex.linked {
			v.ring(screen, p, r+4*s, 2*s, focusColor, 1)
		}
	}
	// The inputs whose outputs cannot win (Fit outputs said so) are crossed out.
	for _, i := range ex.unfit {
		if i < 0 || i >= len(hv.pts) {
			continue
		}
		p, a := layout.Point{X: hv.pts[i].X, Y: hv.pts[i].Y}, r+4*s
		v.quad(screen, layout.Quad(layout.Point{X: p.X - a, Y: p.Y - a}, layout.Point{X: p.X + a, Y: p.Y + a}, 2*s), th.neg, 1, true)
		v.quad(screen, layout.Quad(layout.Point{X: p.X - a, Y: p.Y + a}, layout.Point{X: p.X + a, Y: p.Y - a}, 2*s), th.neg, 1, true)
	}
	v.flush(screen, true)
	if net.N <= 24 {
		// Dots that (nearly) coincide share one label, "2, 3", rather than
		// numbers drawn over one another.
		hv.labels = explain.GroupLabels(hv.labels, hv.pts, explain.LabelRadius*s)
		for _, g := range hv.labels {
			v.drawText(screen, g.Text(), 10*s, g.At.X+r+3*s, g.At.Y-r-3*s, text.AlignStart, th.text)
		}
	}
}

// panelFrame separates a side panel from the network with a thin rule.
func panelFrame(screen *ebiten.Image, v *NetView, r layout.Rect, s float64) {
	th := v.theme()
	a := layout.Point{X: r.X, Y: r.Y}
	v.quad(screen, layout.Quad(a, layout.Point{X: r.X + r.W, Y: r.Y}, max(1, s)), th.unused, 1, false)
	v.quad(screen, layout.Quad(a, layout.Point{X: r.X, Y: r.Y + r.H}, max(1, s)), th.unused, 1, false)
	v.flush(screen, false)
}
