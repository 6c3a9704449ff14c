package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// nativeDigest is the page hook's weights digest (core.Network.Digest) of
// core's native run of frag at step.
func nativeDigest(t *testing.T, frag string, step int) string {
	t.Helper()
	return coretest.Trained(t, frag, step).Network().Digest()
}

// stepClicks clicks Step n times in one task, after Reset when reset
// (each click pauses and steps; the queued clicks all run before the next
// frame trains), and waits for the run to stand at step want.
func stepClicks(t *testing.T, ctx context.Context, reset bool, n, want int) appState {
	t.Helper()
	eval[bool](t, ctx, fmt.Sprintf(`(() => {
		if (%t) document.getElementById("reset").click();
		const step = document.getElementById("step");
		for (let i = 0; i < %d; i++) step.click();
		return true;
	})()`, reset, n))
	return waitState(t, ctx, 60*time.Second, fmt.Sprintf("step %d", want), func(s appState) bool { return s.Step == want && !s.Running })
}

// waitDownload waits for the browser to have written the file name into dl.
func waitDownload(t *testing.T, dl, name string) []byte {
	t.Helper()
	path := filepath.Join(dl, name)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if info, err := os.Stat(path); err == nil && info.Size() > 0 {
			time.Sleep(200 * time.Millisecond) // let the browser finish writing
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dl)
			t.Fatalf("no download %s; the folder holds %v", name, entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// An export at step 1,000, imported and trained on to step 2,000, has the
// weights of core's uninterrupted native run at step 2,000, bit for bit:
// the file holds adam's moments. The same file without them (as version
// 1) is still imported, with a notice that the optimizer starts afresh,
// and goes elsewhere.
func TestExportImportContinuesExactly(t *testing.T) {
	const frag = "n=11&k=2&seed=3"
	ctx := open(t, "#"+frag)
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	s := stepClicks(t, ctx, true, 1000, 1000)
	if want := nativeDigest(t, frag, 1000); s.Weights != want {
		t.Fatalf("step 1000: weights %s, native %s", s.Weights, want)
	}
	click(t, ctx, "export", 1)
	data := waitDownload(t, dl, "bottleneck-11-2-11-step1000.json")
	var file core.Snapshot
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if file.Version != 2 || file.Step != 1000 || file.Optimizer == nil || file.Optimizer.Kind != core.OptAdam || file.Optimizer.M == nil {
		t.Fatalf("the export is version %d at step %d with optimizer %+v; want version 2 at step 1000 with adam's moments", file.Version, file.Step, file.Optimizer)
	}
	native := coretest.Trained(t, frag, 1000)
	if got, want := *file.Optimizer.Beta1Power, native.OptimizerState()[0]; got != want {
		t.Errorf("the file's β1^t %v, native %v", got, want)
	}

	// Another run, then the file back, then 1,000 more steps.
	stepClicks(t, ctx, true, 10, 10)
	path := filepath.Join(dl, "bottleneck-11-2-11-step1000.json")
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("import"), []string{path})); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, 10*time.Second, "import", func(s appState) bool { return s.Step == 1000 && !s.Running })
	if n := text(t, ctx, "notice"); !strings.Contains(n, "Imported bottleneck-11-2-11-step1000.json at step 1000") || strings.Contains(n, "afresh") {
		t.Errorf("#notice = %q", n)
	}
	s = stepClicks(t, ctx, false, 1000, 2000)
	if want := nativeDigest(t, frag, 2000); s.Weights != want {
		t.Errorf("step 2000 after the import: weights %s, core's uninterrupted run %s", s.Weights, want)
	}
	checkNativeRun(t, "browser", s, frag, 2000)

	// Version 1: no optimizer state.
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "optimizer")
	m["version"] = 1
	old, _ := json.Marshal(m)
	oldPath := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(oldPath, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("import"), []string{oldPath})); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, 10*time.Second, "version 1 import", func(s appState) bool { return s.Step == 1000 && !s.Running })
	if n := text(t, ctx, "notice"); !strings.Contains(n, "Imported old.json at step 1000") || !strings.Contains(n, "no optimizer state") || !strings.Contains(n, "adam starts afresh") {
		t.Errorf("#notice after a version 1 import = %q", n)
	}
	s = stepClicks(t, ctx, false, 1000, 2000)
	if s.Weights == nativeDigest(t, frag, 2000) {
		t.Error("a version 1 import, with fresh moments, trained to core's uninterrupted run: the comparison above proves nothing")
	}
	harness.ConsoleOf(ctx).Check(t)
}
