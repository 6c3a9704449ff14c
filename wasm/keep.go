//go:build js && wasm

// This file keeps the playground's run in the browser's IndexedDB, so that
// a reload, a closed tab or a crashed browser does not lose it: opening the
// same link again continues where it was (package keep has the record, its
// checks and which records stay). Only index.html at the top level keeps
// runs: embed.html and a framed page store nothing and read nothing.
//
// A run is saved by asking the engine for it (a protocol Save; the page's
// mirror has no optimizer state): at once when a paused run has settled,
// every keep.Every while it trains, and when the page is hidden
// (pagehide, or the tab going to the background). Nothing ever leaves the
// machine.

package main

import (
	"fmt"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/keep"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/wire"
)

// keeper saves the run in IndexedDB and continues a saved one. Its
// database callbacks only queue closures, like every control's, except
// the answer to a save, which it writes at once (saved): a hidden page has
// no frames to drain the queue.
type keeper struct {
	page *jspage.Page
	text *pageText
	push func(func())
	app  func() *play.App
	link func() string // the page's link as the address bar has it, without '#'
	// flush sends the app's outbox to the engine at once, for a save asked
	// for when the page is hidden and frames stop.
	flush func()

	on     bool     // index.html at the top level, with IndexedDB
	db     js.Value // the open database, or undefined
	failed bool     // storage failed: said once, nothing more is tried

	looked   bool // the record of the page's link was asked for
	answered bool // and the database answered: saves may start
	resumed  int  // the app's Version after it continued a kept run, or -1
	shownApp *play.App

	// The save in flight: its Save's Seq (0: none), and the run it is of.
	pending  int
	pendApp  *play.App
	pendLink string
	pendRun  bool
	asked    time.Time
	last     runKey // what the latest save asked for was of
}

// runKey is what a save is of: a run that has not changed since need not
// be saved again.
type runKey struct {
	link                 string
	step, version, edits int
	running              bool
}

// wire turns the keeper on when the page is index.html (it has #kept) at
// the top level, opens the database and listens for the page being hidden.
// Storage that fails says so once, quietly; training is not affected.
func (k *keeper) wire() {
	p := k.page
	k.resumed = -1
	if !p.El("kept").Truthy() || !p.Win.Get("top").Equal(p.Win) {
		return // embed.html, or framed: nothing is stored
	}
	k.on = true
	p.OnID("kept-over", "click", func(js.Value) { k.push(k.startOver) })
	hidden := func(js.Value) { k.saveNow() }
	p.On(p.Win, "pagehide", hidden)
	p.On(p.Doc, "visibilitychange", func(e js.Value) {
		if p.Doc.Get("visibilityState").String() == "hidden" {
			hidden(e)
		}
	})
	// Reflect.get, not Get: a getter that throws (storage blocked) must
	// throw inside a Call, which syscall/js turns into a panic call catches,
	// rather than through the Go program, which would stop it.
	req, err := k.call(func() js.Value {
		return js.Global().Get("Reflect").Call("get", p.Win, "indexedDB").Call("open", keep.Database, 1)
	})
	if err != "" {
		k.fail(err)
		return
	}
	k.on2(req, "upgradeneeded", func(js.Value) {
		db := req.Get("result")
		store := db.Call("createObjectStore", keep.Store, map[string]any{"keyPath": "link"})
		store.Call("createIndex", keep.ByTime, "savedAt")
	})
	k.on2(req, "success", func(js.Value) {
		db := req.Get("result")
		k.push(func() { k.db = db })
	})
	k.on2(req, "error", func(js.Value) { k.fail(domError(req.Get("error"))) })
	k.on2(req, "blocked", func(js.Value) { k.fail("the database is blocked by another tab") })
}

// on2 adds a listener to an IndexedDB request or transaction, through
// Page.On: a panic in it shows the fatal panel, as any handler's does.
func (k *keeper) on2(target js.Value, event string, fn func(js.Value)) { k.page.On(target, event, fn) }

// call runs f, returning what a JavaScript exception it throws says (an
// IndexedDB call throws for a closed database, a blocked storage, a value
// it cannot store).
func (k *keeper) call(f func() js.Value) (v js.Value, err string) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(js.Error); ok {
				err = domError(e.Value)
			} else {
				err = fmt.Sprint(r)
			}
		}
	}()
	return f(), ""
}

// domError is the name and message of a DOMException (or any error).
func domError(e js.Value) string {
	if !e.Truthy() {
		return "unknown error"
	}
	name, msg := e.Get("name"), e.Get("message")
	if name.Type() == js.TypeString && msg.Type() == js.TypeString {
		return name.String() + ": " + msg.String()
	}
	return e.Call("toString").String()
}

// fail says once, quietly, that runs cannot be kept here, and stops
// trying. It may run in any callback.
func (k *keeper) fail(reason string) {
	k.push(func() {
		if k.failed {
			return
		}
		k.failed, k.db = true, js.Undefined()
		k.page.Win.Get("console").Call("warn", "bottleneck: runs are not kept in this browser: "+reason)
		k.text.notice("This browser does not keep the run across reloads here (its storage is not available); training goes on as usual.")
	})
}

// warn logs why a kept record was ignored.
func (k *keeper) warn(msg string) {
	k.page.Win.Get("console").Call("warn", "bottleneck: "+msg)
}

// tick runs at the end of every Update, after the URL is written: it
// looks up the page's link once the database is open, then asks the engine
// for the run whenever it changed (at once when settled, every keep.Every
// while it trains).
func (k *keeper) tick() {
	if !k.on || k.failed || !k.db.Truthy() {
		return
	}
	a := k.app()
	if !k.looked {
		k.looked = true
		k.lookUp(a, k.link())
		return
	}
	if !k.answered {
		return // a save now could overwrite the record before it is read
	}
	if k.shownApp != nil && (k.shownApp != a || a.Version() != k.resumed) {
		k.hideKept() // the run continued is no longer the one on the page
	}
	if k.pending != 0 && k.pendApp == a && time.Since(k.asked) < 10*time.Second {
		return // its answer is on its way
	}
	key := k.key(a)
	if key == k.last && k.pendApp == a {
		return
	}
	if a.Busy() && time.Since(k.asked) < keep.Every {
		return
	}
	k.ask(a, key)
}

func (k *keeper) key(a *play.App) runKey {
	return runKey{link: k.link(), step: a.Trainer().Metrics().Step, version: a.Version(), edits: a.Edits(), running: a.Running}
}

// ask has the engine send the run (a Save), unless it diverged: the last
// good record stays.
func (k *keeper) ask(a *play.App, key runKey) {
	k.last, k.asked = key, time.Now()
	if a.Trainer().Diverged() != "" {
		return
	}
	k.pending, k.pendApp, k.pendLink, k.pendRun = a.Save(), a, key.link, a.Running
}

// saveNow asks for the run at once, from the event of the page being
// hidden: frames stop then, so the save goes to the engine now, and its
// answer is written when it comes, if the page lives on (a tab in the
// background, a page kept for the back button). A tab that is closed
// keeps the save before.
func (k *keeper) saveNow() {
	if !k.on || k.failed || !k.db.Truthy() || !k.answered {
		return
	}
	a := k.app()
	if key := k.key(a); key != k.last || k.pendApp != a {
		k.ask(a, key)
		k.flush()
	}
}

// saved writes the engine's answer to the keeper's save, and reports
// whether it was that. It runs in the engine's message event, not from the
// queue, so that a hidden page writes it too.
func (k *keeper) saved(m protocol.Message) bool {
	if m.Seq != k.pending || k.pendApp != k.app() || k.pending == 0 {
		return false
	}
	k.pending = 0
	if !k.db.Truthy() {
		return true
	}
	st, err := keep.Encode(keep.Record{Link: k.pendLink, SavedAt: time.Now(), Running: k.pendRun, Run: m})
	if err != nil {
		return true // a diverged run: the last good record stays
	}
	k.put(st)
	return true
}

// put stores st and deletes the records beyond the latest keep.MaxRecords,
// in one transaction.
func (k *keeper) put(st keep.Stored) {
	rec := js.Global().Get("Object").New()
	rec.Set("format", st.Format)
	rec.Set("version", st.Version)
	rec.Set("link", st.Link)
	rec.Set("savedAt", float64(st.SavedAt))
	rec.Set("running", st.Running)
	rec.Set("head", st.Head)
	rec.Set("weights", float64Array(st.Floats))
	db := k.db
	tx, err := k.call(func() js.Value { return db.Call("transaction", keep.Store, "readwrite") })
	if err != "" {
		k.fail(err)
		return
	}
	k.on2(tx, "abort", func(js.Value) { k.fail(domError(tx.Get("error"))) })
	store := tx.Call("objectStore", keep.Store)
	if _, err := k.call(func() js.Value { return store.Call("put", rec) }); err != "" {
		k.fail(err)
		return
	}
	var entries []keep.Entry
	cur := store.Call("index", keep.ByTime).Call("openKeyCursor")
	k.on2(cur, "success", func(js.Value) {
		c := cur.Get("result")
		if c.Truthy() {
			if key, at := c.Get("primaryKey"), c.Get("key"); key.Type() == js.TypeString && at.Type() == js.TypeNumber {
				entries = append(entries, keep.Entry{Link: key.String(), SavedAt: int64(at.Float())})
			}
			c.Call("continue")
			return
		}
		for _, link := range keep.Prune(entries, keep.MaxRecords, st.Link) {
			store.Call("delete", link)
		}
	})
}

// float64Array copies xs into a new Float64Array.
func float64Array(xs []float64) js.Value {
	b := protocol.Float64Bytes(xs)
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	return js.Global().Get("Float64Array").New(u8.Get("buffer"))
}

// lookUp reads the record of link and, if it is a good one of the run on
// the page, which nobody has changed meanwhile, continues it.
func (k *keeper) lookUp(a *play.App, link string) {
	db := k.db
	tx, err := k.call(func() js.Value { return db.Call("transaction", keep.Store, "readonly") })
	if err != "" {
		k.fail(err)
		return
	}
	req := tx.Call("objectStore", keep.Store).Call("get", link)
	version, edits := a.Version(), a.Edits()
	k.on2(req, "success", func(js.Value) {
		v := req.Get("result")
		if !v.Truthy() {
			k.push(func() { k.answered = true })
			return // nothing kept: a fresh run
		}
		st, why := storedOf(v)
		var r keep.Record
		if why == "" {
			var err error
			if r, err = keep.Decode(st); err != nil {
				why = err.Error()
			}
		}
		k.push(func() {
			k.answered = true
			if why != "" {
				k.warn("the kept run of this link is ignored: " + why)
				return
			}
			if k.app() != a || a.Version() != version || a.Edits() != edits || k.link() != link {
				return // changed meanwhile: the page's run goes on
			}
			if err := a.Resume(r.Run, r.Running); err != nil {
				k.warn("the kept run of this link is ignored: " + err.Error())
				return
			}
			k.resumed, k.shownApp = a.Version(), a
			k.last = k.key(a) // it is what is kept
			k.showKept(keep.Notice(r.Run.Step, time.Since(r.SavedAt)))
		})
	})
	k.on2(req, "error", func(js.Value) { k.fail(domError(req.Get("error"))) })
}

// storedOf reads a stored record from its JavaScript object, or says why
// it is not one.
func storedOf(v js.Value) (keep.Stored, string) {
	if v.Type() != js.TypeObject {
		return keep.Stored{}, "not an object"
	}
	str := func(name string) string {
		if x := v.Get(name); x.Type() == js.TypeString {
			return x.String()
		}
		return ""
	}
	num := func(name string) float64 {
		if x := v.Get(name); x.Type() == js.TypeNumber {
			return x.Float()
		}
		return 0
	}
	f, err := wire.FrameOf(v)
	if err != nil {
		return keep.Stored{}, err.Error()
	}
	return keep.Stored{Format: str("format"), Version: int(num("version")), Link: str("link"), SavedAt: int64(num("savedAt")),
		Running: v.Get("running").Truthy(), Head: f.Head, Floats: f.Weights}, ""
}

// showKept shows the notice of a continued run with its Start over button.
func (k *keeper) showKept(msg string) {
	if t := k.page.El("kept-text"); t.Truthy() {
		t.Set("textContent", msg)
	}
	if e := k.page.El("kept"); e.Truthy() {
		e.Set("hidden", false)
	}
}

func (k *keeper) hideKept() {
	k.shownApp = nil
	if e := k.page.El("kept"); e.Truthy() {
		e.Set("hidden", true)
	}
}

// startOver deletes the record of the page's link and starts its run
// fresh, training.
func (k *keeper) startOver() {
	if db := k.db; db.Truthy() {
		link := k.link()
		if _, err := k.call(func() js.Value {
			return db.Call("transaction", keep.Store, "readwrite").Call("objectStore", keep.Store).Call("delete", link)
		}); err != "" {
			k.fail(err)
		}
	}
	k.hideKept()
	k.pending = 0 // an answer on its way is of the run started over
	a := k.app()
	a.Reset()
	if !a.Running {
		a.Toggle()
	}
	k.last = k.key(a)
	k.asked = time.Now() // the fresh run is kept from its next save on
}
