package core

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// This file builds solutions by hand instead of by training: every input gets
// a hidden code (a point of the hidden space), and every output a logit that
// is largest exactly in the Voronoi cell of its input's code. Kruglyak (1990)
// showed that N-2-N weights exist for every N this way; with output biases
// even one hidden unit gives every output its own interval of the line.
//
// Everything here is float64 arithmetic with +, -, *, /, math.Sqrt (correctly
// rounded everywhere) and the pure-Go math.Atanh, math.Sin and math.Cos (no
// assembly on amd64 or wasm), so a construction is bit-identical natively and
// in the browser; TestConstructSameOnEveryPlatform checks it.

// DefaultMargin is the smallest margin Construct builds for: every pair's
// target logit exceeds every other logit by at least 8, so a softmax gives the
// target at least 1/(1+(N-1)e^-8) of the probability at the closest call (over
// 0.99 for 11 outputs) and far more for all others.
const DefaultMargin = 8

// marginSlack is how much Construct and FitOutputs overshoot the stated
// margin, relative, so that rounding in the logits (about 1e-10 relative at
// 1024 codes on a line) cannot take the evaluated margin below it.
const marginSlack = 1e-6

// codeRadius is how far inside the activation's range the codes stay: tanh
// codes lie in [-0.9, 0.9], sigmoid codes in [0.05, 0.95], relu codes in
// [0.1, 1.9]. Saturated units would make the codes hard to tell apart in
// float64 and give training no gradient.
const codeRadius = 0.9

// sigmoidArcStart is the angle (in radians) that keeps sigmoid codes without
// output biases off the axes, which the sigmoid cannot reach.
const sigmoidArcStart = 0.1

// ErrNotConstructible wraps every reason Construct refuses a config.
var ErrNotConstructible = errors.New("no hand-built solution")

// UnwinnableError is FitOutputs' refusal without output biases: each output's
// logit is then s*c*h for its input's code c, so an output wins at its own
// code only if |c|^2 > c'*c for every other code c' (and |c|^2 > 0 when some
// output has no input, whose logit is 0). An output whose code lies inside the
// convex hull of the other codes fails this at every scale: it is
// "unargmaxable" (Demeter, Kimmig & Riedel 2020).
type UnwinnableError struct {
	Outputs []int // the outputs that cannot win, 0-based, ascending by input
	Inputs  []int // Inputs[i] is the input that must fire Outputs[i]
	Rivals  []int // Rivals[i] is an output that beats or ties Outputs[i] at that code, -1 for an output no input fires
}

func (e *UnwinnableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "without output biases %d output(s) cannot win at their input's code at any scale:", len(e.Outputs))
	for i, o := range e.Outputs {
		if i == 8 {
			fmt.Fprintf(&b, " and %d more", len(e.Outputs)-i)
			break
		}
		if e.Rivals[i] < 0 {
			fmt.Fprintf(&b, " output %d (input %d, its code is 0 and ties with the outputs no input fires);", o+1, e.Inputs[i]+1)
		} else {
			fmt.Fprintf(&b, " output %d (input %d, output %d's code c' has c'*c >= |c|^2);", o+1, e.Inputs[i]+1, e.Rivals[i]+1)
		}
	}
	return strings.TrimSuffix(b.String(), ";") + "; a code inside the convex hull of the other codes always fails so (it is unargmaxable)"
}

// FitOutputs returns output weights W2 (outputs x k) and biases B2 (outputs)
// under which each input i with targets[i] >= 0 makes output targets[i] the
// largest logit by at least margin, given the inputs' hidden codes (row i of
// codes, N x k, is input i's hidden activations; rows of inputs without a
// target are ignored). targets has N entries, each an output in
// [0, outputs) or -1.
//
// With outputBias, output o fired by code c gets the logit
// s*(2c*h - |c|^2) = s*(|h|^2 - |h-c|^2): it wins exactly in the Voronoi cell
// of c, and at another input's code c' it trails that input's target by
// s*|c-c'|^2. Without, its weights point at c (logit s*c*h, B2 stays zero),
// which works when every code is an extreme point in the sense of
// UnwinnableError, e.g. when all codes lie on one sphere around 0. An output
// no input fires never wins anywhere: with output biases it gets the weights
// of the first fired output and that output's bias minus margin, so it trails
// that output by margin at every h; without, it gets weights 0 and the logit
// 0, which loses by margin at every code and at least ties nowhere the fired
// outputs' logits are all positive (everywhere but 0 when the codes surround
// it, and wherever h is positive for codes in the positive orthant). The
// scale s is the smallest that gives margin, plus a relative 1e-6 against
// rounding.
//
// FitOutputs returns an error, and no weights, if the sizes disagree, margin
// is not a positive finite number, a code is not finite, a target is out of
// range, two inputs with different targets share a code, or, without output
// biases, some output cannot win (an *UnwinnableError naming them). Inputs
// that share a target must share its code (one cell per output), or
// FitOutputs says so; core's tasks never share one. It never panics.
func FitOutputs(codes *mat.Dense, targets []int, outputs int, outputBias bool, margin float64) (*mat.Dense, *mat.VecDense, error) {
	if codes == nil {
		return nil, nil, errors.New("FitOutputs: no codes")
	}
	n, k := codes.Dims()
	switch {
	case n == 0 || k == 0:
		return nil, nil, fmt.Errorf("FitOutputs: the codes are %d x %d; a direct network (k = 0) needs no codes", n, k)
	case len(targets) != n:
		return nil, nil, fmt.Errorf("FitOutputs: %d targets for %d codes", len(targets), n)
	case outputs < 1:
		return nil, nil, fmt.Errorf("FitOutputs: %d outputs; at least 1 is needed", outputs)
	case !(margin > 0) || math.IsInf(margin, 1):
		return nil, nil, fmt.Errorf("FitOutputs: margin %v must be a positive finite number", margin)
	}
	raw := codes.RawMatrix()
	code := func(i int) []float64 { return raw.Data[i*raw.Stride : i*raw.Stride+k] }
	for i, o := range targets {
		if o < -1 || o >= outputs {
			return nil, nil, fmt.Errorf("FitOutputs: input %d's target %d is not an output from 1 to %d", i+1, o+1, outputs)
		}
		if o < 0 {
			continue
		}
		for h, v := range code(i) {
			if !isFinite(v) {
				return nil, nil, fmt.Errorf("FitOutputs: input %d's code[%d] is %v", i+1, h+1, v)
			}
		}
	}
	firedBy := make([]int, outputs)
	for o := range firedBy {
		firedBy[o] = -1
	}
	var ins []int // one input per fired output: the first, whose code is the output's
	for i, o := range targets {
		if o < 0 {
			continue
		}
		if j := firedBy[o]; j >= 0 {
			if slices.Equal(code(i), code(j)) {
				continue // the same cell serves both
			}
			return nil, nil, fmt.Errorf("FitOutputs: output %d is the target of inputs %d and %d, whose codes differ; the Voronoi construction gives each output the cell of one code, so inputs that share an output must share its code (core's tasks never share one: shift, reverse, identity and random are one-to-one and custom maps are checked)", o+1, j+1, i+1)
		}
		firedBy[o] = i
		ins = append(ins, i)
	}
	if len(ins) == 0 {
		return nil, nil, errors.New("FitOutputs: no input has a target")
	}
	norm2 := make([]float64, n)
	minNorm2 := math.Inf(1)
	for _, i := range ins {
		norm2[i] = dot(code(i), code(i))
		minNorm2 = min(minNorm2, norm2[i])
	}
	unfired := len(ins) < outputs

	// gap is the smallest margin at scale 1.
	gap := math.Inf(1)
	if outputBias {
		for a, i := range ins {
			ci := code(i)
			for _, j := range ins[a+1:] {
				d := 0.0
				for h, v := range code(j) {
					d += (ci[h] - v) * (ci[h] - v)
				}
				if d == 0 {
					return nil, nil, fmt.Errorf("FitOutputs: inputs %d and %d have the same code, so outputs %d and %d tie there at any weights", i+1, j+1, targets[i]+1, targets[j]+1)
				}
				gap = min(gap, d)
			}
		}
		if math.IsInf(gap, 1) {
			gap = 1 // one pair: any scale separates it from the unfired outputs
		}
	} else {
		ue := &UnwinnableError{}
		for _, j := range ins {
			cj := code(j)
			worst, rival := math.Inf(1), -1
			if unfired {
				worst = norm2[j] // against the logit 0 of an output no input fires
			}
			for _, i := range ins {
				if i == j {
					continue
				}
				if g := norm2[j] - dot(code(i), cj); g < worst {
					worst, rival = g, targets[i]
				}
			}
			if !(worst > 0) {
				ue.Outputs = append(ue.Outputs, targets[j])
				ue.Inputs = append(ue.Inputs, j)
				ue.Rivals = append(ue.Rivals, rival)
			}
			gap = min(gap, worst)
		}
		if len(ue.Outputs) > 0 {
			return nil, nil, ue
		}
	}
	s := margin * (1 + marginSlack) / gap
	if !isFinite(s) || !isFinite(2*s*max(1, minNorm2)) {
		return nil, nil, fmt.Errorf("FitOutputs: the codes are too close (smallest gap %g) for margin %g in float64", gap, margin)
	}

	w2 := mat.NewDense(outputs, k, nil)
	b2 := mat.NewVecDense(outputs, nil)
	wf := 2 * s
	if !outputBias {
		wf = s
	}
	for o, i := range firedBy {
		if i < 0 {
			continue
		}
		row := w2.RawRowView(o)
		for h, v := range code(i) {
			row[h] = wf * v
		}
		if outputBias {
			b2.SetVec(o, -s*norm2[i])
		}
	}
	if outputBias && unfired {
		lead := targets[ins[0]]
		for o, i := range firedBy {
			if i < 0 {
				w2.SetRow(o, w2.RawRowView(lead))
				b2.SetVec(o, b2.AtVec(lead)-s*gap)
			}
		}
	}
	return w2, b2, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// Construct returns a trainer at step 0 holding a hand-built solution of c
// (c's N, K, task, activation, output kind and biases; its optimizer settings
// are kept for training on) with every pair right by at least DefaultMargin,
// as the trainer's own evaluation measures it. See ConstructWithMargin.
func Construct(c Config) (*Trainer, error) { return ConstructWithMargin(c, DefaultMargin) }

// ConstructWithMargin is Construct with a stated smallest margin (target logit
// minus the best other logit, Metrics.MinMargin), a positive finite number.
//
// The inputs that have a target get hidden codes spread evenly: on a line
// (k = 1), or on a square, cube or hypercube lattice (k >= 2) with output
// biases; on a circle (k = 2) or on a sphere through the surface points of a
// cube lattice (k >= 3) without, where every code is an extreme point. Sigmoid
// and relu codes, which cannot be negative, use the positive quarter of the
// circle or sphere. The input weights make each code: W1[h][i] is
// atanh(h) for tanh (codes within 0.9 of 0), 2*atanh(2h-1) for sigmoid, h for
// relu and linear; hidden biases are 0. Inputs without a target get weights 0.
// FitOutputs then sets the output layer from the codes the network really
// computes. The direct network (K = 0) gets W2[o][i] = margin for each pair.
//
// It returns an error wrapping ErrNotConstructible when no solution exists:
// k = 1 without output biases, where every logit w*h is a line through 0, so
// at most two outputs (one for relu and sigmoid, whose h is never negative)
// can win, and the task has more pairs. An invalid c or margin gives an error
// too. It never panics.
//
// The sigmoid output layer is built like softmax: core counts a pair right
// when the target has the largest output, and sigmoid is increasing, so the
// largest logit is the largest output; the squared error is not minimised.
func ConstructWithMargin(c Config, margin float64) (*Trainer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if !(margin > 0) || math.IsInf(margin, 1) {
		return nil, fmt.Errorf("construct: margin %v must be a positive finite number", margin)
	}
	c.Custom = append([]int(nil), c.Custom...)
	targets := Targets(&c)
	pairs := Pairs(&c)
	net := &Network{
		N: c.N, K: c.K,
		Activation: c.Activation, Output: c.Output,
		HiddenBias: c.HiddenBias, OutputBias: c.OutputBias,
		B2: mat.NewVecDense(c.N, nil),
	}
	if c.K == 0 {
		net.W2 = mat.NewDense(c.N, c.N, nil)
		for _, p := range pairs {
			net.W2.Set(p.Out, p.In, margin*(1+marginSlack))
		}
	} else {
		if err := placeCodes(net, &c); err != nil {
			return nil, err
		}
		codes := mat.NewDense(c.N, c.K, nil)
		pre := make([]float64, c.K)
		for _, p := range pairs {
			net.Hidden(p.In, pre, codes.RawRowView(p.In))
		}
		w2, b2, err := FitOutputs(codes, targets, c.N, c.OutputBias, margin)
		if err != nil {
			return nil, fmt.Errorf("%w for %s: %v", ErrNotConstructible, c.Shape(), err)
		}
		net.W2, net.B2 = w2, b2
	}
	t := &Trainer{cfg: c, pairs: pairs}
	t.init(net)
	m := t.metrics
	if t.diverged != "" || m.Correct != m.Pairs || !(m.MinMargin >= margin) {
		// Not expected: FitOutputs' slack covers float64 rounding. Say so rather than hand back less.
		return nil, fmt.Errorf("%w for %s: the built network gets %d of %d pairs right with smallest margin %g, short of %g%s",
			ErrNotConstructible, c.Shape(), m.Correct, m.Pairs, m.MinMargin, margin, divergedNote(t.diverged))
	}
	return t, nil
}

func divergedNote(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}

// placeCodes fills net.W1 and net.B1 so that the inputs with a target get
// spread hidden codes, one per output (inputs that shared a target would
// share its code; core's tasks never share one), or explains why c has no
// solution.
func placeCodes(net *Network, c *Config) error {
	n, k := c.N, c.K
	targets := Targets(c)
	slot := make([]int, n) // slot[o] is output o's code, in the order outputs are first fired
	for o := range slot {
		slot[o] = -1
	}
	p := 0
	for _, o := range targets {
		if o >= 0 && slot[o] < 0 {
			slot[o] = p
			p++
		}
	}
	nonNeg := c.Activation == ActSigmoid || c.Activation == ActReLU
	if k == 1 && !c.OutputBias {
		limit := 2
		why := "every logit is w*h, a line through 0, so only the outputs with the largest and the smallest w can ever be the largest"
		if nonNeg {
			limit = 1
			why = fmt.Sprintf("every logit is w*h and the %s unit's h is never negative, so at every h > 0 the output with the largest w wins (and at h = 0 all tie)", c.Activation)
		}
		if p > limit {
			return fmt.Errorf("%w for %s: with one hidden unit and no output biases %s: at most %d of the task's %d pairs can be right (switch output biases on)",
				ErrNotConstructible, c.Shape(), why, limit, p)
		}
	}
	var pts []float64 // p*k unit-scale points
	switch {
	case c.OutputBias:
		pts = latticePoints(p, k)
	case nonNeg:
		start := 0.0
		if c.Activation == ActSigmoid {
			start = sigmoidArcStart
		}
		pts = orthantSpherePoints(p, k, start)
	default:
		pts = spherePoints(p, k)
	}
	net.W1 = mat.NewDense(k, n, nil)
	net.B1 = mat.NewVecDense(k, nil)
	w1 := net.W1.RawMatrix().Data
	for i, o := range targets {
		if o < 0 {
			continue
		}
		for h := 0; h < k; h++ {
			w1[h*n+i] = preActivation(c.Activation, c.OutputBias, pts[slot[o]*k+h])
		}
	}
	return nil
}

// preActivation returns the pre-activation that places a code at unit-scale
// coordinate u: with output biases u is in [-1, 1] and the code is centred in
// the activation's range; without, u is a coordinate of a point on the unit
// sphere and the code is codeRadius*u itself (its sphere must be around 0).
func preActivation(act Activation, centred bool, u float64) float64 {
	v := codeRadius * u
	switch act {
	case ActTanh:
		return math.Atanh(v)
	case ActSigmoid:
		if centred {
			return 2 * math.Atanh(v) // h = (1+v)/2 in [0.05, 0.95]
		}
		return 2 * math.Atanh(2*v-1) // h = v in (0, 0.9]
	case ActReLU:
		if centred {
			return 1 + v // h in [0.1, 1.9]
		}
		return v // h = v >= 0
	default: // ActLinear
		return v
	}
}

// latticePoints returns p points (p*k values) of [-1, 1]^k: evenly on the line
// for k = 1, else the first p points, in lexicographic order, of the smallest
// m^k lattice with at least p points. One point is the centre.
func latticePoints(p, k int) []float64 {
	pts := make([]float64, p*k)
	if p == 1 {
		return pts
	}
	m := 2
	for !powAtLeast(m, k, p) {
		m++
	}
	idx := make([]int, k)
	for e := 0; e < p; e++ {
		for h := 0; h < k; h++ {
			pts[e*k+h] = gridValue(idx[h], m)
		}
		next(idx, m)
	}
	return pts
}

// gridValue is the j-th of m evenly spaced values from -1 to 1.
func gridValue(j, m int) float64 { return -1 + 2*float64(j)/float64(m-1) }

// next advances idx, a k-digit number in base m with the last digit fastest.
func next(idx []int, m int) {
	for h := len(idx) - 1; h >= 0; h-- {
		idx[h]++
		if idx[h] < m {
			return
		}
		idx[h] = 0
	}
}

// powAtLeast reports whether m^k >= p, without overflow.
func powAtLeast(m, k, p int) bool {
	v := 1
	for range k {
		v *= m
		if v >= p {
			return true
		}
	}
	return v >= p
}

// spherePoints returns p distinct points (p*k values) of the unit sphere
// around 0: ±1 for k = 1, evenly spaced angles for k = 2, and for k >= 3 the
// surface points of the smallest m^k lattice of [-1, 1]^k that has p of them,
// scaled to length 1 (distinct surface points have distinct directions).
func spherePoints(p, k int) []float64 {
	pts := make([]float64, p*k)
	switch k {
	case 1:
		for e := range p {
			pts[e] = 1 - 2*float64(e) // p <= 2: 1, -1
		}
		return pts
	case 2:
		for e := range p {
			a := 2 * math.Pi * float64(e) / float64(p)
			pts[2*e], pts[2*e+1] = math.Cos(a), math.Sin(a)
		}
		return pts
	}
	m := 2
	for countSurface(m, k, false) < p {
		m++
	}
	surfacePoints(pts, p, k, m, -1)
	return pts
}

// orthantSpherePoints is spherePoints on the part of the unit sphere where
// every coordinate is at least 0: 1 for k = 1, a quarter circle for k = 2
// from angle start to pi/2-start, and for k >= 3 the outer faces (some
// coordinate 1) of a lattice of [a, 1]^k, a = sin(start), scaled to length 1.
func orthantSpherePoints(p, k int, start float64) []float64 {
	pts := make([]float64, p*k)
	switch k {
	case 1:
		pts[0] = 1 // p <= 1
		return pts
	case 2:
		for e := range p {
			a := math.Pi / 4
			if p > 1 {
				a = start + (math.Pi/2-2*start)*float64(e)/float64(p-1)
			}
			pts[2*e], pts[2*e+1] = math.Cos(a), math.Sin(a)
		}
		return pts
	}
	m := 2
	for countSurface(m, k, true) < p {
		m++
	}
	surfacePoints(pts, p, k, m, math.Sin(start))
	return pts
}

// countSurface returns how many points of the m^k lattice lie on the surface
// of the cube (some index 0 or m-1), or with outer on its outer faces (some
// index m-1), capped at MaxN+1.
func countSurface(m, k int, outer bool) int {
	all, inner := 1, 1
	in := m - 2
	if outer {
		in = m - 1
	}
	for range k {
		all = min(all*m, 1<<40)
		inner = min(inner*in, 1<<40)
	}
	return min(all-inner, MaxN+1)
}

// surfacePoints writes into pts the first p surface points (outer faces when
// lo >= 0) of the m^k lattice of [-1, 1]^k (of [lo, 1]^k when lo >= 0), each
// scaled to length 1.
func surfacePoints(pts []float64, p, k, m int, lo float64) {
	idx := make([]int, k)
	for e := 0; e < p; next(idx, m) {
		onSurface := false
		for _, j := range idx {
			onSurface = onSurface || j == m-1 || (lo < 0 && j == 0)
		}
		if !onSurface {
			continue
		}
		row := pts[e*k : e*k+k]
		for h, j := range idx {
			if lo < 0 {
				row[h] = gridValue(j, m)
			} else {
				row[h] = lo + (1-lo)*float64(j)/float64(m-1)
			}
		}
		l := math.Sqrt(dot(row, row))
		for h := range row {
			row[h] /= l
		}
		e++
	}
}
