//go:build js && wasm

// This file is window.bottleneck.state(), the read-only test hook.

package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/views"
)

// hookState is what window.bottleneck.state() returns, for tests and the
// curious: enough to check a run without reading pixels.
type hookState struct {
	Ready         bool   `json:"ready"`
	Failed        bool   `json:"failed"`
	Message       string `json:"message"`
	Tour          int    `json:"tour"`     // the tour step shown, 1-based; 0 when the tour is off
	NoWebGL2      bool   `json:"noWebGL2"` // nothing is drawn: the browser has no WebGL2
	play.RunState        // the run: step, metrics, link, weights' digest, chart
	perfState            // frame times and memory (perf.go)
	views.Hook           // walk-through, hidden space, hover
}

// testHook is window.bottleneck on the parent page: its JSON, cached
// between frames. It belongs to the game loop.
type testHook struct {
	page *jspage.Page
	app  func() *play.App // the run reported
	// fill sets what the page around the run shows: whether it is ready or
	// failed, its message, tour step and frame figures, the views' hook.
	fill func(s *hookState)

	state string // the JSON state() returns, built when asked for
	stale bool   // an Update or Draw ran since state was built
	run   play.RunReporter
}

// newTestHook returns the hook of the run app returns; fill adds the
// page's part of the state.
func newTestHook(p *jspage.Page, app func() *play.App, fill func(s *hookState)) *testHook {
	return &testHook{page: p, app: app, fill: fill}
}

// markStale says that an Update or Draw ran: state() rebuilds its JSON.
func (h *testHook) markStale() { h.stale = true }

// update refreshes the cached JSON that the hook returns.
func (h *testHook) update() {
	s := hookState{RunState: h.run.State(h.app())}
	h.fill(&s)
	if data, err := json.Marshal(s); err == nil {
		h.state = string(data)
	}
}

// install sets window.bottleneck on the parent page: a read-only view of
// the run for tests. state() returns the JSON of the run as the last Update
// and Draw left it.
func (h *testHook) install() {
	hook := js.Global().Get("Object").New()
	hook.Set("state", js.FuncOf(func(js.Value, []js.Value) any { return h.current() }))
	h.page.Win.Set("bottleneck", hook)
}

// current returns the hook's JSON, rebuilt first when an Update or a
// Draw ran since it was last built.
//
// It is built on demand, not in every Update: the marshalling, the hook's
// view positions and the weights' digest took about a sixth of the
// drawing side's frame at 128-4-128, for a string that only tests read, a
// few times a second at most. The callback runs between frames (the browser
// runs one task at a time, and the game loop's Update and Draw are one task),
// so it sees what the last Update and Draw left, as a read in Update would.
// A panic while building it is caught like one in Update.
func (h *testHook) current() string {
	if h.stale {
		h.refresh()
	}
	return h.state
}

// refresh rebuilds the JSON; a panic is caught as one in Update would be.
func (h *testHook) refresh() {
	defer h.page.RecoverTo("state")
	h.stale = false // a panic below is reported once, not at every call
	h.update()
}

// publishFailed refreshes the JSON while the #fatal panel is up (Update then
// skips publish), so that it says failed. A panic here is dropped: the page
// has already said what went wrong.
func (h *testHook) publishFailed() {
	defer func() { _ = recover() }()
	h.update()
}
