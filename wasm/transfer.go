//go:build js && wasm

// This file moves runs in and out of the page: export and import of
// snapshots, and copying the link.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// transfer is export, import and the Copy link button. Like every
// control's, its callbacks only queue closures for the game loop.
type transfer struct {
	page *jspage.Page
	text *pageText
	push func(func())     // the game's queue
	app  func() *play.App // the run exported, or replaced by an import
	// exports are the Save requests (play.App.Save) of Export clicks that
	// the engine has not answered yet.
	exports []int
}

// wire connects the Export and Import buttons, a file dropped on the page,
// and the Copy link button.
func (t *transfer) wire() {
	p := t.page
	p.OnID("export", "click", func(js.Value) { t.push(t.export) })
	p.OnID("copy-link", "click", func(js.Value) { t.copyLink() })
	p.OnID("import", "change", func(e js.Value) {
		tg := e.Get("target")
		if files := tg.Get("files"); files.Truthy() && files.Length() > 0 {
			t.importFile(files.Index(0))
		}
		tg.Set("value", "") // so choosing the same file again fires change
	})
	for _, target := range []js.Value{p.Doc, p.Self.Get("document")} {
		p.On(target, "dragover", func(e js.Value) { e.Call("preventDefault") })
		p.On(target, "drop", func(e js.Value) {
			e.Call("preventDefault")
			if dt := e.Get("dataTransfer"); dt.Truthy() {
				if files := dt.Get("files"); files.Truthy() && files.Length() > 0 {
					t.importFile(files.Index(0))
				}
			}
		})
		if p.Doc.Equal(p.Self.Get("document")) {
			break // not framed: one document
		}
	}
}

// export asks the engine for the run with its optimizer's state, which the
// page's mirror does not have; saved downloads it.
func (t *transfer) export() {
	t.exports = append(t.exports, t.app().Save())
}

// saved takes the engine's answer to a Save and reports whether it was an
// Export's, which it then downloads as bottleneck-<shape>-step<S>.json: a
// version 2 snapshot, with which an import goes on exactly.
func (t *transfer) saved(m protocol.Message) bool {
	i := slices.Index(t.exports, m.Seq)
	if i < 0 {
		return false
	}
	t.exports = slices.Delete(t.exports, i, i+1)
	data, tr, err := play.SnapshotOf(m)
	if err != nil {
		t.text.message("Export failed: " + err.Error() + ".")
		return true
	}
	c := tr.Config()
	name := fmt.Sprintf("bottleneck-%s-step%d.json", c.Shape(), tr.Metrics().Step)
	t.page.Download(name, "application/json", string(data))
	t.text.notice("Exported " + name)
	return true
}

// importFile reads a snapshot chosen or dropped by the user. Reading is a
// promise; its result is queued for Update like any other event.
func (t *transfer) importFile(file js.Value) {
	name := file.Get("name").String()
	if size := file.Get("size").Int(); size > core.MaxSnapshotBytes {
		t.push(func() {
			t.text.message(fmt.Sprintf("%s was not imported: it has %d bytes, more than a snapshot can have (%d). The current run goes on.", name, size, core.MaxSnapshotBytes))
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
		t.push(func() { t.doImport(name, text) })
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		t.push(func() { t.text.message(name + " could not be read. The current run goes on.") })
		return nil
	})
	file.Call("text").Call("then", ok, fail)
}

// doImport replaces the run with the snapshot text of the file name,
// unless it is not a snapshot or alters a locked parameter.
func (t *transfer) doImport(name, text string) {
	if err := t.app().Import([]byte(text)); err != nil { // which refuses what the link's locks forbid
		msg := err.Error()
		if !errors.Is(err, core.ErrSnapshot) && !errors.Is(err, play.ErrLocked) {
			msg = "not a usable Bottleneck snapshot: " + msg
		}
		t.text.message(fmt.Sprintf("%s was not imported: %s. The current run goes on.", name, msg))
		return
	}
	t.text.clearMessage()
	note := ""
	if c := t.app().Config(); c.Optimizer != core.OptSGD && !hasOptimizerState(text) {
		note = fmt.Sprintf(" The file holds no optimizer state (an older export), so %s starts afresh from these weights.", c.Optimizer)
	}
	t.text.notice(fmt.Sprintf("Imported %s at step %d (paused).%s", name, t.app().Trainer().Metrics().Step, note))
}

// hasOptimizerState reports whether text, a snapshot that core took, holds
// its optimizer's state (version 2 and later).
func hasOptimizerState(text string) bool {
	var s struct {
		Optimizer json.RawMessage `json:"optimizer"`
	}
	return json.Unmarshal([]byte(text), &s) == nil && len(s.Optimizer) > 0 && string(s.Optimizer) != "null"
}

// copyLink copies the page's address, which always holds the current
// config. It runs in the click handler because browsers allow clipboard
// writes only during a user gesture.
func (t *transfer) copyLink() {
	href := t.page.Win.Get("location").Get("href").String()
	done := "Link copied. Anyone who opens it sees this network with the same seed."
	if t.app().EditedByHand() { // a read between frames, as the game loop left it
		done = "Link copied. It gives this run's settings, not the weights set by hand: Export keeps those."
	}
	copyText(t.page, t.push, href,
		func() { t.text.notice(done) },
		func() { t.text.notice("Copying is not available here. The link is in the address bar: " + href) })
}
