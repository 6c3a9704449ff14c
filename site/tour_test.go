package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/assets"
	"github.com/bottleneck-playground/bottleneck/core"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
)

// tourAppState is appState with the tour step of window.bottleneck.state().
type tourAppState struct {
	appState
	Tour       int `json:"tour"`
	MessageSeq int `json:"messageSeq"`
}

// tourStep is one step of assets.TourJSON. The test decodes the JSON itself
// because play.LoadTour is internal to wasm/; play's own tests check that
// LoadTour reads the same fields.
type tourStep struct {
	Title   string `json:"title"`
	Frag    string `json:"config"`
	View    string `json:"view"`
	Caption string `json:"caption"`
	Config  core.Config
}

func tourState(t *testing.T, ctx context.Context) tourAppState {
	t.Helper()
	return readHook[tourAppState](t, ctx, appHook)
}

func waitTour(t *testing.T, ctx context.Context, what string, ok func(tourAppState) bool) tourAppState {
	t.Helper()
	return waitHook(t, ctx, appHook, 30*time.Second, what, ok)
}

// tourSteps reads the tour as the page embeds it.
func tourSteps(t *testing.T) []tourStep {
	t.Helper()
	var steps []tourStep
	if err := json.Unmarshal(assets.TourJSON, &steps); err != nil || len(steps) < 8 {
		t.Fatalf("the tour: %d steps, %v", len(steps), err)
	}
	for i := range steps {
		c, err := core.ParseFragment(steps[i].Frag)
		if err != nil {
			t.Fatalf("tour step %d: %v", i+1, err)
		}
		steps[i].Config = c
	}
	return steps
}

// waitHash waits until location.hash is want.
func waitHash(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h := eval[string](t, ctx, `location.hash`)
		if h == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("location.hash = %q, want %q", h, want)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// visible reports whether the element with the id is rendered.
func visible(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	return eval[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.getElementById(%q); return !!e && e.offsetParent !== null; })()`, id))
}

// checkTourStep checks that the page shows step i (1-based) of steps: the
// panel's text, every control, the hook and the URL.
func checkTourStep(t *testing.T, ctx context.Context, steps []tourStep, i int) {
	t.Helper()
	st := steps[i-1]
	c := st.Config
	s := waitTour(t, ctx, fmt.Sprintf("tour step %d", i), func(s tourAppState) bool {
		return s.Tour == i && s.Fragment == c.Encode()
	})
	if s.N != c.N || s.K != c.K || !s.Running {
		t.Errorf("step %d: state %+v", i, s)
	}
	waitHash(t, ctx, "#"+c.Encode()+"&tour="+strconv.Itoa(i))
	for id, want := range map[string]string{
		"tour-title": st.Title, "tour-caption": st.Caption, "tour-step": fmt.Sprintf("Step %d of %d", i, len(steps)),
	} {
		if got := text(t, ctx, id); got != want {
			t.Errorf("step %d: #%s = %q, want %q", i, id, got, want)
		}
	}
	want := map[string]string{
		"n-num": strconv.Itoa(c.N), "k": strconv.Itoa(c.K), "k-value": strconv.Itoa(c.K), "task": string(c.Task),
		"shift": strconv.Itoa(c.Shift), "act": string(c.Activation), "out": string(c.Output), "opt": string(c.Optimizer),
		"lr": strconv.FormatFloat(c.LearningRate, 'g', -1, 64), "seed": strconv.FormatUint(c.Seed, 10),
	}
	for id, v := range want {
		js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); return e.tagName === "OUTPUT" ? e.textContent : e.value; })()`, id)
		if got := eval[string](t, ctx, js); got != v {
			t.Errorf("step %d: #%s = %q, want %q", i, id, got, v)
		}
	}
	for id, v := range map[string]bool{"hidden-bias": c.HiddenBias, "output-bias": c.OutputBias, "wrap": c.Wrap} {
		if got := eval[bool](t, ctx, fmt.Sprintf(`document.getElementById(%q).checked`, id)); got != v {
			t.Errorf("step %d: #%s checked = %v, want %v", i, id, got, v)
		}
	}
	if visible(t, ctx, "tour-start") || !visible(t, ctx, "tour-caption") {
		t.Errorf("step %d: the start button shows, or the caption does not", i)
	}
}

// TestTourDeepLinkNextBack opens #tour=3, goes to step 4 and back, then
// changes a control, which leaves the tour; then takes the tour from its
// start button and exits it.
func TestTourDeepLinkNextBack(t *testing.T) {
	steps := tourSteps(t)
	ctx := open(t, "#tour=3")
	checkTourStep(t, ctx, steps, 3)
	if c := steps[2].Config; c.N != 5 || c.K != 1 || !c.OutputBias {
		t.Fatalf("step 3 is %s; the test expects 5-1-5 with output biases", c.Encode())
	}
	click(t, ctx, "tour-next", 1)
	checkTourStep(t, ctx, steps, 4)
	click(t, ctx, "tour-back", 1)
	checkTourStep(t, ctx, steps, 3)

	// Any control leaves the tour: the URL keeps the config, without tour=.
	setControl(t, ctx, "k", "2")
	s := waitTour(t, ctx, "k=2, tour off", func(s tourAppState) bool { return s.K == 2 && s.Tour == 0 })
	waitHash(t, ctx, "#"+s.Fragment)
	if !visible(t, ctx, "tour-start") || visible(t, ctx, "tour-caption") {
		t.Error("after leaving the tour: no start button, or the caption still shows")
	}

	// The start button opens step 1; Exit keeps its run and drops tour=.
	click(t, ctx, "tour-start", 1)
	checkTourStep(t, ctx, steps, 1)
	if eval[bool](t, ctx, `!document.getElementById("tour-back").disabled`) {
		t.Error("Back is enabled on step 1")
	}
	click(t, ctx, "tour-exit", 1)
	waitTour(t, ctx, "exit", func(s tourAppState) bool { return s.Tour == 0 && s.Fragment == steps[0].Config.Encode() })
	waitHash(t, ctx, "#"+steps[0].Config.Encode())

	// The last step links to the capacity explorer with settings it takes
	// as they are.
	eval[bool](t, ctx, fmt.Sprintf(`(location.hash = "#tour=%d", true)`, len(steps)))
	checkTourStep(t, ctx, steps, len(steps))
	if !visible(t, ctx, "tour-capacity") {
		t.Error("the capacity step shows no link to the explorer")
	}
	href := eval[string](t, ctx, `document.getElementById("tour-capacity").getAttribute("href")`)
	page, frag, _ := strings.Cut(href, "#")
	if _, errs := capacity.Parse(frag); page != "capacity.html" || frag == "" || len(errs) > 0 {
		t.Errorf("capacity link %q: %v", href, errs)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// TestTourStepTwoClaim checks step 2's claim in the page as in the core:
// one hidden unit without output biases never gets more than two pairs
// right. A poller in the page reads the state every few milliseconds; every
// step it saw must match a native run of the same config at that step.
func TestTourStepTwoClaim(t *testing.T) {
	steps := tourSteps(t)
	c := steps[1].Config
	if c.K != 1 || c.OutputBias {
		t.Fatalf("step 2 is %s; the test expects one hidden unit without output biases", c.Encode())
	}
	ctx := open(t, "#tour=2")
	waitTour(t, ctx, "tour step 2", func(s tourAppState) bool { return s.Tour == 2 })
	// Slow motion (10 steps a second, about one a frame), so that the
	// poller (which runs between frames: the iframe shares the page's
	// thread) sees most steps; then a known start.
	setControl(t, ctx, "speed", "0")
	click(t, ctx, "reset", 1)
	eval[bool](t, ctx, `(() => {
		window.tourSeen = {};
		window.tourPoll = setInterval(() => {
			const s = JSON.parse(window.bottleneck.state());
			window.tourSeen[s.step] = s.correct;
		}, 3);
		return true;
	})()`)
	const target = 200 // at 10 steps a second: 20 s
	waitTour(t, ctx, "step "+strconv.Itoa(target), func(s tourAppState) bool { return s.Step >= target })
	click(t, ctx, "play", 1)
	end := waitTour(t, ctx, "pause", func(s tourAppState) bool { return !s.Running })
	time.Sleep(100 * time.Millisecond)
	seen := eval[map[string]int](t, ctx, `(clearInterval(window.tourPoll), window.tourSeen)`)
	if len(seen) < 30 {
		t.Fatalf("the poller saw only %d steps", len(seen))
	}
	tr, err := core.NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	native := map[int]int{}
	for i := 0; i <= end.Step; i++ {
		native[i] = tr.Metrics().Correct
		if i < end.Step {
			tr.Step()
		}
	}
	most := 0
	for k, correct := range seen {
		step, _ := strconv.Atoi(k)
		most = max(most, correct)
		if correct > 2 {
			t.Errorf("step %d: %d pairs right with one unit and no output bias", step, correct)
		}
		if want, ok := native[step]; !ok || correct != want {
			t.Errorf("step %d: the page has %d right, the core %d", step, correct, want)
		}
	}
	if m := tr.Metrics(); end.Correct != m.Correct || end.Loss == nil || *end.Loss != m.Loss {
		t.Errorf("paused at step %d: page correct %d loss %v, core %d %v", end.Step, end.Correct, end.Loss, m.Correct, m.Loss)
	}
	t.Logf("%d steps seen up to %d, at most %d of %d right", len(seen), end.Step, most, end.Pairs)
	harness.ConsoleOf(ctx).Check(t)
}

// TestTourBadLinks: a bad tour value is named in a message and the page runs
// the defaults (from the start) or keeps its run (a pasted link); with
// tour=N the step wins over the config keys beside it.
func TestTourBadLinks(t *testing.T) {
	steps := tourSteps(t)
	ctx := open(t, "#tour=99")
	s := tourState(t, ctx)
	if msg := text(t, ctx, "message"); !strings.Contains(msg, "tour:") || !strings.Contains(msg, `"99"`) || !strings.Contains(msg, fmt.Sprintf("1 to %d", len(steps))) {
		t.Errorf("#message = %q", msg)
	}
	if s.Tour != 0 || s.Fragment != core.DefaultConfig().Encode() {
		t.Errorf("after #tour=99: %+v, want the defaults without the tour", s)
	}
	if !visible(t, ctx, "tour-start") || !visible(t, ctx, "message") {
		t.Error("the start button or the message is not shown")
	}
	for _, bad := range []string{"tour=0", "tour=abc", "tour=-1", "tour=", "tour=1&tour=2", "n=5&tour=" + strings.Repeat("9", 5000)} {
		before := tourState(t, ctx)
		eval[bool](t, ctx, fmt.Sprintf(`(location.hash = %q, true)`, "#"+bad))
		s := waitTour(t, ctx, fmt.Sprintf("a message for #%.40s", bad), func(s tourAppState) bool { return s.MessageSeq > before.MessageSeq })
		if msg := text(t, ctx, "message"); !strings.HasPrefix(msg, `The link's settings were not used: tour: "`) || !strings.Contains(msg, "current run goes on") || len(msg) > 300 {
			t.Errorf("#%.40s: #message = %.300q", bad, msg)
		}
		if s.Fragment != before.Fragment || s.Step < before.Step || s.Tour != 0 {
			t.Errorf("#%.40s: the run was not kept: %+v", bad, s)
		}
	}
	// The step wins over the keys beside it, bad ones too.
	eval[bool](t, ctx, `(location.hash = "#tour=3&n=abc&k=7", true)`)
	checkTourStep(t, ctx, steps, 3)
	if visible(t, ctx, "message") {
		t.Errorf("a message for a tour link: %q", text(t, ctx, "message"))
	}
	harness.ConsoleOf(ctx).Check(t)
}

// TestTourScreenshots saves the tour panel, wide, on a phone and dark, to
// $BOTTLENECK_SHOTS for a look.
func TestTourScreenshots(t *testing.T) {
	if shotDir() == "" {
		t.Skip("set BOTTLENECK_SHOTS to a folder to save screenshots")
	}
	for _, c := range []struct {
		name, frag string
		w, h       int
		dark       bool
	}{
		{"tour-wide", "#tour=4", 1280, 800, false},
		{"tour-off", "", 1280, 800, false},
		{"tour-phone", "#tour=2", 390, 844, false},
		{"tour-dark", "#tour=8", 1280, 800, true},
		{"tour-built", "#tour=9", 1280, 800, false},
		{"tour-phone-dark", "#tour=6", 390, 844, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := open(t, c.frag, harness.WindowSize(max(c.w, 500), c.h))
			if c.w < 500 { // headless windows are at least 500 wide: emulate the phone
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(c.w), int64(c.h))); err != nil {
					t.Fatal(err)
				}
			}
			if c.dark {
				dark := []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: dark}); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(1200 * time.Millisecond)
			if _, err := harness.Screenshot(ctx, shotPath(c.name+".png")); err != nil {
				t.Fatal(err)
			}
			harness.ConsoleOf(ctx).Check(t)
		})
	}
}

// uncoveredJS reports, for each id given, whether a person sees the
// element: it has a box, and the element on top at its centre is the
// element itself or inside it (not the canvas's iframe, say, laid over it).
const uncoveredJS = `((ids) => ids.map(id => {
	const e = document.getElementById(id);
	if (!e) return id + ": missing";
	const r = e.getBoundingClientRect();
	if (r.width === 0 || r.height === 0) return id + ": no box";
	const x = r.left + r.width / 2, y = r.top + r.height / 2;
	if (y < 0 || y > innerHeight || x < 0 || x > innerWidth) e.scrollIntoView({block: "nearest"});
	const q = e.getBoundingClientRect();
	const top = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
	return top && (top === e || e.contains(top)) ? "" : id + ": under " + (top ? (top.id || top.tagName) : "nothing");
}).filter(Boolean))`

// TestTourFitsAProjector steps through the tour in windows of 1280x720 (a
// projector's) and 1280x800: on every step the caption, the canvas and the
// status line (which steps 6 and 7 ask the reader to judge from) are all
// there to see, none under another. The status line was once laid under
// the canvas whenever the caption took three lines. Out of the tour, at
// 1280x800 the page fits the window: the status line shows without
// scrolling.
func TestTourFitsAProjector(t *testing.T) {
	steps := tourSteps(t)
	for _, size := range [][2]int{{1280, 720}, {1280, 800}} {
		ctx := open(t, "#tour=1", harness.WindowSize(size[0], size[1]))
		for i := 1; i <= len(steps); i++ {
			if i > 1 {
				click(t, ctx, "tour-next", 1)
			}
			waitTour(t, ctx, fmt.Sprintf("tour step %d", i), func(s tourAppState) bool { return s.Tour == i })
			time.Sleep(200 * time.Millisecond) // the panel's new caption laid out
			ids := []string{"tour-caption", "app-frame", "stat-step", "stat-loss", "stat-maxw", "stat-solved"}
			if hidden := eval[[]string](t, ctx, uncoveredJS+"("+jsonOf(t, ids)+")"); len(hidden) > 0 {
				t.Errorf("tour step %d at %dx%d: %v", i, size[0], size[1], hidden)
			}
			// The side panel's text wraps: step 8's list of 30 outputs once ran
			// out of the panel.
			if wide := eval[bool](t, ctx, `(() => { const e = document.querySelector(".explain"); return e.scrollWidth > e.clientWidth + 1; })()`); wide {
				t.Errorf("tour step %d at %dx%d: the walk-through panel's text is wider than the panel", i, size[0], size[1])
			}
			eval[bool](t, ctx, `(document.querySelector(".stage").scrollTop = 0, window.scrollTo(0, 0), true)`)
		}
		if size[1] == 800 {
			click(t, ctx, "tour-exit", 1)
			waitTour(t, ctx, "the tour left", func(s tourAppState) bool { return s.Tour == 0 })
			time.Sleep(200 * time.Millisecond)
			if fits := eval[bool](t, ctx, `document.getElementById("status").getBoundingClientRect().bottom <= innerHeight && scrollY === 0`); !fits {
				t.Errorf("out of the tour at 1280x800 the status line is below the window")
			}
		}
		harness.ConsoleOf(ctx).Check(t)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEmbedLayoutFits opens embed.html on the tour's longest step in frames
// of an article's sizes and checks that the caption, the canvas and the
// status line are all there to see. At 900 px and wider the playground's
// grid areas once applied to the embed's grid too and laid its canvas over
// the caption.
func TestEmbedLayoutFits(t *testing.T) {
	for _, size := range [][2]int{{1000, 560}, {800, 450}} {
		ctx := openPath(t, "/embed.html#tour=6", harness.WindowSize(size[0], size[1]))
		waitTour(t, ctx, "tour step 6", func(s tourAppState) bool { return s.Tour == 6 })
		ids := []string{"tour-caption", "app-frame", "stat-step", "stat-loss", "stat-maxw"}
		if hidden := eval[[]string](t, ctx, uncoveredJS+"("+jsonOf(t, ids)+")"); len(hidden) > 0 {
			t.Errorf("embed.html at %dx%d: %v", size[0], size[1], hidden)
		}
		harness.ConsoleOf(ctx).Check(t)
	}
}
