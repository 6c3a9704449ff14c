package play

import (
	"errors"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// This file is the one place where the link's locks are enforced, and what
// the App knows of edits by hand. Every path that changes the run goes
// through the App: a control's edit and New seed (Apply, NewSeed), a tour
// step (Apply), an import (Import), a dragged line or code, Construct and
// Fit outputs (the edits by hand). A link's own run is the exception
// (ApplyLink): the link that locks parameters is also what sets them.

// ErrLocked is what every refusal of the link's locks wraps
// (errors.Is(err, ErrLocked)); its message is the lock's own.
var ErrLocked = errors.New("locked by the link")

// lockedError is a refusal by a lock, with the lock's message.
type lockedError struct{ err error }

func (e lockedError) Error() string        { return e.err.Error() }
func (e lockedError) Unwrap() error        { return e.err }
func (e lockedError) Is(target error) bool { return target == ErrLocked }

// SetLocks makes the App refuse every change that u's locks forbid: a
// config that alters a locked parameter, and with lock=weights every edit
// of the weights by hand. The page sets it from the link's UI keys at every
// frame, so that a new App (a restarted engine) has them too.
func (a *App) SetLocks(u uikeys.UI) { a.locks = u }

// checkLocks refuses a change of the config to next that alters a locked
// parameter.
func (a *App) checkLocks(next core.Config) error {
	if err := a.locks.Check(a.tr.Config(), next); err != nil {
		return lockedError{err}
	}
	return nil
}

// handEditable returns the link's refusal of an edit by hand, or nil.
func (a *App) handEditable() error {
	if why := a.locks.WeightsRefusal(); why != "" {
		return lockedError{errors.New(why)}
	}
	return nil
}

// markEdited records that the run shown now has weights set by hand.
func (a *App) markEdited() { a.handEdited = a.version + 1 }

// EditedByHand reports whether the run shown has weights set by hand (a
// dragged line or code, Construct, Fit outputs) since it was last built,
// reset, imported or continued: its link then gives its settings, not its
// weights, and only Export keeps them.
func (a *App) EditedByHand() bool { return a.handEdited == a.version+1 }
