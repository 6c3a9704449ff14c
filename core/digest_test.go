package core

import (
	"math"
	"testing"
)

// Digest tells networks apart by every bit of every parameter, in Params'
// order, and nothing else.
func TestDigest(t *testing.T) {
	for _, frag := range []string{"n=11&k=2", "n=5&k=0"} {
		c, err := ParseFragment(frag)
		if err != nil {
			t.Fatal(err)
		}
		net := NewNetwork(&c)
		d := net.Digest()
		if len(d) == 0 || d != net.Clone().Digest() {
			t.Fatalf("%s: a clone's digest %q differs from %q", frag, net.Clone().Digest(), d)
		}
		for b, ps := range net.Params() {
			for _, i := range []int{0, len(ps) - 1} {
				other := net.Clone()
				p := other.Params()[b]
				p[i] = math.Nextafter(p[i], math.Inf(1)) // one ulp
				if other.Digest() == d {
					t.Errorf("%s: one ulp in block %d, parameter %d, keeps the digest", frag, b, i)
				}
			}
		}
		zero := net.Clone()
		zero.B2.RawVector().Data[0], net.B2.RawVector().Data[0] = 0, math.Copysign(0, -1)
		if zero.Digest() == net.Digest() {
			t.Errorf("%s: 0 and -0 have one digest", frag)
		}
	}
}
