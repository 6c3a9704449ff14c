package site_test

import (
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
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// Without WebGL2 the page says so plainly where the network would be,
// and training still runs in the engine: the status line counts steps,
// a changed control rewrites the link, and Export saves the run.
func TestNoWebGL2StillTrains(t *testing.T) {
	ctx := open(t, "#n=8&k=3&seed=5", harness.Flag("disable-3d-apis", true), harness.Flag("disable-webgl", true))
	if got := eval[bool](t, ctx, `!!document.createElement("canvas").getContext("webgl2")`); got {
		t.Fatal("this browser still has WebGL2: the test cannot check the page without it")
	}
	s := state(t, ctx)
	if !s.NoWebGL2 {
		t.Fatalf("the page does not know it has no WebGL2: %+v", s)
	}
	msg := eval[string](t, ctx, `(() => {
		const el = document.getElementById("app-frame").contentDocument.getElementById("no-webgl2");
		return el ? el.textContent : "";
	})()`)
	for _, want := range []string{"could not start WebGL2", "cannot be drawn", "Training still runs", "hardware acceleration"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the page says %q, without %q", msg, want)
		}
	}
	// The status line shows training under way.
	s = waitState(t, ctx, 60*time.Second, "step 200", func(s appState) bool { return s.Step >= 200 })
	if got := text(t, ctx, "stat-step"); got == "0" || got == "" {
		t.Errorf("#stat-step = %q at step %d", got, s.Step)
	}
	// A control still rewrites the link and restarts the run.
	setControl(t, ctx, "k", "2")
	waitState(t, ctx, 10*time.Second, "k=2", func(s appState) bool { return s.K == 2 })
	if hash := eval[string](t, ctx, `location.hash`); !strings.Contains(hash, "k=2") {
		t.Errorf("location.hash = %q after k = 2", hash)
	}
	// Export saves the run's weights at the paused step.
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, 30*time.Second, "step 50", func(s appState) bool { return s.Step >= 50 })
	click(t, ctx, "play", 1)
	s = waitState(t, ctx, 10*time.Second, "pause", func(s appState) bool { return !s.Running })
	click(t, ctx, "export", 1)
	path := filepath.Join(dl, fmt.Sprintf("bottleneck-8-2-8-step%d.json", s.Step))
	var data []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var err error
		if data, err = os.ReadFile(path); err == nil && json.Valid(data) {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dl)
			t.Fatalf("no download %s; the folder holds %v", path, entries)
		}
	}
	tr, err := core.LoadSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if m := tr.Metrics(); m.Step != s.Step || tr.Config().K != 2 {
		t.Errorf("exported step %d k %d, the page shows step %d", m.Step, tr.Config().K, s.Step)
	}
}
