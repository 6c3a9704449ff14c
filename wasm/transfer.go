//go:build js && wasm

// This file moves runs in and out of the page: export and import of
// snapshots, and copying the link.

package main

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
)

// export downloads the network as bottleneck-<shape>-step<S>.json.
func (b *bridge) export() {
	tr := b.g.app.Trainer()
	data, err := tr.MarshalSnapshot()
	if err != nil {
		b.text.message("Export failed: " + err.Error() + ".")
		return
	}
	c := tr.Config()
	name := fmt.Sprintf("bottleneck-%s-step%d.json", c.Shape(), tr.Metrics().Step)
	b.Download(name, "application/json", string(data))
	b.text.notice("Exported " + name)
}

// importFile reads a snapshot chosen or dropped by the user. Reading is a
// promise; its result is queued for Update like any other event.
func (b *bridge) importFile(file js.Value) {
	name := file.Get("name").String()
	if size := file.Get("size").Int(); size > core.MaxSnapshotBytes {
		b.queue.Push(func() {
			b.text.message(fmt.Sprintf("%s was not imported: it has %d bytes, more than a snapshot can have (%d). The current run goes on.", name, size, core.MaxSnapshotBytes))
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
		b.queue.Push(func() { b.text.message(name + " could not be read. The current run goes on.") })
		return nil
	})
	file.Call("text").Call("then", ok, fail)
}

func (b *bridge) doImport(name, text string) {
	if tr, err := core.LoadSnapshot([]byte(text)); err == nil {
		if err := b.ui.check(b.g.app.Config(), tr.Config()); err != nil {
			b.text.message(fmt.Sprintf("%s was not imported: %v. The current run goes on.", name, err))
			return
		}
	}
	if err := b.g.app.Import([]byte(text)); err != nil {
		msg := err.Error()
		if !errors.Is(err, core.ErrSnapshot) {
			msg = "not a usable Bottleneck snapshot: " + msg
		}
		b.text.message(fmt.Sprintf("%s was not imported: %s. The current run goes on.", name, msg))
		return
	}
	b.text.clearMessage()
	b.text.notice(fmt.Sprintf("Imported %s at step %d (paused).", name, b.g.app.Trainer().Metrics().Step))
}

// copyLink copies the page's address, which always holds the current
// config. It runs in the click handler because browsers allow clipboard
// writes only during a user gesture.
func (b *bridge) copyLink() {
	href := b.Win.Get("location").Get("href").String()
	b.copyText(href, "Link copied. Anyone who opens it sees this network with the same seed.",
		func() { b.text.notice("Copying is not available here. The link is in the address bar: " + href) })
}

// copyText writes text to the clipboard from a click handler, then queues
// a notice of done, or fallback when the browser refuses or has no
// clipboard.
func (b *bridge) copyText(text, done string, fallback func()) {
	clip := b.Win.Get("navigator").Get("clipboard")
	if !clip.Truthy() || !clip.Get("writeText").Truthy() {
		b.queue.Push(fallback)
		return
	}
	var ok, fail js.Func
	release := func() { ok.Release(); fail.Release() }
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		b.queue.Push(func() { b.text.notice(done) })
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		b.queue.Push(fallback)
		return nil
	})
	clip.Call("writeText", text).Call("then", ok, fail)
}
