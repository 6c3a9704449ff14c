package play

import "errors"

// This file is what the App knows of edits by hand: the weights set by a
// dragged line or code, Construct or Fit outputs, which a link cannot
// reproduce (it holds the settings, not the weights), and the link's lock on
// them (uikeys' lock=weights), which every such path goes through here.

// LockWeights makes every edit of the weights by hand (SetWeight, SetCode,
// Construct, FitOutputs, Import) refuse with reason, the link's words for
// its lock; "" allows them again. The page sets it from the link's UI keys
// at every frame, so that a new App (a restarted engine) has it too.
func (a *App) LockWeights(reason string) { a.weightsLock = reason }

// handEditable returns the link's refusal of an edit by hand, or nil.
func (a *App) handEditable() error {
	if a.weightsLock != "" {
		return errors.New(a.weightsLock)
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
