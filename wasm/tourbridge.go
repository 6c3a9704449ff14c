//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/assets"
	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/views"
)

// The guided tour (#tour in index.html): the steps of assets.TourJSON, one
// preset config each, entered with Next/Back or from the URL (tour=3,
// 1-based). While a step is shown the URL holds its config plus tour=N; any
// change of the config (a control, a new seed, an import, a pasted link)
// leaves the tour, so a link with tour=N always reproduces what it says.

// tourKey is the page's fragment key of the tour step.
const tourKey = link.TourKey

// capacityLink opens the capacity explorer on the post's guesses (two
// hidden units about 11 inputs, three about 30, four more than 100): k = 1 to
// 4, every seed of 1..3 within 20,000 steps at the learning rate the README's
// table was measured with, N searched up to 128, which is past every guess
// and keeps the sweep to minutes in a browser tab.
const capacityLink = "capacity.html#k=1,2,3,4&budget=20000&seeds=3&lr=0.05&max=128"

// tourLook says where to look for each view, under the caption. The
// canvas outlines the same panel (drawTour).
var tourLook = map[string]string{
	"network":      "Look at the network, outlined in the canvas.",
	"hidden space": "Look at the hidden space, outlined in the canvas: each dot is one input's code, each shaded region the output that wins there.",
	"charts":       "Look at the loss and accuracy charts, outlined in the canvas, and the status line under it.",
	"capacity":     "Then measure it: the capacity explorer is set up to test the post's guesses.",
}

// tourState is the tour's part of the bridge. It belongs to the game loop.
type tourState struct {
	steps   []play.TourStep // nil when the embedded tour failed to load
	step    int             // the step shown, 1-based; 0 when the tour is off
	entered time.Time       // when step was entered, for the canvas pulse
	shown   int             // the step the panel shows; -1 before the first write
}

// wireTour loads the steps and connects the tour panel's buttons and the
// [ and ] keys. Like every control, the callbacks only queue closures.
func (b *bridge) wireTour() {
	steps, err := play.LoadTour(assets.TourJSON)
	if err != nil { // the native tests keep the JSON valid; stay up without a tour anyway
		js.Global().Get("console").Call("warn", "bottleneck: "+err.Error())
		if s := b.El("tour"); s.Truthy() {
			s.Set("hidden", true)
		}
		return
	}
	b.tour.steps = steps
	b.tour.shown = -1
	if a := b.El("tour-capacity"); a.Truthy() {
		a.Call("setAttribute", "href", capacityLink)
	}
	b.text.set("tour-count", strconv.Itoa(len(steps)))
	b.OnID("tour-start", "click", func(js.Value) { b.queue.Push(func() { b.enterTour(1) }) })
	b.OnID("tour-next", "click", func(js.Value) { b.queue.Push(func() { b.moveTour(1) }) })
	b.OnID("tour-back", "click", func(js.Value) { b.queue.Push(func() { b.moveTour(-1) }) })
	b.OnID("tour-exit", "click", func(js.Value) { b.queue.Push(b.leaveTour) })
	for _, target := range []js.Value{b.Doc, b.Self.Get("document")} {
		b.On(target, "keydown", func(e js.Value) {
			d := 0
			switch e.Get("key").String() {
			case "[":
				d = -1
			case "]":
				d = 1
			}
			if d == 0 || !shortcutTarget(e) {
				return
			}
			b.queue.Push(func() {
				if b.tour.step > 0 {
					b.moveTour(d)
				}
			})
		})
		if b.Doc.Equal(b.Self.Get("document")) {
			break // not framed: one document
		}
	}
}

// splitTour takes the tour key out of a fragment: the rest, the value, and
// whether it was there. A second tour key is an error, as a second config
// key is in core.
func splitTour(h string) (rest, v string, has bool, err error) {
	h = strings.TrimPrefix(h, "#")
	if !strings.Contains(h, tourKey) {
		return h, "", false, nil
	}
	parts := strings.Split(h, "&")
	keep := parts[:0]
	for _, p := range parts {
		if k, val, _ := strings.Cut(p, "="); k == tourKey {
			if has {
				return "", "", false, &core.FieldError{Field: tourKey, Value: clipText(val, 40), Allowed: "tour is given twice; give it once"}
			}
			v, has = val, true
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, "&"), v, has, nil
}

// parseTourLink parses a fragment as the page does, the tour included. It
// returns the config to run and the tour step (0 for none).
//
// When the fragment has tour=N, the step wins: its config is used and the
// other config keys are ignored, even bad ones, because a tour link is
// "step N" and a config next to it can only be a stale copy of an earlier
// URL. The page's debug keys still apply. A bad tour value is refused with a
// *core.FieldError naming tour and the steps there are.
func (b *bridge) parseTourLink(h string) (core.Config, int, error) {
	h = b.takeUI(h) // the page's hide= and lock= keys (uibridge.go)
	rest, v, has, err := splitTour(h)
	if err != nil {
		return core.DefaultConfig(), 0, err
	}
	if !has {
		cfg, err := b.parseLink(rest)
		return cfg, 0, err
	}
	if len(b.tour.steps) == 0 {
		return core.DefaultConfig(), 0, &core.FieldError{Field: tourKey, Value: clipText(v, 40), Allowed: "the tour is not available on this page"}
	}
	i, err := play.ParseTourStep(v, len(b.tour.steps))
	if err != nil {
		return core.DefaultConfig(), 0, err
	}
	if _, dbg, hasDbg := splitLink(rest); hasDbg {
		if err := b.setDebug(dbg, tourKey+"="+v); err != nil {
			return core.DefaultConfig(), 0, err
		}
	}
	return b.tour.steps[i-1].Config, i, nil
}

// enterTour shows step i (1-based): the step's config, rebuilt from its
// seed and training, as a control's edit would; the URL gets the config and
// tour=i; the panel and the canvas outline point at the step's view.
func (b *bridge) enterTour(i int) {
	if i < 1 || i > len(b.tour.steps) {
		return
	}
	st := b.tour.steps[i-1]
	a := b.g.app
	if err := b.checkLocks(st.Config); err != nil {
		b.text.message(fmt.Sprintf("Tour step %d was not shown: %v.", i, err))
		return
	}
	v := a.Version()
	if err := a.Apply(st.Config); err != nil { // cannot happen: LoadTour validated it
		b.text.message(err.Error())
		return
	}
	if a.Version() == v {
		// Apply keeps a run whose config is already the step's; the step
		// still starts from its seed, so that every visit shows the same
		// story.
		a.Reset()
	}
	a.Running = true
	b.text.clearMessage()
	b.tour.step, b.tour.entered = i, time.Now()
	b.lastFrag = "" // publish rewrites the URL (now with tour=i) and the controls
}

// moveTour goes d steps forward or back, staying within the tour.
func (b *bridge) moveTour(d int) {
	if b.tour.step == 0 {
		return
	}
	if i := b.tour.step + d; i >= 1 && i <= len(b.tour.steps) {
		b.enterTour(i)
	}
}

// leaveTour turns the tour off and keeps the run; publish drops tour= from
// the URL.
func (b *bridge) leaveTour() {
	if b.tour.step == 0 {
		return
	}
	b.tour.step = 0
	b.lastFrag = ""
}

// tourSuffix is the tour's part of linkSuffix.
func (b *bridge) tourSuffix() string {
	if b.tour.step == 0 {
		return ""
	}
	return "&" + tourKey + "=" + strconv.Itoa(b.tour.step)
}

// publishTour runs before publish each frame: it leaves the tour when the
// config is no longer the step's (whatever changed it), then brings the
// panel up to date when the step changed.
func (b *bridge) publishTour(a *play.App) {
	if n := b.tour.step; n > 0 && a.Config().Encode() != b.tour.steps[n-1].Config.Encode() {
		b.leaveTour()
	}
	if b.tour.shown == b.tour.step || len(b.tour.steps) == 0 {
		return
	}
	b.tour.shown = b.tour.step
	on := b.tour.step > 0
	if s := b.El("tour"); s.Truthy() {
		s.Get("dataset").Set("on", strconv.FormatBool(on))
	}
	for _, id := range []string{"tour-off", "tour-title", "tour-on", "tour-nav", "tour-step-wrap"} {
		if e := b.El(id); e.Truthy() {
			e.Set("hidden", on == (id == "tour-off")) // the start line shows only when off
		}
	}
	if !on {
		return
	}
	st := b.tour.steps[b.tour.step-1]
	b.text.set("tour-step", fmt.Sprintf("Step %d of %d", b.tour.step, len(b.tour.steps)))
	b.text.set("tour-title", st.Title)
	b.text.set("tour-caption", st.Caption) // textContent (setText), never HTML
	b.text.set("tour-look", tourLook[st.View])
	if e := b.El("tour-capacity"); e.Truthy() {
		e.Set("hidden", st.View != "capacity")
	}
	if e := b.El("tour-back"); e.Truthy() {
		e.Set("disabled", b.tour.step == 1)
	}
	if e := b.El("tour-next"); e.Truthy() {
		e.Set("disabled", b.tour.step == len(b.tour.steps))
	}
}

// drawTour outlines the panel the current step points at: it pulses for the
// first seconds of the step, to catch the eye after Next, then stays as a
// thin frame so that a reader who looks later still finds it.
func (b *bridge) drawTour(screen *ebiten.Image, v *views.NetView, ex *views.Explainer) {
	if b.tour.step == 0 {
		return
	}
	p, s := ex.Panels()
	var r play.Rect
	switch b.tour.steps[b.tour.step-1].View {
	case "network":
		r = p.Net
	case "hidden space":
		r = p.Hidden
	case "charts":
		r = p.Chart
	}
	if r.Empty() {
		return
	}
	const pulse = 2.4 // seconds: three beats of 0.8 s
	alpha, w := 0.55, 2*s
	if t := time.Since(b.tour.entered).Seconds(); t < pulse {
		alpha, w = 0.6+0.4*math.Cos(2*math.Pi*t/0.8), 3.5*s
	}
	v.Outline(screen, r, w, alpha, s)
}
