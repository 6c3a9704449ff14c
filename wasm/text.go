//go:build js && wasm

// This file writes the page's text. Every textContent write goes through
// one cache, so a frame that changes nothing writes nothing (the DOM is the
// costly side of the page), and the two places that speak to the reader
// keep their rules in one place: #message for problems (role=alert) and
// #notice for passing confirmations (role=status).

package main

import (
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
)

// noticeFor is how long a notice stays: long enough to read, short enough
// not to be mistaken for the state of the run.
const noticeFor = 6 * time.Second

// pageText writes text into the parent page. It belongs to the game loop.
type pageText struct {
	page        *jspage.Page
	texts       map[string]string // last text written per element id, and changed's keys
	seq         int               // counts messages shown, for the test hook
	diverged    bool              // #message says that training diverged
	noticeUntil time.Time         // when #notice is cleared; zero when it is empty
}

// newPageText returns the writer of p's text.
func newPageText(p *jspage.Page) *pageText {
	return &pageText{page: p, texts: map[string]string{}}
}

// set writes s as the textContent of the element id, unless it holds s
// already.
func (t *pageText) set(id, s string) {
	if old, ok := t.texts[id]; ok && old == s {
		return
	}
	if e := t.page.El(id); e.Truthy() {
		e.Set("textContent", s) // never innerHTML: the text may come from a URL or a file
		t.texts[id] = s
	}
}

// changed records v under key and reports whether it differs from the value
// recorded before ("" when none): the cache of set, for an attribute rather
// than a text.
func (t *pageText) changed(key, v string) bool {
	if t.texts[key] == v {
		return false
	}
	t.texts[key] = v
	return true
}

// last returns the text last written to the element id.
func (t *pageText) last(id string) string { return t.texts[id] }

// forget drops the cache, so that everything is written again: after a
// restart the page may show anything.
func (t *pageText) forget() { t.texts = map[string]string{} }

// message shows a problem in #message (role=alert).
func (t *pageText) message(s string) {
	t.seq++
	t.set("message", s)
	if m := t.page.El("message"); m.Truthy() {
		m.Set("hidden", false)
	}
	t.diverged = false
	if r := t.page.El("message-reset"); r.Truthy() {
		r.Set("hidden", true)
	}
}

// clearMessage hides #message: the action it was about went through.
func (t *pageText) clearMessage() {
	t.set("message", "")
	if m := t.page.El("message"); m.Truthy() {
		m.Set("hidden", true)
	}
	t.diverged = false
}

// divergedMessage says plainly that training blew up, and offers a reset.
// It is written once per divergence, not at every state the engine sends.
func (t *pageText) divergedMessage(reason string) {
	if t.diverged {
		return
	}
	t.message("Training diverged: " + reason + ". Press Reset (or r) to start again; a smaller learning rate may help.")
	t.diverged = true
	if r := t.page.El("message-reset"); r.Truthy() {
		r.Set("hidden", false)
	}
}

// notice shows a passing confirmation in #notice (role=status).
func (t *pageText) notice(s string) {
	t.set("notice", s)
	t.noticeUntil = time.Now().Add(noticeFor)
}

// expireNotice clears #notice once its time is up.
func (t *pageText) expireNotice() {
	if !t.noticeUntil.IsZero() && time.Now().After(t.noticeUntil) {
		t.noticeUntil = time.Time{}
		t.set("notice", "")
	}
}
