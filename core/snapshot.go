package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// SnapshotFormat and SnapshotVersion identify Bottleneck's weight files.
// Version 2 added the optimizer's state (Snapshot.Optimizer); a version 1
// file, which has none, is still read, and its run continues with a fresh
// optimizer.
const (
	SnapshotFormat  = "bottleneck-snapshot"
	SnapshotVersion = 2
	// MaxSnapshotBytes bounds an imported file. The largest network,
	// 1024-16-1024, writes about 1.5 MB of JSON.
	MaxSnapshotBytes = 8 << 20
)

// Snapshot is the JSON form of a trained network: its config (as the URL
// fragment), step, metrics, every parameter and, from version 2, the
// optimizer's state, with which an imported run goes on exactly as the
// exported one would have. Without it (a version 1 file) an imported
// network continues with fresh moments.
type Snapshot struct {
	Format  string      `json:"format"`
	Version int         `json:"version"`
	Config  string      `json:"config"`
	Step    int         `json:"step"`
	Metrics SnapMetrics `json:"metrics"`
	W1      [][]float64 `json:"w1,omitempty"` // K rows of N (absent when k = 0)
	B1      []float64   `json:"b1,omitempty"` // K
	W2      [][]float64 `json:"w2"`           // N rows of K (of N when k = 0)
	B2      []float64   `json:"b2"`           // N
	// Optimizer is the optimizer's state at Step (version 2; nil: none).
	Optimizer *SnapOptimizer `json:"optimizer,omitempty"`
}

// SnapOptimizer is a snapshot's optimizer state: what the optimizer of the
// config keeps between steps, parameter by parameter in the shapes of the
// weights (SnapParams). Kind is the config's optimizer; sgd keeps nothing,
// momentum a Velocity, adam its moments M and V and the powers Beta1Power
// (β1^t) and Beta2Power (β2^t) for its t updates so far. A field the kind
// does not keep must be absent.
type SnapOptimizer struct {
	Kind       OptimizerKind `json:"kind"`
	Beta1Power *float64      `json:"beta1Power,omitempty"`
	Beta2Power *float64      `json:"beta2Power,omitempty"`
	Velocity   *SnapParams   `json:"velocity,omitempty"`
	M          *SnapParams   `json:"m,omitempty"`
	V          *SnapParams   `json:"v,omitempty"`
}

// SnapParams holds one value per parameter, in the shapes of a Snapshot's
// weights: W1 K rows of N and B1 K values (both absent when k = 0), W2 N
// rows of K (of N when k = 0) and B2 N values.
type SnapParams struct {
	W1 [][]float64 `json:"w1,omitempty"`
	B1 []float64   `json:"b1,omitempty"`
	W2 [][]float64 `json:"w2"`
	B2 []float64   `json:"b2"`
}

// SnapMetrics is the subset of Metrics a snapshot records for the reader's
// information; they are recomputed on import.
type SnapMetrics struct {
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
	SolvedAt int     `json:"solvedAt"`
}

// MarshalSnapshot returns the trainer's network as indented JSON. It fails if
// the training has diverged (JSON cannot hold NaN).
func (t *Trainer) MarshalSnapshot() ([]byte, error) {
	if t.diverged != "" {
		return nil, fmt.Errorf("cannot export a diverged network (%s); reset it first", t.diverged)
	}
	net := t.net
	rows := func(d interface {
		Dims() (int, int)
		At(int, int) float64
	}) [][]float64 {
		r, c := d.Dims()
		out := make([][]float64, r)
		for i := range out {
			out[i] = make([]float64, c)
			for j := range out[i] {
				out[i][j] = d.At(i, j)
			}
		}
		return out
	}
	s := Snapshot{
		Format: SnapshotFormat, Version: SnapshotVersion,
		Config: t.cfg.Encode(), Step: t.metrics.Step,
		Metrics: SnapMetrics{Loss: t.metrics.Loss, Accuracy: t.metrics.Accuracy, SolvedAt: t.metrics.SolvedAt},
		W2:      rows(net.W2), B2: append([]float64(nil), net.B2.RawVector().Data...),
	}
	if net.K > 0 {
		s.W1 = rows(net.W1)
		s.B1 = append([]float64(nil), net.B1.RawVector().Data...)
	}
	s.Optimizer = snapOptimizer(&t.cfg, t.OptimizerState())
	return json.MarshalIndent(s, "", " ")
}

// snapOptimizer returns the SnapOptimizer of flat, a state that
// OptimizerState returned for a network of c.
func snapOptimizer(c *Config, flat []float64) *SnapOptimizer {
	o := &SnapOptimizer{Kind: c.Optimizer}
	params := func(flat []float64) *SnapParams {
		rows := func(r, cols int) [][]float64 {
			out := make([][]float64, r)
			for i := range out {
				out[i], flat = append([]float64(nil), flat[:cols]...), flat[cols:]
			}
			return out
		}
		p := &SnapParams{}
		if c.K > 0 {
			p.W1 = rows(c.K, c.N)
			p.B1, flat = append([]float64(nil), flat[:c.K]...), flat[c.K:]
			p.W2 = rows(c.N, c.K)
		} else {
			p.W2 = rows(c.N, c.N)
		}
		p.B2 = append([]float64(nil), flat[:c.N]...)
		return p
	}
	switch c.Optimizer {
	case OptMomentum:
		o.Velocity = params(flat)
	case OptAdam:
		b1t, b2t := flat[0], flat[1]
		o.Beta1Power, o.Beta2Power = &b1t, &b2t
		p := (len(flat) - 2) / 2
		o.M, o.V = params(flat[2:2+p]), params(flat[2+p:])
	}
	return o
}

// flat returns o as the flat state of a network of c (OptimizerState's
// form), or why it cannot be c's: another optimizer kind, a field the kind
// does not keep or one it needs missing, or shapes that disagree with the
// config. The values themselves are checked by SetOptimizerState.
func (o *SnapOptimizer) flat(c *Config) ([]float64, error) {
	if o.Kind != c.Optimizer {
		return nil, snapErr("its optimizer state is %s's, but the config trains with %s", Clip(string(o.Kind)), c.Optimizer)
	}
	present := map[string]bool{"beta1Power": o.Beta1Power != nil, "beta2Power": o.Beta2Power != nil,
		"velocity": o.Velocity != nil, "m": o.M != nil, "v": o.V != nil}
	keeps := map[OptimizerKind][]string{OptMomentum: {"velocity"}, OptAdam: {"beta1Power", "beta2Power", "m", "v"}}[c.Optimizer]
	for _, f := range []string{"beta1Power", "beta2Power", "velocity", "m", "v"} {
		need := slices.Contains(keeps, f)
		if need && !present[f] {
			return nil, snapErr("its optimizer state has no %s, which %s keeps", f, c.Optimizer)
		}
		if !need && present[f] {
			return nil, snapErr("its optimizer state has %s, which %s does not keep", f, c.Optimizer)
		}
	}
	flat := make([]float64, 0, OptimizerStateLen(c))
	add := func(name string, p *SnapParams) error {
		width := c.K
		if c.K == 0 {
			width = c.N
			if p.W1 != nil || p.B1 != nil {
				return snapErr("optimizer.%s: w1 and b1 must be absent for the direct network (k=0)", name)
			}
		} else {
			if err := checkMatrix("optimizer."+name+".w1", p.W1, c.K, c.N); err != nil {
				return err
			}
			if err := checkVector("optimizer."+name+".b1", p.B1, c.K, true); err != nil {
				return err
			}
			for _, r := range p.W1 {
				flat = append(flat, r...)
			}
			flat = append(flat, p.B1...)
		}
		if err := checkMatrix("optimizer."+name+".w2", p.W2, c.N, width); err != nil {
			return err
		}
		if err := checkVector("optimizer."+name+".b2", p.B2, c.N, true); err != nil {
			return err
		}
		for _, r := range p.W2 {
			flat = append(flat, r...)
		}
		flat = append(flat, p.B2...)
		return nil
	}
	var err error
	switch c.Optimizer {
	case OptMomentum:
		err = add("velocity", o.Velocity)
	case OptAdam:
		flat = append(flat, *o.Beta1Power, *o.Beta2Power)
		if err = add("m", o.M); err == nil {
			err = add("v", o.V)
		}
	}
	return flat, err
}

// ErrSnapshot wraps every reason a snapshot is refused.
var ErrSnapshot = errors.New("not a usable Bottleneck snapshot")

func snapErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSnapshot, fmt.Sprintf(format, args...))
}

// LoadSnapshot returns a trainer holding the snapshot's config and weights at
// its step, with its optimizer state when it has one (version 2), or an
// error wrapping ErrSnapshot that says what is wrong: not JSON, another
// format or version, a bad config, shapes that disagree with the config, a
// non-finite number, a disabled bias that is not zero, or an optimizer
// state of another optimizer, of the wrong shape or with a value it cannot
// hold (see Trainer.SetOptimizerState). It never panics.
func LoadSnapshot(data []byte) (*Trainer, error) {
	if len(data) > MaxSnapshotBytes {
		return nil, snapErr("the file has %d bytes; at most %d are accepted", len(data), MaxSnapshotBytes)
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, snapErr("it is not valid snapshot JSON (%v)", err)
	}
	return s.Trainer()
}

// Trainer returns a trainer holding the snapshot's config and weights at its
// step, with its optimizer state when it has one (a fresh optimizer
// otherwise), or an error wrapping ErrSnapshot that says what is wrong, as
// LoadSnapshot does after reading the JSON. The training engine imports
// weights through it without any JSON, so that its program carries no
// encoding/json. s is not modified.
func (s *Snapshot) Trainer() (*Trainer, error) {
	if s.Format != SnapshotFormat {
		return nil, snapErr("format is %q; expected %q", Clip(s.Format), SnapshotFormat)
	}
	if s.Version < 1 || s.Version > SnapshotVersion {
		return nil, snapErr("version %d is not supported; this Bottleneck reads versions 1 to %d", s.Version, SnapshotVersion)
	}
	if s.Version == 1 && s.Optimizer != nil {
		return nil, snapErr("a version 1 snapshot has no optimizer state; one that has it must say version 2")
	}
	cfg, err := ParseFragment(s.Config)
	if err != nil {
		return nil, snapErr("its config is invalid: %v", err)
	}
	if s.Step < 0 {
		return nil, snapErr("step %d is negative", s.Step)
	}
	width := cfg.K
	if cfg.K == 0 {
		width = cfg.N
		if s.W1 != nil || s.B1 != nil {
			return nil, snapErr("w1 and b1 must be absent for the direct network (k=0)")
		}
	}
	if err := checkMatrix("w2", s.W2, cfg.N, width); err != nil {
		return nil, err
	}
	if err := checkVector("b2", s.B2, cfg.N, cfg.OutputBias); err != nil {
		return nil, err
	}
	t, _ := NewTrainer(cfg) // cfg is valid: ParseFragment validated it
	net := t.net
	if cfg.K > 0 {
		if err := checkMatrix("w1", s.W1, cfg.K, cfg.N); err != nil {
			return nil, err
		}
		if err := checkVector("b1", s.B1, cfg.K, cfg.HiddenBias); err != nil {
			return nil, err
		}
		for i, row := range s.W1 {
			net.W1.SetRow(i, row)
		}
		copy(net.B1.RawVector().Data, s.B1)
	}
	for i, row := range s.W2 {
		net.W2.SetRow(i, row)
	}
	copy(net.B2.RawVector().Data, s.B2)
	if s.Optimizer != nil {
		flat, err := s.Optimizer.flat(&cfg)
		if err != nil {
			return nil, err
		}
		if err := t.SetOptimizerState(flat); err != nil {
			return nil, snapErr("its optimizer state is unusable: %v", err)
		}
	}
	t.metrics.Step = s.Step
	t.Refresh()
	if t.metrics.SolvedAt == s.Step && s.Metrics.SolvedAt >= 0 && s.Metrics.SolvedAt <= s.Step {
		t.metrics.SolvedAt = s.Metrics.SolvedAt
	}
	if t.diverged != "" {
		return nil, snapErr("its weights overflow: %s", t.diverged)
	}
	return t, nil
}

func checkMatrix(name string, m [][]float64, rows, cols int) error {
	if len(m) != rows {
		return snapErr("%s has %d rows; the config needs %d", name, len(m), rows)
	}
	for i, r := range m {
		if len(r) != cols {
			return snapErr("%s row %d has %d values; the config needs %d", name, i+1, len(r), cols)
		}
		for j, v := range r {
			if !isFinite(v) {
				return snapErr("%s[%d][%d] is not a finite number", name, i+1, j+1)
			}
		}
	}
	return nil
}

func checkVector(name string, v []float64, n int, enabled bool) error {
	if len(v) != n {
		return snapErr("%s has %d values; the config needs %d", name, len(v), n)
	}
	for i, x := range v {
		if !isFinite(x) {
			return snapErr("%s[%d] is not a finite number", name, i+1)
		}
		if !enabled && x != 0 {
			return snapErr("%s[%d] is %g but that bias is off in the config", name, i+1, x)
		}
	}
	return nil
}

// Layer names a parameter block of the network.
type Layer int

// The parameter blocks.
const (
	LayerW1 Layer = iota // K x N input-to-hidden weights
	LayerB1              // K hidden biases (row 0)
	LayerW2              // N x K hidden-to-output weights (N x N when K = 0)
	LayerB2              // N output biases (row 0)
)

// SetWeight sets one parameter (row r and column col of layer l; for a bias, r
// is the unit and col is ignored) and re-evaluates the network, keeping the step count and
// optimizer state. It refuses a non-finite value, an index out of range and a
// bias that is switched off.
func (t *Trainer) SetWeight(l Layer, r, col int, v float64) error {
	if !isFinite(v) || math.Abs(v) > 1e6 {
		return fmt.Errorf("weight %v refused: it must be a finite number of magnitude at most 1e6", v)
	}
	net := t.net
	in := func(i, n int) bool { return i >= 0 && i < n }
	switch {
	case l == LayerW1 && net.K > 0 && in(r, net.K) && in(col, net.N):
		net.W1.Set(r, col, v)
	case l == LayerB1 && net.K > 0 && net.HiddenBias && in(r, net.K):
		net.B1.SetVec(r, v)
	case l == LayerW2 && in(r, net.N) && in(col, net.hiddenWidth()):
		net.W2.Set(r, col, v)
	case l == LayerB2 && net.OutputBias && in(r, net.N):
		net.B2.SetVec(r, v)
	default:
		return fmt.Errorf("no such parameter: layer %d, row %d, column %d", l, r, col)
	}
	t.Refresh()
	return nil
}
