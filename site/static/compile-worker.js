// Compiles the canvas's program (bottleneck.wasm) off the page's main
// thread, for engine-start.js, and posts the compiled module back.
//
// Why a worker: a streaming compile is fed the download's bytes on the
// thread that asked for it. On the page's main thread that was one task of
// about a second on the 2-core test machine (the 17 MB program), during
// which the page could not show the engine's first states: they waited in
// its queue, and the status line showed training only after 2 s or more
// instead of about 1 s (BenchmarkLoad's ms-to-step-shown).
//
// It compiles the download's own response, which has its URL, so that
// Chrome keeps the compiled code for the next visit (its code cache). Chrome
// writes that cache later, once V8 has optimised enough of the program,
// through the context that compiled it: so the page keeps this worker, idle,
// after the module has arrived (terminated at once, no cache was written).
//
// Messages in: {compile: url}. Out: {progress: bytes read, total: expected
// bytes or 0}, then {module: WebAssembly.Module, url: the response's URL}
// or {error: why}.
"use strict";
self.onmessage = function (e) {
  var url = e.data && e.data.compile;
  if (typeof url !== "string") {
    self.postMessage({ error: "compile-worker: no program to compile" });
    return;
  }
  fetch(url).then(function (resp) {
    if (resp.ok && resp.body) countBytes(resp);
    return WebAssembly.compileStreaming(resp).then(function (mod) {
      self.postMessage({ module: mod, url: resp.url });
    });
  }).catch(function (err) {
    self.postMessage({ error: String(err && err.message || err) });
  });
};

// countBytes posts how much of resp's body has arrived, for the page's
// loading bar, by reading a copy of it (Response.clone): at most one
// message per 256 KiB. A compressed body's length is not the size read, so
// the total is then about the program's size (20 MB, as loader.js says).
function countBytes(resp) {
  var encoded = resp.headers.get("Content-Encoding");
  var total = encoded && encoded !== "identity" ? 20 * 1024 * 1024 : Number(resp.headers.get("Content-Length")) || 0;
  var reader = resp.clone().body.getReader();
  var got = 0, told = 0;
  function next() {
    reader.read().then(function (chunk) {
      if (chunk.done) return;
      got += chunk.value.length;
      if (got - told >= 256 * 1024) {
        told = got;
        self.postMessage({ progress: got, total: total });
      }
      next();
    }, function () {}); // a broken download: the compiler says why
  }
  next();
}
