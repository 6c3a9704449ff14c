package core

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

var updateConstruct = flag.Bool("update-construct", false, "rewrite testdata/construct-golden.txt from this platform")

// constructConfig returns the default config with the given shape, output
// bias, task, activation and output layer. The custom task leaves every third
// input unused and maps input i to output 3i+1 mod n (one-to-one: no n here
// is a multiple of 3).
func constructConfig(n, k int, ob bool, task TaskKind, act Activation, out Output) Config {
	c := DefaultConfig()
	c.N, c.K, c.OutputBias, c.Task, c.Activation, c.Output = n, k, ob, task, act, out
	if task == TaskCustom {
		c.Custom = make([]int, n)
		for i := range c.Custom {
			c.Custom[i] = (3*i + 1) % n
			if i%3 == 2 {
				c.Custom[i] = -1
			}
		}
	}
	return c
}

// refusalLimit returns how many pairs a k = 1 network without output biases
// can get right (2, or 1 when the hidden unit is never negative), or -1 when
// the shape has no limit.
func refusalLimit(c Config) int {
	if c.K != 1 || c.OutputBias {
		return -1
	}
	if c.Activation == ActSigmoid || c.Activation == ActReLU {
		return 1
	}
	return 2
}

// checkConstructed checks what Construct promises about tr, built from c.
func checkConstructed(t *testing.T, c Config, tr *Trainer) {
	t.Helper()
	m := tr.Metrics()
	if m.Pairs != len(Pairs(&c)) || m.Correct != m.Pairs || !(m.MinMargin >= DefaultMargin) || m.Step != 0 || m.SolvedAt != 0 {
		t.Fatalf("%s: %d/%d right, smallest margin %g (want >= %d), step %d, solved at %d",
			c.Encode(), m.Correct, m.Pairs, m.MinMargin, DefaultMargin, m.Step, m.SolvedAt)
	}
	net := tr.Network()
	if c.K > 0 {
		for _, b := range net.B1.RawVector().Data {
			if b != 0 {
				t.Fatalf("%s: hidden bias %g, want 0", c.Encode(), b)
			}
		}
	}
	if !c.OutputBias {
		for _, b := range net.B2.RawVector().Data {
			if b != 0 {
				t.Fatalf("%s: output bias %g with output biases off", c.Encode(), b)
			}
		}
	}
	if c.K > 0 && c.OutputBias {
		checkUnfiredNeverWin(t, c, net)
	}
	// Evaluate again from scratch: a new trainer of the same config given the
	// weights, as an import would. (Skipped for large N, where each
	// evaluation of a confident network costs a tenth of a second.)
	if c.N > 128 {
		return
	}
	fresh := mustTrainer(t, c)
	for i, p := range fresh.Network().Params() {
		copy(p, net.Params()[i])
	}
	fresh.Refresh()
	if f := fresh.Metrics(); f.Correct != m.Correct || f.MinMargin != m.MinMargin || f.Loss != m.Loss {
		t.Fatalf("%s: re-evaluated %d right, margin %g, loss %g; Construct said %d, %g, %g",
			c.Encode(), f.Correct, f.MinMargin, f.Loss, m.Correct, m.MinMargin, m.Loss)
	}
}

// checkUnfiredNeverWin checks at 100 random hidden codes in [-2, 2]^k that
// no output without an input beats the best output with one.
func checkUnfiredNeverWin(t *testing.T, c Config, net *Network) {
	t.Helper()
	fired := make([]bool, c.N)
	for _, p := range Pairs(&c) {
		fired[p.Out] = true
	}
	rng := rand.New(rand.NewPCG(uint64(c.N), uint64(c.K)))
	h, z := make([]float64, c.K), make([]float64, c.N)
	for range 100 {
		for i := range h {
			h[i] = 4*rng.Float64() - 2
		}
		net.LogitsAt(h, z)
		bestFired, bestUnfired, which := math.Inf(-1), math.Inf(-1), -1
		for j, v := range z {
			if fired[j] {
				bestFired = max(bestFired, v)
			} else if v > bestUnfired {
				bestUnfired, which = v, j
			}
		}
		if !(bestUnfired < bestFired) {
			t.Fatalf("%s: at h = %v output %d, which no input fires, has logit %g, the best fired one %g", c.Encode(), h, which+1, bestUnfired, bestFired)
		}
	}
}

// TestConstructEveryCase builds every shape, output-bias setting and task the
// issue lists, with tanh and softmax, and checks each in the trainer's own
// evaluation, or checks the reason of its refusal. Only k = 1 without output
// biases has no solution (at most two pairs can be right).
func TestConstructEveryCase(t *testing.T) {
	built, refused := 0, 0
	for _, n := range []int{2, 5, 11, 100, 1024} {
		for _, k := range []int{0, 1, 2, 3, 4} {
			if k == 0 && n > MaxNDirect {
				continue
			}
			for _, ob := range []bool{true, false} {
				for _, task := range Tasks {
					c := constructConfig(n, k, ob, task, ActTanh, OutSoftmax)
					if tryConstruct(t, c) {
						built++
					} else {
						refused++
					}
				}
			}
		}
	}
	t.Logf("%d built, %d refused", built, refused)
}

// TestConstructActivationsAndOutputs covers every hidden activation and
// output layer at the shapes where their codes differ most: k = 1, 2 and 3,
// with and without output biases.
func TestConstructActivationsAndOutputs(t *testing.T) {
	for _, n := range []int{2, 5, 11, 100} {
		for _, k := range []int{0, 1, 2, 3, 4} {
			for _, ob := range []bool{true, false} {
				for _, task := range []TaskKind{TaskShift, TaskReverse, TaskCustom} {
					for _, act := range Activations {
						for _, out := range Outputs {
							tryConstruct(t, constructConfig(n, k, ob, task, act, out))
						}
					}
				}
			}
		}
	}
	for _, k := range []int{1, 2, 3} {
		for _, ob := range []bool{true, false} {
			for _, act := range []Activation{ActSigmoid, ActReLU, ActLinear} {
				tryConstruct(t, constructConfig(1024, k, ob, TaskRandom, act, OutSigmoid))
			}
		}
	}
}

// tryConstruct constructs c and checks the result or the refusal; it reports
// whether c was built.
func tryConstruct(t *testing.T, c Config) bool {
	t.Helper()
	tr, err := Construct(c)
	p := len(Pairs(&c))
	if lim := refusalLimit(c); lim >= 0 && p > lim {
		want := fmt.Sprintf("no hand-built solution for %s: with one hidden unit and no output biases", c.Shape())
		tail := fmt.Sprintf("at most %d of the task's %d pairs can be right", lim, p)
		if err == nil || !errors.Is(err, ErrNotConstructible) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tail) {
			t.Fatalf("%s: got %v, want a refusal %q ... %q", c.Encode(), err, want, tail)
		}
		if lim == 1 && !strings.Contains(err.Error(), "h is never negative") {
			t.Fatalf("%s: refusal %q does not say why one output is the limit", c.Encode(), err)
		}
		return false
	}
	if err != nil {
		t.Fatalf("%s: %v", c.Encode(), err)
	}
	checkConstructed(t, c, tr)
	return true
}

// TestConstructLargest builds the largest networks the issue names: 1024-2-1024
// with and without output biases, 1024-1-1024 and 64-1-64 with them, and
// 1024-16-1024.
func TestConstructLargest(t *testing.T) {
	for _, frag := range []string{"n=1024&k=2", "n=1024&k=2&ob=0", "n=1024&k=1", "n=64&k=1", "n=1024&k=16", "n=1024&k=16&ob=0"} {
		c, err := ParseFragment(frag)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := Construct(c)
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		checkConstructed(t, c, tr)
		m := tr.Metrics()
		t.Logf("%s: %d/%d, smallest margin %.9g, loss %.3g, largest weight %.4g", frag, m.Correct, m.Pairs, m.MinMargin, m.Loss, m.MaxAbsWeight)
	}
}

// TestConstructMarginAndRefusals checks a stated margin and the refusal of
// bad input.
func TestConstructMarginAndRefusals(t *testing.T) {
	c := DefaultConfig()
	for _, margin := range []float64{1e-3, 0.5, 30} {
		tr, err := ConstructWithMargin(c, margin)
		if err != nil {
			t.Fatal(err)
		}
		if m := tr.Metrics().MinMargin; !(m >= margin && m <= margin*(1+1e-5)) {
			t.Errorf("margin %g: built %g", margin, m)
		}
	}
	for _, margin := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := ConstructWithMargin(c, margin); err == nil || !strings.Contains(err.Error(), "must be a positive finite number") {
			t.Errorf("margin %v: got %v", margin, err)
		}
	}
	bad := c
	bad.N = 1
	if _, err := Construct(bad); err == nil || !strings.Contains(err.Error(), "N must be") {
		t.Errorf("N = 1: got %v", err)
	}
}

// codesOf returns a codes matrix from rows.
func codesOf(rows ...[]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// marginsAt returns each coded input's margin under w2 and b2, evaluated by
// Network.LogitsAt.
func marginsAt(codes *mat.Dense, targets []int, w2 *mat.Dense, b2 *mat.VecDense) []float64 {
	n, k := codes.Dims()
	outs, _ := w2.Dims()
	net := &Network{N: outs, K: k, W2: w2, B2: b2}
	logits := make([]float64, outs)
	var ms []float64
	for i := 0; i < n; i++ {
		if targets[i] < 0 {
			continue
		}
		net.LogitsAt(codes.RawRowView(i), logits)
		best := math.Inf(-1)
		for j, z := range logits {
			if j != targets[i] {
				best = max(best, z)
			}
		}
		ms = append(ms, logits[targets[i]]-best)
	}
	return ms
}

// TestFitOutputs checks the Voronoi fit with and without output biases,
// including the unargmaxable code in the middle of the others.
func TestFitOutputs(t *testing.T) {
	// Four corners of a square and its centre; 6 outputs, output 5 fired by no input.
	codes := codesOf([]float64{-1, -1}, []float64{1, -1}, []float64{0, 0}, []float64{-1, 1}, []float64{1, 1})
	targets := []int{1, 0, 3, 2, 4}
	w2, b2, err := FitOutputs(codes, targets, 6, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range marginsAt(codes, targets, w2, b2) {
		if !(m >= 2) {
			t.Errorf("with biases, input %d: margin %g, want >= 2", i+1, m)
		}
	}
	// Output 6, which no input fires, trails output 2 (input 1's) by the
	// margin everywhere: it never wins.
	if w2.At(5, 0) != w2.At(1, 0) || w2.At(5, 1) != w2.At(1, 1) || !(b2.AtVec(1)-b2.AtVec(5) >= 2) {
		t.Errorf("unfired output 6 has weights %v and bias %g; output 2 %v and %g", mat.Row(nil, 5, w2), b2.AtVec(5), mat.Row(nil, 1, w2), b2.AtVec(1))
	}
	_, _, err = FitOutputs(codes, targets, 6, false, 2)
	var ue *UnwinnableError
	if !errors.As(err, &ue) || len(ue.Outputs) != 1 || ue.Outputs[0] != 3 || ue.Inputs[0] != 2 {
		t.Fatalf("without biases: got %v, want output 4 (input 3) unwinnable", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "output 4 (input 3, its code is 0 and ties with the outputs no input fires)") {
		t.Errorf("message %q", msg)
	}
	// The same without an unfired output: the centre loses to a corner.
	_, _, err = FitOutputs(codes, targets, 5, false, 2)
	if !errors.As(err, &ue) || len(ue.Outputs) != 1 || ue.Outputs[0] != 3 || ue.Rivals[0] < 0 {
		t.Fatalf("without biases, all outputs fired: got %v", err)
	}
	if !strings.Contains(err.Error(), "unargmaxable") {
		t.Errorf("message %q does not name the cause", err)
	}
	// Without the centre every code is extreme and the fit works at any margin.
	corners := codesOf([]float64{-1, -1}, []float64{1, -1}, []float64{-1, 1}, []float64{1, 1})
	ct := []int{2, -1, 0, 1}
	w2, b2, err = FitOutputs(corners, ct, 4, false, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range marginsAt(corners, ct, w2, b2) {
		if !(m >= 0.25) {
			t.Errorf("without biases, corner %d: margin %g", i+1, m)
		}
	}
	for _, b := range b2.RawVector().Data {
		if b != 0 {
			t.Fatalf("without biases B2 = %v", b2.RawVector().Data)
		}
	}

	// Two inputs may share a target when they share its code.
	shared := codesOf([]float64{-1, -1}, []float64{1, -1}, []float64{-1, -1}, []float64{1, 1})
	st := []int{1, 0, 1, 2}
	for _, ob := range []bool{true, false} {
		w2, b2, err = FitOutputs(shared, st, 4, ob, 3)
		if err != nil {
			t.Fatalf("a shared target at a shared code, output biases %v: %v", ob, err)
		}
		for i, m := range marginsAt(shared, st, w2, b2) {
			if !(m >= 3) {
				t.Errorf("a shared target, output biases %v: input %d's margin %g", ob, i+1, m)
			}
		}
	}

	for _, tc := range []struct {
		codes   *mat.Dense
		targets []int
		outs    int
		margin  float64
		want    string
	}{
		{corners, []int{0, 1, 0, 2}, 4, 1, "output 1 is the target of inputs 1 and 3, whose codes differ"},
		{codesOf([]float64{0.5}, []float64{0.5}), []int{0, 1}, 2, 1, "inputs 1 and 2 have the same code"},
		{corners, []int{0, 1}, 4, 1, "2 targets for 4 codes"},
		{corners, []int{0, 1, 2, 4}, 4, 1, "input 4's target 5 is not an output from 1 to 4"},
		{corners, []int{-1, -1, -1, -1}, 4, 1, "no input has a target"},
		{corners, []int{0, 1, 2, 3}, 4, 0, "must be a positive finite number"},
		{codesOf([]float64{math.NaN()}, []float64{1}), []int{0, 1}, 2, 1, "input 1's code[1] is NaN"},
		{&mat.Dense{}, nil, 2, 1, "the codes are 0 x 0"},
		{codesOf([]float64{0}, []float64{1e-160}), []int{0, 1}, 2, 1, "too close"},
	} {
		if _, _, err := FitOutputs(tc.codes, tc.targets, tc.outs, true, tc.margin); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

// constructGoldenConfigs are constructed on every platform the tests run on.
var constructGoldenConfigs = []string{
	"n=11&k=2",
	"n=64&k=1",
	"n=1024&k=2",
	"n=1024&k=16",
	"n=100&k=2&ob=0",
	"n=100&k=3&ob=0&act=sigmoid&out=sigmoid",
	"n=50&k=4&task=random&act=relu",
	"n=30&k=3&ob=0&act=relu",
	"n=40&k=5&ob=0&act=linear&task=reverse",
	"n=20&k=0&task=identity",
}

// weightsHash is the SHA-256 of every parameter's bits, in params order.
func weightsHash(net *Network) string {
	h := sha256.New()
	var b [8]byte
	for _, p := range net.Params() {
		for _, v := range p {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			h.Write(b[:])
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestConstructSameOnEveryPlatform compares a hash of the constructed weights
// with testdata/construct-golden.txt, written natively with -update-construct.
// It runs natively and as js/wasm under Node, so the browser builds the very
// same bits.
func TestConstructSameOnEveryPlatform(t *testing.T) {
	path := filepath.Join("testdata", "construct-golden.txt")
	var lines []string
	for _, frag := range constructGoldenConfigs {
		c, err := ParseFragment(frag)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := Construct(c)
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		lines = append(lines, frag+" "+weightsHash(tr.Network()))
	}
	got := strings.Join(lines, "\n") + "\n"
	if *updateConstruct {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("constructed weights differ from %s:\ngot:\n%swant:\n%s", path, got, want)
	}
}

// TestTrainFromConstructed trains a hand-built 11-2-11 with the default Adam:
// the weights are the trainer's own, so Step continues from them.
func TestTrainFromConstructed(t *testing.T) {
	c := DefaultConfig()
	tr, err := Construct(c)
	if err != nil {
		t.Fatal(err)
	}
	start := tr.Metrics()
	for _, until := range []int{1, 10, 100, 1000} {
		if n := tr.Run(until - tr.Metrics().Step); tr.Diverged() != "" {
			t.Fatalf("diverged after %d more steps: %s", n, tr.Diverged())
		}
		m := tr.Metrics()
		t.Logf("step %d: %d/%d right, smallest margin %.4g, loss %.4g, largest weight %.4g", m.Step, m.Correct, m.Pairs, m.MinMargin, m.Loss, m.MaxAbsWeight)
	}
	m := tr.Metrics()
	if m.Step != 1000 || m.SolvedAt != 0 {
		t.Fatalf("step %d, solved at %d; want 1000 and 0", m.Step, m.SolvedAt)
	}
	if m.Correct != m.Pairs || !(m.Loss < start.Loss) {
		t.Errorf("after 1000 Adam steps: %d/%d right, loss %g (started at %g)", m.Correct, m.Pairs, m.Loss, start.Loss)
	}
}

// TestSGDKeepsConstructed: plain gradient descent moves a hand-built
// network by its (tiny) gradient, so it stays solved with its margin almost
// whole. Adam does not: its first update moves every parameter by about the
// learning rate whatever the gradient (TestTrainFromConstructed logs the
// dip at 11-2-11; at 64-2-64 one step leaves 8 of 63 pairs right).
func TestSGDKeepsConstructed(t *testing.T) {
	c := DefaultConfig()
	c.N, c.Optimizer = 64, OptSGD
	tr, err := Construct(c)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if err := tr.Step(); err != nil {
			t.Fatal(err)
		}
		if m := tr.Metrics(); m.Correct != m.Pairs || !(m.MinMargin > 0.9*DefaultMargin) {
			t.Fatalf("SGD step %d: %d/%d right, smallest margin %g", m.Step, m.Correct, m.Pairs, m.MinMargin)
		}
	}
}

// BenchmarkConstruct builds 1024-16-1024, the largest network (goal: at most
// 100 ms natively), including the trainer's evaluation of it.
func BenchmarkConstruct(b *testing.B) {
	c := DefaultConfig()
	c.N, c.K = MaxN, MaxK
	b.ReportAllocs()
	for range b.N {
		if _, err := Construct(c); err != nil {
			b.Fatal(err)
		}
	}
}

// Adam's first step moves every parameter by about the learning rate,
// whatever its gradient, so it knocks a hand-built 64-2-64 off its solution;
// the README says so, with what this test logs, and that Adam finds all
// pairs again within ten steps.
func TestAdamShakesConstructed(t *testing.T) {
	c := DefaultConfig()
	c.N = 64
	tr, err := Construct(c)
	if err != nil {
		t.Fatal(err)
	}
	for step := 1; step <= 10; step++ {
		if err := tr.Step(); err != nil {
			t.Fatal(err)
		}
		m := tr.Metrics()
		t.Logf("Adam step %d: %d/%d right, smallest margin %.3g", m.Step, m.Correct, m.Pairs, m.MinMargin)
		if step == 1 && m.Correct == m.Pairs {
			t.Errorf("Adam's first step kept every pair of the hand-built network")
		}
	}
	if m := tr.Metrics(); m.Correct != m.Pairs {
		t.Errorf("Adam at step 10: %d/%d right", m.Correct, m.Pairs)
	}
}
