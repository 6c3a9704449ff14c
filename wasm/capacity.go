//go:build js && wasm

package main

// The capacity explorer: when the app runs in capacity.html's iframe
// (app.html?mode=capacity), main runs capacityGame instead of the
// playground. It sweeps k with a core.Sweeper a few milliseconds per frame
// (capacity.Slicer), draws max N against k (capacityview.go) and wires the
// parent page's controls, table, exports and URL fragment. As in bridge.go,
// browser callbacks only read their event and push onto the queue; Update
// runs the closures and writes to the page.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/engine"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// capacityMode reports whether this app is the capacity explorer's.
func capacityMode() bool {
	return capacity.IsExplorer(js.Global().Get("location").Get("search").String())
}

// runCapacity runs the capacity explorer until the page closes.
func runCapacity() {
	g := newCapacityGame()
	ebiten.SetWindowTitle("Bottleneck capacity explorer")
	// The sweep must go on while the user works the parent page's controls.
	ebiten.SetRunnableOnUnfocused(true)
	if err := ebiten.RunGame(g); err != nil {
		g.showFatal("the drawing loop stopped: " + err.Error())
	}
}

type capacityGame struct {
	page  // the parent page (page.go)
	queue play.Queue

	texts    map[string]string
	settings capacity.Settings // what the controls and the URL show
	lastFrag string            // the fragment last written to the URL

	// The sweep shown: its settings, the Sweeper (nil before the first
	// Start), whether it is running, and what it has found.
	swSettings capacity.Settings
	sw         *core.Sweeper
	sweeping   bool
	slicer     engine.Slicer
	rows       []capacity.Row
	kDone      int
	tried      []core.TriedPoint // the current k's points so far
	triedK     int
	points     int
	started    time.Time
	elapsed    time.Duration // of the sweep shown, up to now or its end
	stopped    bool

	rowsShown int // rows written to the table
	frames    int // Update calls, for the responsiveness test
	sweepFrms int // Update calls that swept
	handled   int // queued control events run
	ready     bool
	failed    bool
	message   string
	state     string // the hook's JSON, refreshed in Update
	btnState  [4]bool
	view      *capView
}

func newCapacityGame() *capacityGame {
	g := &capacityGame{texts: map[string]string{}, view: newCapView(), slicer: engine.Slicer{Budget: 8 * time.Millisecond}}
	g.page = newPage("bottleneck capacity", func() { g.failed, g.sweeping = true, false })

	s, errs := capacity.Parse(g.hash())
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
func (g *capacityGame) push(f func()) {
	g.queue.Push(func() { g.handled++; f() })
}

func (g *capacityGame) wire() {
	// Any control's change re-reads the whole form: the callback only reads
	// the DOM and queues the result.
	onForm := func(js.Value) {
		vals := g.readControls()
		g.push(func() { g.applyControls(vals) })
	}
	g.on(g.el("cap-controls"), "change", onForm)
	g.on(g.el("cap-controls"), "submit", func(e js.Value) { e.Call("preventDefault") })
	g.on(g.el("cap-start"), "click", func(js.Value) { g.push(g.start) })
	g.on(g.el("cap-stop"), "click", func(js.Value) { g.push(g.stop) })
	g.on(g.el("cap-csv"), "click", func(js.Value) { g.push(func() { g.export("csv") }) })
	g.on(g.el("cap-json"), "click", func(js.Value) { g.push(func() { g.export("json") }) })
	g.on(g.el("fatal-reload"), "click", func(js.Value) { g.win.Get("location").Call("reload") })
	g.on(g.win, "hashchange", func(js.Value) {
		h := g.hash()
		g.push(func() { g.applyLink(h) })
	})
	if mm := g.self.Get("matchMedia"); mm.Truthy() {
		mq := g.self.Call("matchMedia", "(prefers-color-scheme: dark)")
		g.view.dark = mq.Get("matches").Bool()
		g.on(mq, "change", func(e js.Value) {
			dark := e.Get("matches").Bool()
			g.push(func() { g.view.dark = dark })
		})
	}
}

// controlValues are the form's values as fragment keys and values.
type controlValues [][2]string

// readControls reads the form, in a callback (reads only).
func (g *capacityGame) readControls() controlValues {
	var ks []string
	for k := 0; k <= capacity.MaxK; k++ {
		if c := g.el("cap-k" + strconv.Itoa(k)); c.Truthy() && c.Get("checked").Bool() {
			ks = append(ks, strconv.Itoa(k))
		}
	}
	val := func(id string) string {
		if e := g.el(id); e.Truthy() {
			return e.Get("value").String()
		}
		return ""
	}
	b01 := func(id string) string {
		if e := g.el(id); e.Truthy() && e.Get("checked").Bool() {
			return "1"
		}
		return "0"
	}
	return controlValues{
		{"k", strings.Join(ks, ",")}, {"budget", val("cap-budget")}, {"seeds", val("cap-seeds")},
		{"lr", val("cap-lr")}, {"opt", val("cap-opt")}, {"act", val("cap-act")}, {"out", val("cap-out")},
		{"hb", b01("cap-hb")}, {"ob", b01("cap-ob")}, {"max", val("cap-max")},
	}
}

// applyControls takes the form's values: a bad one keeps its previous value,
// is named in the message and put back in its control.
func (g *capacityGame) applyControls(vals controlValues) {
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
func (g *capacityGame) applyLink(h string) {
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
func (g *capacityGame) syncControls() {
	set := func(id, prop string, v any) {
		if e := g.el(id); e.Truthy() {
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
}

// start begins a new sweep with the form's settings.
func (g *capacityGame) start() {
	s := g.settings
	spec := s.Spec()
	spec.Progress = g.progress
	sw, err := core.NewSweeper(spec, s.Ks)
	if err != nil { // Parse and Set only make valid settings; say so anyway
		g.showMessage("The sweep did not start: " + err.Error() + ".")
		return
	}
	g.clearMessage()
	g.setText("notice", "")
	g.sw, g.swSettings, g.sweeping, g.stopped = sw, s, true, false
	g.rows, g.kDone, g.tried, g.triedK, g.points = nil, 0, nil, -1, 0
	g.rowsShown = -1 // rewrite the table and its caption
	g.slicer.Reset()
	g.started, g.elapsed, g.sweepFrms = time.Now(), 0, 0
}

// progress is the Sweeper's callback, run inside Step on this goroutine: it
// records the current k's finished points for the plot.
func (g *capacityGame) progress(p core.CapacityProgress) {
	if p.Points == g.points {
		return // a seed of a point still being evaluated
	}
	g.points = p.Points
	if p.K != g.triedK {
		g.triedK, g.tried = p.K, nil
	}
	g.tried = append(g.tried, core.TriedPoint{N: p.N, Solved: p.Outcome.Solved})
}

func (g *capacityGame) stop() {
	if !g.sweeping {
		return
	}
	g.sweeping, g.stopped = false, true
	g.elapsed = time.Since(g.started)
}

// Update runs the queued control events, then sweeps within the frame's
// time budget, then brings the page up to date.
func (g *capacityGame) Update() error {
	defer g.recoverTo("update")
	g.frames++
	g.queue.Drain()
	if g.failed {
		return nil
	}
	if g.sweeping {
		g.sweepFrms++
		_, done := g.slicer.Run(time.Now, func(n int) (int, bool) {
			before := g.sw.State().Steps
			d := g.sw.Step(n)
			return int(g.sw.State().Steps - before), d
		})
		g.elapsed = time.Since(g.started)
		if st := g.sw.State(); st.KDone != g.kDone {
			g.kDone = st.KDone
			g.rows = capacity.Rows(g.sw.Results())
		}
		if done {
			g.sweeping = false
			g.setText("notice", fmt.Sprintf("Sweep done in %s.", g.elapsed.Round(10*time.Millisecond)))
		}
	}
	g.publish()
	return nil
}

// Draw draws the plot; the first drawn frame marks the page ready.
func (g *capacityGame) Draw(screen *ebiten.Image) {
	defer g.recoverTo("draw")
	g.view.draw(screen, g)
	if !g.ready && !g.failed {
		g.ready = true
		g.setState("ready")
		if l := g.el("load-box"); l.Truthy() {
			l.Set("hidden", true)
		}
	}
}

// Layout renders at the device's pixel density so lines and text are sharp.
func (g *capacityGame) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	return int(float64(outsideWidth) * s), int(float64(outsideHeight) * s)
}

// publish writes the URL, progress, table, buttons and the hook's state.
func (g *capacityGame) publish() {
	if frag := g.settings.Encode(); frag != g.lastFrag {
		g.lastFrag = frag
		if strings.TrimPrefix(g.hash(), "#") != frag {
			// replaceState: no history entry per click, and no hashchange.
			g.replaceFragment(frag)
		}
		g.setText("cap-command", g.settings.Command())
	}
	g.publishProgress()
	if g.rowsShown != len(g.rows) {
		g.writeTable()
	}
	btn := [4]bool{!g.sweeping, g.sweeping, len(g.rows) > 0, len(g.rows) > 0}
	if btn != g.btnState {
		g.btnState = btn
		for i, id := range []string{"cap-start", "cap-stop", "cap-csv", "cap-json"} {
			if e := g.el(id); e.Truthy() {
				e.Set("disabled", !btn[i])
			}
		}
	}
	g.updateState()
}

func (g *capacityGame) publishProgress() {
	if g.sw == nil {
		return
	}
	st := g.sw.State()
	s := g.swSettings
	frac := 1.0
	if !st.Done {
		// A k's search evaluates about 2·log2(max N) points.
		expect := 2 * max(1, capBitsLen(s.MaxN))
		pointsThisK := len(g.tried)
		if g.triedK != st.K {
			pointsThisK = 0
		}
		frac = (float64(st.KDone) + min(0.95, float64(pointsThisK)/float64(expect))) / float64(max(1, st.KTotal))
	}
	if p := g.el("cap-progress"); p.Truthy() {
		v := fmt.Sprintf("%.3f", frac)
		if g.texts["#progress"] != v {
			g.texts["#progress"] = v
			p.Set("value", frac)
		}
	}
	el := g.elapsed.Round(time.Second)
	if g.elapsed < 10*time.Second {
		el = g.elapsed.Round(10 * time.Millisecond)
	}
	var txt string
	switch {
	case st.Done:
		txt = fmt.Sprintf("Done: %d k values, %d points tried, %d training steps in %s.", st.KTotal, st.Points, st.Steps, el)
	case g.stopped:
		txt = fmt.Sprintf("Stopped at k=%d, N=%d after %d points and %s; the table holds the k values finished. Start begins again.", st.K, st.N, st.Points, el)
	default:
		txt = fmt.Sprintf("k=%d (%d of %d): N=%d, seed %d of %d, step %d of %d · %d points tried · %s",
			st.K, st.KDone+1, st.KTotal, st.N, st.SeedIndex+1, len(s.SeedList()), st.Step, s.Budget, st.Points, el)
	}
	g.setText("cap-progress-text", txt)
}

func capBitsLen(n int) int {
	b := 0
	for ; n > 1; n >>= 1 {
		b++
	}
	return b
}

// writeTable rebuilds the results table's body, text only.
func (g *capacityGame) writeTable() {
	body := g.el("cap-rows")
	if !body.Truthy() {
		return
	}
	body.Call("replaceChildren")
	for _, r := range g.rows {
		tr := g.doc.Call("createElement", "tr")
		if r.AtBound {
			tr.Get("classList").Call("add", "bound")
		}
		for i, c := range r.Cells {
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			cell := g.doc.Call("createElement", tag)
			if i == 0 {
				cell.Call("setAttribute", "scope", "row")
			}
			if i == len(r.Cells)-1 {
				cell.Set("title", r.TriedText())
			}
			cell.Set("textContent", c)
			tr.Call("appendChild", cell)
		}
		body.Call("appendChild", tr)
	}
	g.rowsShown = len(g.rows)
	s := g.swSettings
	g.setText("cap-caption", fmt.Sprintf("Shift by one without wrap-around; %s hidden, %s output, hidden bias %s, output bias %s, %s at lr %g; budget %d steps; seeds 1..%d; N searched in [%d, %d]. Points tried: + solved for every seed, − failed (hover the count).",
		s.Act, s.Out, capOnOff(s.HiddenBias), capOnOff(s.OutputBias), s.Opt, s.LR, s.Budget, s.Seeds, core.MinN, s.MaxN))
}

func capOnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// export downloads the results as CSV or JSON.
func (g *capacityGame) export(ext string) {
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
	g.download(name, mime, data)
	g.setText("notice", "Exported "+name)
}

func (g *capacityGame) setText(id, s string) {
	if old, ok := g.texts[id]; ok && old == s {
		return
	}
	if e := g.el(id); e.Truthy() {
		e.Set("textContent", s) // never innerHTML: the text may come from a URL
		g.texts[id] = s
	}
}

func (g *capacityGame) showMessage(s string) {
	g.message = s
	g.setText("message", s)
	if m := g.el("message"); m.Truthy() {
		m.Set("hidden", false)
	}
}

func (g *capacityGame) clearMessage() {
	g.message = ""
	g.setText("message", "")
	if m := g.el("message"); m.Truthy() {
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
	SweepFrames int    `json:"sweepFrames"`
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
	// The last frame's slice: steps trained, milliseconds, calls of Step,
	// and the estimated time per step.
	SliceSteps int     `json:"sliceSteps"`
	SliceMs    float64 `json:"sliceMs"`
	SliceCalls int     `json:"sliceCalls"`
	PerStepUs  float64 `json:"perStepUs"`

	Results []capacity.ExportRow `json:"results"`
	Table   [][]string           `json:"table"`
}

func (g *capacityGame) updateState() {
	s := capHookState{
		Ready: g.ready, Failed: g.failed, Frames: g.frames, SweepFrames: g.sweepFrms, Handled: g.handled,
		Running: g.sweeping, Started: g.sw != nil, Stopped: g.stopped,
		Settings: g.settings.Encode(), Sweep: g.swSettings.Encode(), Message: g.message,
		ElapsedMs:  float64(g.elapsed.Microseconds()) / 1000,
		SliceSteps: g.slicer.LastSteps, SliceMs: float64(g.slicer.LastElapsed.Microseconds()) / 1000,
		SliceCalls: g.slicer.LastCalls, PerStepUs: float64(g.slicer.PerStep().Nanoseconds()) / 1000,
		Results: capacity.JSONRows(g.rows), Table: [][]string{},
	}
	if g.sw != nil {
		st := g.sw.State()
		s.Done, s.K, s.N, s.SeedIndex, s.Step = st.Done, st.K, st.N, st.SeedIndex, st.Step
		s.KDone, s.KTotal, s.Points, s.Steps = st.KDone, st.KTotal, st.Points, st.Steps
	}
	for _, r := range g.rows {
		s.Table = append(s.Table, r.Cells)
	}
	if data, err := json.Marshal(s); err == nil {
		g.state = string(data)
	}
}

// installHook exposes window.bottleneckCapacity.state() on the top page for
// tests and the curious. It only hands out the JSON cached in Update.
func (g *capacityGame) installHook() {
	hook := js.Global().Get("Object").New()
	hook.Set("state", js.FuncOf(func(js.Value, []js.Value) any { return g.state }))
	g.win.Set("bottleneckCapacity", hook)
}
