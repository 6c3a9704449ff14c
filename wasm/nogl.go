//go:build js && wasm

package main

// Without WebGL2 ebiten cannot draw, but the engine can still train: the
// page then runs its Update loop on a timer, says plainly why the network
// is not drawn live and what to try, and shows a still picture of it (the
// SVG that Save SVG saves, in the page's theme) redrawn about once a
// second; the status line, the link and export go on as usual.

import (
	"encoding/base64"
	"strconv"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

// noWebGL2Text is what the page says where the network would be drawn.
const noWebGL2Text = "This browser could not start WebGL2, so the network cannot be drawn live here. " +
	"Training still runs: the status line shows it, the picture below follows it about once a second, and the link and Export work. " +
	"To see the network live, switch on hardware acceleration (graphics acceleration) in the browser's settings and reload, " +
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
	// ebiten's canvas fills the body (black, as nothing draws on it) and
	// would hide what follows it, and ebiten painted the body black: the
	// page shows text and a picture instead, on app.css's background.
	canvases := doc.Call("getElementsByTagName", "canvas")
	for i := range canvases.Length() {
		canvases.Index(i).Get("style").Set("display", "none")
	}
	doc.Get("body").Get("style").Call("removeProperty", "background-color")
	doc.Get("body").Get("style").Call("removeProperty", "background")
	p := doc.Call("createElement", "p")
	p.Set("id", "no-webgl2")
	p.Set("className", "no-webgl2")
	p.Call("setAttribute", "role", "alert")
	p.Set("textContent", noWebGL2Text)
	doc.Get("body").Call("appendChild", p)
	img := doc.Call("createElement", "img")
	img.Set("id", "no-webgl2-picture")
	img.Set("className", "no-webgl2-picture")
	doc.Get("body").Call("appendChild", img)
	g.ui.noWebGL2 = true
	g.ui.explain.undrawn = "The hidden space is drawn in the canvas, which this browser cannot show without WebGL2."
	var pic stillPicture
	for {
		g.Update()
		pic.update(img, g.app.Trainer(), g.view.Dark(), time.Now)
		g.ui.markReady()
		time.Sleep(updateEvery)
	}
}

// pictureEvery is how often, at most, the still picture is redrawn.
const pictureEvery = time.Second

// stillPicture keeps the picture of the network that stands in for the
// canvas without WebGL2.
type stillPicture struct {
	config string    // the config drawn last
	step   int       // and its step
	dark   bool      // and its theme (the page's colour scheme)
	next   time.Time // the earliest time of the next drawing
}

// update redraws the picture in img, in the dark theme or the light one,
// when the run or the theme changed, at most every pictureEvery, and at
// least 20 times as long as the last drawing took apart, so that a large
// network's drawing leaves the page its time.
func (s *stillPicture) update(img js.Value, tr *core.Trainer, dark bool, now func() time.Time) {
	c, step := tr.Config(), tr.Metrics().Step
	config := c.Encode()
	start := now()
	if start.Before(s.next) || config == s.config && step == s.step && dark == s.dark {
		return
	}
	svg := figure.NetworkIn(figure.Theme(dark), tr.Network(), c, step)
	img.Set("src", "data:image/svg+xml;base64,"+base64.StdEncoding.EncodeToString(svg))
	img.Set("alt", "The network, "+c.Shape()+" at step "+strconv.Itoa(step)+": a still picture, redrawn as training goes on")
	img.Get("dataset").Set("step", step)
	s.config, s.step, s.dark = config, step, dark
	s.next = now().Add(max(pictureEvery, 20*now().Sub(start)))
}
