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
	for _, size := range []struct{ n, k int }{{11, 2}, {30, 3}, {100, 4}, {128, 4}, {1024, 4}} {
		b.Run(fmt.Sprintf("%d-%d-%d", size.n, size.k, size.n), func(b *testing.B) {
			c := DefaultConfig()
			c.N, c.K = size.n, size.k
			t, err := NewTrainer(c)
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
