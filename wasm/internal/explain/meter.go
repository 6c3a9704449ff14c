package explain

import (
	"fmt"
	"strconv"
)

// Meter is the post's count of connections: the direct network's N*N against
// N*k + k*N through the bottleneck ("5*5=25 at first, now 5*2*2=20").
// Biases are counted apart, as the post does not count them.
type Meter struct {
	N, K int
	// Direct is N*N, the connections of the direct network.
	Direct int
	// Connections is the network's own count: 2*N*K, or N*N when K = 0. It
	// agrees with core's Config.Connections.
	Connections int
	// HiddenBiases and OutputBiases count the biases that are on (K and N).
	HiddenBiases, OutputBiases int
	// Ratio is Connections/Direct: 0.8 for 5-2-5, 0.36 for 11-2-11, 1 for
	// the direct network; below 1 is compression.
	Ratio float64
}

// NewMeter counts the connections of an N-k-N network with the given biases.
// It returns ErrSize when n < 1 or k < 0; it does not otherwise validate
// against core's limits, so the UI can show the count for a value being typed.
func NewMeter(n, k int, hiddenBias, outputBias bool) (Meter, error) {
	if n < 1 || k < 0 || n > 1<<20 || k > 1<<20 {
		return Meter{}, ErrSize
	}
	m := Meter{N: n, K: k, Direct: n * n, Connections: 2 * n * k}
	if k == 0 {
		m.Connections = n * n
	}
	if hiddenBias && k > 0 {
		m.HiddenBiases = k
	}
	if outputBias {
		m.OutputBiases = n
	}
	m.Ratio = float64(m.Connections) / float64(m.Direct)
	return m, nil
}

// Sentence says the count in the post's words, e.g. for 11-2-11: "11*11 = 121
// connections directly; through 2 hidden units only 11*2*2 = 44 (36% of
// them), plus 2 hidden and 11 output biases."
func (m Meter) Sentence() string {
	biases := m.biasText()
	if m.K == 0 {
		return fmt.Sprintf("The direct network: every input wired to every output, %d*%d = %d connections%s.",
			m.N, m.N, m.Direct, biases)
	}
	units := "hidden units"
	if m.K == 1 {
		units = "hidden unit"
	}
	if m.Connections >= m.Direct {
		return fmt.Sprintf("%d*%d = %d connections directly; through %d %s %d*%d*2 = %d, no fewer: no compression%s.",
			m.N, m.N, m.Direct, m.K, units, m.N, m.K, m.Connections, biases)
	}
	return fmt.Sprintf("%d*%d = %d connections directly; through %d %s only %d*%d*2 = %d (%s of them)%s.",
		m.N, m.N, m.Direct, m.K, units, m.N, m.K, m.Connections, percent(m.Ratio), biases)
}

// biasText is the sentence's tail about biases, or "" when none are on.
func (m Meter) biasText() string {
	switch {
	case m.HiddenBiases > 0 && m.OutputBiases > 0:
		return fmt.Sprintf(", plus %d hidden and %d output biases", m.HiddenBiases, m.OutputBiases)
	case m.HiddenBiases > 0:
		return fmt.Sprintf(", plus %d hidden biases", m.HiddenBiases)
	case m.OutputBiases > 0:
		return fmt.Sprintf(", plus %d output biases", m.OutputBiases)
	}
	return ""
}

// percent formats a fraction as a whole percentage, or with one decimal below
// 10% (0.4% for 1024-2-1024 must not read as 0%).
func percent(f float64) string {
	p := 100 * f
	if p < 10 {
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}
