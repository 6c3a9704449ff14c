package core

import (
	"math"
	"strings"
	"testing"
)

// TestInputWeightsForPlacesTheCode sets an input's weights for a code and
// checks that the network then computes that code for it, for every
// activation, with and without hidden biases, at k = 1 and 2.
func TestInputWeightsForPlacesTheCode(t *testing.T) {
	places := map[Activation][][]float64{
		ActTanh:    {{0.3, -0.7}, {-0.999, 0.999}, {0, 0}},
		ActSigmoid: {{0.2, 0.9}, {0.001, 0.5}},
		ActReLU:    {{0, 1.5}, {2.25, 0.1}},
		ActLinear:  {{-3, 4}, {0.5, -0.25}},
	}
	for act, ps := range places {
		for _, hb := range []bool{false, true} {
			for _, k := range []int{1, 2} {
				c := withDefaults(t, Config{N: 11, K: k, Activation: act, HiddenBias: hb, OutputBias: true, Seed: 7})
				tr, err := NewTrainer(c)
				if err != nil {
					t.Fatal(err)
				}
				net := tr.Network()
				if hb {
					for h := 0; h < k; h++ {
						net.B1.SetVec(h, 0.4-0.9*float64(h))
					}
				}
				for _, p := range ps {
					code := p[:k]
					w, err := InputWeightsFor(net, 2, code)
					if err != nil {
						t.Fatalf("%s hb=%v k=%d code %v: %v", act, hb, k, code, err)
					}
					for h, v := range w {
						net.W1.Set(h, 2, v)
					}
					pre, got := make([]float64, k), make([]float64, k)
					net.Hidden(2, pre, got)
					for h := range code {
						if d := math.Abs(got[h] - code[h]); d > 1e-12 {
							t.Errorf("%s hb=%v k=%d: input 3's code[%d] = %.17g after setting, want %.17g (off by %g)", act, hb, k, h, got[h], code[h], d)
						}
					}
				}
			}
		}
	}
}

// withDefaults fills a config's remaining fields from DefaultConfig.
func withDefaults(t *testing.T, c Config) Config {
	t.Helper()
	d := DefaultConfig()
	d.N, d.K, d.Activation, d.HiddenBias, d.OutputBias, d.Seed = c.N, c.K, c.Activation, c.HiddenBias, c.OutputBias, c.Seed
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestInputWeightsForRefuses checks the places and calls it refuses, each
// with its own reason, and that it leaves the network alone.
func TestInputWeightsForRefuses(t *testing.T) {
	mk := func(act Activation, k int) *Network {
		c := DefaultConfig()
		c.N, c.K, c.Activation, c.HiddenBias = 5, k, act, true
		tr, err := NewTrainer(c)
		if err != nil {
			t.Fatal(err)
		}
		return tr.Network()
	}
	cases := []struct {
		act   Activation
		k     int
		input int
		code  []float64
		want  string
	}{
		{ActTanh, 2, 1, []float64{1, 0}, "strictly between -1 and 1"},
		{ActTanh, 2, 1, []float64{0, -1.5}, "strictly between -1 and 1"},
		{ActSigmoid, 1, 1, []float64{1e-300}, "at most 1e6"},
		{ActSigmoid, 2, 0, []float64{0, 0.5}, "strictly between 0 and 1"},
		{ActSigmoid, 1, 0, []float64{1}, "strictly between 0 and 1"},
		{ActReLU, 2, 4, []float64{0.5, -0.01}, "never negative"},
		{ActLinear, 1, 0, []float64{2e6}, "at most 1e6"},
		{ActLinear, 2, 0, []float64{math.NaN(), 0}, "not a place"},
		{ActTanh, 2, 5, []float64{0, 0}, "not one of the inputs 1 to 5"},
		{ActTanh, 2, -1, []float64{0, 0}, "not one of the inputs"},
		{ActTanh, 2, 0, []float64{0}, "1 coordinate(s) for 2 hidden unit(s)"},
		{ActTanh, 0, 0, nil, "has none (k = 0)"},
	}
	for _, tc := range cases {
		net := mk(tc.act, tc.k)
		before := net.Digest()
		w, err := InputWeightsFor(net, tc.input, tc.code)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s k=%d input %d code %v: weights %v, error %v; want one saying %q", tc.act, tc.k, tc.input+1, tc.code, w, err, tc.want)
		}
		if w != nil {
			t.Errorf("%s code %v: refused but returned weights %v", tc.act, tc.code, w)
		}
		if net.Digest() != before {
			t.Errorf("%s code %v: the network changed", tc.act, tc.code)
		}
	}
	if _, err := InputWeightsFor(nil, 0, nil); err == nil {
		t.Error("a nil network gave no error")
	}
}
