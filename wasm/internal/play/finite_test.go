package play

import (
	"math"
	"testing"
)

func TestFinite(t *testing.T) {
	for _, x := range []float64{0, -1.5, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		if p := Finite(x); p == nil || *p != x {
			t.Errorf("Finite(%v) = %v, want a pointer to %v", x, p, x)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if p := Finite(x); p != nil {
			t.Errorf("Finite(%v) = %v, want nil", x, *p)
		}
	}
}
