//go:build js && wasm

package main

// playEngine runs the playground's training in one engine worker
// (wasm/worker, through engines): Update hands it the app's commands, and
// the engine's states come back through the game's queue to App.Take.
// Commands made before the engine has started wait here, so that the page
// answers its controls from the first frame.

import (
	"fmt"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/wire"
)

type playEngine struct {
	eng     engines
	running bool               // a worker is started
	pending []protocol.Message // for the engine, until it has started
	dead    string             // why the engine died, or ""

	push  func(func())           // the game's queue
	taken func(protocol.Message) // a message from the engine, in the queue
	died  func(reason string)    // the engine died, in the queue
	guard func(where string)     // recovers a panic in a worker's event
}

// start takes over the engine the parent page started from the link
// (engine-start.js), keeping its progress (play.App.Adopt), or else
// compiles the engine and starts its worker once it is compiled. p's taken
// and died are called from the game's queue.
func (p *playEngine) start(app *play.App) {
	if hs := takeHeadStart(); hs.worker.Truthy() {
		cfg := ""
		if c, err := link.Config(hs.link); err == nil {
			cfg = c.Encode()
		}
		app.Adopt(hs.commands, cfg, hs.last)
		p.eng.adopt(hs.worker, hs.module, p.handler(), p.guard)
		p.running = true
		return
	}
	p.eng.compile(p.push)
	p.eng.whenCompiled(func() { p.restart(p.pending) })
}

// headStart is what the parent page's engine-start.js hands over: a worker
// that has taken commands commands since it started, all of them from link
// (the page's fragment when the script ran), and the last state the page
// took from it (zero if none, or if it does not decode).
type headStart struct {
	worker, module js.Value
	commands       int
	link           string
	last           protocol.Message
}

// takeHeadStart takes the parent page's engine, if it started one that is
// alive; the zero headStart (worker undefined) if not.
func takeHeadStart() headStart {
	start := js.Global().Get("parent").Get("bottleneckEngineStart")
	if !start.Truthy() || start.Get("handOver").Type() != js.TypeFunction {
		return headStart{}
	}
	h := start.Call("handOver")
	if !h.Truthy() || !h.Get("worker").Truthy() || !h.Get("module").Truthy() {
		return headStart{}
	}
	hs := headStart{worker: h.Get("worker"), module: h.Get("module"), link: h.Get("link").String()}
	if c := h.Get("commands"); c.Type() == js.TypeNumber {
		hs.commands = c.Int()
	}
	if f, err := wire.FrameOf(h.Get("last")); err == nil {
		if m, err := protocol.Decode(f); err == nil {
			hs.last = m
		}
	}
	return hs
}

// restart starts a new worker in place of the current one and sends it
// msgs: what the new engine needs to continue.
func (p *playEngine) restart(msgs []protocol.Message) {
	p.stop()
	p.pending = msgs
	if p.eng.failed != "" {
		p.dead = "the training engine could not start: " + p.eng.failed
		p.died(p.dead)
		return
	}
	if !p.eng.module.Truthy() {
		return // start's whenCompiled will do it
	}
	p.dead = ""
	p.eng.start(1, p.handler(), p.guard)
	p.running = true
	p.send(nil)
}

// handler passes the worker's states to taken through the game's queue, and
// its failure to died.
func (p *playEngine) handler() engineHandler {
	push, taken, died := p.push, p.taken, p.died
	return engineHandler{
		message: func(_ int, m protocol.Message) {
			switch m.Type {
			case protocol.TypeFault:
				push(func() { p.die("the training engine failed: " + m.Reason); died(p.dead) })
			case protocol.TypeRefused:
				js.Global().Get("console").Call("warn", "engine refused a command: "+m.Reason)
			default:
				push(func() {
					if p.dead == "" {
						taken(m)
					}
				})
			}
		},
		dead: func(_ int, reason string) {
			push(func() { p.die("the training engine stopped: " + reason); died(p.dead) })
		},
	}
}

// die stops the worker and keeps why.
func (p *playEngine) die(reason string) {
	p.stop()
	p.dead = reason
}

// stop terminates the worker (the page failed): training stops at once,
// until restart.
func (p *playEngine) stop() {
	p.eng.stop()
	p.running = false
	p.pending = nil
}

// send posts msgs, after what is pending, once the engine runs.
func (p *playEngine) send(msgs []protocol.Message) {
	p.pending = append(p.pending, msgs...)
	if !p.running {
		return
	}
	for _, m := range p.pending {
		if err := p.eng.post(0, m); err != nil {
			p.die(fmt.Sprintf("the page made a bad message for the engine: %v", err))
			return
		}
	}
	p.pending = nil
}
