//go:build js && wasm

// This file saves the figures: the network and the hidden space as SVG
// (package figure, from the weights and the layout) and the whole canvas as
// PNG at the device's pixel ratio.

package main

import (
	"errors"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// figures saves the figures. It belongs to the game loop.
type figures struct {
	page *jspage.Page
	text *pageText
	push func(func())     // the game's queue: callbacks only queue
	app  func() *play.App // the run whose figures are saved

	pngWanted bool // Save PNG was pressed: the next Draw saves its frame
}

// wire connects the Save buttons. Like every control they only queue.
func (f *figures) wire() {
	f.page.OnID("save-svg", "click", func(js.Value) { f.push(f.saveNetworkSVG) })
	f.page.OnID("save-hidden-svg", "click", func(js.Value) { f.push(f.saveHiddenSVG) })
	f.page.OnID("save-png", "click", func(js.Value) { f.push(func() { f.pngWanted = true }) })
}

// saveNetworkSVG downloads the network as drawn, e.g.
// bottleneck-11-2-11-step586.svg.
func (f *figures) saveNetworkSVG() {
	tr := f.app().Trainer()
	c, step := tr.Config(), tr.Metrics().Step
	name := figure.FileName(c, step, "", "svg")
	f.page.Download(name, "image/svg+xml", string(figure.Network(tr.Network(), c, step)))
	f.text.notice("Saved " + name)
}

// saveHiddenSVG downloads the hidden space (k = 1 or 2).
func (f *figures) saveHiddenSVG() {
	tr := f.app().Trainer()
	c, step := tr.Config(), tr.Metrics().Step
	data, err := figure.HiddenSpaceMarked(tr.Network(), c, step, f.app().Unfit())
	if err != nil {
		msg := "The hidden space was not saved: " + err.Error() + "."
		if !errors.Is(err, figure.ErrHiddenK) {
			msg = "The hidden space was not saved: a weight is not a finite number. Reset the run and try again."
		}
		f.text.message(msg)
		return
	}
	name := figure.FileName(c, step, "hidden", "svg")
	f.page.Download(name, "image/svg+xml", string(data))
	f.text.notice("Saved " + name)
}

// publish enables the hidden-space button only where there is an
// exact picture to save.
func (f *figures) publish(k int) {
	if e := f.page.El("save-hidden-svg"); e.Truthy() {
		on := k == 1 || k == 2
		if f.text.changed("save-hidden-on", map[bool]string{true: "1", false: "0"}[on]) {
			e.Set("disabled", !on)
			title := "The hidden space as SVG: exact intervals (k = 1) or regions (k = 2)"
			if !on {
				title = "Only k = 1 and k = 2 have an exact flat picture of the hidden space"
			}
			e.Call("setAttribute", "title", title)
		}
	}
}

// draw saves the frame just drawn when Save PNG was pressed.
func (f *figures) draw(screen *ebiten.Image) {
	if f.pngWanted {
		f.savePNG(screen)
	}
}

// savePNG downloads the canvas as drawn this frame, at the device's pixel
// ratio (the screen image is in device pixels, see Game.Layout). It runs at
// the end of Draw (draw), where the frame is complete: a WebGL canvas keeps no
// drawing buffer after the frame, so the pixels are read from ebiten and
// encoded by the browser through a 2-D canvas.
func (f *figures) savePNG(screen *ebiten.Image) {
	f.pngWanted = false
	r := screen.Bounds()
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	pix := make([]byte, 4*w*h)
	screen.ReadPixels(pix)
	u8 := js.Global().Get("Uint8Array").New(len(pix))
	js.CopyBytesToJS(u8, pix)
	data := f.page.Win.Get("ImageData").New(f.page.Win.Get("Uint8ClampedArray").New(u8.Get("buffer")), w, h)
	canvas := f.page.Doc.Call("createElement", "canvas")
	canvas.Set("width", w)
	canvas.Set("height", h)
	canvas.Call("getContext", "2d").Call("putImageData", data, 0, 0)
	tr := f.app().Trainer()
	name := figure.FileName(tr.Config(), tr.Metrics().Step, "", "png")
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer done.Release()
		if len(args) == 0 || !args[0].Truthy() {
			f.push(func() { f.text.message("The PNG could not be made by this browser.") })
			return nil
		}
		blob := args[0]
		f.push(func() {
			f.page.DownloadBlob(name, blob)
			f.text.notice("Saved " + name)
		})
		return nil
	})
	canvas.Call("toBlob", done, "image/png")
}
