//go:build js && wasm

package views

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// Explainer owns the explaining views around the network: the activation
// walk-through, the hidden space and the charts, the canvas split between
// them, and the pointer gestures that drive them (click an input to fire
// it, drag a connection to edit its weight, drag the cube to turn it). All
// of its state belongs to the game loop: its methods must be called from
// ebiten's Update and Draw, or from closures that Update drains.
type Explainer struct {
	panels layout.Panels
	scale  float64
	// showHidden and showCharts are false when the link hides that panel
	// (hide=hidden, hide=charts; ShowPanels).
	showHidden, showCharts bool

	walk   play.Walk
	ins    core.Inspection // the selected input's inspection, this frame
	insOK  bool
	cap    explain.Caption
	capOK  bool
	hidden hiddenView
	chart  chartView

	targets    []int // each input's target output, or -1
	targetsKey [2]int
	linked     int // the input highlighted in both views (pointer over it), or -1
	hover      *hoverHook
	drag       dragState
	frame      int
	lastTick   time.Time // when update last ran, for the animation clock

	lastCode  *codeHook // the last code a drag set, for the hook
	unfit     []int     // the inputs Fit outputs found unwinnable (play.App.Unfit), crossed out
	hook      Hook      // what window.bottleneck.state() adds (hook.go)
	hookStale bool      // update ran since hook was built: rebuild it when the state is asked for
}

// dragState is a pointer gesture in progress.
type dragState struct {
	kind           dragKind
	edge           layout.Edge
	version        int       // the run the edited weight or code belongs to
	input          int       // dragCode: the input whose code moves
	moved          bool      // dragCode: the pointer left the press, so the view's frame is held
	code           []float64 // dragCode: the last place asked for
	w0, last       float64   // the weight at the press, and the last one set
	x0, y0, lx, ly float64
}

type dragKind int

const (
	dragNone dragKind = iota
	dragWeight
	dragRotate
	dragCode
)

// NewExplainer returns the explaining views with no input selected and
// every panel shown.
func NewExplainer() *Explainer {
	return &Explainer{walk: play.NewWalk(), linked: -1, hidden: newHiddenView(), chart: newChartView(), showHidden: true, showCharts: true}
}

// ShowPanels sets which of the hidden-space and chart panels the canvas
// has room for; the link can hide either (hide=hidden, hide=charts).
func (ex *Explainer) ShowPanels(hidden, charts bool) { ex.showHidden, ex.showCharts = hidden, charts }

// Walk returns the walk-through's selection, which the page's buttons and
// arrow keys move.
func (ex *Explainer) Walk() *play.Walk { return &ex.walk }

// Panels returns the canvas split as of the last Draw, in device pixels,
// and the device scale it was made for.
func (ex *Explainer) Panels() (layout.Panels, float64) { return ex.panels, ex.scale }

// Caption returns the selected input's caption, and false when no input is
// selected or its numbers cannot be shown (as of the last Update).
func (ex *Explainer) Caption() (*explain.Caption, bool) { return &ex.cap, ex.capOK }

// HiddenSummary is the hidden-space panel's description in words.
// Inputs whose dots are crossed out (Fit outputs found their outputs
// unwinnable) are named at the end.
func (ex *Explainer) HiddenSummary() string {
	s := ex.hidden.summary()
	if s == "" || len(ex.unfit) == 0 {
		return s
	}
	names := make([]string, len(ex.unfit))
	for j, i := range ex.unfit {
		names[j] = strconv.Itoa(i + 1)
	}
	return s + "; crossed out, their outputs cannot win without output biases: input " + strings.Join(names, ", ")
}

// Update runs once per tick after the engine's news is taken: gestures, the
// animation clock, the selected input's numbers, the charts' series and
// the hidden space of app's run, whose network v draws.
func (ex *Explainer) Update(app *play.App, v *NetView) {
	ex.frame++
	tr := app.Trainer()
	net := tr.Network()
	// Wall-clock time, not ticks: on a slow device (or a headless browser)
	// ticks come late, and the pulse should still take the time it says.
	now := time.Now()
	dt := 0.0
	if !ex.lastTick.IsZero() {
		dt = min(now.Sub(ex.lastTick).Seconds(), 0.25)
	}
	ex.lastTick = now
	ex.walk.Tick(dt, net.N)
	if key := [2]int{app.Version(), net.N}; key != ex.targetsKey || ex.targets == nil {
		cfg := tr.Config()
		ex.targets, ex.targetsKey = core.Targets(&cfg), key
	}
	ex.insOK, ex.capOK = false, false
	if i := ex.walk.Selected; i >= 0 {
		ex.ins, ex.insOK = tr.Inspect(i)
		if ex.insOK {
			c, err := explain.NewCaption(&ex.ins, net)
			ex.cap, ex.capOK = c, err == nil
		}
	}
	ex.chart.follow(app)
	ex.unfit = app.Unfit()
	// The region map costs O(N log N + 64·N): every fourth frame keeps it
	// current while training without spending every frame on it.
	// While a code is dragged the regions follow it every frame, and the
	// frame of the picture stays where it was at the press, so that the dot
	// stays under the pointer.
	coding := ex.drag.kind == dragCode
	ex.hidden.held = coding && ex.drag.moved
	ex.hidden.update(tr, app.Version(), ex.panels.Hidden, ex.scale, dt, ex.frame%4 == 0 || coding, ex.drag.kind == dragRotate, v.theme())
	ex.updateHover(tr, v)
	ex.hookStale = true
}

// The gestures come from the iframe's pointer events (the page bridge),
// queued for Update like every control: an event carries the exact position
// of the press, which polling the buttons once a tick would miss on a slow
// frame (the pointer has moved on by then), and pointer events treat mouse,
// pen and touch alike.

// Press starts a gesture at (x, y), in device pixels, over app's run as v
// draws it: an input node fires, a dot of the hidden space fires its input
// (and, on the line of k = 1 and the square of k = 2, starts dragging its
// code), a connection starts a weight drag, and anywhere else on the k = 3
// cube starts turning it.
func (ex *Explainer) Press(app *play.App, v *NetView, x, y float64) {
	net := app.Trainer().Network()
	ex.drag = dragState{x0: x, y0: y, lx: x, ly: y}
	if l := v.layout; l != nil && ex.panels.Net.Contains(x, y) {
		if n, ok := l.HitNode(x, y); ok {
			if n.Layer == layout.LayerIn {
				ex.walk.Select(n.Index, net.N)
			}
			return
		}
		if e, ok := l.HitEdge(x, y); ok {
			w := play.EdgeWeight(net, e)
			ex.drag.kind, ex.drag.edge, ex.drag.w0, ex.drag.last = dragWeight, e, w, w
			ex.drag.version = app.Version()
		}
		return
	}
	if ex.panels.Hidden.Contains(x, y) {
		if i, ok := ex.hidden.dotAt(x, y, ex.scale); ok {
			ex.walk.Select(i, net.N)
			if ex.hidden.kind == kindIntervals || ex.hidden.kind == kindRegions {
				ex.drag.kind, ex.drag.input, ex.drag.version = dragCode, i, app.Version()
			}
			return
		}
		if net.K == 3 {
			ex.drag.kind = dragRotate
		}
	}
}

// DragTo follows a drag to (x, y), in device pixels. A weight edit of
// app's run, and a dragged code (play.App.SetCode at the place under the
// pointer, rounded to 3 decimals), go through push, the control queue, like
// every other change of the run, so they land between training steps; an
// edit the run refuses is reported to showMessage.
func (ex *Explainer) DragTo(app *play.App, x, y float64, push func(func()), showMessage func(string)) {
	d := &ex.drag
	if d.kind == dragNone {
		return
	}
	switch d.kind {
	case dragRotate:
		ex.hidden.rot.Drag(x-d.lx, y-d.ly, max(ex.hidden.plot.W, 1))
	case dragWeight:
		if math.Abs(y-d.y0) < 2*ex.scale {
			return // a click on a line is not an edit
		}
		w := play.DragWeight(d.w0, y-d.y0, ex.scale)
		if w == d.last {
			break
		}
		d.last = w
		l, r, c := play.EdgeParam(d.edge, app.Trainer().Network().K)
		ver := d.version
		push(func() {
			if app.Version() != ver { // the run was rebuilt under the drag
				return
			}
			if err := app.SetWeight(l, r, c, w); err != nil {
				showMessage(err.Error())
			}
		})
	case dragCode:
		if !d.moved && math.Hypot(x-d.x0, y-d.y0) < 2*ex.scale {
			return // a click on a dot fires its input, no more
		}
		d.moved = true
		i, ver := d.input, d.version
		if e := ex.hidden.err; e != "" && app.Trainer().Diverged() == "" {
			showMessage(fmt.Sprintf("Input %d's code cannot be dragged: the hidden space cannot be drawn (%s).", i+1, e))
			break
		}
		code, ok := ex.hidden.placeAt(x, y)
		if !ok || slices.Equal(code, d.code) {
			break
		}
		d.code = code
		push(func() {
			if app.Version() != ver {
				return
			}
			if err := app.SetCode(i, code); err != nil {
				showMessage("Dragging a code: " + err.Error() + ". The code stays where it was.")
				return
			}
			ex.lastCode = &codeHook{Input: i, Code: code}
		})
	}
	d.lx, d.ly = x, y
}

// Release ends a gesture.
func (ex *Explainer) Release() { ex.drag.kind = dragNone }

// updateHover works out what the pointer is over and its exact current
// value, and which input to highlight in both views.
func (ex *Explainer) updateHover(tr *core.Trainer, v *NetView) {
	ex.hover, ex.linked = nil, -1
	net := tr.Network()
	if ex.drag.kind == dragWeight {
		e := ex.drag.edge
		ex.hover = edgeHover(net, e)
		return
	}
	if !v.ok {
		return
	}
	if ex.panels.Hidden.Contains(v.px, v.py) {
		if i, ok := ex.hidden.dotAt(v.px, v.py, ex.scale); ok && net.K > 0 {
			ex.linked = i
			a := ex.hidden.codes.At(i, 0)
			label := fmt.Sprintf("input %d's code, hidden 1 = %.4g", i+1, a)
			if net.K == 2 {
				label = fmt.Sprintf("input %d's code (%.4g, %.4g): drag to move it", i+1, a, ex.hidden.codes.At(i, 1))
			} else if net.K == 1 {
				label += ": drag to move it"
			}
			ex.hover = &hoverHook{Kind: "code", Index: i, Value: play.Finite(a), Label: label}
		}
		return
	}
	l := v.layout
	if l == nil || !ex.panels.Net.Contains(v.px, v.py) {
		return
	}
	if n, ok := l.HitNode(v.px, v.py); ok {
		ex.hover = ex.nodeHover(tr, n)
		if n.Layer == layout.LayerIn {
			ex.linked = n.Index
		}
		return
	}
	if e, ok := l.HitEdge(v.px, v.py); ok {
		ex.hover = edgeHover(net, e)
	}
}

// nodeHover is the value of a node: an input's margin, a hidden unit's
// activation (for the firing input; its bias when none fires) and an
// output's logit (likewise).
func (ex *Explainer) nodeHover(tr *core.Trainer, n layout.Node) *hoverHook {
	net := tr.Network()
	switch n.Layer {
	case layout.LayerIn:
		ins, _ := tr.Inspect(n.Index)
		return &hoverHook{Kind: "input", Index: n.Index, Value: play.Finite(ins.Margin),
			Label: fmt.Sprintf("input %d: margin %.6g", n.Index+1, ins.Margin)}
	case layout.LayerHidden:
		if ex.insOK {
			a := ex.ins.Hidden[n.Index]
			return &hoverHook{Kind: "hidden", Index: n.Index, Value: play.Finite(a),
				Label: fmt.Sprintf("hidden %d: activation %.6g for input %d", n.Index+1, a, ex.ins.Input+1)}
		}
		b := net.B1.AtVec(n.Index)
		return &hoverHook{Kind: "hidden", Index: n.Index, Value: play.Finite(b), Label: fmt.Sprintf("hidden %d: bias %.6g", n.Index+1, b)}
	default:
		if ex.insOK {
			z := ex.ins.Logits[n.Index]
			return &hoverHook{Kind: "output", Index: n.Index, Value: play.Finite(z),
				Label: fmt.Sprintf("output %d: logit %.6g for input %d", n.Index+1, z, ex.ins.Input+1)}
		}
		b := net.B2.AtVec(n.Index)
		return &hoverHook{Kind: "output", Index: n.Index, Value: play.Finite(b), Label: fmt.Sprintf("output %d: bias %.6g", n.Index+1, b)}
	}
}

func edgeHover(net *core.Network, e layout.Edge) *hoverHook {
	w := play.EdgeWeight(net, e)
	kind, from, to := "w2", "hidden", "output"
	switch {
	case net.K == 0:
		kind, from = "w", "input"
	case e.Layer == layout.LayerIn:
		kind, from, to = "w1", "input", "hidden"
	}
	return &hoverHook{Kind: kind, Index: e.From, To: e.To, Value: play.Finite(w),
		Label: fmt.Sprintf("%s %d → %s %d: w = %.6g", from, e.From+1, to, e.To+1, w)}
}

// Draw paints the whole canvas: tr's network drawn by v with the
// walk-through over it, the hidden space, the charts and, last, the tooltip.
func (ex *Explainer) Draw(screen *ebiten.Image, v *NetView, tr *core.Trainer) {
	th := v.theme()
	screen.Fill(th.bg)
	w, h := float64(screen.Bounds().Dx()), float64(screen.Bounds().Dy())
	ex.scale = ebiten.Monitor().DeviceScaleFactor()
	ex.panels = layout.SplitPanelsShowing(w, h, ex.scale, ex.showHidden, ex.showCharts)
	net := tr.Network()
	reserve := 0.0
	if ex.panels.Net.W >= 420*ex.scale && net.N <= 256 {
		reserve = 74 * ex.scale // the output bars' strip
	}
	if ex.targets == nil || len(ex.targets) != net.N { // no update yet for this network
		cfg := tr.Config()
		ex.targets = core.Targets(&cfg)
	}
	v.draw(screen, tr, ex.targets, ex.panels.Net, reserve)
	ex.drawWalk(screen, v, net)
	ex.hidden.draw(screen, v, net, ex)
	ex.chart.draw(screen, v, ex.panels.Chart)
	v.drawTip(screen, tr)
}
