//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
)

// This file holds the page's own fragment keys and the fault injection that
// the browser tests use to prove that a panic is caught.
//
// core.ParseFragment refuses keys it does not know, so the page's keys are
// taken out of the fragment before it is parsed. They are:
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

// setDebug applies the value of a debug key. rest is the fragment without
// it, to which the URL is set when the value is a one-shot panic, so that
// neither a reload nor "Restart from the link" panics again.
func (b *bridge) setDebug(v, rest string) error {
	switch v {
	case "", "0":
		b.perf.setOverlay(b, false)
	case "1":
		b.perf.setOverlay(b, true)
	case "panic-" + panicUpdate, "panic-" + panicDraw, "panic-" + panicCallback, "panic-" + panicEngine, errorEngine:
		b.panicAt = strings.TrimPrefix(v, "panic-")
		b.Win.Get("history").Call("replaceState", nil, "", "#"+rest)
	default:
		return &core.FieldError{Field: debugKey, Value: clipText(v, 40),
			Allowed: "debug may be 0, 1 (frame times), panic-update, panic-draw, panic-callback, panic-engine or error-engine"}
	}
	return nil
}

// injectPanic panics once when a debug=panic-... switch is armed for where.
// For the callback, it dispatches an event whose listener (added with b.On,
// like every control's) panics.
func (b *bridge) injectPanic(where string) {
	if b.panicAt == "" {
		return
	}
	if where == panicUpdate && b.panicAt == panicCallback {
		b.panicAt = ""
		if !b.panicListener {
			b.panicListener = true
			b.On(b.Self, panicEvent, func(js.Value) {
				panic("injected by debug=panic-callback")
			})
		}
		b.Self.Call("dispatchEvent", b.Self.Get("Event").New(panicEvent))
		return
	}
	if where == panicUpdate && (b.panicAt == panicEngine || b.panicAt == errorEngine) && b.g.eng.Running() {
		b.g.eng.DebugFault(b.panicAt == errorEngine)
		b.panicAt = ""
		return
	}
	if b.panicAt == where {
		b.panicAt = ""
		panic("injected by debug=panic-" + where)
	}
}

// publishFailed refreshes window.bottleneck.state() while the #fatal panel is
// up (Update then skips publish), so that it says failed. A panic here is
// dropped: the page has already said what went wrong.
func (b *bridge) publishFailed() {
	defer func() { _ = recover() }()
	b.updateState(b.g.app)
}
