// Loads bottleneck.wasm into the iframe (app.html), showing the download's
// progress in the parent page, and shows a visible error there on failure.
// Where the parent page compiled the program already (engine-start.js, in
// index.html and embed.html) it instantiates that; otherwise, or when that
// failed, it downloads the program itself.
"use strict";
(function () {
  var host = window.parent && window.parent !== window ? window.parent : window;
  var doc;
  try { doc = host.document; } catch (e) { doc = document; }
  function el(id) { return doc.getElementById(id); }
  // The wasm is about 20 MB uncompressed; used for the bar when the server
  // sends a compressed body, whose Content-Length is not the size we read.
  var APPROX_BYTES = 20 * 1024 * 1024;

  function fail(what, err) {
    var msg = "The playground could not start: " + what + (err ? " (" + (err.message || err) + ")" : "") +
      ". Try reloading the page; a current Chrome, Firefox or Safari is needed.";
    if (window.console) console.error(msg, err);
    var m = el("message");
    if (m) { m.textContent = msg; m.hidden = false; }
    var box = el("load-box");
    if (box) box.hidden = true;
    doc.documentElement.dataset.state = "error";
  }

  function progress(done, total) {
    var p = el("load-progress");
    if (!p) return;
    if (total > 0) {
      p.max = total;
      p.value = Math.min(done, total);
    } else {
      p.removeAttribute("value"); // indeterminate
    }
  }

  // expectedBytes is the size the bar counts to: the body's length, or an
  // estimate when the body is compressed.
  function expectedBytes(resp) {
    var encoded = resp.headers.get("Content-Encoding");
    if (encoded && encoded !== "identity") return APPROX_BYTES;
    return Number(resp.headers.get("Content-Length")) || 0;
  }

  async function readAll(resp) {
    var total = expectedBytes(resp);
    if (!resp.body || !resp.body.getReader) {
      progress(0, 0);
      return new Uint8Array(await resp.arrayBuffer());
    }
    var reader = resp.body.getReader();
    var chunks = [], got = 0;
    for (;;) {
      var r = await reader.read();
      if (r.done) break;
      chunks.push(r.value);
      got += r.value.length;
      progress(got, total > got ? total : 0);
    }
    var bytes = new Uint8Array(got), off = 0;
    for (var i = 0; i < chunks.length; i++) { bytes.set(chunks[i], off); off += chunks[i].length; }
    return bytes;
  }

  // barFollows moves the progress bar as resp's body arrives, by reading a
  // copy of it (Response.clone), while the compiler reads resp itself: a
  // module compiled from the download's own response, which has its URL, is
  // one whose compiled code Chrome keeps between visits (its code cache), so
  // a returning visitor starts without compiling it again. A Response built
  // around a counting stream has no URL, and is compiled afresh every time.
  async function barFollows(resp) {
    var total = expectedBytes(resp);
    var reader = resp.clone().body.getReader();
    var got = 0;
    try {
      for (;;) {
        var r = await reader.read();
        if (r.done) return;
        got += r.value.length;
        progress(got, total > got ? total : 0);
      }
    } catch (e) {
      // A broken download: the compiler reads the same body and says why.
    }
  }

  // download fetches and instantiates the program here, in the iframe: when
  // the parent page did not compile it (capacity.html, app.html on its own,
  // or its compile failed). It returns null after saying what went wrong.
  async function download(early, go) {
    // The parent page started the training engine (engine-start.js): let its
    // download finish first, so that on a slow line training starts after
    // the engine's 0.7 MB rather than after sharing the line with our 2.9 MB.
    if (early && early.downloaded) await early.downloaded;
    var resp;
    try {
      resp = await fetch("bottleneck.wasm");
    } catch (e) { fail("the download failed", e); return null; }
    if (!resp.ok) { fail("the download failed with HTTP " + resp.status); return null; }
    if (WebAssembly.instantiateStreaming && resp.body && resp.body.getReader) {
      // Compile while the bytes arrive; a copy of them moves the bar.
      barFollows(resp);
      try {
        return await WebAssembly.instantiateStreaming(resp, go.importObject);
      } catch (e) { fail("the program did not load", e); return null; }
    }
    var bytes;
    try { bytes = await readAll(resp); } catch (e) { fail("the download broke off", e); return null; }
    try {
      return await WebAssembly.instantiate(bytes, go.importObject);
    } catch (e) { fail("the program did not load", e); return null; }
  }

  // fromParent returns the program the parent page compiled while it was parsed
  // (engine-start.js), instantiated for go, or null when there is none or
  // it failed (download then tries again here and says what went wrong).
  async function fromParent(early, go) {
    if (!early || !early.app) return null;
    try {
      var mod = await early.app;
      return { module: mod, instance: await WebAssembly.instantiate(mod, go.importObject) };
    } catch (e) {
      if (window.console) console.info("loader: the page's early compile did not serve; downloading here", e);
      return null;
    }
  }

  async function start() {
    if (typeof WebAssembly !== "object" || typeof Go !== "function") {
      fail("this browser does not run WebAssembly");
      return;
    }
    progress(0, 0);
    var early = host.bottleneckEngineStart;
    var go = new Go();
    var result = await fromParent(early, go);
    if (!result) {
      go = new Go(); // a fresh one: a failed instantiate may have used its imports
      result = await download(early, go);
      if (!result) return;
    }
    // The Go side wires the parent's controls at start: wait until they exist.
    if (doc.readyState === "loading") {
      await new Promise(function (ok) { doc.addEventListener("DOMContentLoaded", ok, { once: true }); });
    }
    // The Go side reads the size of its memory from here (debug figures).
    window.bottleneckWasmMemory = result.instance.exports.mem;
    go.run(result.instance).then(function () {
      // main returns only if the game loop ended (the Go side has said why)
      // or the program exited, e.g. on a panic that nothing caught.
      if (doc.documentElement.dataset.state !== "error") fail("the program stopped");
    }, function (e) { fail("the program stopped", e); });
  }

  start();
})();
