package site_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// evalFunc evaluates a JavaScript expression in a browser's tab and decodes
// its value into out. The Chromium tests get one from chromiumEval, the
// Firefox tests use FirefoxTab.Evaluate, so that the hook helpers below
// serve both browsers.
type evalFunc func(js string, out any) error

// chromiumEval returns the evalFunc of the Chromium tab behind ctx.
func chromiumEval(ctx context.Context) evalFunc {
	return func(js string, out any) error {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js))
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, out)
	}
}

// evalIn evaluates js through eval and returns its value, failing the test
// when it cannot.
func evalIn[T any](t testing.TB, eval evalFunc, js string) T {
	t.Helper()
	var v T
	if err := eval(js, &v); err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// hookIn evaluates expr, a page test hook that returns JSON (such as
// window.bottleneck.state()), through eval and decodes it into a T. Each
// test file decodes into its own view of the hook, holding the fields it
// checks.
func hookIn[T any](t testing.TB, eval evalFunc, expr string) T {
	t.Helper()
	raw := evalIn[string](t, eval, expr)
	var s T
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("%s returned %q: %v", expr, raw, err)
	}
	return s
}

// waitHookIn polls the hook expr through eval until ok holds, failing the
// test with the last value seen when timeout passes.
func waitHookIn[T any](t testing.TB, eval evalFunc, expr string, timeout time.Duration, what string, ok func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := hookIn[T](t, eval, expr)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last state %+v", timeout, what, s)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// readHook is hookIn in the Chromium tab behind ctx.
func readHook[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return hookIn[T](t, chromiumEval(ctx), expr)
}

// waitHook is waitHookIn in the Chromium tab behind ctx.
func waitHook[T any](t *testing.T, ctx context.Context, expr string, timeout time.Duration, what string, ok func(T) bool) T {
	t.Helper()
	return waitHookIn(t, chromiumEval(ctx), expr, timeout, what, ok)
}
