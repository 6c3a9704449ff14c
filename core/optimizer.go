package core

import (
	"fmt"
	"math"
)

// optimizer applies one update with learning rate lr to parameter blocks from
// gradient blocks of the same sizes. Its state (velocity, moments) is
// allocated once, up front.
type optimizer interface {
	update(params, grads [][]float64, lr float64)
}

func newOptimizer(c *Config, params [][]float64) optimizer {
	zeros := func() [][]float64 {
		s := make([][]float64, len(params))
		for i, p := range params {
			s[i] = make([]float64, len(p))
		}
		return s
	}
	switch c.Optimizer {
	case OptMomentum:
		return &momentum{mu: c.Momentum, vel: zeros()}
	case OptAdam:
		return &adam{b1: c.Beta1, b2: c.Beta2, eps: c.Epsilon, b1t: 1, b2t: 1, m: zeros(), v: zeros()}
	default:
		return &sgd{}
	}
}

// sgd is plain gradient descent: w -= lr*g.
type sgd struct{}

func (o *sgd) update(params, grads [][]float64, lr float64) {
	for i, p := range params {
		g := grads[i][:len(p)]
		for j := range p {
			p[j] -= lr * g[j]
		}
	}
}

// momentum is heavy-ball momentum: v = mu*v - lr*g; w += v.
type momentum struct {
	mu  float64
	vel [][]float64
}

func (o *momentum) update(params, grads [][]float64, lr float64) {
	for i, p := range params {
		g := grads[i][:len(p)]
		v := o.vel[i][:len(p)]
		for j := range p {
			v[j] = o.mu*v[j] - lr*g[j]
			p[j] += v[j]
		}
	}
}

// adam is Adam (Kingma & Ba 2015) with bias-corrected moments.
type adam struct {
	b1, b2, eps float64
	b1t, b2t    float64 // b1**t and b2**t, kept as running products (math.Pow is slow in wasm)
	m, v        [][]float64
}

func (o *adam) update(params, grads [][]float64, lr float64) {
	o.b1t *= o.b1
	o.b2t *= o.b2
	c1 := 1 / (1 - o.b1t)
	c2 := 1 / (1 - o.b2t)
	for i, p := range params {
		g := grads[i][:len(p)]
		m := o.m[i][:len(p)]
		v := o.v[i][:len(p)]
		for j := range p {
			gj := g[j]
			m[j] = o.b1*m[j] + (1-o.b1)*gj
			v[j] = o.b2*v[j] + (1-o.b2)*gj*gj
			p[j] -= lr * (m[j] * c1) / (math.Sqrt(v[j]*c2) + o.eps)
		}
	}
}

// The flat optimizer state (Trainer.OptimizerState) holds, for P parameters
// in the order of the network's parameter blocks (W1 row by row, B1, W2 row
// by row, B2; W1 and B1 absent when K = 0):
//   - sgd: nothing;
//   - momentum: the velocity of each parameter (P values);
//   - adam: β1^t and β2^t for its t updates so far, then the first moment of
//     each parameter, then the second (2 + 2P values).

// OptimizerStateLen returns the length of the flat optimizer state of a
// network of c (see Trainer.OptimizerState): 0 for sgd, P for momentum and
// 2 + 2P for adam, where P is the number of parameters. c must be valid.
func OptimizerStateLen(c *Config) int {
	p := 2*c.K*c.N + c.K + c.N
	if c.K == 0 {
		p = c.N*c.N + c.N
	}
	switch c.Optimizer {
	case OptMomentum:
		return p
	case OptAdam:
		return 2 + 2*p
	}
	return 0
}

// OptimizerState returns a copy of the state the optimizer keeps between
// steps, in the flat form of length OptimizerStateLen(c) that
// SetOptimizerState takes: with the weights and the step it is everything
// that the next steps depend on, so a run restored from all three goes on
// bit for bit as the original would have.
func (t *Trainer) OptimizerState() []float64 {
	s := make([]float64, 0, OptimizerStateLen(&t.cfg))
	flat := func(blocks [][]float64) {
		for _, b := range blocks {
			s = append(s, b...)
		}
	}
	switch o := t.opt.(type) {
	case *momentum:
		flat(o.vel)
	case *adam:
		s = append(s, o.b1t, o.b2t)
		flat(o.m)
		flat(o.v)
	}
	return s
}

// SetOptimizerState replaces the optimizer's state with s, as
// OptimizerState returned it for a run of the same config, so that training
// goes on exactly as that run's would. It refuses, changing nothing, a
// state of the wrong length for the config's optimizer, a value that is not
// finite, a moment of a parameter that is switched off (a disabled bias)
// that is not zero, a negative second moment, and powers of β1 or β2
// outside [0, 1]; the error says which value. It never panics.
func (t *Trainer) SetOptimizerState(s []float64) error {
	c := &t.cfg
	if want := OptimizerStateLen(c); len(s) != want {
		return fmt.Errorf("%s keeps %d values for a %s network, not %d", c.Optimizer, want, c.Shape(), len(s))
	}
	// off[i] reports whether parameter block i is a disabled bias, which
	// training never moves: its velocity or moments must stay zero.
	off := make([]bool, len(t.params))
	if c.K > 0 {
		off[1], off[3] = !c.HiddenBias, !c.OutputBias
	} else {
		off[1] = !c.OutputBias
	}
	// check returns why rest[:P], the state's part named what, is unusable.
	check := func(what string, rest []float64, nonNegative bool) error {
		at := 0
		for i, p := range t.params {
			for j := range p {
				v := rest[at+j]
				switch {
				case !isFinite(v):
					return fmt.Errorf("%s of %s is %v, not a finite number", what, paramName(c, i, j), v)
				case off[i] && v != 0:
					return fmt.Errorf("%s of %s is %g, but that bias is off in the config", what, paramName(c, i, j), v)
				case nonNegative && v < 0:
					return fmt.Errorf("%s of %s is %g; it cannot be negative", what, paramName(c, i, j), v)
				}
			}
			at += len(p)
		}
		return nil
	}
	restore := func(dst [][]float64, src []float64) {
		for _, b := range dst {
			src = src[copy(b, src):]
		}
	}
	switch o := t.opt.(type) {
	case *momentum:
		if err := check("the velocity", s, false); err != nil {
			return err
		}
		restore(o.vel, s)
	case *adam:
		for i, name := range []string{"β1^t", "β2^t"} {
			if !(s[i] >= 0 && s[i] <= 1) {
				return fmt.Errorf("adam's %s is %v; it must be in [0, 1]", name, s[i])
			}
		}
		p := (len(s) - 2) / 2
		if err := check("the first moment", s[2:2+p], false); err != nil {
			return err
		}
		if err := check("the second moment", s[2+p:], true); err != nil {
			return err
		}
		o.b1t, o.b2t = s[0], s[1]
		restore(o.m, s[2:2+p])
		restore(o.v, s[2+p:])
	}
	return nil
}

// paramName names parameter j of block i of a network of c, 1-based as a
// reader counts: "w1[2][5]", "b2[3]".
func paramName(c *Config, i, j int) string {
	names, cols := []string{"w1", "b1", "w2", "b2"}, []int{c.N, 0, c.K, 0}
	if c.K == 0 {
		names, cols = []string{"w2", "b2"}, []int{c.N, 0}
	}
	if cols[i] == 0 {
		return fmt.Sprintf("%s[%d]", names[i], j+1)
	}
	return fmt.Sprintf("%s[%d][%d]", names[i], j/cols[i]+1, j%cols[i]+1)
}
