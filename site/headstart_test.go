package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

// heldServer serves the built site like harness.StartServer, but holds every
// request for path until release is closed: a connection on which that file
// is very slow.
func heldServer(t *testing.T, path string) (base string, release func()) {
	t.Helper()
	gate := make(chan struct{})
	base = harness.StartServerVia(t, harness.DistDir(t), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	var released bool
	release = func() {
		if !released {
			released = true
			close(gate)
		}
	}
	t.Cleanup(release) // before the server's Close, which waits for held requests
	return base, release
}

// headStartView is what a person sees of the head start, and what the
// page's engine-start.js last showed.
type headStartView struct {
	State  string   `json:"state"` // <html data-state>
	Shape  string   `json:"shape"`
	Conn   string   `json:"conn"` // the tagline's connection count
	Step   string   `json:"step"`
	Loss   string   `json:"loss"`
	Acc    string   `json:"acc"`
	Label  string   `json:"label"`
	Shown  *float64 `json:"shownLoss"` // the loss of the state shown
	Solved string   `json:"solved"`
}

const headStartJS = `JSON.stringify({
	state: document.documentElement.dataset.state,
	shape: document.getElementById("stat-shape").textContent,
	conn: document.getElementById("stat-conn").textContent,
	step: document.getElementById("stat-step").textContent,
	loss: document.getElementById("stat-loss").textContent,
	acc: document.getElementById("stat-acc").textContent,
	solved: document.getElementById("stat-solved").textContent,
	label: document.querySelector("#load-box label").textContent,
	shownLoss: (() => { const l = window.bottleneckEngineStart.last; return l ? Number(l.metrics.loss) : null; })(),
})`

// TestEngineStartsBeforeTheApp holds the canvas's program (bottleneck.wasm)
// back, as a slow line would: the engine the page starts on its own
// (engine-start.js) trains the link's run and the status line shows it
// going on while the canvas is still loading. When the program arrives it
// takes the engine over and goes on from the engine's step, on core's run.
func TestEngineStartsBeforeTheApp(t *testing.T) {
	const frag = "n=12&k=3&seed=5"
	base, release := heldServer(t, "/bottleneck.wasm")
	ctx, _ := harness.NewContext(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#"+frag+"&hide=tour")); err != nil {
		t.Fatal(err)
	}
	read := func() headStartView {
		var v headStartView
		if err := json.Unmarshal([]byte(eval[string](t, ctx, headStartJS)), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	stepOf := func(v headStartView) int {
		n, err := strconv.Atoi(v.Step)
		if err != nil {
			t.Fatalf("the status line's step %q is not a number", v.Step)
		}
		return n
	}
	var first headStartView
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if first = read(); stepOf(first) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no training shown while the app loads: %+v", first)
		}
	}
	time.Sleep(time.Second)
	later := read()
	if later.State != "loading" {
		t.Fatalf("the page is %q while its program is held back", later.State)
	}
	if stepOf(later) <= stepOf(first) {
		t.Errorf("the step shown went from %d to %d in a second: training is not under way", stepOf(first), stepOf(later))
	}
	if later.Shape != "12-3-12" || later.Conn != "72 connections (144 without the hidden layer)" || later.Solved == "" || later.Acc == "–" {
		t.Errorf("the status line while the app loads: %+v", later)
	}
	if later.Shown == nil || later.Loss != strconv.FormatFloat(*later.Shown, 'g', 5, 64) {
		t.Errorf("the loss shown is %q; Go's format of the state's loss %v gives %q, as the page will", later.Loss, later.Shown, strconv.FormatFloat(*later.Shown, 'g', 5, 64))
	}
	if later.Label == "" || later.Label == "Loading the playground…" {
		t.Errorf("the loading label %q does not say that training has started", later.Label)
	}
	checkPreview(t, ctx, frag, &figure.Light)

	release()
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	s := state(t, ctx)
	if s.Step < stepOf(later) {
		t.Errorf("the app started at step %d, behind the %d the engine had shown: it did not keep the head start", s.Step, stepOf(later))
	}
	pause(t, ctx)
	time.Sleep(300 * time.Millisecond)
	s = state(t, ctx)
	tr := coretest.Trained(t, frag, s.Step)
	if m := tr.Metrics(); s.Loss == nil || math.Abs(*s.Loss-m.Loss) > 1e-12*math.Abs(m.Loss) || s.Correct != m.Correct {
		t.Errorf("step %d after the takeover: loss %v correct %d, core's run %v %d", s.Step, s.Loss, s.Correct, m.Loss, m.Correct)
	}
	// The charts hold every step from 0, those trained before the canvas
	// joined too: the engine recorded them.
	if c := s.Chart; c.First != 0 || c.Last != s.Step || c.Samples != s.Step+1 {
		t.Errorf("at step %d the loss chart holds steps %d..%d in %d samples; want 0..%[1]d, every step", s.Step, c.First, c.Last, c.Samples)
	}
	if got := eval[bool](t, ctx, `window.bottleneckEngineStart.adopted`); !got {
		t.Error("the app did not take the page's engine over")
	}
	if shown := eval[bool](t, ctx, `!document.getElementById("preview").hidden && !document.getElementById("load-box").hidden`); shown {
		t.Error("the still picture is on screen after the canvas drew its first frame")
	}
	// The page had the canvas's program compiled while it loaded (in
	// compile-worker.js, which downloaded it), and the iframe ran that: the
	// page and the iframe did not download it themselves.
	fetches := eval[string](t, ctx, `(() => {
		const url = new URL("bottleneck.wasm", location.href).href;
		const frame = document.getElementById("app-frame").contentWindow;
		return performance.getEntriesByName(url).length + " by the page, " +
			frame.performance.getEntriesByName(url).length + " by the iframe, compiled from " +
			window.bottleneckEngineStart.appSource.replace(location.origin, "");
	})()`)
	if fetches != "0 by the page, 0 by the iframe, compiled from /bottleneck.wasm" {
		t.Errorf("bottleneck.wasm was downloaded %s; want only by the page's compile worker (compile-worker.js), whose compile the iframe's loader uses", fetches)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// previewJS reads the still picture the page shows while the canvas loads:
// whether it is on screen, its box, the step it names and the SVG it shows
// (engine-start.js keeps it: the page's CSP does not let a script read its
// blob: URL back).
const previewJS = `(() => {
	const img = document.getElementById("preview"), p = window.bottleneckEngineStart.picture;
	const r = img.getBoundingClientRect();
	return { shown: !img.hidden && !document.getElementById("load-box").hidden && img.complete && img.naturalWidth > 0,
		w: r.width, h: r.height, step: Number(img.dataset.step || -1), alt: img.alt,
		svgStep: p ? p.step : -1, svg: p ? p.svg : "" };
})()`

// checkPreview checks the picture of the network that the page shows while
// the canvas's program is held back: a person sees it where the canvas will
// be, with blue and red lines, and it is exactly the figure of core's run
// of frag at the step it names in colors (wasm/figure; in Light, as "Save
// SVG" saves it), drawn by the engine. Later pictures follow the training.
func checkPreview(t *testing.T, ctx context.Context, frag string, colors *figure.Colors) {
	t.Helper()
	type preview struct {
		Shown         bool
		W, H          float64
		Step, SVGStep int
		Alt, SVG      string
	}
	read := func() preview { return eval[preview](t, ctx, previewJS) }
	var p preview
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if p = read(); p.Shown && p.Step > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no picture of the trained network while the app loads: %+v", p)
		}
	}
	if p.W < 300 || p.H < 150 {
		t.Errorf("the picture is %.0f x %.0f CSS pixels: too small to see", p.W, p.H)
	}
	if p.SVGStep != p.Step {
		t.Errorf("the picture names step %d, its SVG is of step %d", p.Step, p.SVGStep)
	}
	checkNetworkPicture(t, ctx, "#preview", frag, colors, p.Step, p.SVG, p.Alt, func() int { return read().Step })
}

// On a dark page the picture shown while the canvas loads is in the dark
// theme (figure.Dark), as the canvas will draw, not a white box.
func TestPreviewInTheDarkTheme(t *testing.T) {
	const frag = "n=7&k=2&seed=4"
	base, _ := heldServer(t, "/bottleneck.wasm")
	ctx, _ := harness.NewContext(t)
	dark := []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: dark}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#"+frag)); err != nil {
		t.Fatal(err)
	}
	checkPreview(t, ctx, frag, &figure.Dark)
	harness.ConsoleOf(ctx).Check(t)
}

// A broken canvas program (the file is not wasm) gets a clear message in the
// page, not a blank one, and the engine the page started goes on training:
// the status line still counts.
func TestBrokenAppStillTrainsInTheEngine(t *testing.T) {
	base := harness.StartServerVia(t, harness.DistDir(t), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/bottleneck.wasm" {
				w.Header().Set("Content-Type", "application/wasm")
				w.Write([]byte("this is not a WebAssembly module"))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ctx, _ := harness.NewContext(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#n=9&k=2&seed=3")); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 30*time.Second); err == nil {
		t.Fatal("the page says ready with a broken program")
	}
	msg := text(t, ctx, "message")
	if !strings.Contains(msg, "The playground could not start: the program did not load") {
		t.Errorf("#message = %q", msg)
	}
	first := text(t, ctx, "stat-step")
	time.Sleep(time.Second)
	if later := text(t, ctx, "stat-step"); later == first || later == "0" {
		t.Errorf("the engine's step shown went from %q to %q: training stopped with the app", first, later)
	}
}

// builtPictureJS reads the page's first picture (#preview) while the
// engine is held back: whether a person sees it, its box, which file it
// shows and what it says.
const builtPictureJS = `(() => {
	const img = document.getElementById("preview"), r = img.getBoundingClientRect();
	return { shown: getComputedStyle(img).display !== "none" && !img.hidden && img.complete && img.naturalWidth > 0,
		w: r.width, h: r.height, src: img.currentSrc, built: img.hasAttribute("data-built"),
		step: Number(img.dataset.step || -1), alt: img.alt };
})()`

type builtPicture struct {
	Shown, Built bool
	W, H         float64
	Src, Alt     string
	Step         int
}

// The page's first paint shows the network: with the engine held back (as
// a slow line would), the playground at its default run shows the build's
// picture of that run before training (pages.Pictures), exactly core's
// network at step 0, in the page's theme. A link to another run does not
// show it. When the engine comes, its pictures of the training replace it
// (checkPreview), in the dark theme too.
func TestFirstPaintShowsTheBuiltPicture(t *testing.T) {
	// The engine is held back, and after it the canvas's program (whose
	// first frame would end the pictures).
	engineGate, appGate := make(chan struct{}), make(chan struct{})
	base := harness.StartServerVia(t, harness.DistDir(t), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gate := map[string]chan struct{}{"/engine.wasm": engineGate, "/bottleneck.wasm": appGate}[r.URL.Path]
			if gate != nil {
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	released := false
	release := func() {
		if !released {
			released = true
			close(engineGate)
		}
	}
	t.Cleanup(func() { release(); close(appGate) }) // before the server's Close, which waits for held requests
	dist := harness.DistDir(t)
	type view struct {
		name, frag string
		colors     *figure.Colors
		file       string // the built picture shown, or "" for none
		ctx        context.Context
	}
	views := []*view{
		{name: "light", colors: &figure.Light, file: "first-light.svg"},
		{name: "dark", colors: &figure.Dark, file: "first-dark.svg"},
		{name: "another run", frag: "n=7&k=2&seed=4", colors: &figure.Light},
	}
	for _, v := range views {
		v.ctx, _ = harness.NewContext(t)
		if v.colors == &figure.Dark {
			dark := []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}
			if _, err := chromedp.Call(v.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: dark}); err != nil {
				t.Fatal(err)
			}
		}
		url := base + "/"
		if v.frag != "" {
			url += "#" + v.frag
		}
		if err := chromedp.Do(v.ctx, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range views {
		read := func() builtPicture { return eval[builtPicture](t, v.ctx, builtPictureJS) }
		if v.file == "" {
			time.Sleep(time.Second) // the page has loaded but for the engine
			if p := read(); p.Shown {
				t.Errorf("%s: the build's picture of the default run (%s) is on screen at #%s", v.name, p.Src, v.frag)
			}
			continue
		}
		var p builtPicture
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			if p = read(); p.Shown {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no picture of the network while the engine is on its way: %+v", v.name, p)
			}
		}
		if !strings.HasSuffix(p.Src, "/"+v.file) || !p.Built || p.Step != 0 {
			t.Errorf("%s: the first picture is %s (built %v, step %d), want the build's %s at step 0", v.name, p.Src, p.Built, p.Step, v.file)
		}
		if p.W < 300 || p.H < 150 {
			t.Errorf("%s: the first picture is %.0f x %.0f CSS pixels: too small to see", v.name, p.W, p.H)
		}
		if !strings.Contains(p.Alt, "11-2-11 before training") {
			t.Errorf("%s: the first picture's alt text %q does not say it is 11-2-11 before training", v.name, p.Alt)
		}
		svg, err := os.ReadFile(filepath.Join(dist, v.file))
		if err != nil {
			t.Fatal(err)
		}
		tr := coretest.Trained(t, "", 0)
		if want := figure.NetworkIn(v.colors, tr.Network(), tr.Config(), 0); !bytes.Equal(svg, want) {
			t.Errorf("%s: %s is not the figure of core's default run at step 0 (%d bytes, want %d)", v.name, v.file, len(svg), len(want))
		}
		blue, red, _, err := harness.WeightColours(v.ctx, "#preview")
		if err != nil {
			t.Fatal(err)
		}
		if blue < 100 || red < 100 {
			t.Errorf("%s: the first picture shows %d blue and %d red pixels: the network's lines are not visible", v.name, blue, red)
		}
	}
	release()
	for _, v := range views {
		checkPreview(t, v.ctx, v.frag, v.colors)
		if p := eval[builtPicture](t, v.ctx, builtPictureJS); p.Built || !strings.HasPrefix(p.Src, "blob:") {
			t.Errorf("%s: after the engine's picture the page shows %s (built %v), want the engine's blob", v.name, p.Src, p.Built)
		}
		harness.ConsoleOf(v.ctx).Check(t)
	}
}
