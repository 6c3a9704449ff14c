//go:build js && wasm

package views

import (
	"fmt"
	"image/color"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// Hook is what the explaining views add to window.bottleneck.state():
// enough for a test to check the walk-through, the hidden space and the
// hover value without reading pixels. The page's hook embeds it, so its
// fields sit at the top level of the JSON.
type Hook struct {
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
	// Box is the hidden space's frame (min x, min y, max x, max y) and Plot
	// where it is drawn in the iframe's CSS pixels (x, y, w, h), for k = 1
	// and 2, so a test can point at a place of the hidden space.
	Box  *[4]float64 `json:"box,omitempty"`
	Plot *[4]float64 `json:"plot,omitempty"`
	// Dragged is the last code a drag set: the input and its place.
	Dragged *codeHook `json:"dragged,omitempty"`
	// Unfit are the inputs (1-based) whose dots are crossed out: their
	// outputs cannot win, as Fit outputs found.
	Unfit []int `json:"unfit,omitempty"`
}

// codeHook is an input's code set by a drag.
type codeHook struct {
	Input int       `json:"input"` // 0-based
	Code  []float64 `json:"code"`
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

// Hook returns what the explaining views show, for window.bottleneck.state(),
// with positions in CSS pixels as v laid them out; it is rebuilt only when
// Update ran since the last call.
func (ex *Explainer) Hook(v *NetView) Hook {
	if ex.hookStale {
		ex.hook, ex.hookStale = ex.buildHook(v), false
	}
	return ex.hook
}

func (ex *Explainer) buildHook(v *NetView) Hook {
	h := Hook{Selected: ex.walk.Selected, Auto: ex.walk.Auto, Hover: ex.hover}
	if ex.insOK {
		for _, z := range ex.ins.Logits {
			h.Logits = append(h.Logits, play.Finite(z))
		}
	}
	if ex.capOK {
		c := &ex.cap
		ch := &captionHook{Input: c.Input, Target: c.Target, Winner: c.Winner, RunnerUp: c.RunnerUp,
			Correct: c.Correct, Exact: c.Win.Exact, Total: c.Win.Total.Float(), Logit: play.Finite(c.Win.Logit),
			Margin: play.Finite(c.Margin), Lines: c.Lines()}
		for _, t := range c.Win.Terms {
			ch.Terms = append(ch.Terms, termHook{In: t.In.Float(), Weight: t.Weight.Float(), Product: t.Product().Float()})
		}
		h.Caption = ch
	}
	hv := &ex.hidden
	th := v.theme()
	winners := hv.winnerList()
	h.HiddenSpace = hiddenHook{Kind: hv.kind, Dots: len(hv.pts), Regions: len(winners), Summary: ex.HiddenSummary()}
	for _, j := range winners {
		h.HiddenSpace.Winners = append(h.HiddenSpace.Winners, j+1)
		h.HiddenSpace.Colors = append(h.HiddenSpace.Colors, hexColor(shade(j, th)))
	}
	h.HiddenSpace.Dragged = ex.lastCode
	for _, i := range ex.unfit {
		h.HiddenSpace.Unfit = append(h.HiddenSpace.Unfit, i+1)
	}
	if hv.kind == kindIntervals || hv.kind == kindRegions {
		b, p, s := hv.box, hv.plot, max(ex.scale, 1e-9)
		h.HiddenSpace.Box = &[4]float64{b.MinX, b.MinY, b.MaxX, b.MaxY}
		h.HiddenSpace.Plot = &[4]float64{p.X / s, p.Y / s, p.W / s, p.H / s}
	}
	if hv.kind == kindPCA {
		h.HiddenSpace.Explained = play.Finite(hv.explained)
	}
	s := max(ex.scale, 1e-9)
	rect := func(r layout.Rect) [4]float64 { return [4]float64{r.X / s, r.Y / s, r.W / s, r.H / s} }
	pts := func(ps []layout.Point) [][2]float64 {
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
	if l := v.layout; l != nil {
		h.View.In, h.View.Units, h.View.Out = pts(l.In), pts(l.Hidden), pts(l.Out)
	}
	if len(hv.pts) <= maxHookNodes {
		for _, p := range hv.pts {
			// One NaN would make json.Marshal fail and freeze the whole
			// state the hook reports (a diverged run has NaN codes).
			var d *[2]float64
			if play.Finite(p.X) != nil && play.Finite(p.Y) != nil {
				d = &[2]float64{p.X / s, p.Y / s}
			}
			h.View.Dots = append(h.View.Dots, d)
		}
	}
	return h
}

func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
