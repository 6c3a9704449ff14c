//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/enginehost"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
)

// This file holds the link's debug switches: the frame-time overlay and the
// fault injection that the browser tests use to prove that a panic is
// caught. The link's parsing (link.go) takes them out of the fragment; they
// are:
//
//	debug=1               the frame-time overlay (#debug); kept in the URL
//	debug=panic-update    one Go panic in the next Update    \
//	debug=panic-draw      one Go panic in the next Draw       } test switches,
//	debug=panic-callback  one Go panic in a browser callback /  removed from
//	debug=panic-engine    one Go panic in the engine worker  /  the URL at once
//	debug=error-engine    one uncaught JavaScript error in the engine worker
//	                      (its error event, not a Go panic)

// debugKey is the fragment key of the page's debug switches.
const debugKey = link.DebugKey

// The places a debug=panic-... switch can panic.
const (
	panicUpdate   = "update"
	panicDraw     = "draw"
	panicCallback = "callback"
	panicEngine   = "engine" // a Go panic in the training engine's worker
	// errorEngine is the one debug=error-... switch: the engine worker's
	// error event, from a JavaScript error outside its Go code.
	errorEngine = "error-engine"
)

// panicEvent is the DOM event whose listener panics for debug=panic-callback.
const panicEvent = "bottleneck-debug-panic"

// debugSwitches are the debug key's switches. They belong to the game loop.
type debugSwitches struct {
	page *jspage.Page
	perf *perfStats       // the frame statistics, whose overlay debug=1 shows
	eng  *enginehost.Play // the engine that debug=panic-engine and error-engine fault

	panicAt  string // where the armed panic goes off; "" when none is
	listener bool   // the panicEvent listener is in place
}

// set applies the value of a debug key. rest is the fragment without
// it, to which the URL is set when the value is a one-shot panic, so that
// neither a reload nor "Restart from the link" panics again.
func (d *debugSwitches) set(v, rest string) error {
	switch v {
	case "", "0":
		d.perf.setOverlay(false)
	case "1":
		d.perf.setOverlay(true)
	case "panic-" + panicUpdate, "panic-" + panicDraw, "panic-" + panicCallback, "panic-" + panicEngine, errorEngine:
		d.panicAt = strings.TrimPrefix(v, "panic-")
		d.page.ReplaceFragment(rest)
	default:
		return &core.FieldError{Field: debugKey, Value: core.Clip(v),
			Allowed: "debug may be 0, 1 (frame times), panic-update, panic-draw, panic-callback, panic-engine or error-engine"}
	}
	return nil
}

// inject panics once when a debug=panic-... switch is armed for where.
// For the callback, it dispatches an event whose listener (added with
// jspage.Page.On, like every control's) panics.
func (d *debugSwitches) inject(where string) {
	if d.panicAt == "" {
		return
	}
	if where == panicUpdate && d.panicAt == panicCallback {
		d.panicAt = ""
		if !d.listener {
			d.listener = true
			d.page.On(d.page.Self, panicEvent, func(js.Value) {
				panic("injected by debug=panic-callback")
			})
		}
		d.page.Self.Call("dispatchEvent", d.page.Self.Get("Event").New(panicEvent))
		return
	}
	if where == panicUpdate && (d.panicAt == panicEngine || d.panicAt == errorEngine) && d.eng.Running() {
		d.eng.DebugFault(d.panicAt == errorEngine)
		d.panicAt = ""
		return
	}
	if d.panicAt == where {
		d.panicAt = ""
		panic("injected by debug=panic-" + where)
	}
}
