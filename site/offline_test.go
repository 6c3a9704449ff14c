package site_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/site"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/site/offline"
)

// offlineState mirrors window.bottleneckOffline (site/static/offline.js).
type offlineState struct {
	State   string `json:"state"`
	Version string `json:"version"`
	Reason  string `json:"reason"`
}

// offlineHook reads window.bottleneckOffline as JSON.
const offlineHook = `JSON.stringify(window.bottleneckOffline || {state: "absent"})`

// cacheView is what the page's Cache Storage holds: the caches' names, and
// the paths that the one named want holds.
type cacheView struct {
	Names []string `json:"names"`
	Paths []string `json:"paths"`
}

// cachesJS returns a script that reads the caches, with the entries of
// the cache of version.
func cachesJS(version string) string {
	return `(async () => {
		const names = await caches.keys();
		let paths = [];
		if (names.includes("` + offline.CachePrefix + version + `")) {
			const c = await caches.open("` + offline.CachePrefix + version + `");
			paths = (await c.keys()).map(r => new URL(r.url).pathname.slice(1)).sort();
		}
		return {names, paths};
	})()`
}

func readCaches(t *testing.T, ctx context.Context, version string) cacheView {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[cacheView](cachesJS(version), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitOffline polls window.bottleneckOffline until ok holds. It reads
// through errors for a while, as the page may be between two documents.
func waitOffline(t *testing.T, ctx context.Context, timeout time.Duration, what string, ok func(offlineState) bool) offlineState {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last offlineState
	var lastErr error
	for time.Now().Before(deadline) {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](offlineHook))
		lastErr = err
		if err == nil {
			last = offlineState{}
			if jerr := json.Unmarshal([]byte(raw), &last); jerr == nil && ok(last) {
				return last
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: last state %+v (error %v)", what, last, lastErr)
	return last
}

// recordedServer is a server of the built site that records the paths it
// was asked for.
type recordedServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

// take returns the paths asked for since the last take.
func (s *recordedServer) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paths
	s.paths = nil
	return p
}

// closableServer serves dir with site.Handler on a loopback port, as
// harness.StartServer does, but returns the server, so that a test can take
// the network away by closing it, and see what was asked for.
func closableServer(t *testing.T, dir string) *recordedServer {
	t.Helper()
	h := site.Handler(dir)
	s := &recordedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// distCopy copies the built site into a temporary folder that a test may
// change: files of more than 1 MB (the programs and their compressed
// copies), which no test changes, are linked instead.
func distCopy(t *testing.T) string {
	t.Helper()
	src := harness.DistDir(t)
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		if info.Size() > 1<<20 {
			if err := os.Symlink(from, to); err != nil {
				t.Fatal(err)
			}
			continue
		}
		in, err := os.Open(from)
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(to)
		if err == nil {
			_, err = io.Copy(out, in)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// rewrite changes the file name of the site in dir, and removes its
// precompressed copies, which would be sent instead of it.
func rewrite(t *testing.T, dir, name, appended string) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(data, appended...), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(p + ".br")
	os.Remove(p + ".gz")
}

// visitUntilOffline opens url, waits until the page is ready and the
// service worker has kept the build (version want), and checks that its
// cache holds every file of the build and nothing else.
func visitUntilOffline(t *testing.T, ctx context.Context, url string, want offline.Build) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	s := waitOffline(t, ctx, 60*time.Second, "the build kept for offline use", func(s offlineState) bool { return s.State == "ready" || s.State == "failed" })
	if s.State != "ready" || s.Version != want.Version {
		t.Fatalf("offline state %+v, want ready with version %s", s, want.Version)
	}
	t.Logf("the page was ready; %v later the build was kept for offline use", time.Since(t0).Round(time.Millisecond))
	c := readCaches(t, ctx, want.Version)
	var names []string
	for _, f := range want.Files {
		names = append(names, f.Name)
	}
	if !slices.Equal(c.Names, []string{offline.CachePrefix + want.Version}) || !slices.Equal(c.Paths, names) {
		t.Fatalf("caches %v holding %v, want only %s%s holding %v", c.Names, c.Paths, offline.CachePrefix, want.Version, names)
	}
}

// After one visit of the playground the network goes away (the server
// closes): the playground, the embed and the capacity explorer open from
// the service worker's cache, train, draw and sweep.
func TestOfflineAfterOneVisit(t *testing.T) {
	dir := harness.DistDir(t)
	build, err := offline.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := closableServer(t, dir)
	base := srv.URL
	ctx, _ := harness.NewContext(t)
	visitUntilOffline(t, ctx, base+"/", build)
	if eval[bool](t, ctx, `navigator.serviceWorker.controller !== null`) {
		t.Error("the first visit is controlled by the service worker; it should load from the network")
	}

	// A visit now asks the server for sw.js alone (the worker's look for a
	// new build), not for the site's 3.6 MB again.
	srv.take()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/capacity.html")); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	waitOffline(t, ctx, 10*time.Second, "the page's look for a new build", func(s offlineState) bool { return s.State == "ready" })
	time.Sleep(300 * time.Millisecond)
	got := srv.take()
	t.Logf("a visit after the build was kept asked the server for %v", got)
	if !slices.Equal(got, []string{"/sw.js"}) && len(got) != 0 {
		t.Errorf("a visit after the build was kept asked the server for %v, want only /sw.js", got)
	}

	srv.CloseClientConnections()
	srv.Close()

	// Away first: from "/" to "/#..." alone would stay in the same document.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#n=6&k=2&seed=3")); err != nil {
		t.Fatalf("the playground did not open offline: %v", err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatalf("offline: %v", err)
	}
	if got := eval[string](t, ctx, `[navigator.serviceWorker.controller !== null, document.querySelector("iframe").contentWindow.navigator.serviceWorker.controller !== null].join()`); got != "true,true" {
		t.Errorf("the offline page and its canvas frame are controlled by the service worker: %s, want true,true", got)
	}
	s := waitState(t, ctx, 30*time.Second, "training offline", func(s appState) bool { return s.Step > 0 })
	waitState(t, ctx, 10*time.Second, "the step to advance offline", func(x appState) bool { return x.Step > s.Step })
	if s.N != 6 || s.K != 2 {
		t.Errorf("offline the playground runs N=%d k=%d, want the link's 6-2-6", s.N, s.K)
	}
	waitHook(t, ctx, `JSON.stringify(document.getElementById("stat-step").textContent)`, 10*time.Second, "the status line to advance", func(step string) bool { return step != "0" && step != "" })
	// The canvas draws: its weights are on it in blue and red.
	blue, red, total, err := harness.WeightColours(ctx, "#app-frame")
	if err != nil {
		t.Fatal(err)
	}
	if blue == 0 || red == 0 {
		t.Errorf("the offline canvas shows %d blue and %d red pixels of %d", blue, red, total)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/embed.html#n=5&k=2&seed=1")); err != nil {
		t.Fatalf("the embed did not open offline: %v", err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatalf("the embed offline: %v", err)
	}
	waitState(t, ctx, 30*time.Second, "the embed training offline", func(s appState) bool { return s.Step > 0 })

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/capacity.html#k=1,2&budget=300&seeds=1&max=32")); err != nil {
		t.Fatalf("the capacity explorer did not open offline: %v", err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatalf("the explorer offline: %v", err)
	}
	click(t, ctx, "cap-start", 1)
	c := waitCap(t, ctx, 60*time.Second, "the sweep offline", func(s capState) bool { return s.Done || s.Failed })
	if !c.Done || c.Points == 0 || c.EngineError != "" {
		t.Errorf("the offline sweep: %+v", c)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// A new build on the server installs in the background of a page of the
// old one, which then offers "A new version is ready · Reload"; Reload
// brings the new build, whose cache alone is left.
func TestOfflineNewBuildOffersReload(t *testing.T) {
	dir := distCopy(t)
	old, err := offline.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	base := closableServer(t, dir).URL
	ctx, _ := harness.NewContext(t)
	visitUntilOffline(t, ctx, base+"/", old)
	if eval[bool](t, ctx, `document.getElementById("update-ready") !== null`) {
		t.Error("the first visit offers a new version")
	}

	// The next build: a changed style sheet, and sw.js written again.
	rewrite(t, dir, "style.css", "\n/* the next build */\n")
	if err := offline.Write(dir); err != nil {
		t.Fatal(err)
	}
	next, err := offline.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if next.Version == old.Version {
		t.Fatal("the next build has the old version")
	}

	// The page opens from the old build's cache, finds the new worker and
	// offers it.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	s := waitOffline(t, ctx, 60*time.Second, "the new build offered", func(s offlineState) bool { return s.State == "update" })
	if s.Version != old.Version {
		t.Errorf("the page with the offer is served by build %q, want the old %s", s.Version, old.Version)
	}
	notice := eval[string](t, ctx, `(() => { const b = document.getElementById("update-ready"); return b && getComputedStyle(b).display !== "none" ? b.textContent : ""; })()`)
	if notice != "A new version is ready · Reload" {
		t.Errorf("the notice reads %q, want %q", notice, "A new version is ready · Reload")
	}

	t.Logf("the new build was offered %v after the page was ready", time.Since(t0).Round(time.Millisecond))

	// With a second tab of the old build open, Reload does not take the new
	// build, which that tab would then run half of: it asks to close it.
	tab2, closeTab2 := chromedp.NewContext(ctx)
	if err := chromedp.Do(tab2, chromedp.Navigate(base+"/capacity.html")); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(tab2, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "update-reload", 1)
	waitHook(t, ctx, `JSON.stringify(document.getElementById("update-ready").textContent)`, 10*time.Second, "the ask to close the other tab", func(s string) bool {
		return s == "A new version is ready · close Bottleneck's other tab, then Reload"
	})
	if v := eval[string](t, tab2, `window.bottleneckOffline.version`); v != old.Version {
		t.Errorf("the second tab runs build %q, want the old %s", v, old.Version)
	}
	closeTab2()

	click(t, ctx, "update-reload", 1)
	t0 = time.Now()
	waitOffline(t, ctx, 60*time.Second, "the new build after Reload", func(s offlineState) bool { return s.State == "ready" && s.Version == next.Version })
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("the new build was ready %v after Reload", time.Since(t0).Round(time.Millisecond))
	if eval[bool](t, ctx, `document.getElementById("update-ready") !== null`) {
		t.Error("the new build still offers a new version")
	}
	if c := readCaches(t, ctx, next.Version); !slices.Equal(c.Names, []string{offline.CachePrefix + next.Version}) || len(c.Paths) != len(next.Files) {
		t.Errorf("caches after the update: %v holding %d files, want only %s%s holding %d", c.Names, len(c.Paths), offline.CachePrefix, next.Version, len(next.Files))
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("style.css").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "the next build") {
		t.Error("the page is not served the new build's style.css")
	}
	harness.ConsoleOf(ctx).Check(t)
}

// A build that cannot be kept whole (a listed file missing on the server, or
// one whose bytes are not those listed) is not kept at all: the site works
// online as before, says nothing alarming, and keeps no cache.
func TestOfflinePrecacheFails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, dir string)
	}{
		{"missing", func(t *testing.T, dir string) {
			for _, suffix := range []string{"", ".br", ".gz"} {
				if err := os.Remove(filepath.Join(dir, "capacity.css"+suffix)); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"other bytes", func(t *testing.T, dir string) { rewrite(t, dir, "favicon.svg", "<!-- another build -->") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := distCopy(t)
			tc.spoil(t, dir)
			base := closableServer(t, dir).URL
			ctx, _ := harness.NewContext(t)
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
				t.Fatal(err)
			}
			if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
				t.Fatal(err)
			}
			s := waitOffline(t, ctx, 60*time.Second, "the failed precache", func(s offlineState) bool { return s.State == "failed" || s.State == "ready" })
			if s.State != "failed" {
				t.Fatalf("offline state %+v, want failed", s)
			}
			if c := readCaches(t, ctx, ""); len(c.Names) != 0 {
				t.Errorf("caches after a failed precache: %v, want none", c.Names)
			}
			// Online, the page goes on and opens again, from the network.
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#n=5&k=2")); err != nil {
				t.Fatal(err)
			}
			if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
				t.Fatal(err)
			}
			st := waitState(t, ctx, 30*time.Second, "training", func(s appState) bool { return s.Step > 0 })
			if st.Message != "" {
				t.Errorf("message %q", st.Message)
			}
			if eval[bool](t, ctx, `navigator.serviceWorker.controller !== null`) {
				t.Error("a worker without a complete cache controls the page")
			}
			if eval[bool](t, ctx, `document.getElementById("update-ready") !== null || !document.getElementById("message").hidden`) {
				t.Error("the page shows a notice or a message after the failed precache")
			}
			harness.ConsoleOf(ctx).Check(t)
		})
	}
}

// In Firefox too, one visit keeps the build, and with the server closed
// the playground's pages open and train.
func TestFirefoxOffline(t *testing.T) {
	dir := harness.DistDir(t)
	build, err := offline.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := closableServer(t, dir)
	ff := harness.NewFirefox(t, 1280, 800)
	if err := ff.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := ff.WaitReady(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	s := waitHookIn(t, ff.Evaluate, offlineHook, 60*time.Second, "the build kept for offline use", func(s offlineState) bool { return s.State == "ready" || s.State == "failed" })
	if s.State != "ready" || s.Version != build.Version {
		t.Fatalf("offline state in Firefox %+v, want ready with version %s", s, build.Version)
	}

	srv.CloseClientConnections()
	srv.Close()

	if err := ff.Navigate(srv.URL + "/embed.html#n=6&k=2&seed=3"); err != nil {
		t.Fatalf("the embed did not open offline in Firefox: %v", err)
	}
	if err := ff.WaitReady(90 * time.Second); err != nil {
		t.Fatalf("offline in Firefox: %v", err)
	}
	if !ffEval[bool](t, ff, `navigator.serviceWorker.controller !== null`) {
		t.Error("the offline page is not controlled by the service worker in Firefox")
	}
	first := waitHookIn(t, ff.Evaluate, appHook, 30*time.Second, "training offline", func(s appState) bool { return s.Step > 0 })
	waitHookIn(t, ff.Evaluate, appHook, 10*time.Second, "the step to advance offline", func(s appState) bool { return s.Step > first.Step })
	if first.N != 6 || first.K != 2 {
		t.Errorf("offline Firefox runs N=%d k=%d, want the link's 6-2-6", first.N, first.K)
	}
	ffNoErrors(t, ff)
}
