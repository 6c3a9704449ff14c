package site_test

import (
	"context"
	"encoding/json"
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

// keptRecords reads every record of the page's IndexedDB store, once the
// page has made it (opening it first would make the database without it).
func keptRecords(t *testing.T, ctx context.Context) []keptRecord {
	t.Helper()
	const js = `new Promise((resolve) => {
		const req = indexedDB.open("bottleneck");
		req.onerror = () => resolve("error: " + req.error);
		req.onsuccess = () => {
			const db = req.result;
			if (!db.objectStoreNames.contains("runs")) { db.close(); resolve("[]"); return; }
			const all = db.transaction("runs").objectStore("runs").getAll();
			all.onerror = () => { db.close(); resolve("error: " + all.error); };
			all.onsuccess = () => {
				db.close();
				resolve(JSON.stringify(all.result.map((r) => ({link: r.link, savedAt: r.savedAt, running: r.running,
					step: JSON.parse(r.head).step || 0, floats: r.weights.length}))));
			};
		};
	})`
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var rs []keptRecord
	if err := json.Unmarshal([]byte(text), &rs); err != nil {
		t.Fatalf("the kept records: %s", text)
	}
	return rs
}

// waitKept waits until the record of link satisfies ok.
func waitKept(t *testing.T, ctx context.Context, link, what string, ok func(keptRecord) bool) keptRecord {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rs := keptRecords(t, ctx)
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
	r := waitKept(t, ctx, link, "at step 1000", func(r keptRecord) bool { return r.Step == 1000 })
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
	waitKept(t, ctx, link, "at step 2000", func(r keptRecord) bool { return r.Step == 2000 })

	// Start over: the record goes, and the run starts fresh, training.
	click(t, ctx, "kept-over", 1)
	s = waitState(t, ctx, 10*time.Second, "a fresh run", func(s appState) bool { return s.Step < 1000 && s.Running })
	if visible(t, ctx, "kept") {
		t.Error("the notice stays after Start over")
	}
	for _, r := range keptRecords(t, ctx) {
		if r.Link == link && r.Step >= 1000 {
			t.Errorf("after Start over the store still holds the run at step %d", r.Step)
		}
	}
	// The fresh run is kept in its turn.
	waitKept(t, ctx, link, "of the fresh run", func(r keptRecord) bool { return r.Step > 0 && r.Step < 1000 && r.Running })

	// Another link starts fresh, and is kept beside the first.
	origin := eval[string](t, ctx, `location.origin`)
	const other = "n=9&k=2&seed=4"
	navigate(t, ctx, origin+"/#"+other)
	if s := state(t, ctx); s.N != 9 || visible(t, ctx, "kept") {
		t.Errorf("another link: %+v, notice shown %v", s, visible(t, ctx, "kept"))
	}
	otherLink := mustFragment(t, other).Encode()
	waitKept(t, ctx, otherLink, "saved", func(keptRecord) bool { return true })
	if n := len(keptRecords(t, ctx)); n != 2 {
		t.Errorf("%d records, want 2", n)
	}

	// The embed stores nothing.
	const embedded = "n=7&k=2&seed=5"
	navigate(t, ctx, origin+"/embed.html#"+embedded)
	waitState(t, ctx, 20*time.Second, "training in the embed", func(s appState) bool { return s.Step > 50 })
	time.Sleep(4 * time.Second) // longer than keep.Every
	for _, r := range keptRecords(t, ctx) {
		if strings.Contains(r.Link, "n=7") {
			t.Errorf("the embed stored its run: %+v", r)
		}
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
