//go:build js && wasm

// This file is the page's side of its URL fragment: reading a link (the
// config, the tour step, the UI keys and the debug switches), a link pasted
// into the address bar, and what the page adds to the config's fragment.
//
// core.ParseFragment refuses keys it does not know, so the page's keys are
// taken out of the fragment before it is parsed (package link, which tests
// that natively).

package main

import (
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// parseTourLink parses a fragment as the page does, the tour included. It
// returns the config to run and the tour step (0 for none).
//
// When the fragment has tour=N, the step wins: its config is used and the
// other config keys are ignored, even bad ones, because a tour link is
// "step N" and a config next to it can only be a stale copy of an earlier
// URL. The page's debug keys still apply. A bad tour value is refused with a
// *core.FieldError naming tour and the steps there are.
func (b *bridge) parseTourLink(h string) (core.Config, int, error) {
	h = b.ui.take(h) // the page's hide= and lock= keys (uikeys.go)
	rest, v, has, err := link.SplitTour(h)
	if err != nil {
		return core.DefaultConfig(), 0, err
	}
	if !has {
		cfg, err := b.parseLink(rest)
		return cfg, 0, err
	}
	cfg, i, err := b.tour.stepFor(v)
	if err != nil {
		return core.DefaultConfig(), 0, err
	}
	if _, dbg, hasDbg := link.SplitDebug(rest); hasDbg {
		if err := b.debug.set(dbg, tourKey+"="+v); err != nil {
			return core.DefaultConfig(), 0, err
		}
	}
	return cfg, i, nil
}

// parseLink parses a fragment as the page does: its own keys first (which
// may turn on the overlay or arm an injected panic), then the config. A
// refused value of either leaves everything as it was and returns a
// *core.FieldError that names it.
func (b *bridge) parseLink(h string) (core.Config, error) {
	rest, debug, has := link.SplitDebug(h)
	cfg, err := core.ParseFragment(rest)
	if err != nil {
		return cfg, err
	}
	if has {
		if err := b.debug.set(debug, rest); err != nil {
			return core.DefaultConfig(), err
		}
	}
	return cfg, nil
}

// fragment is the page's URL fragment for the config's fragment frag: the
// tour step shown (tour.go), the debug key that is meant to persist and the
// UI keys (uikeys.go) after it, composed by link.Compose.
func (b *bridge) fragment(frag string) string {
	return link.Compose(frag, b.tour.step(), b.perf.overlay, b.ui.keys.Encode())
}

// applyLink switches to a fragment pasted into the address bar. A bad one is
// reported and the current run goes on (the URL is then rewritten to it).
func (b *bridge) applyLink(h string) {
	if strings.TrimPrefix(h, "#") == b.fragment(b.lastFrag) {
		return
	}
	keys := b.ui.keys
	cfg, step, err := b.parseTourLink(h)
	if err != nil {
		b.text.message("The link's settings were not used: " + err.Error() + ". The current run goes on.")
		b.ui.keys = keys // and so do its page settings
		b.lastFrag = ""  // rewrite the URL to the run that goes on
		return
	}
	if step > 0 {
		// The new link's locks apply from its tour step on, not against it
		// (publish gives the App the link's locks again at this frame's end).
		b.g.app.SetLocks(uikeys.UI{})
		b.tour.enter(step)
		b.g.app.SetLocks(b.ui.keys)
		b.ui.report()
		return
	}
	b.tour.state.Show(0) // a link without tour= is not a tour step, even with a step's config
	b.lastFrag = ""      // the URL gets the canonical form (and the debug keys that persist)
	b.change(func(c *core.Config) error { *c = cfg; return nil }, false)
	b.ui.report()
}
