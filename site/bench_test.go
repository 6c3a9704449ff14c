package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/chromedp"

	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// The browser benchmarks: they run only when -bench selects them (make
// bench), never in make test.

// SoakEnv sets the length of BenchmarkSoak, e.g. BOTTLENECK_SOAK=30s.
const SoakEnv = "BOTTLENECK_SOAK"

// soakFrag is the soak's network: the N = 128, k = 4.
const soakFrag = "#n=128&k=4&task=shift&s=1&opt=adam&lr=0.2&seed=1"

type soakSample struct {
	At   time.Duration
	Step int
	perfFields
	JSHeap float64 // performance.memory.usedJSHeapSize
}

// BenchmarkSoak trains N = 128, k = 4 at the highest speed for
// $BOTTLENECK_SOAK (default 5 minutes) and samples memory and frame times
// every 10 s. It reports the growth of the wasm memory (the app's, and the
// training engine's in its Web Worker, while weights cross every frame), the
// Go heap and the JS heap from minute 1 (or a fifth of a shorter run) to the end, the largest
// gap between two frames, and the mean CPU time of a frame (Update + Draw,
// measured in Go). The targets: growth under 10%, no gap over 1 s,
// a frame at most 8 ms.
func BenchmarkSoak(b *testing.B) {
	dur := 5 * time.Minute
	if v := os.Getenv(SoakEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 10*time.Second {
			b.Fatalf("%s=%q: want a duration of at least 10s, e.g. 30s or 5m", SoakEnv, v)
		}
		dur = d
	}
	every := 10 * time.Second
	baseAt := min(time.Minute, dur/5)
	for range b.N {
		ctx, cancel := openBench(b, soakFrag)
		setControlB(b, ctx, "speed", "100")
		time.Sleep(3 * time.Second) // warm up: the first frames compile shaders
		evalB[bool](b, ctx, `(window.bottleneck.resetStats(), true)`)
		start := time.Now()
		var samples []soakSample
		take := func() soakSample {
			s := soakSample{At: time.Since(start).Round(time.Second)}
			raw := evalB[string](b, ctx, `window.bottleneck.state()`)
			var st appState
			mustJSON(b, raw, &st, &s.perfFields)
			s.Step = st.Step
			// Collect garbage first, so that the JS heap is what is live, not
			// where the sawtooth of a collector happens to be (±15% here).
			if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
				b.Fatalf("collecting garbage: %v", err)
			}
			s.JSHeap = evalB[float64](b, ctx, `performance.memory ? performance.memory.usedJSHeapSize : 0`)
			if st.Failed || st.Diverged != "" {
				b.Fatalf("the soak run stopped: %+v", st)
			}
			return s
		}
		for next := every; ; next += every {
			time.Sleep(time.Until(start.Add(min(next, dur))))
			samples = append(samples, take())
			if next >= dur {
				break
			}
		}
		b.Logf("%6s %9s %7s %8s %8s %8s %8s %8s %8s %10s %10s %10s %10s", "t", "step", "frames", "mean ms", "update", "draw", "max ms", "gap ms", "steps/f", "wasm MB", "engine MB", "go sys MB", "js heap MB")
		for _, s := range samples {
			b.Logf("%6s %9d %7d %8.2f %8.2f %8.2f %8.2f %8.0f %8.1f %10.2f %10.2f %10.2f %10.2f", s.At, s.Step, s.Frames, s.FrameMsMean, s.UpdateMsMean, s.DrawMsMean, s.FrameMsMax,
				s.FrameGapMsMax, s.StepsMean, mb(float64(s.WasmMemory)), mb(float64(s.EngineMemory)), mb(float64(s.HeapSys)), mb(s.JSHeap))
		}
		base := samples[0]
		for _, s := range samples {
			if s.At <= baseAt {
				base = s
			}
		}
		last := samples[len(samples)-1]
		growth := func(a, z float64) float64 {
			if a == 0 {
				return math.NaN()
			}
			return 100 * (z - a) / a
		}
		b.ReportMetric(growth(float64(base.WasmMemory), float64(last.WasmMemory)), "wasm-growth-%")
		b.ReportMetric(growth(float64(base.EngineMemory), float64(last.EngineMemory)), "engine-wasm-growth-%")
		b.ReportMetric(growth(float64(base.HeapSys), float64(last.HeapSys)), "goheap-growth-%")
		b.ReportMetric(growth(base.JSHeap, last.JSHeap), "jsheap-growth-%")
		b.ReportMetric(last.FrameGapMsMax, "max-gap-ms")
		b.ReportMetric(last.FrameMsMean, "frame-ms")
		b.ReportMetric(last.FrameMsMax, "frame-max-ms")
		b.ReportMetric(last.UpdateMsMean, "update-ms")
		b.ReportMetric(last.DrawMsMean, "draw-ms")
		b.ReportMetric(float64(last.Frames)/last.At.Seconds(), "frames/s")
		b.ReportMetric(last.StepsMean, "steps/frame")
		b.ReportMetric(float64(last.Step)/last.At.Seconds(), "steps/s")
		b.Logf("growth from %v to %v: wasm %.1f%%, engine wasm %.1f%%, Go sys %.1f%%, JS heap %.1f%%; max frame gap %.0f ms; frame %.2f ms mean, %.2f ms max",
			base.At, last.At, growth(float64(base.WasmMemory), float64(last.WasmMemory)), growth(float64(base.EngineMemory), float64(last.EngineMemory)), growth(float64(base.HeapSys), float64(last.HeapSys)),
			growth(base.JSHeap, last.JSHeap), last.FrameGapMsMax, last.FrameMsMean, last.FrameMsMax)
		cancel()
	}
}

// BenchmarkLoad measures, over several cold loads (a fresh browser and
// profile each, so nothing is cached), the time from navigation to the
// first frame of a training network, as the page's performance.now() at
// that frame, to the first trained step the status line showed (from
// the engine the page starts before the canvas's program arrives:
// engine-start.js; 0 if the canvas took over before it showed one), and to
// the first picture of the trained network (the engine's still picture, or
// the canvas's first frame if that came first); and reports the size of the
// brotli wasm.
func BenchmarkLoad(b *testing.B) {
	dir := harness.DistDir(b)
	if info, err := os.Stat(filepath.Join(dir, "bottleneck.wasm.br")); err == nil {
		b.ReportMetric(float64(info.Size()), "wasm-br-bytes")
	}
	if info, err := os.Stat(filepath.Join(dir, "bottleneck.wasm")); err == nil {
		b.ReportMetric(float64(info.Size()), "wasm-bytes")
	}
	const runs = 5
	for range b.N {
		var times, shown, pictures, walls []float64
		for range runs {
			start := time.Now()
			ctx, cancel := openBench(b, "")
			walls = append(walls, float64(time.Since(start).Milliseconds()))
			ready := readyMs(b, ctx)
			times = append(times, ready)
			shown = append(shown, evalB[float64](b, ctx, `window.bottleneckEngineStart.shownAtMs`))
			pictures = append(pictures, firstPictureMs(b, ctx, ready))
			cancel()
		}
		b.Logf("navigation to the first trained step shown (ms): %v", shown)
		b.ReportMetric(median(shown), "ms-to-step-shown-median")
		b.Logf("navigation to the first picture of the trained network (ms): %v", pictures)
		b.ReportMetric(median(pictures), "ms-to-picture-median")
		med := median(times) // sorts times
		b.Logf("navigation to first frame (ms): %v; wall clock incl. browser start: %v", times, walls)
		b.ReportMetric(med, "ms-to-ready-median")
		b.ReportMetric(times[0], "ms-to-ready-min")
		b.ReportMetric(times[len(times)-1], "ms-to-ready-max")
	}
}

// fast3G is Chromium DevTools' "Fast 3G" preset: 1.6 Mbps down at 90%,
// with 150 ms of latency times 3.75 on every request.
var fast3G = slowLink{latency: 562500 * time.Microsecond, bytesPerSecond: 1.6e6 / 8 * 0.9}

// slowLink is a connection all of a server's responses share, as a page's
// requests share a slow line: each response starts after latency, and the
// bytes of all of them together leave at bytesPerSecond. The server, not
// Chromium's network emulation, slows them, because that emulation applies
// to the page's own requests only, not to its workers' (compile-worker.js
// downloads the canvas's program), which it left at full speed.
type slowLink struct {
	latency        time.Duration
	bytesPerSecond float64

	mu   sync.Mutex
	free time.Time // when the line has sent every byte written so far
}

// send waits until n more bytes have crossed the line.
func (l *slowLink) send(n int) {
	l.mu.Lock()
	if now := time.Now(); l.free.Before(now) {
		l.free = now
	}
	l.free = l.free.Add(time.Duration(float64(n) / l.bytesPerSecond * float64(time.Second)))
	done := l.free
	l.mu.Unlock()
	time.Sleep(time.Until(done))
}

// handler serves h's responses over the link.
func (l *slowLink) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(l.latency)
		h.ServeHTTP(slowWriter{w, l}, r)
	})
}

// slowWriter writes a response over a slowLink in pieces of 16 KiB, each
// sent (flushed) once the line has carried it.
type slowWriter struct {
	http.ResponseWriter
	link *slowLink
}

func (w slowWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), 16<<10)
		w.link.send(n)
		k, err := w.ResponseWriter.Write(p[:n])
		written += k
		if err != nil {
			return written, err
		}
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		p = p[n:]
	}
	return written, nil
}

// BenchmarkLoadFast3G measures, over three cold loads with the site served
// over a "Fast 3G" line (slowLink), the time from navigation to the first
// trained step the page shows (the status line, from the engine the page
// starts before the canvas's program arrives: engine-start.js), to the
// first picture of the trained network (the engine's still picture), and to
// the first frame of the canvas. The goal for the first: 6 s at most.
// Until 2026-12-02 08:45 UTC this used Chromium's network emulation; run on
// the same build, both gave the same first step (docs/performance.md).
func BenchmarkLoadFast3G(b *testing.B) {
	base := harness.StartServerVia(b, harness.DistDir(b), fast3G.handler)
	const runs = 3
	for range b.N {
		var shown, ready, pictures []float64
		for range runs {
			ctx, cancel := harness.NewContext(b, harness.WindowSize(1280, 800))
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
				b.Fatal(err)
			}
			var ms float64
			for deadline := time.Now().Add(60 * time.Second); ms == 0; time.Sleep(50 * time.Millisecond) {
				ms = evalB[float64](b, ctx, `window.bottleneckEngineStart ? window.bottleneckEngineStart.shownAtMs : 0`)
				if time.Now().After(deadline) {
					b.Fatal("no trained step shown within 60 s")
				}
			}
			shown = append(shown, ms)
			if err := harness.WaitReady(ctx, 3*time.Minute); err != nil {
				b.Fatal(err)
			}
			ms = readyMs(b, ctx)
			ready = append(ready, ms)
			pictures = append(pictures, firstPictureMs(b, ctx, ms))
			cancel()
		}
		shownMed, readyMed := median(shown), median(ready) // sorts both
		b.Logf("Fast 3G: navigation to the first trained step shown (ms) %v; to the first picture of the trained network (ms) %v; to the canvas's first frame (ms) %v", shown, pictures, ready)
		b.ReportMetric(shownMed, "ms-to-step-shown-median")
		b.ReportMetric(median(pictures), "ms-to-picture-median")
		b.ReportMetric(readyMed, "ms-to-ready-median")
	}
}

// firstPictureMs returns the page's performance.now() when it first showed a
// picture of the network after a step of training: the engine's still
// picture (engine-start.js), or the canvas's first frame at ready if that
// came first.
func firstPictureMs(b *testing.B, ctx context.Context, ready float64) float64 {
	b.Helper()
	if ms := evalB[float64](b, ctx, `window.bottleneckEngineStart.pictureShownAtMs`); ms > 0 && ms < ready {
		return ms
	}
	return ready
}

// readyMs returns the page's performance.now() at its first drawn frame,
// after checking that its console has no errors.
func readyMs(b *testing.B, ctx context.Context) float64 {
	b.Helper()
	var pf perfFields
	mustJSON(b, evalB[string](b, ctx, `window.bottleneck.state()`), &pf)
	harness.ConsoleOf(ctx).Check(b)
	return pf.ReadyMs
}

func mb(x float64) float64 { return x / (1 << 20) }

// openBench is open for a benchmark: a fresh browser on the built site.
func openBench(b *testing.B, fragment string) (context.Context, context.CancelFunc) {
	b.Helper()
	base := harness.StartServer(b, harness.DistDir(b))
	ctx, cancel := harness.NewContext(b, harness.WindowSize(1280, 800))
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"+fragment)); err != nil {
		b.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		b.Fatal(err)
	}
	return ctx, cancel
}

// mustJSON decodes raw into each of dst.
func mustJSON(b *testing.B, raw string, dst ...any) {
	b.Helper()
	for _, d := range dst {
		if err := json.Unmarshal([]byte(raw), d); err != nil {
			b.Fatalf("JSON %q: %v", raw, err)
		}
	}
}

func evalB[T any](b *testing.B, ctx context.Context, js string) T {
	b.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

func setControlB(b *testing.B, ctx context.Context, id, value string) {
	b.Helper()
	evalB[bool](b, ctx, fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`, id, value))
}

// capBenchFrags are the sweeps BenchmarkCapacityWorkers times: three ks,
// so that a point's seeds and the ks' searches give the workers jobs to
// share. With three seeds the last point, 128-3-128, holds most of the work
// in three jobs that two workers cannot split evenly: the sweep's structure
// alone bounds the speedup at 1.67 (BenchmarkSchedule in wasm/capacity
// simulates it); with four seeds the bound is 1.96, so that sweep measures
// what the pool and the page make of two cores.
var capBenchFrags = []string{"#k=1,2,3&budget=4000&seeds=3&max=128", "#k=1,2,3&budget=4000&seeds=4&max=128"}

// BenchmarkCapacityWorkers times the capacity explorer's sweeps
// (capBenchFrags) in the browser on 1 engine worker and on 2, in the order
// capRuns so that a drift of the machine's load touches both alike, each in
// a fresh browser, from the click on Start to the sweep's end (the hook's
// elapsedMs). Each browser sweeps twice: the first sweep is what a visitor
// waits for, and it also pays V8's optimising compiles of the engine's hot
// functions (about 2.7 s of CPU on V8's background threads, which two
// workers must share the two cores with; measured per thread from /proc);
// the second, on new workers of the same compiled module, finds them done.
// It checks that every sweep gives the same table, and reports the medians
// and their ratio for each; the goal on a 2-core machine is a ratio
// of at least 1.6.
func BenchmarkCapacityWorkers(b *testing.B) {
	for _, frag := range capBenchFrags {
		b.Run(strings.TrimPrefix(frag, "#"), func(b *testing.B) { benchCapacityWorkers(b, frag, openChromiumExplorer) })
	}
}

// BenchmarkCapacityWorkersFirefox is BenchmarkCapacityWorkers's four-seed
// sweep in Firefox (on a virtual display, harness.NewFirefox): the same
// order of browsers and the same figures, for comparison. Firefox compiles
// the engine with its optimising tier in the background as soon as it has
// the module, where V8 optimises each hot function once it has run for a
// while, so its first sweep does not wait for that.
func BenchmarkCapacityWorkersFirefox(b *testing.B) {
	frag := capBenchFrags[len(capBenchFrags)-1]
	b.Run(strings.TrimPrefix(frag, "#"), func(b *testing.B) { benchCapacityWorkers(b, frag, openFirefoxExplorer) })
}

// explorerOpener starts a fresh browser on the explorer at url, waits until
// it is ready and returns how to evaluate in it; the browser closes with
// the benchmark (or earlier, by close).
type explorerOpener func(b *testing.B, url string) (eval evalFunc, close func())

func openChromiumExplorer(b *testing.B, url string) (evalFunc, func()) {
	ctx, cancel := harness.NewContext(b, harness.WindowSize(1280, 800))
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		b.Fatal(err)
	}
	return chromiumEval(ctx), cancel
}

func openFirefoxExplorer(b *testing.B, url string) (evalFunc, func()) {
	ff := harness.NewFirefox(b, 1280, 800)
	if err := ff.Navigate(url); err != nil {
		b.Fatal(err)
	}
	if err := ff.WaitReady(90 * time.Second); err != nil {
		b.Fatal(err)
	}
	return ff.Evaluate, func() {}
}

// capRuns is the order of BenchmarkCapacityWorkers's browsers, by number of
// workers: two rounds of 1, 2, 2, 1, since a sweep of about 10 s on a
// shared machine varies by a third from one run to the next (two rounds of
// one sweep each measured 11.3 and 15.4 s on 1 worker).
var capRuns = []int{1, 2, 2, 1, 1, 2, 2, 1}

// median returns the median of x (not empty), which it sorts.
func median(x []float64) float64 {
	sort.Float64s(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// capSweep clicks Start on the explorer and returns the sweep's end state,
// after checking that it ran on workers workers.
func capSweep(b *testing.B, eval evalFunc, workers int) capState {
	b.Helper()
	read := func() capState { return hookIn[capState](b, eval, capHook) }
	var clicked bool
	if err := eval(`(document.getElementById("cap-start").click(), true)`, &clicked); err != nil {
		b.Fatal(err)
	}
	// A second sweep: wait until the first's end state is gone.
	for deadline := time.Now().Add(10 * time.Second); read().Done; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("Start did not start a second sweep within 10 s")
		}
	}
	for deadline := time.Now().Add(20 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		s := read()
		if s.Done {
			if s.Workers != workers {
				b.Fatalf("the sweep ran on %d workers, want %d", s.Workers, workers)
			}
			return s
		}
		if s.Started && !s.Running || time.Now().After(deadline) {
			b.Fatalf("the sweep on %d workers stopped or stalled: %+v", workers, s)
		}
	}
}

// sweepNames name a browser's first and second sweep in the metrics.
var sweepNames = [2]string{"first", "second"}

func benchCapacityWorkers(b *testing.B, frag string, open explorerOpener) {
	base := harness.StartServer(b, harness.DistDir(b))
	// run returns the end states of a fresh browser's first and second sweep.
	run := func(workers int) (first, second capState) {
		eval, close := open(b, fmt.Sprintf("%s/capacity.html%s&workers=%d", base, frag, workers))
		defer close()
		// The engine compiles in the background from the page's start; let
		// it, so that the time measured is the sweep's.
		time.Sleep(2 * time.Second)
		first = capSweep(b, eval, workers)
		return first, capSweep(b, eval, workers)
	}
	for range b.N {
		times := map[string][]float64{}
		var table string
		for _, w := range capRuns {
			first, second := run(w)
			for i, s := range []capState{first, second} {
				tab := fmt.Sprint(s.Table)
				if table != "" && tab != table {
					b.Fatalf("%d workers gave the table %s, another sweep %s", w, tab, table)
				}
				table = tab
				which := sweepNames[i]
				key := fmt.Sprint(which, w)
				times[key] = append(times[key], s.ElapsedMs)
				// Steps per second per worker over the whole sweep: when two
				// workers each train slower than one alone, they share the
				// cores with the page and the browser; when they train as
				// fast but the sweep is not twice as quick, they wait for jobs.
				b.Logf("%d worker(s), %s sweep: %.0f ms, %d steps, %.0f steps/s per worker", w, which, s.ElapsedMs, s.Steps, float64(s.Steps)/s.ElapsedMs*1000/float64(w))
			}
		}
		b.Logf("table %s", table)
		for _, which := range sweepNames {
			one, two := median(times[which+"1"]), median(times[which+"2"])
			b.ReportMetric(one, "ms-1-worker-"+which)
			b.ReportMetric(two, "ms-2-workers-"+which)
			b.ReportMetric(one/two, "speedup-"+which)
			b.Logf("%s sweeps: 1 worker %.0f ms, 2 workers %.0f ms (medians): %.2fx", which, one, two, one/two)
		}
	}
}

// BenchmarkTrainingRate measures the playground's training rate at top
// speed (the speed slider at its end: as fast as the engine goes), in steps
// per second over 10 s after a 3 s warm-up, at 11-2-11, 128-4-128 and
// 1024-4-1024, and the Go CPU time per frame of the drawing side meanwhile.
// Compare the rates with core's BenchmarkStep under Node in the same make
// bench run (the goal: at least half of it).
// The goal for the drawing side: at most drawGoalMs of Go CPU per
// frame (Update + Draw) at drawGoalFrag while training runs at top speed.
// BenchmarkTrainingRate says whether its run met it.
const (
	drawGoalFrag = "n=128&k=4"
	drawGoalMs   = 4.0
)

func BenchmarkTrainingRate(b *testing.B) {
	for _, frag := range []string{"n=11&k=2", "n=128&k=4", "n=1024&k=4"} {
		b.Run(frag, func(b *testing.B) {
			for range b.N {
				ctx, cancel := openBench(b, "#"+frag)
				setControlB(b, ctx, "speed", "100")
				time.Sleep(3 * time.Second)
				evalB[bool](b, ctx, `(window.bottleneck.resetStats(), true)`)
				read := func() (appState, perfFields) {
					var st appState
					var pf perfFields
					mustJSON(b, evalB[string](b, ctx, `window.bottleneck.state()`), &st, &pf)
					if st.Failed || st.Diverged != "" {
						b.Fatalf("the run stopped: %+v", st)
					}
					return st, pf
				}
				s0, _ := read()
				t0 := time.Now()
				time.Sleep(10 * time.Second)
				s1, pf := read()
				rate := float64(s1.Step-s0.Step) / time.Since(t0).Seconds()
				b.ReportMetric(rate, "steps/s")
				b.ReportMetric(pf.FrameMsMean, "frame-ms")
				b.ReportMetric(pf.FrameMsMedian, "frame-ms-median")
				b.Logf("%s: %.0f steps/s; drawing side %.2f ms of Go CPU per frame (Update %.2f + Draw %.2f; median %.2f), %d frames", frag, rate, pf.FrameMsMean, pf.UpdateMsMean, pf.DrawMsMean, pf.FrameMsMedian, pf.Frames)
				if frag == drawGoalFrag {
					verdict := "met"
					if pf.FrameMsMean > drawGoalMs {
						verdict = "NOT met"
					}
					b.Logf("the drawing side's goal at %s: at most %.0f ms of Go CPU per frame; %.2f ms: %s (median %.2f ms: compare the two, and the load average, on a shared machine)", frag, drawGoalMs, pf.FrameMsMean, verdict, pf.FrameMsMedian)
				}
				cancel()
			}
		})
	}
}
