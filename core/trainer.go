package core

import (
	"fmt"
	"math"
)

// Metrics describe the network's current weights on the whole task.
type Metrics struct {
	Step     int     // updates applied so far
	Loss     float64 // mean cross-entropy (softmax) or mean squared error (sigmoid) over the pairs
	Correct  int     // pairs whose largest output is the target (ties count as wrong)
	Pairs    int     // pairs in the task
	Accuracy float64 // Correct / Pairs
	// MinMargin is the smallest, over the pairs, of the target logit minus the
	// largest other logit. It is positive exactly when every pair is right.
	MinMargin    float64
	MaxAbsWeight float64 // largest |parameter|, biases included
	SolvedAt     int     // the first step at which Accuracy was 1, or -1
}

// Solved reports whether every pair is currently right.
func (m Metrics) Solved() bool { return m.Correct == m.Pairs }

// ErrDiverged is returned (wrapped) once training has produced a NaN or an
// infinity. Training stops until Reset.
var ErrDiverged = fmt.Errorf("training diverged")

// Trainer trains one network full-batch on one task. It allocates nothing per
// step. A Trainer is not safe for concurrent use.
type Trainer struct {
	cfg   Config
	net   *Network
	pairs []Pair
	opt   optimizer

	grads    [][]float64 // gradient blocks, parallel to net.Params()
	params   [][]float64
	logits   []float64 // N, one pair's logits and then its output gradient
	hiddenA  []float64 // len(pairs)*K hidden activations
	hiddenD  []float64 // len(pairs)*K activation derivatives
	w2t      []float64 // K x N transposed copy of W2, for passHidden
	gw2t     []float64 // K x N transposed gradient of W2
	metrics  Metrics
	diverged string // why training diverged, or ""
}

// NewTrainer returns a trainer for c at step 0, or the first problem with c.
func NewTrainer(c Config) (*Trainer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Custom = append([]int(nil), c.Custom...)
	t := &Trainer{cfg: c, pairs: Pairs(&c)}
	t.init(NewNetwork(&c))
	return t, nil
}

// init installs net (whose shape matches t.cfg) and evaluates it at step 0.
func (t *Trainer) init(net *Network) {
	c := &t.cfg
	t.net = net
	t.params = net.Params()
	t.grads = make([][]float64, len(t.params))
	for i, p := range t.params {
		t.grads[i] = make([]float64, len(p))
	}
	t.opt = newOptimizer(c, t.params)
	t.logits = make([]float64, c.N)
	t.hiddenA = make([]float64, len(t.pairs)*c.K)
	t.hiddenD = make([]float64, len(t.pairs)*c.K)
	t.w2t = make([]float64, c.K*c.N)
	t.gw2t = make([]float64, c.K*c.N)
	t.metrics = Metrics{Pairs: len(t.pairs), SolvedAt: -1}
	t.diverged = ""
	t.evaluate()
}

// Config returns the trainer's configuration.
func (t *Trainer) Config() Config {
	c := t.cfg
	c.Custom = append([]int(nil), c.Custom...)
	return c
}

// Network returns the live network. Callers may read it; after writing to it
// they must call Refresh.
func (t *Trainer) Network() *Network { return t.net }

// Pairs returns the task's training pairs. The slice must not be modified.
func (t *Trainer) Pairs() []Pair { return t.pairs }

// Metrics returns the metrics of the current weights.
func (t *Trainer) Metrics() Metrics { return t.metrics }

// Diverged returns a description of why training diverged, or "" if it has not.
func (t *Trainer) Diverged() string { return t.diverged }

// Reset restores the initial weights of the same seed and clears the
// optimizer state and the metrics.
func (t *Trainer) Reset() { t.init(NewNetwork(&t.cfg)) }

// Refresh re-evaluates the network after its weights were changed from
// outside (a drag on a connection, an import). It keeps the step count and
// optimizer state, and clears a divergence if the weights are finite again.
func (t *Trainer) Refresh() {
	t.diverged = ""
	t.evaluate()
}

// Show makes t show weights trained elsewhere (a training engine in a Web
// Worker): the caller has written them into Network, and m and diverged are
// what that run said about them. Unlike Refresh it does not evaluate the
// network, so a mirror of a large run costs nothing per update; t's
// gradients and optimizer state are then stale, so a mirror must not Step.
func (t *Trainer) Show(m Metrics, diverged string) {
	t.metrics = m
	t.diverged = diverged
}

// Step applies one full-batch update. It returns an error wrapping
// ErrDiverged, and changes nothing, once training has diverged.
func (t *Trainer) Step() error {
	if t.diverged != "" {
		return fmt.Errorf("%w: %s", ErrDiverged, t.diverged)
	}
	t.opt.update(t.params, t.grads, t.cfg.LRAt(t.metrics.Step))
	t.metrics.Step++
	t.evaluate()
	return nil
}

// Run applies up to n updates and returns how many it applied; it stops early
// when training diverges.
func (t *Trainer) Run(n int) int {
	for i := 0; i < n; i++ {
		if t.Step() != nil {
			return i
		}
	}
	return n
}

// evaluate runs the forward and backward pass over every pair for the current
// weights: it fills t.grads and t.metrics and detects divergence.
func (t *Trainer) evaluate() {
	for _, g := range t.grads {
		clear(g)
	}
	m := &t.metrics
	m.Loss, m.Correct, m.MinMargin = 0, 0, math.Inf(1)
	if t.cfg.K == 0 {
		t.passDirect()
	} else {
		t.passHidden()
	}
	if m.Pairs > 0 {
		m.Loss /= float64(m.Pairs)
		m.Accuracy = float64(m.Correct) / float64(m.Pairs)
	}
	m.MaxAbsWeight = t.net.MaxAbsWeight()
	if m.Correct == m.Pairs && m.SolvedAt < 0 {
		m.SolvedAt = m.Step
	}
	switch {
	case !isFinite(m.MaxAbsWeight):
		t.diverged = fmt.Sprintf("a weight became %v at step %d", m.MaxAbsWeight, m.Step)
	case !isFinite(m.Loss):
		t.diverged = fmt.Sprintf("the loss became %v at step %d", m.Loss, m.Step)
	}
}

// passHidden is evaluate's pass for K > 0. For each pair it computes the
// hidden layer, the logits and the output gradient, then the gradients of W2,
// B2 and the hidden layer.
//
// The loops run over outputs in the innermost position, on a transposed copy of
// W2 (K rows of N): with k as small as 2, loops of length k cost more in
// overhead than in arithmetic, while loops of length N run at full speed,
// natively and in wasm. Copying W2 in and its gradient out costs O(N*K) per
// step against O(pairs*N*K) for the pass.
func (t *Trainer) passHidden() {
	n, k := t.cfg.N, t.cfg.K
	w1 := t.net.W1.RawMatrix().Data
	b1 := t.net.B1.RawVector().Data
	w2 := t.net.W2.RawMatrix().Data
	b2 := t.net.B2.RawVector().Data[:n]
	gw1, gb1, gw2, gb2 := t.grads[0], t.grads[1], t.grads[2], t.grads[3][:n]
	w2t, gw2t := t.w2t, t.gw2t
	for j := 0; j < n; j++ {
		for h := 0; h < k; h++ {
			w2t[h*n+j] = w2[j*k+h]
		}
	}
	clear(gw2t)
	act := t.cfg.Activation
	scale := 1 / float64(len(t.pairs))
	z := t.logits[:n]
	for e, p := range t.pairs {
		hrow := t.hiddenA[e*k : e*k+k]
		drow := t.hiddenD[e*k : e*k+k]
		for h := range hrow {
			hrow[h], drow[h] = activate(act, w1[h*n+p.In]+b1[h])
		}
		copy(z, b2)
		for h, hv := range hrow[:k-1] {
			wt := w2t[h*n : h*n+n][:len(z)] // the reslice lets the compiler drop bounds checks
			for j := range z {
				z[j] += wt[j] * hv
			}
		}
		// The last hidden unit's loop also finds the two largest logits.
		hv := hrow[k-1]
		wt := w2t[(k-1)*n : k*n][:len(z)]
		best, second := math.Inf(-1), math.Inf(-1)
		for j := range z {
			v := z[j] + wt[j]*hv
			z[j] = v
			best, second = keepTop2(v, best, second)
		}
		a, corr := t.outputGradient(z, p.Out, best, second, scale)
		gb2[p.Out] -= corr
		for j, g := range z {
			gb2[j] += a * g
		}
		for h, hv := range hrow {
			wt := w2t[h*n : h*n+n][:len(z)]
			gt := gw2t[h*n : h*n+n][:len(z)]
			ahv := a * hv
			dh := 0.0
			for j, g := range z {
				gt[j] += g * ahv
				dh += g * wt[j]
			}
			gt[p.Out] -= corr * hv
			g := (a*dh - corr*wt[p.Out]) * drow[h]
			gw1[h*n+p.In] += g
			gb1[h] += g
		}
	}
	for j := 0; j < n; j++ {
		for h := 0; h < k; h++ {
			gw2[j*k+h] = gw2t[h*n+j]
		}
	}
	if !t.cfg.HiddenBias {
		clear(gb1)
	}
	if !t.cfg.OutputBias {
		clear(gb2)
	}
}

// passDirect is evaluate's pass for the direct network (K = 0).
func (t *Trainer) passDirect() {
	n := t.cfg.N
	w := t.net.W2.RawMatrix().Data
	b := t.net.B2.RawVector().Data[:n]
	gw, gb := t.grads[0], t.grads[1][:n]
	scale := 1 / float64(len(t.pairs))
	z := t.logits[:n]
	for _, p := range t.pairs {
		best, second := math.Inf(-1), math.Inf(-1)
		for j := range z {
			v := w[j*n+p.In] + b[j]
			z[j] = v
			best, second = keepTop2(v, best, second)
		}
		a, corr := t.outputGradient(z, p.Out, best, second, scale)
		for j, g := range z {
			gw[j*n+p.In] += a * g
			gb[j] += a * g
		}
		gw[p.Out*n+p.In] -= corr
		gb[p.Out] -= corr
	}
	if !t.cfg.OutputBias {
		clear(gb)
	}
}

// keepTop2 returns the two largest of v, best and second, given best >= second.
func keepTop2(v, best, second float64) (float64, float64) {
	if !(v > second) { // also NaN, which divergence detection reports
		return best, second
	}
	if v > best {
		return v, best
	}
	return best, v
}

// outputGradient adds one pair's loss and accuracy to the metrics, given its
// logits z and their largest and second largest values, and turns z into the
// gradient of the loss with respect to the logits, in a factored form: the
// gradient is a*z[j] for j != target and a*z[target] - corr for the target.
// (For softmax z becomes the unnormalised exponentials and a = scale/sum; the
// caller folds a into its own loops, which saves a pass over z.) The gradient
// includes the factor scale = 1/pairs of the mean.
func (t *Trainer) outputGradient(z []float64, target int, best, second, scale float64) (a, corr float64) {
	m := &t.metrics
	zt := z[target]
	bestOther := best
	if zt == best {
		bestOther = second // the target holds the maximum; a tie gives margin 0
	}
	margin := zt - bestOther
	if margin > 0 {
		m.Correct++
	}
	m.MinMargin = min(m.MinMargin, margin)
	if t.cfg.Output == OutSigmoid {
		loss := 0.0
		for j, v := range z {
			o := sigmoid(v)
			y := 0.0
			if j == target {
				y = 1
			}
			loss += 0.5 * (o - y) * (o - y)
			z[j] = (o - y) * o * (1 - o) * scale
		}
		m.Loss += loss
		return 1, 0
	}
	sum := 0.0
	for j, v := range z {
		e := expNonPos(v - best)
		z[j] = e
		sum += e
	}
	m.Loss += math.Log(sum) - (zt - best)
	return scale / sum, scale
}
