package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// SnapshotFormat and SnapshotVersion identify Bottleneck's weight files.
const (
	SnapshotFormat  = "bottleneck-snapshot"
	SnapshotVersion = 1
	// MaxSnapshotBytes bounds an imported file. The largest network,
	// 1024-16-1024, writes about 1.5 MB of JSON.
	MaxSnapshotBytes = 8 << 20
)

// Snapshot is the JSON form of a trained network: its config (as the URL
// fragment), step, metrics and every parameter. Optimizer state is not saved:
// an imported network continues with fresh moments.
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
	return json.MarshalIndent(s, "", " ")
}

// ErrSnapshot wraps every reason a snapshot is refused.
var ErrSnapshot = errors.New("not a usable Bottleneck snapshot")

func snapErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSnapshot, fmt.Sprintf(format, args...))
}

// LoadSnapshot returns a trainer holding the snapshot's config and weights at
// its step, or an error wrapping ErrSnapshot that says what is wrong: not
// JSON, another format or version, a bad config, shapes that disagree with the
// config, a non-finite number, or a disabled bias that is not zero. It never
// panics.
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
// step, or an error wrapping ErrSnapshot that says what is wrong, as
// LoadSnapshot does after reading the JSON. The training engine imports
// weights through it without any JSON, so that its program carries no
// encoding/json. s is not modified.
func (s *Snapshot) Trainer() (*Trainer, error) {
	if s.Format != SnapshotFormat {
		return nil, snapErr("format is %q; expected %q", Clip(s.Format), SnapshotFormat)
	}
	if s.Version != SnapshotVersion {
		return nil, snapErr("version %d is not supported; this Bottleneck reads version %d", s.Version, SnapshotVersion)
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
