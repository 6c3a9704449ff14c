package play

import (
	"errors"
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
	"gonum.org/v1/gonum/mat"
)

// This file is the hidden space's two hand edits: dragging an input's code
// (SetCode: that input's weights into the hidden layer, k edits) and fitting
// the output layer to the codes (FitOutputs: an import, like Construct).

// SetCode moves input's hidden code to code (K values): it sets that input's
// K weights into the hidden layer (core.InputWeightsFor, keeping the hidden
// biases), each as one weight edit that goes to the engine like a dragged
// weight, so Edits counts K. A place the activation cannot reach, a wrong
// size and a diverged run are refused with an error saying why, and the run
// is left as it was.
func (a *App) SetCode(input int, code []float64) error {
	if err := a.handEditable(); err != nil {
		return err
	}
	if d := a.tr.Diverged(); d != "" || a.halted {
		return fmt.Errorf("the run diverged (%s), so its codes are not numbers to move: Reset or rebuild it first", orStopped(d))
	}
	w, err := core.InputWeightsFor(a.tr.Network(), input, code)
	if err != nil {
		return fmt.Errorf("input %d's code cannot go there: %w", input+1, err)
	}
	for h, v := range w {
		if err := a.SetWeight(core.LayerW1, h, input, v); err != nil {
			return err // not expected: InputWeightsFor keeps within SetWeight's limits
		}
	}
	return nil
}

func orStopped(d string) string {
	if d == "" {
		return "training stopped"
	}
	return d
}

// Codes returns each input's hidden code, an N x K matrix (row i is input
// i's hidden activations when it fires alone), or nil when K = 0.
func (a *App) Codes() *mat.Dense {
	net := a.tr.Network()
	if net.K == 0 {
		return nil
	}
	codes := mat.NewDense(net.N, net.K, nil)
	pre := make([]float64, net.K)
	for i := 0; i < net.N; i++ {
		net.Hidden(i, pre, codes.RawRowView(i))
	}
	return codes
}

// FitOutputs sets every output's weights and bias (core.FitOutputs with
// core.DefaultMargin, on the codes the network computes now) so that each
// output wins exactly where its input's code is nearest, keeping the hidden
// layer and the step. The new network goes to the engine as an import, like
// Construct's, and the run pauses so that it can be looked at. Without output
// biases an output whose code lies inside the convex hull of the others
// cannot win: the error is then a *core.UnwinnableError naming them (see
// Unwinnable). A network without hidden layer, a diverged run and codes core
// refuses give an error too; the run is then left as it was.
func (a *App) FitOutputs() error {
	if err := a.handEditable(); err != nil {
		return err
	}
	net := a.tr.Network()
	if net.K == 0 {
		return errors.New("there is no hidden layer (k = 0), so there are no codes to fit the outputs to")
	}
	if d := a.tr.Diverged(); d != "" || a.halted {
		return fmt.Errorf("the run diverged (%s), so it has no codes to fit the outputs to: Reset or rebuild it first", orStopped(d))
	}
	cfg := a.tr.Config()
	w2, b2, err := core.FitOutputs(a.Codes(), core.Targets(&cfg), net.N, net.OutputBias, core.DefaultMargin)
	if err != nil {
		if in := Unwinnable(err); in != nil {
			a.unfit = unfitMarks{inputs: in, version: a.version, edits: a.edits, step: a.tr.Metrics().Step}
		}
		return err
	}
	a.unfit = unfitMarks{}
	net.W2.Copy(w2)
	net.B2.CopyVec(b2)
	a.tr.Refresh()
	a.replace(a.tr, false)
	a.markEdited()
	a.send(importOf(a.tr, a.charts.AppendFloats(nil)))
	a.sendRun()
	return nil
}

// unfitMarks are the inputs whose outputs the last Fit outputs found
// unwinnable, and the run, edit count and step they hold for.
type unfitMarks struct {
	inputs               []int
	version, edits, step int
}

// Unfit returns the inputs (0-based, ascending) whose outputs the last
// FitOutputs found unwinnable, while the network is still the one it looked
// at (same run, no edit or step since); nil otherwise. The hidden space marks
// their dots.
func (a *App) Unfit() []int {
	u := a.unfit
	if u.inputs == nil || u.version != a.version || u.edits != a.edits || u.step != a.tr.Metrics().Step {
		return nil
	}
	return u.inputs
}

// Unwinnable returns the inputs whose outputs err (from FitOutputs) says
// cannot win, ascending, or nil when err is not an *core.UnwinnableError.
func Unwinnable(err error) []int {
	var ue *core.UnwinnableError
	if !errors.As(err, &ue) {
		return nil
	}
	return append([]int(nil), ue.Inputs...)
}
