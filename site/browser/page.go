package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/site"
	"github.com/chromedp/chromedp"
)

// The values of data-state on the top page's <html> element that WaitReady
// understands.
const (
	// StateReady means the app has drawn its first frame with a training
	// network.
	StateReady = "ready"
	// StateError means the app hit a fatal error; #fatal-text or #message
	// says which.
	StateError = "error"
)

// DistEnv is the environment variable that points the tests at a built
// site folder other than <repo root>/site/dist. A relative path is taken
// from the repository root, where make runs.
const DistEnv = "BOTTLENECK_DIST"

// StartServer serves the folder dir with site.Handler on a free port of
// 127.0.0.1 for the length of the test, and returns the base URL without a
// trailing slash, such as "http://127.0.0.1:40123". Serving through the real
// handler means the tests run under the real Content-Security-Policy and
// content types.
func StartServer(t testing.TB, dir string) string {
	t.Helper()
	return StartServerVia(t, dir, nil)
}

// StartServerVia is StartServer with every request passing through via,
// which gets site.Handler(dir) and returns the handler to serve: a slow
// line, a file held back or broken. A nil via serves the site as it is.
// The server closes at the end of the test, after every cleanup the caller
// registers later (cleanups run last first), so a cleanup that lets held
// requests go runs before Close waits for them.
func StartServerVia(t testing.TB, dir string, via func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = site.Handler(dir)
	if via != nil {
		h = via(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// DistDir returns the built site folder: $BOTTLENECK_DIST when set, else
// <repo root>/site/dist, the root found by walking up to go.mod. It fails the
// test, and does not skip it, when index.html or bottleneck.wasm is missing:
// make test builds the site first, so a missing build is a real failure.
func DistDir(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("finding the repository root: %v", err)
	}
	dir := filepath.Join(root, "site", "dist")
	if env := os.Getenv(DistEnv); env != "" {
		dir = env
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
	}
	for _, name := range []string{"index.html", "bottleneck.wasm"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatalf("site not built: run make site (%s has no %s)", dir, name)
		}
	}
	return dir
}

// pageState is what WaitReady reads from the page.
type pageState struct {
	State     string `json:"state"`
	FatalText string `json:"fatalText"`
	Message   string `json:"message"`
}

// readStateJS reads the readiness signal of the top page. It runs through
// the DevTools protocol, which the page's Content-Security-Policy does not
// restrict.
const readStateJS = `(() => {
	const text = (sel) => {
		const el = document.querySelector(sel);
		return el ? el.textContent.trim() : "";
	};
	return {
		state: document.documentElement.dataset.state || "",
		fatalText: text("#fatal-text"),
		message: text("#message"),
	};
})()`

// WaitReady waits up to timeout for the top page of the tab to signal
// readiness: document.documentElement.dataset.state === "ready". It returns
// an error when the page sets data-state="error" (the error holds the text
// of #fatal-text or #message) or when the time runs out (the error holds the
// last state seen). Both errors also list the console errors so far when ctx
// comes from NewContext. Call it after the tab has run an action, such as
// chromedp.Navigate, so that its timeout cannot stop the browser.
func WaitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	read := func() (pageState, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[pageState](readStateJS))
	}
	return pollReady(read, timeout, func() string { return consoleSummary(ctx) })
}

// pollReady reads the page's state every 50 ms until it is ready (nil), has
// failed, or timeout has passed (errors that say what was last seen, then
// console()). A read error, usually a page still navigating (no execution
// context yet), only counts if it lasts. Both browsers' WaitReady use it.
func pollReady(read func() (pageState, error), timeout time.Duration, console func() string) error {
	deadline := time.Now().Add(timeout)
	var last pageState
	var lastErr error
	for {
		st, err := read()
		if err == nil {
			last, lastErr = st, nil
			switch st.State {
			case StateReady:
				return nil
			case StateError:
				text := st.FatalText
				if text == "" {
					text = st.Message
				}
				if text == "" {
					text = "(no text in #fatal-text or #message)"
				}
				return fmt.Errorf("page reported a fatal error: %s%s", text, console())
			}
		} else if time.Now().Before(deadline) {
			lastErr = err
		}
		if !time.Now().Before(deadline) {
			msg := fmt.Sprintf("page not ready after %v: data-state=%q", timeout, last.State)
			if last.Message != "" {
				msg += fmt.Sprintf(", #message=%q", last.Message)
			}
			if last.FatalText != "" {
				msg += fmt.Sprintf(", #fatal-text=%q", last.FatalText)
			}
			if lastErr != nil {
				msg += fmt.Sprintf(", last error: %v", lastErr)
			}
			return errors.New(msg + console())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// consoleSummary lists the console errors of the tab, for an error message.
func consoleSummary(ctx context.Context) string {
	c := ConsoleOf(ctx)
	if c == nil {
		return ""
	}
	return consoleLines(c.Errors())
}

// consoleLines lists console errors for an error message, one a line, or
// returns "" when there are none.
func consoleLines(errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	return "\nconsole errors:\n  " + strings.Join(errs, "\n  ")
}

// Screenshot captures the visible viewport of the tab as a PNG, writes it to
// path when path is not empty (creating its folder), and returns the PNG
// bytes. Pixel coordinates are CSS pixels times window.devicePixelRatio,
// which is 1 in the headless browser of NewContext.
func Screenshot(ctx context.Context, path string) ([]byte, error) {
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// ElementRect returns the rectangle of the first element of the top page
// that matches the CSS selector, in screenshot pixels (CSS pixels times
// devicePixelRatio), so that it can go straight to CountPixels.
func ElementRect(ctx context.Context, selector string) (image.Rectangle, error) {
	sel, err := json.Marshal(selector)
	if err != nil {
		return image.Rectangle{}, err
	}
	js := fmt.Sprintf(`(() => {
	const el = document.querySelector(%s);
	if (!el) return null;
	const r = el.getBoundingClientRect(), s = window.devicePixelRatio || 1;
	return [r.left * s, r.top * s, r.right * s, r.bottom * s];
})()`, sel)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](js))
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("rect of %s: %w", selector, err)
	}
	if len(v) != 4 {
		return image.Rectangle{}, fmt.Errorf("rect of %s: no such element", selector)
	}
	// Round inwards, so that the rectangle holds only the element's pixels.
	return image.Rect(int(v[0]+0.999), int(v[1]+0.999), int(v[2]), int(v[3])), nil
}

// CountPixels decodes a PNG and counts the pixels inside r (clipped to the
// image) for which match returns true. It also returns the number of pixels
// looked at, so that a test can assert a share ("at least 10% bluish").
func CountPixels(pngData []byte, r image.Rectangle, match func(color.NRGBA) bool) (matched, total int, err error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return 0, 0, fmt.Errorf("decoding PNG: %w", err)
	}
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if match(c) {
				matched++
			}
			total++
		}
	}
	return matched, total, nil
}

// Bluish reports whether c is clearly blue: a strong blue channel well above
// red and green. The margins are wide so that antialiasing and color
// management do not change the answer for a plainly blue pixel.
func Bluish(c color.NRGBA) bool {
	r, g, b := int(c.R), int(c.G), int(c.B)
	return b >= 100 && b-r >= 50 && b-g >= 30
}

// WeightColours captures the tab and counts, inside the first element of the
// top page that matches selector, the clearly blue and clearly red pixels
// (Bluish, Reddish): the colours of positive and negative weights, by which
// a test sees that a network is drawn. total is the pixels looked at.
func WeightColours(ctx context.Context, selector string) (blue, red, total int, err error) {
	png, err := Screenshot(ctx, "")
	if err != nil {
		return 0, 0, 0, err
	}
	r, err := ElementRect(ctx, selector)
	if err != nil {
		return 0, 0, 0, err
	}
	if blue, total, err = CountPixels(png, r, Bluish); err != nil {
		return 0, 0, 0, err
	}
	red, _, err = CountPixels(png, r, Reddish)
	return blue, red, total, err
}

// Reddish reports whether c is clearly red: a strong red channel well above
// green and blue.
func Reddish(c color.NRGBA) bool {
	r, g, b := int(c.R), int(c.G), int(c.B)
	return r >= 100 && r-g >= 50 && r-b >= 50
}

// Greenish reports whether c is clearly green: a strong green channel well
// above red and blue.
func Greenish(c color.NRGBA) bool {
	r, g, b := int(c.R), int(c.G), int(c.B)
	return g >= 100 && g-r >= 50 && g-b >= 50
}
