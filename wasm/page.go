//go:build js && wasm

package main

import (
	"fmt"
	"runtime/debug"
	"syscall/js"
)

// page is the parent document an app wires: its controls, its address and
// its fatal-error panel. The playground's bridge and the capacity explorer
// both embed one.
//
// The canvas lives in an iframe (ebiten takes over the whole body of its
// document), so the controls are in the parent document, which is
// same-origin. When the app is opened alone, parent is the window itself.
type page struct {
	win  js.Value // the parent window
	doc  js.Value // the parent document, where the controls are
	self js.Value // the iframe's own window

	// name prefixes console messages; failed is called when a panic was
	// caught, to stop the app's work.
	name   string
	failed func()
}

func newPage(name string, failed func()) page {
	p := page{self: js.Global(), name: name, failed: failed}
	p.win = p.self
	if parent := p.self.Get("parent"); parent.Truthy() {
		p.win = parent
	}
	p.doc = p.win.Get("document")
	return p
}

// hash returns the parent's URL fragment, with its "#".
func (p *page) hash() string { return p.win.Get("location").Get("hash").String() }

// replaceFragment writes frag to the address bar with replaceState: no
// history entry per slider drag or click, and no hashchange event.
func (p *page) replaceFragment(frag string) {
	p.win.Get("history").Call("replaceState", nil, "", "#"+frag)
}

// el returns the parent document's element with the given id, or null.
func (p *page) el(id string) js.Value {
	if !p.doc.Truthy() {
		return js.Null()
	}
	return p.doc.Call("getElementById", id)
}

// on adds a listener that never lets a Go panic escape into the browser.
func (p *page) on(target js.Value, event string, fn func(e js.Value)) {
	if !target.Truthy() {
		return
	}
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer p.recoverTo(event + " handler")
		e := js.Undefined()
		if len(args) > 0 {
			e = args[0]
		}
		fn(e)
		return nil
	})
	target.Call("addEventListener", event, f)
}

// setState sets data-state on the parent's <html>: "ready" once a frame is
// drawn, "error" after a fatal error. The browser tests wait for it.
func (p *page) setState(s string) {
	if p.doc.Truthy() {
		p.doc.Get("documentElement").Get("dataset").Set("state", s)
	}
}

// recoverTo turns a panic into the #fatal panel. It must be deferred
// directly, since recover only works in the deferred function itself.
func (p *page) recoverTo(where string) {
	if r := recover(); r != nil {
		if p.failed != nil {
			p.failed()
		}
		p.showFatal(fmt.Sprintf("%s: %v\n\n%s", where, r, debug.Stack()))
	}
}

// showFatal shows the #fatal panel with the error text and marks the page
// as failed. It must not panic itself.
func (p *page) showFatal(msg string) {
	defer func() { _ = recover() }()
	js.Global().Get("console").Call("error", p.name+": "+msg)
	if t := p.el("fatal-text"); t.Truthy() {
		t.Set("textContent", msg)
	}
	if f := p.el("fatal"); f.Truthy() {
		f.Set("hidden", false)
	}
	p.setState("error")
}

// download offers data to the user as a file called name: a Blob, an object
// URL and a temporary <a download>, the only way a static page can save.
func (p *page) download(name, mime, data string) {
	opts := js.Global().Get("Object").New()
	opts.Set("type", mime)
	p.downloadBlob(name, p.win.Get("Blob").New([]any{data}, opts))
}

// downloadBlob offers a Blob to the user as a file called name. The last
// one is kept as window.bottleneckLastDownload ({name, blob}), so that the
// browser tests read the very bytes a button saved.
func (p *page) downloadBlob(name string, blob js.Value) {
	last := js.Global().Get("Object").New()
	last.Set("name", name)
	last.Set("blob", blob)
	p.win.Set("bottleneckLastDownload", last)
	url := p.win.Get("URL").Call("createObjectURL", blob)
	a := p.doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	p.doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		p.win.Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	p.win.Call("setTimeout", revoke, 10000)
}
