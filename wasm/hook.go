//go:build js && wasm

// This file is window.bottleneck.state(), the read-only test hook.

package main

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"strconv"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/views"
)

// hookState is what window.bottleneck.state() returns, for tests and the
// curious: enough to check a run without reading pixels.
type hookState struct {
	Ready        bool     `json:"ready"`
	Failed       bool     `json:"failed"`
	Step         int      `json:"step"`
	Loss         *float64 `json:"loss"` // null when not finite
	Correct      int      `json:"correct"`
	Pairs        int      `json:"pairs"`
	SolvedAt     int      `json:"solvedAt"`
	Fragment     string   `json:"fragment"`
	Diverged     string   `json:"diverged"`
	N            int      `json:"n"`
	K            int      `json:"k"`
	Running      bool     `json:"running"` // training runs, or the engine has not yet taken every command
	Rate         float64  `json:"rate"`    // steps per second, 0 = as fast as it goes
	MaxAbsWeight *float64 `json:"maxAbsWeight"`
	Weights      string   `json:"weights"` // FNV-64a of every parameter's bits
	Message      string   `json:"message"`
	Tour         int      `json:"tour"`     // the tour step shown, 1-based; 0 when the tour is off
	NoWebGL2     bool     `json:"noWebGL2"` // nothing is drawn: the browser has no WebGL2
	// Chart is what the loss chart holds: its first and last steps and the
	// samples merged into it (one a step when the engine saw every step).
	Chart      chartHook `json:"chart"`
	perfState            // frame times and memory (perf.go)
	views.Hook           // walk-through, hidden space, hover
}

// chartHook is hookState.Chart.
type chartHook struct {
	First   int `json:"first"`
	Last    int `json:"last"`
	Samples int `json:"samples"`
}

// chartOf returns what app's loss chart holds.
func chartOf(app *play.App) chartHook {
	loss, _ := app.Chart()
	var c chartHook
	_, _, c.First, c.Last, _ = loss.Range()
	for _, p := range loss.Points(nil) {
		c.Samples += p.Count
	}
	return c
}

// testHook is window.bottleneck on the parent page: its JSON, cached
// between frames. It belongs to the game loop.
type testHook struct {
	page *jspage.Page
	app  func() *play.App // the run reported
	// fill sets what the page around the run shows: whether it is ready or
	// failed, its message, tour step and frame figures, the views' hook.
	fill func(s *hookState)

	state     string // the JSON state() returns, built when asked for
	stale     bool   // an Update or Draw ran since state was built
	digestKey [3]int // (step, version, edits) the digest was computed for
	digest    string
}

// newTestHook returns the hook of the run app returns; fill adds the
// page's part of the state.
func newTestHook(p *jspage.Page, app func() *play.App, fill func(s *hookState)) *testHook {
	return &testHook{page: p, app: app, fill: fill, digestKey: [3]int{-1, -1, -1}}
}

// markStale says that an Update or Draw ran: state() rebuilds its JSON.
func (h *testHook) markStale() { h.stale = true }

// update refreshes the cached JSON that the hook returns.
func (h *testHook) update() {
	a := h.app()
	tr := a.Trainer()
	m := tr.Metrics()
	if key := [3]int{m.Step, a.Version(), a.Edits()}; key != h.digestKey {
		h.digestKey = key
		h.digest = weightsDigest(tr.Network())
	}
	c := tr.Config()
	s := hookState{
		Step: m.Step, Loss: play.Finite(m.Loss), Correct: m.Correct, Pairs: m.Pairs, SolvedAt: m.SolvedAt,
		Fragment: c.Encode(), Diverged: tr.Diverged(), N: c.N, K: c.K,
		Running: a.Busy(), Rate: a.Rate(), MaxAbsWeight: play.Finite(m.MaxAbsWeight),
		Weights: h.digest, Chart: chartOf(a),
	}
	h.fill(&s)
	if data, err := json.Marshal(s); err == nil {
		h.state = string(data)
	}
}

// weightsDigest is the FNV-64a of every parameter's bits: a test compares
// two runs' weights exactly without the page sending them all.
func weightsDigest(net *core.Network) string {
	h := fnv.New64a()
	var buf [8]byte
	add := func(xs []float64) {
		for _, x := range xs {
			bits := math.Float64bits(x)
			for i := range buf {
				buf[i] = byte(bits >> (8 * i))
			}
			h.Write(buf[:])
		}
	}
	if net.K > 0 {
		add(net.W1.RawMatrix().Data)
		add(net.B1.RawVector().Data)
	}
	add(net.W2.RawMatrix().Data)
	add(net.B2.RawVector().Data)
	return strconv.FormatUint(h.Sum64(), 16)
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
