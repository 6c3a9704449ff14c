// Package statusline writes the playground's status line: the network's
// shape and connection count, the step, the loss, the pairs right, the
// largest weight, the smallest margin and when the run was solved. It is
// the one place these texts are made: the page's Go program writes them
// from its mirror of the run, and the training engine sends them with every
// state, so that the page shows the same texts before its Go program has
// loaded (engine-start.js writes what the engine sent, formatting nothing).
package statusline

import (
	"fmt"
	"math"
	"strconv"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Line is the status line's texts. Each JSON name is the id of the page's
// element that shows it less the "stat-" prefix (#stat-shape and so on), so
// that a script can write them without a table of its own.
type Line struct {
	Shape        string `json:"shape"`  // "11-2-11"
	Connections  string `json:"conn"`   // "44 connections (121 without the hidden layer)"
	Step         string `json:"step"`   // "1500"
	Loss         string `json:"loss"`   // five significant digits, or NaN, +Inf
	Correct      string `json:"acc"`    // "10/10 (100%)"
	MaxAbsWeight string `json:"maxw"`   // three significant digits
	MinMargin    string `json:"margin"` // three significant digits
	Solved       string `json:"solved"` // "solved at step 31", "not solved yet"
}

// IDPrefix is what each field's element id starts with: Line's JSON name
// follows it.
const IDPrefix = "stat-"

// Of returns the status line of a run of config c whose metrics are m;
// builtByHand says that the network shown is the one built by hand (the
// Construct control), perhaps trained on since.
func Of(c core.Config, m core.Metrics, builtByHand bool) Line {
	l := Line{
		Shape: c.Shape(),
		Step:  strconv.Itoa(m.Step),
		Loss:  Float(m.Loss, 5),
		// The floor of the percentage, so that 99.9% is never shown as 100%.
		Correct: fmt.Sprintf("%d/%d (%d%%)", m.Correct, m.Pairs, int(math.Floor(100*m.Accuracy+1e-9))),
		// The post argues from weight sizes (±9 in, ±26 out; softmax alone
		// "explodes"), so the largest one is part of the status.
		MaxAbsWeight: Float(m.MaxAbsWeight, 3),
		MinMargin:    Float(m.MinMargin, 3),
		Solved:       "not solved yet",
	}
	if c.K == 0 {
		l.Connections = fmt.Sprintf("%d connections (the direct network)", c.Connections())
	} else {
		l.Connections = fmt.Sprintf("%d connections (%d without the hidden layer)", c.Connections(), c.N*c.N)
	}
	switch {
	case m.SolvedAt >= 0 && builtByHand:
		l.Solved = fmt.Sprintf("solved at step %d, built by hand", m.SolvedAt)
	case m.SolvedAt >= 0:
		l.Solved = fmt.Sprintf("solved at step %d", m.SolvedAt)
	}
	return l
}

// Field is one text of a Line and the id of the element that shows it.
type Field struct{ ID, Text string }

// Fields returns l's texts with their elements' ids, in the page's order.
func (l Line) Fields() []Field {
	return []Field{
		{IDPrefix + "shape", l.Shape}, {IDPrefix + "conn", l.Connections}, {IDPrefix + "step", l.Step},
		{IDPrefix + "loss", l.Loss}, {IDPrefix + "acc", l.Correct}, {IDPrefix + "maxw", l.MaxAbsWeight},
		{IDPrefix + "margin", l.MinMargin}, {IDPrefix + "solved", l.Solved},
	}
}

// Float writes x with the given significant digits as strconv's 'g' does,
// or NaN, +Inf, -Inf.
func Float(x float64, digits int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Sprint(x)
	}
	return strconv.FormatFloat(x, 'g', digits, 64)
}
