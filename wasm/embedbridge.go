//go:build js && wasm

// This file is the Embed button's panel, which writes the <iframe> snippet
// of the current run for a course page or an article, and embed.html's "Open
// in Bottleneck" link.

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// wireTeach connects what teachers and writers use: the Save buttons
// (figurebridge.go) and the Embed panel.
func (b *bridge) wireTeach() {
	b.wireFigures()
	b.wireEmbed()
	b.releaseTab()
}

// releaseTab keeps Tab (and Shift+Tab) away from ebiten's canvas, which
// cancels the default of every key it sees, so that a keyboard user who
// tabs into the canvas can tab out of it again: in the playground and, above
// all, in an embed, whose host page must get its focus back. It listens on
// the canvas window in the capture phase, before the canvas's own handler.
func (b *bridge) releaseTab() {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Get("key").String() == "Tab" {
			args[0].Call("stopPropagation")
		}
		return nil
	})
	b.Self.Call("addEventListener", "keydown", f, true)
}

// wireEmbed fills the Embed panel's choices from the UI keys' table (one
// checkbox per part to show and per parameter to lock, set as this page's
// link has them) and connects its buttons.
func (b *bridge) wireEmbed() {
	panel := b.El("embed-panel")
	if !panel.Truthy() {
		return
	}
	for _, n := range uikeys.Names {
		box := b.El("embed-" + n.Key)
		if !box.Truthy() {
			continue
		}
		label := b.Doc.Call("createElement", "label")
		label.Set("className", "check")
		in := b.Doc.Call("createElement", "input")
		in.Set("type", "checkbox")
		in.Set("id", "embed-"+n.Key+"-"+n.Name)
		in.Get("dataset").Set("name", n.Name)
		if n.Key == uikeys.HideKey {
			in.Set("checked", !b.ui.keys.Hidden(n.Name)) // the box says "show"
		} else {
			in.Set("checked", b.ui.keys.Locked(n.Name))
		}
		label.Call("appendChild", in)
		label.Call("appendChild", b.Doc.Call("createTextNode", " "+n.Name))
		label.Set("title", n.What)
		box.Call("appendChild", label)
	}
	refresh := func(js.Value) { b.queue.Push(func() { b.embed.dirty = true }) }
	for _, id := range []string{"embed-hide", "embed-lock", "embed-width", "embed-height"} {
		b.OnID(id, "change", refresh)
		b.OnID(id, "input", refresh)
	}
	b.OnID("embed", "click", func(js.Value) { b.queue.Push(func() { b.openEmbed(!b.embed.open) }) })
	b.OnID("embed-close", "click", func(js.Value) { b.queue.Push(func() { b.openEmbed(false) }) })
	b.On(panel, "keydown", func(e js.Value) {
		if e.Get("key").String() == "Escape" {
			b.queue.Push(func() { b.openEmbed(false) })
		}
	})
	b.OnID("embed-copy", "click", func(js.Value) { b.copyEmbed() })
}

// embedState is the Embed panel's part of the bridge.
type embedState struct {
	open  bool
	dirty bool   // a choice changed: rewrite the snippet
	frag  string // the run the snippet was written for
}

// openEmbed shows or hides the panel; focus goes to the snippet on opening
// and back to the Embed button on closing, so keyboard users are never lost.
func (b *bridge) openEmbed(open bool) {
	b.embed.open, b.embed.dirty = open, true
	if p := b.El("embed-panel"); p.Truthy() {
		p.Set("hidden", !open)
	}
	if e := b.El("embed"); e.Truthy() {
		e.Call("setAttribute", "aria-expanded", strconv.FormatBool(open))
		if !open {
			e.Call("focus")
		}
	}
	if open {
		b.publishEmbed()
		if t := b.El("embed-code"); t.Truthy() {
			t.Call("focus")
			t.Call("select")
		}
	}
}

// embedChoice reads the panel's choices as UI keys.
func (b *bridge) embedChoice() uikeys.UI {
	var u uikeys.UI
	for _, n := range uikeys.Names {
		in := b.El("embed-" + n.Key + "-" + n.Name)
		if !in.Truthy() {
			continue
		}
		on := in.Get("checked").Bool()
		switch {
		case n.Key == uikeys.HideKey && !on:
			u.Hide = append(u.Hide, n.Name)
		case n.Key == uikeys.LockKey && on:
			u.Lock = append(u.Lock, n.Name)
		}
	}
	return u
}

// publishEmbed rewrites the snippet when the panel is open and the run or a
// choice changed. It also keeps embed.html's "Open in Bottleneck" link on
// the current run.
func (b *bridge) publishEmbed() {
	run := b.lastFrag + b.tour.suffix()
	if a := b.El("open-full"); a.Truthy() && b.text.changed("open-full", run) {
		a.Call("setAttribute", "href", "index.html#"+run)
	}
	if !b.embed.open || (!b.embed.dirty && b.embed.frag == run) {
		return
	}
	b.embed.dirty, b.embed.frag = false, run
	size := func(id string, def int) int {
		if e := b.El(id); e.Truthy() {
			if v, err := strconv.Atoi(strings.TrimSpace(e.Get("value").String())); err == nil {
				return v
			}
		}
		return def
	}
	link := run
	if e := b.embedChoice().Encode(); e != "" {
		link += "&" + e
	}
	src := b.Win.Get("URL").New("embed.html", b.Win.Get("location").Get("href")).Get("href").String()
	if i := strings.IndexByte(src, '#'); i >= 0 {
		src = src[:i]
	}
	tr := b.g.app.Trainer()
	title := "Bottleneck: " + figure.Caption(tr.Config(), 0)
	title = strings.TrimSuffix(title, ", step 0") + ", an interactive neural network"
	code := uikeys.Snippet(src+"#"+link, title, size("embed-width", uikeys.DefaultEmbedWidth), size("embed-height", uikeys.DefaultEmbedHeight))
	if t := b.El("embed-code"); t.Truthy() {
		t.Set("value", code)
	}
	if a := b.El("embed-preview"); a.Truthy() {
		a.Call("setAttribute", "href", "embed.html#"+link)
	}
}

// copyEmbed copies the snippet. It runs in the click handler because
// browsers allow clipboard writes only during a user gesture.
func (b *bridge) copyEmbed() {
	t := b.El("embed-code")
	if !t.Truthy() {
		return
	}
	code := t.Get("value").String()
	b.copyText(code, "Embed code copied. Paste it into your page's HTML.", func() {
		t.Call("focus")
		t.Call("select")
		b.text.notice("Copying is not available here: the snippet is selected, press Ctrl+C (Cmd+C on a Mac) to copy it.")
	})
}
