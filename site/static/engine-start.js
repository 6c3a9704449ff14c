// Starts the training engine from the page itself, while the canvas's much
// larger program (bottleneck.wasm: about 2.9 MB compressed, the engine about
// 0.7 MB) is still on its way. The engine trains the link's run at once
// (a protocol Link: it reads the fragment itself, wasm/internal/link) and
// this script shows its progress in the status line, so that a slow
// connection sees training within seconds rather than after the whole app
// has arrived. When the canvas's Go program starts it takes the engine over
// with handOver (wasm/internal/enginehost, Play.Start) and keeps its progress (play.App.Adopt).
//
// It also has the canvas's program (`app`) compiled, in a worker
// (compile-worker.js), once the engine's download is over (`downloaded`),
// so that the two downloads do not share a slow line; the canvas's loader
// (loader.js) instantiates it in the iframe.
"use strict";
(function () {
  // The protocol version of every head this script sends: protocol.Version
  // (wasm/internal/protocol), which TestScriptsSpeakTheProtocolsVersion ties it to.
  var PROTOCOL_VERSION = 1;
  var start = {
    link: location.hash.replace(/^#/, ""),
    sent: 0,         // playground commands sent to the engine
    dead: "",        // why the engine is not there, or ""
    adopted: false,  // handOver was called
    last: null,      // the head of the last state shown
    lastFrame: null, // and its frame, for the canvas to show at once
    shownAtMs: 0,    // performance.now() when a trained step was first shown
    pictureShownAtMs: 0, // and a picture of the trained network
    picture: null,   // the picture on screen: {step, svg}
    module: null,
    worker: null,
    downloaded: Promise.resolve(),
    app: null,       // a promise of the canvas's compiled program, or null
    appSource: "",   // the URL of the response it was compiled from
    compiler: null,  // the worker that compiled it (compile-worker.js)
  };
  window.bottleneckEngineStart = start;
  // The page's first picture (#preview, data-built) is of the default run
  // before training, drawn when the site was built: a link to any other run
  // hides it (style.css) until the engine's own picture of that run arrives.
  if (start.link) document.documentElement.setAttribute("data-link", "");
  if (typeof WebAssembly !== "object" || typeof Worker !== "function" || typeof fetch !== "function") {
    start.dead = "this browser cannot run the training engine";
    return;
  }

  function el(id) { return document.getElementById(id); }
  function setText(id, text) {
    var e = el(id);
    if (e && e.textContent !== text) e.textContent = text;
  }

  // shapeShown is the network's shape as the status line shows it.
  function shapeShown() {
    var e = el("stat-shape");
    return e ? e.textContent : "";
  }

  // show writes a state into the status line: the texts the engine sent
  // with it (package statusline, which the page's Go program writes the
  // same way), each into the element "stat-" + its name. This script
  // formats none of them.
  function show(h) {
    start.last = h;
    if (!start.shownAtMs && h.step > 0) start.shownAtMs = performance.now();
    var status = h.status || {};
    for (var name in status) {
      if (Object.prototype.hasOwnProperty.call(status, name)) setText("stat-" + name, String(status[name]));
    }
    var label = document.querySelector("#load-box label");
    if (label) label.textContent = "Training has started; loading the live drawing…";
  }

  // This script acknowledges the engine's states at most every ackEveryMs.
  // The engine sends its next state only after an ack and trains on
  // meanwhile, so this paces the states the page's main thread parses and
  // shows while the canvas's program starts there. With an ack at once, and
  // the canvas's program compiled in a worker, the canvas's first frame
  // came about 0.4 s later than with this pacing (BenchmarkLoad, docs/performance.md).
  var ackEveryMs = 100, lastAckMs = 0, ackTimer = 0, ackSeq = 0;
  function ack() {
    clearTimeout(ackTimer);
    ackTimer = 0;
    lastAckMs = performance.now();
    start.worker.postMessage({ head: JSON.stringify({ v: PROTOCOL_VERSION, type: "ack", seq: ackSeq }) });
  }

  // While the canvas's program loads, the page shows a picture of the
  // network in its place: the engine draws it on request (a protocol Draw,
  // answered by a Figure: the SVG that "Save SVG" would save, from
  // wasm/figure, in the dark theme on a dark page) and the page redraws it
  // at most every figureEveryMs, and after at least four times as long as
  // the last one took, so that a large network's drawing does not eat its
  // training. A picture of more than
  // oneFigureOver bytes (a network of some hundreds of units) is drawn once:
  // the main thread, which is starting the canvas's program, paints it.
  // The picture leaves with the loading box, at the canvas's first frame
  // (bridge.markReady).
  var figureEveryMs = 500, oneFigureOver = 1 << 20;
  var figureAskedMs = 0, figureTakenMs = -Infinity, figureCostMs = 0, figureURL = "", figureLarge = false;
  function askFigure() {
    if (figureAskedMs || figureLarge || start.adopted || start.dead || !el("preview")) return;
    var now = performance.now();
    if (now - figureTakenMs < Math.max(figureEveryMs, 4 * figureCostMs)) return;
    figureAskedMs = now;
    // In the page's colour scheme, as the canvas will draw it.
    var dark = !!(window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches);
    start.worker.postMessage({ head: JSON.stringify(dark ? { v: PROTOCOL_VERSION, type: "draw", dark: true } : { v: PROTOCOL_VERSION, type: "draw" }) });
  }
  function showFigure(h, svg) {
    var now = performance.now();
    figureCostMs = now - figureAskedMs;
    figureAskedMs = 0;
    figureTakenMs = now;
    var img = el("preview");
    if (!img || typeof svg !== "string" || typeof Blob !== "function" || !window.URL) return;
    figureLarge = svg.length > oneFigureOver;
    var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    // The build's picture comes in a <picture> with a dark-theme <source>,
    // which would win over the src set here.
    var sources = img.parentNode ? img.parentNode.querySelectorAll("source") : [];
    for (var i = 0; i < sources.length; i++) sources[i].remove();
    img.onload = function () {
      if (figureURL) URL.revokeObjectURL(figureURL);
      figureURL = url;
      img.removeAttribute("data-built");
      img.alt = "The network being trained, " + shapeShown() + " at step " + h.step +
        ": a still picture while the live drawing loads";
      img.dataset.step = String(h.step);
      img.hidden = false;
      start.picture = { step: h.step, svg: svg };
      if (!start.pictureShownAtMs && h.step > 0) start.pictureShownAtMs = performance.now();
    };
    img.onerror = function () { URL.revokeObjectURL(url); };
    img.src = url;
  }

  function take(data) {
    var h;
    try { h = JSON.parse(data && data.head); } catch (e) { return; }
    if (!h || typeof h !== "object") return;
    if (h.type === "figure") {
      showFigure(h, data.figure);
    } else if (h.type === "state") {
      if (h.metrics) show(h);
      // A running link's first state is of the untrained network: its
      // first trained step follows within a slice, so the first picture is
      // of that (the main thread, busy starting the canvas's program,
      // paints one picture fewer).
      if (h.step > 0 || !h.running) askFigure();
      start.lastFrame = data;
      ackSeq = h.seq;
      var wait = lastAckMs + ackEveryMs - performance.now();
      if (wait <= 0) ack();
      else ackTimer = setTimeout(ack, wait);
    } else if (h.type === "fault") {
      die("the training engine failed: " + h.reason);
    } else if (h.type === "refused" && window.console) {
      // A link the engine leaves to the page (a tour step, a bad value): the
      // page's Go program reads it and says what is wrong.
      console.info("engine-start: the engine left the link to the page: " + h.reason);
    }
  }

  function die(reason) {
    start.dead = reason;
    if (start.worker) start.worker.terminate();
  }

  var worker;
  try {
    worker = new Worker("engine-worker.js");
  } catch (e) {
    start.dead = "the training engine could not start: " + (e && e.message || e);
    return;
  }
  start.worker = worker;
  worker.onmessage = function (e) { take(e.data); };
  worker.onerror = function (e) {
    e.preventDefault();
    die("the training engine stopped: " + (e.message || "the worker failed"));
  };

  var response = fetch("engine.wasm");
  // The response is read twice: once by the compiler, once (a copy) to know
  // when the download is over.
  start.downloaded = response.then(function (r) { return r.clone().arrayBuffer(); }).then(function () {}, function () {});
  // The canvas's program is compiled from here as well, as soon as the
  // engine's download is over. This script runs while the page is parsed;
  // the iframe's loader would start the download only after the iframe's own
  // page and scripts have arrived (about 0.4 s later on localhost, where
  // compiling the 17 MB program is what the canvas's first frame waits for).
  // A worker compiles it (compile-worker.js says why), and the page keeps
  // that worker (`compiler`) for Chrome's code cache. loader.js
  // instantiates the module in the iframe, and downloads the program itself
  // if this failed (it then reports why).
  if (WebAssembly.compileStreaming) {
    start.app = start.downloaded.then(function () {
      return new Promise(function (resolve, reject) {
        var compiler = start.compiler = new Worker("compile-worker.js");
        var bar = el("load-progress");
        compiler.onmessage = function (e) {
          var d = e.data || {};
          if (d.module) {
            start.appSource = d.url;
            resolve(d.module);
          } else if (d.error) {
            reject(new Error(d.error));
          } else if (bar && d.total > d.progress) {
            bar.max = d.total;
            bar.value = d.progress;
          }
        };
        compiler.onerror = function (e) {
          e.preventDefault();
          reject(new Error(e.message || "the compiling worker failed"));
        };
        compiler.postMessage({ compile: "bottleneck.wasm" });
      });
    });
    start.app.catch(function () {}); // loader.js reads the failure
  }

  var compiled = WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(response)
    : response.then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.compile(b); });
  compiled.then(function (mod) {
    if (start.adopted || start.dead) return;
    start.module = mod;
    worker.postMessage({ engineModule: mod });
    worker.postMessage({ head: JSON.stringify({ v: PROTOCOL_VERSION, type: "link", config: start.link }) });
    start.sent = 1;
  }, function (err) {
    die("the training engine could not be loaded: " + (err && err.message || err));
  });

  // handOver gives the engine to the canvas's Go program: the worker, its
  // compiled module, the commands it has taken, the link it was given and
  // the last state shown (acknowledged already).
  // From then on this script leaves it alone. It returns null when there is
  // nothing to take over (not compiled yet, or dead); the program then
  // starts its own engine, and this one stops.
  start.handOver = function () {
    if (start.adopted) return null;
    start.adopted = true;
    if (!start.module || start.dead) {
      if (!start.dead) die("the page started its own engine");
      return null;
    }
    worker.onmessage = null;
    worker.onerror = null;
    if (ackTimer) ack(); // the last state shown is handed over acknowledged
    return { worker: worker, module: start.module, commands: start.sent, link: start.link, last: start.lastFrame };
  };
})();
