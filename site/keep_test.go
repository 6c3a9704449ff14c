package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// keptRecord is what keptRecords reads of a record the page stored.
type keptRecord struct {
	Link    string  `json:"link"`
	SavedAt float64 `json:"savedAt"`
	Running bool    `json:"running"`
	Step    int     `json:"step"`
	Floats  int     `json:"floats"`
}

// keptJS reads every record of the page's IndexedDB store, once the page
// has made it (opening it first would make the database without it).
const keptJS = `new Promise((resolve, reject) => {
	const req = indexedDB.open("bottleneck");
	req.onerror = () => reject(String(req.error));
	req.onsuccess = () => {
		const db = req.result;
		if (!db.objectStoreNames.contains("runs")) { db.close(); resolve([]); return; }
		const all = db.transaction("runs").objectStore("runs").getAll();
		all.onerror = () => { db.close(); reject(String(all.error)); };
		all.onsuccess = () => {
			db.close();
			resolve(all.result.map((r) => ({link: r.link, savedAt: r.savedAt, running: r.running,
				step: JSON.parse(r.head).step || 0, floats: r.weights.length})));
		};
	};
})`

// chromiumAwait is chromiumEval for an expression whose value is a promise.
func chromiumAwait(ctx context.Context) evalFunc {
	return func(js string, out any) error {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js, chromedp.EvalAwaitPromise))
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, out)
	}
}

// keptRecords reads the records the page stored, through eval.
func keptRecords(t *testing.T, eval evalFunc) []keptRecord {
	t.Helper()
	return evalIn[[]keptRecord](t, eval, keptJS)
}

// waitKept waits until the record of link satisfies ok.
func waitKept(t *testing.T, eval evalFunc, link, what string, ok func(keptRecord) bool) keptRecord {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rs := keptRecords(t, eval)
		for _, r := range rs {
			if r.Link == link && ok(r) {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the kept record of %s %s; the store holds %+v", link, what, rs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// navigate loads url as a new document (not a fragment change) and waits
// for the page to be ready.
func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
}

// A run trained to step 1,000 and reloaded continues there, with the
// notice; trained on to step 2,000 it has the weights of core's
// uninterrupted run, bit for bit. Start over deletes the record and starts
// fresh; another link starts fresh; the embed stores nothing.
func TestRunSurvivesReload(t *testing.T) {
	const frag = "n=11&k=2&seed=3"
	ctx := open(t, "#"+frag)
	link := mustFragment(t, frag).Encode()
	stepClicks(t, ctx, true, 1000, 1000)
	r := waitKept(t, chromiumAwait(ctx), link, "at step 1000", func(r keptRecord) bool { return r.Step == 1000 })
	if r.Running || r.Floats == 0 {
		t.Errorf("the record at step 1000: %+v", r)
	}

	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, 20*time.Second, "the kept run at step 1000", func(s appState) bool { return s.Step == 1000 && !s.Running })
	if !visible(t, ctx, "kept") || !strings.HasPrefix(text(t, ctx, "kept-text"), "Continued from step 1,000 (saved ") {
		t.Errorf("the notice: shown %v, %q", visible(t, ctx, "kept"), text(t, ctx, "kept-text"))
	}
	s := stepClicks(t, ctx, false, 1000, 2000)
	if want := nativeDigest(t, frag, 2000); s.Weights != want {
		t.Errorf("step 2000 after the reload: weights %s, core's uninterrupted run %s", s.Weights, want)
	}
	checkNativeRun(t, "browser", s, frag, 2000)
	waitKept(t, chromiumAwait(ctx), link, "at step 2000", func(r keptRecord) bool { return r.Step == 2000 })

	// Start over: the record goes, and the run starts fresh, training.
	click(t, ctx, "kept-over", 1)
	s = waitState(t, ctx, 10*time.Second, "a fresh run", func(s appState) bool { return s.Step < 1000 && s.Running })
	if visible(t, ctx, "kept") {
		t.Error("the notice stays after Start over")
	}
	for _, r := range keptRecords(t, chromiumAwait(ctx)) {
		if r.Link == link && r.Step >= 1000 {
			t.Errorf("after Start over the store still holds the run at step %d", r.Step)
		}
	}
	// The fresh run is kept in its turn.
	waitKept(t, chromiumAwait(ctx), link, "of the fresh run", func(r keptRecord) bool { return r.Step > 0 && r.Step < 1000 && r.Running })

	// Another link starts fresh, and is kept beside the first.
	origin := eval[string](t, ctx, `location.origin`)
	const other = "n=9&k=2&seed=4"
	navigate(t, ctx, origin+"/#"+other)
	if s := state(t, ctx); s.N != 9 || visible(t, ctx, "kept") {
		t.Errorf("another link: %+v, notice shown %v", s, visible(t, ctx, "kept"))
	}
	otherLink := mustFragment(t, other).Encode()
	waitKept(t, chromiumAwait(ctx), otherLink, "saved", func(keptRecord) bool { return true })
	if n := len(keptRecords(t, chromiumAwait(ctx))); n != 2 {
		t.Errorf("%d records, want 2", n)
	}

	// The embed stores nothing.
	const embedded = "n=7&k=2&seed=5"
	navigate(t, ctx, origin+"/embed.html#"+embedded)
	waitState(t, ctx, 20*time.Second, "training in the embed", func(s appState) bool { return s.Step > 50 })
	time.Sleep(4 * time.Second) // longer than keep.Every
	for _, r := range keptRecords(t, chromiumAwait(ctx)) {
		if strings.Contains(r.Link, "n=7") {
			t.Errorf("the embed stored its run: %+v", r)
		}
	}

	// A corrupt record is ignored, with the reason in the console, and
	// the link's run starts fresh.
	corrupt := mustFragment(t, "n=5&k=2&seed=1").Encode()
	evalIn[bool](t, chromiumAwait(ctx), fmt.Sprintf(`new Promise((resolve, reject) => {
		const req = indexedDB.open("bottleneck");
		req.onsuccess = () => {
			const tx = req.result.transaction("runs", "readwrite");
			tx.objectStore("runs").put({format: "bottleneck-run", version: 1, link: %q, savedAt: Date.now(), running: false,
				head: '{"v":1,"type":"saved","seq":1,"config":"n=5&k=2","step":400}', weights: new Float64Array(3)});
			tx.oncomplete = () => { req.result.close(); resolve(true); };
			tx.onerror = () => reject(String(tx.error));
		};
	})`, corrupt))
	navigate(t, ctx, origin+"/#"+corrupt)
	time.Sleep(time.Second)
	if s := state(t, ctx); s.Step >= 400 || visible(t, ctx, "kept") {
		t.Errorf("a corrupt record was taken: step %d, notice shown %v", s.Step, visible(t, ctx, "kept"))
	}
	logged := false
	for _, m := range harness.ConsoleOf(ctx).Messages() {
		logged = logged || strings.Contains(m.Text, "the kept run of this link is ignored") && strings.Contains(m.Text, "3 weights, but a 5-2-5 network has 27")
	}
	if !logged {
		t.Errorf("no reason logged for the corrupt record: %v", harness.ConsoleOf(ctx).Messages())
	}
	harness.ConsoleOf(ctx).Check(t)
}

func mustFragment(t *testing.T, frag string) core.Config {
	t.Helper()
	c, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Storage that fails (here IndexedDB throws, as when it is blocked) says
// so once, quietly, and training is not affected.
func TestRunKeptStorageFails(t *testing.T) {
	base := harness.StartServer(t, harness.DistDir(t))
	ctx, _ := harness.NewContext(t)
	const block = `Object.defineProperty(window, "indexedDB", {get() { throw new DOMException("The user denied permission to access the database.", "SecurityError"); }});`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: block}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#n=11&k=2&seed=3")); err != nil {
		t.Fatal(err)
	}
	if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(text(t, ctx, "notice"), "does not keep the run") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := text(t, ctx, "notice"); !strings.Contains(n, "does not keep the run across reloads") {
		t.Errorf("#notice = %q", n)
	}
	s := waitState(t, ctx, 20*time.Second, "training on", func(s appState) bool { return s.Step > 200 && s.Running })
	if s.Message != "" || s.Failed {
		t.Errorf("storage that fails disturbs the page: %+v", s)
	}
	warned := 0
	for _, m := range harness.ConsoleOf(ctx).Messages() {
		if strings.Contains(m.Text, "runs are not kept in this browser") && strings.Contains(m.Text, "SecurityError") {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("the console says %d times that runs are not kept, want once: %v", warned, harness.ConsoleOf(ctx).Messages())
	}
	harness.ConsoleOf(ctx).Check(t)
}

// In Firefox too a run kept at step 300 continues after a reload, to
// core's uninterrupted run at step 600 bit for bit.
func TestFirefoxRunSurvivesReload(t *testing.T) {
	const frag = "n=8&k=2&task=reverse&seed=7"
	ff := openFirefox(t, "/#"+frag)
	ffEval[bool](t, ff, `(() => {
		document.getElementById("reset").click();
		const step = document.getElementById("step");
		for (let i = 0; i < 300; i++) step.click();
		return true;
	})()`)
	waitHookIn(t, ff.Evaluate, appHook, 30*time.Second, "step 300", func(s appState) bool { return s.Step == 300 && !s.Running })
	link := mustFragment(t, frag).Encode()
	waitKept(t, ff.Evaluate, link, "at step 300", func(r keptRecord) bool { return r.Step == 300 })
	url := ffEval[string](t, ff, `location.href`)
	if err := ff.Navigate("about:blank"); err != nil {
		t.Fatal(err)
	}
	if err := ff.Navigate(url); err != nil {
		t.Fatal(err)
	}
	if err := ff.WaitReady(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	waitHookIn(t, ff.Evaluate, appHook, 20*time.Second, "the kept run at step 300", func(s appState) bool { return s.Step == 300 && !s.Running })
	if got := ffEval[string](t, ff, `document.getElementById("kept-text").textContent`); !strings.HasPrefix(got, "Continued from step 300 (saved ") {
		t.Errorf("the notice says %q", got)
	}
	ffEval[bool](t, ff, `(() => {
		const step = document.getElementById("step");
		for (let i = 0; i < 300; i++) step.click();
		return true;
	})()`)
	s := waitHookIn(t, ff.Evaluate, appHook, 30*time.Second, "step 600", func(s appState) bool { return s.Step == 600 && !s.Running })
	if want := nativeDigest(t, frag, 600); s.Weights != want {
		t.Errorf("step 600 after the reload: weights %s, core's uninterrupted run %s", s.Weights, want)
	}
	ffNoErrors(t, ff)
}
