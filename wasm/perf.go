//go:build js && wasm

package main

// This file measures the page's frames for window.bottleneck.state() and
// the debug=1 overlay.

import (
	"fmt"
	"runtime"
	"slices"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
)

// perfStats measures the CPU time of each frame inside Go: the Updates since
// the last Draw plus that Draw, with time.Now around them. The figures go to
// window.bottleneck.state() always, and to the #debug overlay when the
// fragment says debug=1. All of it belongs to the game loop.
type perfStats struct {
	page    *jspage.Page
	overlay bool
	el      js.Value // the overlay element, made on first use

	updateStart time.Time
	pendingUpd  time.Duration // Updates since the last Draw
	pendingStep int           // steps the engine trained since the last Draw, as shown
	lastDrawAt  time.Time

	// Since the last reset.
	frames      int
	recent      [recentFrames]time.Duration // the latest frames' times, a ring: frames%recentFrames is next
	sum, max    time.Duration
	sumUpd      time.Duration
	sumDraw     time.Duration
	maxGap      time.Duration
	lastUpd     time.Duration
	lastDraw    time.Duration
	lastFrame   time.Duration
	lastSteps   int
	sumSteps    int
	drawCalls   int // DrawTriangles batches in the last Draw
	memAt       time.Time
	heapAlloc   uint64
	heapSys     uint64
	wasmMem     int
	engineMem   int // the engine worker's wasm memory, from its states
	overlayAt   time.Time
	resetQueued bool
	readyMs     float64 // the page's performance.now() at the first frame
}

// recentFrames is how many of the latest frames the median is taken over.
const recentFrames = 512

// perfState is the part of window.bottleneck.state() that perfStats fills.
// Times are milliseconds; memory is bytes.
type perfState struct {
	Frames      int     `json:"frames"`
	FrameMs     float64 `json:"frameMs"`     // last frame: Updates + Draw
	FrameMsMean float64 `json:"frameMsMean"` // since the last resetStats()
	FrameMsMax  float64 `json:"frameMsMax"`
	// FrameMsMedian is the median of the latest frames (at most
	// recentFrames) since the last resetStats(). On a shared machine the
	// mean also counts the time the browser's thread waited for a core in
	// the middle of a frame; the median mostly does not.
	FrameMsMedian float64 `json:"frameMsMedian"`
	UpdateMs      float64 `json:"updateMs"` // last frame's Updates
	DrawMs        float64 `json:"drawMs"`   // last Draw
	UpdateMsMean  float64 `json:"updateMsMean"`
	DrawMsMean    float64 `json:"drawMsMean"`
	StepsPerFrame int     `json:"stepsPerFrame"`
	StepsMean     float64 `json:"stepsPerFrameMean"`
	FrameGapMsMax float64 `json:"frameGapMsMax"` // largest time between two Draws
	DrawCalls     int     `json:"drawCalls"`
	HeapAlloc     uint64  `json:"heapAlloc"` // runtime.MemStats, sampled each second
	HeapSys       uint64  `json:"heapSys"`
	WasmMemory    int     `json:"wasmMemory"`   // WebAssembly.Memory byteLength
	EngineMemory  int     `json:"engineMemory"` // the engine worker's, from its states
	MessageSeq    int     `json:"messageSeq"`   // counts messages shown in #message
	ReadyMs       float64 `json:"readyMs"`      // from navigation to the first frame
}

// ms is d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// beginUpdate starts timing an Update.
func (p *perfStats) beginUpdate() { p.updateStart = time.Now() }

// endUpdate closes an Update that showed steps more training steps.
func (p *perfStats) endUpdate(steps int) {
	p.pendingUpd += time.Since(p.updateStart)
	p.pendingStep += steps
}

// endDraw closes a frame that began with the Updates since the last Draw,
// whose Draw started at start and made drawCalls batches. ready is false
// until the first frame is on screen; engineMem is the engine worker's
// memory as its latest state gave it.
func (p *perfStats) endDraw(start time.Time, ready bool, drawCalls, engineMem int) {
	now := time.Now()
	d := now.Sub(start)
	if p.resetQueued {
		*p = perfStats{page: p.page, overlay: p.overlay, el: p.el, pendingUpd: p.pendingUpd, pendingStep: p.pendingStep,
			readyMs: p.readyMs}
	}
	if !ready {
		if perf := p.page.Win.Get("performance"); perf.Truthy() {
			p.readyMs = perf.Call("now").Float()
		}
	}
	p.lastUpd, p.lastDraw = p.pendingUpd, d
	p.lastFrame = p.pendingUpd + d
	p.lastSteps = p.pendingStep
	p.pendingUpd, p.pendingStep = 0, 0
	p.drawCalls = drawCalls
	p.recent[p.frames%recentFrames] = p.lastFrame
	p.frames++
	p.sum += p.lastFrame
	p.sumUpd += p.lastUpd
	p.sumDraw += p.lastDraw
	p.sumSteps += p.lastSteps
	p.max = max(p.max, p.lastFrame)
	if !p.lastDrawAt.IsZero() {
		p.maxGap = max(p.maxGap, start.Sub(p.lastDrawAt))
	}
	p.lastDrawAt = start
	p.engineMem = engineMem
	if now.Sub(p.memAt) >= time.Second {
		p.memAt = now
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.heapAlloc, p.heapSys = m.HeapAlloc, m.Sys
		if mem := p.page.Self.Get("bottleneckWasmMemory"); mem.Truthy() {
			p.wasmMem = mem.Get("buffer").Get("byteLength").Int()
		}
	}
	if p.overlay && now.Sub(p.overlayAt) >= 250*time.Millisecond {
		p.overlayAt = now
		p.showOverlay()
	}
}

// state returns the figures for the test hook; seq is the count of messages
// shown.
func (p *perfStats) state(seq int) perfState {
	s := perfState{
		Frames: p.frames, FrameMs: ms(p.lastFrame), FrameMsMax: ms(p.max),
		UpdateMs: ms(p.lastUpd), DrawMs: ms(p.lastDraw), StepsPerFrame: p.lastSteps,
		FrameGapMsMax: ms(p.maxGap), DrawCalls: p.drawCalls,
		HeapAlloc: p.heapAlloc, HeapSys: p.heapSys, WasmMemory: p.wasmMem, EngineMemory: p.engineMem, MessageSeq: seq, ReadyMs: p.readyMs,
	}
	if p.frames > 0 {
		s.FrameMsMedian = ms(median(p.recent[:min(p.frames, recentFrames)]))
		s.FrameMsMean = ms(p.sum) / float64(p.frames)
		s.UpdateMsMean = ms(p.sumUpd) / float64(p.frames)
		s.DrawMsMean = ms(p.sumDraw) / float64(p.frames)
		s.StepsMean = float64(p.sumSteps) / float64(p.frames)
	}
	return s
}

// median returns the median of ds (the mean of the middle two for an even
// count), 0 for none. ds is not modified.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// setOverlay shows or hides the #debug overlay, which is made here on first
// use so that index.html need not carry it.
func (p *perfStats) setOverlay(on bool) {
	p.overlay = on
	if !p.el.Truthy() {
		if !on || !p.page.Doc.Truthy() {
			return
		}
		p.el = p.page.Doc.Call("createElement", "pre")
		p.el.Set("id", "debug")
		p.el.Set("className", "debug")
		p.el.Call("setAttribute", "aria-hidden", "true")
		st := p.el.Get("style") // CSSOM, which the CSP allows (a style attribute it would not)
		for k, v := range map[string]string{
			"position": "fixed", "left": "8px", "bottom": "8px", "zIndex": "50", "margin": "0",
			"padding": "4px 6px", "font": "11px/1.35 monospace", "background": "rgba(0,0,0,0.75)",
			"color": "#e8ecf2", "pointerEvents": "none", "whiteSpace": "pre",
		} {
			st.Set(k, v)
		}
		p.page.Doc.Get("body").Call("appendChild", p.el)
	}
	p.el.Set("hidden", !on)
	if on {
		p.showOverlay()
	}
}

// showOverlay writes the latest figures into the #debug overlay.
func (p *perfStats) showOverlay() {
	if !p.el.Truthy() {
		return
	}
	s := p.state(0)
	p.el.Set("textContent", fmt.Sprintf(
		"frame %.2f ms (update %.2f + draw %.2f)\nmean %.2f ms (%.2f + %.2f)  max %.2f ms  gap max %.0f ms\nsteps/frame %d (mean %.1f)  draw batches %d\nheap %.1f MB  sys %.1f MB  wasm %.1f MB",
		s.FrameMs, s.UpdateMs, s.DrawMs, s.FrameMsMean, s.UpdateMsMean, s.DrawMsMean, s.FrameMsMax, s.FrameGapMsMax,
		s.StepsPerFrame, s.StepsMean, s.DrawCalls,
		float64(s.HeapAlloc)/(1<<20), float64(s.HeapSys)/(1<<20), float64(s.WasmMemory)/(1<<20)))
}

// installHook adds window.bottleneck.resetStats(), which starts the means
// and maxima afresh at the next frame (for benchmarks, after warm-up). The
// reset is pushed onto the game's queue: the stats belong to the game loop.
func (p *perfStats) installHook(push func(func())) {
	hook := p.page.Win.Get("bottleneck")
	if !hook.Truthy() {
		return
	}
	hook.Set("resetStats", js.FuncOf(func(js.Value, []js.Value) any {
		push(func() { p.resetQueued = true })
		return nil
	}))
}
