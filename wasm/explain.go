//go:build js && wasm

package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/views"
)

// explainPanel is the walk-through's side of the page: its buttons and
// keys, the gestures on the canvas, and the caption, compression meter and
// hidden-space summary in words. It belongs to the game loop.
//
// The live text is throttled: while training runs, the caption and the
// hidden-space summary change every frame, which would flood a screen reader
// (the walk-through is aria-live), so they are written at most every
// pageEvery, and at once when the selection or the run changes.
type explainPanel struct {
	page *jspage.Page
	text *pageText
	push func(func())     // the game's queue: callbacks only queue
	app  func() *play.App // the run explained
	ex   *views.Explainer // the walk-through, hidden space and charts
	view *views.NetView   // the network's view, where a press lands

	last time.Time // when the live text was last written
	key  [3]int    // selection, version, running, as last written

	// undrawn is the hidden-space summary before the canvas has drawn the
	// panel; without WebGL2 it never does (nogl.go says so here).
	undrawn string
}

// pageEvery is how often the live text may be written while training runs:
// often enough to follow, rarely enough for a screen reader to finish.
const pageEvery = time.Second

// wire connects the walk-through's controls: the auto toggle, the
// previous/next buttons and the arrow keys. Like every control, the
// callbacks only queue closures for Update.
func (p *explainPanel) wire() {
	ex := p.ex
	walk := ex.Walk()
	n := func() int { return p.app().Trainer().Network().N }
	p.page.OnID("walk-prev", "click", func(js.Value) { p.push(func() { walk.Move(-1, n()) }) })
	p.page.OnID("walk-next", "click", func(js.Value) { p.push(func() { walk.Move(1, n()) }) })
	p.page.OnID("auto", "click", func(js.Value) { p.push(func() { walk.SetAuto(!walk.Auto, n()) }) })
	// Gestures on the canvas, in device pixels as the game sees them (the
	// canvas fills the iframe).
	pos := func(e js.Value) (float64, float64) {
		s := p.page.Self.Get("devicePixelRatio").Float()
		if !(s > 0) {
			s = 1
		}
		return e.Get("clientX").Float() * s, e.Get("clientY").Float() * s
	}
	frameDoc := p.page.Self.Get("document")
	p.page.On(frameDoc, "pointerdown", func(e js.Value) {
		if e.Get("button").Int() != 0 {
			return
		}
		if t := e.Get("target"); t.Truthy() && t.Get("setPointerCapture").Truthy() {
			// Keep the drag's moves and release coming when the pointer
			// leaves the iframe.
			t.Call("setPointerCapture", e.Get("pointerId"))
		}
		x, y := pos(e)
		p.push(func() { ex.Press(p.app(), p.view, x, y) })
	})
	p.page.On(frameDoc, "pointermove", func(e js.Value) {
		if e.Get("buttons").Int()&1 == 0 {
			return
		}
		x, y := pos(e)
		p.push(func() { ex.DragTo(p.app(), x, y, p.push, p.text.message) })
	})
	for _, ev := range []string{"pointerup", "pointercancel"} {
		p.page.On(frameDoc, ev, func(js.Value) { p.push(ex.Release) })
	}
	p.page.OnDocuments("keydown", func(e js.Value) {
		key := e.Get("key").String()
		if key != "ArrowUp" && key != "ArrowDown" || !shortcutTarget(e) {
			return
		}
		e.Call("preventDefault") // the arrows step through inputs, not the page
		d := 1
		if key == "ArrowUp" {
			d = -1
		}
		p.push(func() { walk.Move(d, n()) })
	})
}

// publish writes the walk-through, the compression meter and the
// hidden-space summary into the page.
func (p *explainPanel) publish(a *play.App) {
	ex := p.ex
	walk := ex.Walk()
	c := a.Config()
	if m, err := explain.NewMeter(c.N, c.K, c.HiddenBias, c.OutputBias); err == nil {
		p.text.set("meter", m.Sentence())
	}
	if el := p.page.El("auto"); el.Truthy() && p.text.changed("auto-pressed", strconv.FormatBool(walk.Auto)) {
		el.Call("setAttribute", "aria-pressed", strconv.FormatBool(walk.Auto))
	}
	running := 0
	if a.Running {
		running = 1
	}
	key := [3]int{walk.Selected, a.Version(), running}
	now := time.Now()
	if key == p.key && now.Sub(p.last) < pageEvery {
		return
	}
	p.key, p.last = key, now
	switch caption, ok := ex.Caption(); {
	case ok:
		p.text.set("caption", strings.Join(caption.Lines(), "\n"))
	case walk.Selected < 0:
		p.text.set("caption", "Click an input node (or press ↓) to fire it and follow its numbers through the network.")
	default:
		p.text.set("caption", fmt.Sprintf("input %d: the numbers cannot be shown for these weights.", walk.Selected+1))
	}
	summary := ex.HiddenSummary()
	if summary == "" {
		summary = p.undrawn
	}
	p.text.set("hidden-summary", summary)
}
