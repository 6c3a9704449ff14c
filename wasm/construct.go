//go:build js && wasm

// This file is the Construct button: a hand-built solution instead of
// training (core.Construct), which Play then trains on from.

package main

import (
	"fmt"
	"math"
)

// construct replaces the run with the hand-built solution for the current
// config, paused at step 0, and says what it built; a config without one
// keeps the run and says why.
func (b *bridge) construct() {
	a := b.g.app
	if err := a.Construct(); err != nil {
		b.text.message("Construct: " + err.Error() + ". The current run goes on.")
		return
	}
	b.text.clearMessage()
	m, c := a.Trainer().Metrics(), a.Config()
	b.text.notice(fmt.Sprintf("Built %s by hand: correct %d/%d (%d%%) at step 0, smallest margin %s. Play trains on from here.",
		c.Shape(), m.Correct, m.Pairs, int(math.Floor(100*m.Accuracy+1e-9)), fmtFloat(m.MinMargin, 3)))
}
