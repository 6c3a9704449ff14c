package core

import (
	"fmt"
	"testing"
)

// BenchmarkStep measures one full-batch Adam step on the shift task, the
// post's three network sizes and the two larger ones whose page rate
// site's BenchmarkTrainingRate compares with this (as wasm under Node). The
// trainer must not allocate per step.
func BenchmarkStep(b *testing.B) {
	benchmarkSteps(b, NewTrainer, [][2]int{{11, 2}, {30, 3}, {100, 4}, {128, 4}, {1024, 4}})
}

// benchmarkSteps runs a sub-benchmark of Adam steps on the shift task for
// each N and k of sizes, the trainer made by start.
func benchmarkSteps(b *testing.B, start func(Config) (*Trainer, error), sizes [][2]int) {
	for _, size := range sizes {
		n, k := size[0], size[1]
		b.Run(fmt.Sprintf("%d-%d-%d", n, k, n), func(b *testing.B) {
			c := DefaultConfig()
			c.N, c.K = n, k
			t, err := start(c)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := t.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseFragment measures reading a link with every field written
// (what the engine reads for each job of a sweep, and the page on every
// change of the fragment). A valid link should cost only its parsing: no
// error message is built for a field that is fine.
func BenchmarkParseFragment(b *testing.B) {
	c := DefaultConfig()
	c.N, c.K, c.Seed = 30, 3, 7
	c.LearningRate, c.InitScale, c.Beta1, c.Beta2 = 0.02, 0.5, 0.8, 0.99
	frag := c.Encode() // n=30&k=3&task=shift&s=1&opt=adam&lr=0.02&b1=0.8&b2=0.99&init=0.5&seed=7
	b.ReportAllocs()
	for range b.N {
		if _, err := ParseFragment(frag); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStepConstructed measures a step of training on from a network
// built by hand (Construct), where the far codes' logits trail by far more
// than in a trained network: "train from here" in the playground. It must
// cost about what a step of a trained network of the same size costs
// (BenchmarkStep), not the many times more that subnormal numbers take.
func BenchmarkStepConstructed(b *testing.B) {
	benchmarkSteps(b, Construct, [][2]int{{1024, 2}, {1024, 4}})
}
