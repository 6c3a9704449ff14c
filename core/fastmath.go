package core

import "math"

// This file holds the elementary functions of the training loop. They are pure
// Go with no assembly, so native and js/wasm builds compute bit-identical
// results (math.Exp has assembly on amd64 and none on wasm), and they skip the
// special cases that make math.Exp slow under wasm.

const (
	ln2Hi  = 6.93147180369123816490e-01
	ln2Lo  = 1.90821492927058770002e-10
	log2e  = 1.44269504088896338700e+00
	expP1  = 1.66666666666666657415e-01
	expP2  = -2.77777777770155933842e-03
	expP3  = 6.61375632143793436117e-05
	expP4  = -1.65339022054652515390e-06
	expP5  = 4.13813679705723846039e-08
	expMin = -708.0 // below this exp is under 2^-1021; expNonPos returns 0
)

// expNonPos returns e**x for x <= 0 to within one ulp, as FreeBSD's e_exp.c
// does, except that it returns 0 for x < -708 (where e**x < 3.3e-308: nothing
// in a softmax or a sigmoid can tell that from 0). It is undefined for x > 0.
func expNonPos(x float64) float64 {
	if !(x >= expMin) { // also NaN: a NaN logit is caught as divergence elsewhere
		if x != x {
			return x
		}
		return 0
	}
	k := int(x*log2e - 0.5) // round to nearest for x <= 0
	kf := float64(k)
	hi := x - kf*ln2Hi
	lo := kf * ln2Lo
	r := hi - lo
	t := r * r
	c := r - t*(expP1+t*(expP2+t*(expP3+t*(expP4+t*expP5))))
	y := 1 - ((lo - (r*c)/(2-c)) - hi)
	// 2**k for -1021 <= k <= 0, built from its bits.
	return y * math.Float64frombits(uint64(k+1023)<<52)
}

// tanh returns the hyperbolic tangent of x, computed through math.Expm1 (pure
// Go on every platform) so it is accurate near 0 and identical across builds.
func tanh(x float64) float64 {
	a := math.Abs(x)
	if a > 22 {
		return math.Copysign(1, x)
	}
	e := math.Expm1(2 * a)
	return math.Copysign(e/(e+2), x)
}

// sigmoid returns 1/(1+e**-x) without overflow for either sign of x.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + expNonPos(-x))
	}
	e := expNonPos(x)
	return e / (1 + e)
}

// activate returns a(pre) and its derivative a'(pre) for the hidden activation.
func activate(act Activation, pre float64) (a, d float64) {
	switch act {
	case ActTanh:
		a = tanh(pre)
		return a, 1 - a*a
	case ActSigmoid:
		a = sigmoid(pre)
		return a, a * (1 - a)
	case ActReLU:
		if pre > 0 {
			return pre, 1
		}
		return 0, 0
	default: // ActLinear
		return pre, 1
	}
}
