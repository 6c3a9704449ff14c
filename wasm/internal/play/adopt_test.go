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
