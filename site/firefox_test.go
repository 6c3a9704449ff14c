package site_test

import (
	"fmt"
	"image"
	"reflect"
	"strings"
	"testing"
	"time"

	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
)

// The tests above run in Chromium; these run the two pages' main paths in
// Firefox (Debian's ESR), whose WebAssembly, workers, WebGL2 and layout are
// its own: the playground trains in its engine, the canvas draws it, the k
// slider rebuilds it, and 500 steps give core's run exactly; the explorer
// sweeps on two workers and gets core.Sweep's table.

// openFirefox starts Firefox on the built site's page at path (with its
// fragment) and waits until the page has drawn its first frame.
func openFirefox(t *testing.T, path string) *harness.FirefoxTab {
	t.Helper()
	base := harness.StartServer(t, harness.DistDir(t))
	ff := harness.NewFirefox(t, 1280, 800)
	if err := ff.Navigate(base + path); err != nil {
		t.Fatal(err)
	}
	if err := ff.WaitReady(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	return ff
}

// ffEval evaluates js in Firefox's tab and returns its value.
func ffEval[T any](t *testing.T, ff *harness.FirefoxTab, js string) T {
	t.Helper()
	return evalIn[T](t, ff.Evaluate, js)
}

// ffRect returns the rectangle of the element with the CSS selector, in
// screenshot pixels.
func ffRect(t *testing.T, ff *harness.FirefoxTab, selector string) image.Rectangle {
	t.Helper()
	v := ffEval[[]float64](t, ff, fmt.Sprintf(`(() => {
		const r = document.querySelector(%q).getBoundingClientRect(), s = window.devicePixelRatio || 1;
		return [r.left * s, r.top * s, r.right * s, r.bottom * s];
	})()`, selector))
	return image.Rect(int(v[0]+0.999), int(v[1]+0.999), int(v[2]), int(v[3]))
}

// ffNoErrors fails the test if the console showed errors.
func ffNoErrors(t *testing.T, ff *harness.FirefoxTab) {
	t.Helper()
	if errs := ff.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors in Firefox: %q", errs)
	}
}

func TestFirefoxPlayground(t *testing.T) {
	ff := openFirefox(t, "/#n=8&k=2&task=reverse&seed=7")
	s := hookIn[appState](t, ff.Evaluate, appHook)
	if s.NoWebGL2 {
		t.Fatal("Firefox could not start WebGL2 here: the test is for the live canvas")
	}
	// The status line counts the engine's steps.
	first := ffEval[string](t, ff, `document.getElementById("stat-step").textContent`)
	time.Sleep(1500 * time.Millisecond)
	if later := ffEval[string](t, ff, `document.getElementById("stat-step").textContent`); later == first {
		t.Errorf("the status line stays at step %s", first)
	}

	// The k slider, as a person drags it, rebuilds the network and the link.
	ffEval[bool](t, ff, `(() => {
		const el = document.getElementById("k");
		el.value = "3";
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	waitHookIn(t, ff.Evaluate, appHook, 10*time.Second, "k=3", func(s appState) bool { return s.K == 3 })
	const frag = "n=8&k=3&task=reverse&seed=7"
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(ffEval[string](t, ff, `location.hash`), "k=3") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if hash := ffEval[string](t, ff, `location.hash`); !strings.Contains(hash, "k=3") {
		t.Errorf("location.hash = %q after the k slider moved to 3", hash)
	}

	// Exactly 500 steps from a reset give core's run at step 500.
	ffEval[bool](t, ff, `(() => {
		document.getElementById("reset").click();
		const step = document.getElementById("step");
		for (let i = 0; i < 500; i++) step.click();
		return true;
	})()`)
	s = waitHookIn(t, ff.Evaluate, appHook, 30*time.Second, "step 500", func(s appState) bool { return s.Step == 500 && !s.Running })
	checkNativeRun(t, "Firefox", s, frag, 500)
	if got := ffEval[string](t, ff, `document.getElementById("stat-step").textContent`); got != "500" {
		t.Errorf("the status line shows step %q, want 500", got)
	}

	// What a person sees: the canvas draws the network, paused, with both
	// colours of connection and three hidden units.
	time.Sleep(300 * time.Millisecond)
	png, err := ff.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	rect := ffRect(t, ff, "#app-frame")
	blue, total, _ := harness.CountPixels(png, rect, harness.Bluish)
	red, _, _ := harness.CountPixels(png, rect, harness.Reddish)
	if blue < 100 || red < 100 {
		t.Errorf("connections: %d blue and %d red pixels of %d; want both colours", blue, red, total)
	}
	if n := hiddenBlobs(t, png, rect); n != 3 {
		t.Errorf("counted %d hidden units in the picture, want 3", n)
	}
	ffNoErrors(t, ff)
}

func TestFirefoxCapacityExplorer(t *testing.T) {
	const frag = "#k=1,2&budget=1500&seeds=2&max=64&workers=2"
	settings, want := nativeSweep(t, frag)
	ff := openFirefox(t, "/capacity.html"+frag)
	if s := hookIn[capState](t, ff.Evaluate, capHook); s.Settings != settings.Encode() || s.Started {
		t.Fatalf("initial state %+v, want settings %s", s, settings.Encode())
	}
	ffEval[bool](t, ff, `(document.getElementById("cap-start").click(), true)`)
	s := waitHookIn(t, ff.Evaluate, capHook, 90*time.Second, "the sweep to end", func(s capState) bool { return s.Done && s.Building == 0 })
	if s.Workers != 2 || s.LiveWorkers != 0 || s.Busy != 0 {
		t.Errorf("a sweep on 2 workers: hook says %d workers, %d alive, %d busy after the end", s.Workers, s.LiveWorkers, s.Busy)
	}
	var wantTable [][]string
	for _, r := range capacity.Rows(want, nativeBuilt(t, settings)) {
		wantTable = append(wantTable, r.Cells)
	}
	table := ffEval[[][]string](t, ff, `[...document.querySelectorAll("#cap-rows tr")].map(tr => [...tr.cells].map(c => c.textContent))`)
	if !reflect.DeepEqual(table, wantTable) {
		t.Errorf("table in Firefox %q\nnative %q", table, wantTable)
	}
	if txt := ffEval[string](t, ff, `document.getElementById("cap-progress-text").textContent`); !strings.HasPrefix(txt, "Done: 2 k values") {
		t.Errorf("progress text %q", txt)
	}
	ffNoErrors(t, ff)
}
