//go:build js && wasm

package main

// This file measures the page's frames for window.bottleneck.state() and
// the debug=1 overlay.

import (
	"fmt"
	"runtime"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/framestats"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/jspage"
)

// perfStats measures the CPU time of each frame inside Go (package
// framestats does the arithmetic) and samples the memory. The figures go to
// window.bottleneck.state() always, and to the #debug overlay when the
// fragment says debug=1. All of it belongs to the game loop.
type perfStats struct {
	page    *jspage.Page
	overlay bool
	el      js.Value // the overlay element, made on first use

	frames    framestats.Stats
	memAt     time.Time
	heapAlloc uint64
	heapSys   uint64
	wasmMem   int
	engineMem int // the engine worker's wasm memory, from its states
	overlayAt time.Time
	readyMs   float64 // the page's performance.now() at the first frame
}

// perfState is the part of window.bottleneck.state() that perfStats fills.
// Times are milliseconds; memory is bytes.
type perfState struct {
	framestats.State
	HeapAlloc    uint64  `json:"heapAlloc"` // runtime.MemStats, sampled each second
	HeapSys      uint64  `json:"heapSys"`
	WasmMemory   int     `json:"wasmMemory"`   // WebAssembly.Memory byteLength
	EngineMemory int     `json:"engineMemory"` // the engine worker's, from its states
	MessageSeq   int     `json:"messageSeq"`   // counts messages shown in #message
	ReadyMs      float64 `json:"readyMs"`      // from navigation to the first frame
}

// beginUpdate starts timing an Update.
func (p *perfStats) beginUpdate() { p.frames.BeginUpdate(time.Now()) }

// endUpdate closes an Update that showed steps more training steps.
func (p *perfStats) endUpdate(steps int) { p.frames.EndUpdate(time.Now(), steps) }

// endDraw closes a frame that began with the Updates since the last Draw,
// whose Draw started at start and made drawCalls batches. ready is false
// until the first frame is on screen; engineMem is the engine worker's
// memory as its latest state gave it.
func (p *perfStats) endDraw(start time.Time, ready bool, drawCalls, engineMem int) {
	now := time.Now()
	if !ready {
		if perf := p.page.Win.Get("performance"); perf.Truthy() {
			p.readyMs = perf.Call("now").Float()
		}
	}
	p.frames.EndDraw(start, now, drawCalls)
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
	return perfState{
		State: p.frames.State(), HeapAlloc: p.heapAlloc, HeapSys: p.heapSys, WasmMemory: p.wasmMem,
		EngineMemory: p.engineMem, MessageSeq: seq, ReadyMs: p.readyMs,
	}
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
		push(func() {
			p.frames.ResetAtNextFrame()
			p.memAt = time.Time{} // and the memory is sampled at that frame
		})
		return nil
	}))
}
