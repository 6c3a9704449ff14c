package browser

import (
	"image"
	"strings"
	"testing"
	"time"
)

// The Firefox tab reads the readiness signal, both ways, records the
// console's errors and uncaught exceptions, and takes screenshots whose
// pixels are where the page put them.
func TestFirefoxTab(t *testing.T) {
	base := serveTestSite(t)
	ff := NewFirefox(t, 800, 600)
	if err := ff.Navigate(base + "/?throw"); err != nil {
		t.Fatal(err)
	}
	if err := ff.WaitReady(20 * time.Second); err != nil {
		t.Fatal(err)
	}
	if errs := ff.ConsoleErrors(); len(errs) != 1 || !strings.Contains(errs[0], "uncaught on purpose") {
		t.Errorf("ConsoleErrors() = %q, want the uncaught error", errs)
	}
	var w int
	if err := ff.Evaluate(`window.innerWidth`, &w); err != nil || w != 800 {
		t.Errorf("innerWidth = %d, %v; want 800", w, err)
	}
	var sum int
	if err := ff.Evaluate(`new Promise(r => setTimeout(() => r(40 + 2), 10))`, &sum); err != nil || sum != 42 {
		t.Errorf("a promise's value: %d, %v; want 42", sum, err)
	}
	if err := ff.Evaluate(`nosuchname`, &sum); err == nil || !strings.Contains(err.Error(), "nosuchname") {
		t.Errorf("evaluating an undefined name: %v, want its ReferenceError", err)
	}
	buf, err := ff.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	blue := image.Rect(0, 0, 200, 100)
	if n, total, err := CountPixels(buf, blue, Bluish); err != nil || n != total || total != 200*100 {
		t.Errorf("bluish in #blue: %d of %d (%v), want all 20000", n, total, err)
	}

	if err := ff.Navigate(base + "/"); err != nil {
		t.Fatal(err)
	}
	if err := ff.WaitReady(20 * time.Second); err != nil {
		t.Fatal(err)
	}
	if errs := ff.ConsoleErrors(); len(errs) != 2 || !strings.Contains(errs[1], "harness test error 42") {
		t.Errorf("ConsoleErrors() = %q, want the console.error after the uncaught error", errs)
	}
	if err := ff.Navigate(base + "/?fail"); err != nil {
		t.Fatal(err)
	}
	if err := ff.WaitReady(20 * time.Second); err == nil || !strings.Contains(err.Error(), "the network exploded") {
		t.Errorf("WaitReady = %v, want the text of #message", err)
	}
}
