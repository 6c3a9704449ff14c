//go:build js && wasm

// Command worker is the training engine, run in a dedicated Web Worker
// (site/static/engine-worker.js starts it). It imports core and never
// ebiten. Its logic is wasm/internal/engine; this file only moves frames
// between postMessage and the engine and keeps the loop going: it hands the
// messages that have arrived to the engine, then trains one slice, then
// yields to the worker's event loop (through a MessageChannel, which unlike
// setTimeout is not clamped to 4 ms) so that the next messages are handled
// before the next slice.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"syscall/js"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/engine"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/wire"
)

type worker struct {
	self  js.Value
	mu    sync.Mutex
	inbox []js.Value
	wake  chan struct{}
	tick  js.Value // posts to the MessageChannel that wakes the loop
	timer *time.Timer
	// collected is when collect last ran a garbage collection.
	collected time.Time
	e         *engine.Engine
}

func main() {
	w := &worker{self: js.Global(), wake: make(chan struct{}, 1), collected: time.Now()}
	w.e = engine.New(time.Now)
	// The page's picture of the network while its drawing loads.
	w.e.Draw = func(net *core.Network, cfg core.Config, step int, dark bool) []byte {
		return figure.NetworkIn(figure.Theme(dark), net, cfg, step)
	}
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		w.receive(args[0].Get("data"))
		return nil
	})
	ch := js.Global().Get("MessageChannel").New()
	ch.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any { w.signal(); return nil }))
	port2 := ch.Get("port2")
	w.tick = port2.Get("postMessage").Call("bind", port2)
	// Messages that came before Go started wait in engine-worker.js.
	if early := w.self.Get("bottleneckEarly"); early.Truthy() {
		for i := range early.Length() {
			w.receive(early.Index(i))
		}
		w.self.Set("bottleneckEarly", js.Null())
	}
	w.self.Set("onmessage", onMessage)
	w.loop()
}

// receive queues a message's data for the loop (callbacks must not block).
func (w *worker) receive(data js.Value) {
	w.mu.Lock()
	w.inbox = append(w.inbox, data)
	w.mu.Unlock()
	w.signal()
}

func (w *worker) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// loop runs the engine until the worker is terminated. A panic is reported
// as a Fault, after which the engine takes nothing more: the page must
// start a new worker.
func (w *worker) loop() {
	defer func() {
		if r := recover(); r != nil {
			w.post(protocol.Message{Type: protocol.TypeFault, Reason: fmt.Sprintf("a Go panic: %v", r)})
			w.self.Set("onmessage", js.Null())
			select {} // keep the runtime alive for the page to terminate us
		}
	}()
	w.flush()
	for range w.wake {
		w.mu.Lock()
		in := w.inbox
		w.inbox = nil
		w.mu.Unlock()
		for _, data := range in {
			w.handle(data)
		}
		w.flush()
		switch d := w.e.Wait(); {
		case d == 0:
			w.e.Slice()
			w.flush()
			w.collect()
			w.tick.Invoke(nil)
		case d > 0:
			if w.timer == nil {
				w.timer = time.AfterFunc(d, w.signal)
			} else {
				w.timer.Reset(d)
			}
		}
	}
}

// CollectEvery is how often a training worker runs a garbage collection.
//
// Why: every wake-up through the MessageChannel (about 100 a second while
// training) makes syscall/js values for the event, each with a finalizer
// that releases its JavaScript object. The Go heap grows only about 20 KB a
// second meanwhile, so its own garbage collector waited minutes to run, and
// until it does no finalizer runs: the finalizers' records piled up in the
// worker's memory (Go's OtherSys grew from 0.8 to 3.5 MB in 137 s with no
// collection, run under Node), and the events' JavaScript objects stayed
// alive. The soak saw the worker's wasm memory creep from 8.8 to 10.5 MB in
// 10 minutes. With a collection every 5 s the worker's memory stayed at
// 5.13 MB for 137 s under Node (4.75 to 10.25 MB without), and it trained
// 207,419 steps in that time against 188,855.
const CollectEvery = 5 * time.Second

// collect runs a garbage collection when CollectEvery has passed since the
// last one.
func (w *worker) collect() {
	if time.Since(w.collected) >= CollectEvery {
		runtime.GC()
		w.collected = time.Now()
	}
}

func (w *worker) handle(data js.Value) {
	if data.Type() == js.TypeObject && data.Get("debugPanic").Equal(js.ValueOf(true)) {
		// The browser tests' way to kill an engine (a Go panic).
		panic("a panic asked for by the page's test hook")
	}
	if data.Type() == js.TypeObject && data.Get("debugError").Equal(js.ValueOf(true)) {
		// Their other way: an uncaught JavaScript error outside Go, which
		// the page sees as the worker's error event. importScripts of a
		// missing file throws, and from a timer nothing catches it.
		w.self.Call("setTimeout", w.self.Get("importScripts"), 0, "no-such-engine-script.js")
		return
	}
	f, err := wire.FrameOf(data)
	if err != nil {
		w.e.Refuse(err.Error(), 0)
		return
	}
	m, err := protocol.Decode(f)
	if err != nil {
		w.e.Refuse(err.Error(), 0)
		return
	}
	w.e.Handle(m)
}

func (w *worker) flush() {
	for _, m := range w.e.Outbox() {
		if m.Type == protocol.TypeState {
			m.Memory = w.memory()
		}
		if err := w.post(m); err != nil {
			w.post(protocol.Message{Type: protocol.TypeFault, Reason: "the engine made a bad message: " + err.Error()})
		}
	}
}

// memory returns the size of the engine's wasm memory in bytes, which
// engine-worker.js keeps as bottleneckEngineMemory, or 0: the page's soak
// benchmark watches it grow, or not.
func (w *worker) memory() int {
	if mem := w.self.Get("bottleneckEngineMemory"); mem.Truthy() {
		return mem.Get("buffer").Get("byteLength").Int()
	}
	return 0
}

func (w *worker) post(m protocol.Message) error {
	if m.Type == protocol.TypeRefused {
		js.Global().Get("console").Call("warn", "engine: refused: "+m.Reason)
	}
	return wire.Post(w.self, m)
}
