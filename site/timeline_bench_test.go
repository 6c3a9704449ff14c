package site_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"

	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// loadPhases are the functions whose first and last samples
// BenchmarkLoadTimeline reports: the Go program's start (package
// initialisation, where ebiten compiles its built-in shaders), the
// playground's set-up, the WebGL2 probe, the takeover of the engine the page
// started, and the first frames. Names are as V8 reports wasm functions of a
// build with its name section (no -s).
var loadPhases = []string{
	"runtime.doInit1",
	"github.com_hajimehoshi_ebiten_v2_internal_shader.Compile",
	"main.newGame",
	"github.com_bottleneck_playground_bottleneck_wasm_internal_enginehost.takeHeadStart",
	"main.webGL2",
	"github.com_hajimehoshi_ebiten_v2.RunGameWithOptions",
	"main.__Game_.Update",
	"main.__Game_.Draw",
}

// BenchmarkLoadTimeline profiles the page's main thread (V8's sampling
// profiler, which also sees the iframe's Go program) from navigation to the
// first frame of a training network, and logs where the time went: when each
// of loadPhases ran, and for every 100 ms the page's own functions that took
// most of it ("(program)" is the browser's native work: parsing, layout,
// compiling, GL). It is a tool for finding what the first frame waits for,
// not a figure to compare: the profiler slows the page. Run it on a build
// whose wasm keeps its function names (make profile-load does).
func BenchmarkLoadTimeline(b *testing.B) {
	dir := harness.DistDir(b)
	if named, err := wasmHasNames(filepath.Join(dir, "bottleneck.wasm")); err != nil {
		b.Fatal(err)
	} else if !named {
		b.Skip("bottleneck.wasm has no function names (built with -s): make profile-load builds one that has")
	}
	base := harness.StartServer(b, dir)
	for range b.N {
		ctx, cancel := harness.NewContext(b, harness.WindowSize(1280, 800))
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
			b.Fatal(err)
		}
		if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
			b.Fatal(err)
		}
		res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
		if err != nil {
			b.Fatal(err)
		}
		ready := readyMs(b, ctx)
		b.Logf("first frame at %.0f ms after navigation (slowed by the profiler)\n%s", ready, loadTimeline(res.Profile, ready))
		cancel()
	}
}

// loadTimeline writes profile p as loadPhases' first and last samples and
// the top functions of each 100 ms, in ms since the profile's start, up to
// untilMs. The profile starts just before the navigation: V8's clock and the
// page's have no common origin, so the two are taken as one (they differ by
// the few ms the navigation command takes to arrive).
func loadTimeline(p *profiler.Profile, untilMs float64) string {
	node := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, n := range p.Nodes {
		node[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	type span struct{ first, last, busy float64 }
	phases := map[string]*span{}
	buckets := map[int]map[string]float64{}
	t := 0.0
	for i, id := range p.Samples {
		dt := float64(p.TimeDeltas[i]) / 1000
		t += dt
		if t > untilMs {
			break
		}
		// The sample's stack, leaf first; its label is the innermost of
		// the page's own functions, or else the leaf ("(program)", "(idle)").
		var stack []string
		for at := id; ; {
			stack = append(stack, node[at].CallFrame.FunctionName)
			up, ok := parent[at]
			if !ok {
				break
			}
			at = up
		}
		label := stack[0]
		for _, f := range stack {
			if strings.HasPrefix(f, "main.") || strings.Contains(f, "bottleneck_wasm_internal") {
				label = strings.TrimPrefix(f, "github.com_bottleneck_playground_bottleneck_wasm_internal_")
				break
			}
		}
		if buckets[int(t/100)] == nil {
			buckets[int(t/100)] = map[string]float64{}
		}
		buckets[int(t/100)][label] += dt
		seen := map[string]bool{}
		for _, f := range stack {
			if seen[f] {
				continue
			}
			seen[f] = true
			if s := phases[f]; s != nil {
				s.last, s.busy = t, s.busy+dt
			} else if slices.Contains(loadPhases, f) {
				phases[f] = &span{first: t, last: t, busy: dt}
			}
		}
	}
	var out strings.Builder
	for _, f := range loadPhases {
		if s := phases[f]; s != nil {
			fmt.Fprintf(&out, "%-85s %6.0f – %6.0f ms, busy %4.0f ms\n", f, s.first, s.last, s.busy)
		} else {
			fmt.Fprintf(&out, "%-85s not sampled (a stripped build has no names)\n", f)
		}
	}
	for k := 0; k <= int(untilMs/100); k++ {
		type share struct {
			label string
			ms    float64
		}
		var top []share
		for l, ms := range buckets[k] {
			top = append(top, share{l, ms})
		}
		sort.Slice(top, func(i, j int) bool { return top[i].ms > top[j].ms })
		fmt.Fprintf(&out, "%5d ms:", k*100)
		for _, s := range top[:min(4, len(top))] {
			fmt.Fprintf(&out, " %s %.0f;", s.label, s.ms)
		}
		out.WriteString("\n")
	}
	return out.String()
}

// wasmHasNames reports whether the wasm module at path has a "name" custom
// section, which gives V8's profiler the Go function names.
func wasmHasNames(path string) (bool, error) {
	mod, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	if len(mod) < 8 || string(mod[:4]) != "\x00asm" {
		return false, fmt.Errorf("%s is not a wasm module", path)
	}
	// uleb reads an unsigned LEB128 number at mod[*at:].
	uleb := func(at *int) (int, bool) {
		n, shift := 0, 0
		for *at < len(mod) && shift < 35 {
			c := mod[*at]
			*at++
			n |= int(c&0x7f) << shift
			if c < 0x80 {
				return n, true
			}
			shift += 7
		}
		return 0, false
	}
	for at := 8; at < len(mod); {
		id := mod[at]
		at++
		size, ok := uleb(&at)
		if !ok || size > len(mod)-at {
			return false, fmt.Errorf("%s: a section runs past the end", path)
		}
		end := at + size
		if id == 0 {
			nameLen, ok := uleb(&at)
			if ok && nameLen <= end-at && string(mod[at:at+nameLen]) == "name" {
				return true, nil
			}
		}
		at = end
	}
	return false, nil
}

// BenchmarkLoadTrace records a Chromium trace of three cold loads, from
// navigation to the first frame of a training network, and reports how
// much of the page's main thread went to compiling WebAssembly: V8 compiles
// a function of a module only when it is first called (wasm.CompileLazy, on
// the calling thread), so a Go program's start, which calls thousands of
// functions once, compiles them one by one on the page's main thread before
// it can draw. It also reports the streaming compile's share there
// (wasm.OnBytesReceived: decoding the bytes as they arrive) and the main
// thread's whole busy time. Each comes twice: as wall time, and as the
// thread's CPU time in it (the trace's tdur), which other programs on a
// shared machine do not inflate: the wall time of a task counts the time
// its thread waited for a core. Last, the CPU time of V8's background
// threads optimising hot wasm functions (wasm.TopTierCompilation), which
// compete with the page for the machine's cores. Unlike
// BenchmarkLoadTimeline it needs no function names, and tracing slows the
// page less than the profiler; the figures still include the few
// milliseconds after the first frame until the trace stops.
//
// Each browser then loads the page a second time after returningAfter, as
// a returning visitor would: Chrome keeps the compiled code of a module
// compiled from its download (its code cache; TestProgramsCompileFromTheirDownloads)
// and reads it back (wasm.Deserialize) instead of compiling. The "returning"
// metrics are that load's, with how many of its modules came from the cache.
func BenchmarkLoadTrace(b *testing.B) {
	base := harness.StartServer(b, harness.DistDir(b))
	for range b.N {
		type figures struct{ ready, lazy, streaming, busy, lazyCPU, busyCPU, optimising, cached []float64 }
		var loads [2]figures // cold, returning
		for range 3 {
			for i, tr := range traceLoads(b, base) {
				f := &loads[i]
				f.ready = append(f.ready, tr.readyMs)
				f.lazy = append(f.lazy, tr.mainMs["wasm.CompileLazy"])
				f.streaming = append(f.streaming, tr.mainMs["wasm.OnBytesReceived"])
				f.busy = append(f.busy, tr.mainMs[traceTask])
				f.lazyCPU = append(f.lazyCPU, tr.mainCPUMs["wasm.CompileLazy"])
				f.busyCPU = append(f.busyCPU, tr.mainCPUMs[traceTask])
				f.optimising = append(f.optimising, tr.optimisingCPUMs)
				f.cached = append(f.cached, float64(tr.cachedModules))
				b.Logf("%s load: first frame at %.0f ms; the page's main thread: busy %.0f ms (CPU %.0f ms), compiling functions on first call %.0f ms (CPU %.0f ms), streaming compile %.0f ms; the workers' threads busy %.0f ms, of which compiling on first call %.0f ms; V8 optimising in the background: CPU %.0f ms; modules from the code cache: %d",
					loadNames[i], tr.readyMs, tr.mainMs[traceTask], tr.mainCPUMs[traceTask], tr.mainMs["wasm.CompileLazy"], tr.mainCPUMs["wasm.CompileLazy"], tr.mainMs["wasm.OnBytesReceived"],
					tr.workerMs[traceTask], tr.workerMs["wasm.CompileLazy"], tr.optimisingCPUMs, tr.cachedModules)
			}
		}
		for i, f := range loads {
			suffix := "-median"
			if i == 1 {
				suffix = "-returning-median"
				b.ReportMetric(median(f.cached), "modules-cached-returning-median")
			}
			b.ReportMetric(median(f.ready), "ms-to-ready"+suffix)
			b.ReportMetric(median(f.lazy), "ms-main-lazy-compile"+suffix)
			b.ReportMetric(median(f.streaming), "ms-main-streaming"+suffix)
			b.ReportMetric(median(f.busy), "ms-main-busy"+suffix)
			b.ReportMetric(median(f.lazyCPU), "ms-main-lazy-compile-cpu"+suffix)
			b.ReportMetric(median(f.busyCPU), "ms-main-busy-cpu"+suffix)
			b.ReportMetric(median(f.optimising), "ms-v8-optimising-cpu"+suffix)
		}
	}
}

// loadNames name the loads of traceLoads in the logs.
var loadNames = [2]string{"cold", "returning"}

// returningAfter is how long a browser of BenchmarkLoadTrace stays on the
// page before its second load. Chrome writes a module's code cache once
// V8's optimising of it has settled (seconds after the first frame here).
const returningAfter = 15 * time.Second

// traceTask is the trace event of one task of a Chromium thread's message
// loop: the sum of its durations is the thread's busy time.
const traceTask = "ThreadControllerImpl::RunTask"

// loadTrace is what a traced load found: the page's first frame; per trace
// event name the time the renderer's main threads (CrRendererMain) and its
// Web Workers' threads spent in it, and the main threads' CPU time in it;
// the CPU time of V8's optimising compiles of wasm on any thread; and how
// many modules were read from Chrome's code cache instead of compiled.
type loadTrace struct {
	readyMs                     float64
	mainMs, workerMs, mainCPUMs map[string]float64
	optimisingCPUMs             float64
	cachedModules               int
}

// traceEvent is the part of a Chromium trace event that loadTrace sums.
type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Dur  float64 `json:"dur"`  // µs
	Tdur float64 `json:"tdur"` // µs of the thread's CPU time
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Args struct {
		Name string `json:"name"`
	} `json:"args"`
}

// traceLoads loads base twice in one fresh browser under Chromium's
// tracing, the second time returningAfter after the first, and sums each
// trace's complete events by thread and name.
func traceLoads(b *testing.B, base string) [2]loadTrace {
	b.Helper()
	var (
		mu     sync.Mutex
		events []traceEvent
		done   chan struct{}
	)
	ctx, cancel := harness.NewContext(b, harness.WindowSize(1280, 800), harness.OnEvent(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			for _, v := range e.Value {
				raw, err := json.Marshal(v)
				var te traceEvent
				if err == nil && json.Unmarshal(raw, &te) == nil {
					events = append(events, te)
				}
			}
		case *tracing.EventTracingComplete:
			if done != nil {
				close(done)
				done = nil
			}
		}
	}))
	defer cancel()
	var traces [2]loadTrace
	for i := range traces {
		if i > 0 {
			time.Sleep(returningAfter)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		mu.Lock()
		events = nil
		complete := make(chan struct{})
		done = complete
		mu.Unlock()
		cats := []string{"toplevel", "v8.wasm", "__metadata"}
		if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: cats}}); err != nil {
			b.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
			b.Fatal(err)
		}
		if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
			b.Fatal(err)
		}
		ready := readyMs(b, ctx)
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		select {
		case <-complete:
		case <-time.After(30 * time.Second):
			b.Fatal("the trace did not complete within 30 s")
		}
		mu.Lock()
		traces[i] = sumTrace(b, events, ready)
		mu.Unlock()
	}
	return traces
}

// sumTrace sums a load's trace events by thread and name.
func sumTrace(b *testing.B, events []traceEvent, ready float64) loadTrace {
	b.Helper()
	thread := map[[2]int]string{}
	for _, e := range events {
		if e.Ph == "M" && e.Name == "thread_name" {
			thread[[2]int{e.Pid, e.Tid}] = e.Args.Name
		}
	}
	tr := loadTrace{readyMs: ready, mainMs: map[string]float64{}, workerMs: map[string]float64{}, mainCPUMs: map[string]float64{}}
	for _, e := range events {
		if e.Ph != "X" {
			continue
		}
		switch e.Name {
		case "wasm.TopTierCompilation":
			tr.optimisingCPUMs += e.Tdur / 1000
		case "wasm.Deserialize":
			tr.cachedModules++
		}
		switch name := thread[[2]int{e.Pid, e.Tid}]; {
		case name == "CrRendererMain":
			tr.mainMs[e.Name] += e.Dur / 1000
			tr.mainCPUMs[e.Name] += e.Tdur / 1000
		case strings.HasPrefix(name, "DedicatedWorker"):
			tr.workerMs[e.Name] += e.Dur / 1000
		}
	}
	if tr.mainMs[traceTask] == 0 {
		b.Fatalf("the trace of %d events has no task on the page's main thread", len(events))
	}
	return tr
}
