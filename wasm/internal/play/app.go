// Package play holds the playground's logic that does not need a browser: the
// run state (App), the command queue that browser callbacks feed, config
// edits made by the controls, and the geometry of the network drawing. It
// imports neither ebiten nor syscall/js, so its tests run natively.
package play

import (
	"errors"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
)

// DefaultBudget is the training time per frame before a frame has been
// measured; from then on FrameBudget adapts it.
const DefaultBudget = 5 * time.Millisecond

// FrameTarget is the Go CPU time a frame may take, training, bookkeeping and
// drawing together: half of a 16.7 ms frame, leaving the rest to the browser.
const FrameTarget = 8 * time.Millisecond

// The bounds of FrameBudget: below MinBudget training would crawl on a busy
// page (at least one step per frame is taken anyway); above MaxBudget a
// single frame could hold the page for longer than a user notices.
const (
	MinBudget = 1 * time.Millisecond
	MaxBudget = 6 * time.Millisecond
)

// FrameBudget returns the training time for the next frame: what target
// leaves after overhead, the frame's measured work other than training
// (publishing, the views, drawing), within [MinBudget, MaxBudget].
func FrameBudget(target, overhead time.Duration) time.Duration {
	return min(max(target-overhead, MinBudget), MaxBudget)
}

// App is the run state of the playground: the trainer, whether it trains on
// its own, and how many steps it may take per frame. It is used from the game
// loop only; browser callbacks reach it through a Queue.
type App struct {
	tr *core.Trainer
	// Running is true while training advances by itself each frame.
	Running bool
	// Speed is the largest number of steps per frame (at least 1).
	Speed int
	// Budget bounds the time spent training per frame; at least one step is
	// taken per frame regardless, so even the largest network makes progress.
	Budget time.Duration

	version int
	edits   int // weights set by hand since the start
	// halted is true when divergence stopped the run: the next rebuild or
	// reset starts it again, as the message tells the user.
	halted bool
}

// New returns an App that trains c from step 0, running, at speed 3 steps per
// frame (the default task then visibly converges in a few seconds).
func New(c core.Config) (*App, error) {
	tr, err := core.NewTrainer(c)
	if err != nil {
		return nil, err
	}
	return &App{tr: tr, Running: true, Speed: DefaultSpeed, Budget: DefaultBudget}, nil
}

// Trainer returns the live trainer. Callers may read it but must not step it.
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
	if err := a.tr.SetWeight(l, r, col, w); err != nil {
		return err
	}
	a.edits++
	return nil
}

// Apply switches to config c. A config that differs from the current one
// rebuilds the network from c's seed; an equal one changes nothing, so a
// control that re-sends its value does not restart the run. An invalid c is
// refused with its *core.FieldError and the run is kept.
func (a *App) Apply(c core.Config) error {
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
	a.resume()
	return nil
}

// resume restarts a run that divergence stopped.
func (a *App) resume() {
	if a.halted {
		a.halted = false
		a.Running = true
	}
}

// Reset restores the initial weights of the current seed (the same start
// every time, which is what makes a run reproducible).
func (a *App) Reset() {
	a.tr.Reset()
	a.version++
	a.resume()
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
func (a *App) Toggle() { a.Running = !a.Running }

// Step pauses the run and applies exactly one update, so that a learner can
// follow the weights one step at a time.
func (a *App) Step() error {
	a.Running = false
	return a.tr.Step()
}

// Import replaces the run with a snapshot's network (config, weights and
// step), paused so the imported weights can be looked at. A bad snapshot is
// refused with an error wrapping core.ErrSnapshot and the run is kept.
func (a *App) Import(data []byte) error {
	tr, err := core.LoadSnapshot(data)
	if err != nil {
		return err
	}
	a.tr = tr
	a.Running = false
	a.halted = false
	a.version++
	return nil
}

// ErrStopped is returned by Tick when training stopped because it diverged.
var ErrStopped = errors.New("training stopped")

// Tick advances training for one frame: up to Speed steps, stopping early
// when Budget has passed (measured with now) or training diverges. It returns
// the number of steps taken, and ErrStopped (with Running cleared) on
// divergence.
func (a *App) Tick(now func() time.Time) (int, error) {
	if !a.Running {
		return 0, nil
	}
	if a.tr.Diverged() != "" {
		a.Running, a.halted = false, true
		return 0, ErrStopped
	}
	start := now()
	speed := max(a.Speed, 1)
	n := 0
	for n < speed {
		if a.tr.Step() != nil {
			a.Running, a.halted = false, true
			return n, ErrStopped
		}
		n++
		// Stop when one more step of the mean length would pass the
		// budget, so that a slow step (about 1 ms for 128-4-128 in the
		// browser) does not overshoot it.
		if el := now().Sub(start); n < speed && el+el/time.Duration(n) > a.Budget {
			break
		}
	}
	if a.tr.Diverged() != "" {
		a.Running, a.halted = false, true
		return n, ErrStopped
	}
	return n, nil
}
