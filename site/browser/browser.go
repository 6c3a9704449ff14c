// Package browser is the harness for the browser tests of the site: it finds
// and starts headless Chromium through chromedp, serves a built site folder
// with site.Handler, records the console and JavaScript dialogs of the page,
// waits for the app's readiness signal and reads pixels from screenshots.
// NewFirefox starts Firefox for the same kind of test, driven over WebDriver
// BiDi (FirefoxTab).
//
// A typical test:
//
//	dir := browser.DistDir(t)          // fails if the site is not built
//	base := browser.StartServer(t, dir)
//	ctx, cancel := browser.NewContext(t)
//	defer cancel()
//	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
//		t.Fatal(err)
//	}
//	if err := browser.WaitReady(ctx, 60*time.Second); err != nil {
//		t.Fatal(err)
//	}
//	browser.ConsoleOf(ctx).Check(t) // no console errors, no dialogs
//
// The readiness contract with the app: the app sets data-state="ready" on the
// <html> element of the top page once it has drawn its first frame with a
// training network, and data-state="error" after a fatal error, with the
// reason in the text of #fatal-text or #message.
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of the Chromium binary: /usr/bin/chromium, the
// Debian package that make deps installs, or else the first of chromium,
// chromium-browser and google-chrome on PATH. The list is fixed, rather than
// chromedp's own search, so that every machine runs the same browser.
func Chromium() (string, error) {
	const debian = "/usr/bin/chromium"
	if info, err := os.Stat(debian); err == nil && !info.IsDir() {
		return debian, nil
	}
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found at %s or on PATH as %s: run make deps", debian, strings.Join(names, ", "))
}

// Option changes how NewContext starts the browser.
type Option func(*config)

// config holds the settings that the Options change.
type config struct {
	width, height int
	logConsole    bool
	onEvent       []func(ev any)
	flags         map[string]any
}

// WindowSize sets the size of the browser window in CSS pixels. In headless
// mode the viewport is the whole window. The default is 1280×800.
func WindowSize(width, height int) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// LogConsole makes the test log every console message, exception and
// dialog as it arrives (visible with go test -v or when the test fails),
// which helps to follow what the page did.
func LogConsole() Option {
	return func(c *config) { c.logConsole = true }
}

// OnEvent makes NewContext hand every event of the tab to fn too, such as
// *network.EventRequestWillBeSent to record the page's requests (chromedp
// enables the network domain). fn runs on the goroutine that reads the
// browser's messages: it must not block or run commands.
func OnEvent(fn func(ev any)) Option {
	return func(c *config) { c.onEvent = append(c.onEvent, fn) }
}

// Flag starts Chromium with one more command-line flag, such as
// Flag("disable-3d-apis", true) for a browser without WebGL.
func Flag(name string, value any) Option {
	return func(c *config) {
		if c.flags == nil {
			c.flags = map[string]any{}
		}
		c.flags[name] = value
	}
}

// consoleKey is the context key under which NewContext stores the Console.
type consoleKey struct{}

// NewContext starts headless Chromium for the test and returns a chromedp
// context for one tab of it. The browser already runs when NewContext
// returns, so a test may put a timeout on its first action without killing
// the browser with it. The cancel func closes the browser; the test's cleanup
// calls it too, so calling it is optional and safe more than once.
//
// The browser starts with exactly the flags that this machine needs (no GPU,
// so WebGL runs on SwiftShader; no network beyond the test server) and a
// fresh profile in t.TempDir(). Its console and dialogs are recorded in the
// Console that ConsoleOf returns. NewContext fails the test when no Chromium
// is found or it does not start: a browser test must not pass by skipping.
func NewContext(t testing.TB, opts ...Option) (context.Context, context.CancelFunc) {
	t.Helper()
	cfg := config{width: 1280, height: 800}
	for _, o := range opts {
		o(&cfg)
	}
	bin, err := Chromium()
	if err != nil {
		t.Fatal(err)
	}

	// Keep Chromium's own output, and show it only if the test fails: it is
	// noisy, but it is the only clue when the browser crashes.
	output := &syncBuffer{}
	allocOpts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(cfg.width, cfg.height),
		chromedp.CombinedOutput(output),
	}
	for name, v := range cfg.flags {
		allocOpts = append(allocOpts, chromedp.Flag(name, v))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)

	console := &Console{}
	if cfg.logConsole {
		console.logf = t.Logf
	}
	var tabCtx context.Context
	listener := func(ev any) {
		// This runs on the goroutine that reads the browser's messages: it
		// must not block or run commands, so dialogs are answered from a new
		// goroutine.
		for _, fn := range cfg.onEvent {
			fn(ev)
		}
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			console.dialog(d)
			go dismissDialog(tabCtx, d)
			return
		}
		console.event(ev)
	}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(listener))
	tabCtx = context.WithValue(tabCtx, consoleKey{}, console)

	var once sync.Once
	cancel := func() {
		once.Do(func() {
			// Close the tab and the browser gracefully first, then wait for
			// the process to exit, so that t.TempDir can remove the profile.
			cancelTab()
			cancelAlloc()
			if t.Failed() {
				if out := usefulOutput(output.String()); out != "" {
					t.Logf("Chromium output:\n%s", out)
				}
			}
		})
	}
	// Registered after t.TempDir, so it runs before the profile is removed.
	t.Cleanup(cancel)

	if err := chromedp.Do(tabCtx); err != nil {
		cancel()
		t.Fatalf("starting %s: %v\n%s", bin, err, output.String())
	}
	return tabCtx, cancel
}

// dismissDialog closes a JavaScript dialog so that the page does not hang on
// it. An alert, confirm or prompt is dismissed (as a user pressing Escape);
// a beforeunload dialog is accepted, so that navigation goes on.
func dismissDialog(ctx context.Context, d *page.EventJavascriptDialogOpening) {
	accept := d.Type == page.DialogTypeBeforeunload
	// The error is dropped on purpose: it only happens when the tab is
	// closing, and the dialog is recorded anyway.
	_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
}

// ConsoleOf returns the Console of a context made by NewContext, or nil for
// any other context.
func ConsoleOf(ctx context.Context) *Console {
	c, _ := ctx.Value(consoleKey{}).(*Console)
	return c
}

// Message is one entry of the page's console: a call of the console API, an
// uncaught exception, or an entry of the browser log (such as a failed
// resource load or a Content-Security-Policy violation).
type Message struct {
	// Level is "log", "info", "warning", "error", "debug" and the other
	// console API names, "exception" for an uncaught exception or unhandled
	// promise rejection, or "dialog" for a JavaScript dialog.
	Level string
	// Source is "console", "exception", "dialog", or the source of a browser
	// log entry, such as "network" or "security".
	Source string
	// Text is the message as the DevTools console would show it, roughly.
	Text string
	// URL and Line tell where the message came from, when known. Line counts
	// from 1.
	URL  string
	Line int64
}

// String formats the message as "level: text (url:line)".
func (m Message) String() string {
	s := m.Level + ": " + m.Text
	if m.URL != "" {
		s += " (" + m.URL
		if m.Line > 0 {
			s += ":" + strconv.FormatInt(m.Line, 10)
		}
		s += ")"
	}
	return s
}

// IsError reports whether the message counts as an error: console.error,
// a failed console.assert, an uncaught exception, or a browser log entry of
// level error.
func (m Message) IsError() bool {
	switch m.Level {
	case "error", "assert", "exception":
		return true
	}
	return false
}

// Console records what the page of a NewContext tab wrote to its console
// and which JavaScript dialogs it opened. It is safe for concurrent use.
//
// The messages arrive on the goroutine that reads the browser's events, in
// order, and before the reply of any command sent after them; so after an
// action such as WaitReady returns, the Console holds every message that the
// page wrote before that action finished.
type Console struct {
	mu       sync.Mutex
	messages []Message
	dialogs  []Message
	logf     func(format string, args ...any)
}

// Messages returns a copy of all messages so far, in order.
func (c *Console) Messages() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.messages...)
}

// Errors returns the messages that count as errors (see Message.IsError),
// formatted with Message.String. A test asserts "no console errors" with
// len(Errors()) == 0.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []string
	for _, m := range c.messages {
		if m.IsError() {
			errs = append(errs, m.String())
		}
	}
	return errs
}

// Dialogs returns the JavaScript dialogs (alert, confirm, prompt,
// beforeunload) that the page opened, formatted as "type: message". NewContext
// closes each one as it opens, so a dialog never blocks the page.
func (c *Console) Dialogs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, d := range c.dialogs {
		out = append(out, d.Text)
	}
	return out
}

// Reset forgets the messages and dialogs so far, for a test that checks one
// step at a time.
func (c *Console) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages, c.dialogs = nil, nil
}

// Check fails the test (without stopping it) for every console error and
// every dialog recorded so far. It is the usual last line of a browser test.
func (c *Console) Check(t testing.TB) {
	t.Helper()
	for _, e := range c.Errors() {
		t.Errorf("console %s", e)
	}
	for _, d := range c.Dialogs() {
		t.Errorf("dialog opened: %s", d)
	}
}

// add records a message.
func (c *Console) add(m Message) {
	c.mu.Lock()
	c.messages = append(c.messages, m)
	logf := c.logf
	c.mu.Unlock()
	if logf != nil {
		logf("console %s", m)
	}
}

// dialog records a dialog, also as a console message so that Messages shows
// it in order with the rest.
func (c *Console) dialog(d *page.EventJavascriptDialogOpening) {
	m := Message{Level: "dialog", Source: "dialog", Text: string(d.Type) + ": " + d.Message, URL: d.URL}
	c.mu.Lock()
	c.dialogs = append(c.dialogs, m)
	c.mu.Unlock()
	c.add(m)
}

// event records the console-related events and ignores the others.
func (c *Console) event(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		m := Message{Level: string(ev.Type), Source: "console", Text: argsText(ev.Args)}
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			m.URL, m.Line = st.CallFrames[0].URL, st.CallFrames[0].LineNumber+1
		}
		c.add(m)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil {
			// The description of an Error holds its stack; the first line
			// is the message, the stack is noise in a test log.
			desc, _, _ := strings.Cut(valueText(d.Exception), "\n")
			text = strings.TrimSpace(text + " " + desc)
		}
		m := Message{Level: "exception", Source: "exception", Text: text, URL: d.URL, Line: d.LineNumber + 1}
		if m.URL == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
			m.URL = d.StackTrace.CallFrames[0].URL
		}
		c.add(m)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil {
			return
		}
		c.add(Message{Level: string(e.Level), Source: string(e.Source), Text: e.Text, URL: e.URL, Line: e.LineNumber + 1})
	}
}

// argsText joins the arguments of a console call with spaces, as the
// DevTools console does (without applying %s-style formats).
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, valueText(a))
	}
	return strings.Join(parts, " ")
}

// valueText renders one value: a string as it is, another primitive as its
// JSON or special value, and an object as its description.
func valueText(o *runtime.RemoteObject) string {
	if o == nil {
		return "null"
	}
	if o.Type == runtime.RemoteObjectTypeString {
		var s string
		if err := json.Unmarshal(o.Value, &s); err == nil {
			return s
		}
	}
	switch {
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case o.Type == runtime.RemoteObjectTypeUndefined:
		return "undefined"
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return string(o.Type)
}

// usefulOutput drops the lines of Chromium's output that it prints on every
// run of this machine (no D-Bus in a container, the Debian wrapper script's
// shell warning) and keeps the last 40 others, so that a failing test shows
// what went wrong and not pages of noise.
func usefulOutput(out string) string {
	var keep []string
	for line := range strings.SplitSeq(out, "\n") {
		if strings.TrimSpace(line) == "" || strings.Contains(line, "dbus") ||
			strings.Contains(line, "unexpected operator") {
			continue
		}
		keep = append(keep, line)
	}
	if len(keep) > 40 {
		keep = append([]string{"..."}, keep[len(keep)-40:]...)
	}
	return strings.Join(keep, "\n")
}

// syncBuffer is a bytes.Buffer that the browser's output goroutine and the
// test can use at the same time.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// repoRoot returns the folder of go.mod above the working directory (a test
// runs in its package's folder).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
