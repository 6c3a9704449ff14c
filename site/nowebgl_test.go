package site_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

// Without WebGL2 the page says so plainly where the network would be,
// and training still runs in the engine: the status line counts steps,
// a changed control rewrites the link, and Export saves the run.
func TestNoWebGL2StillTrains(t *testing.T) {
	ctx := open(t, "#n=8&k=3&seed=5", harness.Flag("disable-3d-apis", true), harness.Flag("disable-webgl", true))
	if got := eval[bool](t, ctx, `!!document.createElement("canvas").getContext("webgl2")`); got {
		t.Fatal("this browser still has WebGL2: the test cannot check the page without it")
	}
	s := state(t, ctx)
	if !s.NoWebGL2 {
		t.Fatalf("the page does not know it has no WebGL2: %+v", s)
	}
	msg := eval[string](t, ctx, `(() => {
		const el = document.getElementById("app-frame").contentDocument.getElementById("no-webgl2");
		return el ? el.textContent : "";
	})()`)
	for _, want := range []string{"could not start WebGL2", "cannot be drawn", "Training still runs", "hardware acceleration"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the page says %q, without %q", msg, want)
		}
	}
	// A person can read it: nothing covers it (ebiten's canvas, which fills
	// the body, is gone) and it is not dark on black (ebiten paints the
	// body black).
	seen := eval[string](t, ctx, `(() => {
		const doc = document.getElementById("app-frame").contentDocument, el = doc.getElementById("no-webgl2");
		if (!el) return "no message";
		const r = el.getBoundingClientRect(), top = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (top !== el) return "covered by " + (top ? top.tagName : "nothing");
		return "background " + getComputedStyle(doc.body).backgroundColor;
	})()`)
	if seen != "background rgb(251, 251, 253)" {
		t.Errorf("the message cannot be read: %s (want it uncovered, on app.css's background rgb(251, 251, 253))", seen)
	}
	// The status line shows training under way.
	s = waitState(t, ctx, 60*time.Second, "step 200", func(s appState) bool { return s.Step >= 200 })
	// The hidden space, which only the canvas draws, is not described as
	// if it had been drawn (it once read "0 codes projected on 2 principal
	// components" for this k = 3 network).
	if got := text(t, ctx, "hidden-summary"); !strings.Contains(got, "cannot show without WebGL2") {
		t.Errorf("the hidden-space summary says %q without WebGL2", got)
	}
	if got := text(t, ctx, "stat-step"); got == "0" || got == "" {
		t.Errorf("#stat-step = %q at step %d", got, s.Step)
	}
	checkStillPicture(t, ctx, "n=8&k=3&seed=5")
	// A control still rewrites the link and restarts the run.
	setControl(t, ctx, "k", "2")
	waitState(t, ctx, 10*time.Second, "k=2", func(s appState) bool { return s.K == 2 })
	if hash := eval[string](t, ctx, `location.hash`); !strings.Contains(hash, "k=2") {
		t.Errorf("location.hash = %q after k = 2", hash)
	}
	// Export saves the run's weights at the paused step.
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, 30*time.Second, "step 50", func(s appState) bool { return s.Step >= 50 })
	click(t, ctx, "play", 1)
	s = waitState(t, ctx, 10*time.Second, "pause", func(s appState) bool { return !s.Running })
	click(t, ctx, "export", 1)
	path := filepath.Join(dl, fmt.Sprintf("bottleneck-8-2-8-step%d.json", s.Step))
	var data []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var err error
		if data, err = os.ReadFile(path); err == nil && json.Valid(data) {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dl)
			t.Fatalf("no download %s; the folder holds %v", path, entries)
		}
	}
	tr, err := core.LoadSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if m := tr.Metrics(); m.Step != s.Step || tr.Config().K != 2 {
		t.Errorf("exported step %d k %d, the page shows step %d", m.Step, tr.Config().K, s.Step)
	}
}

// stillPictureJS reads the picture that stands in for the canvas without
// WebGL2 (wasm/nogl.go): whether it is on screen inside the iframe, its
// size, the step it names and its data: URL.
const stillPictureJS = `(() => {
	const img = document.getElementById("app-frame").contentDocument.getElementById("no-webgl2-picture");
	if (!img) return { shown: false };
	const r = img.getBoundingClientRect(), vh = img.ownerDocument.defaultView.innerHeight;
	return { shown: img.complete && img.naturalWidth > 0 && r.bottom <= vh + 1, w: r.width, h: r.height,
		step: Number(img.dataset.step || -1), alt: img.alt, src: img.getAttribute("src") || "" };
})()`

// checkStillPicture checks the picture a person sees instead of the canvas
// without WebGL2: inside the frame, large enough, with the network's blue
// and red lines, exactly the figure of core's run of frag at the step it
// names, and redrawn as training goes on.
func checkStillPicture(t *testing.T, ctx context.Context, frag string) {
	t.Helper()
	type picture struct {
		Shown    bool
		W, H     float64
		Step     int
		Alt, Src string
	}
	p := eval[picture](t, ctx, stillPictureJS)
	if !p.Shown || p.W < 250 || p.H < 120 {
		t.Fatalf("no picture of the network on screen without WebGL2: %+v", picture{Shown: p.Shown, W: p.W, H: p.H, Step: p.Step})
	}
	const prefix = "data:image/svg+xml;base64,"
	svg, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(p.Src, prefix))
	if !strings.HasPrefix(p.Src, prefix) || err != nil {
		t.Fatalf("the picture's src is not an SVG data URL (%v): %.80s", err, p.Src)
	}
	checkNetworkPicture(t, ctx, "#app-frame", frag, &figure.Light, p.Step, string(svg), p.Alt, func() int { return eval[picture](t, ctx, stillPictureJS).Step })
}

// checkNetworkPicture checks a picture of the network that a person sees
// inside the box of selector: its SVG is exactly the figure of core's run
// of frag at step in colors (figure.NetworkIn; in Light, as Save SVG saves
// it), its alt text
// names the step, its blue and red lines are on screen, and the step it
// shows (stepNow) moves on as training goes on.
func checkNetworkPicture(t *testing.T, ctx context.Context, selector, frag string, colors *figure.Colors, step int, svg, alt string, stepNow func() int) {
	t.Helper()
	tr := coretest.Trained(t, frag, step)
	if want := string(figure.NetworkIn(colors, tr.Network(), tr.Config(), step)); svg != want {
		t.Errorf("the picture of step %d is not the figure of core's run at that step (%d bytes, want %d): %.200s", step, len(svg), len(want), svg)
	}
	if !strings.Contains(alt, "at step "+strconv.Itoa(step)) {
		t.Errorf("the picture's alt text %q does not name its step %d", alt, step)
	}
	blue, red, _, err := harness.WeightColours(ctx, selector)
	if err != nil {
		t.Fatal(err)
	}
	if blue < 100 || red < 100 {
		t.Errorf("%s shows %d blue and %d red pixels: the network's lines are not visible", selector, blue, red)
	}
	waitPastStep(t, "the picture", step, stepNow)
}

// waitPastStep waits up to 10 s for step() to pass first: what shows a
// step (a picture, say) follows the training.
func waitPastStep(t *testing.T, what string, first int, step func() int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); step() <= first; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed at step %d for 10 s while training went on", what, first)
		}
	}
}
