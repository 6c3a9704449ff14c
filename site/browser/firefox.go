package browser

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Firefox returns the path of Firefox: Debian's firefox-esr, which make deps
// installs, or else firefox on PATH.
func Firefox() (string, error) {
	names := []string{"firefox-esr", "firefox"}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Firefox found on PATH as %s: run make deps", strings.Join(names, " or "))
}

// FirefoxTab is the one tab of a Firefox that NewFirefox started for a
// test. It is driven over WebDriver BiDi, the W3C protocol that Firefox
// speaks (chromedp speaks Chrome's DevTools protocol, which Firefox no
// longer does), through the few commands the tests need.
//
// Firefox runs with a window on a virtual X display (Xvfb), not headless:
// a headless Firefox on a machine without a GPU refuses WebGL ("Exhausted GL
// driver options"), while on Xvfb it draws with Mesa's software renderer,
// as headless Chromium does with SwiftShader.
type FirefoxTab struct {
	conn    *websocket.Conn
	context string // the tab's BiDi browsing context

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan bidiReply
	errs    []string // console errors and uncaught exceptions, in order
	closed  error    // why the connection ended, once it has
}

// bidiReply is a BiDi command's answer: its result, or its error.
type bidiReply struct {
	Result json.RawMessage
	Err    error
}

// bidiListening is what Firefox prints on stderr once its BiDi server runs.
var bidiListening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

// NewFirefox starts Firefox on a virtual display of its own with a fresh
// profile in t.TempDir(), opens a BiDi session and sets the tab's viewport
// to width×height CSS pixels. The test's cleanup closes the browser and the
// display. It fails the test when Firefox or Xvfb is missing or does not
// start: a browser test must not pass by skipping.
func NewFirefox(t testing.TB, width, height int) *FirefoxTab {
	t.Helper()
	bin, err := Firefox()
	if err != nil {
		t.Fatal(err)
	}
	display := startXvfb(t)
	profile := t.TempDir()

	cmd := exec.Command(bin, "--no-remote", "--new-instance", "--profile", profile, "--remote-debugging-port=0", "about:blank")
	cmd.Env = append(envWithout(os.Environ(), "MOZ_HEADLESS", "DISPLAY"), "DISPLAY="+display)
	// Its own process group, so that the cleanup stops the content
	// processes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	output := &syncBuffer{}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			output.Write([]byte(line + "\n"))
			if m := bidiListening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	stop := func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		if t.Failed() {
			if out := usefulOutput(output.String()); out != "" {
				t.Logf("Firefox output:\n%s", out)
			}
		}
	}
	// Registered after t.TempDir and startXvfb, so it runs before the
	// profile is removed and the display stops.
	t.Cleanup(stop)

	var addr string
	select {
	case addr = <-found:
	case <-time.After(60 * time.Second):
		t.Fatalf("Firefox did not start its WebDriver BiDi server within 60 s:\n%s", output.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, addr+"/session", nil)
	if err != nil {
		t.Fatalf("connecting to Firefox at %s: %v", addr, err)
	}
	conn.SetReadLimit(64 << 20) // a screenshot
	tab := &FirefoxTab{conn: conn, waiting: map[int]chan bidiReply{}}
	go tab.read()
	t.Cleanup(func() { conn.CloseNow() })

	if _, err := tab.call("session.new", map[string]any{"capabilities": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tab.call("session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}); err != nil {
		t.Fatal(err)
	}
	res, err := tab.call("browsingContext.getTree", map[string]any{"maxDepth": 0})
	if err != nil {
		t.Fatal(err)
	}
	var tree struct{ Contexts []struct{ Context string } }
	if err := json.Unmarshal(res, &tree); err != nil || len(tree.Contexts) == 0 {
		t.Fatalf("Firefox has no tab: %s (%v)", res, err)
	}
	tab.context = tree.Contexts[0].Context
	if _, err := tab.call("browsingContext.setViewport", map[string]any{
		"context": tab.context, "viewport": map[string]any{"width": width, "height": height},
	}); err != nil {
		t.Fatal(err)
	}
	return tab
}

// startXvfb starts a virtual X display for the test, stopped by its
// cleanup, and returns its name (":99").
func startXvfb(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Fatal("no Xvfb on PATH, which Firefox needs for a display: run make deps")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// -displayfd: Xvfb picks a free display and writes its number to fd 3.
	cmd := exec.Command(bin, "-displayfd", "3", "-screen", "0", "1920x1200x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	output := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = output, output
	if err := cmd.Start(); err != nil {
		w.Close()
		t.Fatalf("starting Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatalf("Xvfb did not start:\n%s", output.String())
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatalf("Xvfb gave no display within 30 s:\n%s", output.String())
	}
	return ""
}

// envWithout returns env without the variables named.
func envWithout(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// read takes Firefox's messages until the connection ends: it hands each
// answer to the call waiting for it and records the console's errors.
func (f *FirefoxTab) read() {
	for {
		_, data, err := f.conn.Read(context.Background())
		if err != nil {
			f.mu.Lock()
			f.closed = fmt.Errorf("the connection to Firefox ended: %w", err)
			for id, ch := range f.waiting {
				ch <- bidiReply{Err: f.closed}
				delete(f.waiting, id)
			}
			f.mu.Unlock()
			return
		}
		var m struct {
			Type    string          `json:"type"`
			ID      int             `json:"id"`
			Result  json.RawMessage `json:"result"`
			Error   string          `json:"error"`
			Message string          `json:"message"`
			Method  string          `json:"method"`
			Params  struct {
				Level  string `json:"level"`
				Text   string `json:"text"`
				Source struct {
					Context string `json:"context"`
				} `json:"source"`
			} `json:"params"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		f.mu.Lock()
		switch m.Type {
		case "event":
			if m.Method == "log.entryAdded" && m.Params.Level == "error" {
				f.errs = append(f.errs, m.Params.Text)
			}
		case "success", "error":
			if ch, ok := f.waiting[m.ID]; ok {
				delete(f.waiting, m.ID)
				if m.Type == "error" {
					ch <- bidiReply{Err: fmt.Errorf("%s: %s", m.Error, m.Message)}
				} else {
					ch <- bidiReply{Result: m.Result}
				}
			}
		}
		f.mu.Unlock()
	}
}

// call sends one BiDi command and waits up to two minutes for its answer.
func (f *FirefoxTab) call(method string, params any) (json.RawMessage, error) {
	f.mu.Lock()
	if f.closed != nil {
		f.mu.Unlock()
		return nil, f.closed
	}
	f.nextID++
	id := f.nextID
	ch := make(chan bidiReply, 1)
	f.waiting[id] = ch
	f.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := f.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, fmt.Errorf("%s: %w", method, r.Err)
		}
		return r.Result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: no answer from Firefox in 2 minutes", method)
	}
}

// Navigate loads url in the tab and returns once its load event has fired.
func (f *FirefoxTab) Navigate(url string) error {
	_, err := f.call("browsingContext.navigate", map[string]any{"context": f.context, "url": url, "wait": "complete"})
	return err
}

// Evaluate runs the JavaScript expression js in the tab's top page, waits
// for it if it is a promise, and decodes its value, as JSON, into out.
func (f *FirefoxTab) Evaluate(js string, out any) error {
	wrapped := "(async () => JSON.stringify(await (" + js + "\n)))()"
	res, err := f.call("script.evaluate", map[string]any{
		"expression": wrapped, "target": map[string]any{"context": f.context}, "awaitPromise": true,
	})
	if err != nil {
		return err
	}
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	if r.Type == "exception" {
		return fmt.Errorf("evaluating %s: %s", js, r.ExceptionDetails.Text)
	}
	if r.Result.Type != "string" {
		return fmt.Errorf("evaluating %s: no JSON value (%s)", js, r.Result.Type)
	}
	return json.Unmarshal([]byte(r.Result.Value), out)
}

// WaitReady waits up to timeout for the page's readiness signal, as the
// package's WaitReady does for Chromium: data-state="ready" on the top
// page's <html>, or an error with the page's own text on data-state="error".
func (f *FirefoxTab) WaitReady(timeout time.Duration) error {
	read := func() (st pageState, err error) {
		err = f.Evaluate(readStateJS, &st)
		return st, err
	}
	return pollReady(read, timeout, func() string { return consoleLines(f.ConsoleErrors()) })
}

// Screenshot captures the tab's viewport as a PNG.
func (f *FirefoxTab) Screenshot() ([]byte, error) {
	res, err := f.call("browsingContext.captureScreenshot", map[string]any{"context": f.context})
	if err != nil {
		return nil, err
	}
	var r struct{ Data string }
	if err := json.Unmarshal(res, &r); err != nil {
		return nil, err
	}
	if r.Data == "" {
		return nil, errors.New("captureScreenshot: no image")
	}
	return base64.StdEncoding.DecodeString(r.Data)
}

// ConsoleErrors returns the console errors and uncaught exceptions of the
// tab so far.
func (f *FirefoxTab) ConsoleErrors() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.errs...)
}
