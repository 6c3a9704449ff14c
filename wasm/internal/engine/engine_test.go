package engine

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/history"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// tickClock advances by tick at every reading. It suits runs whose steps
// are bounded otherwise (a rate, a budget): the Slicer, which sees every
// chunk take one tick, asks for ever larger chunks. Unbounded runs use the
// real clock.
type tickClock struct {
	t    time.Time
	tick time.Duration
}

func (c *tickClock) now() time.Time { c.t = c.t.Add(c.tick); return c.t }

func newTest(t *testing.T, realTime bool) (*Engine, *tickClock) {
	t.Helper()
	c := &tickClock{t: time.Unix(1000, 0), tick: 20 * time.Microsecond}
	now := c.now
	if realTime {
		now = time.Now
	}
	e := New(now)
	if out := e.Outbox(); len(out) != 1 || out[0].Type != protocol.TypeReady {
		t.Fatalf("first messages %+v, want ready", out)
	}
	return e, c
}

// handle sends m through its wire form, as the worker does.
func handle(t *testing.T, e *Engine, m protocol.Message) {
	t.Helper()
	f, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	d, err := protocol.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	e.Handle(d)
}

// states returns the State messages of out and checks that the others are
// not refusals.
func states(t *testing.T, out []protocol.Message) []protocol.Message {
	t.Helper()
	var s []protocol.Message
	for _, m := range out {
		switch m.Type {
		case protocol.TypeState:
			s = append(s, m)
		case protocol.TypeRefused, protocol.TypeFault:
			t.Fatalf("%s: %s", m.Type, m.Reason)
		}
	}
	return s
}

// The engine's trajectory is core's, bit for bit: run as fast as it goes in
// slices with acknowledged states, paused, stepped by commands.
func TestPlaygroundTrajectoryIsCores(t *testing.T) {
	const frag = "n=11&k=2&seed=7"
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: frag})
	first := states(t, e.Outbox())
	if len(first) != 1 || first[0].Step != 0 || first[0].Running {
		t.Fatalf("after config: %+v", first)
	}
	if w := protocol.Weights(coretest.Trained(t, frag, 0).Network()); !reflect.DeepEqual(first[0].Weights, w) {
		t.Fatal("step 0 weights differ from core's")
	}
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: first[0].Seq})
	handle(t, e, protocol.Message{Type: protocol.TypeRun})
	var last protocol.Message
	for slices := 0; last.Step < 3000; slices++ {
		if slices > 1e5 {
			t.Fatal("the run does not advance")
		}
		if e.Wait() != 0 {
			t.Fatalf("a run as fast as it goes waits %v", e.Wait())
		}
		e.Slice()
		for _, s := range states(t, e.Outbox()) {
			last = s
			if !s.Running {
				t.Fatalf("state %d says not running", s.Seq)
			}
			handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s.Seq})
		}
	}
	handle(t, e, protocol.Message{Type: protocol.TypePause})
	// Paused, the engine has nothing to train: the pause took effect
	// before the next slice.
	if e.Wait() != -1 {
		t.Errorf("paused engine waits %v, want -1 (idle)", e.Wait())
	}
	paused := settle(t, e)
	if paused.Running {
		t.Fatalf("after pause: %+v", paused)
	}
	at := paused.Step
	if want := coretest.Trained(t, frag, at); !reflect.DeepEqual(paused.Weights, protocol.Weights(want.Network())) || paused.Metrics != want.Metrics() {
		t.Fatalf("step %d: the engine's network differs from core's", at)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: 5})
	for e.Wait() == 0 {
		e.Slice()
	}
	if got := settle(t, e); got.Step != at+5 {
		t.Fatalf("after step 5 from %d: step %d", at, got.Step)
	} else if !reflect.DeepEqual(got.Weights, protocol.Weights(coretest.Trained(t, frag, at+5).Network())) {
		t.Fatal("stepped weights differ from core's")
	}
	// Reset goes back to step 0 and core's initial weights.
	handle(t, e, protocol.Message{Type: protocol.TypeReset})
	if r := settle(t, e); r.Step != 0 || !reflect.DeepEqual(r.Weights, first[0].Weights) {
		t.Fatalf("after reset: %+v", r)
	}
}

// settle acknowledges every state the engine sends until it sends no more,
// and returns the last.
func settle(t *testing.T, e *Engine) protocol.Message {
	t.Helper()
	var last protocol.Message
	for {
		s := states(t, e.Outbox())
		if len(s) == 0 {
			return last
		}
		last = s[len(s)-1]
		handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: last.Seq})
	}
}

// At most one State is in flight: without an Ack the engine trains on but
// sends nothing more, and the Ack brings the latest state at once.
func TestOneStateInFlight(t *testing.T) {
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: "n=8&k=2"})
	handle(t, e, protocol.Message{Type: protocol.TypeRun})
	out := states(t, e.Outbox())
	if len(out) != 1 {
		t.Fatalf("%d states", len(out))
	}
	for range 20 {
		e.Slice()
	}
	if more := states(t, e.Outbox()); len(more) != 0 {
		t.Fatalf("%d states sent while one was in flight", len(more))
	}
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: out[0].Seq})
	next := states(t, e.Outbox())
	if len(next) != 1 || next[0].Seq != out[0].Seq+1 || next[0].Step <= out[0].Step {
		t.Fatalf("after the ack: %+v", next)
	}
	// A stale or repeated ack is refused with a reason, and changes nothing.
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: out[0].Seq})
	if o := e.Outbox(); len(o) != 1 || o[0].Type != protocol.TypeRefused || !strings.Contains(o[0].Reason, "ack of state 1, but the state in flight is 2") {
		t.Errorf("stale ack: %+v", o)
	}
}

// A paced run trains at its rate, in steps per second.
func TestRunAtARate(t *testing.T) {
	e, c := newTest(t, false)
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: "n=8&k=2"})
	handle(t, e, protocol.Message{Type: protocol.TypeRun, Rate: 50})
	start := c.t
	step := 0
	for c.t.Sub(start) < 2*time.Second {
		switch w := e.Wait(); {
		case w == 0:
			e.Slice()
		case w > 0:
			c.t = c.t.Add(w)
		default:
			t.Fatal("a paced run went idle")
		}
		for _, s := range states(t, e.Outbox()) {
			step = s.Step
			handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s.Seq})
		}
	}
	if step < 95 || step > 101 {
		t.Errorf("%d steps in 2 s at 50 steps per second", step)
	}
}

// Import continues from the imported weights; a weight edit applies; both
// are refused with a reason when they cannot apply.
func TestImportAndEdit(t *testing.T) {
	const frag = "n=6&k=2&seed=4"
	src := coretest.Trained(t, frag, 300)
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: 1})
	if o := e.Outbox(); len(o) != 1 || !strings.Contains(o[0].Reason, "no network yet") {
		t.Fatalf("step before config: %+v", o)
	}
	w := protocol.Weights(src.Network())
	handle(t, e, protocol.Message{Type: protocol.TypeImport, Config: frag, Step: 300, Weights: w})
	s := states(t, e.Outbox())
	if len(s) != 1 || s[0].Step != 300 || !reflect.DeepEqual(s[0].Weights, w) {
		t.Fatalf("after import: %+v", s)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s[0].Seq})
	handle(t, e, protocol.Message{Type: protocol.TypeSetWeight, Edit: protocol.Edit{Layer: core.LayerW2, Row: 1, Col: 0, Value: 3.5}})
	s = states(t, e.Outbox())
	if len(s) != 1 || s[0].Weights[2*6+2+1*2+0] != 3.5 {
		t.Fatalf("after the edit: %+v", s)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s[0].Seq})
	handle(t, e, protocol.Message{Type: protocol.TypeSetWeight, Edit: protocol.Edit{Layer: core.LayerW1, Row: 5, Col: 0, Value: 1}})
	// Refused, and still counted in the next state, so that the page does
	// not wait for a state that takes it into account.
	if o := e.Outbox(); len(o) != 2 || o[0].Type != protocol.TypeRefused || !strings.Contains(o[0].Reason, "no such parameter") ||
		o[1].Type != protocol.TypeState || o[1].Commands != 4 {
		t.Errorf("edit of a missing weight: %+v", o)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeState, Seq: 1, Config: frag, Metrics: core.Metrics{}, Weights: w})
	if o := e.Outbox(); len(o) != 1 || !strings.Contains(o[0].Reason, "for the page, not the engine") {
		t.Errorf("a state sent to the engine: %+v", o)
	}
}

// A seed job trains in slices to the outcome core.CheckPoint gives, reports
// its progress, refuses a second job, and a cancel drops it at once.
func TestJob(t *testing.T) {
	spec := core.CapacitySpec{Base: core.DefaultConfig(), Budget: 3000, Seeds: []uint64{2}}
	spec.Base.LearningRate = core.CapacityLR
	want, err := core.CheckPoint(nil, spec, 2, 9)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := core.NewSweepJobs(core.CapacitySpec{Base: spec.Base, Budget: 3000, Seeds: []uint64{2}, MinN: 9, MaxN: 9}, []int{2})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := jobs.Next()
	e, c := newTest(t, false)
	c.tick = 20 * time.Millisecond // slow steps: progress reports come
	handle(t, e, protocol.Message{Type: protocol.TypeJob, Job: 4, Config: j.Config.Encode(), Budget: j.Budget})
	handle(t, e, protocol.Message{Type: protocol.TypeJob, Job: 5, Config: j.Config.Encode(), Budget: j.Budget})
	if o := e.Outbox(); len(o) != 1 || o[0].Job != 5 || !strings.Contains(o[0].Reason, "busy with job 4") {
		t.Fatalf("second job: %+v", o)
	}
	var done *protocol.Message
	progress := 0
	for slices := 0; done == nil; slices++ {
		if e.Wait() != 0 || slices > 1e5 {
			t.Fatalf("the job stalled after %d slices", slices)
		}
		e.Slice()
		for _, m := range e.Outbox() {
			switch m.Type {
			case protocol.TypeJobProgress:
				progress++
			case protocol.TypeJobDone:
				done = &m
			default:
				t.Fatalf("unexpected %+v", m)
			}
		}
	}
	if done.Job != 4 || !reflect.DeepEqual(done.Outcome, want.Seeds[0]) {
		t.Errorf("job outcome %+v, CheckPoint %+v", done.Outcome, want.Seeds[0])
	}
	if progress == 0 {
		t.Error("no progress reported")
	}
	if e.Wait() != -1 {
		t.Error("the engine is not idle after its job")
	}
	handle(t, e, protocol.Message{Type: protocol.TypeJob, Job: 6, Config: j.Config.Encode(), Budget: j.Budget})
	e.Slice()
	handle(t, e, protocol.Message{Type: protocol.TypeCancel, Job: 6})
	if e.Wait() != -1 {
		t.Error("the cancelled job goes on")
	}
	for _, m := range e.Outbox() {
		if m.Type == protocol.TypeJobDone {
			t.Errorf("a cancelled job reported %+v", m)
		}
	}
}

// A State counts the playground commands taken before it was made, so that
// the page can tell a state made before its latest command; a Step command's
// steps still to come count as running.
func TestStatesCountCommands(t *testing.T) {
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: "n=8&k=2"})
	s := states(t, e.Outbox())
	if len(s) != 1 || s[0].Commands != 1 || s[0].Running {
		t.Fatalf("after the config: %+v", s)
	}
	// Two commands while the state is in flight: the state after the ack
	// counts both.
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: 1_000})
	handle(t, e, protocol.Message{Type: protocol.TypeReset})
	if more := states(t, e.Outbox()); len(more) != 0 {
		t.Fatalf("%d states while one was in flight", len(more))
	}
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s[0].Seq})
	s = states(t, e.Outbox())
	if len(s) != 1 || s[0].Commands != 3 || s[0].Step != 0 {
		t.Fatalf("after step and reset: %+v", s)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s[0].Seq})
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: protocol.MaxSteps})
	e.Slice()
	s = states(t, e.Outbox())
	if len(s) != 1 || s[0].Commands != 4 || !s[0].Running {
		t.Fatalf("with steps to come: %+v", s)
	}
}

// A Run that comes after training diverged does not make the state say it
// runs: the page waits for a state that says the engine is idle.
func TestDivergedStateIsNotRunning(t *testing.T) {
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: "n=11&k=2&act=linear&opt=sgd&lr=10"})
	handle(t, e, protocol.Message{Type: protocol.TypeRun})
	last := protocol.Message{}
	for range 1000 {
		for _, s := range states(t, e.Outbox()) {
			last = s
			handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s.Seq})
		}
		if last.Diverged != "" {
			break
		}
		e.Slice()
	}
	if last.Diverged == "" || last.Running {
		t.Fatalf("at divergence: %+v", last)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeRun})
	s := states(t, e.Outbox())
	if len(s) != 1 || s[0].Running || s[0].Commands != 3 {
		t.Fatalf("a run after divergence: %+v", s)
	}
	// A reset then waits for the page's next Run.
	handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s[0].Seq})
	handle(t, e, protocol.Message{Type: protocol.TypeReset})
	if w := e.Wait(); w >= 0 {
		t.Fatalf("after a reset of a diverged run the engine trains (wait %v) before any Run", w)
	}
}

// A Link starts the run a page's link names, UI keys and all, at the page's
// default speed, on core's trajectory; its states carry the config, which is
// how the page that sent the link shows the network before its own program
// has loaded. A link that needs the page (a tour step) is refused and
// counted.
func TestLink(t *testing.T) {
	const frag = "n=6&k=2&seed=4"
	e, clock := newTest(t, false)
	handle(t, e, protocol.Message{Type: protocol.TypeLink, Config: "#" + frag + "&hide=walk&lock=k"})
	s := states(t, e.Outbox())
	if len(s) != 1 || s[0].Commands != 1 || !s[0].Running || s[0].Config != coretest.Trained(t, frag, 0).Config().Encode() {
		t.Fatalf("after the link: %+v", s)
	}
	var last protocol.Message
	start := clock.t
	for range 200_000 {
		handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s[len(s)-1].Seq})
		for e.Wait() != 0 {
			clock.now()
		}
		e.Slice()
		if s = states(t, e.Outbox()); len(s) > 0 {
			last = s[len(s)-1]
		}
		if clock.t.Sub(start) > 2*time.Second {
			break
		}
	}
	el := clock.t.Sub(start).Seconds()
	if want := link.DefaultRate * el; float64(last.Step) < 0.9*want || float64(last.Step) > 1.1*want+1 {
		t.Errorf("step %d after %.2f s, want about %.0f (the default rate, %v steps/s)", last.Step, el, want, link.DefaultRate)
	}
	if w := protocol.Weights(coretest.Trained(t, frag, last.Step).Network()); !reflect.DeepEqual(last.Weights, w) {
		t.Errorf("step %d: the weights differ from core's", last.Step)
	}

	e, _ = newTest(t, false)
	handle(t, e, protocol.Message{Type: protocol.TypeLink, Config: "#tour=2"})
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: frag})
	o := e.Outbox()
	if len(o) != 2 || o[0].Type != protocol.TypeRefused || !strings.Contains(o[0].Reason, "tour key") || o[1].Commands != 2 {
		t.Errorf("a tour link, then a config: %+v", o)
	}
}

// Draw answers with the picture of the network as it is at that step, the
// same SVG as a saved figure of it (or in the dark theme, when asked), and
// changes nothing: the next state counts no command for it. Without a
// network it is refused.
func TestDraw(t *testing.T) {
	const frag = "n=6&k=2&seed=4"
	e, _ := newTest(t, false)
	handle(t, e, protocol.Message{Type: protocol.TypeDraw})
	if o := e.Outbox(); len(o) != 1 || o[0].Type != protocol.TypeRefused || !strings.Contains(o[0].Reason, "does not draw") {
		t.Fatalf("a draw to an engine without Draw: %+v", o)
	}
	e.Draw = func(net *core.Network, cfg core.Config, step int, dark bool) []byte {
		return figure.NetworkIn(figure.Theme(dark), net, cfg, step)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeDraw})
	if o := e.Outbox(); len(o) != 1 || o[0].Type != protocol.TypeRefused || !strings.Contains(o[0].Reason, "no network yet") {
		t.Fatalf("a draw before any network: %+v", o)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: frag})
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: 30})
	for e.Wait() == 0 {
		e.Slice()
	}
	last := settle(t, e)
	if last.Step != 30 {
		t.Fatalf("after 30 steps the last state is at step %d", last.Step)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeDraw})
	o := e.Outbox()
	if len(o) != 1 || o[0].Type != protocol.TypeFigure {
		t.Fatalf("a draw got %+v, want one figure", o)
	}
	tr := coretest.Trained(t, frag, 30)
	if want := string(figure.Network(tr.Network(), tr.Config(), 30)); o[0].Step != 30 || o[0].Config != last.Config || o[0].Figure != want {
		t.Errorf("the figure is of step %d, config %q, and %d bytes; want step 30, %q and core's network at step 30 drawn (%d bytes)",
			o[0].Step, o[0].Config, len(o[0].Figure), last.Config, len(want))
	}
	if !strings.Contains(o[0].Figure, "6-2-6, shift by 1, step 30") {
		t.Errorf("the figure's caption is not of this run: %.300s", o[0].Figure)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeDraw, Dark: true})
	if o := e.Outbox(); len(o) != 1 || o[0].Figure != string(figure.NetworkIn(&figure.Dark, tr.Network(), tr.Config(), 30)) {
		t.Errorf("a dark draw did not give the dark figure: %+v", o)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeReset})
	if s := states(t, e.Outbox()); len(s) != 1 || s[0].Commands != last.Commands+1 {
		t.Errorf("the state after a draw and a reset counts %+v commands, want %d", s, last.Commands+1)
	}
}

// coreChart returns the chart of core's run tr from its step to step to,
// every step recorded: what a State's Chart must be. It trains tr.
func coreChart(t *testing.T, tr *core.Trainer, to int) []float64 {
	t.Helper()
	loss, acc := history.NewSeries(history.DefaultCapacity), history.NewSeries(history.DefaultCapacity)
	for {
		m := tr.Metrics()
		loss.Add(m.Step, m.Loss)
		acc.Add(m.Step, m.Accuracy)
		loss.MarkSolved(m.SolvedAt)
		acc.MarkSolved(m.SolvedAt)
		if m.Step == to {
			return acc.AppendFloats(loss.AppendFloats(nil))
		}
		if err := tr.Step(); err != nil {
			t.Fatal(err)
		}
	}
}

// A State's chart holds the loss and accuracy of every step the run
// trained, whatever the slices and however few states the page took, as
// core's run gives them; a reset, a new config and an import start it over.
func TestStatesChartEveryStep(t *testing.T) {
	const frag = "n=11&k=2&seed=7"
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: frag})
	first := settle(t, e)
	if !reflect.DeepEqual(first.Chart, coreChart(t, coretest.Trained(t, frag, 0), 0)) {
		t.Fatalf("chart at step 0: %v", first.Chart)
	}
	// As fast as it goes, past a few halvings of the series.
	handle(t, e, protocol.Message{Type: protocol.TypeRun})
	var last protocol.Message
	for n := 0; last.Step < 3000; n++ {
		e.Slice()
		for _, s := range states(t, e.Outbox()) {
			last = s
			if n%3 == 0 {
				// The page holds this state for a while: the engine
				// trains on without sending.
				e.Slice()
				e.Slice()
				if more := states(t, e.Outbox()); len(more) > 0 {
					t.Fatalf("state %d while %d is in flight", more[0].Seq, s.Seq)
				}
			}
			handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: s.Seq})
		}
	}
	handle(t, e, protocol.Message{Type: protocol.TypePause})
	paused := settle(t, e)
	if want := coreChart(t, coretest.Trained(t, frag, 0), paused.Step); !reflect.DeepEqual(paused.Chart, want) {
		t.Fatalf("chart at step %d differs from core's run charted at every step", paused.Step)
	}
	loss := history.NewSeries(history.DefaultCapacity)
	if _, err := loss.SetFloats(paused.Chart); err != nil {
		t.Fatal(err)
	} else if _, _, lo, hi, _ := loss.Range(); lo != 0 || hi != paused.Step || loss.Stride() < 4 {
		t.Errorf("loss chart of steps %d..%d, stride %d; want 0..%d after a few halvings", lo, hi, loss.Stride(), paused.Step)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeReset})
	if r := settle(t, e); !reflect.DeepEqual(r.Chart, first.Chart) {
		t.Errorf("after a reset the chart holds %d floats, want step 0's", len(r.Chart))
	}
	src := coretest.Trained(t, frag, 300)
	w := protocol.Weights(src.Network())
	handle(t, e, protocol.Message{Type: protocol.TypeImport, Config: frag, Step: 300, Weights: w})
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: 20})
	for e.Wait() == 0 {
		e.Slice()
		settle(t, e)
	}
	handle(t, e, protocol.Message{Type: protocol.TypeSetWeight, Edit: protocol.Edit{Layer: core.LayerW2, Row: 1, Col: 0, Value: 3.5}})
	// Charted from the import on (a snapshot starts its optimizer and its
	// solved step afresh); the edit changes no step, so the chart keeps
	// step 320 as it was trained.
	snap := protocol.Snapshot(src.Config(), 300, -1, w)
	imported, err := snap.Trainer()
	if err != nil {
		t.Fatal(err)
	}
	if s := settle(t, e); !reflect.DeepEqual(s.Chart, coreChart(t, imported, 320)) {
		t.Errorf("after an import at 300, 20 steps and an edit: the chart differs from core's run of the snapshot, steps 300..320")
	}
}

// An Import may carry the chart to go on from (a run moved to a new
// engine): the new engine's chart is that one, then every step it trains,
// with the run's first solved step kept. A chart that ends after the
// import's step is refused with a reason, and the chart starts over.
func TestImportContinuesTheChart(t *testing.T) {
	const frag = "n=11&k=2&seed=1"
	old, _ := newTest(t, true)
	handle(t, old, protocol.Message{Type: protocol.TypeConfig, Config: frag})
	handle(t, old, protocol.Message{Type: protocol.TypeStep, Steps: 200})
	for old.Wait() == 0 {
		old.Slice()
		settle(t, old)
	}
	handle(t, old, protocol.Message{Type: protocol.TypePause})
	moved := settle(t, old)
	if moved.Step != 200 || moved.Metrics.SolvedAt < 0 {
		t.Fatalf("the first engine's run: step %d, solved at %d; want 200, solved", moved.Step, moved.Metrics.SolvedAt)
	}

	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeImport, Config: moved.Config, Step: 200, SolvedAt: moved.Metrics.SolvedAt, Weights: moved.Weights, Chart: moved.Chart})
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: 30})
	for e.Wait() == 0 {
		e.Slice()
		settle(t, e)
	}
	handle(t, e, protocol.Message{Type: protocol.TypePause}) // a state to read
	got := settle(t, e)
	if got.Step != 230 {
		t.Fatalf("after the import and 30 steps: step %d", got.Step)
	}
	// What it must be: the moved chart, then the snapshot's run.
	cfg, _ := protocol.ConfigOf(moved.Config)
	snap := protocol.Snapshot(cfg, 200, moved.Metrics.SolvedAt, moved.Weights)
	run, err := snap.Trainer()
	if err != nil {
		t.Fatal(err)
	}
	loss, acc := history.NewSeries(history.DefaultCapacity), history.NewSeries(history.DefaultCapacity)
	rest, _ := loss.SetFloats(moved.Chart)
	acc.SetFloats(rest)
	for run.Metrics().Step < 230 {
		if err := run.Step(); err != nil {
			t.Fatal(err)
		}
		m := run.Metrics()
		loss.Add(m.Step, m.Loss)
		acc.Add(m.Step, m.Accuracy)
	}
	if want := acc.AppendFloats(loss.AppendFloats(nil)); !reflect.DeepEqual(got.Chart, want) {
		t.Errorf("the moved run's chart is not the first engine's chart followed by the snapshot's run")
	}
	if s, _ := loss.Solved(); s != moved.Metrics.SolvedAt {
		t.Errorf("solved marker %d, want the run's first solved step %d", s, moved.Metrics.SolvedAt)
	}

	// A chart from the future: refused, and the chart starts at the import.
	e, _ = newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeImport, Config: moved.Config, Step: 150, SolvedAt: moved.Metrics.SolvedAt, Weights: moved.Weights, Chart: moved.Chart})
	out := e.Outbox()
	if len(out) != 2 || out[1].Type != protocol.TypeRefused || !strings.Contains(out[1].Reason, "ends at step 200, after the network's step 150") {
		t.Fatalf("an import at step 150 with a chart to step 200: %+v", out)
	}
	if out[0].Type != protocol.TypeState || out[0].Step != 150 || !reflect.DeepEqual(out[0].Chart, coreChart(t, mustTrainer(t, protocol.Snapshot(cfg, 150, moved.Metrics.SolvedAt, moved.Weights)), 150)) {
		t.Errorf("after the refused chart: %+v", out[0].Type)
	}
}

func mustTrainer(t *testing.T, s core.Snapshot) *core.Trainer {
	t.Helper()
	tr, err := s.Trainer()
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
