package engine

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// stepTo has e train exactly steps more steps, paused, and returns the
// settled state.
func stepTo(t *testing.T, e *Engine, steps int) protocol.Message {
	t.Helper()
	handle(t, e, protocol.Message{Type: protocol.TypeStep, Steps: steps})
	for e.Wait() == 0 {
		e.Slice()
		settle(t, e)
	}
	handle(t, e, protocol.Message{Type: protocol.TypePause}) // a state to read
	return settle(t, e)
}

// save asks e for its run and returns the Saved answer.
func save(t *testing.T, e *Engine, seq int) protocol.Message {
	t.Helper()
	handle(t, e, protocol.Message{Type: protocol.TypeSave, Seq: seq})
	out := e.Outbox()
	if len(out) != 1 || out[0].Type != protocol.TypeSaved || out[0].Seq != seq {
		t.Fatalf("the answer to save %d: %+v", seq, out)
	}
	// Through the wire, as the page takes it.
	f, err := protocol.Encode(out[0])
	if err != nil {
		t.Fatal(err)
	}
	m, err := protocol.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A run saved at step 1,000 and imported into a new engine trains on to
// step 2,000 exactly as core's uninterrupted run, for each optimizer: as
// the Saved's own Import, and through the exported file and the page's
// Import (play.SnapshotOf, core's JSON, play.App.Import). Without the
// optimizer state, momentum and adam go elsewhere.
func TestSavedRunContinuesExactly(t *testing.T) {
	for _, frag := range []string{
		"n=11&k=2&seed=7",
		"n=9&k=3&opt=momentum&lr=0.05&hb=0&sched=cos&period=600&seed=2",
		"n=8&k=2&opt=sgd&lr=0.5&warm=200&seed=3",
	} {
		e, _ := newTest(t, true)
		handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: frag})
		settle(t, e)
		stepTo(t, e, 1000)
		saved := save(t, e, 1)
		half := coretest.Trained(t, frag, 1000)
		if saved.Step != 1000 || !reflect.DeepEqual(saved.Weights, protocol.Weights(half.Network())) ||
			!slices.Equal(saved.Optimizer, half.OptimizerState()) || saved.SolvedAt != half.Metrics().SolvedAt {
			t.Fatalf("%s: the saved run is not core's at step 1000", frag)
		}
		if len(saved.Chart) == 0 {
			t.Errorf("%s: the saved run has no chart", frag)
		}
		whole := coretest.Trained(t, frag, 2000)
		want := protocol.Weights(whole.Network())

		// The Saved as an Import, chart and all.
		moved, _ := newTest(t, true)
		handle(t, moved, protocol.Message{Type: protocol.TypeImport, Config: saved.Config, Step: saved.Step, SolvedAt: saved.SolvedAt,
			Weights: saved.Weights, Optimizer: saved.Optimizer, Chart: saved.Chart})
		settle(t, moved)
		got := stepTo(t, moved, 1000)
		if got.Step != 2000 || !reflect.DeepEqual(got.Weights, want) || got.Metrics != whole.Metrics() {
			t.Errorf("%s: the imported saved run at step %d differs from core's uninterrupted run", frag, got.Step)
		}
		if s := save(t, moved, 2); !slices.Equal(s.Optimizer, whole.OptimizerState()) {
			t.Errorf("%s: the optimizer state at step 2000 differs from core's", frag)
		}

		// Through the exported file and the page's import.
		data, _, err := play.SnapshotOf(saved)
		if err != nil {
			t.Fatal(err)
		}
		app, err := play.New(core.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		app.Outbox()
		if err := app.Import(data); err != nil {
			t.Fatal(err)
		}
		file, _ := newTest(t, true)
		for _, m := range app.Outbox() {
			handle(t, file, m)
		}
		settle(t, file)
		got = stepTo(t, file, 1000)
		if got.Step != 2000 || !reflect.DeepEqual(got.Weights, want) || got.Metrics != whole.Metrics() {
			t.Errorf("%s: the exported and imported run at step %d differs from core's uninterrupted run", frag, got.Step)
		}

		// Without the state the optimizer starts afresh.
		fresh, _ := newTest(t, true)
		handle(t, fresh, protocol.Message{Type: protocol.TypeImport, Config: saved.Config, Step: saved.Step, SolvedAt: saved.SolvedAt, Weights: saved.Weights})
		settle(t, fresh)
		got = stepTo(t, fresh, 1000)
		if same := reflect.DeepEqual(got.Weights, want); same != strings.Contains(frag, "opt=sgd") {
			t.Errorf("%s: without the optimizer state the run is core's: %v (only sgd keeps no state)", frag, same)
		}
	}
}

// A Save before any network is refused; an Import whose optimizer state
// core refuses is refused with core's reason, and the run is left as it was.
func TestSaveAndImportRefusals(t *testing.T) {
	e, _ := newTest(t, true)
	handle(t, e, protocol.Message{Type: protocol.TypeSave, Seq: 1})
	if out := e.Outbox(); len(out) != 1 || out[0].Type != protocol.TypeRefused || !strings.Contains(out[0].Reason, "save: there is no network yet") {
		t.Fatalf("save before config: %+v", out)
	}
	const frag = "n=6&k=2&hb=0&opt=momentum&lr=0.1&seed=4"
	handle(t, e, protocol.Message{Type: protocol.TypeConfig, Config: frag})
	settle(t, e)
	before := stepTo(t, e, 40)
	src := coretest.Trained(t, "n=6&k=2&hb=0&opt=momentum&lr=0.1&seed=9", 30)
	vel := src.OptimizerState()
	for _, c := range []struct {
		name string
		opt  func([]float64) []float64
		want string
	}{
		{"velocity on a disabled bias", func(s []float64) []float64 { s[2*6+1] = 0.5; return s }, "import: not a usable Bottleneck snapshot: its optimizer state is unusable: the velocity of b1[2] is 0.5, but that bias is off"},
	} {
		handle(t, e, protocol.Message{Type: protocol.TypeImport, Config: frag, Step: 30, SolvedAt: -1, Weights: protocol.Weights(src.Network()), Optimizer: c.opt(slices.Clone(vel))})
		out := e.Outbox()
		if len(out) < 1 || out[0].Type != protocol.TypeRefused || !strings.Contains(out[0].Reason, c.want) {
			t.Fatalf("%s: %+v; want a refusal saying %q", c.name, out, c.want)
		}
		after := settle(t, e)
		if len(out) > 1 {
			after = out[len(out)-1]
			handle(t, e, protocol.Message{Type: protocol.TypeAck, Seq: after.Seq})
		}
		if after.Step != before.Step || !reflect.DeepEqual(after.Weights, before.Weights) {
			t.Errorf("%s: the refused import changed the run: step %d, want %d", c.name, after.Step, before.Step)
		}
	}
	if s := save(t, e, 7); !slices.Equal(s.Optimizer, coretest.Trained(t, frag, 40).OptimizerState()) {
		t.Error("the refused import changed the optimizer state")
	}
	// The adam kind's own refusals, through the page's decoding.
	a := coretest.Trained(t, "n=5&k=2&seed=1", 10)
	st := a.OptimizerState()
	st[len(st)-1] = -3
	handle(t, e, protocol.Message{Type: protocol.TypeImport, Config: "n=5&k=2&seed=1", Step: 10, SolvedAt: -1, Weights: protocol.Weights(a.Network()), Optimizer: st})
	if out := e.Outbox(); len(out) < 1 || out[0].Type != protocol.TypeRefused || !strings.Contains(out[0].Reason, "the second moment of b2[5] is -3; it cannot be negative") {
		t.Errorf("a negative second moment: %+v", out)
	}
	if s := save(t, e, 8); s.Config != core.Config(mustParse(t, frag)).Encode() || s.Step != 40 {
		t.Errorf("after the refused adam import the run is %s at step %d", s.Config, s.Step)
	}
}

func mustParse(t *testing.T, frag string) core.Config {
	t.Helper()
	c, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
