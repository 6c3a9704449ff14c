// Makes the site work offline and installable (site/offline says how): it
// registers the service worker (sw.js) once the page has started, so that
// the worker's precaching does not share a slow line with the first visit,
// and offers "A new version is ready · Reload" when a new build has been
// installed in the background.
//
// It registers only in a page that is the top of its tab: embed.html framed
// by another site keeps nothing in storage (and a frame on another site
// would get a registration of that site's own, not this one).
//
// window.bottleneckOffline reports what happened, for the tests: state is
// "unsupported" (no service workers, e.g. plain http on another host),
// "framed", "waiting" (for the page to start), "registering", "installing"
// (the first build), "ready" (this page's build works offline), "update"
// (a new build waits; the notice shows), "failed" (the build could not be
// kept for offline use; the page works online as before); version is the
// build that serves this page ("" when none does); reason says why it failed.
"use strict";
(function () {
  var off = window.bottleneckOffline = { state: "unsupported", version: "", reason: "" };
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  if (window.top !== window) { off.state = "framed"; return; }
  var sw = navigator.serviceWorker;

  // ask sends a message to a worker and resolves with its answer.
  function ask(worker, msg) {
    return new Promise(function (resolve) {
      var ch = new MessageChannel();
      ch.port1.onmessage = function (e) { resolve(e.data || {}); };
      worker.postMessage(msg, [ch.port2]);
    });
  }

  var bar = null;
  function notice(text, withButton) {
    if (!bar) {
      bar = document.createElement("div");
      bar.id = "update-ready";
      bar.className = "update-ready";
      bar.setAttribute("role", "status");
      var span = document.createElement("span");
      span.id = "update-text";
      var button = document.createElement("button");
      button.id = "update-reload";
      button.type = "button";
      button.textContent = "Reload";
      button.addEventListener("click", reload);
      bar.appendChild(span);
      bar.appendChild(button);
      document.body.appendChild(bar);
    }
    bar.querySelector("#update-text").textContent = text;
    bar.querySelector("#update-reload").hidden = !withButton;
  }

  var reg = null, reloading = false;
  function reload() {
    var waiting = reg && reg.waiting;
    if (!waiting) { location.reload(); return; }
    ask(waiting, { type: "activate" }).then(function (a) {
      if (a.activating) return; // controllerchange reloads
      notice("A new version is ready · close Bottleneck's " + (a.others === 1 ? "other tab" : a.others + " other tabs") + ", then ", true);
    });
  }
  sw.addEventListener("controllerchange", function () {
    // Only a worker asked to take over (above) does, and only when this
    // is the one window of the site: load this build's files anew.
    if (reloading) return;
    reloading = true;
    location.reload();
  });

  function offerUpdate() {
    off.state = "update";
    notice("A new version is ready · ", true);
  }

  function watch(worker) {
    worker.addEventListener("statechange", function () {
      if (worker.state === "installed" && sw.controller) offerUpdate();
      else if (worker.state === "activated" && !sw.controller) settle();
      else if (worker.state === "redundant" && !reg.waiting && !reg.active) fail("the service worker could not keep this build");
    });
  }

  function fail(reason) {
    off.state = "failed";
    off.reason = reason;
    if (window.console) console.info("offline.js: the site will not work offline: " + reason);
  }

  // settle reads the build of the worker that serves this origin now.
  function settle() {
    var w = sw.controller || (reg && reg.active);
    if (!w) return;
    ask(w, { type: "version" }).then(function (a) {
      off.version = a.version || "";
      if (off.state !== "update") off.state = "ready";
    });
  }

  // use follows the registration r: its first build, and new ones.
  function use(r) {
    reg = r;
    if (r.waiting && sw.controller) offerUpdate();
    if (r.installing) {
      if (!sw.controller) off.state = "installing";
      watch(r.installing);
    }
    r.addEventListener("updatefound", function () { if (r.installing) watch(r.installing); });
    if (r.active) settle();
  }

  // checkForUpdate has the worker read the server's sw.js, and when that is
  // of another build than the one that serves this page, registers it under
  // a URL of its own (sw.js?build=<version>), which installs it at once. The
  // browser checks for a new sw.js after a navigation too, but Chromium does
  // that, and registration.update(), about a minute later. Offline the
  // worker finds nothing: the page goes on with the build it has.
  function checkForUpdate() {
    if (!sw.controller) return;
    ask(sw.controller, { type: "latest" }).then(function (a) {
      if (!/^[0-9a-f]+$/.test(a.latest || "") || a.latest === a.version || reg.installing || reg.waiting) return;
      return sw.register("sw.js?build=" + a.latest);
    }).catch(function () {});
  }

  function register() {
    off.state = "registering";
    // A registration of an earlier visit is used as it is: registering
    // another URL would install its build again.
    sw.getRegistration().then(function (r) {
      return r || sw.register("sw.js");
    }).then(function (r) {
      use(r);
      checkForUpdate();
    }, function (err) {
      fail(String(err && err.message || err));
    });
  }

  // Register once the page has started (its data-state left "loading": the
  // first frame was drawn, or an error shown), or after 10 s at the latest.
  off.state = "waiting";
  var root = document.documentElement, done = false;
  function go() {
    if (done) return;
    done = true;
    register();
  }
  if (root.dataset.state && root.dataset.state !== "loading") { go(); return; }
  var mo = new MutationObserver(function () {
    if (root.dataset.state !== "loading") { mo.disconnect(); go(); }
  });
  mo.observe(root, { attributes: true, attributeFilter: ["data-state"] });
  setTimeout(function () { mo.disconnect(); go(); }, 10000);
})();
