//go:build js && wasm

// This file is the run's controls in the page: wire connects them and the
// keyboard shortcuts to the bridge's queue, and syncControls makes them show
// the run's config.

package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
)

// value returns the current value of a control, read in the callback.
func value(e js.Value) string {
	if t := e.Get("target"); t.Truthy() {
		return t.Get("value").String()
	}
	return ""
}

// checked returns whether a checkbox is checked, read in the callback.
func checked(e js.Value) bool {
	t := e.Get("target")
	return t.Truthy() && t.Get("checked").Bool()
}

// wire connects every control. Each handler reads its value and queues an
// edit of the config; the edit validates and either rebuilds or refuses.
func (b *bridge) wire() {
	intField := func(id, event, field, allowed string, set func(c *core.Config, v int)) {
		b.OnID(id, event, func(e js.Value) {
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
		b.OnID(id, "change", func(e js.Value) {
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
		b.OnID(id, "change", func(e js.Value) {
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
		b.OnID(id, "change", func(e js.Value) {
			v := checked(e)
			b.queue.Push(func() { b.edit(func(c *core.Config) error { set(c, v); return nil }) })
		})
	}
	boolField("wrap", func(c *core.Config, v bool) { c.Wrap = v })
	boolField("hidden-bias", func(c *core.Config, v bool) { c.HiddenBias = v })
	boolField("output-bias", func(c *core.Config, v bool) { c.OutputBias = v })

	b.OnID("speed", "input", func(e js.Value) {
		v, err := strconv.Atoi(value(e))
		if err != nil {
			return
		}
		b.queue.Push(func() { b.g.app.SetRate(link.SpeedRate(v)) })
	})
	b.OnID("new-seed", "click", func(js.Value) {
		seed := rand.Uint64N(core.MaxSeed + 1)
		b.queue.Push(func() {
			b.command(func(a *play.App) error { return a.NewSeed(seed) })
		})
	})
	b.OnID("play", "click", func(js.Value) { b.queue.Push(b.toggle) })
	b.OnID("step", "click", func(js.Value) { b.queue.Push(b.step) })
	b.OnID("reset", "click", func(js.Value) { b.queue.Push(b.reset) })
	b.OnID("construct", "click", func(js.Value) { b.queue.Push(b.construct) })
	b.OnID("fit-outputs", "click", func(js.Value) { b.queue.Push(b.fitOutputs) })
	b.OnID("message-reset", "click", func(js.Value) { b.queue.Push(b.reset) })
	b.OnID("fatal-reload", "click", func(js.Value) { b.Win.Get("location").Call("reload") })
	b.OnID("fatal-reset", "click", func(js.Value) { b.queue.Push(b.restartFromLink) })
	b.OnID("fatal-continue", "click", func(js.Value) { b.queue.Push(b.continueInNewEngine) })

	for _, target := range []js.Value{b.Doc, b.Self.Get("document")} {
		b.On(target, "keydown", b.onKey)
		if b.Doc.Equal(b.Self.Get("document")) {
			break // not framed: one document
		}
	}
	b.On(b.Win, "hashchange", func(js.Value) {
		h := b.Hash()
		b.queue.Push(func() { b.applyLink(h) })
	})
	b.On(b.Self.Get("document").Get("documentElement"), "mouseleave", func(js.Value) {
		b.queue.Push(b.g.view.PointerLeft)
	})
	if mm := b.Self.Get("matchMedia"); mm.Truthy() {
		mq := b.Self.Call("matchMedia", "(prefers-color-scheme: dark)")
		b.g.view.SetDark(mq.Get("matches").Bool())
		b.On(mq, "change", func(e js.Value) {
			dark := e.Get("matches").Bool()
			b.queue.Push(func() { b.g.view.SetDark(dark) })
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

// syncControls makes every control show c, and shows only the current
// task's own controls.
func (b *bridge) syncControls(c core.Config) {
	set := func(id, prop string, v any) {
		if e := b.El(id); e.Truthy() {
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
	if !b.Doc.Truthy() {
		return
	}
	rows := b.Doc.Call("querySelectorAll", "[data-task]")
	for i := 0; i < rows.Length(); i++ {
		r := rows.Index(i)
		r.Set("hidden", r.Get("dataset").Get("task").String() != string(c.Task))
	}
	rows = b.Doc.Call("querySelectorAll", "[data-opt]")
	for i := 0; i < rows.Length(); i++ {
		r := rows.Index(i)
		r.Set("hidden", r.Get("dataset").Get("opt").String() != string(c.Optimizer))
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

// releaseTab keeps Tab (and Shift+Tab) away from ebiten's canvas, which
// cancels the default of every key it sees, so that a keyboard user who
// tabs into the canvas can tab out of it again: in the playground and, above
// all, in an embed, whose host page must get its focus back. It listens on
// the canvas window in the capture phase, before the canvas's own handler.
func releaseTab(self js.Value) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Get("key").String() == "Tab" {
			args[0].Call("stopPropagation")
		}
		return nil
	})
	self.Call("addEventListener", "keydown", f, true)
}
