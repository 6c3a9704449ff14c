package site_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// readHook evaluates expr, a page test hook that returns JSON (such as
// window.bottleneck.state()), and decodes it into a T. Each test file
// decodes into its own view of the hook, holding the fields it checks.
func readHook[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	raw := eval[string](t, ctx, expr)
	var s T
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("%s returned %q: %v", expr, raw, err)
	}
	return s
}

// waitHook polls the hook expr until ok holds, failing the test with the
// last value seen when timeout passes.
func waitHook[T any](t *testing.T, ctx context.Context, expr string, timeout time.Duration, what string, ok func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := readHook[T](t, ctx, expr)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last state %+v", timeout, what, s)
		}
		time.Sleep(40 * time.Millisecond)
	}
}
