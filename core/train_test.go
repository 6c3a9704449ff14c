package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func mustTrainer(t testing.TB, c Config) *Trainer {
	t.Helper()
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// solveWithin trains c for at most budget steps and reports the step at which
// every pair was first right, or -1.
func solveWithin(t testing.TB, c Config, budget int) int {
	tr := mustTrainer(t, c)
	for tr.Metrics().SolvedAt < 0 && tr.Metrics().Step < budget {
		if err := tr.Step(); err != nil {
			t.Fatalf("%s: %v", c.Encode(), err)
		}
	}
	return tr.Metrics().SolvedAt
}

// TestShiftSolves is the post's claim: 5-2-5 and 11-2-11 learn "input n fires
// output n+1" through two tanh units and a softmax, for every seed.
func TestShiftSolves(t *testing.T) {
	for _, n := range []int{5, 11} {
		for seed := uint64(1); seed <= 5; seed++ {
			c := DefaultConfig()
			c.N, c.Seed = n, seed
			if at := solveWithin(t, c, 3000); at < 0 {
				t.Errorf("%d-2-%d seed %d: not solved in 3000 steps", n, n, seed)
			}
		}
	}
}

// TestMedianStepsToSolve holds the default learning rate to its figures:
// 11-2-11 shift in a median under 150 steps and 8-3-8 identity under 30, over
// seeds 1..10.
func TestMedianStepsToSolve(t *testing.T) {
	for _, tc := range []struct {
		frag   string
		median int
	}{{"n=11&k=2", 150}, {"n=8&k=3&task=identity", 30}} {
		steps := make([]int, 0, 10)
		for seed := uint64(1); seed <= 10; seed++ {
			c, err := ParseFragment(tc.frag)
			if err != nil {
				t.Fatal(err)
			}
			c.Seed = seed
			at := solveWithin(t, c, 5000)
			if at < 0 {
				at = math.MaxInt
			}
			steps = append(steps, at)
		}
		slices.Sort(steps)
		if med := (steps[4] + steps[5]) / 2; med >= tc.median {
			t.Errorf("%s: median steps to solve %d, want under %d (%v)", tc.frag, med, tc.median, steps)
		}
	}
}

// TestEncoderSolves is the classic 8-3-8 encoder problem.
func TestEncoderSolves(t *testing.T) {
	c := DefaultConfig()
	c.N, c.K, c.Task = 8, 3, TaskIdentity
	if at := solveWithin(t, c, 2000); at < 0 {
		t.Error("8-3-8 identity not solved in 2000 steps")
	}
}

// TestOneHiddenUnitWithBiasesSolves: with output biases, each output's logit
// is a line in the single hidden value, and their upper envelope can give each
// output its own interval. The post says one middle neuron cannot work; it
// can, once the outputs have biases.
func TestOneHiddenUnitWithBiasesSolves(t *testing.T) {
	c := DefaultConfig()
	c.N, c.K = 6, 1
	if at := solveWithin(t, c, 20000); at < 0 {
		t.Error("6-1-6 with biases not solved in 20000 steps")
	}
}

// TestOneHiddenUnitWithoutOutputBiasWinsAtMostTwo is the post's argument made
// exact. With one hidden value h and no output bias, logit j is W2[j]*h: for
// h > 0 the largest W2[j] wins, for h < 0 the smallest, and for h = 0 all tie.
// So at most two distinct outputs can ever win, and since no output is the
// target of two inputs, at most two pairs can be right, whatever the training.
func TestOneHiddenUnitWithoutOutputBiasWinsAtMostTwo(t *testing.T) {
	for _, task := range []TaskKind{TaskShift, TaskReverse, TaskRandom} {
		for _, hb := range []bool{false, true} {
			for seed := uint64(1); seed <= 3; seed++ {
				c := DefaultConfig()
				c.N, c.K, c.Task, c.HiddenBias, c.OutputBias, c.Seed = 7, 1, task, hb, false, seed
				tr := mustTrainer(t, c)
				for step := 0; step < 3000; step++ {
					if m := tr.Metrics(); m.Correct > 2 {
						t.Fatalf("%s: %d pairs right at step %d; the argument allows 2", c.Encode(), m.Correct, m.Step)
					}
					if tr.Step() != nil {
						break
					}
				}
			}
		}
	}
	// The argument itself, on arbitrary weights: the set of winners over all
	// hidden values has at most two members.
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		c := DefaultConfig()
		c.N, c.K, c.OutputBias, c.Seed = 9, 1, false, uint64(trial)
		tr := mustTrainer(t, c)
		net := tr.Network()
		for j := 0; j < c.N; j++ {
			net.W2.Set(j, 0, rng.NormFloat64()*10)
		}
		winners := map[int]bool{}
		logits := make([]float64, c.N)
		for h := -1.0; h <= 1; h += 1.0 / 64 {
			net.LogitsAt([]float64{h}, logits)
			w, r := top2(logits)
			if logits[w] > logits[r] { // a tie (h = 0) has no winner
				winners[w] = true
			}
		}
		if len(winners) > 2 {
			t.Fatalf("%d distinct winners with one hidden unit and no output bias", len(winners))
		}
	}
}

// TestDirectNetworkSolves: the post's first picture, 25 connections for N = 5.
func TestDirectNetworkSolves(t *testing.T) {
	c := DefaultConfig()
	c.N, c.K = 5, 0
	if got := c.Connections(); got != 25 {
		t.Errorf("5-5 has %d connections, want 25", got)
	}
	if at := solveWithin(t, c, 500); at < 0 {
		t.Error("direct 5x5 network not solved")
	}
}

// TestConnectionCounts are the post's numbers: 25 against 20, 121 against 44.
func TestConnectionCounts(t *testing.T) {
	for _, tc := range []struct{ n, k, want int }{{5, 0, 25}, {5, 2, 20}, {11, 0, 121}, {11, 2, 44}, {10, 2, 40}} {
		c := DefaultConfig()
		c.N, c.K = tc.n, tc.k
		if got := c.Connections(); got != tc.want {
			t.Errorf("N=%d k=%d: %d connections, want %d", tc.n, tc.k, got, tc.want)
		}
	}
}

// TestDeterministic: equal configs give bit-identical weights after any number
// of steps, and Reset brings back the initial weights.
func TestDeterministic(t *testing.T) {
	c := DefaultConfig()
	c.N, c.K, c.Task = 9, 3, TaskRandom
	a, b := mustTrainer(t, c), mustTrainer(t, c)
	initial := a.Network().Clone()
	for step := 1; step <= 300; step++ {
		a.Step()
		b.Step()
		if step%100 == 0 {
			if !sameBits(a.Network(), b.Network()) {
				t.Fatalf("weights differ at step %d", step)
			}
		}
	}
	a.Reset()
	if !sameBits(a.Network(), initial) || a.Metrics().Step != 0 {
		t.Fatal("Reset did not restore the initial weights")
	}
	c.Seed++
	if sameBits(mustTrainer(t, c).Network(), initial) {
		t.Fatal("another seed gave the same weights")
	}
}

func sameBits(a, b *Network) bool {
	pa, pb := a.Params(), b.Params()
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if len(pa[i]) != len(pb[i]) {
			return false
		}
		for j := range pa[i] {
			if math.Float64bits(pa[i][j]) != math.Float64bits(pb[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestDivergenceIsAState: a NaN or infinity stops training with a message;
// nothing carries on silently, and Reset recovers.
func TestDivergenceIsAState(t *testing.T) {
	c := DefaultConfig()
	c.Activation, c.Optimizer, c.LearningRate, c.OutputBias, c.HiddenBias = ActLinear, OptSGD, MaxLR, true, true
	c.Output = OutSoftmax
	tr := mustTrainer(t, c)
	n := tr.Run(100000)
	if tr.Diverged() == "" {
		t.Fatalf("linear units with lr=%g did not diverge in %d steps (max |w| %g)", c.LearningRate, n, tr.Metrics().MaxAbsWeight)
	}
	if err := tr.Step(); !errors.Is(err, ErrDiverged) {
		t.Fatalf("Step after divergence: %v", err)
	}
	if tr.Metrics().Step != n {
		t.Fatal("a diverged trainer took a step")
	}
	tr.Reset()
	if tr.Diverged() != "" || tr.Metrics().Step != 0 {
		t.Fatal("Reset did not recover")
	}
	// A NaN put into the weights is caught too.
	if err := tr.SetWeight(LayerW2, 0, 0, math.NaN()); err == nil {
		t.Fatal("SetWeight accepted NaN")
	}
	tr.params[0][0] = math.Inf(1)
	tr.Refresh()
	if tr.Diverged() == "" {
		t.Fatal("an infinite weight was not reported")
	}
}

// TestMetrics checks the metrics against a direct computation from Inspect.
func TestMetrics(t *testing.T) {
	for _, out := range Outputs {
		c := DefaultConfig()
		c.N, c.Output = 7, out
		tr := mustTrainer(t, c)
		tr.Run(150)
		m := tr.Metrics()
		correct, minMargin, loss := 0, math.Inf(1), 0.0
		for _, p := range tr.Pairs() {
			ins, _ := tr.Inspect(p.In)
			if ins.Correct {
				correct++
			}
			minMargin = min(minMargin, ins.Margin)
			if out == OutSoftmax {
				loss -= math.Log(ins.Probs[p.Out])
			} else {
				for j, o := range ins.Probs {
					y := 0.0
					if j == p.Out {
						y = 1
					}
					loss += 0.5 * (o - y) * (o - y)
				}
			}
		}
		loss /= float64(len(tr.Pairs()))
		if m.Correct != correct || math.Abs(m.MinMargin-minMargin) > 1e-12 || math.Abs(m.Loss-loss) > 1e-9*loss {
			t.Errorf("%s: metrics %+v; recomputed correct %d, margin %g, loss %g", out, m, correct, minMargin, loss)
		}
		if m.Pairs != 6 || m.Accuracy != float64(m.Correct)/6 {
			t.Errorf("%s: pairs %d accuracy %g", out, m.Pairs, m.Accuracy)
		}
		if m.MaxAbsWeight != tr.Network().MaxAbsWeight() || m.MaxAbsWeight <= 0 {
			t.Errorf("max |w| %g", m.MaxAbsWeight)
		}
	}
}

func TestSolvedAtIsFirstStep(t *testing.T) {
	c := DefaultConfig()
	tr := mustTrainer(t, c)
	first := -1
	for tr.Metrics().Step < 2000 {
		tr.Step()
		if first < 0 && tr.Metrics().Solved() {
			first = tr.Metrics().Step
		}
	}
	if first < 0 || tr.Metrics().SolvedAt != first {
		t.Fatalf("SolvedAt %d, first solved step %d", tr.Metrics().SolvedAt, first)
	}
}

func TestOptimizersLearn(t *testing.T) {
	for _, opt := range Optimizers {
		c := DefaultConfig()
		c.N, c.Optimizer = 5, opt
		if opt != OptAdam {
			c.LearningRate = 1
		}
		tr := mustTrainer(t, c)
		before := tr.Metrics().Loss
		tr.Run(500)
		if after := tr.Metrics().Loss; !(after < before/2) {
			t.Errorf("%s: loss %g -> %g", opt, before, after)
		}
	}
}

func TestTasks(t *testing.T) {
	c := DefaultConfig()
	c.N = 5
	if got, want := fmt.Sprint(Targets(&c)), "[1 2 3 4 -1]"; got != want {
		t.Errorf("shift: %s, want %s (input 5 never fires)", got, want)
	}
	c.Wrap = true
	if got, want := fmt.Sprint(Targets(&c)), "[1 2 3 4 0]"; got != want {
		t.Errorf("shift wrap: %s, want %s", got, want)
	}
	c.Wrap, c.Shift = false, 2
	if got, want := fmt.Sprint(Targets(&c)), "[2 3 4 -1 -1]"; got != want {
		t.Errorf("shift 2: %s, want %s", got, want)
	}
	c.Task = TaskReverse
	if got, want := fmt.Sprint(Targets(&c)), "[4 3 2 1 0]"; got != want {
		t.Errorf("reverse: %s", got)
	}
	c.Task = TaskIdentity
	if got, want := fmt.Sprint(Targets(&c)), "[0 1 2 3 4]"; got != want {
		t.Errorf("identity: %s", got)
	}
	c.Task, c.Custom = TaskCustom, []int{2, -1, 0, 4, 3}
	if got, want := fmt.Sprint(Pairs(&c)), "[{0 2} {2 0} {3 4} {4 3}]"; got != want {
		t.Errorf("custom pairs: %s", got)
	}
	c.Task, c.N = TaskRandom, 50
	p1 := Targets(&c)
	seen := map[int]bool{}
	for _, o := range p1 {
		seen[o] = true
	}
	if len(seen) != 50 {
		t.Error("random task is not a permutation")
	}
	if fmt.Sprint(Targets(&c)) != fmt.Sprint(p1) {
		t.Error("random task is not reproducible")
	}
	c.TaskSeed++
	if fmt.Sprint(Targets(&c)) == fmt.Sprint(p1) {
		t.Error("task seed has no effect")
	}
}

// TestInspectWalkThrough: each logit is the sum of its contributions and its
// bias, the winner is the largest logit, and the post's display arithmetic is
// the sum of 10*tanh(w1) times w2.
func TestInspectWalkThrough(t *testing.T) {
	c := DefaultConfig()
	c.HiddenBias = false
	tr := mustTrainer(t, c)
	tr.Run(400)
	net := tr.Network()
	for in := 0; in < c.N; in++ {
		ins, ok := tr.Inspect(in)
		if !ok {
			t.Fatal("Inspect refused a valid input")
		}
		for j := range ins.Logits {
			sum, disp := ins.Bias[j], 0.0
			for h := range ins.Contrib[j] {
				sum += ins.Contrib[j][h]
				disp += DisplayScale * math.Tanh(net.W1.At(h, in)) * net.W2.At(j, h)
			}
			if math.Abs(sum-ins.Logits[j]) > 1e-12*math.Max(1, math.Abs(sum)) {
				t.Fatalf("input %d output %d: contributions sum to %g, logit %g", in, j, sum, ins.Logits[j])
			}
			if math.Abs(disp-ins.DisplayLogits[j]) > 1e-9*math.Max(1, math.Abs(disp)) {
				t.Fatalf("display logit %g, want %g", ins.DisplayLogits[j], disp)
			}
		}
		for j, z := range ins.Logits {
			if z > ins.Logits[ins.Winner] || (j != ins.Winner && z > ins.Logits[ins.RunnerUp]) {
				t.Fatalf("winner %d / runner-up %d are not the top two", ins.Winner, ins.RunnerUp)
			}
		}
		wantTarget := in + 1
		if in == c.N-1 {
			wantTarget = -1
		}
		if ins.Target != wantTarget {
			t.Fatalf("input %d target %d", in, ins.Target)
		}
		if ins.Target >= 0 && ins.Correct != (ins.Winner == ins.Target && ins.Margin > 0) {
			t.Fatal("Correct disagrees with the winner")
		}
	}
	if _, ok := tr.Inspect(c.N); ok {
		t.Fatal("Inspect accepted an input out of range")
	}
}
