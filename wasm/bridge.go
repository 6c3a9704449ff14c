//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// bridge connects the game to the parent page: its HTML controls, the URL
// fragment, the status text, export and import, and the test hook.
//
// The canvas lives in an iframe (ebiten takes over the whole body of its
// document), so the controls are in the parent document, which is same-origin.
// Browser callbacks only read the event and push a closure onto queue; the
// closures, and every write to the page, run in the game's Update.
type bridge struct {
	page  // the parent page (page.go)
	g     *Game
	queue play.Queue

	texts       map[string]string // last text written per element id
	lastFrag    string            // the fragment the controls and URL show
	ready       bool
	noticeUntil time.Time

	state      string // JSON for window.bottleneck.state(), refreshed in Update
	digestKey  [2]int // (step, version) the digest was computed for
	digest     string
	lastPlay   int // 0 unknown, 1 playing, 2 paused
	divergeMsg bool

	// Hardening (guard.go, debug.go): frame times, the debug switches and a
	// count of the messages shown, for the tests.
	perf          perfStats
	panicAt       string
	panicListener bool
	messageSeq    int

	tour tourState // the guided tour (tourbridge.go)
}

func newBridge(g *Game) *bridge {
	b := &bridge{g: g, texts: map[string]string{}, digestKey: [2]int{-1, -1}}
	b.page = newPage("bottleneck", func() { g.failed = true })
	return b
}

// initialApp builds the first run from the parent's URL fragment. A bad
// fragment is reported and the defaults run instead: never a blank page.
func (b *bridge) initialApp() *play.App {
	b.wireTour() // first: the link may name a tour step
	cfg, step, err := b.parseTourLink(b.hash())
	if err != nil {
		b.showMessage("The link's settings were not used: " + err.Error() + ". Showing the default network instead.")
		cfg, step = core.DefaultConfig(), 0
	}
	app, err := play.New(cfg)
	if err != nil { // cannot happen for a parsed config; keep the page alive anyway
		app, _ = play.New(core.DefaultConfig())
		step = 0
	}
	b.tour.step, b.tour.entered = step, time.Now()
	if s := b.el("speed"); s.Truthy() {
		if v, err := strconv.Atoi(s.Get("value").String()); err == nil {
			app.Speed = play.SpeedSteps(v)
		}
	}
	b.wire()
	b.installHook()
	b.installPerfHook()
	return app
}

// onID is on for the element with the given id.
func (b *bridge) onID(id, event string, fn func(e js.Value)) { b.on(b.el(id), event, fn) }

// value returns the current value of a control, read in the callback.
func value(e js.Value) string {
	if t := e.Get("target"); t.Truthy() {
		return t.Get("value").String()
	}
	return ""
}

func checked(e js.Value) bool {
	t := e.Get("target")
	return t.Truthy() && t.Get("checked").Bool()
}

// wire connects every control. Each handler reads its value and queues an
// edit of the config; the edit validates and either rebuilds or refuses.
func (b *bridge) wire() {
	intField := func(id, event, field, allowed string, set func(c *core.Config, v int)) {
		b.onID(id, event, func(e js.Value) {
			raw := strings.TrimSpace(value(e))
			b.queue.Push(func() {
				b.edit(func(c *core.Config) error {
					v, err := strconv.Atoi(raw)
					if err != nil {
						return &core.FieldError{Field: field, Value: raw, Allowed: allowed}
					}
					set(c, v)
					return nil
				})
			})
		})
	}
	nAllowed := fmt.Sprintf("N must be a whole number from %d to %d", core.MinN, core.MaxN)
	resize := func(c *core.Config, v int) { *c = play.Resize(*c, v) }
	intField("n", "input", "n", nAllowed, resize)
	intField("n-num", "change", "n", nAllowed, resize)
	intField("k", "input", "k", fmt.Sprintf("k must be a whole number from 0 to %d", core.MaxK), func(c *core.Config, v int) { c.K = v })
	intField("shift", "change", "s", "the shift must be a whole number from 1 to N-1", func(c *core.Config, v int) { c.Shift = v })

	seedField := func(id, field string, set func(c *core.Config, v uint64)) {
		b.onID(id, "change", func(e js.Value) {
			raw := strings.TrimSpace(value(e))
			b.queue.Push(func() {
				b.edit(func(c *core.Config) error {
					v, err := strconv.ParseUint(raw, 10, 64)
					if err != nil || v > core.MaxSeed {
						return &core.FieldError{Field: field, Value: raw, Allowed: fmt.Sprintf("the seed must be a whole number from 0 to %d", uint64(core.MaxSeed))}
					}
					set(c, v)
					return nil
				})
			})
		})
	}
	seedField("seed", "seed", func(c *core.Config, v uint64) { c.Seed = v })
	seedField("task-seed", "tseed", func(c *core.Config, v uint64) { c.TaskSeed = v })

	textField := func(id string, set func(c *core.Config, v string) error) {
		b.onID(id, "change", func(e js.Value) {
			raw := value(e)
			b.queue.Push(func() { b.edit(func(c *core.Config) error { return set(c, raw) }) })
		})
	}
	textField("task", func(c *core.Config, v string) error { *c = play.SwitchTask(*c, core.TaskKind(v)); return nil })
	textField("act", func(c *core.Config, v string) error { c.Activation = core.Activation(v); return nil })
	textField("out", func(c *core.Config, v string) error { c.Output = core.Output(v); return nil })
	textField("opt", func(c *core.Config, v string) error { c.Optimizer = core.OptimizerKind(v); return nil })
	textField("custom-map", func(c *core.Config, v string) (err error) {
		c.Custom, err = core.ParseMap(strings.TrimSpace(v))
		return err
	})
	// floatField wires a number input to a float of the config. Text that is
	// not a number becomes NaN, so core's Validate words the message for it
	// exactly as for a number out of range, with the text the user typed.
	floatField := func(id string, field func(c *core.Config) *float64) {
		textField(id, func(c *core.Config, v string) error {
			v = strings.TrimSpace(v)
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(x, 0) {
				x = math.NaN()
			}
			*field(c) = x
			var fe *core.FieldError
			if err := c.Validate(); errors.As(err, &fe) {
				fe.Value = v
				return fe
			}
			return nil
		})
	}
	floatField("lr", func(c *core.Config) *float64 { return &c.LearningRate })
	floatField("mom", func(c *core.Config) *float64 { return &c.Momentum })
	floatField("b1", func(c *core.Config) *float64 { return &c.Beta1 })
	floatField("b2", func(c *core.Config) *float64 { return &c.Beta2 })
	floatField("eps", func(c *core.Config) *float64 { return &c.Epsilon })

	boolField := func(id string, set func(c *core.Config, v bool)) {
		b.onID(id, "change", func(e js.Value) {
			v := checked(e)
			b.queue.Push(func() { b.edit(func(c *core.Config) error { set(c, v); return nil }) })
		})
	}
	boolField("wrap", func(c *core.Config, v bool) { c.Wrap = v })
	boolField("hidden-bias", func(c *core.Config, v bool) { c.HiddenBias = v })
	boolField("output-bias", func(c *core.Config, v bool) { c.OutputBias = v })

	b.onID("speed", "input", func(e js.Value) {
		v, err := strconv.Atoi(value(e))
		if err != nil {
			return
		}
		b.queue.Push(func() { b.g.app.Speed = play.SpeedSteps(v) })
	})
	b.onID("new-seed", "click", func(js.Value) {
		seed := rand.Uint64N(core.MaxSeed + 1)
		b.queue.Push(func() { b.command(func(a *play.App) error { return a.NewSeed(seed) }) })
	})
	b.onID("play", "click", func(js.Value) { b.queue.Push(b.toggle) })
	b.onID("step", "click", func(js.Value) { b.queue.Push(b.step) })
	b.onID("reset", "click", func(js.Value) { b.queue.Push(b.reset) })
	b.onID("message-reset", "click", func(js.Value) { b.queue.Push(b.reset) })
	b.onID("export", "click", func(js.Value) { b.queue.Push(b.export) })
	b.onID("copy-link", "click", func(js.Value) { b.copyLink() })
	b.onID("import", "change", func(e js.Value) {
		t := e.Get("target")
		if files := t.Get("files"); files.Truthy() && files.Length() > 0 {
			b.importFile(files.Index(0))
		}
		t.Set("value", "") // so choosing the same file again fires change
	})
	b.onID("fatal-reload", "click", func(js.Value) { b.win.Get("location").Call("reload") })
	b.onID("fatal-reset", "click", func(js.Value) { b.queue.Push(b.restartFromLink) })

	for _, target := range []js.Value{b.doc, b.self.Get("document")} {
		b.on(target, "keydown", b.onKey)
		b.on(target, "dragover", func(e js.Value) { e.Call("preventDefault") })
		b.on(target, "drop", func(e js.Value) {
			e.Call("preventDefault")
			if dt := e.Get("dataTransfer"); dt.Truthy() {
				if files := dt.Get("files"); files.Truthy() && files.Length() > 0 {
					b.importFile(files.Index(0))
				}
			}
		})
		if b.doc.Equal(b.self.Get("document")) {
			break // not framed: one document
		}
	}
	b.on(b.win, "hashchange", func(js.Value) {
		h := b.hash()
		b.queue.Push(func() { b.applyLink(h) })
	})
	b.on(b.self.Get("document").Get("documentElement"), "mouseleave", func(js.Value) {
		b.queue.Push(b.g.view.pointerLeft)
	})
	if mm := b.self.Get("matchMedia"); mm.Truthy() {
		mq := b.self.Call("matchMedia", "(prefers-color-scheme: dark)")
		b.g.view.dark = mq.Get("matches").Bool()
		b.on(mq, "change", func(e js.Value) {
			dark := e.Get("matches").Bool()
			b.queue.Push(func() { b.g.view.dark = dark })
		})
	}
}

// onKey handles the shortcuts: space play/pause, s step, r reset. They stay
// out of the way of typing in a field and of the browser's own shortcuts.
func (b *bridge) onKey(e js.Value) {
	if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
		return
	}
	tag := ""
	if t := e.Get("target"); t.Truthy() {
		if tn := t.Get("tagName"); tn.Type() == js.TypeString {
			tag = strings.ToUpper(tn.String())
		}
		if t.Get("isContentEditable").Truthy() {
			return
		}
	}
	switch tag {
	case "INPUT", "SELECT", "TEXTAREA":
		return
	}
	switch e.Get("key").String() {
	case " ", "Spacebar":
		if tag == "BUTTON" { // space already presses the focused button
			return
		}
		e.Call("preventDefault") // no page scroll
		if !e.Get("repeat").Bool() {
			b.queue.Push(b.toggle)
		}
	case "s", "S":
		b.queue.Push(b.step)
	case "r", "R":
		b.queue.Push(b.reset)
	}
}

// edit applies a change to the current config: a refused value leaves the
// run as it was, says why, and puts the control back to the current value.
func (b *bridge) edit(f func(c *core.Config) error) {
	c := b.g.app.Config()
	err := f(&c)
	if err == nil {
		err = b.g.app.Apply(c)
	}
	if err != nil {
		b.showMessage(err.Error())
		b.syncControls(b.g.app.Config())
		return
	}
	b.clearMessage()
}

// command runs an action on the app and reports its error, if any.
func (b *bridge) command(f func(a *play.App) error) {
	if err := f(b.g.app); err != nil {
		b.showMessage(err.Error())
		return
	}
	b.clearMessage()
}

func (b *bridge) toggle() { b.g.app.Toggle() }

func (b *bridge) step() {
	if err := b.g.app.Step(); err != nil {
		b.showDiverged(b.g.app.Trainer().Diverged())
	}
}

func (b *bridge) reset() {
	b.g.app.Reset() // resumes a run that divergence stopped
	b.clearMessage()
}

// applyLink switches to a fragment pasted into the address bar. A bad one is
// reported and the current run goes on (the URL is then rewritten to it).
func (b *bridge) applyLink(h string) {
	if strings.TrimPrefix(h, "#") == b.lastFrag+b.linkSuffix() {
		return
	}
	cfg, step, err := b.parseTourLink(h)
	if err != nil {
		b.showMessage("The link's settings were not used: " + err.Error() + ". The current run goes on.")
		b.lastFrag = "" // rewrite the URL to the run that goes on
		return
	}
	if step > 0 {
		b.enterTour(step)
		return
	}
	b.tour.step = 0 // a link without tour= is not a tour step, even with a step's config
	b.lastFrag = "" // the URL gets the canonical form (and the debug keys that persist)
	b.edit(func(c *core.Config) error { *c = cfg; return nil })
}

// restartFromLink is the #fatal panel's way out: a fresh run from the URL.
func (b *bridge) restartFromLink() {
	cfg, step, err := b.parseTourLink(b.hash())
	if err != nil {
		cfg, step = core.DefaultConfig(), 0
	}
	app, err := play.New(cfg)
	if err != nil {
		return
	}
	b.tour.step, b.tour.entered, b.tour.shown = step, time.Now(), -1
	app.Speed = b.g.app.Speed
	b.g.app = app
	b.g.failed = false
	b.lastFrag = ""
	b.texts = map[string]string{}
	if f := b.el("fatal"); f.Truthy() {
		f.Set("hidden", true)
	}
	b.setState("ready")
}

// publish brings the page up to date with the app after a frame's work: the
// controls and the URL when the config changed, the status line, the play
// button and the test hook's state.
func (b *bridge) publish(a *play.App) {
	tr := a.Trainer()
	c := tr.Config()
	if frag := c.Encode(); frag != b.lastFrag {
		b.lastFrag = frag
		b.syncControls(c)
		if link := frag + b.linkSuffix(); strings.TrimPrefix(b.hash(), "#") != link {
			// replaceState, not a hash assignment: dragging a slider must not
			// fill the history, and it fires no hashchange back at us.
			b.replaceFragment(link)
		}
		b.setText("stat-shape", c.Shape())
		if c.K == 0 {
			b.setText("stat-conn", fmt.Sprintf("%d connections (the direct network)", c.Connections()))
		} else {
			b.setText("stat-conn", fmt.Sprintf("%d connections (%d without the hidden layer)", c.Connections(), c.N*c.N))
		}
	}
	m := tr.Metrics()
	b.setText("stat-step", strconv.Itoa(m.Step))
	b.setText("stat-loss", fmtLoss(m.Loss))
	b.setText("stat-acc", fmt.Sprintf("%d/%d (%d%%)", m.Correct, m.Pairs, int(math.Floor(100*m.Accuracy+1e-9))))
	// The post argues from weight sizes (±9 in, ±26 out; softmax alone
	// "explodes"), so the largest one is part of the status.
	b.setText("stat-maxw", fmtFloat(m.MaxAbsWeight, 3))
	if m.SolvedAt >= 0 {
		b.setText("stat-solved", fmt.Sprintf("solved at step %d", m.SolvedAt))
	} else {
		b.setText("stat-solved", "not solved yet")
	}
	playing := 2
	if a.Running {
		playing = 1
	}
	if playing != b.lastPlay {
		b.lastPlay = playing
		if p := b.el("play"); p.Truthy() {
			p.Set("textContent", map[bool]string{true: "Pause", false: "Play"}[a.Running])
			p.Call("setAttribute", "aria-pressed", strconv.FormatBool(a.Running))
		}
	}
	if !b.noticeUntil.IsZero() && time.Now().After(b.noticeUntil) {
		b.noticeUntil = time.Time{}
		b.setText("notice", "")
	}
	b.updateState(a)
}

func fmtLoss(x float64) string { return fmtFloat(x, 5) }

// fmtFloat writes x with the given significant digits, or NaN/+Inf/-Inf.
func fmtFloat(x float64, digits int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Sprint(x)
	}
	return strconv.FormatFloat(x, 'g', digits, 64)
}

// syncControls makes every control show c, and shows only the current
// task's own controls.
func (b *bridge) syncControls(c core.Config) {
	set := func(id, prop string, v any) {
		if e := b.el(id); e.Truthy() {
			e.Set(prop, v)
		}
	}
	set("n", "value", strconv.Itoa(min(c.N, core.MaxNDirect)))
	set("n-num", "value", strconv.Itoa(c.N))
	set("k", "value", strconv.Itoa(c.K))
	set("k-value", "textContent", strconv.Itoa(c.K))
	set("task", "value", string(c.Task))
	set("shift", "value", strconv.Itoa(c.Shift))
	set("shift", "max", strconv.Itoa(c.N-1))
	set("wrap", "checked", c.Wrap)
	set("task-seed", "value", strconv.FormatUint(c.TaskSeed, 10))
	if c.Task == core.TaskCustom {
		set("custom-map", "value", core.FormatMap(c.Custom))
	}
	set("act", "value", string(c.Activation))
	set("out", "value", string(c.Output))
	set("hidden-bias", "checked", c.HiddenBias)
	set("output-bias", "checked", c.OutputBias)
	set("opt", "value", string(c.Optimizer))
	set("lr", "value", strconv.FormatFloat(c.LearningRate, 'g', -1, 64))
	set("mom", "value", strconv.FormatFloat(c.Momentum, 'g', -1, 64))
	set("b1", "value", strconv.FormatFloat(c.Beta1, 'g', -1, 64))
	set("b2", "value", strconv.FormatFloat(c.Beta2, 'g', -1, 64))
	set("eps", "value", strconv.FormatFloat(c.Epsilon, 'g', -1, 64))
	set("seed", "value", strconv.FormatUint(c.Seed, 10))
	if !b.doc.Truthy() {
		return
	}
	rows := b.doc.Call("querySelectorAll", "[data-task]")
	for i := 0; i < rows.Length(); i++ {
		r := rows.Index(i)
		r.Set("hidden", r.Get("dataset").Get("task").String() != string(c.Task))
	}
	rows = b.doc.Call("querySelectorAll", "[data-opt]")
	for i := 0; i < rows.Length(); i++ {
		r := rows.Index(i)
		r.Set("hidden", r.Get("dataset").Get("opt").String() != string(c.Optimizer))
	}
}

func (b *bridge) setText(id, s string) {
	if old, ok := b.texts[id]; ok && old == s {
		return
	}
	if e := b.el(id); e.Truthy() {
		e.Set("textContent", s) // never innerHTML: the text may come from a URL or a file
		b.texts[id] = s
	}
}

// showMessage shows a problem in #message (role=alert).
func (b *bridge) showMessage(s string) {
	b.messageSeq++
	b.setText("message", s)
	if m := b.el("message"); m.Truthy() {
		m.Set("hidden", false)
	}
	b.divergeMsg = false
	if r := b.el("message-reset"); r.Truthy() {
		r.Set("hidden", true)
	}
}

func (b *bridge) clearMessage() {
	b.setText("message", "")
	if m := b.el("message"); m.Truthy() {
		m.Set("hidden", true)
	}
	b.divergeMsg = false
}

// showDiverged says plainly that training blew up, and offers a reset.
func (b *bridge) showDiverged(reason string) {
	if b.divergeMsg {
		return
	}
	b.showMessage("Training diverged: " + reason + ". Press Reset (or r) to start again; a smaller learning rate may help.")
	b.divergeMsg = true
	if r := b.el("message-reset"); r.Truthy() {
		r.Set("hidden", false)
	}
}

// notice shows a passing confirmation in #notice (role=status).
func (b *bridge) notice(s string) {
	b.setText("notice", s)
	b.noticeUntil = time.Now().Add(6 * time.Second)
}

// markReady tells the page (and the tests) that a training network is on
// screen, once.
func (b *bridge) markReady() {
	if b.ready {
		return
	}
	b.ready = true
	b.setState("ready")
	if l := b.el("load-box"); l.Truthy() {
		l.Set("hidden", true)
	}
}

// recoverTo turns a panic into the #fatal panel instead of a dead canvas. It
// must be deferred directly.
// export downloads the network as bottleneck-<shape>-step<S>.json.
func (b *bridge) export() {
	tr := b.g.app.Trainer()
	data, err := tr.MarshalSnapshot()
	if err != nil {
		b.showMessage("Export failed: " + err.Error() + ".")
		return
	}
	c := tr.Config()
	name := fmt.Sprintf("bottleneck-%s-step%d.json", c.Shape(), tr.Metrics().Step)
	b.download(name, "application/json", string(data))
	b.notice("Exported " + name)
}

// importFile reads a snapshot chosen or dropped by the user. Reading is a
// promise; its result is queued for Update like any other event.
func (b *bridge) importFile(file js.Value) {
	name := file.Get("name").String()
	if size := file.Get("size").Int(); size > core.MaxSnapshotBytes {
		b.queue.Push(func() {
			b.showMessage(fmt.Sprintf("%s was not imported: it has %d bytes, more than a snapshot can have (%d). The current run goes on.", name, size, core.MaxSnapshotBytes))
		})
		return
	}
	var ok, fail js.Func
	release := func() { ok.Release(); fail.Release() }
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer release()
		text := ""
		if len(args) > 0 && args[0].Type() == js.TypeString {
			text = args[0].String()
		}
		b.queue.Push(func() { b.doImport(name, text) })
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		b.queue.Push(func() { b.showMessage(name + " could not be read. The current run goes on.") })
		return nil
	})
	file.Call("text").Call("then", ok, fail)
}

func (b *bridge) doImport(name, text string) {
	if err := b.g.app.Import([]byte(text)); err != nil {
		msg := err.Error()
		if !errors.Is(err, core.ErrSnapshot) {
			msg = "not a usable Bottleneck snapshot: " + msg
		}
		b.showMessage(fmt.Sprintf("%s was not imported: %s. The current run goes on.", name, msg))
		return
	}
	b.clearMessage()
	b.notice(fmt.Sprintf("Imported %s at step %d (paused).", name, b.g.app.Trainer().Metrics().Step))
}

// copyLink copies the page's address, which always holds the current
// config. It runs in the click handler because browsers allow clipboard
// writes only during a user gesture; the promise's outcome is queued.
func (b *bridge) copyLink() {
	href := b.win.Get("location").Get("href").String()
	fallback := func() { b.notice("Copying is not available here. The link is in the address bar: " + href) }
	clip := b.win.Get("navigator").Get("clipboard")
	if !clip.Truthy() || !clip.Get("writeText").Truthy() {
		b.queue.Push(fallback)
		return
	}
	var ok, fail js.Func
	release := func() { ok.Release(); fail.Release() }
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		b.queue.Push(func() { b.notice("Link copied. Anyone who opens it sees this network with the same seed.") })
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		b.queue.Push(fallback)
		return nil
	})
	clip.Call("writeText", href).Call("then", ok, fail)
}

// hookState is what window.bottleneck.state() returns, for tests and the
// curious: enough to check a run without reading pixels.
type hookState struct {
	Ready        bool     `json:"ready"`
	Failed       bool     `json:"failed"`
	Step         int      `json:"step"`
	Loss         *float64 `json:"loss"` // null when not finite
	Correct      int      `json:"correct"`
	Pairs        int      `json:"pairs"`
	SolvedAt     int      `json:"solvedAt"`
	Fragment     string   `json:"fragment"`
	Diverged     string   `json:"diverged"`
	N            int      `json:"n"`
	K            int      `json:"k"`
	Running      bool     `json:"running"`
	Speed        int      `json:"speed"`
	MaxAbsWeight *float64 `json:"maxAbsWeight"`
	Weights      string   `json:"weights"` // FNV-64a of every parameter's bits
	Message      string   `json:"message"`
	Tour         int      `json:"tour"` // the tour step shown, 1-based; 0 when the tour is off
	perfState             // frame times and memory (debug.go)
	explainHook           // walk-through, hidden space, hover (explainbridge.go)
}

func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// updateState refreshes the cached JSON that the hook returns. The hook's
// callback only hands out this string, so it never touches the trainer.
func (b *bridge) updateState(a *play.App) {
	tr := a.Trainer()
	m := tr.Metrics()
	if key := [2]int{m.Step, a.Version()}; key != b.digestKey {
		b.digestKey = key
		b.digest = weightsDigest(tr.Network())
	}
	c := tr.Config()
	s := hookState{
		Ready: b.ready, Failed: b.g.failed,
		Step: m.Step, Loss: finite(m.Loss), Correct: m.Correct, Pairs: m.Pairs, SolvedAt: m.SolvedAt,
		Fragment: c.Encode(), Diverged: tr.Diverged(), N: c.N, K: c.K,
		Running: a.Running, Speed: a.Speed, MaxAbsWeight: finite(m.MaxAbsWeight),
		Weights: b.digest, Message: b.texts["message"], Tour: b.tour.step,
		perfState:   b.perf.state(b.messageSeq),
		explainHook: b.g.ex.hook,
	}
	if data, err := json.Marshal(s); err == nil {
		b.state = string(data)
	}
}

func weightsDigest(net *core.Network) string {
	h := fnv.New64a()
	var buf [8]byte
	add := func(xs []float64) {
		for _, x := range xs {
			bits := math.Float64bits(x)
			for i := range buf {
				buf[i] = byte(bits >> (8 * i))
			}
			h.Write(buf[:])
		}
	}
	if net.K > 0 {
		add(net.W1.RawMatrix().Data)
		add(net.B1.RawVector().Data)
	}
	add(net.W2.RawMatrix().Data)
	add(net.B2.RawVector().Data)
	return strconv.FormatUint(h.Sum64(), 16)
}

// installHook sets window.bottleneck on the parent page: a read-only view of
// the run for tests. state() returns the JSON cached by the last Update.
func (b *bridge) installHook() {
	hook := js.Global().Get("Object").New()
	hook.Set("state", js.FuncOf(func(js.Value, []js.Value) any { return b.state }))
	b.win.Set("bottleneck", hook)
}
