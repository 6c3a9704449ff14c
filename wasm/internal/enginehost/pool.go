//go:build js && wasm

// Package enginehost is the page's side of the training engine: it starts
// engines (wasm/worker) in Web Workers, or takes over the one the page
// started before its Go program loaded (engine-start.js), and moves protocol
// frames between them and the page's Go code. Pool serves any number of
// workers (the capacity explorer's sweep); Play runs the playground's
// training in one. It is syscall/js code and never imports ebiten; the
// logic on either side of it (protocol, engine, play) is pure and tested
// natively.
package enginehost

import (
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/wire"
)

// Handler receives one worker's decoded messages and its death.
type Handler struct {
	Message func(worker int, m protocol.Message)
	Dead    func(worker int, reason string)
}

// Pool compiles engine.wasm once (WebAssembly.compileStreaming) and posts
// the compiled module to every worker it starts (engine-worker.js). The zero
// Pool is ready to Compile.
type Pool struct {
	module   js.Value // the compiled engine, once compiled
	failed   string   // why it could not be compiled, or ""
	whenDone []func() // waiting for the compilation
	workers  []js.Value
	funcs    []js.Func
	gen      int // bumped by stop: events of stopped workers are dropped
}

// Compiled reports whether the module is compiled.
func (e *Pool) Compiled() bool { return e.module.Truthy() }

// Failed returns why the module could not be compiled, or "".
func (e *Pool) Failed() string { return e.failed }

// Workers returns how many workers run.
func (e *Pool) Workers() int { return len(e.workers) }

// Compile starts compiling engine.wasm. push queues a function for the
// page's Update, where the module or the failure is recorded.
func (e *Pool) Compile(push func(func())) {
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

// WhenCompiled runs f once the module is compiled or has failed (at once if
// it has).
func (e *Pool) WhenCompiled(f func()) {
	if e.module.Truthy() || e.failed != "" {
		f()
		return
	}
	e.whenDone = append(e.whenDone, f)
}

func (e *Pool) runWaiting() {
	w := e.whenDone
	e.whenDone = nil
	for _, f := range w {
		f()
	}
}

// Start stops the running workers and starts n new ones; the compiled module
// must be there. Their messages go to h, straight from the worker's message
// event (not through Update's queue, so that a worker gets its next job at
// once rather than at the next frame): the handlers must not block.
func (e *Pool) Start(n int, h Handler, guard func(where string)) {
	e.Stop()
	init := js.Global().Get("Object").New()
	init.Set("engineModule", e.module)
	for range n {
		w := js.Global().Get("Worker").New("engine-worker.js")
		e.attach(w, h, guard)
		w.Call("postMessage", init)
	}
}

// Adopt stops the running workers and takes over w, a worker running the
// compiled engine module, started by the parent page (engine-start.js), as
// worker 0. Its messages go to h, as start's do.
func (e *Pool) Adopt(w, module js.Value, h Handler, guard func(where string)) {
	e.Stop()
	e.module = module
	e.attach(w, h, guard)
}

// attach makes w the next worker and sends its messages and death to h.
func (e *Pool) attach(w js.Value, h Handler, guard func(where string)) {
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
		h.Message(i, m)
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
		h.Dead(i, reason)
		return nil
	})
	w.Set("onmessage", onMsg)
	w.Set("onerror", onErr)
	w.Set("onmessageerror", onErr)
	e.workers = append(e.workers, w)
	e.funcs = append(e.funcs, onMsg, onErr)
}

// Post sends m to worker i; a message Encode refuses is a bug, reported as
// the worker's death by the caller.
func (e *Pool) Post(i int, m protocol.Message) error {
	return wire.Post(e.workers[i], m)
}

// Stop terminates every worker at once: whatever they were training stops
// now, not at the end of a slice.
func (e *Pool) Stop() {
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

// DebugFault makes worker i's Go code panic, or with jsError throw an
// uncaught JavaScript error outside it, which the page sees as the worker's
// error event: the browser tests' two ways to kill an engine.
func (e *Pool) DebugFault(i int, jsError bool) {
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
