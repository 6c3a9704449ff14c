//go:build js && wasm

package enginehost

import (
	"fmt"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/wire"
)

// Play runs the playground's training in one engine worker: the game's
// Update hands it the app's commands (Send), and the engine's states come
// back through the game's queue to Taken (play.App.Take). Commands made
// before the engine has started wait here, so that the page answers its
// controls from the first frame. Set the four funcs, then Start.
type Play struct {
	pool    Pool
	running bool               // a worker is started
	pending []protocol.Message // for the engine, until it has started
	dead    string             // why the engine died, or ""

	Push  func(func())           // the game's queue
	Taken func(protocol.Message) // a message from the engine, in the queue
	Died  func(reason string)    // the engine died, in the queue
	Guard func(where string)     // recovers a panic in a worker's event
	// Direct, if set, sees each message from the engine in the worker's
	// message event, before the queue: one it takes (returns true) is not
	// queued. A hidden page runs no frames to drain the queue.
	Direct func(protocol.Message) bool
}

// Running reports whether a worker is started and alive.
func (p *Play) Running() bool { return p.running }

// DebugFault kills the engine for the browser tests: a Go panic, or with
// jsError an uncaught JavaScript error (Pool.DebugFault).
func (p *Play) DebugFault(jsError bool) { p.pool.DebugFault(0, jsError) }

// Start takes over the engine the parent page started from the link
// (engine-start.js), keeping its progress (play.App.Adopt), or else
// compiles the engine and starts its worker once it is compiled. Taken
// and Died are called from the game's queue.
func (p *Play) Start(app *play.App) {
	if hs := takeHeadStart(); hs.worker.Truthy() {
		cfg := ""
		if c, err := link.Config(hs.link); err == nil {
			cfg = c.Encode()
		}
		app.Adopt(hs.commands, cfg, hs.last)
		p.pool.Adopt(hs.worker, hs.module, p.handler(), p.Guard)
		p.running = true
		return
	}
	p.pool.Compile(p.Push)
	p.pool.WhenCompiled(func() { p.Restart(p.pending) })
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

// Restart starts a new worker in place of the current one and sends it
// msgs: what the new engine needs to continue.
func (p *Play) Restart(msgs []protocol.Message) {
	p.Stop()
	p.pending = msgs
	if p.pool.failed != "" {
		p.dead = "the training engine could not start: " + p.pool.failed
		p.Died(p.dead)
		return
	}
	if !p.pool.module.Truthy() {
		return // start's whenCompiled will do it
	}
	p.dead = ""
	p.pool.Start(1, p.handler(), p.Guard)
	p.running = true
	p.Send(nil)
}

// handler passes the worker's states to taken through the game's queue, and
// its failure to died.
func (p *Play) handler() Handler {
	push, taken, died, direct := p.Push, p.Taken, p.Died, p.Direct
	return Handler{
		Message: func(_ int, m protocol.Message) {
			if direct != nil && p.dead == "" && direct(m) {
				return
			}
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
		Dead: func(_ int, reason string) {
			push(func() { p.die("the training engine stopped: " + reason); died(p.dead) })
		},
	}
}

// die stops the worker and keeps why.
func (p *Play) die(reason string) {
	p.Stop()
	p.dead = reason
}

// Stop terminates the worker (the page failed): training stops at once,
// until restart.
func (p *Play) Stop() {
	p.pool.Stop()
	p.running = false
	p.pending = nil
}

// Send posts msgs, after what is pending, once the engine runs.
func (p *Play) Send(msgs []protocol.Message) {
	p.pending = append(p.pending, msgs...)
	if !p.running {
		return
	}
	for _, m := range p.pending {
		if err := p.pool.Post(0, m); err != nil {
			p.die(fmt.Sprintf("the page made a bad message for the engine: %v", err))
			return
		}
	}
	p.pending = nil
}
