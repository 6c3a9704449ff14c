package site_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
)

// capState mirrors the JSON of window.bottleneckCapacity.state().
type capState struct {
	Ready       bool                 `json:"ready"`
	Failed      bool                 `json:"failed"`
	Frames      int                  `json:"frames"`
	SweepFrames int                  `json:"sweepFrames"`
	Handled     int                  `json:"handled"`
	Running     bool                 `json:"running"`
	Started     bool                 `json:"started"`
	Done        bool                 `json:"done"`
	Stopped     bool                 `json:"stopped"`
	Workers     int                  `json:"workers"`
	Busy        int                  `json:"busy"`
	LiveWorkers int                  `json:"liveWorkers"`
	WarmUpJobs  int                  `json:"warmUpJobs"`
	EngineError string               `json:"engineError"`
	Settings    string               `json:"settings"`
	Sweep       string               `json:"sweep"`
	Message     string               `json:"message"`
	Points      int                  `json:"points"`
	Steps       int64                `json:"steps"`
	ElapsedMs   float64              `json:"elapsedMs"`
	Results     []capacity.ExportRow `json:"results"`
	Table       [][]string           `json:"table"`
	Scaling     []capScaling         `json:"scaling"`
	// Built: per k, the largest N that core.Construct solves (the table's
	// built-by-hand column); Building counts the searches left.
	Built           []capacity.ExportBuilt `json:"built"`
	Building        int                    `json:"building"`
	BuiltMaxFrameMs float64                `json:"builtMaxFrameMs"`
}

// capScaling mirrors one k of the hook's scaling fits.
type capScaling struct {
	K          int     `json:"k"`
	Fitted     bool    `json:"fitted"`
	Points     int     `json:"points"`
	StepsExp   float64 `json:"stepsExp"`
	WeightsExp float64 `json:"weightsExp"`
	RefExp     float64 `json:"refExp"`
}

// openCapacity opens capacity.html at fragment and waits until the explorer
// has drawn its first frame.
func openCapacity(t *testing.T, fragment string, opts ...harness.Option) context.Context {
	t.Helper()
	return openPath(t, "/capacity.html"+fragment, opts...)
}

func capStateOf(t *testing.T, ctx context.Context) capState {
	t.Helper()
	return readHook[capState](t, ctx, capHook)
}

// capHook is the explorer's read-only test hook.
const capHook = `window.bottleneckCapacity.state()`

func waitCap(t *testing.T, ctx context.Context, timeout time.Duration, what string, ok func(capState) bool) capState {
	t.Helper()
	return waitHook(t, ctx, capHook, timeout, what, ok)
}

// midSweepJS presses Start, waits in the page until the sweep runs, then
// ticks k=3 and measures how long the explorer takes to handle the click
// while it sweeps. (It once waited for a finished point too, but the hook is
// refreshed only at a frame, at most four a second while the workers train,
// and this sweep can end within half a second: the hook then went from no
// point straight to the end.)
const midSweepJS = `(async () => {
	const st = () => JSON.parse(window.bottleneckCapacity.state());
	const sleep = ms => new Promise(r => setTimeout(r, ms));
	document.getElementById("cap-start").click();
	const t0 = performance.now();
	for (;;) {
		const s = st();
		if (s.running) break;
		if (s.done) return {error: "the sweep ended before a click could be tried"};
		if (performance.now() - t0 > 20000) return {error: "the sweep did not start"};
		await sleep(2);
	}
	const before = st();
	document.getElementById("cap-k3").click();
	const t1 = performance.now();
	for (;;) {
		const s = st();
		if (s.handled > before.handled) {
			return {ms: performance.now() - t1, running: s.running, stepsBefore: before.steps, stepsAfter: s.steps, settings: s.settings};
		}
		if (performance.now() - t1 > 5000) return {error: "the click was not handled within 5 s"};
		await sleep(1);
	}
})()`

type midSweep struct {
	Error       string  `json:"error"`
	Ms          float64 `json:"ms"`
	Running     bool    `json:"running"`
	StepsBefore int64   `json:"stepsBefore"`
	StepsAfter  int64   `json:"stepsAfter"`
	Settings    string  `json:"settings"`
}

// The explorer's sweep, on one engine worker and on two, equals core.Sweep
// run here with the same settings, the page stays responsive while it runs,
// and the table, the hook and the CSV export agree.
func TestCapacityExplorerSweep(t *testing.T) {
	for _, workers := range []int{1, 2} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			testCapacitySweep(t, fmt.Sprintf("#k=1,2&budget=1500&seeds=2&max=64&workers=%d", workers), workers)
		})
	}
}

// nativeSweep runs core.Sweep here with the settings of the explorer link
// fragment frag.
func nativeSweep(t *testing.T, frag string) (capacity.Settings, []core.KCapacity) {
	t.Helper()
	settings, errs := capacity.Parse(frag)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	res, err := core.Sweep(context.Background(), settings.Spec(), settings.Ks)
	if err != nil {
		t.Fatal(err)
	}
	return settings, res
}

// nativeBuilt runs core.LargestBuilt here for every k of settings.
func nativeBuilt(t *testing.T, settings capacity.Settings) []core.BuiltCapacity {
	t.Helper()
	var out []core.BuiltCapacity
	for _, k := range settings.Ks {
		b, err := core.LargestBuilt(settings.Spec(), k)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// checkBuilt checks the page's built-by-hand figures (hook and table) against
// core.Construct asked here directly: the N shown is solved with every pair
// right, and the N above it (within the range) is refused.
func checkBuilt(t *testing.T, ctx context.Context, settings capacity.Settings, s capState) {
	t.Helper()
	if len(s.Built) != len(settings.Ks) || s.Building != 0 {
		t.Fatalf("built by hand: %+v (%d searches left), want one per k of %v", s.Built, s.Building, settings.Ks)
	}
	spec := settings.Spec()
	table := eval[[][]string](t, ctx, `[...document.querySelectorAll("#cap-rows tr")].map(tr => [...tr.cells].map(c => c.textContent))`)
	titles := eval[[]string](t, ctx, `[...document.querySelectorAll("#cap-rows tr")].map(tr => tr.cells[2].title)`)
	if head := eval[string](t, ctx, `document.querySelectorAll("#cap-table thead th")[2].textContent`); head != "built by hand (max N)" {
		t.Errorf("third column %q", head)
	}
	for i, b := range s.Built {
		if b.K != settings.Ks[i] || b.MaxN < core.MinN {
			t.Errorf("built %+v for k=%d", b, settings.Ks[i])
			continue
		}
		cfg, err := spec.PointConfig(b.K, b.MaxN, 1)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := core.Construct(cfg)
		if err != nil || tr.Metrics().Correct != tr.Metrics().Pairs {
			t.Errorf("k=%d: the page says %d is built by hand, but Construct(%s): %v", b.K, b.MaxN, cfg.Shape(), err)
		}
		if b.MaxN < b.High {
			cfg, _ := spec.PointConfig(b.K, b.MaxN+1, 1)
			if _, err := core.Construct(cfg); err == nil || !strings.Contains(b.Refusal, err.Error()) {
				t.Errorf("k=%d: Construct(%s) gives %v; the page's refusal %q", b.K, cfg.Shape(), err, b.Refusal)
			}
		} else if b.High != min(settings.MaxN, map[bool]int{true: core.MaxNDirect, false: core.MaxN}[b.K == 0]) || !b.AtBound || b.Refusal != "" {
			t.Errorf("k=%d: at the bound %+v", b.K, b)
		}
		want := fmt.Sprint(b.MaxN)
		if b.AtBound {
			want = fmt.Sprintf("≥ %d (the bound)", b.MaxN)
		}
		if i >= len(table) || table[i][2] != want || (b.Refusal != "" && !strings.Contains(titles[i], b.Refusal)) {
			t.Errorf("k=%d: table row %q (title %q), want built-by-hand cell %q", b.K, table[min(i, len(table)-1)], titles[min(i, len(titles)-1)], want)
		}
	}
	t.Logf("built by hand: %+v; longest frame of constructing %.1f ms", s.Built, s.BuiltMaxFrameMs)
}

func testCapacitySweep(t *testing.T, frag string, workers int) {
	settings, want := nativeSweep(t, frag)
	wantRows := capacity.Rows(want, nativeBuilt(t, settings))

	ctx := openCapacity(t, frag)
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	s := capStateOf(t, ctx)
	if s.Settings != settings.Encode() || s.Started || s.Message != "" {
		t.Fatalf("initial state %+v, want settings %s", s, settings.Encode())
	}
	if h := eval[string](t, ctx, `location.hash`); h != "#"+settings.Encode() {
		t.Errorf("the address shows %q, want the canonical %q", h, "#"+settings.Encode())
	}
	if got := eval[bool](t, ctx, `document.getElementById("cap-k1").checked && document.getElementById("cap-k2").checked && !document.getElementById("cap-k3").checked && document.getElementById("cap-budget").value === "1500"`); !got {
		t.Error("the controls do not show the link's settings")
	}

	mid, err := chromedp.Run(ctx, chromedp.Evaluate[midSweep](midSweepJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if mid.Error != "" {
		t.Fatal(mid.Error)
	}
	t.Logf("mid-sweep click handled in %.0f ms (running %v, steps %d → %d)", mid.Ms, mid.Running, mid.StepsBefore, mid.StepsAfter)
	// The click is handled while the sweep goes on (or it had just ended:
	// on a fast machine this small sweep takes a fraction of a second). Speed
	// itself is for benchmarks; the 2 s bound only catches a blocked page.
	if mid.Ms > 2000 || !strings.HasPrefix(mid.Settings, "k=1,2,3&") {
		t.Errorf("mid-sweep click: %+v", mid)
	}
	if !mid.Running && mid.StepsAfter == mid.StepsBefore {
		t.Errorf("the click was not handled while the sweep ran: %+v", mid)
	}

	s = waitCap(t, ctx, 60*time.Second, "the sweep to end", func(s capState) bool { return s.Done && s.Building == 0 })
	if s.Workers != workers || s.LiveWorkers != 0 || s.Busy != 0 {
		t.Errorf("a sweep on %d workers: hook says %d workers, %d alive, %d busy after the end", workers, s.Workers, s.LiveWorkers, s.Busy)
	}
	if n := text(t, ctx, "notice"); !strings.Contains(n, "on "+capacity.Count(workers, "worker", "workers")) {
		t.Errorf("notice %q", n)
	}
	fps := float64(s.SweepFrames) / (s.ElapsedMs / 1000)
	t.Logf("sweep: %d frames in %.0f ms (%.0f frames/s), %d steps, %d points", s.SweepFrames, s.ElapsedMs, fps, s.Steps, s.Points)
	if s.SweepFrames < 3 {
		t.Errorf("the sweep did not yield to the page: %d frames in %.0f ms of sweeping", s.SweepFrames, s.ElapsedMs)
	}
	// Nor does it draw at every finished job: the workers' messages ask for
	// at most one frame per capacity.FrameGap, the status line's tick for
	// one a second, and the clicks above for a few.
	if most := int(s.ElapsedMs/float64(capacity.FrameGap.Milliseconds())+s.ElapsedMs/1000) + 6; s.SweepFrames > most {
		t.Errorf("%d frames in %.0f ms of sweeping, more than the %d that the pacing of the workers' messages allows", s.SweepFrames, s.ElapsedMs, most)
	}
	if s.Sweep != settings.Encode() {
		t.Errorf("the sweep ran %s, want %s (k=3 was ticked after Start)", s.Sweep, settings.Encode())
	}

	// The hook's results equal the native sweep.
	if len(s.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(s.Results), len(want))
	}
	for i, w := range capacity.JSONRows(wantRows) {
		g := s.Results[i]
		if g.K != w.K || g.MaxN != w.MaxN || g.AtBound != w.AtBound || g.Low != w.Low || g.High != w.High ||
			!reflect.DeepEqual(g.Steps, w.Steps) || g.MedianSteps != w.MedianSteps || !reflect.DeepEqual(g.Tried, w.Tried) {
			t.Errorf("k=%d: browser %+v\nnative %+v", w.K, g, w)
		}
		if len(g.MaxAbsWeight) != len(w.MaxAbsWeight) {
			t.Errorf("k=%d: %d weights, want %d", w.K, len(g.MaxAbsWeight), len(w.MaxAbsWeight))
			continue
		}
		for j := range w.MaxAbsWeight {
			if g.MaxAbsWeight[j] == nil || math.Abs(*g.MaxAbsWeight[j]-*w.MaxAbsWeight[j]) > 1e-9 {
				t.Errorf("k=%d seed %d: weight %v, native %v", w.K, j+1, g.MaxAbsWeight[j], *w.MaxAbsWeight[j])
			}
		}
	}
	// The table in the page, as the user reads it.
	table := eval[[][]string](t, ctx, `[...document.querySelectorAll("#cap-rows tr")].map(tr => [...tr.cells].map(c => c.textContent))`)
	var wantTable [][]string
	for _, r := range wantRows {
		wantTable = append(wantTable, r.Cells)
	}
	if !reflect.DeepEqual(table, wantTable) || !reflect.DeepEqual(s.Table, wantTable) {
		t.Errorf("table %q\nhook %q\nwant %q", table, s.Table, wantTable)
	}
	if head := eval[[]string](t, ctx, `[...document.querySelectorAll("#cap-table thead th")].map(c => c.textContent)`); !reflect.DeepEqual(head, capacity.Header) {
		t.Errorf("header %q", head)
	}
	if txt := text(t, ctx, "cap-progress-text"); !strings.HasPrefix(txt, "Done: 2 k values") {
		t.Errorf("progress text %q", txt)
	}
	checkBuilt(t, ctx, settings, s)

	// The CSV export, downloaded as a user would.
	click(t, ctx, "cap-csv", 1)
	path := filepath.Join(dl, capacity.FileName(settings, "csv"))
	var data []byte
	for deadline := time.Now().Add(10 * time.Second); ; {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 && strings.HasSuffix(string(b), "\n") {
			data = b
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dl)
			t.Fatalf("no download %s; the folder holds %v", path, entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatalf("CSV %q: %v", data, err)
	}
	wantRecs, _ := csv.NewReader(strings.NewReader(capacity.CSV(wantRows))).ReadAll()
	if len(recs) != len(wantRecs) || !reflect.DeepEqual(recs[0], capacity.CSVHeader) {
		t.Fatalf("CSV %q, want %q", recs, wantRecs)
	}
	for i := 1; i < len(recs); i++ {
		g, w := recs[i], wantRecs[i]
		// Every column but the weights must match exactly; the weights to
		// 1e-9 (they are printed in full).
		for j := range w {
			if CSVHeader := capacity.CSVHeader[j]; CSVHeader == "max_abs_weight_per_seed" {
				gw, ww := strings.Fields(g[j]), strings.Fields(w[j])
				if len(gw) != len(ww) {
					t.Errorf("CSV row %d weights %q, want %q", i, g[j], w[j])
				}
				for m := range min(len(gw), len(ww)) {
					var a, b float64
					fmt.Sscan(gw[m], &a)
					fmt.Sscan(ww[m], &b)
					if math.Abs(a-b) > 1e-9 {
						t.Errorf("CSV row %d weight %s, want %s", i, gw[m], ww[m])
					}
				}
				continue
			}
			if g[j] != w[j] {
				t.Errorf("CSV row %d column %s = %q, want %q", i, capacity.CSVHeader[j], g[j], w[j])
			}
		}
	}
	// The k=3 ticked mid-sweep is in the address for the next Start.
	if h := eval[string](t, ctx, `location.hash`); !strings.HasPrefix(h, "#k=1,2,3&budget=1500&seeds=2") {
		t.Errorf("the address after ticking k=3: %q", h)
	}
	if _, err := harness.Screenshot(ctx, capShot("capacity-done.png")); err != nil {
		t.Error(err)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// Without output biases one hidden unit separates at most two pairs: the
// built-by-hand column shows N=3 for k=1 (and the bound for k=2), each
// checked against core.Construct here, and the plot shows it.
func TestCapacityBuiltByHand(t *testing.T) {
	const frag = "#k=1,2&budget=300&seeds=1&ob=0&max=32&workers=1"
	settings, want := nativeSweep(t, frag)
	ctx := openCapacity(t, frag)
	click(t, ctx, "cap-start", 1)
	s := waitCap(t, ctx, 60*time.Second, "the sweep and the built-by-hand search to end", func(s capState) bool {
		return s.Done && s.Building == 0 || s.Failed || s.EngineError != ""
	})
	if !s.Done {
		t.Fatalf("the sweep did not end: %+v", s)
	}
	checkBuilt(t, ctx, settings, s)
	if len(s.Built) != 2 || s.Built[0].MaxN != 3 || s.Built[1].MaxN != 32 || !s.Built[1].AtBound {
		t.Errorf("built by hand %+v, want 3 for k=1 and the bound 32 for k=2", s.Built)
	}
	// The table's other columns are the native sweep's.
	var wantTable [][]string
	for _, r := range capacity.Rows(want, nativeBuilt(t, settings)) {
		wantTable = append(wantTable, r.Cells)
	}
	if !reflect.DeepEqual(s.Table, wantTable) {
		t.Errorf("table %q, want %q", s.Table, wantTable)
	}
	if e := s.Results[0].Built; e == nil || e.MaxN != 3 || !strings.Contains(e.Refusal, "4-1-4") {
		t.Errorf("export k=1 built %+v", e)
	}
	if _, err := harness.Screenshot(ctx, capShot("capacity-built.png")); err != nil {
		t.Error(err)
	}
	eval[any](t, ctx, `document.getElementById("cap-table").scrollIntoView()`)
	if _, err := harness.Screenshot(ctx, capShot("capacity-built-table.png")); err != nil {
		t.Error(err)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// Stop terminates every worker at once, and the page goes on answering.
func TestCapacityStop(t *testing.T) {
	ctx := openCapacity(t, "#k=3,4&budget=200000&seeds=3&max=1024&workers=2")
	click(t, ctx, "cap-start", 1)
	waitCap(t, ctx, 30*time.Second, "both workers to train", func(s capState) bool { return s.Busy == 2 && s.LiveWorkers == 2 })
	// The built-by-hand search runs in the page's frames after Start: one
	// Construct of 1024-k-1024 each (output biases on), the bound at once.
	b := waitCap(t, ctx, 30*time.Second, "the built-by-hand search", func(s capState) bool { return s.Building == 0 })
	if len(b.Built) != 2 || b.Built[0].K != 3 || b.Built[1].K != 4 {
		t.Errorf("built by hand %+v", b.Built)
	}
	for _, e := range b.Built {
		if e.MaxN != 1024 || !e.AtBound || len(e.Tried) != 1 {
			t.Errorf("k=%d built by hand %+v, want the bound 1024 at the first Construct", e.K, e)
		}
	}
	t.Logf("built by hand at 1024: the longest frame of constructing took %.0f ms", b.BuiltMaxFrameMs)
	click(t, ctx, "cap-stop", 1)
	s := waitCap(t, ctx, 5*time.Second, "the stop", func(s capState) bool { return s.Stopped })
	if s.Running || s.LiveWorkers != 0 {
		t.Errorf("after Stop: running %v, %d workers alive", s.Running, s.LiveWorkers)
	}
	if txt := text(t, ctx, "cap-progress-text"); !strings.HasPrefix(txt, "Stopped after") {
		t.Errorf("progress text %q", txt)
	}
	// The page answers: a control change is handled.
	before := s.Handled
	click(t, ctx, "cap-k2", 1)
	waitCap(t, ctx, 5*time.Second, "the click after Stop", func(s capState) bool { return s.Handled > before && strings.HasPrefix(s.Settings, "k=2,3,4&") })
	harness.ConsoleOf(ctx).Check(t)
}

// The explorer runs a frame only when what it shows changes, so that the
// workers get the cores (under SwiftShader every frame presented costs CPU):
// idle it runs none; while a sweep runs, the status line and the hook still
// move on by themselves, once a second, without any input.
func TestCapacityFramesOnlyOnChange(t *testing.T) {
	ctx := openCapacity(t, "#k=3,4&budget=200000&seeds=3&max=1024&workers=2")
	idle := func(when string) {
		t.Helper()
		// The change itself may still bring a frame or two (one the
		// workers' last messages asked for, spaced by capacity.Pacer; one
		// for the status line's new text): let them pass. A make test run
		// on a clean clone once counted 4 frames in the 2 s right after
		// Stop, which no rerun showed again.
		time.Sleep(time.Second)
		before := capStateOf(t, ctx).Frames
		time.Sleep(3 * time.Second)
		// One frame may have been scheduled before the page went idle; a
		// tick that went on would give three.
		if after := capStateOf(t, ctx).Frames; after > before+1 {
			t.Errorf("%s: %d frames in 3 s with nothing to show", when, after-before)
		}
	}
	warmedUp(t, ctx)
	idle("after loading")
	click(t, ctx, "cap-start", 1)
	s := waitCap(t, ctx, 30*time.Second, "both workers to train", func(s capState) bool { return s.Busy == 2 && s.Steps > 0 })
	progress := text(t, ctx, "cap-progress-text")
	waitCap(t, ctx, 5*time.Second, "the steps trained to be shown", func(n capState) bool { return n.Steps > s.Steps && n.ElapsedMs > s.ElapsedMs })
	// The status line counts points and seconds, not steps: a frame that
	// shows more steps may show the same line. It changes at the latest
	// with the next second (the tick's frame).
	waitHook(t, ctx, `JSON.stringify(document.getElementById("cap-progress-text").textContent)`, 5*time.Second,
		"the status line to change while the sweep runs", func(now string) bool { return now != progress })
	click(t, ctx, "cap-stop", 1)
	waitCap(t, ctx, 5*time.Second, "the stop", func(s capState) bool { return s.Stopped })
	idle("after Stop")
	harness.ConsoleOf(ctx).Check(t)
}

// warmedUp waits until the explorer's warm-up (explorer.WarmUpFor) has
// trained a job and ended: its worker is gone and no sweep has started.
func warmedUp(t *testing.T, ctx context.Context) capState {
	t.Helper()
	return waitCap(t, ctx, 15*time.Second, "the warm-up to train and end", func(s capState) bool {
		return s.WarmUpJobs >= 1 && s.LiveWorkers == 0
	})
}

// After its first frame, once the engine has compiled, the explorer trains
// the link's first point on one worker for a moment (explorer.WarmUpFor), so that a visitor's
// first sweep runs on optimised code, then ends it by itself: no worker
// is left training, and no sweep has started.
func TestCapacityWarmUp(t *testing.T) {
	ctx := openCapacity(t, "#k=2,3&budget=3000&seeds=2&max=64")
	s := warmedUp(t, ctx)
	if s.Started || s.Running {
		t.Errorf("the warm-up started a sweep: %+v", s)
	}
	time.Sleep(2 * time.Second)
	if s = capStateOf(t, ctx); s.LiveWorkers != 0 {
		t.Errorf("%d workers alive 2 s after the warm-up ended", s.LiveWorkers)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// When an engine dies (a Go panic in the worker), the sweep stops with a
// message naming the engine and why, every worker is terminated, and the
// restart button runs the sweep again to its end.
func TestCapacityEngineDies(t *testing.T) {
	ctx := openCapacity(t, "#k=1,2&budget=20000&seeds=2&max=256&workers=2")
	click(t, ctx, "cap-start", 1)
	waitCap(t, ctx, 30*time.Second, "a worker to train", func(s capState) bool { return s.Busy >= 1 })
	eval[any](t, ctx, `window.bottleneckCapacity.crashEngine(0)`)
	s := waitCap(t, ctx, 10*time.Second, "the dead engine to be noticed", func(s capState) bool { return s.EngineError != "" })
	msg := text(t, ctx, "message")
	if !strings.Contains(msg, "Training engine 1 of 2 stopped") || !strings.Contains(msg, "panic asked for by the page's test hook") || s.Message != msg {
		t.Errorf("message %q (hook %q)", msg, s.Message)
	}
	if s.Running || s.LiveWorkers != 0 {
		t.Errorf("after the death: running %v, %d workers alive", s.Running, s.LiveWorkers)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("cap-restart").hidden || document.getElementById("message").hidden`); hidden {
		t.Fatal("no visible message and restart button")
	}
	click(t, ctx, "cap-restart", 1)
	s = waitCap(t, ctx, 5*time.Second, "the restart", func(s capState) bool { return s.Running && s.EngineError == "" })
	if hidden := eval[bool](t, ctx, `document.getElementById("cap-restart").hidden && document.getElementById("message").hidden`); !hidden {
		t.Error("the message and the restart button stay after the restart")
	}
	click(t, ctx, "cap-stop", 1)
	waitCap(t, ctx, 5*time.Second, "the stop", func(s capState) bool { return s.Stopped && s.LiveWorkers == 0 })
}

// A bad link names the bad field, and the explorer starts with the defaults.
func TestCapacityBadLink(t *testing.T) {
	ctx := openCapacity(t, "#k=99&seeds=2")
	s := capStateOf(t, ctx)
	msg := text(t, ctx, "message")
	if !strings.Contains(msg, `k: "99" is not allowed`) || !strings.Contains(msg, "from 0 to 8") || s.Message != msg {
		t.Errorf("#message = %q (hook %q)", msg, s.Message)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("message").hidden`); hidden {
		t.Error("the message is hidden")
	}
	want := capacity.Defaults()
	want.Seeds = 2 // the good key still applies
	if s.Settings != want.Encode() {
		t.Errorf("settings %s, want %s", s.Settings, want.Encode())
	}
	// A bad value typed into a control is refused the same way.
	setControl(t, ctx, "cap-budget", "0")
	waitCap(t, ctx, 5*time.Second, "the refusal", func(s capState) bool { return strings.Contains(s.Message, "budget") })
	if v := eval[string](t, ctx, `document.getElementById("cap-budget").value`); v != "20000" {
		t.Errorf("the budget control shows %q after a refused value", v)
	}
	// The workers control: a number sets the link key, a bad one is refused,
	// empty goes back to the machine's default.
	setControl(t, ctx, "cap-workers", "2")
	waitCap(t, ctx, 5*time.Second, "workers=2", func(s capState) bool { return strings.HasSuffix(s.Settings, "&workers=2") })
	setControl(t, ctx, "cap-workers", "99")
	waitCap(t, ctx, 5*time.Second, "the refusal", func(s capState) bool { return strings.Contains(s.Message, "number of workers") })
	setControl(t, ctx, "cap-workers", "")
	waitCap(t, ctx, 5*time.Second, "the default pool", func(s capState) bool { return !strings.Contains(s.Settings, "workers") })
	harness.ConsoleOf(ctx).Check(t)
}

// The explorer on a phone: the plot, the controls and the table fit 390 px.
func TestCapacityPhone(t *testing.T) {
	ctx := openCapacity(t, "#k=1,2&budget=300&seeds=1&max=32", harness.WindowSize(390, 844))
	// Headless windows are at least 500 px wide: emulate the phone.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	click(t, ctx, "cap-start", 1)
	s := waitCap(t, ctx, 30*time.Second, "the sweep to end", func(s capState) bool { return s.Done })
	// No workers key: all cores but one, at least one.
	if cores := eval[int](t, ctx, `navigator.hardwareConcurrency`); s.Workers != capacity.DefaultWorkers(cores) {
		t.Errorf("%d workers on %d cores, want %d", s.Workers, cores, capacity.DefaultWorkers(cores))
	}
	if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		wide := eval[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("the page is %v px wide at 390 px; too wide: %q", w, wide)
	}
	if _, err := harness.Screenshot(ctx, capShot("capacity-phone.png")); err != nil {
		t.Error(err)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// capShot is where a screenshot goes: BOTTLENECK_SHOTS, or nowhere.
func capShot(name string) string {
	dir := os.Getenv("BOTTLENECK_SHOTS")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, name)
}

// Without engine.wasm (a broken deployment), Start says that the sweep
// cannot run and why, and the page goes on answering.
func TestCapacityNoEngine(t *testing.T) {
	dist := harness.DistDir(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "engine.wasm") {
			continue
		}
		if err := os.Symlink(filepath.Join(dist, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	base := harness.StartServer(t, dir)
	ctx, _ := harness.NewContext(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/capacity.html#k=1&budget=100&seeds=1&max=8")); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "cap-start", 1)
	s := waitCap(t, ctx, 20*time.Second, "the refusal", func(s capState) bool { return s.Message != "" })
	if !strings.Contains(s.Message, "The sweep cannot run: the engine could not be loaded") || s.Running {
		t.Errorf("message %q, running %v", s.Message, s.Running)
	}
	if msg := text(t, ctx, "message"); msg != s.Message {
		t.Errorf("#message shows %q", msg)
	}
	before := s.Handled
	click(t, ctx, "cap-k2", 1)
	waitCap(t, ctx, 5*time.Second, "a click", func(s capState) bool { return s.Handled > before })
}

// After a sweep, the scaling view's fitted exponents, in the hook and in the
// page's text, are those of core.Sweep's solved points fitted here with
// core.FitPowerLaw.
func TestCapacityScaling(t *testing.T) {
	const frag = "#k=2,3&budget=3000&seeds=2&max=64&workers=2"
	_, res := nativeSweep(t, frag)
	ctx := openCapacity(t, frag)
	if got := eval[string](t, ctx, `document.getElementById("cap-scaling").textContent`); got != "No sweep yet." {
		t.Errorf("scaling text before a sweep: %q", got)
	}
	click(t, ctx, "cap-start", 1)
	s := waitCap(t, ctx, 4*time.Minute, "the sweep to finish", func(s capState) bool { return s.Done || s.Failed || s.EngineError != "" })
	if !s.Done || len(s.Scaling) != len(res) {
		t.Fatalf("after the sweep: done %v, engine error %q, %d fits for %d ks", s.Done, s.EngineError, len(s.Scaling), len(res))
	}
	var clauses []string
	fitted := 0
	for _, r := range res {
		var n, steps, weights []float64
		for _, p := range r.Solved {
			n = append(n, float64(p.N))
			steps = append(steps, p.MedianSteps())
			weights = append(weights, p.MaxAbsWeight())
		}
		se, _, ok1 := core.FitPowerLaw(n, steps)
		we, _, ok2 := core.FitPowerLaw(n, weights)
		var got *capScaling
		for i := range s.Scaling {
			if s.Scaling[i].K == r.K {
				got = &s.Scaling[i]
			}
		}
		if got == nil {
			t.Errorf("k=%d: no fit in the page", r.K)
			continue
		}
		if got.Fitted != (ok1 && ok2) || got.Points != len(n) || got.RefExp != 2/float64(r.K) {
			t.Errorf("k=%d: page %+v, want fitted %v over %d points", r.K, *got, ok1 && ok2, len(n))
		}
		if !ok1 || !ok2 {
			clauses = append(clauses, fmt.Sprintf("k=%d: fewer than two solved N, no fit", r.K))
			continue
		}
		fitted++
		if math.Abs(got.StepsExp-se) > 1e-9 || math.Abs(got.WeightsExp-we) > 1e-9 {
			t.Errorf("k=%d: page's exponents steps %.12g, |w| %.12g; native %.12g, %.12g", r.K, got.StepsExp, got.WeightsExp, se, we)
		}
		clauses = append(clauses, fmt.Sprintf("k=%d: steps ~ N^%.2f, |w| ~ N^%.2f", r.K, se, we))
	}
	if fitted == 0 {
		t.Fatalf("no k has two solved N with %s: the test checks no fit", frag)
	}
	// What a person reads: one clause per k, in the order swept.
	text := eval[string](t, ctx, `document.getElementById("cap-scaling").textContent`)
	for _, c := range clauses {
		if !strings.Contains(text, c) {
			t.Errorf("scaling text %q lacks %q", text, c)
		}
	}
	if _, err := harness.Screenshot(ctx, capShot("capacity-scaling.png")); err != nil {
		t.Error(err)
	}
	harness.ConsoleOf(ctx).Check(t)
}
