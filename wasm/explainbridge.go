//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// explainHook is what the explaining views add to window.bottleneck.state():
// enough for a test to check the walk-through, the hidden space and the
// hover value without reading pixels. It is embedded in hookState, so its
// fields sit at the top level of the JSON.
type explainHook struct {
	Selected    int          `json:"selected"` // the firing input (0-based), or -1
	Auto        bool         `json:"auto"`
	Caption     *captionHook `json:"caption"`
	Logits      []*float64   `json:"logits"` // core's logits for the selected input (null when not finite)
	HiddenSpace hiddenHook   `json:"hiddenSpace"`
	Hover       *hoverHook   `json:"hover"`
	View        viewHook     `json:"view"`
}

// captionHook is the caption's structure: the winner's displayed arithmetic
// and the real logits.
type captionHook struct {
	Input    int        `json:"input"`
	Target   int        `json:"target"`
	Winner   int        `json:"winner"`
	RunnerUp int        `json:"runnerUp"`
	Correct  bool       `json:"correct"`
	Exact    bool       `json:"exact"` // Total is the exact sum of the shown products
	Total    float64    `json:"total"`
	Terms    []termHook `json:"terms"`
	Logit    *float64   `json:"logit"` // the winner's real logit
	Margin   *float64   `json:"margin"`
	Lines    []string   `json:"lines"` // the text shown in #caption, line by line
}

type termHook struct {
	In      float64 `json:"in"`
	Weight  float64 `json:"weight"`
	Product float64 `json:"product"`
}

// hiddenHook describes the hidden-space panel.
type hiddenHook struct {
	Kind      string   `json:"kind"`
	Dots      int      `json:"dots"`
	Regions   int      `json:"regions"` // outputs that win somewhere
	Winners   []int    `json:"winners"` // those outputs, 1-based
	Colors    []string `json:"colors"`  // their shaded colours, #rrggbb, in Winners' order
	Explained *float64 `json:"explained,omitempty"`
	Summary   string   `json:"summary"`
}

// hoverHook is what the pointer is over and its exact current value.
type hoverHook struct {
	Kind  string   `json:"kind"` // input, hidden, output, w1, w2, w (direct), code
	Index int      `json:"index"`
	To    int      `json:"to,omitempty"`
	Value *float64 `json:"value"`
	Label string   `json:"label"`
}

// viewHook gives the panels and, for small networks, the nodes' positions in
// the iframe's CSS pixels, so a test can point at them.
type viewHook struct {
	Net    [4]float64    `json:"net"`
	Hidden [4]float64    `json:"hidden"`
	Chart  [4]float64    `json:"chart"`
	In     [][2]float64  `json:"in,omitempty"`
	Units  [][2]float64  `json:"units,omitempty"`
	Out    [][2]float64  `json:"out,omitempty"`
	Dots   []*[2]float64 `json:"dots,omitempty"` // null for a code that is not finite
}

// maxHookNodes bounds the positions the hook lists: enough for tests, and
// no 1024-node arrays marshalled every frame.
const maxHookNodes = 64

func (ex *explainer) buildHook(g *Game) explainHook {
	h := explainHook{Selected: ex.walk.Selected, Auto: ex.walk.Auto, Hover: ex.hover}
	if ex.insOK {
		for _, z := range ex.ins.Logits {
			h.Logits = append(h.Logits, finite(z))
		}
	}
	if ex.capOK {
		c := &ex.cap
		ch := &captionHook{Input: c.Input, Target: c.Target, Winner: c.Winner, RunnerUp: c.RunnerUp,
			Correct: c.Correct, Exact: c.Win.Exact, Total: c.Win.Total.Float(), Logit: finite(c.Win.Logit),
			Margin: finite(c.Margin), Lines: c.Lines()}
		for _, t := range c.Win.Terms {
			ch.Terms = append(ch.Terms, termHook{In: t.In.Float(), Weight: t.Weight.Float(), Product: t.Product().Float()})
		}
		h.Caption = ch
	}
	hv := &ex.hidden
	th := g.view.theme()
	winners := hv.winnerList()
	h.HiddenSpace = hiddenHook{Kind: hv.kind, Dots: len(hv.pts), Regions: len(winners), Summary: hv.summary()}
	for _, j := range winners {
		h.HiddenSpace.Winners = append(h.HiddenSpace.Winners, j+1)
		h.HiddenSpace.Colors = append(h.HiddenSpace.Colors, hexColor(shade(j, th)))
	}
	if hv.kind == kindPCA {
		h.HiddenSpace.Explained = finite(hv.explained)
	}
	s := max(ex.scale, 1e-9)
	rect := func(r play.Rect) [4]float64 { return [4]float64{r.X / s, r.Y / s, r.W / s, r.H / s} }
	pts := func(ps []play.Point) [][2]float64 {
		if len(ps) > maxHookNodes {
			return nil
		}
		out := make([][2]float64, len(ps))
		for i, p := range ps {
			out[i] = [2]float64{p.X / s, p.Y / s}
		}
		return out
	}
	h.View = viewHook{Net: rect(ex.panels.Net), Hidden: rect(ex.panels.Hidden), Chart: rect(ex.panels.Chart)}
	if l := g.view.layout; l != nil {
		h.View.In, h.View.Units, h.View.Out = pts(l.In), pts(l.Hidden), pts(l.Out)
	}
	if len(hv.pts) <= maxHookNodes {
		for _, p := range hv.pts {
			// One NaN would make json.Marshal fail and freeze the whole
			// state the hook reports (a diverged run has NaN codes).
			var d *[2]float64
			if finite(p.X) != nil && finite(p.Y) != nil {
				d = &[2]float64{p.X / s, p.Y / s}
			}
			h.View.Dots = append(h.View.Dots, d)
		}
	}
	return h
}

func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// pageText throttles the live page text: while training runs, the caption
// and the hidden-space summary change every frame, which would flood a
// screen reader (the walk-through is aria-live), so they are written at most
// every pageEvery, and at once when the selection or the run changes.
type pageText struct {
	last time.Time
	key  [3]int // selection, version, running
}

const pageEvery = time.Second

// wireExplain connects the walk-through's controls: the auto toggle, the
// previous/next buttons and the arrow keys. Like every control, the
// callbacks only queue closures for Update.
func (b *bridge) wireExplain() {
	ex := b.g.ex
	n := func() int { return b.g.app.Trainer().Network().N }
	b.onID("walk-prev", "click", func(js.Value) { b.queue.Push(func() { ex.walk.Move(-1, n()) }) })
	b.onID("walk-next", "click", func(js.Value) { b.queue.Push(func() { ex.walk.Move(1, n()) }) })
	b.onID("auto", "click", func(js.Value) { b.queue.Push(func() { ex.walk.SetAuto(!ex.walk.Auto, n()) }) })
	// Gestures on the canvas, in device pixels as the game sees them (the
	// canvas fills the iframe).
	pos := func(e js.Value) (float64, float64) {
		s := b.self.Get("devicePixelRatio").Float()
		if !(s > 0) {
			s = 1
		}
		return e.Get("clientX").Float() * s, e.Get("clientY").Float() * s
	}
	frameDoc := b.self.Get("document")
	b.on(frameDoc, "pointerdown", func(e js.Value) {
		if e.Get("button").Int() != 0 {
			return
		}
		if t := e.Get("target"); t.Truthy() && t.Get("setPointerCapture").Truthy() {
			// Keep the drag's moves and release coming when the pointer
			// leaves the iframe.
			t.Call("setPointerCapture", e.Get("pointerId"))
		}
		x, y := pos(e)
		b.queue.Push(func() { ex.press(b.g, x, y) })
	})
	b.on(frameDoc, "pointermove", func(e js.Value) {
		if e.Get("buttons").Int()&1 == 0 {
			return
		}
		x, y := pos(e)
		b.queue.Push(func() { ex.dragTo(b.g, x, y) })
	})
	for _, ev := range []string{"pointerup", "pointercancel"} {
		b.on(frameDoc, ev, func(js.Value) { b.queue.Push(ex.release) })
	}
	for _, target := range []js.Value{b.doc, b.self.Get("document")} {
		b.on(target, "keydown", func(e js.Value) {
			key := e.Get("key").String()
			if key != "ArrowUp" && key != "ArrowDown" || !shortcutTarget(e) {
				return
			}
			e.Call("preventDefault") // the arrows step through inputs, not the page
			d := 1
			if key == "ArrowUp" {
				d = -1
			}
			b.queue.Push(func() { ex.walk.Move(d, n()) })
		})
		if b.doc.Equal(b.self.Get("document")) {
			break
		}
	}
}

// shortcutTarget reports whether a key event may act as a shortcut: not
// while typing in a field, nor with a modifier held.
func shortcutTarget(e js.Value) bool {
	if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
		return false
	}
	t := e.Get("target")
	if !t.Truthy() {
		return true
	}
	if t.Get("isContentEditable").Truthy() {
		return false
	}
	if tn := t.Get("tagName"); tn.Type() == js.TypeString {
		switch strings.ToUpper(tn.String()) {
		case "INPUT", "SELECT", "TEXTAREA":
			return false
		}
	}
	return true
}

// publishExplain writes the walk-through, the compression meter and the
// hidden-space summary into the page.
func (b *bridge) publishExplain(a *play.App) {
	ex := b.g.ex
	c := a.Config()
	if m, err := explain.NewMeter(c.N, c.K, c.HiddenBias, c.OutputBias); err == nil {
		b.setText("meter", m.Sentence())
	}
	if el := b.el("auto"); el.Truthy() && b.texts["auto-pressed"] != strconv.FormatBool(ex.walk.Auto) {
		el.Call("setAttribute", "aria-pressed", strconv.FormatBool(ex.walk.Auto))
		b.texts["auto-pressed"] = strconv.FormatBool(ex.walk.Auto)
	}
	running := 0
	if a.Running {
		running = 1
	}
	key := [3]int{ex.walk.Selected, a.Version(), running}
	now := time.Now()
	if key == ex.page.key && now.Sub(ex.page.last) < pageEvery {
		return
	}
	ex.page.key, ex.page.last = key, now
	switch {
	case ex.capOK:
		b.setText("caption", strings.Join(ex.cap.Lines(), "\n"))
	case ex.walk.Selected < 0:
		b.setText("caption", "Click an input node (or press ↓) to fire it and follow its numbers through the network.")
	default:
		b.setText("caption", fmt.Sprintf("input %d: the numbers cannot be shown for these weights.", ex.walk.Selected+1))
	}
	b.setText("hidden-summary", ex.hidden.summary())
}
