//go:build js && wasm

// Package jspage is the parent document an app in Bottleneck's iframe wires:
// its controls, its address, its fatal-error panel and its downloads. The
// playground (package main) and the capacity explorer (wasm/explorer) each
// embed a Page.
//
// The canvas lives in an iframe (ebiten takes over the whole body of its
// document), so the controls are in the parent document, which is
// same-origin. When the app is opened alone, the parent is the window itself.
package jspage

import (
	"fmt"
	"runtime/debug"
	"syscall/js"
)

// Page is the parent document of the app's iframe.
type Page struct {
	Win  js.Value // the parent window
	Doc  js.Value // the parent document, where the controls are
	Self js.Value // the iframe's own window

	// name prefixes console messages; failed is called when a panic was
	// caught, to stop the app's work.
	name   string
	failed func()
}

// New returns the Page of the running app. name prefixes its console
// messages; failed (may be nil) is called when Fail catches a panic, to stop
// the app's work.
func New(name string, failed func()) *Page {
	p := &Page{Self: js.Global(), name: name, failed: failed}
	p.Win = p.Self
	if parent := p.Self.Get("parent"); parent.Truthy() {
		p.Win = parent
	}
	p.Doc = p.Win.Get("document")
	return p
}

// Hash returns the parent's URL fragment, with its "#".
func (p *Page) Hash() string { return p.Win.Get("location").Get("hash").String() }

// ReplaceFragment writes frag to the address bar with replaceState: no
// history entry per slider drag or click, and no hashchange event.
func (p *Page) ReplaceFragment(frag string) {
	p.Win.Get("history").Call("replaceState", nil, "", "#"+frag)
}

// El returns the parent document's element with the given id, or null.
func (p *Page) El(id string) js.Value {
	if !p.Doc.Truthy() {
		return js.Null()
	}
	return p.Doc.Call("getElementById", id)
}

// OnID is On for the element with the given id: a page without that
// control (embed.html has few) just gets no listener.
func (p *Page) OnID(id, event string, fn func(e js.Value)) { p.On(p.El(id), event, fn) }

// On adds a listener that never lets a Go panic escape into the browser: a
// panic in fn shows the fatal panel (Fail). A null target is ignored.
func (p *Page) On(target js.Value, event string, fn func(e js.Value)) {
	if !target.Truthy() {
		return
	}
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer func() {
			if r := recover(); r != nil {
				p.Fail(event+" handler", r)
			}
		}()
		e := js.Undefined()
		if len(args) > 0 {
			e = args[0]
		}
		fn(e)
		return nil
	})
	target.Call("addEventListener", event, f)
}

// OnDocuments is On for the parent page's document and, when the program
// runs in a frame, the frame's own document too: a key pressed while the
// canvas has the focus goes to the frame's document, one pressed anywhere
// else to the page's.
func (p *Page) OnDocuments(event string, fn func(e js.Value)) {
	own := p.Self.Get("document")
	p.On(p.Doc, event, fn)
	if !p.Doc.Equal(own) {
		p.On(own, event, fn)
	}
}

// SetState sets data-state on the parent's <html>: "ready" once a frame is
// drawn, "error" after a fatal error. The browser tests wait for it.
func (p *Page) SetState(s string) {
	if p.Doc.Truthy() {
		p.Doc.Get("documentElement").Get("dataset").Set("state", s)
	}
}

// Fail handles a panic r recovered in where: it stops the app's work (the
// failed func given to New) and shows the fatal panel with r and the stack.
// recover only works in the deferred function itself, so the caller
// recovers and hands r over:
//
//	defer func() {
//		if r := recover(); r != nil {
//			p.Fail("update", r)
//		}
//	}()
func (p *Page) Fail(where string, r any) {
	if p.failed != nil {
		p.failed()
	}
	p.ShowFatal(fmt.Sprintf("%s: %v\n\n%s", where, r, debug.Stack()))
}

// RecoverTo turns a panic into the fatal panel (Fail). Defer it directly,
// defer p.RecoverTo("update"): recover only works in the deferred function
// itself.
func (p *Page) RecoverTo(where string) {
	if r := recover(); r != nil {
		p.Fail(where, r)
	}
}

// ShowFatal shows the #fatal panel with the error text and marks the page
// as failed. It does not panic itself.
func (p *Page) ShowFatal(msg string) {
	defer func() { _ = recover() }()
	js.Global().Get("console").Call("error", p.name+": "+msg)
	if t := p.El("fatal-text"); t.Truthy() {
		t.Set("textContent", msg)
	}
	if f := p.El("fatal"); f.Truthy() {
		f.Set("hidden", false)
	}
	p.SetState("error")
}

// Download offers data to the user as a file called name: a Blob, an object
// URL and a temporary <a download>, the only way a static page can save.
func (p *Page) Download(name, mime, data string) {
	opts := js.Global().Get("Object").New()
	opts.Set("type", mime)
	p.DownloadBlob(name, p.Win.Get("Blob").New([]any{data}, opts))
}

// DownloadBlob offers a Blob to the user as a file called name. The last
// one is kept as window.bottleneckLastDownload ({name, blob}), so that the
// browser tests read the very bytes a button saved.
func (p *Page) DownloadBlob(name string, blob js.Value) {
	last := js.Global().Get("Object").New()
	last.Set("name", name)
	last.Set("blob", blob)
	p.Win.Set("bottleneckLastDownload", last)
	url := p.Win.Get("URL").Call("createObjectURL", blob)
	a := p.Doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	p.Doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		p.Win.Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	p.Win.Call("setTimeout", revoke, 10000)
}
