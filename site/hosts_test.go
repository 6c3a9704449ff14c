package site_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/site"
	"github.com/bottleneck-playground/bottleneck/site/browser"
)

// These tests serve the built site with Debian's nginx and Caddy, each
// with the configuration that make site generated, on a free loopback
// port, and compare every file's response with site.Handler's. They fail,
// and do not skip, when a server is missing: make test runs make deps,
// which installs them.

// nginxBrotliModule is where Debian's libnginx-mod-http-brotli-static puts
// the module that brotli_static needs.
const nginxBrotliModule = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

// findServer returns the path of the program name, looked up on PATH and
// then in /usr/sbin (where Debian puts nginx, off a user's PATH), or fails
// the test saying that make deps installs it.
func findServer(t *testing.T, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join("/usr/sbin", name); isExecutable(p) {
		return p
	}
	t.Fatalf("%s is not installed: make deps installs it (Debian package %s)", name, pkg)
	return ""
}

// isExecutable reports whether p is an executable file.
func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs cmd until the test ends and waits up to 10 s for it to
// accept connections at addr. It stops the server with SIGTERM at the end
// (SIGKILL after 5 s). The server's output is shown when it fails.
func startServer(t *testing.T, cmd *exec.Cmd, addr string) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", cmd.Path, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
			t.Errorf("%s did not stop within 5 s of SIGTERM; killed", filepath.Base(cmd.Path))
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("%s exited (%v) before serving:\n%s", filepath.Base(cmd.Path), err, out.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not serving %s after 10 s:\n%s", filepath.Base(cmd.Path), addr, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// configLine returns the argument of the first line of conf that matches
// expr (with one group), or fails the test.
func configLine(t *testing.T, conf []byte, expr, file string) string {
	t.Helper()
	m := regexp.MustCompile(expr).FindSubmatch(conf)
	if m == nil {
		t.Fatalf("%s has no line matching %s", file, expr)
	}
	return string(m[1])
}

// TestNginxServesLikeHandler serves the built site with nginx and the
// server block of site/dist/nginx.conf, on a free port instead of its own.
func TestNginxServesLikeHandler(t *testing.T) {
	nginx := findServer(t, "nginx", "nginx")
	if !fileExists(nginxBrotliModule) {
		t.Fatalf("nginx's brotli module %s is missing: make deps installs it (Debian package libnginx-mod-http-brotli-static)", nginxBrotliModule)
	}
	dist := browser.DistDir(t)
	files, err := site.SiteFiles(dist)
	if err != nil {
		t.Fatal(err)
	}
	// The file that make site wrote is the one that NginxConf makes, but
	// for its listen and root lines, which the test replaces.
	built, err := os.ReadFile(filepath.Join(dist, site.NginxConfName))
	if err != nil {
		t.Fatalf("%v (make site writes it)", err)
	}
	opt := site.NginxOptions{
		Listen: configLine(t, built, `(?m)^\s*listen ([^;]+);`, "nginx.conf"),
		Root:   configLine(t, built, `(?m)^\s*root "([^"]+)";`, "nginx.conf"),
	}
	if want, err := site.NginxConf(files, opt); err != nil || !bytes.Equal(built, want) {
		t.Fatalf("%s/nginx.conf is not what site.NginxConf makes for its files (error %v): run make site", dist, err)
	}

	tmp := t.TempDir()
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	server, err := site.NginxConf(files, site.NginxOptions{Listen: addr, Root: dist})
	if err != nil {
		t.Fatal(err)
	}
	serverConf := filepath.Join(tmp, "server.conf")
	if err := os.WriteFile(serverConf, server, 0o644); err != nil {
		t.Fatal(err)
	}
	// A main configuration of the test's own: in the foreground, one
	// process (no user switch), every file nginx writes in tmp.
	main := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log stderr warn;
load_module %[2]s;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    include %[3]s;
}
`, tmp, nginxBrotliModule, serverConf)
	mainConf := filepath.Join(tmp, "nginx.conf")
	if err := os.WriteFile(mainConf, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	startServer(t, exec.Command(nginx, "-p", tmp, "-e", "stderr", "-c", mainConf), addr)
	compareWithHandler(t, dist, files, "http://"+addr)
}

// fileExists reports whether p exists.
func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestCaddyServesLikeHandler serves the built site with Caddy and the site
// block of site/dist/Caddyfile, at a free loopback address instead of its
// own, behind global options that keep Caddy off its admin port and off
// HTTPS.
func TestCaddyServesLikeHandler(t *testing.T) {
	caddy := findServer(t, "caddy", "caddy")
	dist := browser.DistDir(t)
	files, err := site.SiteFiles(dist)
	if err != nil {
		t.Fatal(err)
	}
	built, err := os.ReadFile(filepath.Join(dist, site.CaddyfileName))
	if err != nil {
		t.Fatalf("%v (make site writes it)", err)
	}
	opt := site.CaddyOptions{
		Address: configLine(t, built, `(?m)^(\S+) \{$`, "Caddyfile"),
		Root:    configLine(t, built, `(?m)^\s*root \* "([^"]+)"$`, "Caddyfile"),
	}
	if want, err := site.Caddyfile(files, opt); err != nil || !bytes.Equal(built, want) {
		t.Fatalf("%s/Caddyfile is not what site.Caddyfile makes for its files (error %v): run make site", dist, err)
	}

	tmp := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	block, err := site.Caddyfile(files, site.CaddyOptions{Address: "http://" + addr, Root: dist})
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(tmp, "Caddyfile")
	global := "{\n\tadmin off\n\tauto_https off\n}\n"
	if err := os.WriteFile(conf, append([]byte(global), block...), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(caddy, "run", "--config", conf, "--adapter", "caddyfile")
	// Caddy keeps its state under the home and XDG folders.
	cmd.Env = append(os.Environ(), "HOME="+tmp, "XDG_CONFIG_HOME="+tmp+"/config", "XDG_DATA_HOME="+tmp+"/data")
	startServer(t, cmd, addr)
	compareWithHandler(t, dist, files, "http://"+addr)
}

// response is what compareWithHandler compares of one response.
type response struct {
	status                                            int
	csp, nosniff, cacheControl, contentType, encoding string
	vary                                              []string
	body                                              []byte
}

// fetch sends GET base+p with Accept-Encoding accept (none when empty),
// without the transport's own compression, and without following
// redirects.
func fetch(ctx context.Context, client *http.Client, base, p, accept string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
	if err != nil {
		return response{}, err
	}
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	resp, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	h := resp.Header
	return response{
		status: resp.StatusCode, csp: h.Get("Content-Security-Policy"), nosniff: h.Get("X-Content-Type-Options"),
		cacheControl: h.Get("Cache-Control"), contentType: h.Get("Content-Type"), encoding: h.Get("Content-Encoding"),
		vary: h.Values("Vary"), body: body,
	}, nil
}

// compareWithHandler requests every file of the site (and /, a missing
// file, a missing page that may be framed) from the host at base and from
// site.Handler over dist, with no Accept-Encoding and with gzip, br and
// both, and compares status, Content-Security-Policy,
// X-Content-Type-Options and Cache-Control, and for a served file also
// Content-Type, Content-Encoding and the body's bytes. A compressed
// response must also say Vary: Accept-Encoding.
func compareWithHandler(t *testing.T, dist string, files []string, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	ref := httptest.NewServer(site.Handler(dist))
	defer ref.Close()

	paths := []string{"/", "/missing.js", "/missing.wasm", "/sub/missing.html"}
	for _, f := range files {
		paths = append(paths, "/"+f)
	}
	served, encoded := 0, 0
	for _, p := range paths {
		for _, accept := range []string{"", "gzip", "br", "gzip, deflate, br"} {
			want, err := fetch(ctx, client, ref.URL, p, accept)
			if err != nil {
				t.Fatal(err)
			}
			got, err := fetch(ctx, client, base, p, accept)
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("GET %s: no answer within 60 s of the first request", p)
			}
			if err != nil {
				t.Fatalf("GET %s: %v", p, err)
			}
			where := fmt.Sprintf("GET %s (Accept-Encoding %q)", p, accept)
			if got.status != want.status {
				t.Errorf("%s: status %d, Handler's %d", where, got.status, want.status)
				continue
			}
			for _, c := range []struct{ name, got, want string }{
				{"Content-Security-Policy", got.csp, want.csp},
				{"X-Content-Type-Options", got.nosniff, want.nosniff},
				{"Cache-Control", got.cacheControl, want.cacheControl},
			} {
				if c.got != c.want {
					t.Errorf("%s: %s %q, Handler's %q", where, c.name, c.got, c.want)
				}
			}
			if want.status != http.StatusOK {
				continue
			}
			served++
			if got.contentType != want.contentType {
				t.Errorf("%s: Content-Type %q, Handler's %q", where, got.contentType, want.contentType)
			}
			if got.encoding != want.encoding {
				t.Errorf("%s: Content-Encoding %q, Handler's %q", where, got.encoding, want.encoding)
			}
			if !bytes.Equal(got.body, want.body) {
				t.Errorf("%s: body of %d bytes differs from Handler's %d", where, len(got.body), len(want.body))
			}
			if got.encoding != "" {
				encoded++
				if !strings.Contains(strings.ToLower(strings.Join(got.vary, ",")), "accept-encoding") {
					t.Errorf("%s: compressed, but Vary is %q", where, got.vary)
				}
			}
		}
	}
	if served == 0 || encoded == 0 {
		t.Fatalf("of %d paths, %d responses were files and %d compressed; the site in %s is not the built one", len(paths), served, encoded, dist)
	}
	t.Logf("%d paths, 4 Accept-Encodings each: %d file responses (%d compressed) as Handler's", len(paths), served, encoded)
}
