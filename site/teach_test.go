package site_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"image/png"
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

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
	"github.com/bottleneck-playground/bottleneck/wasm/uikeys"
)

// hostPage serves the HTML that html returns from a second origin:
// localhost rather than the site's 127.0.0.1, on another port, so another
// site altogether, as a course page on its own domain would be.
func hostPage(t *testing.T, html func() string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, html())
	}))
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

// frameTarget waits for the out-of-process frame whose URL starts with
// prefix and returns a context that runs in it. Frames from another site
// are separate targets in Chromium, so this reaches inside the embed
// exactly as its own page sees itself.
func frameTarget(t *testing.T, ctx context.Context, prefix string, timeout time.Duration) context.Context {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				fctx, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				return fctx
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no frame at %s after %v", prefix, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hiddenParts returns, for each part name the page marks, whether every
// element of that part is hidden (and then checks that none shows); it fails
// on a part with no element. charts, a canvas panel only, is left out.
func hiddenParts(t *testing.T, ctx context.Context, parts []string) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, p := range parts {
		if p == "charts" { // a canvas panel only
			continue
		}
		n := eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll('[data-part~=%q]').length`, p))
		if n == 0 {
			t.Errorf("no element of part %q in the page", p)
			continue
		}
		got[p] = eval[bool](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('[data-part~=%q]')].every(e => e.hidden)`, p))
		if got[p] && !eval[bool](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('[data-part~=%q]')].every(e => e.offsetParent === null)`, p)) {
			t.Errorf("part %q is marked hidden but still shows", p)
		}
	}
	return got
}

// viewRects is the canvas panels from the page's hook, in CSS pixels.
type viewRects struct {
	View struct {
		Net    [4]float64 `json:"net"`
		Hidden [4]float64 `json:"hidden"`
		Chart  [4]float64 `json:"chart"`
	} `json:"view"`
	Fragment string `json:"fragment"`
	K        int    `json:"k"`
	N        int    `json:"n"`
	Message  string `json:"message"`
	Step     int    `json:"step"`
	Running  bool   `json:"running"`
}

// The hide key hides exactly the parts it names, in the page and on the
// canvas; changing the run keeps it in the link; an unknown name is
// reported with the allowed ones, and the page runs with the rest.
func TestHideKeysHideExactlyWhatTheyName(t *testing.T) {
	all := uikeys.Of(uikeys.HideKey)
	ctx := open(t, "#n=6&k=2&seed=1&hide=tour,charts,status,sidebar")
	hide := []string{"tour", "charts", "status"}
	for p, hidden := range hiddenParts(t, ctx, all) {
		if want := slices.Contains(hide, p); hidden != want {
			t.Errorf("part %s hidden = %v, want %v", p, hidden, want)
		}
	}
	s := readHook[viewRects](t, ctx, appHook)
	if s.View.Chart[2] != 0 || s.View.Hidden[2] == 0 {
		t.Errorf("canvas panels with hide=charts: hidden %v, chart %v", s.View.Hidden, s.View.Chart)
	}
	for _, want := range []string{"hide", `"sidebar"`, strings.Join(all, ", ")} {
		if !strings.Contains(s.Message, want) {
			t.Errorf("message %q does not name %s", s.Message, want)
		}
	}
	setControl(t, ctx, "k", "3")
	waitHook(t, ctx, appHook, 10*time.Second, "k = 3", func(s viewRects) bool { return s.K == 3 })
	time.Sleep(200 * time.Millisecond)
	hash := eval[string](t, ctx, `location.hash`)
	if !strings.HasSuffix(hash, "&hide=tour,charts,status") || !strings.Contains(hash, "k=3") {
		t.Errorf("after changing k the link is %q; want it to keep hide=tour,charts,status", hash)
	}

	// Hiding both canvas panels gives the network the whole canvas, and
	// hiding the controls leaves the rest.
	ctx = open(t, "#hide=controls,hidden,charts,walk")
	s = readHook[viewRects](t, ctx, appHook)
	if s.View.Hidden[2] != 0 || s.View.Chart[2] != 0 || s.View.Net[2] < 600 {
		t.Errorf("canvas with both panels hidden: %+v", s.View)
	}
	for p, hidden := range hiddenParts(t, ctx, all) {
		if want := slices.Contains([]string{"controls", "hidden", "walk"}, p); hidden != want {
			t.Errorf("part %s hidden = %v, want %v", p, hidden, want)
		}
		// The control groups sit inside the control panel: not hidden
		// themselves, but not shown either.
		inside := slices.Contains([]string{"run", "network", "task", "model", "training", "share"}, p)
		if inside && eval[bool](t, ctx, fmt.Sprintf(`document.querySelector('[data-part~=%q]').offsetParent !== null`, p)) {
			t.Errorf("part %s shows although the control panel is hidden", p)
		}
	}
}

// The lock key disables the named controls with a note, refuses changes to
// them from anywhere (a control, New seed, an import), lets the free ones
// move, and stays in the link, also after a reload.
func TestLockKeysDisableControlsAndStayInTheLink(t *testing.T) {
	ctx := open(t, "#n=7&k=2&seed=3&lock=all,-k")
	_, u, err := uikeys.Split("lock=all,-k")
	if err != nil {
		t.Fatal(err)
	}
	checkLocked := func(ctx context.Context) {
		t.Helper()
		locked := u.Controls()
		for _, n := range uikeys.Names {
			for _, id := range n.Controls {
				disabled := eval[bool](t, ctx, fmt.Sprintf(`document.getElementById(%q).disabled`, id))
				if want := slices.Contains(locked, id); disabled != want {
					t.Errorf("#%s disabled = %v, want %v", id, disabled, want)
				}
			}
		}
		note := text(t, ctx, "lock-note")
		if eval[bool](t, ctx, `document.getElementById("lock-note").hidden`) || note != "This link fixed every setting but k, the number of hidden units, so those controls are locked." {
			t.Errorf("lock note %q", note)
		}
		if got := eval[string](t, ctx, `document.getElementById("seed").getAttribute("aria-describedby")`); got != "lock-note" {
			t.Errorf("a locked control is not described by the note: %q", got)
		}
	}
	checkLocked(ctx)

	// A locked parameter cannot change, whatever the way in.
	setControl(t, ctx, "n", "20")
	s := waitHook(t, ctx, appHook, 5*time.Second, "a refusal", func(s viewRects) bool { return s.Message != "" })
	if s.N != 7 || !strings.Contains(s.Message, "lock=n") {
		t.Errorf("changing a locked N: n = %d, message %q", s.N, s.Message)
	}
	click(t, ctx, "new-seed", 1) // disabled: a click does nothing
	eval[bool](t, ctx, `(document.getElementById("new-seed").disabled = false, document.getElementById("new-seed").click(), true)`)
	s = waitHook(t, ctx, appHook, 5*time.Second, "a refusal", func(s viewRects) bool { return strings.Contains(s.Message, "seed") })
	if !strings.Contains(s.Fragment, "seed=3") {
		t.Errorf("New seed changed a locked seed: %s", s.Fragment)
	}
	// Nor from a tour step or an imported snapshot of another network.
	click(t, ctx, "tour-start", 1)
	s = waitHook(t, ctx, appHook, 5*time.Second, "the tour refused", func(s viewRects) bool { return strings.Contains(s.Message, "Tour step 1 was not shown") })
	if s.N != 7 {
		t.Errorf("a tour step changed a locked N: %+v", s)
	}
	other, err := core.NewTrainer(core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	snap, err := other.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(file, snap, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("import"), []string{file})); err != nil {
		t.Fatal(err)
	}
	s = waitHook(t, ctx, appHook, 5*time.Second, "the import refused", func(s viewRects) bool { return strings.Contains(s.Message, "other.json was not imported") })
	if s.N != 7 || !strings.Contains(s.Message, "this link fixed") {
		t.Errorf("importing a snapshot of 11-2-11 into a locked 7-2-7: %+v", s)
	}
	// The free one moves, and the link keeps the locks.
	setControl(t, ctx, "k", "3")
	s = waitHook(t, ctx, appHook, 10*time.Second, "k = 3", func(s viewRects) bool { return s.K == 3 })
	time.Sleep(200 * time.Millisecond)
	hash := eval[string](t, ctx, `location.hash`)
	if !strings.HasSuffix(hash, "&lock=all,-k") || !strings.Contains(hash, "k=3") || !strings.Contains(hash, "n=7") {
		t.Errorf("link after changing k: %q", hash)
	}
	// A reload from that link is as locked.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if s := readHook[viewRects](t, ctx, appHook); s.K != 3 || s.N != 7 {
		t.Errorf("after the reload: %+v", s)
	}
	checkLocked(ctx)
}

// lastDownload reads the file the page saved last (window.bottleneckLastDownload,
// set by the same code that hands it to the browser), as its name and bytes.
func lastDownload(t *testing.T, ctx context.Context, after string) (string, []byte) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		name := eval[string](t, ctx, `window.bottleneckLastDownload ? window.bottleneckLastDownload.name : ""`)
		if name != "" && name != after {
			data, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((ok, fail) => {
				const r = new FileReader();
				r.onload = () => ok(r.result.slice(r.result.indexOf(",") + 1));
				r.onerror = () => fail(r.error);
				r.readAsDataURL(window.bottleneckLastDownload.blob);
			})`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := base64.StdEncoding.DecodeString(data)
			if err != nil {
				t.Fatal(err)
			}
			return name, raw
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download after %q", after)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Save SVG saves exactly the figure of the weights the page trained: the
// page trains bit for bit as core does, so a native run to the page's step
// must draw the same bytes. The hidden space likewise, and Save PNG saves
// the whole canvas at the device's pixel ratio.
func TestSavedFiguresMatchThePage(t *testing.T) {
	const frag = "n=11&k=2&seed=1"
	base := harness.StartServer(t, harness.DistDir(t))
	ctx, _ := harness.NewContext(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800, chromedp.EmulateScale(2)), chromedp.Navigate(base+"/#"+frag)); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	setControl(t, ctx, "speed", "60") // about 40 steps a frame: frames at pixel ratio 2 are slow
	waitState(t, ctx, 60*time.Second, "step 200", func(s appState) bool { return s.Step >= 200 })
	pause(t, ctx)
	s := state(t, ctx)

	click(t, ctx, "save-svg", 1)
	name, svg := lastDownload(t, ctx, "")
	tr := coretest.Trained(t, frag, s.Step)
	if tr.Metrics().Step != s.Step {
		t.Fatal("native step")
	}
	if want := figure.FileName(tr.Config(), s.Step, "", "svg"); name != want {
		t.Errorf("file name %q, want %q", name, want)
	}
	if want := figure.Network(tr.Network(), tr.Config(), s.Step); !bytes.Equal(svg, want) {
		t.Errorf("the saved SVG (%d bytes) differs from the figure of the page's weights (%d bytes)", len(svg), len(want))
	}
	// It is an SVG document with a circle per unit and a line per connection.
	count := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the saved SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			count[se.Name.Local]++
		}
	}
	if count["svg"] != 1 || count["circle"] != 11+2+11 || count["line"] != 2*11*2 {
		t.Errorf("the saved SVG has %d svg, %d circle and %d line elements; want 1, 24, 44", count["svg"], count["circle"], count["line"])
	}
	for _, want := range []string{fmt.Sprintf("11-2-11, shift by 1, step %d", s.Step), `class="number input" data-unit="1" data-hidden="1"`} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the SVG lacks %q", want)
		}
	}

	click(t, ctx, "save-hidden-svg", 1)
	name, hid := lastDownload(t, ctx, name)
	wantHid, err := figure.HiddenSpace(tr.Network(), tr.Config(), s.Step)
	if err != nil {
		t.Fatal(err)
	}
	if name != figure.FileName(tr.Config(), s.Step, "hidden", "svg") || !bytes.Equal(hid, wantHid) {
		t.Errorf("hidden space %q (%d bytes) is not the figure of the page's weights (%d bytes)", name, len(hid), len(wantHid))
	}

	click(t, ctx, "save-png", 1)
	name, data := lastDownload(t, ctx, name)
	if want := figure.FileName(tr.Config(), s.Step, "", "png"); name != want {
		t.Errorf("PNG named %q, want %q", name, want)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the saved PNG does not decode: %v", err)
	}
	cssW := eval[float64](t, ctx, `document.getElementById("app-frame").contentWindow.innerWidth`)
	cssH := eval[float64](t, ctx, `document.getElementById("app-frame").contentWindow.innerHeight`)
	if b := img.Bounds(); b.Dx() != int(2*cssW) || b.Dy() != int(2*cssH) {
		t.Errorf("PNG %v, want the canvas at pixel ratio 2: %vx%v", b, 2*cssW, 2*cssH)
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	blue, _, _ := harness.CountPixels(buf.Bytes(), img.Bounds(), harness.Bluish)
	red, _, _ := harness.CountPixels(buf.Bytes(), img.Bounds(), harness.Reddish)
	if blue < 200 || red < 200 {
		t.Errorf("the PNG has %d blue and %d red pixels: not the network's lines", blue, red)
	}

	// k = 3 has no exact flat hidden space: the button is disabled.
	setControl(t, ctx, "k", "3")
	waitState(t, ctx, 10*time.Second, "k = 3", func(s appState) bool { return s.K == 3 })
	time.Sleep(200 * time.Millisecond)
	if !eval[bool](t, ctx, `document.getElementById("save-hidden-svg").disabled`) {
		t.Error("Save hidden space SVG is enabled for k = 3")
	}
}

// The Embed button writes an <iframe> snippet for the current run with the
// parts chosen; that snippet, pasted into a page on another site, shows a
// playground that trains there, hides what was chosen, leaves the keyboard
// free, keeps nothing in storage and links back to the full page. The same
// page cannot frame index.html.
func TestEmbedOnAnotherSite(t *testing.T) {
	const frag = "n=5&k=2&seed=1"
	ctx := open(t, "#"+frag)
	click(t, ctx, "embed", 1)
	waitHook(t, ctx, `JSON.stringify(document.getElementById("embed-code").value)`, 5*time.Second, "a snippet", func(s string) bool { return s != "" })
	eval[bool](t, ctx, `(() => {
		const c = document.getElementById("embed-hide-tour");
		c.checked = false; c.dispatchEvent(new Event("change", {bubbles: true}));
		const k = document.getElementById("embed-lock-seed");
		k.checked = true; k.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	var snippet string
	waitHook(t, ctx, `JSON.stringify(document.getElementById("embed-code").value)`, 5*time.Second, "the chosen parts in the snippet", func(s string) bool {
		snippet = s
		return strings.Contains(s, "hide=tour") && strings.Contains(s, "lock=seed")
	})
	base := strings.TrimSuffix(eval[string](t, ctx, `location.origin`), "/")
	cfg, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	wantSrc := base + "/embed.html#" + strings.ReplaceAll(cfg.Encode(), "&", "&amp;") + "&amp;hide=tour&amp;lock=seed"
	for _, want := range []string{`<iframe src="` + wantSrc + `"`, `title="Bottleneck: 5-2-5, shift by 1, an interactive neural network"`, `width="720" height="480"`, `loading="lazy"`} {
		if !strings.Contains(snippet, want) {
			t.Errorf("snippet %s\nlacks %s", snippet, want)
		}
	}

	var mu sync.Mutex
	html := `<!doctype html><title>A course page</title><p><button id="before">before</button></p>` + snippet +
		`<p><button id="after">after</button></p><iframe id="full" src="` + base + `/index.html" title="the full page"></iframe>`
	host := hostPage(t, func() string { mu.Lock(); defer mu.Unlock(); return html })
	hctx, _ := harness.NewContext(t)
	if err := chromedp.Do(hctx, chromedp.Navigate(host)); err != nil {
		t.Fatal(err)
	}
	ectx := frameTarget(t, hctx, base+"/embed.html", 30*time.Second)
	if err := harness.WaitReady(ectx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	// Attach again: a context attached before the embed had framed its
	// canvas page stops answering once that frame appears.
	ectx = frameTarget(t, hctx, base+"/embed.html", time.Second)
	s := waitHook(t, ectx, appHook, 60*time.Second, "training in the embed", func(s viewRects) bool { return s.Step > 20 })
	if s.N != 5 || s.K != 2 {
		t.Errorf("the embed runs %+v", s)
	}
	if hidden := hiddenParts(t, ectx, []string{"tour", "walk", "status"}); !hidden["tour"] || hidden["walk"] || hidden["status"] {
		t.Errorf("hidden parts in the embed: %v", hidden)
	}
	if !eval[bool](t, ectx, `document.getElementById("seed").disabled && !document.getElementById("k").disabled`) {
		t.Error("the embed's seed is not locked, or its k is")
	}
	// Nor does it register the service worker (site/static/offline.js):
	// the embed keeps nothing on another site.
	if got := eval[string](t, ectx, `window.bottleneckOffline.state`); got != "framed" {
		t.Errorf("the embed's offline state is %q, want framed", got)
	}
	if got := eval[string](t, ectx, `document.title`); got == "" {
		t.Error("the embed has no title")
	}
	open := eval[string](t, ectx, `(() => { const a = document.getElementById("open-full"); return [a.textContent, a.target, a.rel, a.href].join("|"); })()`)
	if want := "Open in Bottleneck ↗|_blank|noopener|" + base + "/index.html#" + s.Fragment; open != want {
		t.Errorf("open link %q, want %q", open, want)
	}
	if got := eval[string](t, ectx, `(() => {
		let s = document.cookie;
		try { s += "|" + localStorage.length + "|" + sessionStorage.length; } catch (e) { s += "|storage blocked"; }
		return s;
	})()`); got != "|0|0" && got != "|storage blocked" {
		t.Errorf("the embed keeps something: cookie|local|session = %q", got)
	}

	// The keyboard: Tab goes from the host page into the embed, through it,
	// and out again; s steps the run from inside.
	// A click, as a person's, not a script's focus(): the keys go to the
	// page's focused frame, which a script's focus() in the host page does
	// not take back from the embed once the embed's canvas has taken it
	// (under load the canvas's program can start after the host's focus()).
	walk := func() (inside, reached bool, last string) {
		at := eval[[]float64](t, hctx, `(() => { const r = document.getElementById("before").getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })()`)
		if err := chromedp.Do(hctx, chromedp.MouseClickXY(at[0], at[1])); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, hctx, `document.activeElement.id`); got != "before" {
			t.Fatalf("a click on the host page's first button left the focus on %q", got)
		}
		for range 80 {
			if err := chromedp.Do(hctx, chromedp.KeyEvent("\t")); err != nil {
				t.Fatal(err)
			}
			last = eval[string](t, hctx, `document.activeElement.id || document.activeElement.tagName`)
			if last == "IFRAME" {
				inside = true
			}
			if last == "after" {
				return inside, true, last
			}
		}
		return inside, false, last
	}
	inside, reached, last := walk()
	if !inside || !reached {
		// Seen in about one clean-clone run in five on the shared 2-core
		// machine, never when the test runs alone: the walk is made once
		// more from a new click, and that one must go in and out.
		t.Logf("Tab walk: went into the embed %v, came out after it %v, the host's focus last on %s, the embed's on %s; walking again",
			inside, reached, last, eval[string](t, ectx, `document.activeElement.id || document.activeElement.tagName`))
		inside, reached, last = walk()
	}
	if !inside || !reached {
		t.Errorf("Tab from the host page: went into the embed %v, came out after it %v (the focus last on %s)", inside, reached, last)
	}
	eval[bool](t, ectx, `(document.getElementById("open-full").focus(), true)`)
	eval[bool](t, hctx, `(document.querySelector("iframe").focus(), true)`)
	before := readHook[viewRects](t, ectx, appHook)
	if err := chromedp.Do(hctx, chromedp.KeyEvent("s")); err != nil {
		t.Fatal(err)
	}
	after := waitHook(t, ectx, appHook, 5*time.Second, "a step by the s key", func(s viewRects) bool { return !s.Running })
	if after.Step < before.Step {
		t.Errorf("s in the embed: %+v then %+v", before, after)
	}

	// The same page cannot frame the playground: the browser refuses it.
	fctx := frameTarget(t, hctx, base+"/index.html", 10*time.Second)
	if eval[bool](t, fctx, `document.getElementById("app-frame") !== null`) {
		t.Error("index.html was framed by another site")
	}
	refused := false
	for _, m := range harness.ConsoleOf(hctx).Errors() {
		refused = refused || strings.Contains(m, "frame-ancestors 'self'") && strings.Contains(m, base)
	}
	if !refused {
		t.Errorf("no frame-ancestors refusal in the console: %q", harness.ConsoleOf(hctx).Errors())
	}
}
