package core

import (
	"fmt"
	"math"
)

// codeTolerance is how far the code InputWeightsFor's weights give may lie
// from the code asked for before it refuses the place: near the edge of the
// tanh and sigmoid ranges the units saturate and float64 cannot place a code
// more finely than that.
const codeTolerance = 1e-9

// InputWeightsFor returns the K input weights of input (column input of W1)
// under which that input's hidden code, act(W1[h][input] + B1[h]) for each
// hidden unit h, is code (length K), keeping every other parameter of net:
// w = atanh(c) - b for tanh, logit(c) - b for sigmoid, c - b for relu and
// linear, b being the hidden bias (0 when hidden biases are off). The inverse
// functions are pure Go (math.Atanh), so the weights are the same natively
// and in the browser.
//
// It returns an error, and no weights, when net has no hidden layer, input is
// not in [0, N), len(code) != K, a coordinate is not finite or lies where the
// activation cannot reach (tanh: strictly inside (-1, 1); sigmoid: strictly
// inside (0, 1); relu: at least 0), a weight would exceed 1e6 in magnitude
// (Trainer.SetWeight's limit), or the unit is so saturated there that the
// weights would miss the code by more than 1e-9. It never panics and does not
// modify net.
func InputWeightsFor(net *Network, input int, code []float64) ([]float64, error) {
	switch {
	case net == nil || net.K == 0 || net.W1 == nil || net.B1 == nil:
		return nil, fmt.Errorf("a code needs a hidden layer; this network has none (k = 0)")
	case input < 0 || input >= net.N:
		return nil, fmt.Errorf("input %d is not one of the inputs 1 to %d", input+1, net.N)
	case len(code) != net.K:
		return nil, fmt.Errorf("a code of %d coordinate(s) for %d hidden unit(s)", len(code), net.K)
	}
	w := make([]float64, net.K)
	for h, c := range code {
		b := 0.0
		if net.HiddenBias {
			b = net.B1.AtVec(h)
		}
		if !isFinite(c) || !isFinite(b) {
			return nil, fmt.Errorf("hidden %d: code %v with bias %v is not a place", h+1, c, b)
		}
		var pre float64
		switch net.Activation {
		case ActTanh:
			if !(c > -1 && c < 1) {
				return nil, fmt.Errorf("hidden %d = %.4g is out of reach: a tanh unit's value lies strictly between -1 and 1", h+1, c)
			}
			pre = math.Atanh(c)
		case ActSigmoid:
			if !(c > 0 && c < 1) {
				return nil, fmt.Errorf("hidden %d = %.4g is out of reach: a sigmoid unit's value lies strictly between 0 and 1", h+1, c)
			}
			pre = 2 * math.Atanh(2*c-1) // logit(c), in pure Go
		case ActReLU:
			if c < 0 {
				return nil, fmt.Errorf("hidden %d = %.4g is out of reach: a relu unit's value is never negative", h+1, c)
			}
			pre = c
			if c == 0 {
				pre = 0 // relu(0 - b + b) = 0
			}
		default: // ActLinear
			pre = c
		}
		v := pre - b
		if !isFinite(v) || math.Abs(v) > 1e6 {
			return nil, fmt.Errorf("hidden %d = %.4g would need the weight %.4g; a weight is at most 1e6 in magnitude", h+1, c, v)
		}
		if got, _ := activate(net.Activation, v+b); math.Abs(got-c) > codeTolerance {
			return nil, fmt.Errorf("hidden %d = %.6g is too close to the edge of the %s range: the unit saturates and its value comes out %.6g", h+1, c, net.Activation, got)
		}
		w[h] = v
	}
	return w, nil
}
