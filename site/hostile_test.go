package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// probe is what one evaluation reads after a hostile input: the app's state,
// the message as the page shows it, and the sentinels that a payload which
// ran as script would have set.
type probe struct {
	State    string `json:"state"`
	Message  string `json:"message"`
	Hidden   bool   `json:"hidden"`
	Children int    `json:"children"` // elements inside #message: must be 0
	Injected int    `json:"injected"` // <img>/<script>/<svg> etc. anywhere that we did not write (not the pictures of the network)
	Pwned    bool   `json:"pwned"`
	Hash     string `json:"hash"`
}

const probeJS = `(() => {
	const m = document.getElementById("message");
	const f = document.getElementById("app-frame").contentWindow;
	return {
		state: window.bottleneck.state(),
		message: m.textContent,
		hidden: m.hidden,
		children: m.querySelectorAll("*").length,
		injected: document.querySelectorAll("img:not(#preview), script:not([src]), svg, object, embed").length +
			f.document.querySelectorAll("img:not(#no-webgl2-picture), script:not([src]), svg, object, embed").length,
		pwned: window.pwned !== undefined || f.pwned !== undefined,
		hash: location.hash,
	};
})()`

func readProbe(t *testing.T, ctx context.Context) (probe, appState, perfFields) {
	t.Helper()
	p := eval[probe](t, ctx, probeJS)
	var s appState
	var pf perfFields
	if err := json.Unmarshal([]byte(p.State), &s); err != nil {
		t.Fatalf("state %q: %v", p.State, err)
	}
	if err := json.Unmarshal([]byte(p.State), &pf); err != nil {
		t.Fatalf("state %q: %v", p.State, err)
	}
	return p, s, pf
}

// perfFields are the debug figures of window.bottleneck.state() (wasm/perf.go).
type perfFields struct {
	Frames        int     `json:"frames"`
	FrameMs       float64 `json:"frameMs"`
	FrameMsMean   float64 `json:"frameMsMean"`
	FrameMsMax    float64 `json:"frameMsMax"`
	FrameMsMedian float64 `json:"frameMsMedian"`
	UpdateMs      float64 `json:"updateMs"`
	DrawMs        float64 `json:"drawMs"`
	UpdateMsMean  float64 `json:"updateMsMean"`
	DrawMsMean    float64 `json:"drawMsMean"`
	StepsPerFrame int     `json:"stepsPerFrame"`
	StepsMean     float64 `json:"stepsPerFrameMean"`
	FrameGapMsMax float64 `json:"frameGapMsMax"`
	DrawCalls     int     `json:"drawCalls"`
	HeapAlloc     uint64  `json:"heapAlloc"`
	HeapSys       uint64  `json:"heapSys"`
	WasmMemory    int     `json:"wasmMemory"`
	EngineMemory  int     `json:"engineMemory"`
	MessageSeq    int     `json:"messageSeq"`
	ReadyMs       float64 `json:"readyMs"`
}

func perfOf(t *testing.T, ctx context.Context) perfFields {
	t.Helper()
	_, _, pf := readProbe(t, ctx)
	return pf
}

// waitMessage waits until the app has shown a message after seq, and
// returns the page as it is then.
func waitMessage(t *testing.T, ctx context.Context, seq int, what string) (probe, appState, perfFields) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, s, pf := readProbe(t, ctx)
		if pf.MessageSeq > seq {
			return p, s, pf
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no message within 10 s; #message %q, state %+v", what, p.Message, s)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// checkHarmless fails unless the page shows a message as text only and no
// payload ran.
func checkHarmless(t *testing.T, ctx context.Context, what string, p probe, want []string) {
	t.Helper()
	if p.Hidden || strings.TrimSpace(p.Message) == "" {
		t.Errorf("%s: #message hidden=%v text=%q", what, p.Hidden, p.Message)
	}
	for _, w := range want {
		if !strings.Contains(p.Message, w) {
			t.Errorf("%s: #message %q does not mention %q", what, p.Message, w)
		}
	}
	if len(p.Message) > 2000 {
		t.Errorf("%s: #message has %d bytes; a hostile input must not flood it", what, len(p.Message))
	}
	if p.Children != 0 || p.Injected != 0 {
		t.Errorf("%s: markup reached the DOM: %d elements in #message, %d injected elements", what, p.Children, p.Injected)
	}
	if p.Pwned {
		t.Errorf("%s: a payload ran (window.pwned is set)", what)
	}
	if d := harness.ConsoleOf(ctx).Dialogs(); len(d) > 0 {
		t.Fatalf("%s: dialogs opened: %v", what, d)
	}
}

// Script payloads for every field; each sets window.pwned or opens a dialog
// if it ever runs.
var scriptPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=window.pwned=1>`,
	`javascript:alert(1)`,
	`'><svg/onload=window.pwned=1>`,
}

// hostileLinks returns fragments that the app must refuse, each with the
// words its message must hold (the field, or the reason).
func hostileLinks() []struct{ frag, want string } {
	type L = struct{ frag, want string }
	var out []L
	fieldsWithScripts := []string{"n", "k", "task", "s", "act", "out", "opt", "lr", "seed", "hb", "ob", "debug"}
	for i, f := range fieldsWithScripts {
		p := scriptPayloads[i%len(scriptPayloads)]
		out = append(out, L{f + "=" + url.QueryEscape(p), f + ":"})
	}
	base := "n=11&k=2&task="
	out = append(out,
		L{"task=shift&wrap=" + url.QueryEscape(scriptPayloads[0]), "wrap:"},
		L{"task=random&tseed=" + url.QueryEscape(scriptPayloads[1]), "tseed:"},
		L{"task=custom&map=" + url.QueryEscape(scriptPayloads[1]), "map:"},
		L{"opt=momentum&mom=" + url.QueryEscape(scriptPayloads[2]), "mom:"},
		L{"opt=adam&b1=" + url.QueryEscape(scriptPayloads[3]), "b1:"},
		L{"opt=adam&b2=" + url.QueryEscape(scriptPayloads[0]), "b2:"},
		L{"opt=adam&eps=" + url.QueryEscape(scriptPayloads[1]), "eps:"},
		L{scriptPayloads[0], "not a setting"},                         // as a key (the browser escapes < and >)
		L{url.QueryEscape(scriptPayloads[1]) + "=1", "not a setting"}, // as a key, escaped
		L{"javascript:alert(1)", "not a setting"},
		L{"n=" + strings.Repeat("9", 100_000), "16384"},   // 100 KB value
		L{strings.Repeat("x", 100_000) + "=1", "16384"},   // 100 KB key
		L{"map=" + strings.Repeat("1,", 50_000), "16384"}, // 100 KB list
		L{"n=NaN", "n:"}, L{"lr=NaN", "lr:"}, L{"lr=-Infinity", "lr:"},
		L{"lr=1e308", "lr:"}, L{"lr=1e9", "lr:"}, L{"n=1e308", "n:"}, L{"seed=1e308", "seed:"},
		L{"lr=1e-400", "lr:"}, L{"n=-5", "n:"}, L{"n=2.5", "n:"}, L{"k=-1", "k:"}, L{"k=1.5", "k:"},
		L{"n=100000", "n:"}, L{"seed=-1", "seed:"}, L{"s=0.5&task=shift", "s:"},
		L{"n=11&n=12", "once"}, L{"zzz=1", "not a setting"}, L{"n=11&evil", "not a setting"},
		L{"n", "n=value"}, L{"n=%ff", "UTF-8"}, L{"n=%zz", "percent"}, L{"n=%", "percent"},
		L{"%", "percent"}, L{"n=%c3%28", "UTF-8"}, L{"task=%00", "task:"},
		L{base + "custom", "map"}, L{"n=1024&k=0", "k"}, L{"debug=panic-everything", "debug:"},
	)
	return out
}

// TestHostileLinksAndFiles feeds hostile fragments to a running page and
// hostile files to the import, in one tab. Each must be refused with a
// message, as text, with the run kept, no script run and no dialog; and the
// page must never ask any other origin for anything.
func TestHostileLinksAndFiles(t *testing.T) {
	var mu sync.Mutex
	var requests []string
	rec := harness.OnEvent(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	})
	ctx := open(t, "", rec, harness.WindowSize(960, 640))
	origin := eval[string](t, ctx, `location.origin`)
	s0 := waitState(t, ctx, 30*time.Second, "some training", func(s appState) bool { return s.Step > 0 })
	want := s0.Fragment

	// Links, applied to the running page as a pasted link would be.
	links := hostileLinks()
	t0 := time.Now()
	defer func() { t.Logf("links and files in %v", time.Since(t0)) }()
	for i, l := range links {
		what := fmt.Sprintf("link %d %.60q", i, l.frag)
		js, _ := json.Marshal("#" + l.frag)
		before := eval[appStateSeq](t, ctx, fmt.Sprintf(`(() => {
			const s = JSON.parse(window.bottleneck.state());
			location.hash = %s;
			return s;
		})()`, js))
		p, s, _ := waitMessage(t, ctx, before.MessageSeq, what)
		checkHarmless(t, ctx, what, p, []string{l.want, "not used", "current run goes on"})
		if s.Fragment != want || s.Step < before.Step {
			t.Errorf("%s: the run was not kept: fragment %q step %d (was %q step %d)", what, s.Fragment, s.Step, want, before.Step)
		}
		// The page is alive: training goes on (checked now and then, to keep
		// the test short; every payload's message already came from a frame).
		if i%10 == 9 || i == len(links)-1 {
			waitState(t, ctx, 5*time.Second, what+": training goes on", func(x appState) bool { return x.Step > s.Step })
		}
	}
	t.Logf("%d links in %v", len(links), time.Since(t0))
	// The URL is back to the run that goes on.
	deadline := time.Now().Add(5 * time.Second)
	for eval[string](t, ctx, `location.hash`) != "#"+want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if h := eval[string](t, ctx, `location.hash`); h != "#"+want {
		t.Errorf("location.hash = %.80q after the hostile links, want %q", h, "#"+want)
	}

	// Files, imported through the file picker, on a paused run.
	click(t, ctx, "play", 1)
	waitState(t, ctx, 5*time.Second, "pause", func(s appState) bool { return !s.Running })
	time.Sleep(100 * time.Millisecond)
	before := state(t, ctx)
	for i, f := range hostileFiles(t) {
		what := fmt.Sprintf("file %d %s", i, filepath.Base(f.path))
		pf := perfOf(t, ctx)
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("import"), []string{f.path})); err != nil {
			t.Fatal(err)
		}
		p, s, _ := waitMessage(t, ctx, pf.MessageSeq, what)
		checkHarmless(t, ctx, what, p, []string{"not imported", "current run goes on", f.want})
		if s.Step != before.Step || s.Weights != before.Weights || s.Fragment != before.Fragment {
			t.Errorf("%s: the run changed: step %d weights %s fragment %q (was %d %s %q)", what, s.Step, s.Weights, s.Fragment, before.Step, before.Weights, before.Fragment)
		}
	}
	// Still responsive: a step goes through.
	click(t, ctx, "step", 1)
	waitState(t, ctx, 5*time.Second, "one step after the files", func(s appState) bool { return s.Step == before.Step+1 })

	mu.Lock()
	defer mu.Unlock()
	if len(requests) < 5 {
		t.Errorf("recorded only %d requests: %v", len(requests), requests)
	}
	for _, r := range requests {
		// A blob: URL (the page's picture of the network) carries the
		// origin that made it: blob:http://127.0.0.1:port/uuid.
		u, err := url.Parse(strings.TrimPrefix(r, "blob:"))
		if err != nil || u.Scheme+"://"+u.Host != origin {
			t.Errorf("request to another origin: %.100s", r)
		}
	}
	harness.ConsoleOf(ctx).Check(t)
}

// appStateSeq is appState with the count of messages shown.
type appStateSeq struct {
	appState
	MessageSeq int `json:"messageSeq"`
}

type hostileFile struct{ path, want string }

// hostileFiles writes the files that the import must refuse.
func hostileFiles(t *testing.T) []hostileFile {
	t.Helper()
	dir := t.TempDir()
	tr, err := core.NewTrainer(core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	good, err := tr.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	// variant returns the good snapshot with one field replaced (raw JSON).
	variant := func(field, raw string) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		if raw == "" {
			delete(m, field)
		} else {
			m[field] = json.RawMessage(raw)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	rows := func(n, k int, v string) string {
		row := "[" + strings.TrimSuffix(strings.Repeat(v+",", k), ",") + "]"
		return "[" + strings.TrimSuffix(strings.Repeat(row+",", n), ",") + "]"
	}
	var out []hostileFile
	add := func(name, body, want string) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, hostileFile{p, want})
	}
	add("not-json.json", "<script>alert(1)</script>", "JSON")
	add("empty.json", "", "JSON")
	add("array.json", "[1,2,3]", "JSON")
	add("truncated.json", string(good[:len(good)/2]), "JSON")
	add(`"><img src=x onerror=window.pwned=1>.json`, "<img src=x onerror=window.pwned=1>", "JSON")
	add("<script>alert(1)<.json", variant("format", `"<script>alert(1)</script>"`), "format")
	add("format.json", variant("format", `"something else"`), "format")
	add("version.json", variant("version", "99"), "version 99")
	add("version-str.json", variant("version", `"1"`), "JSON")
	add("config-script.json", variant("config", `"n=11&k=2&<script>window.pwned=1</script>"`), "config")
	add("config-bad.json", variant("config", `"n=-1"`), "config")
	add("step.json", variant("step", "-5"), "negative")
	add("unknown-field.json", variant("evil", `"<img src=x onerror=alert(1)>"`), "JSON")
	add("w2-shape.json", variant("w2", rows(3, 2, "0.5")), "w2 has 3 rows")
	add("w2-row.json", variant("w2", rows(11, 7, "0.5")), "w2 row 1")
	add("w1-missing.json", variant("w1", ""), "w1")
	add("nan-string.json", variant("b2", `["NaN","NaN","NaN","NaN","NaN","NaN","NaN","NaN","NaN","NaN","NaN"]`), "JSON")
	add("inf.json", variant("b2", `[1e999,0,0,0,0,0,0,0,0,0,0]`), "JSON")
	add("null.json", "null", "format")
	add("huge-array.json", variant("b2", "["+strings.TrimSuffix(strings.Repeat("0,", 1_000_000), ",")+"]"), "b2")
	add("huge-rows.json", variant("w2", rows(100_000, 2, "0")), "w2 has 100000 rows")
	add("deep.json", strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000), "JSON")
	add("bad-utf8.json", variant("format", "\"\xff\xfe\""), "format")
	add("nine-mb.json", `{"format":"`+strings.Repeat("A", 9<<20)+`"}`, "bytes")
	return out
}
