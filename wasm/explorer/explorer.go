//go:build js && wasm

// Package explorer is the capacity explorer: the ebiten game that runs in
// capacity.html's iframe (app.html?mode=capacity) instead of the playground.
// It runs a sweep's seed jobs (core.SweepJobs, through capacity.Pool) on a
// pool of training engines in Web Workers (enginehost.Pool), draws max N
// against k (view.go) and wires the parent page's controls, table, exports
// and URL fragment (jspage). Its logic that needs
// no browser is in wasm/capacity, with native tests.
//
// As in the playground, control callbacks only read their event and push
// onto the queue; Update runs the closures and writes to the page. The
// workers' messages are the exception: they are handled in their event, so
// that an idle worker gets its next job at once.
//
// The explorer runs a frame only when something shown changed: ebiten's
// FPSModeVsyncOffMinimum calls Update and Draw only after ScheduleFrame (or
// an input event on the canvas). Whatever changes the game outside a frame
// schedules one: every push onto the queue, the workers' messages except
// progress (at most four frames a second: capacity.Pacer), and while a sweep
// runs a once-a-second tick (the beating ring, the status line's seconds and
// steps).
package explorer

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/callqueue"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/enginehost"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// Requested reports whether the page asks for the capacity explorer (the
// iframe's query has mode=capacity).
func Requested() bool {
	return capacity.IsExplorer(js.Global().Get("location").Get("search").String())
}

// Run runs the capacity explorer until the page closes.
func Run() {
	g := newGame()
	ebiten.SetWindowTitle("Bottleneck capacity explorer")
	// The sweep must go on while the user works the parent page's controls.
	ebiten.SetRunnableOnUnfocused(true)
	// Run a frame only when one is scheduled (see the package comment), and
	// within a frame draw only when the plot changes (see Draw): the workers
	// train while the page idles, and every frame presented takes CPU from
	// them where WebGL runs in software (headless Chromium's SwiftShader).
	// FPSModeVsyncOffMinimum is deprecated for SetScreenClearedEveryFrame,
	// but that alone still presents a frame at every animation frame.
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	ebiten.SetScreenClearedEveryFrame(false)
	// One Update per frame. At the default 60 ticks a second, a frame that
	// comes 20–80 ms after the one before (a click's, then a paced one) runs
	// two to five catch-up Updates, each of which redoes the frame's work;
	// TestCapacityExplorerSweep counted 14 Updates where the pacing allows 12.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	go g.tick()
	if err := ebiten.RunGame(g); err != nil {
		g.ShowFatal("the drawing loop stopped: " + err.Error())
	}
}

type game struct {
	*jspage.Page // the parent page
	queue        callqueue.Queue

	texts    map[string]string
	settings capacity.Settings // what the controls and the URL show
	lastFrag string            // the fragment last written to the URL

	// The sweep shown: its settings, its pool of workers (nil before the
	// first Start), whether it is running, and what it has found.
	swSettings capacity.Settings
	pool       *capacity.Pool
	eng        enginehost.Pool
	cores      int  // navigator.hardwareConcurrency
	starting   bool // Start was pressed while the engine compiled
	sweeping   bool
	rows       []capacity.Row
	res        []core.KCapacity  // the finished ks, behind rows
	series     []capacity.Series // the scaling view's, one per finished k
	// built holds, per k of the sweep shown, the largest N that
	// core.Construct solves in its range, as the searches in building
	// finish: buildStep runs them in the frames after Start, at most
	// builtSlice of constructing per frame beyond the first Construct.
	built      []core.BuiltCapacity
	building   []*core.BuiltSearch
	builtShown int     // len(built) when the table was written
	builtMs    float64 // the longest frame's constructing, in ms (the hook shows it)
	kDone      int
	started    time.Time
	elapsed    time.Duration // of the sweep shown, up to now or its end
	stopped    bool
	engineErr  string // why the engines stopped the sweep, or ""

	rowsShown int // rows written to the table
	frames    int // Update calls, for the responsiveness test
	sweepFrms int // Update calls that swept
	handled   int // queued control events run
	ready     bool
	failed    bool
	message   string
	state     string // the hook's JSON, refreshed in Update
	drawn     string // what the last drawn frame showed (plotKey)
	btnState  [4]bool
	view      *capView
	// pacer spaces out the frames the workers' messages ask for
	// (frameSoon); frameTimer is the timer armed for a later frame, which
	// the next frame of any cause stops, since that frame shows the change.
	// pacerMu guards both, for the workers' events and the timer.
	pacer      capacity.Pacer
	frameTimer *time.Timer
	pacerMu    sync.Mutex
	// ticking is whether tick schedules a frame every second: while a sweep
	// runs, and until the first frame is drawn (ebiten skips a frame while
	// the canvas has no size).
	// Written at the end of Draw, read by tick's goroutine.
	ticking atomic.Bool
	// warming is whether warmUp's worker runs; warmJobs counts the jobs
	// it was given (the hook shows it).
	warming  bool
	warmJobs int
}

func newGame() *game {
	g := &game{texts: map[string]string{}, view: newCapView(), cores: 1, pacer: capacity.Pacer{Min: capacity.FrameGap}}
	g.ticking.Store(true)
	g.Page = jspage.New("bottleneck capacity", func() {
		g.failed, g.sweeping = true, false
		g.eng.Stop()
		ebiten.ScheduleFrame()
	})
	if c := g.Self.Get("navigator").Get("hardwareConcurrency"); c.Type() == js.TypeNumber {
		g.cores = c.Int()
	}
	g.eng.Compile(g.enqueue)

	s, errs := capacity.Parse(g.Hash())
	if len(errs) > 0 {
		g.showMessage("The link's settings were not all used: " + capJoinErrs(errs) + ". The defaults are used for them instead.")
	}
	g.settings = s
	g.swSettings = s
	g.syncControls()
	g.wire()
	g.installHook()
	g.publish()
	return g
}

func capJoinErrs(errs []error) string {
	s := make([]string, len(errs))
	for i, e := range errs {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// push queues f for Update and counts it as handled when it runs.
func (g *game) push(f func()) {
	g.enqueue(func() { g.handled++; f() })
}

// enqueue queues f for Update and schedules the frame that runs it.
func (g *game) enqueue(f func()) {
	g.queue.Push(f)
	ebiten.ScheduleFrame()
}

// tick schedules a frame at the start of every second while g.ticking: the
// ring's beat and the status line's seconds change then (beatBig, plotKey),
// and the steps trained, which the workers' progress messages leave to it.
func (g *game) tick() {
	for {
		now := time.Now()
		// A few milliseconds past the second, so that the frame sees it.
		time.Sleep(now.Truncate(time.Second).Add(time.Second + 5*time.Millisecond).Sub(now))
		if g.ticking.Load() {
			ebiten.ScheduleFrame()
		}
	}
}

func (g *game) wire() {
	// Any control's change re-reads the whole form: the callback only reads
	// the DOM and queues the result.
	onForm := func(js.Value) {
		vals := g.readControls()
		g.push(func() { g.applyControls(vals) })
	}
	g.On(g.El("cap-controls"), "change", onForm)
	g.On(g.El("cap-controls"), "submit", func(e js.Value) { e.Call("preventDefault") })
	g.On(g.El("cap-start"), "click", func(js.Value) { g.push(g.start) })
	g.On(g.El("cap-stop"), "click", func(js.Value) { g.push(g.stop) })
	g.On(g.El("cap-restart"), "click", func(js.Value) { g.push(g.start) })
	g.On(g.El("cap-csv"), "click", func(js.Value) { g.push(func() { g.export("csv") }) })
	g.On(g.El("cap-json"), "click", func(js.Value) { g.push(func() { g.export("json") }) })
	g.On(g.El("fatal-reload"), "click", func(js.Value) { g.Win.Get("location").Call("reload") })
	g.On(g.Win, "hashchange", func(js.Value) {
		h := g.Hash()
		g.push(func() { g.applyLink(h) })
	})
	if mm := g.Self.Get("matchMedia"); mm.Truthy() {
		mq := g.Self.Call("matchMedia", "(prefers-color-scheme: dark)")
		g.view.dark = mq.Get("matches").Bool()
		g.On(mq, "change", func(e js.Value) {
			dark := e.Get("matches").Bool()
			g.push(func() { g.view.dark = dark })
		})
	}
}

// controlValues are the form's values as fragment keys and values.
type controlValues [][2]string

// readControls reads the form, in a callback (reads only).
func (g *game) readControls() controlValues {
	var ks []string
	for k := 0; k <= capacity.MaxK; k++ {
		if c := g.El("cap-k" + strconv.Itoa(k)); c.Truthy() && c.Get("checked").Bool() {
			ks = append(ks, strconv.Itoa(k))
		}
	}
	val := func(id string) string {
		if e := g.El(id); e.Truthy() {
			return e.Get("value").String()
		}
		return ""
	}
	b01 := func(id string) string {
		if e := g.El(id); e.Truthy() && e.Get("checked").Bool() {
			return "1"
		}
		return "0"
	}
	return controlValues{
		{"k", strings.Join(ks, ",")}, {"budget", val("cap-budget")}, {"seeds", val("cap-seeds")},
		{"lr", val("cap-lr")}, {"opt", val("cap-opt")}, {"act", val("cap-act")}, {"out", val("cap-out")},
		{"hb", b01("cap-hb")}, {"ob", b01("cap-ob")}, {"max", val("cap-max")}, {"workers", val("cap-workers")},
	}
}

// applyControls takes the form's values: a bad one keeps its previous value,
// is named in the message and put back in its control.
func (g *game) applyControls(vals controlValues) {
	s := g.settings
	var errs []error
	for _, kv := range vals {
		if err := s.Set(kv[0], kv[1]); err != nil {
			errs = append(errs, err)
		}
	}
	g.settings = s
	if len(errs) > 0 {
		g.showMessage("Not changed: " + capJoinErrs(errs) + ".")
		g.syncControls()
	} else {
		g.clearMessage()
	}
	if g.sweeping && g.settings.Encode() != g.swSettings.Encode() {
		g.setText("notice", "The new settings apply at the next Start; the sweep running goes on with its own.")
	}
}

// applyLink takes a fragment pasted into the address bar.
func (g *game) applyLink(h string) {
	if strings.TrimPrefix(h, "#") == g.lastFrag {
		return
	}
	s, errs := capacity.Parse(h)
	if len(errs) > 0 {
		g.showMessage("The link's settings were not all used: " + capJoinErrs(errs) + ". The defaults are used for them instead.")
	} else {
		g.clearMessage()
	}
	g.settings = s
	g.syncControls()
}

// syncControls makes the form show g.settings.
func (g *game) syncControls() {
	set := func(id, prop string, v any) {
		if e := g.El(id); e.Truthy() {
			e.Set(prop, v)
		}
	}
	s := g.settings
	for k := 0; k <= capacity.MaxK; k++ {
		on := false
		for _, x := range s.Ks {
			on = on || x == k
		}
		set("cap-k"+strconv.Itoa(k), "checked", on)
	}
	set("cap-budget", "value", strconv.Itoa(s.Budget))
	set("cap-seeds", "value", strconv.Itoa(s.Seeds))
	set("cap-lr", "value", strconv.FormatFloat(s.LR, 'g', -1, 64))
	set("cap-opt", "value", string(s.Opt))
	set("cap-act", "value", string(s.Act))
	set("cap-out", "value", string(s.Out))
	set("cap-hb", "checked", s.HiddenBias)
	set("cap-ob", "checked", s.OutputBias)
	set("cap-max", "value", strconv.Itoa(s.MaxN))
	workers := ""
	if s.Workers > 0 {
		workers = strconv.Itoa(s.Workers)
	}
	set("cap-workers", "value", workers)
	set("cap-workers", "placeholder", fmt.Sprintf("%d (auto)", capacity.DefaultWorkers(g.cores)))
}

// start begins a new sweep with the form's settings, on new workers (those
// of a sweep before are terminated). Pressed while the engine still
// compiles, it starts once the engine is there.
func (g *game) start() {
	compiled, failed := g.eng.Compiled(), g.eng.Failed()
	if failed == "" && !compiled {
		if !g.starting {
			g.starting = true
			g.setText("notice", "Loading the training engine…")
			g.eng.WhenCompiled(func() { g.starting = false; g.start() })
		}
		return
	}
	if failed != "" {
		g.showMessage("The sweep cannot run: " + failed + ". Try reloading the page.")
		return
	}
	s := g.settings
	jobs, err := core.NewSweepJobs(s.Spec(), s.Ks)
	if err != nil { // Parse and Set only make valid settings; say so anyway
		g.showMessage("The sweep did not start: " + err.Error() + ".")
		return
	}
	g.clearMessage()
	g.showRestart(false)
	g.setText("notice", "")
	g.warming = false // eng.Start below stops its worker
	g.pool, g.swSettings, g.sweeping, g.stopped, g.engineErr = capacity.NewPool(jobs, s.PoolSize(g.cores)), s, true, false, ""
	g.rows, g.res, g.series, g.kDone = nil, nil, nil, 0
	g.built, g.building, g.builtMs = nil, nil, 0
	for _, k := range s.Ks {
		if b, err := core.NewBuiltSearch(s.Spec(), k); err == nil { // NewSweepJobs took the same spec
			g.building = append(g.building, b)
		}
	}
	g.rowsShown = -1 // rewrite the table and its caption
	g.started, g.elapsed, g.sweepFrms = time.Now(), 0, 0
	g.eng.Start(g.pool.Size(), enginehost.Handler{Message: g.engineMessage, Dead: g.engineDead}, g.recoverEngine)
}

// WarmUpFor is how long the explorer trains throwaway seed jobs on one
// worker once the engine has compiled, before the visitor's first sweep.
//
// Why: V8 compiles a wasm function with its optimising compiler only once
// it has run a while, and a module's workers share that code. Without a
// warm-up a visitor's first sweep runs on baseline code while the
// optimised code is compiled on the same cores, and took a quarter to a
// third longer than the second sweep here. Four runs of each build,
// alternating (BenchmarkCapacityWorkers, the four-seed sweep, each run the
// median of 4 browsers; docs/performance.md): the first sweep on 2 workers took
// 6.0/6.7/6.2/7.9 s with the warm-up against 6.9/9.0/8.0/8.4 s without,
// faster in every pair; on 1 worker 8.7/9.3/10.6/10.4 s against
// 11.1/11.7/10.2/9.8 s, within the noise.
//
// It starts after the explorer's first frame: started as soon as the
// engine compiled, it shared the cores with the page's own start-up, and
// navigation to the first frame took a median 4.37 s against 3.83 s
// without a warm-up (5 loads each, alternating), then 3.85 s against
// 3.68 s, and 3.72 s started after the first frame (5 loads of each of
// the three builds, alternating, at a load average of 4.3-5.6).
const WarmUpFor = 1500 * time.Millisecond

// warmUp trains seed jobs of the link's sweep's first point on one worker
// for WarmUpFor, throwing their outcomes away, unless a sweep has started
// (whose Start stops this worker at once). The worker's messages are handled
// in their events, as a sweep's are: the first after WarmUpFor (a job
// reports its progress every engine.ProgressEvery) stops it, and only that
// schedules a frame, for the hook to show the worker gone.
func (g *game) warmUp() {
	if g.sweeping || g.starting || g.eng.Failed() != "" {
		return
	}
	jobs, err := core.NewSweepJobs(g.settings.Spec(), g.settings.Ks)
	if err != nil {
		return
	}
	first, ok := jobs.Next()
	if !ok {
		return
	}
	end := func() {
		g.warming = false
		g.eng.Stop()
		ebiten.ScheduleFrame()
	}
	began := time.Now()
	g.warming = true
	g.eng.Start(1, enginehost.Handler{
		Message: func(_ int, m protocol.Message) {
			switch {
			case !g.warming:
			case time.Since(began) >= WarmUpFor:
				end()
			case m.Type == protocol.TypeReady || m.Type == protocol.TypeJobDone:
				g.warmJobs++
				job := protocol.Message{Type: protocol.TypeJob, Job: g.warmJobs, Config: first.Config.Encode(), Budget: core.MaxCapacityBudget}
				if g.eng.Post(0, job) != nil {
					end()
				}
			}
		},
		// A warm-up worker that dies costs nothing: a sweep starts its own.
		Dead: func(int, string) {
			if g.warming {
				end()
			}
		},
	}, g.recoverEngine)
}

// engineMessage handles a message of worker w, in its event, and schedules
// a frame to show what it changed. Progress messages (every
// engine.ProgressEvery from each busy worker) only move the steps trained:
// tick shows those once a second.
func (g *game) engineMessage(w int, m protocol.Message) {
	g.handleEngineMessage(w, m)
	if m.Type != protocol.TypeJobProgress {
		g.frameSoon()
	}
}

// frameSoon schedules a frame for what a worker's message changed, at most
// one per capacity.FrameGap (capacity.Pacer says why): the job's next seed
// has been sent already, in the message's event, so only the page waits.
func (g *game) frameSoon() {
	g.pacerMu.Lock()
	defer g.pacerMu.Unlock()
	delay, schedule := g.pacer.Ask(time.Now())
	switch {
	case !schedule:
	case delay == 0:
		ebiten.ScheduleFrame()
	default:
		g.frameTimer = time.AfterFunc(delay, ebiten.ScheduleFrame)
	}
}

// handleEngineMessage handles a message of worker w.
func (g *game) handleEngineMessage(w int, m protocol.Message) {
	if !g.sweeping {
		return
	}
	var sends []capacity.Send
	var err error
	switch m.Type {
	case protocol.TypeReady:
		sends, err = g.pool.Ready(w)
	case protocol.TypeJobProgress:
		g.pool.Progress(w, m.Job, m.Step)
	case protocol.TypeJobDone:
		sends, err = g.pool.Done(w, m.Job, m.Outcome)
		g.sweepChanged()
	case protocol.TypeRefused:
		err = fmt.Errorf("it refused a message: %s", m.Reason)
	case protocol.TypeFault:
		err = fmt.Errorf("%s", m.Reason)
	default:
		err = fmt.Errorf("it sent a %s message, which is not for a sweep", m.Type)
	}
	if err != nil {
		g.engineDead(w, err.Error())
		return
	}
	for _, snd := range sends {
		msg := protocol.Message{Type: protocol.TypeJob, Job: snd.Job.ID, Config: snd.Job.Config.Encode(), Budget: snd.Job.Budget}
		if snd.Cancel {
			msg = protocol.Message{Type: protocol.TypeCancel, Job: snd.Job.ID}
		}
		if err := g.eng.Post(snd.Worker, msg); err != nil {
			g.engineDead(snd.Worker, "the page made a bad message: "+err.Error())
			return
		}
	}
}

// sweepChanged takes the finished ks into the table and ends a done sweep.
func (g *game) sweepChanged() {
	jobs := g.pool.Jobs()
	st := jobs.State()
	if st.KDone != g.kDone {
		g.kDone = st.KDone
		res := jobs.Results()
		g.res = res
		g.rows, g.series = capacity.Rows(res, g.built), capacity.Scaling(res)
	}
	if st.Done {
		g.sweeping = false
		g.elapsed = time.Since(g.started)
		g.eng.Stop()
		g.setText("notice", fmt.Sprintf("Sweep done in %s on %s.", g.elapsed.Round(10*time.Millisecond), capacity.Count(g.pool.Size(), "worker", "workers")))
	}
}

// builtSlice is how long buildStep goes on constructing within one frame
// once a Construct has run: the cheap refusals (k = 1 without output
// biases: about 0.2 ms each under Node, BenchmarkLargestBuilt's
// k1-noOB-down-to-3) share frames, while one Construct with its check at
// 1024-k-1024 takes a frame of its own: 0.14-0.27 s under Node
// (BenchmarkLargestBuilt, k = 8 and 4, load average 12), and 116-461 ms
// for the longest frame in headless Chromium (TestCapacityStop's log,
// k = 3 and 4, load average 12-15). Most of it is the check, the trainer's
// evaluation of all N pairs (N^2 softmax terms). It runs once per k and
// sweep, mostly while the workers start up.
const builtSlice = 8 * time.Millisecond

// buildStep advances the built-by-hand searches of the sweep shown, for at
// most one Construct plus builtSlice, and schedules the next frame while
// some remain. It runs in Update, on the page's thread: the workers'
// messages wait for it, so it runs right after Start, while they start up.
func (g *game) buildStep() {
	if len(g.building) == 0 {
		return
	}
	t0 := time.Now()
	for len(g.building) > 0 {
		b := g.building[0]
		if b.Step() {
			g.built = append(g.built, b.Result())
			g.building = g.building[1:]
			g.rows = capacity.Rows(g.res, g.built)
		}
		if time.Since(t0) >= builtSlice {
			break
		}
	}
	g.builtMs = max(g.builtMs, float64(time.Since(t0).Microseconds())/1000)
	if len(g.building) > 0 {
		ebiten.ScheduleFrame()
	}
}

// engineDead stops the sweep when a worker died or broke the protocol: it
// says which and why, and offers to start the sweep again on new workers.
// The ks finished stay in the table.
func (g *game) engineDead(w int, reason string) {
	if !g.sweeping {
		return
	}
	defer ebiten.ScheduleFrame() // called in a worker's event too
	g.eng.Stop()
	g.sweeping, g.stopped = false, true
	g.elapsed = time.Since(g.started)
	g.engineErr = fmt.Sprintf("Training engine %d of %d stopped: %s. The sweep was stopped; the k values it finished are in the table.", w+1, g.pool.Size(), reason)
	g.showMessage(g.engineErr)
	g.showRestart(true)
}

// recoverEngine turns a panic in a worker's event handler into the fatal
// panel, like RecoverTo does for the page's own callbacks.
func (g *game) recoverEngine(where string) {
	if r := recover(); r != nil {
		g.eng.Stop()
		g.ShowFatal(fmt.Sprintf("%s: %v\n\n%s", where, r, debug.Stack()))
	}
}

func (g *game) showRestart(on bool) {
	if b := g.El("cap-restart"); b.Truthy() {
		b.Set("hidden", !on)
	}
}

func (g *game) stop() {
	if !g.sweeping {
		return
	}
	g.eng.Stop() // every worker at once
	g.sweeping, g.stopped = false, true
	g.elapsed = time.Since(g.started)
}

// Update runs the queued control events, then sweeps within the frame's
// time budget, then brings the page up to date.
func (g *game) Update() error {
	defer g.RecoverTo("update")
	g.pacerMu.Lock()
	g.pacer.Ran(time.Now())
	if g.frameTimer != nil {
		// This frame shows what the timer's ask was for; left armed, the
		// timer would add a frame less than FrameGap after this one.
		g.frameTimer.Stop()
		g.frameTimer = nil
	}
	g.pacerMu.Unlock()
	g.frames++
	g.queue.Drain()
	if g.failed {
		return nil
	}
	g.buildStep()
	if g.sweeping {
		g.sweepFrms++
		g.elapsed = time.Since(g.started)
	}
	g.publish()
	return nil
}

// Draw draws the plot when it has changed since the last frame drawn; the
// first drawn frame marks the page ready.
func (g *game) Draw(screen *ebiten.Image) {
	defer g.RecoverTo("draw")
	if key := g.plotKey(screen); key != g.drawn {
		g.drawn = key
		g.view.draw(screen, g)
	}
	if !g.ready && !g.failed {
		g.ready = true
		g.SetState("ready")
		if l := g.El("load-box"); l.Truthy() {
			l.Set("hidden", true)
		}
		// Only now: a warm-up during the page's own start-up delayed its
		// first frame (WarmUpFor says by how much).
		g.enqueue(func() { g.eng.WhenCompiled(g.warmUp) })
	}
	g.ticking.Store(g.sweeping || !g.ready && !g.failed)
}

// plotKey sums up what the plot shows: the settings, the table, the points
// tried and being evaluated, the theme and the size. While a sweep runs it
// changes once a second too, for the ring that beats at the point being
// evaluated (beatBig). No more often: under a software WebGL (headless
// Chromium's SwiftShader) each change has ebiten draw and present a few
// frames and the browser composite them, on the cores the workers train on.
// With the ring pulsing four times a second a sweep's SwiftShader threads
// took 7.5 s of CPU, with a still ring 1.9 s (BenchmarkCapacityWorkers's
// sweep on 2 workers, threads' CPU times read from /proc, load average 13).
func (g *game) plotKey(screen *ebiten.Image) string {
	key := fmt.Sprint(screen.Bounds().Size(), g.view.dark, g.settings.Encode(), g.swSettings.Encode(), len(g.rows), len(g.built), g.sweeping)
	if g.pool != nil {
		st := g.pool.Jobs().State()
		key += fmt.Sprint(st.Points, st.Evaluating)
	}
	if g.sweeping {
		key += fmt.Sprint(time.Now().Unix())
	}
	return key
}

// beatBig reports whether the ring at the point being evaluated is at its
// larger size: every other second while a sweep runs.
func (g *game) beatBig() bool {
	return g.sweeping && time.Now().Unix()%2 == 1
}

// Layout renders at the device's pixel density so lines and text are sharp.
func (g *game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	return int(float64(outsideWidth) * s), int(float64(outsideHeight) * s)
}

// publish writes the URL, progress, table, buttons and the hook's state.
func (g *game) publish() {
	if frag := g.settings.Encode(); frag != g.lastFrag {
		g.lastFrag = frag
		if strings.TrimPrefix(g.Hash(), "#") != frag {
			// replaceState: no history entry per click, and no hashchange.
			g.ReplaceFragment(frag)
		}
		g.setText("cap-command", g.settings.Command())
	}
	g.publishProgress()
	if g.rowsShown != len(g.rows) || g.builtShown != len(g.built) {
		g.writeTable()
	}
	btn := [4]bool{!g.sweeping && !g.starting, g.sweeping, len(g.rows) > 0, len(g.rows) > 0}
	if btn != g.btnState {
		g.btnState = btn
		for i, id := range []string{"cap-start", "cap-stop", "cap-csv", "cap-json"} {
			if e := g.El(id); e.Truthy() {
				e.Set("disabled", !btn[i])
			}
		}
	}
	g.updateState()
}

func (g *game) publishProgress() {
	if g.pool == nil {
		return
	}
	pr := capacity.Progress{Jobs: g.pool.Jobs(), MaxN: g.swSettings.MaxN, Steps: g.pool.Steps(), Busy: g.pool.Busy(),
		Workers: g.pool.Size(), Running: g.sweeping, Stopped: g.stopped, Elapsed: g.elapsed}
	if p := g.El("cap-progress"); p.Truthy() {
		frac := pr.Fraction()
		v := fmt.Sprintf("%.3f", frac)
		if g.texts["#progress"] != v {
			g.texts["#progress"] = v
			p.Set("value", frac)
		}
	}
	g.setText("cap-progress-text", pr.Text())
}

// writeTable rebuilds the results table's body, text only.
func (g *game) writeTable() {
	body := g.El("cap-rows")
	if !body.Truthy() {
		return
	}
	body.Call("replaceChildren")
	for _, r := range g.rows {
		tr := g.Doc.Call("createElement", "tr")
		if r.AtBound {
			tr.Get("classList").Call("add", "bound")
		}
		for i, c := range r.Cells {
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			cell := g.Doc.Call("createElement", tag)
			if i == 0 {
				cell.Call("setAttribute", "scope", "row")
			}
			if i == len(r.Cells)-1 {
				cell.Set("title", r.TriedText())
			}
			if i == 2 && r.Built != nil {
				cell.Set("title", builtTitle(*r.Built))
			}
			cell.Set("textContent", c)
			tr.Call("appendChild", cell)
		}
		body.Call("appendChild", tr)
	}
	g.rowsShown, g.builtShown = len(g.rows), len(g.built)
	scaling := capacity.ScalingText(g.series)
	if scaling == "" {
		scaling = "No sweep yet."
	}
	g.setText("cap-scaling", scaling)
	s := g.swSettings
	g.setText("cap-caption", fmt.Sprintf("Shift by one without wrap-around; %s hidden, %s output, hidden bias %s, output bias %s, %s at lr %g; budget %d steps; seeds 1..%d; N searched in [%d, %d]. Built by hand: the largest N of that range whose hand-made solution (Construct, as in the playground) gets every pair right, each N built and checked from the top down (hover it for the reason the next N is refused). Points tried: + solved for every seed, − failed (hover the count).",
		s.Act, s.Out, capOnOff(s.HiddenBias), capOnOff(s.OutputBias), s.Opt, s.LR, s.Budget, s.Seeds, core.MinN, s.MaxN))
}

// builtTitle is the built-by-hand cell's tooltip: what was constructed and
// why the N above was refused.
func builtTitle(b core.BuiltCapacity) string {
	t := fmt.Sprintf("constructed %s", capacity.Count(len(b.Tried), "N", "Ns"))
	if len(b.Tried) > 0 {
		t += fmt.Sprintf(" (%d down to %d)", b.Tried[0], b.Tried[len(b.Tried)-1])
	}
	if b.Refusal != "" {
		t += "; " + b.Refusal
	}
	return t
}

func capOnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// export downloads the results as CSV or JSON.
func (g *game) export(ext string) {
	if len(g.rows) == 0 {
		return
	}
	var data, mime string
	switch ext {
	case "csv":
		data, mime = capacity.CSV(g.rows), "text/csv"
	default:
		b, err := capacity.JSON(g.swSettings, g.rows)
		if err != nil {
			g.showMessage("Export failed: " + err.Error() + ".")
			return
		}
		data, mime = string(b), "application/json"
	}
	name := capacity.FileName(g.swSettings, ext)
	g.Download(name, mime, data)
	g.setText("notice", "Exported "+name)
}

func (g *game) setText(id, s string) {
	if old, ok := g.texts[id]; ok && old == s {
		return
	}
	if e := g.El(id); e.Truthy() {
		e.Set("textContent", s) // never innerHTML: the text may come from a URL
		g.texts[id] = s
	}
}

func (g *game) showMessage(s string) {
	g.message = s
	g.setText("message", s)
	if m := g.El("message"); m.Truthy() {
		m.Set("hidden", false)
	}
}

func (g *game) clearMessage() {
	g.message = ""
	g.setText("message", "")
	if m := g.El("message"); m.Truthy() {
		m.Set("hidden", true)
	}
}

// capHookState is what window.bottleneckCapacity.state() returns.
type capHookState struct {
	Ready  bool `json:"ready"`
	Failed bool `json:"failed"`
	Frames int  `json:"frames"`
	// SweepFrames counts the frames of the sweep shown: with ElapsedMs it
	// gives the frame rate while sweeping.
	SweepFrames int `json:"sweepFrames"`
	// Workers is the sweep's pool size and Busy how many train a job.
	Workers int `json:"workers"`
	Busy    int `json:"busy"`
	// LiveWorkers counts the Web Workers alive: 0 once a sweep ends,
	// stops or fails, since every worker is then terminated.
	LiveWorkers int `json:"liveWorkers"`
	// WarmUpJobs counts the jobs the warm-up posted (WarmUpFor).
	WarmUpJobs  int    `json:"warmUpJobs"`
	EngineError string `json:"engineError"`
	Handled     int    `json:"handled"`
	Running     bool   `json:"running"`
	Started     bool   `json:"started"`
	Done        bool   `json:"done"`
	Stopped     bool   `json:"stopped"`
	Settings    string `json:"settings"` // the controls' fragment
	Sweep       string `json:"sweep"`    // the fragment of the sweep shown
	Message     string `json:"message"`

	K         int     `json:"k"`
	N         int     `json:"n"`
	SeedIndex int     `json:"seedIndex"`
	Step      int     `json:"step"`
	KDone     int     `json:"kDone"`
	KTotal    int     `json:"kTotal"`
	Points    int     `json:"points"`
	Steps     int64   `json:"steps"`
	ElapsedMs float64 `json:"elapsedMs"`

	Results []capacity.ExportRow `json:"results"`
	Table   [][]string           `json:"table"`
	// Built is, per k of the sweep shown whose search has finished, the
	// largest N that core.Construct solves (also for ks still training);
	// Building counts the searches left; BuiltMaxFrameMs is the longest
	// frame's constructing, in ms.
	Built           []capacity.ExportBuilt `json:"built"`
	Building        int                    `json:"building"`
	BuiltMaxFrameMs float64                `json:"builtMaxFrameMs"`
	// Scaling is the scaling view's fits, one per finished k.
	Scaling []capScaling `json:"scaling"`
}

// capScaling is one k's power-law fits in the hook's state.
type capScaling struct {
	K          int     `json:"k"`
	Fitted     bool    `json:"fitted"`
	Points     int     `json:"points"` // solved N
	StepsExp   float64 `json:"stepsExp"`
	WeightsExp float64 `json:"weightsExp"`
	RefExp     float64 `json:"refExp"`
}

func (g *game) updateState() {
	s := capHookState{
		Ready: g.ready, Failed: g.failed, Frames: g.frames, SweepFrames: g.sweepFrms, Handled: g.handled,
		Running: g.sweeping, Started: g.pool != nil, Stopped: g.stopped, EngineError: g.engineErr,
		LiveWorkers: g.eng.Workers(), WarmUpJobs: g.warmJobs,
		Settings: g.settings.Encode(), Sweep: g.swSettings.Encode(), Message: g.message,
		ElapsedMs: float64(g.elapsed.Microseconds()) / 1000,
		Results:   capacity.JSONRows(g.rows), Table: [][]string{},
	}
	if g.pool != nil {
		st := g.pool.Jobs().State()
		s.Done, s.KDone, s.KTotal, s.Points, s.Steps = st.Done, st.KDone, st.KTotal, st.Points, g.pool.Steps()
		s.Workers, s.Busy = g.pool.Size(), g.pool.Busy()
		if jobs, steps := g.pool.Running(); len(jobs) > 0 {
			s.K, s.N, s.SeedIndex, s.Step = jobs[0].K, jobs[0].N, jobs[0].SeedIndex, steps[0]
		}
	}
	for _, r := range g.rows {
		s.Table = append(s.Table, r.Cells)
	}
	s.Built, s.Building, s.BuiltMaxFrameMs = capacity.BuiltExport(g.built), len(g.building), g.builtMs
	s.Scaling = []capScaling{}
	for _, sr := range g.series {
		s.Scaling = append(s.Scaling, capScaling{K: sr.K, Fitted: sr.Fitted, Points: len(sr.N),
			StepsExp: sr.StepsExp, WeightsExp: sr.WeightsExp, RefExp: sr.RefExp()})
	}
	if data, err := json.Marshal(s); err == nil {
		g.state = string(data)
	}
}

// installHook exposes window.bottleneckCapacity.state() on the top page for
// tests and the curious. It only hands out the JSON cached in Update.
func (g *game) installHook() {
	hook := js.Global().Get("Object").New()
	hook.Set("state", js.FuncOf(func(js.Value, []js.Value) any { return g.state }))
	// crashEngine(i) makes worker i's Go code panic: the browser tests'
	// way to check what the page does when an engine dies.
	hook.Set("crashEngine", js.FuncOf(func(_ js.Value, a []js.Value) any {
		if len(a) > 0 && a[0].Type() == js.TypeNumber {
			i := a[0].Int()
			g.push(func() { g.eng.DebugFault(i, false) })
		}
		return nil
	}))
	g.Win.Set("bottleneckCapacity", hook)
}
