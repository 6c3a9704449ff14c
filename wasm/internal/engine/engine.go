// Package engine is the training engine that runs in a Web Worker
// (wasm/worker): it takes protocol messages, trains a playground network or
// a sweep's seed job in slices of about SliceBudget, and says what it did in
// protocol messages. It imports neither syscall/js nor ebiten, so it is
// tested natively and under Node; the worker only moves frames and keeps
// time.
//
// Save answers with the playground run as it is, optimizer state included
// (a Saved), which an Import takes back to go on exactly.
//
// Draw answers with the playground network as an SVG document, drawn by
// the engine's Draw (the worker gives it wasm/figure.NetworkIn, as a saved
// figure is drawn, in the page's theme): the page shows it while its own
// drawing is still loading.
//
// The worker alternates: it hands every message that has arrived to Handle,
// sends the Outbox, and, while Wait says there is training to do now, runs
// one Slice and returns to its message loop. A command therefore takes
// effect before the next slice starts.
package engine

import (
	"fmt"
	"math"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/history"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
)

// SliceBudget is the training time of one slice: short enough that a
// command waits at most about this long, long enough that the message loop
// costs nothing in comparison. A step longer than this makes a slice of one
// step.
const SliceBudget = 10 * time.Millisecond

// ProgressEvery is how often a running job reports its step.
const ProgressEvery = 250 * time.Millisecond

// maxLag bounds how far a paced run may fall behind its rate before it stops
// catching up: a slow step must not be followed by a burst.
const maxLag = 100 * time.Millisecond

// Engine is the engine's state. The zero value is not ready: use New. An
// Engine is not safe for concurrent use.
type Engine struct {
	// Draw draws a network of config cfg at a step as an SVG document, in
	// the dark theme or the light one, for a Draw message; without it a
	// Draw is refused. The worker sets it to figure.NetworkIn. It is a
	// field, not an import: figure draws with wasm/internal/play, whose
	// tests run this engine, and the import would make a cycle; this
	// package stays about training.
	Draw func(net *core.Network, cfg core.Config, step int, dark bool) []byte

	now    func() time.Time
	slicer Slicer
	out    []protocol.Message

	// The playground network, nil before the first Config, Import or Link,
	// and its config as the protocol carries it.
	tr      *core.Trainer
	config  string
	running bool      // Run: training on its own
	rate    float64   // Run's steps per second, 0 = as fast as it goes
	paceT   time.Time // when pacing started
	paceS   int       // the step pacing started at
	left    int       // steps a Step command still asks for
	seq     int       // the last State sent
	waiting bool      // a State is in flight: no other until its Ack
	dirty   bool      // something changed since the last State
	cmds    int       // playground commands taken (protocol.Message.Commands)

	// The playground run's loss and accuracy at every step trained since
	// it began (a State's Chart): the page sees only a state per frame.
	charts *history.Charts

	job *job // the seed job training, or nil
}

type job struct {
	id       int
	run      *core.SeedRun
	reported time.Time
}

// New returns an idle engine that reads the time from now, with a Ready
// message in its outbox.
func New(now func() time.Time) *Engine {
	e := &Engine{now: now, slicer: Slicer{Budget: SliceBudget}, charts: history.NewCharts()}
	e.send(protocol.Message{Type: protocol.TypeReady})
	return e
}

func (e *Engine) send(m protocol.Message) { e.out = append(e.out, m) }

// Refuse queues a Refused message with reason: for a frame that did not
// decode, and for a command that cannot apply.
func (e *Engine) Refuse(reason string, jobID int) {
	e.send(protocol.Message{Type: protocol.TypeRefused, Reason: reason, Job: jobID})
}

// Outbox returns the messages to send, oldest first, and empties it.
func (e *Engine) Outbox() []protocol.Message {
	out := e.out
	e.out = nil
	return out
}

// Handle applies one decoded message. A command that cannot apply (no network
// yet, a weight that does not exist, a second job) is refused with a reason;
// nothing panics.
func (e *Engine) Handle(m protocol.Message) {
	switch m.Type {
	case protocol.TypeConfig, protocol.TypeImport, protocol.TypeReset, protocol.TypeStep, protocol.TypePause, protocol.TypeRun, protocol.TypeSetWeight, protocol.TypeLink:
		// Counted whether or not it applies: the page counts what it sends.
		e.cmds++
		e.dirty = true
		// Even a refused command gets a state that counts it: now if the
		// engine is idle, else after the next slice, which then shows the
		// command and some training in one state (the page takes one state
		// per drawn frame, so this saves it a frame).
		defer func() {
			if e.Wait() != 0 {
				e.publish()
			}
		}()
	}
	switch m.Type {
	case protocol.TypeConfig:
		cfg, _ := protocol.ConfigOf(m.Config) // checked by Decode
		tr, err := core.NewTrainer(cfg)
		if err != nil {
			e.Refuse(err.Error(), 0)
			return
		}
		e.install(tr)
	case protocol.TypeLink:
		// The page's head start: its own Go program is still loading and
		// will take the run over (play.App.Adopt).
		cfg, err := link.Config(m.Config)
		var tr *core.Trainer
		if err == nil {
			tr, err = core.NewTrainer(cfg)
		}
		if err != nil {
			e.Refuse("link: "+err.Error(), 0)
			return
		}
		e.running, e.rate = true, link.DefaultRate
		e.install(tr)
	case protocol.TypeImport:
		// With an optimizer state (a saved run's) the run goes on exactly
		// as the saved one would have; a refused one leaves the run as it
		// was.
		tr, err := m.Trainer()
		if err != nil {
			e.Refuse("import: "+err.Error(), 0)
			return
		}
		e.install(tr)
		if len(m.Chart) > 0 {
			if err := e.continueChart(m.Chart); err != nil {
				e.Refuse("import: the chart is not taken, so it starts over: "+err.Error(), 0)
			}
		}
	case protocol.TypeReset, protocol.TypeStep, protocol.TypePause, protocol.TypeRun, protocol.TypeSetWeight:
		if e.tr == nil {
			e.Refuse(fmt.Sprintf("%s: there is no network yet; send a config first", m.Type), 0)
			return
		}
		e.command(m)
	case protocol.TypeAck:
		if !e.waiting || m.Seq != e.seq {
			e.Refuse(fmt.Sprintf("ack of state %d, but the state in flight is %d", m.Seq, e.inFlight()), 0)
			return
		}
		e.waiting = false
		e.publish()
	case protocol.TypeJob:
		if e.job != nil {
			e.Refuse(fmt.Sprintf("job %d refused: busy with job %d", m.Job, e.job.id), m.Job)
			return
		}
		cfg, _ := protocol.ConfigOf(m.Config)
		run, err := core.NewSeedRun(cfg, m.Budget)
		if err != nil {
			e.Refuse(fmt.Sprintf("job %d refused: %v", m.Job, err), m.Job)
			return
		}
		e.job = &job{id: m.Job, run: run, reported: e.now()}
		e.slicer.Reset() // a new network: a new cost per step
		e.finishJob()    // a network can be right at step 0
	case protocol.TypeDraw:
		// Not a playground command: drawing changes nothing, so the page
		// does not count it.
		if e.Draw == nil {
			e.Refuse("draw: this engine does not draw", 0)
			return
		}
		if e.tr == nil {
			e.Refuse("draw: there is no network yet; send a config first", 0)
			return
		}
		step := e.tr.Metrics().Step
		e.send(protocol.Message{Type: protocol.TypeFigure, Config: e.config, Step: step,
			Figure: string(e.Draw(e.tr.Network(), e.tr.Config(), step, m.Dark))})
	case protocol.TypeSave:
		// Not a playground command either: it changes nothing.
		if e.tr == nil {
			e.Refuse("save: there is no network yet; send a config first", 0)
			return
		}
		mt := e.tr.Metrics()
		e.send(protocol.Message{Type: protocol.TypeSaved, Seq: m.Seq, Config: e.config, Step: mt.Step, SolvedAt: mt.SolvedAt,
			Diverged: e.tr.Diverged(), Weights: protocol.Weights(e.tr.Network()), Optimizer: e.tr.OptimizerState(),
			Chart: e.charts.AppendFloats(nil)})
	case protocol.TypeCancel:
		if e.job != nil && (m.Job == 0 || m.Job == e.job.id) {
			e.job = nil
		}
	default:
		e.Refuse(fmt.Sprintf("a %s message is for the page, not the engine", m.Type), 0)
	}
}

func (e *Engine) inFlight() int {
	if e.waiting {
		return e.seq
	}
	return 0
}

// install makes tr the playground network, keeping whether it runs.
func (e *Engine) install(tr *core.Trainer) {
	e.tr, e.left = tr, 0
	e.config = tr.Config().Encode()
	e.slicer.Reset()
	e.pace()
	e.restartChart()
	e.changed()
}

// restartChart starts the chart over at the current step: a new network, or
// the same one from its initial weights.
func (e *Engine) restartChart() {
	e.charts.Reset()
	e.charts.Record(e.tr.Metrics())
}

// continueChart makes chart (a protocol Chart, checked by Decode) the
// charts, so that a run moved to this engine keeps its history, and records
// the current step after it. A chart that ends after the current step is
// refused, and the charts are left started over.
func (e *Engine) continueChart(chart []float64) error {
	err := e.charts.SetFloats(chart)
	last, ok := e.charts.Last()
	if err == nil && ok && last > e.tr.Metrics().Step {
		err = fmt.Errorf("it ends at step %d, after the network's step %d", last, e.tr.Metrics().Step)
	}
	if err != nil || !ok {
		e.restartChart()
		return err
	}
	e.charts.Record(e.tr.Metrics())
	return nil
}

// pace restarts the pacing of a run from now.
func (e *Engine) pace() {
	e.paceT = e.now()
	if e.tr != nil {
		e.paceS = e.tr.Metrics().Step
	}
}

func (e *Engine) command(m protocol.Message) {
	switch m.Type {
	case protocol.TypeReset:
		e.tr.Reset()
		e.left = 0
		e.pace()
		e.restartChart()
	case protocol.TypeStep:
		e.running, e.left = false, min(e.left+m.Steps, protocol.MaxSteps)
	case protocol.TypePause:
		e.running, e.left = false, 0
	case protocol.TypeRun:
		// A diverged network cannot train: the run waits for the page's
		// Run after its Reset or new config, rather than racing to the
		// same divergence at the old rate before that Run arrives.
		e.running, e.rate, e.left = e.tr.Diverged() == "", m.Rate, 0
		e.pace()
	case protocol.TypeSetWeight:
		ed := m.Edit
		if err := e.tr.SetWeight(ed.Layer, ed.Row, ed.Col, ed.Value); err != nil {
			e.Refuse("setWeight: "+err.Error(), 0)
			return
		}
	}
	e.changed()
}

// changed marks the playground's state as news and sends it if it can.
func (e *Engine) changed() {
	e.dirty = true
	e.publish()
}

// publish sends a State when there is news and none is in flight.
func (e *Engine) publish() {
	if e.tr == nil || e.waiting || !e.dirty {
		return
	}
	e.seq++
	e.waiting, e.dirty = true, false
	m := e.tr.Metrics()
	// A diverged network does not train, whatever the last Run said.
	running := (e.running || e.left > 0) && e.tr.Diverged() == ""
	// The status line's texts, for the page to show before its own Go
	// program has loaded (the engine cannot know that a network was built
	// by hand: only the page's Construct does).
	status := statusline.Of(e.tr.Config(), m, false)
	e.send(protocol.Message{Type: protocol.TypeState, Seq: e.seq, Running: running, Commands: e.cmds, Config: e.config, Step: m.Step,
		Metrics: m, Diverged: e.tr.Diverged(), Weights: protocol.Weights(e.tr.Network()),
		Chart: e.charts.AppendFloats(nil), Status: &status})
}

// due returns how many playground steps may train now: those a Step command
// asks for, or for a paced run those its rate has made due (at most
// math.MaxInt32 for an unpaced one), and 0 once training diverged.
func (e *Engine) due() int {
	if e.tr == nil || e.tr.Diverged() != "" {
		return 0
	}
	if e.left > 0 {
		return e.left
	}
	if !e.running {
		return 0
	}
	if e.rate == 0 {
		return math.MaxInt32
	}
	el := e.now().Sub(e.paceT)
	if el > time.Duration(float64(time.Second)*float64(e.tr.Metrics().Step-e.paceS)/e.rate)+maxLag {
		// Behind by more than maxLag: forget the debt.
		e.paceT, e.paceS = e.now().Add(-maxLag), e.tr.Metrics().Step
		el = maxLag
	}
	return max(0, int(el.Seconds()*e.rate)-(e.tr.Metrics().Step-e.paceS))
}

// Wait returns how long until there is training to do: 0 for now, a positive
// duration when a paced run's next step is due, or -1 when the engine is
// idle until a message comes.
func (e *Engine) Wait() time.Duration {
	if e.job != nil || e.due() > 0 {
		return 0
	}
	if e.tr != nil && e.running && e.rate > 0 && e.tr.Diverged() == "" {
		next := e.paceT.Add(time.Duration(float64(time.Second) * float64(e.tr.Metrics().Step-e.paceS+1) / e.rate))
		return max(time.Millisecond, next.Sub(e.now()))
	}
	return -1
}

// Slice trains for about SliceBudget, or one step when a step takes longer:
// the seed job if there is one, else the playground network. It queues a
// JobDone when the job ends, a JobProgress every ProgressEvery, and a State
// when the network changed and the page has acknowledged the last.
func (e *Engine) Slice() {
	if j := e.job; j != nil {
		e.slicer.Run(e.now, func(n int) (int, bool) {
			got := j.run.Advance(n)
			return got, j.run.Done()
		})
		if !e.finishJob() && e.now().Sub(j.reported) >= ProgressEvery {
			j.reported = e.now()
			e.send(protocol.Message{Type: protocol.TypeJobProgress, Job: j.id, Step: j.run.Step()})
		}
		return
	}
	if e.due() == 0 {
		e.publish() // news from commands, if any
		return
	}
	trained, _ := e.slicer.Run(e.now, func(n int) (int, bool) {
		n = min(n, e.due())
		got := 0
		for got < n && e.tr.Step() == nil { // core.Trainer.Run, charting every step
			got++
			e.charts.Record(e.tr.Metrics())
		}
		if e.left > 0 {
			e.left -= got
		}
		return got, got < n || e.due() == 0
	})
	diverged := e.tr.Diverged() != ""
	if diverged {
		e.running, e.left = false, 0
	}
	if trained > 0 || diverged {
		e.changed()
	}
	e.publish()
}

// finishJob sends the job's outcome and drops it if it is over.
func (e *Engine) finishJob() bool {
	j := e.job
	if j == nil || !j.run.Done() {
		return false
	}
	e.send(protocol.Message{Type: protocol.TypeJobDone, Job: j.id, Outcome: j.run.Outcome()})
	e.job = nil
	return true
}
