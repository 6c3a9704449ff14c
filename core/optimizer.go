package core

import "math"

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
