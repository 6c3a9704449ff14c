package core

import "math"

// DisplayScale is the post's scale for input-side weights: it shows
// 10*tanh(w), which lies in -10..10 and, with one input firing and no hidden
// bias, is ten times that hidden unit's activation.
const DisplayScale = 10

// Inspection is everything a view needs to explain one input firing: the
// hidden layer, the logits and how each hidden unit contributes to each logit.
type Inspection struct {
	Input  int // the input that fires
	Target int // the output it should fire, or -1 if it has none

	Pre    []float64 // K hidden pre-activations
	Hidden []float64 // K hidden activations
	// Contrib[j][h] is hidden unit h's contribution to output j's logit,
	// W2[j][h]*Hidden[h]. For the direct network (K = 0) it is empty.
	Contrib [][]float64
	Bias    []float64 // N output biases (zero when off)
	Logits  []float64 // N logits: the sum of each Contrib row and Bias
	Probs   []float64 // N softmax probabilities, or sigmoid outputs

	Winner   int     // the output with the largest logit
	RunnerUp int     // the output with the second largest logit
	Margin   float64 // Logits[Target] minus the best other logit, or Winner's lead when Target is -1
	Correct  bool    // Target >= 0 and the Winner is the Target by a positive margin

	// DisplayIn[h] is the post's number on the input node for hidden unit h:
	// DisplayScale*tanh(W1[h][Input]).
	DisplayIn []float64
	// DisplayLogits[j] is the post's linear arithmetic: the sum over h of
	// DisplayIn[h]*W2[j][h] (e.g. "72 = -10*-4 + 8*4").
	DisplayLogits []float64
}

// Inspect returns what happens when input fires. It returns ok = false if
// input is out of range.
func (t *Trainer) Inspect(input int) (ins Inspection, ok bool) {
	c := &t.cfg
	if input < 0 || input >= c.N {
		return Inspection{}, false
	}
	net := t.net
	n, k := c.N, c.K
	ins = Inspection{
		Input: input, Target: Targets(c)[input],
		Bias:   append([]float64(nil), net.B2.RawVector().Data...),
		Logits: make([]float64, n), Probs: make([]float64, n),
		DisplayLogits: make([]float64, n),
	}
	w2 := net.W2.RawMatrix().Data
	if k == 0 {
		for j := range ins.Logits {
			ins.Logits[j] = w2[j*n+input] + ins.Bias[j]
			ins.DisplayLogits[j] = w2[j*n+input]
		}
	} else {
		ins.Pre, ins.Hidden = make([]float64, k), make([]float64, k)
		net.Hidden(input, ins.Pre, ins.Hidden)
		ins.DisplayIn = make([]float64, k)
		for h := range ins.DisplayIn {
			ins.DisplayIn[h] = DisplayScale * tanh(net.W1.At(h, input))
		}
		ins.Contrib = make([][]float64, n)
		for j := range ins.Contrib {
			row := make([]float64, k)
			z := ins.Bias[j]
			for h := range row {
				row[h] = w2[j*k+h] * ins.Hidden[h]
				z += row[h]
				ins.DisplayLogits[j] += ins.DisplayIn[h] * w2[j*k+h]
			}
			ins.Contrib[j] = row
			ins.Logits[j] = z
		}
	}
	ins.Winner, ins.RunnerUp = top2(ins.Logits)
	best := ins.Logits[ins.Winner]
	if c.Output == OutSigmoid {
		for j, z := range ins.Logits {
			ins.Probs[j] = sigmoid(z)
		}
	} else {
		sum := 0.0
		for j, z := range ins.Logits {
			ins.Probs[j] = expNonPos(z - best)
			sum += ins.Probs[j]
		}
		for j := range ins.Probs {
			ins.Probs[j] /= sum
		}
	}
	if ins.Target < 0 {
		ins.Margin = best - ins.Logits[ins.RunnerUp]
		return ins, true
	}
	other := math.Inf(-1)
	for j, z := range ins.Logits {
		if j != ins.Target {
			other = max(other, z)
		}
	}
	ins.Margin = ins.Logits[ins.Target] - other
	ins.Correct = ins.Margin > 0
	return ins, true
}

// top2 returns the indices of the largest and second largest values of z
// (len(z) >= 2), the lower index first on ties.
func top2(z []float64) (first, second int) {
	first, second = 0, 1
	if z[1] > z[0] {
		first, second = 1, 0
	}
	for j := 2; j < len(z); j++ {
		switch {
		case z[j] > z[first]:
			first, second = j, first
		case z[j] > z[second]:
			second = j
		}
	}
	return first, second
}
