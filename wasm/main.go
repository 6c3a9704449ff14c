//go:build js && wasm

// Command wasm is the Bottleneck playground: an ebiten game, run inside the
// page's iframe, that draws the network a training engine (wasm/worker, in a
// Web Worker) trains, wired to the parent page's HTML controls through
// syscall/js.
package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/wasm/explorer"
)

func main() {
	if explorer.Requested() { // capacity.html's iframe: the capacity explorer
		explorer.Run()
		return
	}
	g := newGame()
	if !webGL2() {
		g.runWithoutDrawing() // training goes on in the engine (nogl.go)
		return
	}
	ebiten.SetWindowTitle("Bottleneck")
	// The engine's news must be taken when the user works the controls in
	// the parent page, which takes the focus away from the canvas.
	ebiten.SetRunnableOnUnfocused(true)
	// One Update per drawn frame: Update takes one engine state per frame,
	// and a slow frame must not be followed by a burst of catch-up Updates.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	if err := ebiten.RunGame(g); err != nil {
		g.ui.ShowFatal("the drawing loop stopped: " + err.Error())
	}
}
