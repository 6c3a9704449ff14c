//go:build js && wasm

// This file is the Construct button: a hand-built solution instead of
// training (core.Construct), which Play then trains on from.

package main

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
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
	l := statusline.Of(a.Config(), a.Trainer().Metrics(), true)
	b.text.notice(fmt.Sprintf("Built %s by hand: correct %s at step 0, smallest margin %s. Play trains on from here.",
		l.Shape, l.Correct, l.MinMargin))
}
