//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/assets"
	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
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
// 4, every seed of 1..3 within 20,000 steps at the learning rate docs/capacity.md's
// table was measured with, N searched up to 128, which is past every guess
// and keeps the sweep to minutes in a browser tab.
const capacityLink = "capacity.html#k=1,2,3,4&budget=20000&seeds=3&lr=0.05&max=128"

// tour is the guided tour's panel, its steps and its outline in the canvas.
// It belongs to the game loop.
type tour struct {
	page   *jspage.Page
	text   *pageText
	push   func(func())     // the game's queue: callbacks only queue
	app    func() *play.App // the run a step is applied to
	relink func()           // makes publish rewrite the URL and the controls

	state   *play.Tour // the steps and the one shown; no steps when the embedded tour failed to load
	entered time.Time  // when the step was entered, for the canvas pulse
	shown   int        // the step the panel shows; -1 before the first write
}

// step returns the step shown, 1-based, or 0 when the tour is off.
func (t *tour) step() int { return t.state.Step() }

// wire loads the steps and connects the tour panel's buttons and the
// [ and ] keys. Like every control, the callbacks only queue closures.
func (t *tour) wire() {
	steps, err := play.LoadTour(assets.TourJSON)
	if err != nil { // the native tests keep the JSON valid; stay up without a tour anyway
		js.Global().Get("console").Call("warn", "bottleneck: "+err.Error())
		if s := t.page.El("tour"); s.Truthy() {
			s.Set("hidden", true)
		}
		return
	}
	t.state = play.NewTour(steps)
	t.shown = -1
	if a := t.page.El("tour-capacity"); a.Truthy() {
		a.Call("setAttribute", "href", capacityLink)
	}
	t.text.set("tour-count", strconv.Itoa(len(steps)))
	t.page.OnID("tour-start", "click", func(js.Value) { t.push(func() { t.enter(1) }) })
	t.page.OnID("tour-next", "click", func(js.Value) { t.push(func() { t.move(1) }) })
	t.page.OnID("tour-back", "click", func(js.Value) { t.push(func() { t.move(-1) }) })
	t.page.OnID("tour-exit", "click", func(js.Value) { t.push(t.leave) })
	t.page.OnDocuments("keydown", func(e js.Value) {
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
		t.push(func() { t.move(d) })
	})
}

// stepFor returns the config and the number of the step a link's tour value
// v names. A bad value is refused with a *core.FieldError naming tour and
// the steps there are.
func (t *tour) stepFor(v string) (core.Config, int, error) { return t.state.StepFor(v) }

// at marks step (0 for none) as shown from now on, for a run built from a
// link; the panel follows at the next publish.
func (t *tour) at(step int) {
	t.state.Show(step)
	t.entered = time.Now()
}

// restartAt is at for a page whose engine restarted: the panel is written
// afresh.
func (t *tour) restartAt(step int) {
	t.at(step)
	t.shown = -1
}

// enter shows step i (1-based): the step's config, rebuilt from its seed
// and training, as a control's edit would; the URL gets the config and
// tour=i; the panel and the canvas outline point at the step's view.
func (t *tour) enter(i int) {
	st, ok := t.state.At(i)
	if !ok {
		return
	}
	cfg := st.Config
	a := t.app()
	v := a.Version()
	if err := a.Apply(cfg); err != nil { // the link's locks; LoadTour validated the config
		t.text.message(fmt.Sprintf("Tour step %d was not shown: %v.", i, err))
		return
	}
	switch {
	case st.Build:
		// The step shows the network built by hand, paused at step 0;
		// Play trains on from it. A run of the step's config that Apply
		// kept is reset first: Construct refuses a diverged run.
		if a.Version() == v {
			a.Reset()
		}
		if err := a.Construct(); err != nil { // cannot happen: the tour's tests build every such step
			t.text.message(fmt.Sprintf("Tour step %d: %v.", i, err))
			return
		}
	case a.Version() == v:
		// Apply keeps a run whose config is already the step's; the step
		// still starts from its seed, so that every visit shows the same
		// story.
		a.Reset()
	}
	a.Running = !st.Build
	t.text.clearMessage()
	t.at(i)
	t.relink() // publish rewrites the URL (now with tour=i) and the controls
}

// move goes d steps forward or back, staying within the tour; it does
// nothing while the tour is off.
func (t *tour) move(d int) {
	if i, ok := t.state.Moved(d); ok {
		t.enter(i)
	}
}

// leave turns the tour off and keeps the run; publish drops tour= from the
// URL.
func (t *tour) leave() {
	if t.state.Leave() {
		t.relink()
	}
}

// publish runs before the bridge's publish each frame: it leaves the tour
// when the config is no longer the step's (whatever changed it), then brings
// the panel up to date when the step changed.
func (t *tour) publish(a *play.App) {
	if t.state.Follow(a.Config()) {
		t.relink()
	}
	if t.shown == t.step() || t.state.Len() == 0 {
		return
	}
	t.shown = t.step()
	p := t.state.Panel()
	if s := t.page.El("tour"); s.Truthy() {
		s.Get("dataset").Set("on", strconv.FormatBool(p.On))
	}
	for _, id := range []string{"tour-off", "tour-title", "tour-on", "tour-nav", "tour-step-wrap"} {
		if e := t.page.El(id); e.Truthy() {
			e.Set("hidden", p.On == (id == "tour-off")) // the start line shows only when off
		}
	}
	if !p.On {
		return
	}
	t.text.set("tour-step", p.Count)
	t.text.set("tour-title", p.Title)
	t.text.set("tour-caption", p.Caption) // textContent (set), never HTML
	t.text.set("tour-look", p.Look)
	if e := t.page.El("tour-capacity"); e.Truthy() {
		e.Set("hidden", !p.Capacity)
	}
	if e := t.page.El("tour-back"); e.Truthy() {
		e.Set("disabled", p.FirstStep)
	}
	if e := t.page.El("tour-next"); e.Truthy() {
		e.Set("disabled", p.LastStep)
	}
}

// draw outlines the panel the current step points at: it pulses for the
// first seconds of the step, to catch the eye after Next, then stays as a
// thin frame so that a reader who looks later still finds it.
func (t *tour) draw(screen *ebiten.Image, v *views.NetView, ex *views.Explainer) {
	st, ok := t.state.Current()
	if !ok {
		return
	}
	p, s := ex.Panels()
	var r layout.Rect
	switch st.View {
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
	if d := time.Since(t.entered).Seconds(); d < pulse {
		alpha, w = 0.6+0.4*math.Cos(2*math.Pi*d/0.8), 3.5*s
	}
	v.Outline(screen, r, w, alpha, s)
}
