//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
)

// page is the parent document the playground wires (jspage.Page), under the
// short names the playground's files use.
type page struct {
	*jspage.Page
	win  js.Value // the parent window
	doc  js.Value // the parent document, where the controls are
	self js.Value // the iframe's own window
}

func newPage(name string, failed func()) page {
	p := jspage.New(name, failed)
	return page{Page: p, win: p.Win, doc: p.Doc, self: p.Self}
}

func (p *page) hash() string                                        { return p.Hash() }
func (p *page) replaceFragment(frag string)                         { p.ReplaceFragment(frag) }
func (p *page) el(id string) js.Value                               { return p.El(id) }
func (p *page) on(target js.Value, event string, fn func(js.Value)) { p.On(target, event, fn) }
func (p *page) setState(s string)                                   { p.SetState(s) }
func (p *page) showFatal(msg string)                                { p.ShowFatal(msg) }
func (p *page) download(name, mime, data string)                    { p.Download(name, mime, data) }
func (p *page) downloadBlob(name string, blob js.Value)             { p.DownloadBlob(name, blob) }

// recoverTo turns a panic into the #fatal panel (jspage.Page.Fail). It must
// be deferred directly, since recover only works in the deferred function
// itself.
func (p *page) recoverTo(where string) {
	if r := recover(); r != nil {
		p.Fail(where, r)
	}
}
