package play

import (
	"reflect"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// headStart has l's engine train the link as the parent page's script does
// before the App exists: it sends the Link and acknowledges states for
// frames frames. It returns the commands sent and the engine's last state.
func headStart(l *linked, link string, frames int) (int, protocol.Message) {
	l.t.Helper()
	l.e.Handle(protocol.Message{Type: protocol.TypeLink, Config: link})
	var last protocol.Message
	for range frames {
		for _, m := range l.e.Outbox() {
			if m.Type == protocol.TypeState {
				last = m
				l.e.Handle(protocol.Message{Type: protocol.TypeAck, Seq: m.Seq})
			}
		}
		if l.e.Wait() == 0 {
			l.e.Slice()
		}
	}
	return 1, last
}

// An App that adopts an engine training its own config goes on from the
// engine's step, on core's trajectory; one whose config differs starts its
// own run on that engine, and no state of the link's run is shown.
func TestAdoptKeepsTheHeadStart(t *testing.T) {
	const frag = "n=8&k=2&seed=3"
	cfg := coretest.Trained(t, frag, 0).Config()
	l := joined(t, cfg)
	l.a.SetRate(1000) // the page's speed control, away from its default
	sent, last := headStart(l, "#"+frag+"&hide=tour", 300)
	if last.Step == 0 {
		t.Fatal("the head start did not train")
	}
	l.a.Adopt(sent, last.Config, last)
	if got := l.a.Trainer().Metrics().Step; got != last.Step {
		t.Fatalf("the mirror shows step %d after adopting, want the engine's last state's %d", got, last.Step)
	}
	for i, m := range l.a.out {
		if m.Type != protocol.TypeRun || i == len(l.a.out)-1 && m.Rate != 1000 {
			t.Fatalf("outbox after adopting %+v, want only Runs, the last at the page's speed", l.a.out)
		}
	}
	for range 20 {
		if err := l.frame(); err != nil {
			t.Fatal(err)
		}
	}
	l.a.Toggle()
	l.settle()
	step := l.a.Trainer().Metrics().Step
	if step <= last.Step {
		t.Fatalf("step %d after adopting an engine at step %d", step, last.Step)
	}
	if w := protocol.Weights(coretest.Trained(t, frag, step).Network()); !reflect.DeepEqual(w, protocol.Weights(l.a.Trainer().Network())) {
		t.Fatalf("the mirror at step %d is not core's run", step)
	}

	other := joined(t, cfg)
	other.a.Toggle() // paused: only the config would change the engine
	sent, last = headStart(other, "#n=8&k=2&seed=4", 300)
	other.a.Adopt(sent, last.Config, last)
	for range 50 {
		if err := other.frame(); err != nil {
			t.Fatal(err)
		}
		if m := other.a.Trainer().Metrics(); m.Step != 0 {
			t.Fatalf("the mirror shows step %d of the link's run, not its own config's step 0", m.Step)
		}
	}
	if w := protocol.Weights(coretest.Trained(t, frag, 0).Network()); !reflect.DeepEqual(w, protocol.Weights(other.a.Trainer().Network())) {
		t.Fatal("the mirror is not the App's config at step 0")
	}

	// A refused link: the engine has counted it and has no network.
	none := joined(t, core.DefaultConfig())
	sent, _ = headStart(none, "#tour=1", 1)
	none.a.Adopt(sent, "", protocol.Message{})
	for range 30 {
		none.frame()
	}
	if none.a.Trainer().Metrics().Step == 0 {
		t.Fatal("after a refused link the App's own run did not train")
	}
}

// chartSteps returns the first and last steps of the App's loss chart and
// its samples.
func chartSteps(a *App) (first, last, samples int) {
	loss, _ := a.Chart()
	for _, p := range loss.Points(nil) {
		samples += p.Count
	}
	_, _, first, last, _ = loss.Range()
	return first, last, samples
}

// An App that adopts an engine shows its charts from step 0, every step
// trained before the App existed included; a reset starts them over at
// once, and the engine's next state brings its own chart.
func TestAdoptKeepsTheChartFromStepZero(t *testing.T) {
	const frag = "n=8&k=2&seed=3"
	cfg := coretest.Trained(t, frag, 0).Config()
	l := joined(t, cfg)
	sent, last := headStart(l, "#"+frag, 300)
	l.a.Adopt(sent, last.Config, last)
	if first, end, n := chartSteps(l.a); first != 0 || end != last.Step || n != last.Step+1 {
		t.Fatalf("after adopting at step %d the chart holds steps %d..%d, %d samples; want 0..%[1]d, every step", last.Step, first, end, n)
	}
	for range 20 {
		if err := l.frame(); err != nil {
			t.Fatal(err)
		}
	}
	step := l.a.Trainer().Metrics().Step
	if first, end, n := chartSteps(l.a); first != 0 || end != step || n != step+1 {
		t.Fatalf("at step %d the chart holds steps %d..%d, %d samples", step, first, end, n)
	}
	l.a.Reset()
	if first, end, n := chartSteps(l.a); first != 0 || end != 0 || n != 1 {
		t.Fatalf("after a reset the chart holds steps %d..%d, %d samples; want step 0 alone", first, end, n)
	}
	// A chart that does not decode is refused, and the charts start over
	// rather than show half of it.
	bad := last
	bad.Chart = append([]float64(nil), last.Chart...)
	bad.Chart[len(bad.Chart)-1] = 0 // the accuracy's last point merges no sample
	bad.Commands = 1 << 20
	if err := l.a.Take(bad); err == nil {
		t.Fatal("a state with a broken chart was taken")
	}
	if first, end, n := chartSteps(l.a); first != end || n != 1 {
		t.Errorf("after a broken chart the chart holds steps %d..%d, %d samples", first, end, n)
	}
}

// After its engine died, Restart moves the run to a new engine: it goes on
// from the step, weights and solved step the page showed, as core goes on
// from that snapshot, with the charts of every step from 0.
func TestRestartMovesTheRunToANewEngine(t *testing.T) {
	l := joined(t, core.DefaultConfig())
	l.a.SetRate(0)
	for l.a.Trainer().Metrics().Step < 150 {
		if err := l.frame(); err != nil {
			t.Fatal(err)
		}
	}
	l.a.Toggle()
	l.settle()
	died := l.a.Trainer().Metrics()
	if died.SolvedAt < 0 {
		t.Fatalf("the run is not solved at step %d", died.Step)
	}
	data, err := l.a.Trainer().MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}

	fresh := joined(t, core.DefaultConfig())
	l.e = fresh.e // the new engine; the old one is gone
	l.a.Restart()
	l.settle()
	for range 10 {
		if err := l.a.Step(); err != nil {
			t.Fatal(err)
		}
	}
	l.settle()
	want, err := core.LoadSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	want.Run(10)
	got := l.a.Trainer()
	if got.Metrics() != want.Metrics() || !reflect.DeepEqual(protocol.Weights(got.Network()), protocol.Weights(want.Network())) {
		t.Fatalf("in the new engine: %+v, want the snapshot's run %+v", got.Metrics(), want.Metrics())
	}
	if got.Metrics().SolvedAt != died.SolvedAt {
		t.Errorf("solved at %d in the new engine, %d before", got.Metrics().SolvedAt, died.SolvedAt)
	}
	if first, end, n := chartSteps(l.a); first != 0 || end != died.Step+10 || n != end+1 {
		t.Errorf("the chart holds steps %d..%d in %d samples; want 0..%d, every step", first, end, n, died.Step+10)
	}
}
