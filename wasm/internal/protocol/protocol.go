// Package protocol is the versioned message protocol between a page and a
// training engine running in a Web Worker (wasm/worker): the messages, their
// checks and their wire form. It imports neither syscall/js nor ebiten, so it
// is tested natively and under Node; the programs on either side only move a
// Frame across postMessage.
//
// A Frame is what crosses: a small JSON head, {"v":1,"type":"state",...},
// and the network's parameters as a []float64, which the JavaScript side
// posts as a transferred Float64Array (see Float64Bytes), so weights are
// never turned into text.
//
// The page drives two kinds of work:
//   - the playground: Config, Reset, Step, Pause, Run (with a rate in steps
//     per second), Import and SetWeight, answered by State messages carrying
//     the config, the step, the metrics and every weight. Link starts a run
//     from the page's own URL fragment: the page sends it before its Go
//     program has loaded (engine-start.js), when it cannot encode a Config. At most one State is in flight:
//     the engine sends the next only after the page's Ack of the last, so
//     nothing queues up when the page draws slower than the engine trains.
//   - a picture: Draw asks for the playground network as an SVG document
//     (wasm/figure.NetworkIn, in the light or, with Dark, the dark theme),
//     answered by one Figure. The page asks for it
//     while its own Go program, which draws the network live, is still
//     loading (engine-start.js), so that a first visit sees the network
//     training long before the canvas can draw it.
//   - a save: Save asks for the playground run as it is now, answered by
//     one Saved: an Import's fields (config, step, solved step, weights,
//     chart) and the optimizer's state (core.Trainer.OptimizerState), which
//     the State messages leave out. An Import that carries it back goes on
//     exactly as the saved run would have (an export, a run kept across a
//     reload).
//   - a capacity sweep: Job asks to train one seed of one point (a config and
//     a step budget, see core.SweepJobs), answered by JobProgress now and then
//     and by one JobDone with the seed's outcome; Cancel drops it.
//
// Decode refuses a malformed frame (bad JSON, an unknown type or version, a
// missing or out-of-range field, weights of the wrong count or not finite)
// with an error saying why; it never panics.
package protocol

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/history"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
)

// Version is the protocol version this package speaks. A frame of any other
// version is refused: page and engine come from one build, so a mismatch
// means a stale cached file, and guessing would be worse than saying so.
const Version = 1

// Limits of a frame.
const (
	// MaxHeadBytes bounds a frame's JSON head; the longest legal head holds a
	// config fragment (core.MaxFragmentLen) and a few numbers.
	MaxHeadBytes = core.MaxFragmentLen + 4096
	// MaxSteps bounds a Step command.
	MaxSteps = 1_000_000
	// MaxRate bounds Run's rate in steps per second; 0 means as fast as it
	// goes.
	MaxRate = 1e9
	// MaxFigureBytes bounds a Figure's SVG: the largest network,
	// 1024-16-1024, draws about 6.5 MB.
	MaxFigureBytes = 16 << 20
	// MaxChartFloats bounds a State's Chart: two series of
	// history.DefaultCapacity points.
	MaxChartFloats = history.MaxChartsFloats
)

// Type names a message.
type Type string

// The messages from the page to the engine.
const (
	TypeConfig    Type = "config"    // Config: start over with this config, at step 0
	TypeReset     Type = "reset"     // the same config from its initial weights
	TypeStep      Type = "step"      // Steps more steps, then pause
	TypePause     Type = "pause"     // stop training
	TypeRun       Type = "run"       // train at Rate steps per second, 0 = as fast as it goes
	TypeImport    Type = "import"    // Config, Step and Weights: continue from these weights
	TypeSetWeight Type = "setWeight" // Edit: change one weight
	TypeAck       Type = "ack"       // the page has taken State Seq
	TypeJob       Type = "job"       // Job, Config, Budget: train one seed of a sweep
	TypeCancel    Type = "cancel"    // Job: drop this job (0: whatever job is running)
	// Link: Config holds the page's URL fragment as it is, page keys and
	// all; the engine runs the config it names at the page's default speed
	// (link.Config), or refuses a link that needs the page to read it.
	TypeLink Type = "link"
	TypeDraw Type = "draw" // Dark: the playground network as it is now, as an SVG document (a Figure)
	TypeSave Type = "save" // Seq: the playground run as it is now, with its optimizer's state (a Saved)
)

// The messages from the engine to the page.
const (
	TypeReady       Type = "ready"       // the engine is up and takes commands
	TypeState       Type = "state"       // Seq, Commands, Config, Running, Step, Metrics, Diverged, Weights
	TypeJobProgress Type = "jobProgress" // Job, Step: a job's steps so far
	TypeJobDone     Type = "jobDone"     // Job, Outcome
	TypeRefused     Type = "refused"     // Reason: a frame the engine would not take
	TypeFault       Type = "fault"       // Reason: the engine failed and must be restarted
	TypeFigure      Type = "figure"      // Config, Step, Figure: the answer to a Draw
	TypeSaved       Type = "saved"       // Seq, Config, Step, SolvedAt, Diverged, Weights, Optimizer, Chart: the answer to Save Seq
)

var types = map[Type]bool{
	TypeConfig: true, TypeReset: true, TypeStep: true, TypePause: true, TypeRun: true,
	TypeImport: true, TypeSetWeight: true, TypeAck: true, TypeJob: true, TypeCancel: true, TypeLink: true,
	TypeDraw: true, TypeReady: true, TypeState: true, TypeJobProgress: true, TypeJobDone: true, TypeRefused: true,
	TypeFault: true, TypeFigure: true, TypeSave: true, TypeSaved: true,
}

// Edit is one weight set by hand: row Row and column Col of Layer (for a
// bias, Row is the unit and Col is 0), as core.Trainer.SetWeight takes it.
type Edit struct {
	Layer core.Layer `json:"layer"`
	Row   int        `json:"row"`
	Col   int        `json:"col"`
	Value float64    `json:"value"`
}

// Message is any message; Type says which fields it uses (see the Type
// constants). Config is a core URL fragment (core.Config.Encode), except in
// a Link, where it is the page's whole fragment. Weights
// hold every parameter in the order of WeightCount: W1 row by row (K x N),
// B1 (K), W2 row by row (N x K, or N x N when K = 0), B2 (N), with W1 and B1
// absent when K = 0; a disabled bias is there as zeros.
type Message struct {
	Type   Type
	Seq    int     // State and Ack: the state's number, from 1; Save and Saved: the request's number, from 1
	Config string  // Config, Import, Job, State and Figure (the network's config), Link (a page's fragment)
	Steps  int     // Step: 1..MaxSteps
	Rate   float64 // Run: 0..MaxRate
	Edit   Edit    // SetWeight
	Job    int     // Job, JobProgress, JobDone, Cancel: the job's id, from 1
	Budget int     // Job: 1..core.MaxCapacityBudget
	Step   int     // Import, State, JobProgress, Figure, Saved: the training step
	// SolvedAt is, in an Import, the step at which the run was first
	// solved (core.Metrics.SolvedAt), or -1 when it was not or is not
	// known, as a snapshot file records it: the weights alone cannot tell.
	// An Import frame without it means -1. A Saved gives it too.
	SolvedAt int
	Running  bool // State: whether the engine trains on its own or has Step commands left
	// Commands is, in a State, how many playground commands (Config, Reset,
	// Step, Pause, Run, Import, SetWeight, Link) the engine had taken when it made
	// the state: the page counts the commands it sends and knows a state made
	// before its latest command as stale.
	Commands int
	Metrics  core.Metrics
	Diverged string // State: why training diverged, or ""
	Memory   int    // State: the engine's wasm memory in bytes, 0 if unknown
	// Status is, in a State, the status line's texts for Metrics, which
	// the page shows before its own Go program has loaded (engine-start.js
	// writes them as they are, formatting nothing). A State may leave it
	// out.
	Status  *statusline.Line
	Outcome core.SeedOutcome // JobDone
	Dark    bool             // Draw: in the page's dark theme (figure.Dark), not the light one
	Reason  string           // Refused, Fault
	Weights []float64        // Import, State, Saved
	// Optimizer is, in a Saved, the optimizer's state at Step in
	// core.Trainer.OptimizerState's flat form (none for sgd), and in an
	// Import the state to go on with (core.Trainer.SetOptimizerState); an
	// Import without it starts the optimizer afresh.
	Optimizer []float64
	// Chart is, in a State, the run's loss and accuracy at every step the
	// engine trained since the run began: two history.Series (loss, then
	// accuracy) as history.Series.AppendFloats writes them, for the page's
	// charts. The page samples a state per drawn frame; the engine sees
	// every step, and has seen the steps before the page's canvas joined.
	// In an Import it is the chart to go on from (a run moved to a new
	// engine), ending at the import's step at the latest. Either may leave
	// it out.
	Chart []float64
	// Figure is a Figure's SVG document. It travels beside the head, as
	// Frame.Figure, not inside its JSON: a large network's picture is
	// megabytes of text that would only be escaped and parsed again.
	Figure string
}

// Frame is a message's wire form: Head is JSON text and Weights the
// parameters, posted as a transferred Float64Array, followed by the
// Optimizer state of an Import or a Saved (the head's "opt" says how many
// floats), then by the Chart of a State, an Import or a Saved (the head's "chart" says how many of the floats are the chart's:
// one buffer to transfer, not two); Figure is a Figure's SVG text, posted as
// a string.
type Frame struct {
	Head    string
	Weights []float64
	Figure  string
}

// head is the JSON of a frame. Floats that may be NaN or infinite (metrics
// after divergence) travel as num. head.go writes and reads it by hand; the
// tags state its form, which the tests check against encoding/json.
type head struct {
	V        int              `json:"v"`
	Type     Type             `json:"type"`
	Seq      int              `json:"seq,omitempty"`
	Config   string           `json:"config,omitempty"`
	Steps    int              `json:"steps,omitempty"`
	Rate     float64          `json:"rate,omitempty"`
	Edit     *Edit            `json:"edit,omitempty"`
	Job      int              `json:"job,omitempty"`
	Budget   int              `json:"budget,omitempty"`
	Step     int              `json:"step,omitempty"`
	Running  bool             `json:"running,omitempty"`
	Commands int              `json:"cmds,omitempty"`
	Metrics  *metrics         `json:"metrics,omitempty"`
	Diverged string           `json:"diverged,omitempty"`
	Outcome  *outcome         `json:"outcome,omitempty"`
	Reason   string           `json:"reason,omitempty"`
	Memory   int              `json:"mem,omitempty"`
	Dark     bool             `json:"dark,omitempty"`
	Chart    int              `json:"chart,omitempty"` // the floats at the end of Frame.Weights that are the Chart
	SolvedAt *int             `json:"solvedAt,omitempty"`
	Opt      int              `json:"opt,omitempty"` // the floats of Frame.Weights, before the Chart's, that are the Optimizer state
	Status   *statusline.Line `json:"status,omitempty"`
}

type metrics struct {
	Step         int `json:"step"`
	Loss         num `json:"loss"`
	Correct      int `json:"correct"`
	Pairs        int `json:"pairs"`
	Accuracy     num `json:"accuracy"`
	MinMargin    num `json:"minMargin"`
	MaxAbsWeight num `json:"maxAbsWeight"`
	SolvedAt     int `json:"solvedAt"`
}

type outcome struct {
	Seed         uint64 `json:"seed"`
	Solved       bool   `json:"solved"`
	Steps        int    `json:"steps"`
	Correct      int    `json:"correct"`
	Pairs        int    `json:"pairs"`
	Accuracy     num    `json:"accuracy"`
	MaxAbsWeight num    `json:"maxAbsWeight"`
	Diverged     string `json:"diverged,omitempty"`
}

// num is a float64 whose JSON is a number, or "NaN", "+Inf" or "-Inf"
// (head.go writes and reads it).
type num float64

// Encode returns m's frame, or why m is not a valid message (Encode checks
// what Decode checks, so a frame it makes is always taken).
func Encode(m Message) (Frame, error) {
	if err := m.Check(); err != nil {
		return Frame{}, err
	}
	h := head{V: Version, Type: m.Type, Seq: m.Seq, Config: m.Config, Steps: m.Steps, Rate: m.Rate,
		Job: m.Job, Budget: m.Budget, Step: m.Step, Running: m.Running, Commands: m.Commands, Diverged: m.Diverged, Reason: m.Reason, Memory: m.Memory, Dark: m.Dark,
		Status: m.Status}
	switch m.Type {
	case TypeSetWeight:
		e := m.Edit
		h.Edit = &e
	case TypeImport, TypeSaved:
		solved := m.SolvedAt
		h.SolvedAt = &solved
	case TypeState:
		mt := m.Metrics
		h.Metrics = &metrics{mt.Step, num(mt.Loss), mt.Correct, mt.Pairs, num(mt.Accuracy), num(mt.MinMargin), num(mt.MaxAbsWeight), mt.SolvedAt}
	case TypeJobDone:
		o := m.Outcome
		h.Outcome = &outcome{o.Seed, o.Solved, o.Steps, o.Correct, o.Pairs, num(o.Accuracy), num(o.MaxAbsWeight), o.Diverged}
	}
	floats := m.Weights
	if len(m.Chart) > 0 || len(m.Optimizer) > 0 {
		h.Chart, h.Opt = len(m.Chart), len(m.Optimizer)
		floats = append(append(slices.Clip(m.Weights), m.Optimizer...), m.Chart...) // a copy: m.Weights is not changed
	}
	b, err := writeHead(&h)
	if err != nil {
		return Frame{}, fmt.Errorf("protocol: %s: %w", m.Type, err)
	}
	return Frame{Head: string(b), Weights: floats, Figure: m.Figure}, nil
}

// Decode returns the message of f, or why f is refused. It never panics.
func Decode(f Frame) (Message, error) {
	if len(f.Head) > MaxHeadBytes {
		return Message{}, fmt.Errorf("protocol: a head of %d bytes is over the limit of %d", len(f.Head), MaxHeadBytes)
	}
	var h head
	if err := readHead(f.Head, &h); err == errTextAfter {
		return Message{}, errors.New("protocol: the head has text after its JSON object")
	} else if err != nil {
		return Message{}, fmt.Errorf("protocol: the head is not a message: %v", err)
	}
	if h.V != Version {
		return Message{}, fmt.Errorf("protocol: version %d is not spoken here (this side speaks version %d; reload the page)", h.V, Version)
	}
	if h.Chart < 0 || h.Chart > len(f.Weights) {
		return Message{}, fmt.Errorf("protocol: a chart of %d floats, but the frame has %d", h.Chart, len(f.Weights))
	}
	weights, chart := f.Weights[:len(f.Weights)-h.Chart], f.Weights[len(f.Weights)-h.Chart:]
	if h.Opt < 0 || h.Opt > len(weights) {
		return Message{}, fmt.Errorf("protocol: an optimizer state of %d floats, but the frame has %d before its chart", h.Opt, len(weights))
	}
	weights, opt := weights[:len(weights)-h.Opt], weights[len(weights)-h.Opt:]
	if len(weights) == 0 {
		weights = nil
	}
	if len(chart) == 0 {
		chart = nil
	}
	if len(opt) == 0 {
		opt = nil
	}
	m := Message{Type: h.Type, Seq: h.Seq, Config: h.Config, Steps: h.Steps, Rate: h.Rate, Job: h.Job,
		Budget: h.Budget, Step: h.Step, Running: h.Running, Commands: h.Commands, Diverged: h.Diverged, Reason: h.Reason, Memory: h.Memory,
		Weights: weights, Chart: chart, Figure: f.Figure, Dark: h.Dark, Optimizer: opt, Status: h.Status}
	if h.Edit != nil {
		m.Edit = *h.Edit
	}
	switch {
	case h.SolvedAt != nil:
		m.SolvedAt = *h.SolvedAt
	case m.Type == TypeImport || m.Type == TypeSaved:
		m.SolvedAt = -1
	}
	if mt := h.Metrics; mt != nil {
		m.Metrics = core.Metrics{Step: mt.Step, Loss: float64(mt.Loss), Correct: mt.Correct, Pairs: mt.Pairs,
			Accuracy: float64(mt.Accuracy), MinMargin: float64(mt.MinMargin), MaxAbsWeight: float64(mt.MaxAbsWeight), SolvedAt: mt.SolvedAt}
	}
	if o := h.Outcome; o != nil {
		m.Outcome = core.SeedOutcome{Seed: o.Seed, Solved: o.Solved, Steps: o.Steps, Correct: o.Correct, Pairs: o.Pairs,
			Accuracy: float64(o.Accuracy), MaxAbsWeight: float64(o.MaxAbsWeight), Diverged: o.Diverged}
	}
	needs := map[Type]bool{TypeSetWeight: h.Edit != nil, TypeState: h.Metrics != nil, TypeJobDone: h.Outcome != nil}
	if ok, listed := needs[m.Type]; listed && !ok {
		return Message{}, fmt.Errorf("protocol: a %s message without its %s", m.Type, map[Type]string{TypeSetWeight: "edit", TypeState: "metrics", TypeJobDone: "outcome"}[m.Type])
	}
	if err := m.Check(); err != nil {
		return Message{}, err
	}
	return m, nil
}

// Check returns why m is not a valid message, or nil. It parses m.Config
// (see ConfigOf) where the type has one.
func (m *Message) Check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("protocol: %s: %s", m.Type, fmt.Sprintf(format, args...))
	}
	if !types[m.Type] {
		return fmt.Errorf("protocol: unknown message type %q", core.Clip(string(m.Type)))
	}
	wantsWeights := m.Type == TypeImport || m.Type == TypeState || m.Type == TypeSaved
	if m.Status != nil && m.Type != TypeState {
		return fmt.Errorf("protocol: a status line in a %s message; only a state carries one", m.Type)
	}
	if m.Memory < 0 || m.Memory != 0 && m.Type != TypeState {
		return bad("memory %d bytes: only a state gives its engine's memory, 0 or more", m.Memory)
	}
	if !wantsWeights && len(m.Weights) > 0 {
		return bad("carries %d weights but takes none", len(m.Weights))
	}
	if m.Type != TypeFigure && m.Figure != "" {
		return bad("carries a figure but takes none")
	}
	if len(m.Chart) > 0 {
		if err := checkChart(m.Type, m.Chart); err != nil {
			return bad("%v", err)
		}
	}
	if m.Dark && m.Type != TypeDraw {
		return bad("only a draw has a theme")
	}
	if m.SolvedAt != 0 && m.Type != TypeImport && m.Type != TypeSaved {
		return bad("only an import gives the step its run was solved at (and a saved run)")
	}
	if len(m.Optimizer) > 0 && m.Type != TypeImport && m.Type != TypeSaved {
		return bad("carries an optimizer state but takes none")
	}
	switch m.Type {
	case TypeConfig, TypeJob, TypeImport, TypeSaved:
		cfg, err := ConfigOf(m.Config)
		if err != nil {
			return bad("%v", err)
		}
		switch m.Type {
		case TypeJob:
			if m.Job < 1 {
				return bad("job id %d, want 1 or more", m.Job)
			}
			if m.Budget < 1 || m.Budget > core.MaxCapacityBudget {
				return bad("budget %d, want 1 to %d steps", m.Budget, core.MaxCapacityBudget)
			}
		case TypeImport, TypeSaved:
			if m.Type == TypeSaved && m.Seq < 1 {
				return bad("request number %d, want 1 or more", m.Seq)
			}
			if m.Step < 0 {
				return bad("step %d is negative", m.Step)
			}
			if m.SolvedAt < -1 || m.SolvedAt > m.Step {
				return bad("solved at step %d, want -1 (not solved) or a step up to %d", m.SolvedAt, m.Step)
			}
			// A saved run that diverged is shown as training made it.
			diverged := m.Type == TypeSaved && m.Diverged != ""
			if err := CheckWeights(cfg, m.Weights, diverged); err != nil {
				return bad("%v", err)
			}
			if err := CheckOptimizer(cfg, m.Optimizer, diverged); err != nil {
				return bad("%v", err)
			}
		}
	case TypeSave:
		if m.Seq < 1 {
			return bad("request number %d, want 1 or more", m.Seq)
		}
	case TypeLink:
		if len(m.Config) > core.MaxFragmentLen {
			return bad("a link of %d characters, over the limit of %d", len(m.Config), core.MaxFragmentLen)
		}
	case TypeStep:
		if m.Steps < 1 || m.Steps > MaxSteps {
			return bad("%d steps, want 1 to %d", m.Steps, MaxSteps)
		}
	case TypeRun:
		if !(m.Rate >= 0 && m.Rate <= MaxRate) {
			return bad("rate %v steps per second, want 0 (as fast as it goes) to %g", m.Rate, float64(MaxRate))
		}
	case TypeSetWeight:
		if math.IsNaN(m.Edit.Value) || math.IsInf(m.Edit.Value, 0) {
			return bad("weight %v is not a finite number", m.Edit.Value)
		}
		if m.Edit.Layer < core.LayerW1 || m.Edit.Layer > core.LayerB2 || m.Edit.Row < 0 || m.Edit.Col < 0 {
			return bad("no such parameter: layer %d, row %d, column %d", m.Edit.Layer, m.Edit.Row, m.Edit.Col)
		}
	case TypeAck, TypeState:
		if m.Seq < 1 {
			return bad("sequence number %d, want 1 or more", m.Seq)
		}
		if m.Commands < 0 {
			return bad("command count %d is negative", m.Commands)
		}
		if m.Type == TypeState && (m.Step < 0 || m.Metrics.Step != m.Step) {
			return bad("step %d but metrics of step %d", m.Step, m.Metrics.Step)
		}
		if m.Type == TypeState {
			cfg, err := ConfigOf(m.Config)
			if err != nil {
				return bad("%v", err)
			}
			if err := CheckWeights(cfg, m.Weights, true); err != nil {
				return bad("%v", err)
			}
		}
		if m.Type == TypeState && m.Diverged == "" {
			// Before divergence every weight is finite; after it the
			// page is shown what training made.
			if err := finite(m.Weights); err != nil {
				return bad("%v", err)
			}
		}
	case TypeJobProgress, TypeJobDone, TypeCancel:
		if m.Job < 1 && !(m.Type == TypeCancel && m.Job == 0) {
			return bad("job id %d, want 1 or more", m.Job)
		}
	case TypeRefused, TypeFault:
		if m.Reason == "" {
			return bad("no reason given")
		}
	case TypeFigure:
		if _, err := ConfigOf(m.Config); err != nil {
			return bad("%v", err)
		}
		if m.Step < 0 {
			return bad("step %d is negative", m.Step)
		}
		if len(m.Figure) > MaxFigureBytes {
			return bad("a figure of %d bytes, over the limit of %d", len(m.Figure), MaxFigureBytes)
		}
		if !strings.HasPrefix(m.Figure, "<?xml") && !strings.HasPrefix(m.Figure, "<svg") {
			return bad("the figure is not an SVG document")
		}
	}
	return nil
}

// checkChart returns why chart is not the Chart of a State or an Import,
// or nil.
func checkChart(t Type, chart []float64) error {
	if t != TypeState && t != TypeImport && t != TypeSaved {
		return errors.New("carries a chart but takes none")
	}
	return history.CheckChartsFloats(chart)
}

// ConfigOf parses a message's config fragment.
func ConfigOf(fragment string) (core.Config, error) {
	if fragment == "" {
		return core.Config{}, errors.New("no config")
	}
	return core.ParseFragment(fragment)
}

// WeightCount returns how many parameters a network of cfg has on the wire:
// K·N + K + N·K + N, or N·N + N when K = 0.
func WeightCount(cfg core.Config) int {
	if cfg.K == 0 {
		return cfg.N*cfg.N + cfg.N
	}
	return 2*cfg.K*cfg.N + cfg.K + cfg.N
}

// CheckWeights returns why w cannot be cfg's parameters: the wrong count, or
// (unless allowNonFinite) a NaN or infinite value. cfg must be valid.
func CheckWeights(cfg core.Config, w []float64, allowNonFinite bool) error {
	if want := WeightCount(cfg); len(w) != want {
		return fmt.Errorf("%d weights, but a %s network has %d", len(w), cfg.Shape(), want)
	}
	if allowNonFinite {
		return nil
	}
	return finite(w)
}

// CheckOptimizer returns why opt cannot be the optimizer state of a network
// of cfg on the wire: neither none (a fresh optimizer) nor
// core.OptimizerStateLen values, or (unless allowNonFinite) a NaN or
// infinite value. What the values mean core.Trainer.SetOptimizerState
// checks. cfg must be valid.
func CheckOptimizer(cfg core.Config, opt []float64, allowNonFinite bool) error {
	if want := core.OptimizerStateLen(&cfg); len(opt) != 0 && len(opt) != want {
		return fmt.Errorf("an optimizer state of %d values, but %s keeps %d for a %s network", len(opt), cfg.Optimizer, want, cfg.Shape())
	}
	if allowNonFinite {
		return nil
	}
	for i, x := range opt {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("optimizer value %d is %v, not a finite number", i, x)
		}
	}
	return nil
}

// Trainer returns the trainer that m, a checked Import or Saved, describes:
// its config, step, solved step and weights and, when m has one, its
// optimizer state, so that it trains on exactly as the run it came from; or
// an error wrapping core.ErrSnapshot that says why not (weights or an
// optimizer state that core refuses). It never panics.
func (m *Message) Trainer() (*core.Trainer, error) {
	cfg, err := ConfigOf(m.Config)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", core.ErrSnapshot, err)
	}
	if err := CheckWeights(cfg, m.Weights, false); err != nil {
		return nil, fmt.Errorf("%w: %v", core.ErrSnapshot, err)
	}
	s := Snapshot(cfg, m.Step, m.SolvedAt, m.Weights)
	tr, err := s.Trainer()
	if err != nil {
		return nil, err
	}
	if len(m.Optimizer) > 0 {
		if err := tr.SetOptimizerState(m.Optimizer); err != nil {
			return nil, fmt.Errorf("%w: its optimizer state is unusable: %v", core.ErrSnapshot, err)
		}
	}
	return tr, nil
}

func finite(w []float64) error {
	for i, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("weight %d is %v, not a finite number", i, x)
		}
	}
	return nil
}

// Weights returns net's parameters in wire order (see Message), in a new
// slice.
func Weights(net *core.Network) []float64 {
	w := make([]float64, 0, 2*net.K*net.N+net.K+net.N*max(net.K, net.N)+net.N)
	for _, ps := range net.Params() {
		w = append(w, ps...)
	}
	return w
}

// Snapshot returns the core.Snapshot of cfg at step with weights w in wire
// order, first solved at solvedAt (-1: not solved, or not known), whose
// Trainer method builds the network (the engine's Import), and which
// encoding/json writes as an exported file. cfg must be valid and w
// checked by CheckWeights; the snapshot's rows share w's memory.
func Snapshot(cfg core.Config, step, solvedAt int, w []float64) core.Snapshot {
	s := core.Snapshot{Format: core.SnapshotFormat, Version: core.SnapshotVersion, Config: cfg.Encode(), Step: step,
		Metrics: core.SnapMetrics{SolvedAt: solvedAt}}
	rows := func(w []float64, r, c int) [][]float64 {
		out := make([][]float64, r)
		for i := range out {
			out[i] = w[i*c : (i+1)*c]
		}
		return out
	}
	n, k := cfg.N, cfg.K
	if k > 0 {
		s.W1, w = rows(w, k, n), w[k*n:]
		s.B1, w = w[:k], w[k:]
		s.W2, w = rows(w, n, k), w[n*k:]
	} else {
		s.W2, w = rows(w, n, n), w[n*n:]
	}
	s.B2 = w[:n]
	return s
}
