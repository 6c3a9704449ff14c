package site

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// newSite writes a fake built site into a fresh folder and returns a test
// server for it. The parent folder holds secret.txt, so that a test can show
// that no request reaches it.
func newSite(t *testing.T) *httptest.Server {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "dist")
	files := map[string]string{
		"index.html":          "<!doctype html><title>index</title>",
		"app.js":              "console.log('app')",
		"style.css":           "body{}",
		"bottleneck.wasm":     "\x00asm identity",
		"bottleneck.wasm.br":  "brotli bytes",
		"bottleneck.wasm.gz":  "gzip bytes",
		"only-gzip.js":        "identity js",
		"only-gzip.js.gz":     "gzip js",
		"sub/index.html":      "<!doctype html><title>sub</title>",
		"app.webmanifest":     "{}",
		"../secret.txt":       "top secret",
		"../dist-secret.html": "also secret",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(Handler(dir))
	t.Cleanup(srv.Close)
	return srv
}

// get sends a GET with the Accept-Encoding value (none when empty) and
// returns the response and its body. The transport must not add its own
// Accept-Encoding or decompress, so that the test sees the raw response.
func get(t *testing.T, srv *httptest.Server, path, acceptEncoding string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	client := &http.Client{
		Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestContentTypes(t *testing.T) {
	srv := newSite(t)
	for path, want := range map[string]string{
		"/bottleneck.wasm": "application/wasm",
		"/app.js":          "text/javascript; charset=utf-8",
		"/style.css":       "text/css; charset=utf-8",
		"/index.html":      "text/html; charset=utf-8",
		"/":                "text/html; charset=utf-8",
		"/app.webmanifest": "application/manifest+json",
	} {
		resp, _ := get(t, srv, path, "")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", path, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Type"); got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", path, got, want)
		}
	}
}

func TestRootServesIndex(t *testing.T) {
	srv := newSite(t)
	_, body := get(t, srv, "/", "")
	if !strings.Contains(body, "<title>index</title>") {
		t.Errorf("GET /: body %q, want index.html", body)
	}
	_, body = get(t, srv, "/sub/", "")
	if !strings.Contains(body, "<title>sub</title>") {
		t.Errorf("GET /sub/: body %q, want sub/index.html", body)
	}
	resp, _ := get(t, srv, "/sub", "")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/sub/" {
		t.Errorf("GET /sub: status %d Location %q, want 301 to /sub/", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestPrecompressed(t *testing.T) {
	srv := newSite(t)
	tests := []struct {
		name, path, accept string
		wantEncoding       string
		wantBody           string
	}{
		{"br preferred", "/bottleneck.wasm", "gzip, deflate, br, zstd", "br", "brotli bytes"},
		{"br only", "/bottleneck.wasm", "br", "br", "brotli bytes"},
		{"gzip when br not accepted", "/bottleneck.wasm", "gzip, deflate", "gzip", "gzip bytes"},
		{"gzip when br refused by q=0", "/bottleneck.wasm", "br;q=0, gzip", "gzip", "gzip bytes"},
		{"gzip when br file missing", "/only-gzip.js", "br, gzip", "gzip", "gzip js"},
		{"star", "/bottleneck.wasm", "*", "br", "brotli bytes"},
		{"identity without header", "/bottleneck.wasm", "", "", "\x00asm identity"},
		{"identity for other codings", "/bottleneck.wasm", "deflate, zstd", "", "\x00asm identity"},
		{"identity when all refused", "/bottleneck.wasm", "br;q=0, gzip;q=0", "", "\x00asm identity"},
		{"identity when no copy", "/app.js", "br, gzip", "", "console.log('app')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, srv, tt.path, tt.accept)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.wantEncoding)
			}
			if body != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			wantType := contentType(tt.path)
			if got := resp.Header.Get("Content-Type"); got != wantType {
				t.Errorf("Content-Type %q, want %q (the original file's)", got, wantType)
			}
			if got := resp.Header.Get("Content-Length"); got != "" && got != strconv.Itoa(len(tt.wantBody)) {
				t.Errorf("Content-Length %s, want %d", got, len(tt.wantBody))
			}
			hasCopy := tt.path != "/app.js"
			if vary := resp.Header.Values("Vary"); hasCopy != (strings.Join(vary, ",") == "Accept-Encoding") {
				t.Errorf("Vary %q, want Accept-Encoding: %v", vary, hasCopy)
			}
		})
	}
}

func TestCompressedNamesNotServed(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{"/bottleneck.wasm.br", "/bottleneck.wasm.gz", "/only-gzip.js.gz"} {
		resp, _ := get(t, srv, path, "br, gzip")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{"/", "/bottleneck.wasm", "/missing.js"} {
		resp, _ := get(t, srv, path, "br")
		if got := resp.Header.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", path, got, ContentSecurityPolicy)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", path, got)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", path, got)
		}
	}
	// Only the embeddable pages may be framed by other sites.
	for path, want := range map[string]string{"/embed.html": EmbeddablePolicy, "/app.html": EmbeddablePolicy,
		"/index.html": ContentSecurityPolicy, "/capacity.html": ContentSecurityPolicy} {
		resp, _ := get(t, srv, path, "br")
		if got := resp.Header.Get("Content-Security-Policy"); got != want {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", path, got, want)
		}
	}
	for _, part := range []string{"script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "frame-ancestors 'self'"} {
		if !strings.Contains(ContentSecurityPolicy, part) {
			t.Errorf("ContentSecurityPolicy lacks %q", part)
		}
	}
}

func TestTraversalRefused(t *testing.T) {
	srv := newSite(t)
	// The raw paths go out unchanged: http.NewRequest keeps "..", and the
	// percent-encoded forms decode to ".." on the server.
	for _, path := range []string{
		"/../secret.txt",
		"/sub/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/../dist-secret.html",
	} {
		resp, body := get(t, srv, path, "")
		if resp.StatusCode == http.StatusOK || strings.Contains(body, "secret") {
			t.Errorf("GET %s: status %d body %q, want refusal", path, resp.StatusCode, body)
		}
	}
}

func TestMissing(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{"/missing.wasm", "/sub/missing.html", "/nodir/"} {
		resp, _ := get(t, srv, path, "br, gzip")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("GET %s: Content-Encoding %q on a 404", path, got)
		}
	}
}

func TestMethods(t *testing.T) {
	srv := newSite(t)
	resp, err := http.Head(srv.URL + "/bottleneck.wasm")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("HEAD: status %d type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
}
