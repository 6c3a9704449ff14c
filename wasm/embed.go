//go:build js && wasm

// This file is the Embed button's panel, which writes the <iframe> snippet
// of the current run for a course page or an article, and embed.html's "Open
// in Bottleneck" link.

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// embedPanel is the Embed panel and embed.html's "Open in Bottleneck" link.
// It belongs to the game loop.
type embedPanel struct {
	page *jspage.Page
	text *pageText
	push func(func()) // the game's queue: callbacks only queue
	// run returns the run to link to: its link without the UI keys (the
	// config's fragment and the tour step) and its config.
	run func() (link string, c core.Config)

	open  bool
	dirty bool   // a choice changed: rewrite the snippet
	frag  string // the run the snippet was written for
}

// wire fills the Embed panel's choices from the UI keys' table (one
// checkbox per part to show and per parameter to lock, set as keys, this
// page's link, has them) and connects its buttons.
func (p *embedPanel) wire(keys uikeys.UI) {
	panel := p.page.El("embed-panel")
	if !panel.Truthy() {
		return
	}
	for _, n := range uikeys.Names {
		box := p.page.El("embed-" + n.Key)
		if !box.Truthy() {
			continue
		}
		label := p.page.Doc.Call("createElement", "label")
		label.Set("className", "check")
		in := p.page.Doc.Call("createElement", "input")
		in.Set("type", "checkbox")
		in.Set("id", "embed-"+n.Key+"-"+n.Name)
		in.Get("dataset").Set("name", n.Name)
		if n.Key == uikeys.HideKey {
			in.Set("checked", !keys.Hidden(n.Name)) // the box says "show"
		} else {
			in.Set("checked", keys.Locked(n.Name))
		}
		label.Call("appendChild", in)
		label.Call("appendChild", p.page.Doc.Call("createTextNode", " "+n.Name))
		label.Set("title", n.What)
		box.Call("appendChild", label)
	}
	refresh := func(js.Value) { p.push(func() { p.dirty = true }) }
	for _, id := range []string{"embed-hide", "embed-lock", "embed-width", "embed-height"} {
		p.page.OnID(id, "change", refresh)
		p.page.OnID(id, "input", refresh)
	}
	p.page.OnID("embed", "click", func(js.Value) { p.push(func() { p.setOpen(!p.open) }) })
	p.page.OnID("embed-close", "click", func(js.Value) { p.push(func() { p.setOpen(false) }) })
	p.page.On(panel, "keydown", func(e js.Value) {
		if e.Get("key").String() == "Escape" {
			p.push(func() { p.setOpen(false) })
		}
	})
	p.page.OnID("embed-copy", "click", func(js.Value) { p.copy() })
}

// setOpen shows or hides the panel; focus goes to the snippet on opening
// and back to the Embed button on closing, so keyboard users are never lost.
func (p *embedPanel) setOpen(open bool) {
	p.open, p.dirty = open, true
	if p := p.page.El("embed-panel"); p.Truthy() {
		p.Set("hidden", !open)
	}
	if e := p.page.El("embed"); e.Truthy() {
		e.Call("setAttribute", "aria-expanded", strconv.FormatBool(open))
		if !open {
			e.Call("focus")
		}
	}
	if open {
		p.publish()
		if t := p.page.El("embed-code"); t.Truthy() {
			t.Call("focus")
			t.Call("select")
		}
	}
}

// choice reads the panel's choices as UI keys.
func (p *embedPanel) choice() uikeys.UI {
	var u uikeys.UI
	for _, n := range uikeys.Names {
		in := p.page.El("embed-" + n.Key + "-" + n.Name)
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

// publish rewrites the snippet when the panel is open and the run or a
// choice changed. It also keeps embed.html's "Open in Bottleneck" link on
// the current run.
func (p *embedPanel) publish() {
	run, c := p.run()
	if a := p.page.El("open-full"); a.Truthy() && p.text.changed("open-full", run) {
		a.Call("setAttribute", "href", "index.html#"+run)
	}
	if !p.open || (!p.dirty && p.frag == run) {
		return
	}
	p.dirty, p.frag = false, run
	size := func(id string, def int) int {
		if e := p.page.El(id); e.Truthy() {
			if v, err := strconv.Atoi(strings.TrimSpace(e.Get("value").String())); err == nil {
				return v
			}
		}
		return def
	}
	frag := link.Compose(run, 0, false, p.choice().Encode()) // the run and the keys ticked
	src := p.page.Win.Get("URL").New("embed.html", p.page.Win.Get("location").Get("href")).Get("href").String()
	if i := strings.IndexByte(src, '#'); i >= 0 {
		src = src[:i]
	}
	title := "Bottleneck: " + figure.Caption(c, 0)
	title = strings.TrimSuffix(title, ", step 0") + ", an interactive neural network"
	code := uikeys.Snippet(src+"#"+frag, title, size("embed-width", uikeys.DefaultEmbedWidth), size("embed-height", uikeys.DefaultEmbedHeight))
	if t := p.page.El("embed-code"); t.Truthy() {
		t.Set("value", code)
	}
	if a := p.page.El("embed-preview"); a.Truthy() {
		a.Call("setAttribute", "href", "embed.html#"+frag)
	}
}

// copy copies the snippet. It runs in the click handler because
// browsers allow clipboard writes only during a user gesture.
func (p *embedPanel) copy() {
	t := p.page.El("embed-code")
	if !t.Truthy() {
		return
	}
	code := t.Get("value").String()
	copyText(p.page, p.push, code, func() { p.text.notice("Embed code copied. Paste it into your page's HTML.") }, func() {
		t.Call("focus")
		t.Call("select")
		p.text.notice("Copying is not available here: the snippet is selected, press Ctrl+C (Cmd+C on a Mac) to copy it.")
	})
}
