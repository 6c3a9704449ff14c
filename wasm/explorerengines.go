//go:build js && wasm

package main

import (
	"github.com/bottleneck-playground/bottleneck/wasm/explorer"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// explorerEngines lends the capacity explorer (wasm/explorer) an engine
// pool: explorer.Engines over engines.
type explorerEngines struct{ e engines }

func (x *explorerEngines) Compile(push func(func())) { x.e.compile(push) }

func (x *explorerEngines) Compiled() (bool, string) { return x.e.module.Truthy(), x.e.failed }

func (x *explorerEngines) WhenCompiled(f func()) { x.e.whenCompiled(f) }

func (x *explorerEngines) Start(n int, h explorer.Handler, guard func(string)) {
	x.e.start(n, engineHandler{message: h.Message, dead: h.Dead}, guard)
}

func (x *explorerEngines) Post(i int, m protocol.Message) error { return x.e.post(i, m) }

func (x *explorerEngines) Stop() { x.e.stop() }

func (x *explorerEngines) Live() int { return len(x.e.workers) }

func (x *explorerEngines) DebugPanic(i int) { x.e.debugPanic(i) }
