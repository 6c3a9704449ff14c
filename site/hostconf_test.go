package site_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/site"
	"github.com/bottleneck-playground/bottleneck/site/browser"
)

// headerRule is one rule of a parsed _headers file.
type headerRule struct {
	pattern *regexp.Regexp
	path    string
	headers [][2]string
}

// parseHeadersFile reads a _headers file as Netlify and Cloudflare Pages
// do: # starts a comment, an unindented line is a URL path (with * for any
// characters and :name for one segment), and the indented "Name: value"
// lines under it are its headers. It fails the test on a line of another
// form.
func parseHeadersFile(t *testing.T, data []byte) []headerRule {
	t.Helper()
	var rules []headerRule
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			if !strings.HasPrefix(trimmed, "/") || strings.ContainsAny(trimmed, " \t") {
				t.Fatalf("_headers line %d: %q is not a URL path", n, line)
			}
			expr := regexp.QuoteMeta(trimmed)
			expr = strings.ReplaceAll(expr, `\*`, `.*`)
			expr = regexp.MustCompile(`:[A-Za-z]\w*`).ReplaceAllString(expr, `[^/]+`)
			rules = append(rules, headerRule{pattern: regexp.MustCompile("^" + expr + "$"), path: trimmed})
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		if !ok || len(rules) == 0 || strings.ContainsAny(name, " \t") {
			t.Fatalf("_headers line %d: %q is not a header of a path", n, line)
		}
		r := &rules[len(rules)-1]
		r.headers = append(r.headers, [2]string{http.CanonicalHeaderKey(name), strings.TrimSpace(value)})
	}
	return rules
}

// applyRules returns the headers that the rules give the request path p:
// those of every rule that matches it, a header set twice joined with ", "
// (Cloudflare Pages' documented behaviour).
func applyRules(rules []headerRule, p string) map[string]string {
	got := map[string]string{}
	for _, r := range rules {
		if !r.pattern.MatchString(p) {
			continue
		}
		for _, h := range r.headers {
			if old, ok := got[h[0]]; ok {
				got[h[0]] = old + ", " + h[1]
			} else {
				got[h[0]] = h[1]
			}
		}
	}
	return got
}

// transportHeaders are the response headers that describe one transfer
// rather than the file, which a static host sets by itself.
var transportHeaders = map[string]bool{
	"Date": true, "Content-Length": true, "Last-Modified": true, "Accept-Ranges": true,
	"Etag": true, "Vary": true, "Content-Encoding": true,
}

// handlerHeaders returns the status of GET p from srv and the headers of
// the response other than transportHeaders, each joined with ", ".
func handlerHeaders(t *testing.T, srv *httptest.Server, p string) (int, map[string]string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	got := map[string]string{}
	for name, values := range resp.Header {
		if !transportHeaders[name] {
			got[name] = strings.Join(values, ", ")
		}
	}
	return resp.StatusCode, got
}

// checkHeadersFile checks the _headers file in dir against site.Handler
// over dir: each file that Handler serves gets from the rules exactly the
// headers that Handler sends for it (at its own path, and at the paths
// that Cloudflare Pages and Netlify serve a page at: /NAME for NAME.html,
// the folder for index.html), each file that Handler refuses gets none,
// and every rule's path is one of those.
func checkHeadersFile(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, site.HeadersFileName))
	if err != nil {
		t.Fatalf("%v (make site writes it)", err)
	}
	rules := parseHeadersFile(t, data)
	files, err := site.SiteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler(dir))
	defer srv.Close()

	used := map[string]bool{}
	served := 0
	for _, name := range files {
		status, want := handlerHeaders(t, srv, "/"+name)
		paths := []string{"/" + name}
		if base, ok := strings.CutSuffix(name, ".html"); ok {
			if filepath.Base(base) == "index" {
				paths = append(paths, "/"+strings.TrimSuffix(base, "index"))
			} else {
				paths = append(paths, "/"+base)
			}
		}
		for _, p := range paths {
			got := applyRules(rules, p)
			for _, r := range rules {
				if r.pattern.MatchString(p) {
					used[r.path] = true
				}
			}
			if status != http.StatusOK {
				if len(got) != 0 {
					t.Errorf("%s: Handler answers %d, but _headers gives it %v", p, status, got)
				}
				continue
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s (%s): _headers gives\n  %v\nHandler sends\n  %v", p, name, got, want)
			}
		}
		if status == http.StatusOK {
			served++
		}
	}
	if served == 0 {
		t.Fatalf("Handler serves none of the %d files of %s", len(files), dir)
	}
	for _, r := range rules {
		if !used[r.path] {
			t.Errorf("_headers has a rule for %s, which is no file's path", r.path)
		}
	}
}

// The built site's _headers is the one that HeadersFile makes for its
// files (make site wrote it after the last file), and gives every file the
// headers that Handler sends.
func TestHeadersFileMatchesHandler(t *testing.T) {
	dist := browser.DistDir(t)
	files, err := site.SiteFiles(dist)
	if err != nil {
		t.Fatal(err)
	}
	want, err := site.HeadersFile(files)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dist, site.HeadersFileName))
	if err != nil {
		t.Fatalf("%v (make site writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s/_headers is not what site.HeadersFile makes for its files: run make site", dist)
	}
	checkHeadersFile(t, dist)
}

// writeFixture writes a small site with what the built one lacks: a
// subfolder with its index.html, files of types that the table does not
// name, a file without an extension, and precompressed copies.
func writeFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":         "<!doctype html><title>index</title>",
		"embed.html":         "<!doctype html><title>embed</title>",
		"app.html":           "<!doctype html><title>app</title>",
		"sub/index.html":     "<!doctype html><title>sub</title>",
		"sub/embed.html":     "<!doctype html><title>sub embed</title>",
		"sub/page.html":      "<!doctype html><title>page</title>",
		"app.js":             "console.log(1)",
		"app.js.br":          "br",
		"app.js.gz":          "gz",
		"bottleneck.wasm":    "\x00asm",
		"bottleneck.wasm.br": "br",
		"notes.xyz":          "unknown type",
		"font.woff2":         "font",
		"LICENSE":            "no extension",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := site.WriteHostConfigs(dir, site.NginxOptions{Listen: "8080", Root: dir}, site.CaddyOptions{Address: ":8080", Root: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestHeadersFileFixture(t *testing.T) {
	dir := writeFixture(t)
	checkHeadersFile(t, dir)
	data, err := os.ReadFile(filepath.Join(dir, site.HeadersFileName))
	if err != nil {
		t.Fatal(err)
	}
	// The folder's own paths are in it, and nothing of what is not served.
	for _, want := range []string{"\n/\n", "\n/sub/\n", "\n/sub/page\n", "\n/embed\n", "\n/LICENSE\n"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("_headers lacks the path %q", strings.TrimSpace(want))
		}
	}
	for _, bad := range []string{".br\n", ".gz\n", "/_headers\n", "/nginx.conf\n", "/Caddyfile\n"} {
		if bytes.Contains(data, []byte(bad)) {
			t.Errorf("_headers has a rule for %q, which is not served", bad)
		}
	}
}

func TestHostConfigErrors(t *testing.T) {
	many := make([]string, 60)
	for i := range many {
		many[i] = fmt.Sprintf("page%d.html", i)
	}
	for _, tt := range []struct {
		what  string
		files []string
		want  string
	}{
		{"space in a name", []string{"index.html", "my page.html"}, "cannot hold"},
		{"splat in a name", []string{"a*.js"}, "cannot hold"},
		{"two files at one path", []string{"about", "about.html"}, "both be served at /about"},
		{"over 100 rules", many, "at most 100"},
	} {
		_, err := site.HeadersFile(tt.files)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("HeadersFile, %s: error %v, want one that says %q", tt.what, err, tt.want)
		}
	}
	files := []string{"index.html"}
	for _, opt := range []site.NginxOptions{
		{Listen: "8080", Root: "relative/dist"},
		{Listen: "8080", Root: "/srv/$document_root"},
		{Listen: "8080", Root: `/srv/"x"`},
		{Listen: "8080; include /etc/passwd", Root: "/srv/dist"},
		{Listen: "", Root: "/srv/dist"},
	} {
		if _, err := site.NginxConf(files, opt); err == nil {
			t.Errorf("NginxConf(%+v) gave no error", opt)
		}
	}
	for _, opt := range []site.CaddyOptions{
		{Address: ":8080", Root: "dist"},
		{Address: ":8080", Root: "/srv/{env.HOME}"},
		{Address: ":8080 {", Root: "/srv/dist"},
		{Address: "", Root: "/srv/dist"},
	} {
		if _, err := site.Caddyfile(files, opt); err == nil {
			t.Errorf("Caddyfile(%+v) gave no error", opt)
		}
	}
	if _, err := site.NginxConf([]string{"x.we$rd"}, site.NginxOptions{Listen: "8080", Root: "/srv/dist"}); err == nil {
		t.Errorf("NginxConf took a file extension with a $")
	}
	if err := site.WriteHostConfigs(filepath.Join(t.TempDir(), "missing"), site.NginxOptions{Listen: "8080", Root: "/srv"}, site.CaddyOptions{Address: ":8080", Root: "/srv"}); err == nil {
		t.Errorf("WriteHostConfigs of a missing folder gave no error")
	}
}

// Every extension among the built files has a type in the configurations,
// and it is the one Handler sends.
func TestExtensionTypes(t *testing.T) {
	dir := writeFixture(t)
	files, err := site.SiteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	types, err := site.ExtensionTypes(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".html", ".js", ".wasm", ".css", ".xyz", ".woff2"} {
		if _, ok := types[ext]; !ok {
			t.Errorf("ExtensionTypes lacks %s: %v", ext, slices.Sorted(maps.Keys(types)))
		}
	}
	for _, ext := range []string{".br", ".gz", ""} {
		if _, ok := types[ext]; ok {
			t.Errorf("ExtensionTypes has %q, which no served file needs", ext)
		}
	}
	if got := types[".xyz"]; got != "application/octet-stream" {
		t.Errorf(".xyz: %q, want application/octet-stream (what Handler sends)", got)
	}
}

// The host configurations that make site writes next to the files, and the
// precompressed copies, are not served by Handler (nor by the generated
// configurations, see hosts_test.go); the same names deeper down are files
// like any other.
func TestServed(t *testing.T) {
	for name, want := range map[string]bool{
		"index.html": true, "bottleneck.wasm": true, "sub/_headers": true, "nginx.conf.txt": true,
		"_headers": false, "nginx.conf": false, "Caddyfile": false, "bottleneck.wasm.br": false, "app.js.gz": false,
	} {
		if got := site.Served(name); got != want {
			t.Errorf("Served(%q) = %v, want %v", name, got, want)
		}
	}
	srv := httptest.NewServer(site.Handler(writeFixture(t)))
	defer srv.Close()
	for _, p := range []string{"/_headers", "/nginx.conf", "/Caddyfile", "/app.js.br"} {
		status, hdr := handlerHeaders(t, srv, p)
		if status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, status)
		}
		if hdr["X-Content-Type-Options"] != "nosniff" || hdr["Content-Security-Policy"] != site.ContentSecurityPolicy {
			t.Errorf("GET %s: the 404 lacks the common headers: %v", p, hdr)
		}
	}
}
