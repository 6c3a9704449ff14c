package site_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// recordWasmSources wraps WebAssembly's streaming compilers in every frame of
// the page before its scripts run, so that each frame's window.wasmSources
// lists what it compiled: the function, and the URL of the Response it was
// given ("(no URL)" for a Response the page built itself).
const recordWasmSources = `(() => {
	const seen = window.wasmSources = [];
	for (const name of ["compileStreaming", "instantiateStreaming"]) {
		const real = WebAssembly[name];
		if (!real) continue;
		WebAssembly[name] = function (source, ...rest) {
			Promise.resolve(source).then(r => seen.push(name + " " + (r.url ? new URL(r.url).pathname : "(no URL)")), () => {});
			return real.call(this, source, ...rest);
		};
	}
})()`

// The pages compile both programs from the responses of their downloads,
// not from a Response of their own around a stream that counts the bytes
// for the loading bar: only a module compiled from a response with its URL
// is one whose compiled code Chrome keeps for the next visit (its code
// cache), which BenchmarkLoadTrace measures as the returning visit. On the
// playground the canvas's program is compiled in compile-worker.js, where
// this script cannot look: the worker reports its response's URL, which
// engine-start.js keeps (appSource). No frame of the playground compiles
// that program itself. The loading bar still moves: capacity.html's, drawn
// by loader.js, has counted the program's bytes.
func TestProgramsCompileFromTheirDownloads(t *testing.T) {
	base := harness.StartServer(t, harness.DistDir(t))
	for _, tc := range []struct {
		name, path string
		want       []string // sorted, in the page and its iframe together
	}{
		// engine-start.js compiles the engine, and compile-worker.js the
		// canvas's program, which takes the engine over.
		{"index", "/", []string{"compileStreaming /engine.wasm"}},
		// loader.js downloads the canvas's program, whose pool compiles
		// the engine.
		{"capacity", "/capacity.html", []string{"compileStreaming /engine.wasm", "instantiateStreaming /bottleneck.wasm"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, _ := harness.NewContext(t)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordWasmSources}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(base+tc.path)); err != nil {
				t.Fatal(err)
			}
			if err := harness.WaitReady(ctx, 90*time.Second); err != nil {
				t.Fatal(err)
			}
			// The sources are recorded when their downloads answer; the
			// explorer's pool compiles the engine after the canvas starts.
			var got []string
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				got = eval[[]string](t, ctx, `[...window.wasmSources, ...document.querySelector("iframe").contentWindow.wasmSources]`)
				if len(got) >= len(tc.want) || time.Now().After(deadline) {
					break
				}
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("compiled:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if tc.path == "/" {
				if src := eval[string](t, ctx, `window.bottleneckEngineStart.appSource`); !strings.HasSuffix(src, "/bottleneck.wasm") {
					t.Errorf("compile-worker.js compiled the canvas's program from a response with the URL %q, want .../bottleneck.wasm", src)
				}
			}
			if tc.path == "/capacity.html" {
				if v := eval[float64](t, ctx, `document.getElementById("load-progress").value`); v < 1e6 {
					t.Errorf("the loading bar stood at %v bytes after the load, want the program's size (over 1e6)", v)
				}
			}
			harness.ConsoleOf(ctx).Check(t)
		})
	}
}
