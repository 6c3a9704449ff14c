// sw.js: Bottleneck's service worker (site/offline). The line above, which
// make site writes (offline.Worker), sets BUILD: {version, files: [{name,
// sha256, size}]}, every file the pages load, relative to the scope.
//
// Install: every file is fetched (revalidated, so a warm HTTP cache answers
// 304 and nothing is downloaded twice), checked against its SHA-256 and kept
// in the cache bottleneck-<version>. The body kept is the decoded one the
// browser got for the plain name (the server may have sent a .br or .gz copy
// with Content-Encoding); the .br and .gz names are never asked for. When a
// file is missing or its bytes are not this build's (a server half-way
// through a deploy), the install fails, its cache is deleted, and the pages
// go on as before: online from the network, or from the build installed
// earlier.
//
// Activate: the caches of other builds are deleted. A new build waits while
// pages of the old one are open (the page offers "A new version is ready ·
// Reload", site/static/offline.js), and takes over only when the one window
// that asks is the only one, so that no page ever runs files of two builds.
//
// Fetch: a GET of this origin for a precached file, with or without a query
// (app.html?mode=capacity), is answered from this build's cache; "" (the
// scope itself) is index.html. Anything else, and other origins, go to the
// network untouched: nothing else is cached.
"use strict";

const CACHE = "bottleneck-" + BUILD.version;
const NAMES = new Set(BUILD.files.map(function (f) { return f.name; }));

// scopePath is the path of the worker's scope, e.g. "/" or "/bottleneck/".
function scopePath() {
  return new URL(self.registration.scope).pathname;
}

// nameOf returns the precached file a same-origin URL asks for, or "".
function nameOf(url) {
  if (url.origin !== self.location.origin) return "";
  var base = scopePath();
  if (url.pathname.indexOf(base) !== 0) return "";
  var name = url.pathname.slice(base.length);
  if (name === "") name = "index.html";
  try { name = decodeURIComponent(name); } catch (e) { return ""; }
  return NAMES.has(name) ? name : "";
}

function hex(buf) {
  var b = new Uint8Array(buf), s = "";
  for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}

// keep fetches one file, checks it and puts it into cache.
async function keep(cache, f) {
  var url = new URL(f.name, self.registration.scope).href;
  var resp = await fetch(url, { cache: "no-cache", credentials: "same-origin", redirect: "error" });
  if (!resp.ok) throw new Error(f.name + ": HTTP " + resp.status);
  var sum = hex(await crypto.subtle.digest("SHA-256", await resp.clone().arrayBuffer()));
  if (sum !== f.sha256) throw new Error(f.name + ": not the bytes of build " + BUILD.version);
  await cache.put(url, resp);
}

async function precache() {
  // This build may be kept whole already: registered again under another
  // URL (offline.js), it installs again. Its cache may serve pages now.
  if (await caches.has(CACHE)) {
    var kept = await (await caches.open(CACHE)).keys();
    if (kept.length === BUILD.files.length) return;
  }
  await caches.delete(CACHE); // what an earlier, failed try left
  var cache = await caches.open(CACHE);
  try {
    // Small files first, a few at a time; the two programs last.
    var files = BUILD.files.slice().sort(function (a, b) { return a.size - b.size; });
    var next = 0;
    async function run() {
      while (next < files.length) await keep(cache, files[next++]);
    }
    await Promise.all([run(), run(), run()]);
    var keys = await cache.keys();
    if (keys.length !== files.length) throw new Error("the cache holds " + keys.length + " of " + files.length + " files");
  } catch (e) {
    await caches.delete(CACHE);
    console.info("sw.js: build " + BUILD.version + " not installed for offline use: " + (e && e.message || e));
    throw e;
  }
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache());
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("bottleneck-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }));
});

async function answer(request, name) {
  var cache = await caches.open(CACHE);
  var hit = await cache.match(new URL(name, self.registration.scope).href, { ignoreVary: true });
  return hit || fetch(request);
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET" || req.headers.has("Range")) return;
  var name = nameOf(new URL(req.url));
  if (name) event.respondWith(answer(req, name));
});

// Messages from the pages, each with a MessagePort to answer on:
// {type: "version"} answers {version}; {type: "latest"} reads the server's
// sw.js and answers {version, latest: its version, "" when unknown};
// {type: "activate"} makes this
// worker, if it waits, take over when the asking window is the only one
// open of this scope ({activating: true}), else answers {others: count}.
self.addEventListener("message", function (event) {
  var d = event.data || {}, port = event.ports && event.ports[0];
  if (!port) return;
  if (d.type === "version") {
    port.postMessage({ version: BUILD.version });
  } else if (d.type === "latest") {
    // The worker reads it, not the page: offline the failed fetch is then
    // reported in the worker's console, not as an error of the page.
    event.waitUntil(fetch(new URL("sw.js", self.registration.scope).href, { cache: "no-store" }).then(function (r) {
      return r.ok ? r.text() : "";
    }).then(function (text) {
      var m = /^const BUILD = \{"version":"([0-9a-f]+)"/.exec(text);
      port.postMessage({ version: BUILD.version, latest: m ? m[1] : "" });
    }, function () {
      port.postMessage({ version: BUILD.version, latest: "" });
    }));
  } else if (d.type === "activate") {
    event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
      // The pages' frames (app.html) are windows too; count the tabs.
      var tops = list.filter(function (c) { return c.frameType !== "nested"; });
      var others = tops.filter(function (c) { return !event.source || c.id !== event.source.id; }).length;
      if (others > 0) {
        port.postMessage({ others: others });
        return;
      }
      return self.skipWaiting().then(function () { port.postMessage({ activating: true }); });
    }));
  }
});
