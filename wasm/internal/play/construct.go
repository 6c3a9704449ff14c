package play

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
)

// This file is the Construct control's logic: a hand-built solution goes to
// the engine the way an imported snapshot does (an Import message), so that
// Play trains on from it with the engine's own trainer.

// Construct replaces the run with core.Construct's hand-built solution for
// the current config (its N, k, task, activation, output layer and biases)
// at step 0, paused so that it can be looked at. When core refuses (no
// solution exists, e.g. k = 1 without output biases), it returns core's
// error, which says why, and the run is kept as it was.
func (a *App) Construct() error {
	if err := a.handEditable(); err != nil {
		return err
	}
	if d := a.tr.Diverged(); d != "" || a.halted {
		// Refused like Fit outputs and a dragged code: the reader sees why
		// the run stopped before it is replaced.
		return fmt.Errorf("the run diverged (%s): Reset or rebuild it first, then Construct", orStopped(d))
	}
	tr, err := core.Construct(a.tr.Config())
	if err != nil {
		return err
	}
	a.replace(tr, false)
	a.handVersion = a.version
	a.markEdited()
	a.restartChart()
	a.send(importOf(tr, nil))
	a.sendRun()
	return nil
}

// BuiltByHand reports whether the network shown is Construct's, perhaps
// trained or edited since: no rebuild, reset or import has replaced it.
func (a *App) BuiltByHand() bool { return a.handVersion != 0 && a.handVersion == a.version }
