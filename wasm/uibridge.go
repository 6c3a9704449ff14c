//go:build js && wasm

// This file applies the link's UI keys (package uikeys): hide= hides parts
// of the page and the matching canvas panels, lock= disables the controls of
// fixed parameters and refuses any change to them, from a control, a new
// seed, a tour step or an import. A newly pasted link brings its own keys.

package main

import (
	"fmt"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// uiState is the UI keys' part of the bridge. It belongs to the game loop.
type uiState struct {
	keys    uikeys.UI
	err     error  // the last link's refused UI name, to report once
	applied string // keys.Encode() as last applied to the page; "-" before the first
}

// takeUI reads the UI keys of a link, which replace the current ones, and
// returns the rest of the link for the run's parser.
func (b *bridge) takeUI(h string) string {
	rest, keys, err := uikeys.Split(h)
	b.ui.keys, b.ui.err = keys, err
	return rest
}

// reportUI shows a refused UI name of the link just read, if any.
func (b *bridge) reportUI() {
	if b.ui.err != nil {
		b.text.message("Part of the link's page settings was not used: " + b.ui.err.Error() + ". The page runs without it.")
		b.ui.err = nil
	}
}

// uiSuffix is the UI keys' part of linkSuffix.
func (b *bridge) uiSuffix() string {
	if e := b.ui.keys.Encode(); e != "" {
		return "&" + e
	}
	return ""
}

// checkLocks refuses a change of the run that alters a locked parameter.
func (b *bridge) checkLocks(next core.Config) error {
	return b.ui.keys.Check(b.g.app.Config(), next)
}

// publishUI applies the UI keys to the page when they changed: parts
// hidden, locked controls disabled with a note, canvas panels dropped.
func (b *bridge) publishUI() {
	keys := b.ui.keys
	enc := keys.Encode()
	if enc == b.ui.applied {
		return
	}
	b.ui.applied = enc
	b.g.ex.ShowPanels(keys.ShowsPanel("hidden"), keys.ShowsPanel("charts"))
	if !b.Doc.Truthy() {
		return
	}
	for _, part := range uikeys.Of(uikeys.HideKey) {
		els := b.Doc.Call("querySelectorAll", `[data-part~="`+part+`"]`)
		for i := 0; i < els.Length(); i++ {
			els.Index(i).Set("hidden", keys.Hidden(part))
		}
	}
	locked := map[string]bool{}
	for _, id := range keys.Controls() {
		locked[id] = true
	}
	var what []string
	for _, n := range uikeys.Names {
		if n.Key != uikeys.LockKey {
			continue
		}
		if keys.Locked(n.Name) {
			what = append(what, n.What)
		}
		for _, id := range n.Controls {
			e := b.El(id)
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
	note := ""
	switch free := freeParams(keys); {
	case len(what) == 0:
	case len(free) <= 2:
		// lock=all,-k: say what is left, which is the shorter and the point.
		note = "This link fixed every setting"
		if len(free) > 0 {
			note += " but " + joinWords(free)
		}
		note += ", so those controls are locked."
	default:
		note = fmt.Sprintf("This link fixed %s, so those controls are locked.", joinWords(what))
	}
	b.text.set("lock-note", note)
	if e := b.El("lock-note"); e.Truthy() {
		e.Set("hidden", note == "")
	}
}

// freeParams returns the descriptions of the parameters keys leave free.
func freeParams(keys uikeys.UI) []string {
	var free []string
	for _, n := range uikeys.Names {
		if n.Key == uikeys.LockKey && !keys.Locked(n.Name) {
			free = append(free, n.What)
		}
	}
	return free
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
