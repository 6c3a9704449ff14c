//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
)

// copyText writes text to the clipboard from a click handler, then pushes
// done onto the game's queue, or fallback when the browser refuses or has no
// clipboard. It must run in the handler itself, not in a queued closure:
// browsers allow clipboard writes only during a user gesture.
func copyText(p *jspage.Page, push func(func()), text string, done, fallback func()) {
	clip := p.Win.Get("navigator").Get("clipboard")
	if !clip.Truthy() || !clip.Get("writeText").Truthy() {
		push(fallback)
		return
	}
	var ok, fail js.Func
	release := func() { ok.Release(); fail.Release() }
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		push(done)
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		push(fallback)
		return nil
	})
	clip.Call("writeText", text).Call("then", ok, fail)
}
