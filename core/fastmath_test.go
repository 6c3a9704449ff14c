package core

import (
	"math"
	"testing"
)

// expNonPos is e**x to a few ulp down to its floor, and the floor keeps the
// gradient's products with it normal numbers (subnormals made a step from a
// hand-built network several times slower).
func TestExpNonPos(t *testing.T) {
	for _, x := range []float64{0, -1e-9, -0.3, -1, -5.5, -44, -100, -300, -599} {
		want := math.Exp(x)
		if got := expNonPos(x); math.Abs(got-want) > 8*ulp(want) {
			t.Errorf("expNonPos(%v) = %v, want %v", x, got, want)
		}
	}
	floor := expNonPos(expMin)
	for _, x := range []float64{-601, -708, -1e4, math.Inf(-1)} {
		if got := expNonPos(x); got != floor {
			t.Errorf("expNonPos(%v) = %v, want the floor %v", x, got, floor)
		}
	}
	if p := floor * 1e-40; p < 0x1p-1022 {
		t.Errorf("the floor %v times 1e-40 is %v, a subnormal number", floor, p)
	}
	if !math.IsNaN(expNonPos(math.NaN())) {
		t.Error("expNonPos(NaN) is not NaN")
	}
}

// ulp returns the distance from x to the next float64 away from 0.
func ulp(x float64) float64 { return math.Nextafter(x, math.Inf(1)) - x }
