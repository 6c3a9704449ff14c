// Package site serves the built Bottleneck site: a folder of static files
// (index.html, CSS, the loader JavaScript, wasm_exec.js and bottleneck.wasm
// with its precompressed copies). The site has no backend, so this file server
// is the whole server, used by the local preview command and by the browser
// tests alike, so that the tests see exactly the headers that a visitor sees.
package site

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
)

// ContentSecurityPolicy is the policy sent with every response. The page runs
// only its own files: 'wasm-unsafe-eval' is the one exception, because the
// browser needs it to compile bottleneck.wasm, and it still forbids eval of
// JavaScript. Inline scripts and styles are refused, so the static files must
// keep all script and style in their own files. data: and blob: images let
// the app show pictures it makes itself (for example canvas exports).
// worker-src names the training engine's workers (engine-worker.js) and the
// worker that compiles the canvas's program (compile-worker.js), which
// default-src would allow too, so that the policy says where they come from.
const ContentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"worker-src 'self'; " +
	"style-src 'self'; " +
	"img-src 'self' data: blob:; " +
	"connect-src 'self'; " +
	"frame-src 'self'; " +
	"frame-ancestors 'self'; " +
	"object-src 'none'; " +
	"base-uri 'none'; " +
	"form-action 'none'"

// EmbeddablePolicy is ContentSecurityPolicy for the files that any site may
// frame: embed.html, the page made for embedding, and the canvas page
// app.html that it frames in turn (frame-ancestors is checked against every
// ancestor, not only the parent, so the canvas inside an embed on another
// site must allow that site too; framed alone, app.html is an empty canvas,
// as its controls live in the page around it). index.html, capacity.html and
// every other file keep frame-ancestors 'self'.
var EmbeddablePolicy = strings.Replace(ContentSecurityPolicy, "frame-ancestors 'self'", "frame-ancestors *", 1)

// embeddable lists the files served with EmbeddablePolicy.
var embeddable = map[string]bool{"embed.html": true, "app.html": true}

// PolicyFor returns the Content-Security-Policy of the file at name, a path
// relative to the site's folder.
func PolicyFor(name string) string {
	if embeddable[name] {
		return EmbeddablePolicy
	}
	return ContentSecurityPolicy
}

// MetaPolicy returns ContentSecurityPolicy without the directives that a
// <meta http-equiv="Content-Security-Policy"> ignores (frame-ancestors,
// report-uri, sandbox). Every page carries it (site/pages), for static hosts
// that send no headers.
func MetaPolicy() string {
	var keep []string
	for d := range strings.SplitSeq(ContentSecurityPolicy, ";") {
		d = strings.TrimSpace(d)
		name, _, _ := strings.Cut(d, " ")
		switch name {
		case "frame-ancestors", "report-uri", "sandbox":
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, "; ")
}

// contentTypes fixes the types that matter for the site. The server does not
// rely on mime.TypeByExtension for them, because that reads the system's
// mime tables, which differ between machines, and a wrong type for .wasm
// breaks WebAssembly.instantiateStreaming while a wrong type for .js is
// refused by the browser under nosniff.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",

	// The web app manifest (site/offline writes it).
	".webmanifest": "application/manifest+json",
}

// encodings lists the precompressed copies that the server looks for, best
// first: brotli makes the smaller wasm, so it wins when the browser takes
// both.
var encodings = []struct {
	name, suffix string
}{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// Handler returns a handler that serves the files of the folder dir.
//
// Every response carries ContentSecurityPolicy (EmbeddablePolicy for the
// embeddable pages, see PolicyFor), X-Content-Type-Options:
// nosniff and Cache-Control: no-cache (the files have fixed names, so a
// browser must revalidate them to see a new build). A path that ends in "/"
// serves the index.html of that folder. When the request accepts br or gzip
// and FILE.br or FILE.gz exists next to FILE, the handler sends that copy
// with Content-Encoding and the Content-Type of FILE. The .br and .gz files
// are never served under their own names: they are encodings of another
// file, not resources; nor are the host configurations that make site
// writes next to the files (see Served). The headers come from the site's
// header table (FileHeaders), from which the configurations for other
// hosts are generated too. Paths cannot leave dir: a ".." segment is
// refused and the files are opened through os.DirFS.
func Handler(dir string) http.Handler {
	return &handler{fsys: os.DirFS(dir)}
}

// handler is the http.Handler that Handler returns.
type handler struct {
	fsys fs.FS
}

// ServeHTTP serves one file of the folder.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	setHeaders(hdr, ResponseHeaders(""))

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}

	// Refuse ".." outright rather than cleaning it away, so that a request
	// that tries to climb out of dir gets an error and not some other file.
	upath := r.URL.Path
	if !strings.HasPrefix(upath, "/") {
		upath = "/" + upath
	}
	for seg := range strings.SplitSeq(upath, "/") {
		if seg == ".." {
			http.Error(w, "400 bad request: invalid path", http.StatusBadRequest)
			return
		}
	}

	name := strings.TrimPrefix(path.Clean(upath), "/")
	if name == "" {
		name = "."
	}
	if strings.HasSuffix(upath, "/") {
		name = path.Join(name, "index.html")
	}
	if !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	setHeaders(hdr, ResponseHeaders(name))
	if !Served(name) {
		http.NotFound(w, r)
		return
	}

	info, err := fs.Stat(h.fsys, name)
	if err != nil {
		serveError(w, r, err)
		return
	}
	if info.IsDir() {
		// Send "/sub" to "/sub/" so that relative links in sub/index.html
		// resolve inside sub, as they would on any static host.
		target := path.Base(upath) + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}

	setHeaders(hdr, FileHeaders(name))

	// Look for precompressed copies. Vary goes on every response of a file
	// that has one, also the identity response, so that a cache does not
	// hand a compressed body to a browser that cannot read it, or the
	// reverse.
	servedName, servedInfo := name, info
	varied := false
	for _, enc := range encodings {
		cinfo, err := fs.Stat(h.fsys, name+enc.suffix)
		if err != nil || !cinfo.Mode().IsRegular() {
			continue
		}
		if !varied {
			hdr.Add("Vary", "Accept-Encoding")
			varied = true
		}
		if servedName == name && accepts(r.Header.Values("Accept-Encoding"), enc.name) {
			servedName, servedInfo = name+enc.suffix, cinfo
			hdr.Set("Content-Encoding", enc.name)
		}
	}

	f, err := h.fsys.Open(servedName)
	if err != nil {
		hdr.Del("Content-Encoding")
		serveError(w, r, err)
		return
	}
	defer f.Close()
	rs, ok := f.(readSeeker)
	if !ok {
		// os.DirFS files are *os.File, which seek; this only guards
		// against a future fs.FS that does not.
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	// The Content-Type is already set, so ServeContent does not sniff the
	// body, which matters most for the compressed copies.
	http.ServeContent(w, r, name, servedInfo.ModTime(), rs)
}

// setHeaders sets each of headers in hdr, replacing earlier values.
func setHeaders(hdr http.Header, headers []Header) {
	for _, h := range headers {
		hdr.Set(h.Name, h.Value)
	}
}

// readSeeker is what http.ServeContent needs from a file.
type readSeeker interface {
	Read([]byte) (int, error)
	Seek(int64, int) (int64, error)
}

// contentType returns the Content-Type for the file name. An unknown
// extension gets application/octet-stream, because under nosniff a guess by
// the browser is not possible anyway.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// accepts reports whether the Accept-Encoding header values allow the
// content coding coding: it is listed by name or through "*", and its q
// value is not 0.
func accepts(header []string, coding string) bool {
	named, star := -1.0, -1.0
	for _, value := range header {
		for item := range strings.SplitSeq(value, ",") {
			token, params, _ := strings.Cut(item, ";")
			token = strings.ToLower(strings.TrimSpace(token))
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = f
					}
				}
			}
			switch token {
			case coding:
				named = q
			case "*":
				star = q
			}
		}
	}
	if named >= 0 {
		return named > 0
	}
	return star > 0
}

// serveError answers a failed open or stat: 404 when the file is missing,
// 403 when it cannot be read, 500 otherwise.
func serveError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		http.NotFound(w, r)
	case errors.Is(err, fs.ErrPermission):
		http.Error(w, "403 forbidden", http.StatusForbidden)
	default:
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
	}
}
