package core

import (
	"fmt"
	"math"
	"testing"
)

// TestGradientMatchesFiniteDifferences checks the analytic gradient of every
// parameter against central finite differences of the loss, for every hidden
// activation x output x bias combination, with and without a hidden layer.
func TestGradientMatchesFiniteDifferences(t *testing.T) {
	for _, act := range Activations {
		for _, out := range Outputs {
			for _, hb := range []bool{false, true} {
				for _, ob := range []bool{false, true} {
					for _, k := range []int{0, 1, 3} {
						if k == 0 && (act != ActTanh || hb) {
							continue // the direct network has no hidden layer
						}
						name := fmt.Sprintf("%s/%s/hb=%v/ob=%v/k=%d", act, out, hb, ob, k)
						t.Run(name, func(t *testing.T) {
							c := DefaultConfig()
							c.N, c.K, c.Seed = 6, k, 3
							c.Activation, c.Output, c.HiddenBias, c.OutputBias = act, out, hb, ob
							checkGradient(t, c)
						})
					}
				}
			}
		}
	}
}

func checkGradient(t *testing.T, c Config) {
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	// Move away from the initial point (zero biases, small weights) so every
	// parameter, biases included, has a gradient worth checking.
	for i, p := range tr.params {
		for j := range p {
			p[j] += 0.3 * math.Sin(float64(7*i+13*j+1))
		}
	}
	if !c.HiddenBias && c.K > 0 {
		clear(tr.params[1])
	}
	if !c.OutputBias {
		clear(tr.params[len(tr.params)-1])
	}
	tr.Refresh()
	analytic := make([][]float64, len(tr.grads))
	for i, g := range tr.grads {
		analytic[i] = append([]float64(nil), g...)
	}
	const h = 1e-6
	checked := 0
	for i, p := range tr.params {
		for j := range p {
			w := p[j]
			p[j] = w + h
			tr.Refresh()
			up := tr.Metrics().Loss
			p[j] = w - h
			tr.Refresh()
			down := tr.Metrics().Loss
			p[j] = w
			numeric := (up - down) / (2 * h)
			a := analytic[i][j]
			isBias := (c.K > 0 && i == 1) || i == len(tr.params)-1
			disabled := isBias && ((i == 1 && c.K > 0 && !c.HiddenBias) || (i == len(tr.params)-1 && !c.OutputBias))
			if disabled {
				if a != 0 {
					t.Fatalf("block %d[%d]: a disabled bias has gradient %g", i, j, a)
				}
				continue
			}
			if diff := math.Abs(a - numeric); diff > 1e-6*math.Max(1, math.Abs(numeric)) {
				t.Fatalf("block %d[%d]: analytic %.10g, numeric %.10g", i, j, a, numeric)
			}
			checked++
		}
	}
	tr.Refresh()
	if checked == 0 {
		t.Fatal("no parameter checked")
	}
}
