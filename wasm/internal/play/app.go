// Package play holds the playground's logic that does not need a browser: the
// run state (App: its commands to the training engine and its mirror of the
// engine's network), the command queue that browser callbacks feed, config
// edits made by the controls, and the geometry of the network drawing. It
// imports neither ebiten nor syscall/js, so its tests run natively.
package play

import (
	"errors"
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/history"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// App is the run state of the playground as the page sees it. Training runs
// in an engine (wasm/internal/engine, in a Web Worker): App sends it
// commands (Outbox) and keeps a mirror of the network built from the latest
// state it sent back (Take), for the views to read. A command also applies to
// the mirror at once where that needs no training (a new config, a reset, an
// import, an edited weight), so that the page answers without waiting. It is
// used from the game loop only; browser callbacks reach it through a callqueue.Queue.
type App struct {
	tr *core.Trainer // the mirror
	// Running is true while the page wants training to advance by itself.
	Running bool
	rate    float64 // steps per second, 0 = as fast as it goes

	version int
	edits   int // weights set by hand since the start
	// handVersion is the version Construct made, 0 if none (BuiltByHand).
	handVersion int
	// handEdited is the version plus one whose weights were last set by
	// hand, 0 if none (EditedByHand); locks are the link's (locks.go).
	handEdited int
	locks      uikeys.UI
	// halted is true when divergence stopped the run: the next rebuild or
	// reset starts it again, as the message tells the user.
	halted bool
	// unfit marks the inputs the last Fit outputs could not serve (code.go).
	unfit unfitMarks

	engineMemory int // the engine's wasm memory in bytes, from its latest state

	// The charts: the engine's, from its latest state (protocol.Message.Chart),
	// which saw every step, including those before this page joined.
	charts *history.Charts

	out     []protocol.Message
	saves   int  // Save requests sent (protocol.Message.Seq)
	sent    int  // playground commands sent (protocol.Message.Commands)
	settled bool // the latest state counts every command sent and the engine is idle
}

// New returns an App that trains c from step 0, running at link.DefaultRate
// steps per second, with the engine's first commands in its outbox.
func New(c core.Config) (*App, error) {
	tr, err := core.NewTrainer(c)
	if err != nil {
		return nil, err
	}
	a := &App{tr: tr, Running: true, rate: link.DefaultRate, charts: history.NewCharts()}
	a.restartChart()
	a.send(protocol.Message{Type: protocol.TypeConfig, Config: c.Encode()})
	a.sendRun()
	return a, nil
}

func (a *App) send(m protocol.Message) {
	if m.Type != protocol.TypeAck {
		a.sent++
		a.settled = false
	}
	a.out = append(a.out, m)
}

// sendRun tells the engine whether to train on its own, and how fast.
func (a *App) sendRun() {
	if a.Running {
		a.send(protocol.Message{Type: protocol.TypeRun, Rate: a.rate})
	} else {
		a.send(protocol.Message{Type: protocol.TypePause})
	}
}

// Adopt continues with an engine that the parent page started before this
// App was made, by sending it a Link (site/static/engine-start.js): the
// engine has taken commands playground commands and trains engineConfig,
// a core fragment ("" when it refused the link); last is the latest State
// the page took from it (zero when none), already acknowledged. Call it
// before the first Outbox. When the engine trains this App's config, its
// progress is kept: the App's opening Config is taken out of the outbox (its
// Run stays, with the page's speed) and the mirror shows last at once.
// Otherwise the outbox starts this App's run over the engine's, as on a
// fresh engine.
func (a *App) Adopt(commands int, engineConfig string, last protocol.Message) {
	a.sent += commands
	if len(a.out) == 0 || a.version != 0 || a.out[0].Type != protocol.TypeConfig || engineConfig == "" || a.out[0].Config != engineConfig {
		return
	}
	a.out = a.out[1:]
	a.sent--
	if last.Type == protocol.TypeState && last.Config == engineConfig {
		a.engineMemory = last.Memory
		a.show(last) // the first frame shows the engine's progress, not step 0
	}
}

// Outbox returns the messages for the engine, oldest first, and empties it.
func (a *App) Outbox() []protocol.Message {
	out := a.out
	a.out = nil
	return out
}

// Restart puts every command the engine needs to continue this run (a new
// engine, after the last one died) into the outbox, in place of what was
// there: the mirror's config, step, weights, solved step and charts, and
// whether it runs. The new engine goes on from those weights with its
// optimizer started afresh (the mirror has no optimizer state), as after
// the import of a version 1 file. A diverged run starts over
// from its config, halted. The command count starts again at 0, as the new
// engine's does.
func (a *App) Restart() {
	a.out, a.sent = nil, 0
	if a.tr.Diverged() != "" {
		a.send(protocol.Message{Type: protocol.TypeConfig, Config: a.tr.Config().Encode()})
		a.Running, a.halted = false, true
	} else {
		a.send(importOf(a.tr, a.charts.AppendFloats(nil)))
	}
	a.sendRun()
}

// Take applies a message from the engine. A State made before the latest
// command is dropped (the mirror already shows that command's effect, or a
// fresher state will); otherwise the mirror takes its weights and metrics.
// Every State is acknowledged, so that the engine sends the next. It
// returns ErrStopped when this state is the one where training diverged.
func (a *App) Take(m protocol.Message) error {
	if m.Type != protocol.TypeState {
		return nil
	}
	a.out = append(a.out, protocol.Message{Type: protocol.TypeAck, Seq: m.Seq})
	a.engineMemory = m.Memory
	if m.Commands < a.sent {
		return nil
	}
	return a.show(m)
}

// show makes the mirror state m: its weights, metrics and divergence.
func (a *App) show(m protocol.Message) error {
	if err := protocol.CheckWeights(a.tr.Config(), m.Weights, true); err != nil {
		return fmt.Errorf("the engine sent a state that does not fit the network: %w", err)
	}
	w := m.Weights
	for _, ps := range a.tr.Network().Params() {
		w = w[copy(ps, w):]
	}
	if len(m.Chart) > 0 {
		if err := a.charts.SetFloats(m.Chart); err != nil {
			a.restartChart()
			return fmt.Errorf("the engine sent a chart that is not one: %w", err)
		}
	}
	was := a.tr.Diverged()
	a.tr.Show(m.Metrics, m.Diverged)
	a.settled = !m.Running
	if m.Diverged != "" && was == "" {
		a.Running, a.halted = false, true
		return ErrStopped
	}
	return nil
}

// Chart returns the loss and the accuracy against the step, for the charts:
// the engine's, which recorded every step it trained, as its latest state
// gave them. A new config, a reset or an import starts them over at once
// from the mirror's step, until the engine's next state. The App keeps
// them: read, do not change.
func (a *App) Chart() (loss, accuracy *history.Series) { return a.charts.Loss, a.charts.Accuracy }

// restartChart starts the charts over at the mirror's step.
func (a *App) restartChart() {
	a.charts.Reset()
	a.charts.Record(a.tr.Metrics())
}

// importOf is the Import that has the engine go on from tr (its config,
// step, weights and the step it was first solved at), with chart, the
// charts to go on from (nil: start them at tr's step).
func importOf(tr *core.Trainer, chart []float64) protocol.Message {
	m := tr.Metrics()
	return protocol.Message{Type: protocol.TypeImport, Config: tr.Config().Encode(), Step: m.Step, SolvedAt: m.SolvedAt,
		Weights: protocol.Weights(tr.Network()), Chart: chart}
}

// EngineMemory returns the engine's wasm memory in bytes as its latest state
// gave it, 0 if unknown.
func (a *App) EngineMemory() int { return a.engineMemory }

// Busy reports whether the run may still change without a command: it
// runs, or the engine has not yet answered every command sent.
func (a *App) Busy() bool { return a.Running || !a.settled }

// Rate returns the run's speed in steps per second, 0 for as fast as it
// goes.
func (a *App) Rate() float64 { return a.rate }

// SetRate sets the run's speed in steps per second (0 for as fast as it
// goes).
func (a *App) SetRate(r float64) {
	if r == a.rate {
		return
	}
	a.rate = r
	if a.Running {
		a.sendRun()
	}
}

// Trainer returns the mirror of the engine's trainer. Callers may read it
// but must not change it.
func (a *App) Trainer() *core.Trainer { return a.tr }

// Config returns the current configuration.
func (a *App) Config() core.Config { return a.tr.Config() }

// Version counts the changes of the network other than training steps
// (rebuild, reset, import). Views use it to know when cached drawing data is
// stale for a reason the step counter does not show.
func (a *App) Version() int { return a.version }

// Edits counts the weights set by hand (SetWeight). An edit keeps the run
// (Version is unchanged, so a drag goes on across many edits), but anything
// cached from the weights is stale after it.
func (a *App) Edits() int { return a.edits }

// SetWeight sets one parameter of the running network (core.Trainer.SetWeight)
// and counts the edit; a refused value changes nothing.
func (a *App) SetWeight(l core.Layer, r, col int, w float64) error {
	if err := a.handEditable(); err != nil {
		return err
	}
	if err := a.tr.SetWeight(l, r, col, w); err != nil {
		return err
	}
	a.edits++
	a.markEdited()
	a.send(protocol.Message{Type: protocol.TypeSetWeight, Edit: protocol.Edit{Layer: l, Row: r, Col: col, Value: w}})
	return nil
}

// Apply switches to config c. A config that differs from the current one
// rebuilds the network from c's seed; an equal one changes nothing, so a
// control that re-sends its value does not restart the run. An invalid c is
// refused with its *core.FieldError, and a c that alters a parameter the
// link locks with an error wrapping ErrLocked; the run is then kept.
func (a *App) Apply(c core.Config) error {
	if err := a.checkLocks(c); err != nil {
		return err
	}
	return a.ApplyLink(c)
}

// ApplyLink is Apply for a link's own run, which the link's locks do not
// refuse: the link that locks parameters is also what sets them.
func (a *App) ApplyLink(c core.Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Encode() == a.tr.Config().Encode() {
		return nil
	}
	tr, err := core.NewTrainer(c)
	if err != nil {
		return err
	}
	a.tr = tr
	a.version++
	a.restartChart()
	a.send(protocol.Message{Type: protocol.TypeConfig, Config: c.Encode()})
	a.resume()
	a.sendRun()
	return nil
}

// replace makes tr the run shown, running or paused, as a new version
// (the run the page had is gone: an import, a kept run, a network built or
// fitted by hand). The caller sends the engine the new run.
func (a *App) replace(tr *core.Trainer, running bool) {
	a.tr, a.Running, a.halted = tr, running, false
	a.version++
}

// resume restarts a run that divergence stopped, and says whether it did.
func (a *App) resume() bool {
	if !a.halted {
		return false
	}
	a.halted = false
	a.Running = true
	return true
}

// Reset restores the initial weights of the current seed (the same start
// every time, which is what makes a run reproducible).
func (a *App) Reset() {
	a.tr.Reset()
	a.version++
	a.restartChart()
	a.send(protocol.Message{Type: protocol.TypeReset})
	if a.resume() {
		a.sendRun()
	}
}

// NewSeed restarts from other initial weights drawn from seed.
func (a *App) NewSeed(seed uint64) error {
	c := a.Config()
	c.Seed = seed % (core.MaxSeed + 1)
	if c.Seed == a.Config().Seed {
		c.Seed = (c.Seed + 1) % (core.MaxSeed + 1)
	}
	return a.Apply(c)
}

// Toggle switches between playing and paused.
func (a *App) Toggle() {
	a.Running = !a.Running
	a.sendRun()
}

// Step pauses the run and has the engine apply exactly one update, so that
// a learner can follow the weights one step at a time. Once training has
// diverged it returns an error wrapping core.ErrDiverged and sends nothing.
func (a *App) Step() error {
	a.Running = false
	if d := a.tr.Diverged(); d != "" {
		a.sendRun()
		return fmt.Errorf("%w: %s", core.ErrDiverged, d)
	}
	a.send(protocol.Message{Type: protocol.TypeStep, Steps: 1})
	return nil
}

// Import replaces the run with a snapshot's network (config, weights and
// step, and the optimizer's state when the snapshot has it, so that the run
// goes on exactly), paused so the imported weights can be looked at. A bad
// snapshot is refused with an error wrapping core.ErrSnapshot and the run is
// kept.
func (a *App) Import(data []byte) error {
	if err := a.handEditable(); err != nil {
		return err
	}
	tr, err := core.LoadSnapshot(data)
	if err != nil {
		return err
	}
	if err := a.checkLocks(tr.Config()); err != nil {
		return err
	}
	a.replace(tr, false)
	a.restartChart()
	m := importOf(tr, nil)
	// The snapshot's state, or a fresh one (the same as none) for a file
	// without it. The mirror never steps, so this is still that state.
	m.Optimizer = tr.OptimizerState()
	a.send(m)
	a.sendRun()
	return nil
}

// Resume replaces the run with a saved one (the engine's Saved, kept
// across a reload: package keep), which goes on exactly where it was:
// its config, step, solved step, weights, optimizer state and charts,
// running or paused as running says. A run that core refuses is refused
// with an error wrapping core.ErrSnapshot and the run is kept.
func (a *App) Resume(saved protocol.Message, running bool) error {
	if saved.Type != protocol.TypeSaved {
		return fmt.Errorf("%w: a %s message is not a saved run", core.ErrSnapshot, saved.Type)
	}
	tr, err := saved.Trainer()
	if err != nil {
		return err
	}
	a.replace(tr, running)
	chart := saved.Chart
	if len(chart) == 0 || a.charts.SetFloats(chart) != nil {
		chart = nil // not a chart: it starts over at the saved step
		a.restartChart()
	}
	m := importOf(tr, chart)
	m.Optimizer = saved.Optimizer
	a.send(m)
	a.sendRun()
	return nil
}

// Save asks the engine for the run as it is, optimizer state included (a
// protocol Save, not a playground command), and returns the request's
// number: the engine's answer, a Saved of that Seq, comes to the page's
// engine handler after every command sent before it took effect (Take
// ignores it). The mirror cannot answer itself: its optimizer never steps.
func (a *App) Save() int {
	a.saves++
	a.out = append(a.out, protocol.Message{Type: protocol.TypeSave, Seq: a.saves})
	return a.saves
}

// SnapshotOf returns the snapshot file (core.Trainer.MarshalSnapshot, version
// 2 with the optimizer's state) of a Saved message m, and its trainer; or
// why not: the run diverged, or m does not describe a run core takes.
func SnapshotOf(m protocol.Message) ([]byte, *core.Trainer, error) {
	if m.Type != protocol.TypeSaved {
		return nil, nil, fmt.Errorf("a %s message is not a saved run", m.Type)
	}
	if m.Diverged != "" {
		return nil, nil, fmt.Errorf("cannot export a diverged network (%s); reset it first", m.Diverged)
	}
	tr, err := m.Trainer()
	if err != nil {
		return nil, nil, err
	}
	data, err := tr.MarshalSnapshot()
	if err != nil {
		return nil, nil, err
	}
	return data, tr, nil
}

// ErrStopped is returned by Take when training stopped because it diverged.
var ErrStopped = errors.New("training stopped")
