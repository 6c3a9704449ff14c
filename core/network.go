package core

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Network holds the parameters of an N-k-N network in gonum types.
//
// With K > 0, input i's hidden pre-activation is column i of W1 plus B1, and
// output j's logit is row j of W2 times the hidden activations plus B2[j].
// With K = 0 (the direct network) W1 and B1 are nil and W2 is N x N: output
// j's logit for input i is W2[j][i] + B2[j].
//
// A disabled bias is kept as a vector of zeros that training never changes, so
// views can read every parameter the same way.
type Network struct {
	N, K       int
	Activation Activation
	Output     Output
	HiddenBias bool
	OutputBias bool

	W1 *mat.Dense    // K x N, nil when K = 0
	B1 *mat.VecDense // K, nil when K = 0
	W2 *mat.Dense    // N x K, or N x N when K = 0
	B2 *mat.VecDense // N
}

// NewNetwork returns c's network with Glorot-uniform weights drawn from c.Seed,
// times c.InitScale, and zero biases. c must be valid; NewNetwork panics otherwise.
func NewNetwork(c *Config) *Network {
	if err := c.Validate(); err != nil {
		panic("core: NewNetwork: " + err.Error())
	}
	net := &Network{
		N: c.N, K: c.K,
		Activation: c.Activation, Output: c.Output,
		HiddenBias: c.HiddenBias, OutputBias: c.OutputBias,
		B2: mat.NewVecDense(c.N, nil),
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x626f74746c65)) // "bottle"
	glorot := func(rows, cols, fanIn, fanOut int) *mat.Dense {
		limit := math.Sqrt(6/float64(fanIn+fanOut)) * c.InitScale // exact for the default scale 1
		data := make([]float64, rows*cols)
		for i := range data {
			data[i] = (2*rng.Float64() - 1) * limit
		}
		return mat.NewDense(rows, cols, data)
	}
	if c.K == 0 {
		net.W2 = glorot(c.N, c.N, c.N, c.N)
		return net
	}
	net.W1 = glorot(c.K, c.N, c.N, c.K)
	net.B1 = mat.NewVecDense(c.K, nil)
	net.W2 = glorot(c.N, c.K, c.K, c.N)
	return net
}

// hiddenWidth is the number of values each input feeds to W2: K, or N for the
// direct network (whose "hidden layer" is the one-hot input itself).
func (net *Network) hiddenWidth() int {
	if net.K == 0 {
		return net.N
	}
	return net.K
}

// Hidden writes input's hidden pre-activations and activations into pre and
// act, each of length K. It panics if input is out of range or K = 0.
func (net *Network) Hidden(input int, pre, act []float64) {
	if input < 0 || input >= net.N || net.K == 0 {
		panic("core: Hidden: input out of range or no hidden layer")
	}
	w1 := net.W1.RawMatrix().Data
	b1 := net.B1.RawVector().Data
	for h := 0; h < net.K; h++ {
		pre[h] = w1[h*net.N+input] + b1[h]
		act[h], _ = activate(net.Activation, pre[h])
	}
}

// LogitsAt writes into logits (length N) the output logits for hidden code h
// (length K), i.e. W2*h + B2. It lets views evaluate any point of the hidden
// space, not only the codes of the inputs. It panics if K = 0 or sizes differ.
func (net *Network) LogitsAt(h, logits []float64) {
	if net.K == 0 || len(h) != net.K || len(logits) != net.N {
		panic("core: LogitsAt: size mismatch")
	}
	w2 := net.W2.RawMatrix().Data
	b2 := net.B2.RawVector().Data
	for j := 0; j < net.N; j++ {
		z := b2[j]
		row := w2[j*net.K : j*net.K+net.K]
		for k, w := range row {
			z += w * h[k]
		}
		logits[j] = z
	}
}

// MaxAbsWeight returns the largest |parameter| of the network, biases
// included, or NaN if any parameter is NaN.
func (net *Network) MaxAbsWeight() float64 {
	m := 0.0
	for _, s := range net.Params() {
		for _, w := range s {
			m = max(m, math.Abs(w))
		}
	}
	return m
}

// Params returns the raw storage of every parameter block, in the one order
// that the trainer, the protocol's wire, the page's mirror and the digest
// share: W1, B1, W2, B2 (the first two absent when K = 0). The slices alias
// net's parameters: writing into them changes net.
func (net *Network) Params() [][]float64 {
	ps := make([][]float64, 0, 4)
	if net.K > 0 {
		ps = append(ps, net.W1.RawMatrix().Data, net.B1.RawVector().Data)
	}
	return append(ps, net.W2.RawMatrix().Data, net.B2.RawVector().Data)
}

// Digest returns the FNV-64a, in hex, of the bits of every parameter
// (little-endian, in Params' order): two networks have equal digests when
// their weights are equal bit for bit, so a test compares a page's run with
// core's without the page sending every weight.
func (net *Network) Digest() string {
	h := fnv.New64a()
	var buf [8]byte
	for _, ps := range net.Params() {
		for _, x := range ps {
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
			h.Write(buf[:])
		}
	}
	return strconv.FormatUint(h.Sum64(), 16)
}

// Clone returns a deep copy of net.
func (net *Network) Clone() *Network {
	c := *net
	if net.K > 0 {
		c.W1 = mat.DenseCopyOf(net.W1)
		c.B1 = mat.VecDenseCopyOf(net.B1)
	}
	c.W2 = mat.DenseCopyOf(net.W2)
	c.B2 = mat.VecDenseCopyOf(net.B2)
	return &c
}
