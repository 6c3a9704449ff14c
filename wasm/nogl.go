//go:build js && wasm

package main

// Without WebGL2 ebiten cannot draw, but the engine can still train: the
// page then runs its Update loop on a timer, says plainly why there is no
// picture and what to try, and the status line, the link and export go on
// as usual.

import (
	"syscall/js"
	"time"
)

// noWebGL2Text is what the page says where the network would be drawn.
const noWebGL2Text = "This browser could not start WebGL2, so the network cannot be drawn here. " +
	"Training still runs: the status line shows it, and the link and Export work. " +
	"To see the network, switch on hardware acceleration (graphics acceleration) in the browser's settings and reload, " +
	"or open the link in another browser."

// webGL2 reports whether this browser gives a canvas a WebGL2 context, as
// ebiten needs.
func webGL2() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	c := js.Global().Get("document").Call("createElement", "canvas")
	return c.Call("getContext", "webgl2").Truthy()
}

// updateEvery is how often the page takes the engine's news without
// ebiten's frames.
const updateEvery = 100 * time.Millisecond

// runWithoutDrawing runs the game's Update on a timer, never returning: the
// page without a picture.
func (g *Game) runWithoutDrawing() {
	g.noDraw = true
	js.Global().Get("console").Call("warn", "bottleneck: no WebGL2; training runs without the drawing")
	doc := js.Global().Get("document")
	p := doc.Call("createElement", "p")
	p.Set("id", "no-webgl2")
	p.Set("className", "no-webgl2")
	p.Call("setAttribute", "role", "alert")
	p.Set("textContent", noWebGL2Text)
	doc.Get("body").Call("appendChild", p)
	g.ui.noWebGL2 = true
	for {
		g.Update()
		g.ui.markReady()
		time.Sleep(updateEvery)
	}
}
