//go:build js && wasm

// This file is the Construct button: a hand-built solution instead of
// training (core.Construct), which Play then trains on from.

package main

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
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

// fitOutputs keeps the hidden layer and fits the output layer to the codes
// (play.App.FitOutputs), paused, and says what it gave; without output
// biases an output that cannot win is named, and its input's dot is marked
// in the hidden space, and the run is kept.
func (b *bridge) fitOutputs() {
	a := b.g.app
	if err := a.FitOutputs(); err != nil {
		msg := "Fit outputs: " + err.Error() + "."
		if in := play.Unwinnable(err); in != nil {
			msg += " Their inputs' dots are crossed out in the hidden space; move those codes out of the middle, or switch output biases on."
		}
		b.text.message(msg + " The current run goes on.")
		return
	}
	b.text.clearMessage()
	l := statusline.Of(a.Config(), a.Trainer().Metrics(), a.BuiltByHand())
	b.text.notice(fmt.Sprintf("Fitted the outputs of %s to the codes: correct %s at step %s, smallest margin %s. Play trains on from here.",
		l.Shape, l.Correct, l.Step, l.MinMargin))
}
