package core

import (
	"math"
	"testing"
)

// TestLRAt checks the schedules against their definitions at points where
// the factor is known in closed form.
func TestLRAt(t *testing.T) {
	c := DefaultConfig()
	c.LearningRate = 0.08
	for _, step := range []int{0, 1, 999, 123456} {
		if got := c.LRAt(step); got != c.LearningRate {
			t.Errorf("const: LRAt(%d) = %g, want %g", step, got, c.LearningRate)
		}
	}
	c.Schedule, c.Period = SchedStep, 100
	for _, tc := range []struct {
		step int
		want float64
	}{{0, 0.08}, {99, 0.08}, {100, 0.04}, {250, 0.02}, {100 * 2000, 0}} {
		if got := c.LRAt(tc.step); got != tc.want {
			t.Errorf("step: LRAt(%d) = %g, want %g", tc.step, got, tc.want)
		}
	}
	c.Schedule = SchedCos
	for _, tc := range []struct {
		step int
		want float64
	}{{0, 0.08}, {50, 0.04}, {100, 0.08}, {150, 0.04}, {75, 0.08 * (1 - math.Sqrt(0.5)) / 2}} {
		if got := c.LRAt(tc.step); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("cos: LRAt(%d) = %g, want %g", tc.step, got, tc.want)
		}
	}
	c.Warmup = 4
	for _, tc := range []struct {
		step int
		want float64
	}{{0, 0.02}, {1, 0.04}, {3, 0.08}, {4, 0.08}, {54, 0.04}} {
		if got := c.LRAt(tc.step); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("cos with warm-up 4: LRAt(%d) = %g, want %g", tc.step, got, tc.want)
		}
	}
}

// TestScheduleDrivesTraining: the optimizer really uses LRAt. One SGD step
// with a warm-up of 2 is the same update as one step at half the rate, and
// differs from a step at the full rate.
func TestScheduleDrivesTraining(t *testing.T) {
	c := DefaultConfig()
	c.Optimizer, c.LearningRate = OptSGD, 0.4
	warm := c
	warm.Warmup = 2
	half := c
	half.LearningRate = 0.2
	a, b, full := mustTrainer(t, warm), mustTrainer(t, half), mustTrainer(t, c)
	a.Step()
	b.Step()
	full.Step()
	if !sameBits(a.Network(), b.Network()) {
		t.Error("a warm-up step of 2 is not a step at half the rate")
	}
	if sameBits(a.Network(), full.Network()) {
		t.Error("the warm-up changed nothing")
	}
}

// TestInitScale: the initial weights scale exactly, the biases stay zero, and
// scale 1 is Glorot itself.
func TestInitScale(t *testing.T) {
	c := DefaultConfig()
	c.N, c.K = 7, 3
	base := NewNetwork(&c)
	c.InitScale = 2
	scaled := NewNetwork(&c)
	pb, ps := base.Params(), scaled.Params()
	nonzero := 0
	for i := range pb {
		for j := range pb[i] {
			if ps[i][j] != 2*pb[i][j] {
				t.Fatalf("block %d entry %d: %g, want 2 x %g", i, j, ps[i][j], pb[i][j])
			}
			if pb[i][j] != 0 {
				nonzero++
			}
		}
	}
	if nonzero != 2*c.N*c.K {
		t.Errorf("%d nonzero parameters, want the %d weights", nonzero, 2*c.N*c.K)
	}
}

// TestCosineScheduleSolves16_1_16 is the smallest capacity record
// (docs/capacity-records.md): with cosine annealing restarted every 10,000
// steps, seed 2 of 16-1-16 solves within 200,000 steps, while at the same
// constant learning rate it does not.
func TestCosineScheduleSolves16_1_16(t *testing.T) {
	c := DefaultConfig()
	c.N, c.K, c.LearningRate, c.Seed = 16, 1, CapacityLR, 2
	constant := solveWithin(t, c, 200_000)
	c.Schedule, c.Period = SchedCos, 10_000
	cosine := solveWithin(t, c, 200_000)
	if cosine < 0 || constant >= 0 {
		t.Errorf("16-1-16 seed 2: solved at step %d with the cosine schedule, %d at a constant rate (-1: not within 200,000)", cosine, constant)
	}
}
