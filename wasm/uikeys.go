//go:build js && wasm

// This file applies the link's UI keys (package uikeys): hide= hides parts
// of the page and the matching canvas panels, lock= disables the controls of
// fixed parameters, and the App refuses any change to them, from a control,
// a new seed, a tour step, an import or an edit by hand (play's locks.go,
// which bridge.publish hands the keys). A newly pasted link brings its own
// keys.

package main

import (
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// uiKeys applies the link's UI keys to the page. It belongs to the game
// loop.
type uiKeys struct {
	page       *jspage.Page
	text       *pageText
	showPanels func(hidden, charts bool) // the canvas's panels (views.Explainer.ShowPanels)

	keys    uikeys.UI
	err     error  // the last link's refused UI name, to report once
	applied string // keys.Encode() as last applied to the page; "-" before the first
}

// newUIKeys returns the UI keys of a page that has read no link yet;
// showPanels shows or drops the canvas's panels.
func newUIKeys(p *jspage.Page, t *pageText, showPanels func(hidden, charts bool)) *uiKeys {
	return &uiKeys{page: p, text: t, showPanels: showPanels, applied: "-"}
}

// take reads the UI keys of a link, which replace the current ones, and
// returns the rest of the link for the run's parser.
func (u *uiKeys) take(h string) string {
	rest, keys, err := uikeys.Split(h)
	u.keys, u.err = keys, err
	return rest
}

// report shows a refused UI name of the link just read, if any.
func (u *uiKeys) report() {
	if u.err != nil {
		u.text.message("Part of the link's page settings was not used: " + u.err.Error() + ". The page runs without it.")
		u.err = nil
	}
}

// publish applies the UI keys to the page when they changed: parts
// hidden, locked controls disabled with a note, canvas panels dropped.
func (u *uiKeys) publish() {
	keys := u.keys
	enc := keys.Encode()
	if enc == u.applied {
		return
	}
	u.applied = enc
	u.showPanels(keys.ShowsPanel("hidden"), keys.ShowsPanel("charts"))
	doc := u.page.Doc
	if !doc.Truthy() {
		return
	}
	for _, part := range uikeys.Of(uikeys.HideKey) {
		els := doc.Call("querySelectorAll", `[data-part~="`+part+`"]`)
		for i := 0; i < els.Length(); i++ {
			els.Index(i).Set("hidden", keys.Hidden(part))
		}
	}
	locked := map[string]bool{}
	for _, id := range keys.Controls() {
		locked[id] = true
	}
	for _, n := range uikeys.Names {
		if n.Key != uikeys.LockKey {
			continue
		}
		for _, id := range n.Controls {
			e := u.page.El(id)
			if !e.Truthy() {
				continue
			}
			e.Set("disabled", locked[id])
			if locked[id] {
				e.Call("setAttribute", "aria-describedby", "lock-note")
				e.Call("setAttribute", "data-locked", "")
			} else if e.Call("hasAttribute", "data-locked").Bool() {
				e.Call("removeAttribute", "aria-describedby")
				e.Call("removeAttribute", "data-locked")
			}
		}
	}
	note := keys.LockNote()
	u.text.set("lock-note", note)
	if e := u.page.El("lock-note"); e.Truthy() {
		e.Set("hidden", note == "")
	}
}
