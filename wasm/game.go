//go:build js && wasm

package main

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// Game is the ebiten game: Update applies the controls' changes and trains,
// Draw draws the network.
type Game struct {
	app    *play.App
	ui     *bridge
	view   *netView
	failed bool       // a panic was caught: the #fatal panel is up, training waits
	ex     *explainer // the walk-through, hidden space and charts (explainview.go)
}

func newGame() *Game {
	g := &Game{view: newNetView(), ex: newExplainer()}
	g.ui = newBridge(g)
	g.app = g.ui.initialApp()
	g.ui.wireExplain()
	g.ui.wireTeach()
	return g
}

// Update drains the controls' queue, then trains within the frame budget.
func (g *Game) Update() error {
	defer g.ui.recoverTo("update")
	g.ui.perf.beginUpdate()
	g.ui.queue.Drain()
	if g.failed {
		g.ui.publishFailed()
		return nil
	}
	g.ui.injectPanic(panicUpdate) // only with debug=panic-... (guard.go)
	g.app.Budget = g.ui.perf.trainingBudget()
	start := time.Now()
	steps, err := g.app.Tick(time.Now)
	trained := time.Since(start)
	if err != nil {
		g.ui.showDiverged(g.app.Trainer().Diverged())
	}
	defer g.ui.perf.endUpdate(steps, trained)
	g.view.updatePointer()
	g.ex.update(g)
	g.ui.publishTour(g.app) // first: it may leave the tour, which publish writes to the URL
	g.ui.publishUI()
	g.ui.publishFigures(g.app.Config().K)
	g.ui.publishEmbed()
	g.ui.publish(g.app)
	g.ui.publishExplain(g.app)
	return nil
}

// Draw renders the network; the first drawn frame marks the page ready.
func (g *Game) Draw(screen *ebiten.Image) {
	defer g.ui.recoverTo("draw")
	if g.failed {
		screen.Fill(g.view.theme().bg)
		return
	}
	start := time.Now()
	g.ui.injectPanic(panicDraw)
	g.ex.draw(screen, g.view, g.app.Trainer())
	g.ui.drawTour(screen, g.view, g.ex.panels, g.ex.scale)
	if g.ui.pngWanted {
		g.ui.savePNG(screen)
	}
	g.ui.perf.endDraw(g.ui, start)
	g.ui.markReady()
}

// Layout renders at the device's pixel density so lines and text are sharp.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	return int(float64(outsideWidth) * s), int(float64(outsideHeight) * s)
}
