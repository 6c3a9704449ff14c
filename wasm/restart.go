//go:build js && wasm

// This file is the way out of the #fatal panel: a training engine that died
// is reported there, "Continue in a new engine" moves the run as it is to a
// new engine, and "Restart from the link" starts a new run in a new engine
// from the URL, after a dead engine or a caught panic alike, so that a
// learner keeps the page, the link and, where it can be kept, the run they had.

package main

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// engineDied shows the #fatal panel for a training engine that died (a Go
// panic in the worker, its error event): what happened, and the two ways
// out, each in a new engine: continueInNewEngine, which keeps the run as the
// page shows it, and restartFromLink.
func (b *bridge) engineDied(reason string) {
	b.g.failed = true
	if t := b.El("fatal-title"); t.Truthy() {
		t.Set("textContent", "The training engine stopped")
	}
	b.showContinue(true)
	step := b.g.app.Trainer().Metrics().Step
	b.ShowFatal(fmt.Sprintf("%s.\n\nTraining cannot go on in this engine. “Continue in a new engine” goes on from step %d with the weights shown "+
		"(hand edits and imports included; the optimizer starts afresh, without the moments it had). “Restart from the link” starts a new run with the current link's settings.", reason, step))
}

// showContinue shows the #fatal panel's “Continue in a new engine”, the
// first choice after an engine died, or hides it for every other fault,
// where “Restart from the link” is.
func (b *bridge) showContinue(on bool) {
	if c := b.El("fatal-continue"); c.Truthy() {
		c.Set("hidden", !on)
	}
	if r := b.El("fatal-reset"); r.Truthy() {
		r.Get("classList").Call("toggle", "primary", !on)
	}
}

// continueInNewEngine is the #fatal panel's way out after an engine died
// that keeps the work: the run moves to a new engine from the mirror's
// step, weights, solved step and charts (play.App.Restart).
func (b *bridge) continueInNewEngine() {
	b.g.app.Restart()
	b.g.eng.Restart(b.g.app.Outbox())
	b.closeFatal()
}

// closeFatal hides the #fatal panel after one of its ways out and says the
// page is ready again.
func (b *bridge) closeFatal() {
	b.g.failed = false
	b.showContinue(false)
	if f := b.El("fatal"); f.Truthy() {
		f.Set("hidden", true)
	}
	if t := b.El("fatal-title"); t.Truthy() {
		t.Set("textContent", "Something went wrong")
	}
	b.SetState("ready")
}

// restartFromLink is the #fatal panel's way out: a fresh run from the URL,
// in a new engine.
func (b *bridge) restartFromLink() {
	cfg, step, err := b.parseTourLink(b.Hash())
	if err != nil {
		cfg, step = core.DefaultConfig(), 0
	}
	app, err := play.New(cfg)
	if err != nil {
		return
	}
	b.tour.restartAt(step)
	app.SetRate(b.g.app.Rate())
	b.g.app = app
	b.g.eng.Restart(app.Outbox()) // a new engine: the old one may have died, or be ahead
	b.lastFrag = ""
	b.text.forget()
	b.closeFatal()
}
