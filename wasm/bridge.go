//go:build js && wasm

package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/callqueue"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
)

// bridge connects the game to the parent page. It owns the run's way
// through the page: a control's change (controls.go) becomes an edit of the
// config here, the URL fragment is read and written (link.go), and publish
// writes the status line, the URL and the play button after every Update;
// the #fatal panel's way out is restart.go.
//
// Each other part of the page is a type of its own, held here and given
// only what it needs: the page's text (text.go), the tour (tour.go), the UI
// keys (uikeys.go), the walk-through's panel (explain.go), the Save buttons
// (figures.go), the Embed panel (embed.go), export and import
// (transfer.go), the run kept across reloads (keep.go), the test hook (hook.go), the frame statistics (perf.go) and
// the debug switches (debug.go).
//
// The canvas lives in an iframe (ebiten takes over the whole body of its
// document), so the controls are in the parent document, which is same-origin.
// Browser callbacks only read the event and push a closure onto queue; the
// closures, and every write to the page, run in the game's Update.
type bridge struct {
	*jspage.Page // the parent page: its controls, address, fatal panel and downloads
	g            *Game
	queue        callqueue.Queue

	text     *pageText // the page's text, #message and #notice (text.go)
	lastFrag string    // the fragment the controls and URL show
	ready    bool      // a frame is on screen: the page said data-state=ready
	noWebGL2 bool      // the browser has no WebGL2: nothing is drawn (nogl.go)

	lastPlay int // 0 unknown, 1 playing, 2 paused

	hook  *testHook      // window.bottleneck, for the tests (hook.go)
	perf  *perfStats     // frame times, for the hook and debug=1 (perf.go)
	debug *debugSwitches // the link's debug switches (debug.go)

	tour    *tour         // the guided tour (tour.go)
	ui      *uiKeys       // the link's hide= and lock= keys (uikeys.go)
	explain *explainPanel // the walk-through's buttons, gestures and text (explain.go)

	figures  *figures    // the Save buttons (figures.go)
	embed    *embedPanel // the Embed panel (embed.go)
	transfer *transfer   // export, import and the link (transfer.go)
	keeper   *keeper     // the run kept across reloads, in IndexedDB (keep.go)
}

// newBridge connects g to the page it runs in and makes the page's parts.
func newBridge(g *Game) *bridge {
	b := &bridge{g: g}
	// A caught panic marks the game failed and refreshes the test hook's
	// state at once: showFatal then sets data-state=error, and whoever sees
	// that must also see failed in state(), not wait for the next Update.
	b.Page = jspage.New("bottleneck", func() { g.failed = true; g.eng.Stop(); b.hook.publishFailed() })
	b.text = newPageText(b.Page)
	app := func() *play.App { return g.app } // g.app is replaced by restartFromLink
	b.perf = &perfStats{page: b.Page}
	b.debug = &debugSwitches{page: b.Page, perf: b.perf, eng: &g.eng}
	b.hook = newTestHook(b.Page, app, func(s *hookState) {
		s.Ready, s.Failed = b.ready, g.failed
		s.Message, s.Tour, s.NoWebGL2 = b.text.last("message"), b.tour.step(), b.noWebGL2
		s.perfState = b.perf.state(b.text.seq)
		s.Hook = g.ex.Hook(g.view)
	})
	b.ui = newUIKeys(b.Page, b.text, g.ex.ShowPanels)
	b.tour = &tour{page: b.Page, text: b.text, push: b.queue.Push, app: app,
		relink: func() { b.lastFrag = "" }, state: play.NewTour(nil)}
	b.figures = &figures{page: b.Page, text: b.text, push: b.queue.Push, app: app}
	b.embed = &embedPanel{page: b.Page, text: b.text, push: b.queue.Push,
		run: func() (string, core.Config) {
			return link.Compose(b.lastFrag, b.tour.step(), false, ""), g.app.Trainer().Config()
		}}
	b.explain = &explainPanel{page: b.Page, text: b.text, push: b.queue.Push, app: app, ex: g.ex, view: g.view,
		undrawn: "Drawn in the canvas, beside the network."}
	b.transfer = &transfer{page: b.Page, text: b.text, push: b.queue.Push, app: app}
	b.keeper = &keeper{page: b.Page, text: b.text, push: b.queue.Push, app: app,
		link: func() string { return b.fragment(b.lastFrag) }, flush: func() { g.eng.Send(g.app.Outbox()) }}
	return b
}

// wireTeach connects what teachers and writers use: the Save buttons and
// the Embed panel, whose choices start as the first link has them. Tab is
// released from the canvas here too, above all for an embed.
func (b *bridge) wireTeach() {
	b.figures.wire()
	b.embed.wire(b.ui.keys)
	releaseTab(b.Self)
}

// initialApp builds the first run from the parent's URL fragment. A bad
// fragment is reported and the defaults run instead: never a blank page.
func (b *bridge) initialApp() *play.App {
	b.tour.wire() // first: the link may name a tour step
	cfg, step, err := b.parseTourLink(b.Hash())
	if err != nil {
		b.text.message("The link's settings were not used: " + err.Error() + ". Showing the default network instead.")
		cfg, step = core.DefaultConfig(), 0
	} else {
		b.ui.report()
	}
	app, err := play.New(cfg)
	if err != nil { // cannot happen for a parsed config; keep the page alive anyway
		app, _ = play.New(core.DefaultConfig())
		step = 0
	}
	if st, ok := b.tour.state.At(step); ok && st.Build {
		// A link to a tour step that shows a network built by hand builds
		// it, as entering the step does (tour.enter).
		if err := app.Construct(); err != nil {
			b.text.message(fmt.Sprintf("Tour step %d: %v.", step, err))
		}
	}
	b.tour.at(step)
	if s := b.El("speed"); s.Truthy() {
		if v, err := strconv.Atoi(s.Get("value").String()); err == nil {
			app.SetRate(link.SpeedRate(v))
		}
	}
	b.wire()
	b.transfer.wire()
	b.keeper.wire()
	b.hook.install()
	b.perf.installHook(b.queue.Push) // after install: it adds to window.bottleneck
	return app
}

// edit applies a change to the current config: a refused value leaves the
// run as it was, says why, and puts the control back to the current value.
func (b *bridge) edit(f func(c *core.Config) error) {
	b.change(f, true)
}

// change is edit; a link's own run is applied with locked false, since the
// link that locks parameters is also what sets them.
func (b *bridge) change(f func(c *core.Config) error, locked bool) {
	a := b.g.app
	c := a.Config()
	err := f(&c)
	switch {
	case err != nil:
	case locked:
		err = a.Apply(c) // which refuses what the link's locks forbid
	default:
		err = a.ApplyLink(c)
	}
	if err != nil {
		b.text.message(err.Error())
		b.syncControls(b.g.app.Config())
		return
	}
	b.text.clearMessage()
}

// command runs an action on the app and reports its error, if any.
func (b *bridge) command(f func(a *play.App) error) {
	if err := f(b.g.app); err != nil {
		b.text.message(err.Error())
		return
	}
	b.text.clearMessage()
}

// toggle plays or pauses the run (the play button, space).
func (b *bridge) toggle() { b.g.app.Toggle() }

// step pauses the run and trains exactly one step (the step button, s); a
// run that diverged says so instead.
func (b *bridge) step() {
	if err := b.g.app.Step(); err != nil {
		b.text.divergedMessage(b.g.app.Trainer().Diverged())
	}
}

// reset restores the seed's initial weights (the reset buttons, r).
func (b *bridge) reset() {
	b.g.app.Reset() // resumes a run that divergence stopped
	b.text.clearMessage()
}

// publish brings the page up to date with the app after a frame's work: the
// controls and the URL when the config changed, the status line and the play
// button; the test hook's state is marked stale, to be rebuilt when a test
// asks for it (hook.go).
func (b *bridge) publish(a *play.App) {
	tr := a.Trainer()
	c := tr.Config()
	if frag := c.Encode(); frag != b.lastFrag {
		b.lastFrag = frag
		b.syncControls(c)
		if link := b.fragment(frag); strings.TrimPrefix(b.Hash(), "#") != link {
			// replaceState, not a hash assignment: dragging a slider must not
			// fill the history, and it fires no hashchange back at us.
			b.ReplaceFragment(link)
		}
	}
	a.SetLocks(b.ui.keys) // every frame: a restarted engine brings a new App
	for _, f := range statusline.Of(c, tr.Metrics(), a.BuiltByHand()).Fields() {
		b.text.set(f.ID, f.Text)
	}
	playing := 2
	if a.Running {
		playing = 1
	}
	if playing != b.lastPlay {
		b.lastPlay = playing
		if p := b.El("play"); p.Truthy() {
			p.Set("textContent", map[bool]string{true: "Pause", false: "Play"}[a.Running])
			p.Call("setAttribute", "aria-pressed", strconv.FormatBool(a.Running))
		}
	}
	b.text.expireNotice()
	b.hook.markStale()
}

// markReady tells the page (and the tests) that a training network is on
// screen, once.
func (b *bridge) markReady() {
	if b.ready {
		return
	}
	b.ready = true
	b.SetState("ready")
	if l := b.El("load-box"); l.Truthy() {
		l.Set("hidden", true)
	}
}
