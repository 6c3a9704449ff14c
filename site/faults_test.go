package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// fatalView is the #fatal panel and the readiness state of the page.
type fatalView struct {
	State  string `json:"state"`
	Hidden bool   `json:"hidden"`
	Text   string `json:"text"`
	Hash   string `json:"hash"`
}

const fatalJS = `({
	state: document.documentElement.dataset.state || "",
	hidden: document.getElementById("fatal").hidden,
	text: document.getElementById("fatal-text").textContent,
	hash: location.hash,
})`

// armPanic pastes fragment with debug=panic-where into the address bar and
// returns #fatal once the page is in its error state, or after 10 s.
func armPanic(t *testing.T, ctx context.Context, fragment, where string) fatalView {
	t.Helper()
	return armDebug(t, ctx, fragment, "panic-"+where)
}

// armDebug pastes a link with debug=value and waits for #fatal.
func armDebug(t *testing.T, ctx context.Context, fragment, value string) fatalView {
	t.Helper()
	js, _ := json.Marshal("#" + fragment + "&debug=" + value)
	eval[bool](t, ctx, fmt.Sprintf(`(location.hash = %s, true)`, js))
	deadline := time.Now().Add(10 * time.Second)
	for {
		f := eval[fatalView](t, ctx, fatalJS)
		if f.State == harness.StateError || time.Now().After(deadline) {
			return f
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestInjectedPanicsAreCaught arms one Go panic in Update, in Draw and in a
// browser callback (debug=panic-... in a pasted link) and checks that each
// is caught and shown in #fatal, and that "Restart from the link" brings a
// training network back, in the same tab.
func TestInjectedPanicsAreCaught(t *testing.T) {
	ctx := open(t, "#n=8&k=3&seed=5", harness.WindowSize(960, 640))
	for _, where := range []string{"update", "draw", "callback"} {
		s := waitState(t, ctx, 10*time.Second, "training", func(s appState) bool { return s.Step > 0 && s.Running })
		f := armPanic(t, ctx, s.Fragment, where)
		if f.State != harness.StateError || f.Hidden || !strings.Contains(f.Text, "injected by debug=panic-"+where) {
			t.Fatalf("panic in %s: data-state %q, #fatal hidden %v, text %.200q", where, f.State, f.Hidden, f.Text)
		}
		if strings.Contains(f.Hash, "panic") {
			t.Errorf("panic in %s: the switch stayed in the URL (%q), so a reload would panic again", where, f.Hash)
		}
		if st := state(t, ctx); !st.Failed {
			t.Errorf("panic in %s: state().failed is false", where)
		}
		stopped := state(t, ctx).Step
		time.Sleep(200 * time.Millisecond)
		if st := state(t, ctx); st.Step != stopped {
			t.Errorf("panic in %s: training went on after the panic (%d -> %d)", where, stopped, st.Step)
		}

		click(t, ctx, "fatal-reset", 1)
		back := waitState(t, ctx, 10*time.Second, "a training network after the restart", func(s appState) bool {
			return !s.Failed && s.Running && s.Step > 5
		})
		if back.Fragment != s.Fragment {
			t.Errorf("after the restart: fragment %q, want %q", back.Fragment, s.Fragment)
		}
		if f := eval[fatalView](t, ctx, fatalJS); f.State != harness.StateReady || !f.Hidden {
			t.Errorf("after the restart: data-state %q, #fatal hidden %v", f.State, f.Hidden)
		}
	}
	c := harness.ConsoleOf(ctx)
	if d := c.Dialogs(); len(d) > 0 {
		t.Errorf("dialogs: %v", d)
	}
	// The only console errors are the three panics' reports.
	for _, e := range c.Errors() {
		if !strings.Contains(e, "bottleneck: ") || !strings.Contains(e, "injected by debug=panic-") {
			t.Errorf("console %s", e)
		}
	}
}

// TestDivergenceIsReportedAndResetRecovers runs a config that really
// diverges (plain gradient descent at the largest learning rate through
// linear hidden units: NaN after about 166 steps), with the debug overlay on.
func TestDivergenceIsReportedAndResetRecovers(t *testing.T) {
	ctx := open(t, "#debug=1", harness.WindowSize(960, 640))
	waitState(t, ctx, 10*time.Second, "training", func(s appState) bool { return s.Step > 0 })

	// The overlay shows the frame times, and the state has them.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(eval[string](t, ctx, `(document.getElementById("debug") || {}).textContent || ""`), "steps/frame") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if txt := eval[string](t, ctx, `(document.getElementById("debug") || {}).textContent || ""`); !strings.Contains(txt, "frame") || !strings.Contains(txt, "steps/frame") {
		t.Errorf("#debug = %q", txt)
	}
	if pf := perfOf(t, ctx); pf.Frames < 2 || pf.FrameMs <= 0 || pf.FrameMsMax < pf.FrameMs || pf.HeapSys == 0 || pf.WasmMemory == 0 || pf.EngineMemory == 0 || pf.ReadyMs <= 0 {
		t.Errorf("debug figures: %+v", pf)
	}

	setControl(t, ctx, "speed", "100") // up to 500 steps a frame (within the time budget)
	const diverging = "n=11&k=2&act=linear&opt=sgd&lr=10"
	// The time is taken on the page's clock, from the link to the message
	// (a MutationObserver), so that the test's polling does not count.
	start := time.Now()
	eval[bool](t, ctx, `(() => {
		const m = document.getElementById("message");
		window.divergedAfter = -1;
		const t0 = performance.now();
		new MutationObserver(() => {
			if (window.divergedAfter < 0 && m.textContent.includes("diverged")) window.divergedAfter = performance.now() - t0;
		}).observe(m, {childList: true, characterData: true, subtree: true});
		location.hash = "#`+diverging+`&debug=1";
		return true;
	})()`)
	s := waitState(t, ctx, 5*time.Second, "divergence", func(s appState) bool {
		return s.Diverged != "" && strings.Contains(s.Message, "diverged")
	})
	after := eval[float64](t, ctx, `window.divergedAfter`)
	t.Logf("divergence shown %.0f ms after the link (page clock), %v by the test's clock; frames: %+v", after, time.Since(start), perfOf(t, ctx))
	if after < 0 || after > 1000 {
		t.Errorf("divergence shown %.0f ms after the start, want within 1 s", after)
	}
	if s.Running || s.Loss != nil {
		t.Errorf("after divergence: running %v, loss %v", s.Running, s.Loss)
	}
	if msg := text(t, ctx, "message"); !strings.Contains(msg, "diverged") || !strings.Contains(msg, "NaN") && !strings.Contains(msg, "Inf") {
		t.Errorf("#message = %q", msg)
	}
	if h := eval[string](t, ctx, `location.hash`); !strings.Contains(h, "lr=10") || !strings.HasSuffix(h, "&debug=1") {
		t.Errorf("location.hash = %q, want the diverging config and debug=1", h)
	}
	time.Sleep(300 * time.Millisecond)
	if s2 := state(t, ctx); s2.Step != s.Step {
		t.Errorf("training went on after divergence: step %d -> %d", s.Step, s2.Step)
	}

	// Still responsive: a learning rate of 1e9 is refused with a message.
	setControl(t, ctx, "lr", "1e9")
	deadline = time.Now().Add(5 * time.Second)
	has1e9 := func(msg string) bool { return strings.Contains(msg, "1e9") || strings.Contains(msg, "1e+09") }
	for !has1e9(text(t, ctx, "message")) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if msg := text(t, ctx, "message"); !strings.Contains(msg, "lr") || !has1e9(msg) || !strings.Contains(msg, "10") {
		t.Errorf("#message after lr=1e9: %q", msg)
	}

	// Reset starts the run again; slowly, so that it
	// is seen running before it diverges again.
	setControl(t, ctx, "speed", "0")
	click(t, ctx, "reset", 1)
	waitState(t, ctx, 5*time.Second, "running again after reset", func(s appState) bool {
		return s.Running && s.Diverged == "" && s.Step > 3 && s.Step < 150
	})
	// A sane learning rate then trains for good.
	setControl(t, ctx, "speed", "60")
	setControl(t, ctx, "lr", "0.1")
	s = waitState(t, ctx, 20*time.Second, "step 400 at lr 0.1", func(s appState) bool { return s.Step >= 400 })
	if !s.Running || s.Diverged != "" || s.Loss == nil || !strings.Contains(s.Fragment, "lr=0.1") {
		t.Errorf("after lr=0.1: %+v", s)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("message").hidden`); !hidden {
		t.Errorf("#message still shown: %q", text(t, ctx, "message"))
	}
	harness.ConsoleOf(ctx).Check(t)
}

// When the training engine dies (here a Go panic in its worker, armed by
// debug=panic-engine), the page says so in #fatal and training stops;
// "Continue in a new engine" moves the run as shown to a new engine, and
// "Restart from the link" starts a new engine that trains the link's run.
func TestEngineDeathShowsRestart(t *testing.T) {
	ctx := open(t, "#n=8&k=3&seed=5", harness.WindowSize(960, 640))
	s := waitState(t, ctx, 10*time.Second, "training", func(s appState) bool { return s.Step > 0 && s.Running })
	f := armPanic(t, ctx, s.Fragment, "engine")
	title := text(t, ctx, "fatal-title")
	if f.State != harness.StateError || f.Hidden || title != "The training engine stopped" ||
		!strings.Contains(f.Text, "the training engine failed") || !strings.Contains(f.Text, "panic asked for by the page's test hook") ||
		!strings.Contains(f.Text, "Restart from the link") {
		t.Fatalf("engine panic: data-state %q, #fatal hidden %v, title %q, text %.300q", f.State, f.Hidden, title, f.Text)
	}
	died := state(t, ctx)
	time.Sleep(300 * time.Millisecond)
	if st := state(t, ctx); st.Step != died.Step || !st.Failed {
		t.Errorf("after the engine died: step %d -> %d, failed %v", died.Step, st.Step, st.Failed)
	}
	if !strings.Contains(f.Text, fmt.Sprintf("“Continue in a new engine” goes on from step %d", died.Step)) || !visible(t, ctx, "fatal-continue") {
		t.Errorf("the panel does not offer to continue from step %d: continue shown %v, text %.300q", died.Step, visible(t, ctx, "fatal-continue"), f.Text)
	}
	// Continue: the run goes on in a new engine from where it stopped, as
	// core goes on from a snapshot of it, its charts from step 0 kept.
	click(t, ctx, "fatal-continue", 1)
	moved := waitState(t, ctx, 10*time.Second, "the run going on in a new engine", func(s appState) bool {
		return !s.Failed && s.Running && s.Step > died.Step+5
	})
	if moved.Fragment != s.Fragment || moved.Chart.First != 0 || moved.Chart.Samples != moved.Chart.Last+1 || moved.SolvedAt != died.SolvedAt {
		t.Errorf("after continuing from step %d: fragment %q (want %q), chart %+v (want every step from 0), solved at %d (want %d)",
			died.Step, moved.Fragment, s.Fragment, moved.Chart, moved.SolvedAt, died.SolvedAt)
	}
	if f := eval[fatalView](t, ctx, fatalJS); f.State != harness.StateReady || !f.Hidden || visible(t, ctx, "fatal-continue") {
		t.Errorf("after continuing: data-state %q, #fatal hidden %v", f.State, f.Hidden)
	}
	pause(t, ctx)
	time.Sleep(300 * time.Millisecond)
	paused := state(t, ctx)
	snap, err := coretest.Trained(t, s.Fragment, died.Step).MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	want, err := core.LoadSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	// The new engine's optimizer starts afresh, as after an import of a
	// version 1 file: the page's mirror has the weights, not the moments,
	// which a snapshot now keeps.
	if err := want.SetOptimizerState(coretest.Trained(t, s.Fragment, 0).OptimizerState()); err != nil {
		t.Fatal(err)
	}
	want.Run(paused.Step - died.Step)
	if m := want.Metrics(); paused.Loss == nil || math.Abs(*paused.Loss-m.Loss) > 1e-12*math.Abs(m.Loss) || paused.Correct != m.Correct {
		t.Errorf("step %d after continuing from %d: loss %v correct %d; core from the snapshot: %v %d", paused.Step, died.Step, paused.Loss, paused.Correct, m.Loss, m.Correct)
	}
	click(t, ctx, "play", 1)

	// Restart from the link, after another Go panic: a new run.
	f = armPanic(t, ctx, s.Fragment, "engine")
	if f.State != harness.StateError || !visible(t, ctx, "fatal-continue") {
		t.Fatalf("second engine panic: data-state %q, continue shown %v", f.State, visible(t, ctx, "fatal-continue"))
	}
	click(t, ctx, "fatal-reset", 1)
	back := waitState(t, ctx, 10*time.Second, "a training network in a new engine", func(s appState) bool {
		return !s.Failed && s.Running && s.Step > 5
	})
	if back.Fragment != s.Fragment || back.Chart.First != 0 || back.Step > paused.Step {
		t.Errorf("after the restart: fragment %q, want %q; chart %+v, step %d (a new run from step 0)", back.Fragment, s.Fragment, back.Chart, back.Step)
	}
	if f := eval[fatalView](t, ctx, fatalJS); f.State != harness.StateReady || !f.Hidden || text(t, ctx, "fatal-title") != "Something went wrong" {
		t.Errorf("after the restart: data-state %q, #fatal hidden %v", f.State, f.Hidden)
	}

	// The worker's error event: a JavaScript error outside the engine's Go
	// code, which no fault message reports.
	f = armDebug(t, ctx, back.Fragment, "error-engine")
	if title := text(t, ctx, "fatal-title"); f.State != harness.StateError || f.Hidden || title != "The training engine stopped" ||
		!strings.Contains(f.Text, "the training engine stopped: the worker failed") || !strings.Contains(f.Text, "Restart from the link") {
		t.Fatalf("engine error event: data-state %q, #fatal hidden %v, title %q, text %.300q", f.State, f.Hidden, title, f.Text)
	}
	click(t, ctx, "fatal-reset", 1)
	waitState(t, ctx, 10*time.Second, "a training network in a new engine after the error event", func(s appState) bool {
		return !s.Failed && s.Running && s.Step > 5
	})
	for _, e := range harness.ConsoleOf(ctx).Errors() {
		if !strings.Contains(e, "the training engine failed") && !strings.Contains(e, "the training engine stopped") {
			t.Errorf("console %s", e)
		}
	}
}
