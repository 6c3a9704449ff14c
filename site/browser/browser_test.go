package browser

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testFiles is a tiny static site that follows the app's readiness
// contract without any wasm. The script is a file of its own, because the
// site's Content-Security-Policy refuses inline scripts; what it does is
// chosen by the query string.
var testFiles = map[string]string{
	"index.html": `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>harness test</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
<script src="app.js" defer></script>
</head>
<body>
<div id="blue"></div><div id="red"></div>
<p id="message"></p>
</body>
</html>
`,
	"style.css": `html, body { margin: 0; background: #fff; }
#blue { position: absolute; left: 0; top: 0; width: 200px; height: 100px; background: #1e50dc; }
#red { position: absolute; left: 200px; top: 0; width: 100px; height: 100px; background: #dc281e; }
`,
	"app.js": `"use strict";
const mode = location.search.slice(1);
console.log("harness page loaded", mode);
if (mode === "dialog") {
	alert("hello from the page");
}
if (mode === "fail") {
	document.getElementById("message").textContent = "the network exploded";
	document.documentElement.dataset.state = "error";
} else if (mode === "throw") {
	setTimeout(() => { throw new Error("uncaught on purpose"); }, 0);
	setTimeout(() => { document.documentElement.dataset.state = "ready"; }, 50);
} else if (mode !== "never") {
	console.error("harness test error", 42);
	// Ready on the next frame, as the app is ready after its first frame.
	requestAnimationFrame(() => { document.documentElement.dataset.state = "ready"; });
}
`,
	// inline.html breaks the Content-Security-Policy on purpose.
	"inline.html": `<!doctype html><html><head><link rel="icon" href="data:,"></head>
<body><script>document.title = "inline ran";</script></body></html>
`,
}

// serveTestSite writes testFiles into a temp dir and serves it.
func serveTestSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range testFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return StartServer(t, dir)
}

func TestChromium(t *testing.T) {
	p, err := Chromium()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
}

func TestWaitReadyAndConsole(t *testing.T) {
	base := serveTestSite(t)
	ctx, cancel := NewContext(t, WindowSize(800, 600))
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	if err := WaitReady(ctx, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	c := ConsoleOf(ctx)
	errs := c.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "harness test error 42") || !strings.Contains(errs[0], "/app.js:") {
		t.Errorf("Errors() = %q, want the one console.error from app.js", errs)
	}
	if !slices.ContainsFunc(c.Messages(), func(m Message) bool { return m.Level == "log" && m.Text == "harness page loaded " }) {
		t.Errorf("Messages() = %v, want the console.log", c.Messages())
	}
	if d := c.Dialogs(); len(d) != 0 {
		t.Errorf("Dialogs() = %q, want none", d)
	}

	// The window size reaches the page, and screenshots are in CSS pixels.
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.innerWidth`))
	if err != nil || w != 800 {
		t.Errorf("innerWidth = %d, %v; want 800", w, err)
	}
	shot := filepath.Join(t.TempDir(), "shots", "page.png")
	buf, err := Screenshot(ctx, shot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(shot); err != nil {
		t.Errorf("screenshot not written: %v", err)
	}
	blue, err := ElementRect(ctx, "#blue")
	if err != nil {
		t.Fatal(err)
	}
	if blue != image.Rect(0, 0, 200, 100) {
		t.Errorf("ElementRect(#blue) = %v, want (0,0)-(200,100)", blue)
	}
	if n, total, err := CountPixels(buf, blue, Bluish); err != nil || n != total || total != 200*100 {
		t.Errorf("bluish in #blue: %d of %d (%v), want all 20000", n, total, err)
	}
	if n, _, _ := CountPixels(buf, blue, Reddish); n != 0 {
		t.Errorf("reddish in #blue: %d, want 0", n)
	}
	red := image.Rect(200, 0, 300, 100)
	if n, total, _ := CountPixels(buf, red, Reddish); n != total || total != 100*100 {
		t.Errorf("reddish in #red: %d of %d, want all", n, total)
	}
	if n, _, _ := CountPixels(buf, image.Rect(0, 200, 800, 600), func(c color.NRGBA) bool { return Bluish(c) || Reddish(c) }); n != 0 {
		t.Errorf("colored pixels in the white area: %d", n)
	}
}

func TestWaitReadyError(t *testing.T) {
	base := serveTestSite(t)
	ctx, cancel := NewContext(t)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?fail")); err != nil {
		t.Fatal(err)
	}
	err := WaitReady(ctx, 20*time.Second)
	if err == nil || !strings.Contains(err.Error(), "the network exploded") {
		t.Errorf("WaitReady = %v, want the text of #message", err)
	}
}

func TestWaitReadyTimeout(t *testing.T) {
	base := serveTestSite(t)
	ctx, cancel := NewContext(t)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?never")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := WaitReady(ctx, time.Second)
	if err == nil || !strings.Contains(err.Error(), "not ready") {
		t.Errorf("WaitReady = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("WaitReady took %v with a 1s timeout", d)
	}
	// The tab still works after the timeout.
	if _, err := chromedp.Run(ctx, chromedp.Title()); err != nil {
		t.Errorf("tab unusable after WaitReady timeout: %v", err)
	}
}

func TestDialogDismissed(t *testing.T) {
	base := serveTestSite(t)
	ctx, cancel := NewContext(t)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?dialog")); err != nil {
		t.Fatal(err)
	}
	// The alert blocks the script until it is closed, so ready proves
	// that NewContext closed it.
	if err := WaitReady(ctx, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := ConsoleOf(ctx).Dialogs(); len(d) != 1 || d[0] != "alert: hello from the page" {
		t.Errorf("Dialogs() = %q, want the alert", d)
	}
}

func TestExceptionCaptured(t *testing.T) {
	base := serveTestSite(t)
	ctx, cancel := NewContext(t)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?throw")); err != nil {
		t.Fatal(err)
	}
	if err := WaitReady(ctx, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	errs := ConsoleOf(ctx).Errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "uncaught on purpose") || !strings.HasPrefix(errs[0], "exception: ") {
		t.Errorf("Errors() = %q, want the uncaught exception", errs)
	}
}

// TestCSPEnforced shows that pages under StartServer run with the site's
// Content-Security-Policy, and that a violation shows up as a console error.
func TestCSPEnforced(t *testing.T) {
	base := serveTestSite(t)
	ctx, cancel := NewContext(t)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/inline.html")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title == "inline ran" {
		t.Error("inline script ran despite the Content-Security-Policy")
	}
	errs := ConsoleOf(ctx).Errors()
	if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, "Content Security Policy") }) {
		t.Errorf("Errors() = %q, want a Content Security Policy violation", errs)
	}
}

func TestDistDirEnv(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"index.html", "bottleneck.wasm"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(DistEnv, dir)
	if got := DistDir(t); got != dir {
		t.Errorf("DistDir = %q, want %q", got, dir)
	}
}
