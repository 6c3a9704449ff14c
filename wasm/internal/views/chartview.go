//go:build js && wasm

package views

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/history"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// chartView is the charts panel: loss (log scale) and accuracy against the
// step, with the solved step marked. It draws the App's series (play.App.Chart),
// which the engine recorded at every step it trained, from the first, so
// that a canvas that joins late, or draws a frame per hundred steps, still
// shows all of them. The series have bounded memory, so hours of training
// cost no more than a minute of it.
type chartView struct {
	loss, acc *history.Series
	pts       []history.SeriesPoint
}

func newChartView() chartView {
	return chartView{loss: history.NewSeries(history.DefaultCapacity), acc: history.NewSeries(history.DefaultCapacity)}
}

// follow makes the charts draw app's series from now on.
func (c *chartView) follow(app *play.App) { c.loss, c.acc = app.Chart() }

// draw paints the two charts, one above the other, in panel r.
func (c *chartView) draw(screen *ebiten.Image, v *NetView, r layout.Rect) {
	if r.Empty() {
		return
	}
	s := ebiten.Monitor().DeviceScaleFactor()
	panelFrame(screen, v, r, s)
	half := math.Round(r.H / 2)
	c.drawOne(screen, v, layout.Rect{X: r.X, Y: r.Y, W: r.W, H: half}, c.loss, true, s)
	c.drawOne(screen, v, layout.Rect{X: r.X, Y: r.Y + half, W: r.W, H: r.H - half}, c.acc, false, s)
}

// drawOne draws one series: its Min..Max band, the line through the latest
// samples, the axes' ticks and the solved marker.
func (c *chartView) drawOne(screen *ebiten.Image, v *NetView, r layout.Rect, ser *history.Series, logScale bool, s float64) {
	th := v.theme()
	title := "accuracy"
	if logScale {
		title = "loss (log scale)"
	}
	v.drawText(screen, title, 12*s, r.X+12*s, r.Y+11*s, text.AlignStart, th.text)
	p := layout.Rect{X: r.X + 40*s, Y: r.Y + 24*s, W: r.W - 52*s, H: r.H - 42*s}
	if p.W < 20*s || p.H < 16*s {
		return
	}
	lo, hi, first, last, ok := ser.Range()
	if !ok {
		return
	}
	var ticks []float64
	fy := func(x float64) float64 { return x }
	if logScale {
		ticks = explain.LogTicks(lo, hi)
		if len(ticks) < 2 {
			return
		}
		fy = func(x float64) float64 { return math.Log10(max(x, explain.MinLogValue)) }
		lo, hi = ticks[0], ticks[len(ticks)-1]
	} else {
		ticks = []float64{0, 0.5, 1}
		lo, hi = 0, 1
	}
	ylo, yhi := fy(lo), fy(hi)
	if yhi <= ylo {
		yhi = ylo + 1
	}
	span := float64(max(last-first, 1))
	X := func(step int) float64 { return p.X + float64(step-first)/span*p.W }
	Y := func(x float64) float64 { return p.Y + p.H - (fy(x)-ylo)/(yhi-ylo)*p.H }
	line := func(a, b layout.Point, w float64, col color.RGBA, alpha float64) {
		v.quad(screen, layout.Quad(a, b, w), col, alpha, false)
	}
	for _, t := range ticks {
		y := Y(t)
		line(layout.Point{X: p.X, Y: y}, layout.Point{X: p.X + p.W, Y: y}, max(1, 0.6*s), th.unused, 1)
	}
	// At most a point per two pixels of the plot: more would overlap, and
	// the frame's triangles would grow with the series up to its capacity
	// (two quads a point and chart, some 8,000 vertices for both charts at
	// 512 points, more than the rest of a 128-4-128 frame), and with them
	// the buffers ebiten keeps for a frame's vertices, which never shrink.
	c.pts = ser.PointsAtMost(c.pts, int(p.W/2))
	col := th.pos
	if !logScale {
		col = rightColor
	}
	var prev layout.Point // the last sample's place, for the line's next segment
	for i, q := range c.pts {
		x := X(q.Step)
		if q.Max > q.Min { // the band of merged samples: nothing hidden
			line(layout.Point{X: x, Y: Y(q.Min)}, layout.Point{X: x, Y: Y(q.Max)}, max(1.5*s, p.W/float64(len(c.pts))), col, 0.18)
		}
		at := layout.Point{X: x, Y: Y(q.Last)}
		if i > 0 {
			line(prev, at, 1.6*s, col, 0.95)
		}
		prev = at
	}
	if st, ok := ser.Solved(); ok && st >= first && st <= last {
		x := X(st)
		for y := p.Y; y < p.Y+p.H; y += 6 * s { // dashed: a marker, not data
			line(layout.Point{X: x, Y: y}, layout.Point{X: x, Y: min(y+3*s, p.Y+p.H)}, max(1, 1.2*s), rightColor, 0.9)
		}
	}
	v.flush(screen, false)
	lastY := math.Inf(1)
	for _, t := range ticks { // bottom up; a label too close to the last is left out
		label := fmt.Sprintf("%.0f%%", 100*t)
		if logScale {
			label = explain.LogTickLabel(t)
		}
		if y := Y(t); lastY-y >= 11*s {
			v.drawText(screen, label, 9.5*s, p.X-4*s, y, text.AlignEnd, th.muted)
			lastY = y
		}
	}
	for _, st := range explain.StepTicks(first, last, max(2, int(p.W/(60*s)))) {
		v.drawText(screen, explain.StepLabel(st), 9.5*s, X(st), p.Y+p.H+8*s, text.AlignCenter, th.muted)
	}
	if st, ok := ser.Solved(); ok && st >= first && st <= last && !logScale {
		if x := X(st); x < p.X+0.7*p.W {
			v.drawText(screen, "solved", 9.5*s, x+3*s, p.Y+6*s, text.AlignStart, rightColor)
		} else {
			v.drawText(screen, "solved", 9.5*s, x-3*s, p.Y+6*s, text.AlignEnd, rightColor)
		}
	}
}
