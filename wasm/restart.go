//go:build js && wasm

// This file is the way out of the #fatal panel: a training engine that died
// is reported there, and "Restart from the link" starts a new run in a new
// engine from the URL, after a dead engine or a caught panic alike, so that a
// learner keeps the page and the link they had.

package main

import (
	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// engineDied shows the #fatal panel for a training engine that died (a Go
// panic in the worker, its error event): what happened, and the way out,
// restartFromLink, which starts a new engine.
func (b *bridge) engineDied(reason string) {
	b.g.failed = true
	if t := b.El("fatal-title"); t.Truthy() {
		t.Set("textContent", "The training engine stopped")
	}
	b.ShowFatal(reason + ".\n\nTraining cannot go on in this engine. “Restart from the link” starts a new engine with the current link's settings.")
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
	b.g.failed = false
	b.g.eng.Restart(app.Outbox()) // a new engine: the old one may have died, or be ahead
	b.lastFrag = ""
	b.text.forget()
	if f := b.El("fatal"); f.Truthy() {
		f.Set("hidden", true)
	}
	if t := b.El("fatal-title"); t.Truthy() {
		t.Set("textContent", "Something went wrong")
	}
	b.SetState("ready")
}
