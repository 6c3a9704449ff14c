// Starts the training engine (engine.wasm, built from wasm/worker) in a
// dedicated Web Worker. The page compiles the module once and posts it here
// as the first message, {engineModule: WebAssembly.Module}; every later
// message is a protocol frame for the Go side, which takes over onmessage.
// Frames that arrive before Go has started wait in self.bottleneckEarly.
"use strict";
importScripts("wasm_exec.js");

// The protocol version of the heads this script sends: protocol.Version
// (wasm/internal/protocol), which TestScriptsSpeakTheProtocolsVersion ties it to.
var PROTOCOL_VERSION = 1;

function fault(reason) {
  self.postMessage({ head: JSON.stringify({ v: PROTOCOL_VERSION, type: "fault", reason: reason }) });
}

self.bottleneckEarly = [];
self.onmessage = function (e) {
  var mod = e.data && e.data.engineModule;
  if (!(mod instanceof WebAssembly.Module)) {
    fault("the engine worker needs the compiled engine module first");
    return;
  }
  self.onmessage = function (e) { self.bottleneckEarly.push(e.data); };
  var go = new Go();
  WebAssembly.instantiate(mod, go.importObject).then(function (inst) {
    // The Go side reports the size of its memory from here (its states' mem).
    self.bottleneckEngineMemory = inst.exports.mem;
    // go.run settles only when the Go program ends, which it never does
    // unless it crashed.
    return go.run(inst).then(function () { fault("the engine stopped"); });
  }).catch(function (err) {
    fault("the engine could not start: " + (err && err.message || err));
  });
};
