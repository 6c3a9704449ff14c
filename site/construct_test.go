package site_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// TestConstructBuildsByHand clicks Construct at 64-2-64: the page shows
// core's hand-built network, bit for bit as built natively, paused at step
// 0 with every pair right, and says so in the status line; Play trains on
// from it as core does. Where no solution exists (64-1-64 without output
// biases) the button says why and the run goes on unchanged.
func TestConstructBuildsByHand(t *testing.T) {
	const frag = "n=64&k=2"
	ctx := open(t, "#"+frag)
	waitState(t, ctx, 30*time.Second, "training", func(s appState) bool { return s.Step > 0 })
	c, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	want, err := core.Construct(c)
	if err != nil {
		t.Fatal(err)
	}
	m := want.Metrics()
	digest := want.Network().Digest()

	click(t, ctx, "construct", 1)
	s := waitState(t, ctx, 10*time.Second, "the hand-built network", func(s appState) bool { return s.Weights == digest })
	if s.Step != 0 || s.Correct != m.Pairs || s.Pairs != m.Pairs || s.SolvedAt != 0 {
		t.Errorf("after Construct: step %d, %d/%d right, solved at %d; want step 0, %d/%d, solved at 0", s.Step, s.Correct, s.Pairs, s.SolvedAt, m.Pairs, m.Pairs)
	}
	// Once the engine has taken it over (and sent its own state), the
	// page still shows the same bits, paused.
	s = waitState(t, ctx, 10*time.Second, "the engine to settle", func(s appState) bool { return !s.Running })
	if s.Weights != digest || s.Step != 0 {
		t.Fatalf("after the engine took the hand-built network: weights %s at step %d, native %s", s.Weights, s.Step, digest)
	}
	status := map[string]string{
		"stat-step":   "0",
		"stat-acc":    fmt.Sprintf("%d/%d (100%%)", m.Pairs, m.Pairs),
		"stat-margin": strconv.FormatFloat(m.MinMargin, 'g', 3, 64),
		"stat-solved": "solved at step 0, built by hand",
	}
	for id, w := range status {
		if got := text(t, ctx, id); got != w {
			t.Errorf("#%s = %q, want %q", id, got, w)
		}
	}
	if m.MinMargin < core.DefaultMargin || status["stat-margin"] != "8" {
		t.Errorf("native smallest margin %v (shown %s), want at least %d", m.MinMargin, status["stat-margin"], core.DefaultMargin)
	}
	wantNotice := fmt.Sprintf("Built 64-2-64 by hand: correct %d/%d (100%%) at step 0, smallest margin 8. Play trains on from here.", m.Pairs, m.Pairs)
	if got := text(t, ctx, "notice"); got != wantNotice {
		t.Errorf("#notice = %q, want %q", got, wantNotice)
	}

	// Play trains on from the hand-built weights, as core does.
	click(t, ctx, "play", 1)
	waitState(t, ctx, 30*time.Second, "training on", func(s appState) bool { return s.Step >= 20 })
	click(t, ctx, "play", 1)
	s = waitState(t, ctx, 10*time.Second, "pause", func(s appState) bool { return !s.Running })
	want.Run(s.Step)
	if wm := want.Metrics(); s.Loss == nil || math.Abs(*s.Loss-wm.Loss) > 1e-9*wm.Loss || s.Correct != wm.Correct || s.SolvedAt != 0 {
		t.Errorf("at step %d: loss %v, %d right, solved at %d; core from the same weights: loss %v, %d right", s.Step, s.Loss, s.Correct, s.SolvedAt, wm.Loss, wm.Correct)
	}
	if got := text(t, ctx, "stat-solved"); got != "solved at step 0, built by hand" {
		t.Errorf("after training on, #stat-solved = %q", got)
	}

	// No solution: the run is kept and the message says why.
	checkConstructRefused(t, ctx)
	harness.ConsoleOf(ctx).Check(t)
}

// checkConstructRefused switches the page to 64-1-64 without output biases
// and clicks Construct, which must refuse with core's reason and leave the
// run as it was.
func checkConstructRefused(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(location.hash = "n=64&k=1&ob=0", true)`)
	waitState(t, ctx, 10*time.Second, "64-1-64 without output biases", func(s appState) bool {
		return strings.Contains(s.Fragment, "k=1") && strings.Contains(s.Fragment, "ob=0")
	})
	if eval[bool](t, ctx, `document.getElementById("play").getAttribute("aria-pressed") === "true"`) {
		click(t, ctx, "play", 1) // pause, so that the weights stay put
	}
	before := waitState(t, ctx, 10*time.Second, "pause", func(s appState) bool { return !s.Running })
	click(t, ctx, "construct", 1)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(text(t, ctx, "message"), "Construct") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	msg := text(t, ctx, "message")
	for _, w := range []string{"Construct: no hand-built solution for 64-1-64", "at most 2 of the task's 63 pairs can be right", "The current run goes on."} {
		if !strings.Contains(msg, w) {
			t.Errorf("#message = %q, want it to contain %q", msg, w)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if s := state(t, ctx); s.Weights != before.Weights || s.Step != before.Step {
		t.Errorf("a refused Construct changed the run: weights %s step %d, before %s step %d", s.Weights, s.Step, before.Weights, before.Step)
	}
	if got := text(t, ctx, "stat-solved"); strings.Contains(got, "by hand") {
		t.Errorf("#stat-solved = %q for a run that was not built by hand", got)
	}
}

// A link with lock=weights disables Construct, Fit outputs and Import, says
// so in the lock note, and refuses an edit by hand even when its button is
// clicked anyway: the run stays as training made it. (The App refuses every
// such edit, dragged lines and codes too: TestLockWeightsAndEditedByHand.)
func TestLockWeightsRefusesEditsByHand(t *testing.T) {
	ctx := open(t, "#n=8&k=2&lock=weights")
	s := waitState(t, ctx, 30*time.Second, "training", func(s appState) bool { return s.Step > 5 })
	for _, id := range []string{"construct", "fit-outputs", "import"} {
		if !eval[bool](t, ctx, fmt.Sprintf(`document.getElementById(%q).disabled`, id)) {
			t.Errorf("#%s is not disabled under lock=weights", id)
		}
	}
	if note := text(t, ctx, "lock-note"); !strings.Contains(note, "the weights") {
		t.Errorf("the lock note %q does not name the weights", note)
	}
	pause(t, ctx)
	s = waitState(t, ctx, 10*time.Second, "paused", func(s appState) bool { return !s.Running })
	// The button is disabled; its click handler, run anyway, is refused too.
	eval[bool](t, ctx, `(document.getElementById("construct").disabled = false, document.getElementById("construct").click(), true)`)
	msg := waitHook(t, ctx, `JSON.stringify(document.getElementById("message").textContent)`, 5*time.Second, "the refusal", func(m string) bool {
		return strings.Contains(m, "lock=weights")
	})
	if after := state(t, ctx); after.Weights != s.Weights || after.Step != s.Step {
		t.Errorf("Construct under lock=weights changed the run: %+v, then %+v (%s)", s, after, msg)
	}
	harness.ConsoleOf(ctx).Check(t)
}
