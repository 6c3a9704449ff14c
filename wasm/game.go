//go:build js && wasm

package main

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/enginehost"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/views"
)

// Game is the ebiten game: Update applies the controls' changes and the
// engine's news, Draw draws the network. Training runs in the engine
// (enginehost.Play), not here.
type Game struct {
	app    *play.App
	ui     *bridge
	view   *views.NetView
	eng    enginehost.Play
	failed bool             // a panic was caught: the #fatal panel is up, training waits
	noDraw bool             // no WebGL2: Update runs on a timer, nothing is drawn (nogl.go)
	ex     *views.Explainer // the walk-through, hidden space and charts
	shown  int              // the step of the last frame, for the frame statistics
}

// newGame builds the game from the page's link and starts its engine.
func newGame() *Game {
	g := &Game{view: views.NewNetView(), ex: views.NewExplainer()}
	g.ui = newBridge(g)
	g.app = g.ui.initialApp()
	g.ui.explain.wire()
	g.ui.wireTeach()
	g.eng.Push, g.eng.Guard = g.ui.queue.Push, g.ui.RecoverTo
	g.eng.Taken = g.take
	g.eng.Direct = func(m protocol.Message) bool {
		return m.Type == protocol.TypeSaved && !g.failed && g.ui.keeper.saved(m)
	}
	g.eng.Died = g.ui.engineDied
	g.eng.Start(g.app)
	return g
}

// take applies a message from the engine.
func (g *Game) take(m protocol.Message) {
	if g.failed {
		return
	}
	if m.Type == protocol.TypeSaved && g.ui.transfer.saved(m) {
		return
	}
	if err := g.app.Take(m); err == play.ErrStopped {
		g.ui.text.divergedMessage(g.app.Trainer().Diverged())
	} else if err != nil {
		g.ui.text.message(err.Error())
	}
}

// Update drains the controls' queue (with the engine's news), then sends
// the commands made to the engine and brings the page up to date.
func (g *Game) Update() error {
	defer g.ui.RecoverTo("update")
	g.ui.perf.beginUpdate()
	g.ui.queue.Drain()
	if g.failed {
		g.ui.hook.publishFailed()
		return nil
	}
	g.ui.debug.inject(panicUpdate) // only with debug=panic-... (debug.go)
	g.eng.Send(g.app.Outbox())
	step := g.app.Trainer().Metrics().Step
	defer g.ui.perf.endUpdate(max(0, step-g.shown))
	g.shown = step
	if !g.noDraw {
		g.view.UpdatePointer()
		g.ex.Update(g.app, g.view)
	}
	g.ui.tour.publish(g.app) // first: it may leave the tour, which publish writes to the URL
	g.ui.ui.publish()
	g.ui.figures.publish(g.app.Config().K)
	g.ui.embed.publish()
	g.ui.publish(g.app)
	g.ui.explain.publish(g.app)
	g.ui.keeper.tick() // last: after the URL is written
	return nil
}

// Draw renders the network; the first drawn frame marks the page ready.
func (g *Game) Draw(screen *ebiten.Image) {
	defer g.ui.RecoverTo("draw")
	if g.failed {
		screen.Fill(g.view.Background())
		return
	}
	start := time.Now()
	g.ui.debug.inject(panicDraw)
	g.ex.Draw(screen, g.view, g.app.Trainer())
	g.ui.tour.draw(screen, g.view, g.ex)
	g.ui.figures.draw(screen) // last: a PNG is of the whole frame
	g.ui.perf.endDraw(start, g.ui.ready, g.view.TakeDrawCalls(), g.app.EngineMemory())
	g.ui.markReady()
	g.ui.hook.markStale() // the hook reports this Draw's frame times and layout
}

// Layout renders at the device's pixel density so lines and text are sharp.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	return int(float64(outsideWidth) * s), int(float64(outsideHeight) * s)
}
