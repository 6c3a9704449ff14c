//go:build js && wasm

package main

// engines starts and stops training engines in Web Workers for a page: it
// compiles engine.wasm once (WebAssembly.compileStreaming) and posts the
// compiled module to every worker it starts (engine-worker.js), then moves
// protocol frames between the workers and the page's Go code.

import (
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/wire"
)

// engineHandler receives one worker's decoded messages and its death.
type engineHandler struct {
	message func(worker int, m protocol.Message)
	dead    func(worker int, reason string)
}

type engines struct {
	module   js.Value // the compiled engine, once compiled
	failed   string   // why it could not be compiled, or ""
	whenDone []func() // waiting for the compilation
	workers  []js.Value
	funcs    []js.Func
	gen      int // bumped by stop: events of stopped workers are dropped
}

// compile starts compiling engine.wasm. push queues a function for the
// page's Update, where the module or the failure is recorded.
func (e *engines) compile(push func(func())) {
	wasmNS := js.Global().Get("WebAssembly")
	fetch := js.Global().Get("fetch")
	if !wasmNS.Truthy() || !fetch.Truthy() || !js.Global().Get("Worker").Truthy() {
		e.failed = "this browser cannot run the training engine (it needs WebAssembly and Web Workers)"
		return
	}
	var p js.Value
	if wasmNS.Get("compileStreaming").Truthy() {
		p = wasmNS.Call("compileStreaming", fetch.Invoke("engine.wasm"))
	} else {
		p = fetch.Invoke("engine.wasm").Call("then", js.FuncOf(func(_ js.Value, a []js.Value) any {
			return a[0].Call("arrayBuffer")
		})).Call("then", js.FuncOf(func(_ js.Value, a []js.Value) any {
			return wasmNS.Call("compile", a[0])
		}))
	}
	var ok, bad js.Func
	ok = js.FuncOf(func(_ js.Value, a []js.Value) any {
		mod := a[0]
		push(func() { e.module = mod; e.runWaiting() })
		ok.Release()
		bad.Release()
		return nil
	})
	bad = js.FuncOf(func(_ js.Value, a []js.Value) any {
		msg := "the engine could not be loaded"
		if len(a) > 0 && a[0].Truthy() {
			msg += ": " + a[0].Call("toString").String()
		}
		push(func() { e.failed = msg; e.runWaiting() })
		ok.Release()
		bad.Release()
		return nil
	})
	p.Call("then", ok, bad)
}

// whenCompiled runs f once the module is compiled or has failed (at once if
// it has).
func (e *engines) whenCompiled(f func()) {
	if e.module.Truthy() || e.failed != "" {
		f()
		return
	}
	e.whenDone = append(e.whenDone, f)
}

func (e *engines) runWaiting() {
	w := e.whenDone
	e.whenDone = nil
	for _, f := range w {
		f()
	}
}

// start stops the running workers and starts n new ones; the compiled module
// must be there. Their messages go to h, straight from the worker's message
// event (not through Update's queue, so that a worker gets its next job at
// once rather than at the next frame): the handlers must not block.
func (e *engines) start(n int, h engineHandler, guard func(where string)) {
	e.stop()
	init := js.Global().Get("Object").New()
	init.Set("engineModule", e.module)
	for range n {
		w := js.Global().Get("Worker").New("engine-worker.js")
		e.attach(w, h, guard)
		w.Call("postMessage", init)
	}
}

// adopt stops the running workers and takes over w, a worker running the
// compiled engine module, started by the parent page (engine-start.js), as
// worker 0. Its messages go to h, as start's do.
func (e *engines) adopt(w, module js.Value, h engineHandler, guard func(where string)) {
	e.stop()
	e.module = module
	e.attach(w, h, guard)
}

// attach makes w the next worker and sends its messages and death to h.
func (e *engines) attach(w js.Value, h engineHandler, guard func(where string)) {
	gen, i := e.gen, len(e.workers)
	onMsg := js.FuncOf(func(_ js.Value, a []js.Value) any {
		defer guard("engine message")
		if gen != e.gen {
			return nil
		}
		f, err := wire.FrameOf(a[0].Get("data"))
		var m protocol.Message
		if err == nil {
			m, err = protocol.Decode(f)
		}
		if err != nil {
			// A frame we cannot read is refused with a logged reason;
			// the worker's next good message goes on.
			js.Global().Get("console").Call("warn", "page: refused a message from engine", i, ": ", err.Error())
			return nil
		}
		h.message(i, m)
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, a []js.Value) any {
		defer guard("engine error")
		if gen != e.gen {
			return nil
		}
		reason := "the worker failed"
		if len(a) > 0 {
			a[0].Call("preventDefault")
			if msg := a[0].Get("message"); msg.Type() == js.TypeString && msg.String() != "" {
				reason += ": " + msg.String()
			}
		}
		h.dead(i, reason)
		return nil
	})
	w.Set("onmessage", onMsg)
	w.Set("onerror", onErr)
	w.Set("onmessageerror", onErr)
	e.workers = append(e.workers, w)
	e.funcs = append(e.funcs, onMsg, onErr)
}

// post sends m to worker i; a message Encode refuses is a bug, reported as
// the worker's death by the caller.
func (e *engines) post(i int, m protocol.Message) error {
	return wire.Post(e.workers[i], m)
}

// stop terminates every worker at once: whatever they were training stops
// now, not at the end of a slice.
func (e *engines) stop() {
	e.gen++
	for _, w := range e.workers {
		// No handler: an event already queued must not call a released func.
		w.Set("onmessage", js.Null())
		w.Set("onerror", js.Null())
		w.Set("onmessageerror", js.Null())
		w.Call("terminate")
	}
	for _, f := range e.funcs {
		f.Release()
	}
	e.workers, e.funcs = nil, nil
}

// debugFault makes worker i's Go code panic, or with jsError throw an
// uncaught JavaScript error outside it, which the page sees as the worker's
// error event: the browser tests' two ways to kill an engine.
func (e *engines) debugFault(i int, jsError bool) {
	if i >= 0 && i < len(e.workers) {
		o := js.Global().Get("Object").New()
		if jsError {
			o.Set("debugError", true)
		} else {
			o.Set("debugPanic", true)
		}
		e.workers[i].Call("postMessage", o)
	}
}
