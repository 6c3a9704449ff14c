//go:build js && wasm

package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// pageText throttles the live page text: while training runs, the caption
// and the hidden-space summary change every frame, which would flood a
// screen reader (the walk-through is aria-live), so they are written at most
// every pageEvery, and at once when the selection or the run changes.
type explainThrottle struct {
	last time.Time
	key  [3]int // selection, version, running
}

const pageEvery = time.Second

// wireExplain connects the walk-through's controls: the auto toggle, the
// previous/next buttons and the arrow keys. Like every control, the
// callbacks only queue closures for Update.
func (b *bridge) wireExplain() {
	ex := b.g.ex
	walk := ex.Walk()
	n := func() int { return b.g.app.Trainer().Network().N }
	b.OnID("walk-prev", "click", func(js.Value) { b.queue.Push(func() { walk.Move(-1, n()) }) })
	b.OnID("walk-next", "click", func(js.Value) { b.queue.Push(func() { walk.Move(1, n()) }) })
	b.OnID("auto", "click", func(js.Value) { b.queue.Push(func() { walk.SetAuto(!walk.Auto, n()) }) })
	// Gestures on the canvas, in device pixels as the game sees them (the
	// canvas fills the iframe).
	pos := func(e js.Value) (float64, float64) {
		s := b.Self.Get("devicePixelRatio").Float()
		if !(s > 0) {
			s = 1
		}
		return e.Get("clientX").Float() * s, e.Get("clientY").Float() * s
	}
	frameDoc := b.Self.Get("document")
	b.On(frameDoc, "pointerdown", func(e js.Value) {
		if e.Get("button").Int() != 0 {
			return
		}
		if t := e.Get("target"); t.Truthy() && t.Get("setPointerCapture").Truthy() {
			// Keep the drag's moves and release coming when the pointer
			// leaves the iframe.
			t.Call("setPointerCapture", e.Get("pointerId"))
		}
		x, y := pos(e)
		b.queue.Push(func() { ex.Press(b.g.app, b.g.view, x, y) })
	})
	b.On(frameDoc, "pointermove", func(e js.Value) {
		if e.Get("buttons").Int()&1 == 0 {
			return
		}
		x, y := pos(e)
		b.queue.Push(func() { ex.DragTo(b.g.app, x, y, b.queue.Push, b.text.message) })
	})
	for _, ev := range []string{"pointerup", "pointercancel"} {
		b.On(frameDoc, ev, func(js.Value) { b.queue.Push(ex.Release) })
	}
	for _, target := range []js.Value{b.Doc, b.Self.Get("document")} {
		b.On(target, "keydown", func(e js.Value) {
			key := e.Get("key").String()
			if key != "ArrowUp" && key != "ArrowDown" || !shortcutTarget(e) {
				return
			}
			e.Call("preventDefault") // the arrows step through inputs, not the page
			d := 1
			if key == "ArrowUp" {
				d = -1
			}
			b.queue.Push(func() { walk.Move(d, n()) })
		})
		if b.Doc.Equal(b.Self.Get("document")) {
			break
		}
	}
}

// shortcutTarget reports whether a key event may act as a shortcut: not
// while typing in a field, nor with a modifier held.
func shortcutTarget(e js.Value) bool {
	if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
		return false
	}
	t := e.Get("target")
	if !t.Truthy() {
		return true
	}
	if t.Get("isContentEditable").Truthy() {
		return false
	}
	if tn := t.Get("tagName"); tn.Type() == js.TypeString {
		switch strings.ToUpper(tn.String()) {
		case "INPUT", "SELECT", "TEXTAREA":
			return false
		}
	}
	return true
}

// publishExplain writes the walk-through, the compression meter and the
// hidden-space summary into the page.
func (b *bridge) publishExplain(a *play.App) {
	ex := b.g.ex
	walk := ex.Walk()
	c := a.Config()
	if m, err := explain.NewMeter(c.N, c.K, c.HiddenBias, c.OutputBias); err == nil {
		b.text.set("meter", m.Sentence())
	}
	if el := b.El("auto"); el.Truthy() && b.text.changed("auto-pressed", strconv.FormatBool(walk.Auto)) {
		el.Call("setAttribute", "aria-pressed", strconv.FormatBool(walk.Auto))
	}
	running := 0
	if a.Running {
		running = 1
	}
	key := [3]int{walk.Selected, a.Version(), running}
	now := time.Now()
	if key == b.pageText.key && now.Sub(b.pageText.last) < pageEvery {
		return
	}
	b.pageText.key, b.pageText.last = key, now
	switch caption, ok := ex.Caption(); {
	case ok:
		b.text.set("caption", strings.Join(caption.Lines(), "\n"))
	case walk.Selected < 0:
		b.text.set("caption", "Click an input node (or press ↓) to fire it and follow its numbers through the network.")
	default:
		b.text.set("caption", fmt.Sprintf("input %d: the numbers cannot be shown for these weights.", walk.Selected+1))
	}
	b.text.set("hidden-summary", ex.HiddenSummary())
}
