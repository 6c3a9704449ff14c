package site_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gonum.org/v1/gonum/mat"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// codeState is the part of the page hook the code drag and Fit outputs need.
type codeState struct {
	appState
	HiddenSpace struct {
		Kind    string      `json:"kind"`
		Box     *[4]float64 `json:"box"`
		Plot    *[4]float64 `json:"plot"`
		Unfit   []int       `json:"unfit"`
		Summary string      `json:"summary"`
		Dragged *struct {
			Input int       `json:"input"`
			Code  []float64 `json:"code"`
		} `json:"dragged"`
	} `json:"hiddenSpace"`
	View struct {
		Dots []*[2]float64
	} `json:"view"`
}

func readCode(t *testing.T, ctx context.Context) codeState {
	t.Helper()
	return readHook[codeState](t, ctx, appHook)
}

// placePixel is where the hidden-space point (x, y) is drawn, in the top
// page's CSS pixels.
func placePixel(t *testing.T, ctx context.Context, s codeState, x, y float64) (float64, float64) {
	t.Helper()
	b, p := s.HiddenSpace.Box, s.HiddenSpace.Plot
	if b == nil || p == nil {
		t.Fatalf("the hook has no hidden-space frame (kind %q)", s.HiddenSpace.Kind)
	}
	ox, oy := frameOrigin(t, ctx)
	return ox + p[0] + (x-b[0])/(b[2]-b[0])*p[2], oy + p[1] + (b[3]-y)/(b[3]-b[1])*p[3]
}

// dragDot drags input i's dot to the hidden-space point (x, y) in a few
// moves and releases it there.
func dragDot(t *testing.T, ctx context.Context, s codeState, i int, x, y float64) {
	t.Helper()
	d := s.View.Dots[i]
	if d == nil {
		t.Fatalf("input %d has no dot", i+1)
	}
	ox, oy := frameOrigin(t, ctx)
	x0, y0 := ox+d[0], oy+d[1]
	x1, y1 := placePixel(t, ctx, s, x, y)
	mouse(t, ctx, chromedp.MouseMoved, x0, y0, false)
	mouse(t, ctx, chromedp.MousePressed, x0, y0, true)
	for f := 0.25; f <= 1; f += 0.25 {
		mouse(t, ctx, chromedp.MouseMoved, x0+f*(x1-x0), y0+f*(y1-y0), true)
	}
	time.Sleep(150 * time.Millisecond)
	mouse(t, ctx, chromedp.MouseReleased, x1, y1, false)
}

// TestDragCode drags input 3's dot in the square of 11-2-11: the page sets
// that input's weights so that its code is where it was dropped, and the
// engine's weights are core's network with those weights, bit for bit. A
// place tanh cannot reach (outside the square) is refused with the reason,
// and the run is kept.
func TestDragCode(t *testing.T) {
	const frag = "n=11&k=2"
	ctx := open(t, "#"+frag)
	waitState(t, ctx, 30*time.Second, "step 30", func(s appState) bool { return s.Step >= 30 })
	pause(t, ctx)
	time.Sleep(300 * time.Millisecond)
	before := readCode(t, ctx)
	target := [2]float64{0.4, -0.5}
	dragDot(t, ctx, before, 2, target[0], target[1])
	var after codeState
	deadline := time.Now().Add(5 * time.Second)
	for {
		after = readCode(t, ctx)
		if d := after.HiddenSpace.Dragged; d != nil && d.Input == 2 && len(d.Code) == 2 &&
			math.Abs(d.Code[0]-target[0]) < 0.02 && math.Abs(d.Code[1]-target[1]) < 0.02 && after.Weights != before.Weights && !after.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dot did not land near %v: dragged %+v, weights %s (before %s)", target, after.HiddenSpace.Dragged, after.Weights, before.Weights)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	after = readCode(t, ctx)
	code := after.HiddenSpace.Dragged.Code
	tr := coretest.Trained(t, frag, before.Step)
	net := tr.Network()
	w, err := core.InputWeightsFor(net, 2, code)
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range w {
		net.W1.Set(h, 2, v)
	}
	if after.Step != before.Step || after.Weights != net.Digest() {
		t.Fatalf("after dropping input 3's code at %v: step %d (was %d), weights %s, core with those input weights %s", code, after.Step, before.Step, after.Weights, net.Digest())
	}
	pre, got := make([]float64, 2), make([]float64, 2)
	net.Hidden(2, pre, got)
	if math.Abs(got[0]-code[0]) > 1e-12 || math.Abs(got[1]-code[1]) > 1e-12 {
		t.Errorf("input 3's code is %v, dropped at %v", got, code)
	}
	// The engine has the edit: one step from there is core's step.
	tr.Refresh()
	tr.Run(1)
	click(t, ctx, "step", 1)
	stepped := waitState(t, ctx, 10*time.Second, "one step", func(s appState) bool { return s.Step == before.Step+1 && !s.Running })
	if stepped.Weights != tr.Network().Digest() {
		t.Fatalf("one step after the drag: weights %s, core %s", stepped.Weights, tr.Network().Digest())
	}
	after = readCode(t, ctx)
	if shotDir() != "" {
		if _, err := harness.Screenshot(ctx, shotPath("drag-code.png")); err != nil {
			t.Fatal(err)
		}
	}

	// Out of tanh's reach: refused, the run kept.
	dragDot(t, ctx, after, 2, 1.2, 0)
	deadline = time.Now().Add(5 * time.Second)
	for !strings.Contains(text(t, ctx, "message"), "Dragging a code") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	msg := text(t, ctx, "message")
	for _, want := range []string{"Dragging a code: input 3's code cannot go there", "out of reach: a tanh unit's value lies strictly between -1 and 1", "The code stays where it was."} {
		if !strings.Contains(msg, want) {
			t.Errorf("#message = %q, want it to contain %q", msg, want)
		}
	}
	// The moves on the way out (inside the square) did land; the last
	// one inside is what the page shows now, and nothing beyond.
	last := readCode(t, ctx)
	if c := last.HiddenSpace.Dragged.Code; !(c[0] < 1) {
		t.Errorf("a code at %v was set", c)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// TestFitOutputs clicks Fit outputs at 11-2-11 after 30 steps: every pair
// is right, with core's output layer for the page's codes, bit for bit.
// Then at 5-2-5 without output biases, built by hand and input 3's code
// dragged into the middle, Fit outputs names it, crosses its dot out and
// keeps the run.
func TestFitOutputs(t *testing.T) {
	const frag = "n=11&k=2"
	ctx := open(t, "#"+frag)
	waitState(t, ctx, 30*time.Second, "training", func(s appState) bool { return s.Step > 0 })
	pause(t, ctx)
	click(t, ctx, "reset", 1)
	waitState(t, ctx, 5*time.Second, "the reset", func(s appState) bool { return s.Step == 0 && !s.Running })
	click(t, ctx, "step", 30)
	waitState(t, ctx, 10*time.Second, "step 30", func(s appState) bool { return s.Step == 30 && !s.Running })
	time.Sleep(200 * time.Millisecond)
	before := readCode(t, ctx)
	if before.Correct == before.Pairs {
		t.Fatalf("solved already at step %d: the test would show nothing", before.Step)
	}
	tr := coretest.Trained(t, frag, before.Step)
	net := tr.Network()
	codes := mat.NewDense(net.N, net.K, nil)
	pre := make([]float64, net.K)
	for i := 0; i < net.N; i++ {
		net.Hidden(i, pre, codes.RawRowView(i))
	}
	cfg := tr.Config()
	w2, b2, err := core.FitOutputs(codes, core.Targets(&cfg), net.N, net.OutputBias, core.DefaultMargin)
	if err != nil {
		t.Fatal(err)
	}
	net.W2.Copy(w2)
	net.B2.CopyVec(b2)
	tr.Refresh()
	click(t, ctx, "fit-outputs", 1)
	s := waitState(t, ctx, 10*time.Second, "the fitted outputs", func(s appState) bool { return s.Weights == net.Digest() && !s.Running })
	if s.Correct != s.Pairs || s.Step != before.Step {
		t.Errorf("after Fit outputs: %d/%d right at step %d (was %d)", s.Correct, s.Pairs, s.Step, before.Step)
	}
	if n := text(t, ctx, "notice"); !strings.Contains(n, "Fitted the outputs of 11-2-11 to the codes: correct 10/10 (100%)") {
		t.Errorf("#notice = %q", n)
	}

	// 5-2-5 without output biases, a code in the middle.
	eval[bool](t, ctx, `(location.hash = "n=5&k=2&ob=0", true)`)
	waitState(t, ctx, 10*time.Second, "5-2-5 without output biases", func(s appState) bool {
		return strings.Contains(s.Fragment, "n=5") && strings.Contains(s.Fragment, "ob=0")
	})
	click(t, ctx, "construct", 1)
	waitState(t, ctx, 10*time.Second, "the hand-built network", func(s appState) bool { return s.Step == 0 && s.Correct == s.Pairs && !s.Running })
	time.Sleep(300 * time.Millisecond)
	c := readCode(t, ctx)
	dragDot(t, ctx, c, 2, 0, 0)
	waitHook(t, ctx, appHook, 5*time.Second, "input 3's code in the middle", func(s codeState) bool {
		d := s.HiddenSpace.Dragged
		return d != nil && d.Input == 2 && math.Hypot(d.Code[0], d.Code[1]) < 0.05
	})
	time.Sleep(300 * time.Millisecond)
	kept := readCode(t, ctx)
	click(t, ctx, "fit-outputs", 1)
	marked := waitHook(t, ctx, appHook, 5*time.Second, "input 3 crossed out", func(s codeState) bool { return len(s.HiddenSpace.Unfit) > 0 })
	if !reflect.DeepEqual(marked.HiddenSpace.Unfit, []int{3}) {
		t.Errorf("crossed out inputs %v, want [3]", marked.HiddenSpace.Unfit)
	}
	msg := text(t, ctx, "message")
	for _, want := range []string{"Fit outputs: without output biases 1 output(s) cannot win", "(input 3,", "crossed out in the hidden space", "The current run goes on."} {
		if !strings.Contains(msg, want) {
			t.Errorf("#message = %q, want it to contain %q", msg, want)
		}
	}
	if !strings.Contains(marked.HiddenSpace.Summary, "crossed out, their outputs cannot win without output biases: input 3") {
		t.Errorf("hidden-space summary %q does not name input 3", marked.HiddenSpace.Summary)
	}
	if marked.Weights != kept.Weights || marked.Step != kept.Step {
		t.Errorf("a refused fit changed the run: weights %s step %d, before %s step %d", marked.Weights, marked.Step, kept.Weights, kept.Step)
	}
	if shotDir() != "" {
		time.Sleep(300 * time.Millisecond)
		if _, err := harness.Screenshot(ctx, shotPath("fit-unwinnable.png")); err != nil {
			t.Fatal(err)
		}
	}
	harness.ConsoleOf(ctx).Check(t)
}

// TestDragCodeOnTheLine drags a code along the line of a relu 5-1-5: it
// lands where it was dropped, core's network with that input weight is the
// page's, and a negative place, which relu cannot reach, is refused.
func TestDragCodeOnTheLine(t *testing.T) {
	const frag = "n=5&k=1&act=relu&hb=1"
	ctx := open(t, "#"+frag)
	waitState(t, ctx, 30*time.Second, "training", func(s appState) bool { return s.Step > 0 })
	pause(t, ctx)
	time.Sleep(300 * time.Millisecond)
	before := readCode(t, ctx)
	if before.HiddenSpace.Kind != "intervals" {
		t.Fatalf("hidden space %q, want the line", before.HiddenSpace.Kind)
	}
	b := before.HiddenSpace.Box
	target := b[0] + 0.6*(b[2]-b[0])
	dragDot(t, ctx, before, 1, target, 0)
	after := waitHook(t, ctx, appHook, 5*time.Second, "input 2's code on the line", func(s codeState) bool {
		d := s.HiddenSpace.Dragged
		return d != nil && d.Input == 1 && len(d.Code) == 1 && math.Abs(d.Code[0]-target) < 0.02*(b[2]-b[0]) && s.Weights != before.Weights
	})
	time.Sleep(300 * time.Millisecond)
	after = readCode(t, ctx)
	code := after.HiddenSpace.Dragged.Code
	net := coretest.Trained(t, frag, before.Step).Network()
	w, err := core.InputWeightsFor(net, 1, code)
	if err != nil {
		t.Fatal(err)
	}
	net.W1.Set(0, 1, w[0])
	if after.Weights != net.Digest() {
		t.Fatalf("after dropping input 2's code at %v: weights %s, core %s", code, after.Weights, net.Digest())
	}
	if b[0] < 0 {
		t.Fatalf("the relu line starts at %v, below 0", b[0])
	}
	// Left of the line's start (0 for relu), the place is negative.
	dragDot(t, ctx, after, 1, b[0]-0.2*(b[2]-b[0]), 0)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(text(t, ctx, "message"), "Dragging a code") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if msg := text(t, ctx, "message"); !strings.Contains(msg, "input 2's code cannot go there") || !strings.Contains(msg, "a relu unit's value is never negative") {
		t.Errorf("#message = %q", msg)
	}
	harness.ConsoleOf(ctx).Check(t)
}
