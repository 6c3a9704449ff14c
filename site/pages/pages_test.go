package pages

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

const testPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"

var (
	idAttr  = regexp.MustCompile(`\sid="([^"]+)"`)
	metaCSP = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
)

func renderAll(t *testing.T) map[string][]byte {
	t.Helper()
	pages, err := Render(Data{MetaPolicy: testPolicy})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// ids returns the ids of a page in order, failing the test on a repeated one:
// the Go programs find elements by id, and a second element with the same id
// would never be found.
func ids(t *testing.T, name string, page []byte) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	for _, m := range idAttr.FindAllSubmatch(page, -1) {
		id := string(m[1])
		if seen[id] {
			t.Errorf("%s: id %q appears more than once", name, id)
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

func TestRenderBuildsEveryPage(t *testing.T) {
	pages := renderAll(t)
	var names []string
	for name := range pages {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"app.html", "capacity.html", "embed.html", "index.html"}; !slices.Equal(names, want) {
		t.Fatalf("pages %v, want %v", names, want)
	}
	for name, page := range pages {
		if !bytes.HasPrefix(page, []byte("<!doctype html>\n")) {
			t.Errorf("%s does not start with <!doctype html>: %.40q", name, page)
		}
		if !bytes.HasSuffix(page, []byte("</html>\n")) {
			t.Errorf("%s does not end with </html>", name)
		}
		if bytes.Contains(page, []byte("{{")) || bytes.Contains(page, []byte("}}")) {
			t.Errorf("%s still holds template actions", name)
		}
		m := metaCSP.FindAllSubmatch(page, -1)
		if len(m) != 1 || string(m[0][1]) != testPolicy {
			t.Errorf("%s: Content-Security-Policy metas %q, want one with %q", name, m, testPolicy)
			continue
		}
		head := page[:bytes.Index(page, m[0][0])]
		for _, tag := range []string{"<script", "<link", "<style", "<iframe"} {
			if bytes.Contains(head, []byte(tag)) {
				t.Errorf("%s has %s before its policy, which would not apply to it", name, tag)
			}
		}
		ids(t, name, page)
	}
}

// The embeddable page is the playground without its share row, embed
// panel and kept-run notice (an embed keeps no run), plus a link to the
// full page: every other element the Go programs look up must be on both.
func TestPlaygroundPagesShareTheirControls(t *testing.T) {
	pages := renderAll(t)
	index := ids(t, "index.html", pages["index.html"])
	embed := ids(t, "embed.html", pages["embed.html"])
	onlyIndex := diff(index, embed)
	onlyEmbed := diff(embed, index)
	wantOnlyIndex := []string{"copy-link", "embed", "embed-close", "embed-code", "embed-copy", "embed-height",
		"embed-hide", "embed-lock", "embed-panel", "embed-preview", "embed-title", "embed-width", "export", "import",
		"kept", "kept-over", "kept-text"}
	if !slices.Equal(onlyIndex, wantOnlyIndex) {
		t.Errorf("ids only on index.html: %v, want %v", onlyIndex, wantOnlyIndex)
	}
	if want := []string{"open-full"}; !slices.Equal(onlyEmbed, want) {
		t.Errorf("ids only on embed.html: %v, want %v", onlyEmbed, want)
	}
	for _, id := range []string{"k", "n", "speed", "play", "tour-start", "walk-next", "stat-step", "preview", "fatal-reset", "save-svg"} {
		if !slices.Contains(embed, id) {
			t.Errorf("embed.html lacks #%s", id)
		}
	}
}

// diff returns the elements of a that are not in b, sorted.
func diff(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func TestRenderRefusesBadInput(t *testing.T) {
	good := fstest.MapFS{
		"a.html":          {Data: []byte(`<!doctype html>{{template "csp" .}}{{template "x"}}`)},
		"parts/csp.html":  {Data: []byte(`{{define "csp"}}<meta content="{{.MetaPolicy}}">{{end}}`)},
		"parts/part.html": {Data: []byte(`{{define "x"}}<p id="x"></p>{{end}}`)},
	}
	if out, err := render(good, Data{MetaPolicy: testPolicy}); err != nil || !strings.Contains(string(out["a.html"]), `<p id="x">`) {
		t.Fatalf("render of a good folder: %q, %v", out["a.html"], err)
	}
	for _, c := range []struct {
		what   string
		fsys   fstest.MapFS
		policy string
		want   string
	}{
		{"an empty policy", good, " ", "Content-Security-Policy is empty"},
		{"a quote in the policy", good, `default-src "self"`, `holds '"'`},
		{"a tag in the policy", good, "default-src <script>", `holds '<'`},
		{"a part that does not exist", fstest.MapFS{"a.html": {Data: []byte(`{{template "nope"}}`)}}, testPolicy, `template "nope" not defined`},
		{"a broken action", fstest.MapFS{"b.html": {Data: []byte(`{{template "x"`)}}, testPolicy, "b.html"},
		{"a field that does not exist", fstest.MapFS{"c.html": {Data: []byte(`{{.Title}}`)}}, testPolicy, "c.html"},
		{"no pages", fstest.MapFS{"parts/x.html": {Data: []byte(`{{define "x"}}{{end}}`)}}, testPolicy, "no page templates"},
	} {
		out, err := render(c.fsys, Data{MetaPolicy: c.policy})
		if err == nil || !strings.Contains(err.Error(), c.want) || out != nil {
			t.Errorf("%s: pages %d, error %v; want no pages and an error with %q", c.what, len(out), err, c.want)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, Data{MetaPolicy: testPolicy}); err != nil {
		t.Fatal(err)
	}
	for name, page := range renderAll(t) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, page) {
			t.Errorf("%s written as %d bytes (%v), want Render's %d", name, len(got), err, len(page))
		}
	}
	missing := filepath.Join(dir, "missing")
	if err := Write(missing, Data{MetaPolicy: testPolicy}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Write into a missing folder: %v, want an error that says so", err)
	}
	empty := t.TempDir()
	if err := Write(empty, Data{}); err == nil {
		t.Error("Write with no policy: no error")
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a failed Write left %d files", len(entries))
	}
}

// The settings' inputs carry core's bounds and defaults, and the capacity
// explorer's fields its settings' bounds: the browser's range check and the
// value a page shows before its Go program loads agree with Go's validation.
func TestInputsCarryTheLimitsOfGo(t *testing.T) {
	pages := renderAll(t)
	d := core.DefaultConfig()
	itoa := strconv.Itoa
	dec := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	seed := strconv.FormatUint(core.MaxSeed, 10)
	playground := map[string][3]string{ // id: min, max, value ("" where the input has none)
		"n":         {itoa(core.MinN), itoa(core.MaxNDirect), itoa(d.N)},
		"n-num":     {itoa(core.MinN), itoa(core.MaxN), itoa(d.N)},
		"k":         {"0", itoa(core.MaxK), itoa(d.K)},
		"seed":      {"0", seed, strconv.FormatUint(d.Seed, 10)},
		"task-seed": {"0", seed, strconv.FormatUint(d.TaskSeed, 10)},
		"lr":        {dec(core.MinLR), dec(core.MaxLR), dec(d.LearningRate)},
	}
	explorer := map[string][3]string{
		"cap-lr":      {dec(core.MinLR), dec(core.MaxLR), ""},
		"cap-budget":  {"1", itoa(capacity.MaxBudget), ""},
		"cap-seeds":   {"1", itoa(capacity.MaxSeeds), ""},
		"cap-max":     {itoa(core.MinN), itoa(core.MaxN), itoa(core.MaxN)},
		"cap-workers": {"1", itoa(capacity.MaxWorkers), ""},
	}
	check := func(page string, want map[string][3]string) {
		for id, w := range want {
			tag := regexp.MustCompile(`<input id="` + id + `"[^>]*>`).Find(pages[page])
			if tag == nil {
				t.Errorf("%s: no <input id=%q>", page, id)
				continue
			}
			for i, attr := range []string{"min", "max", "value"} {
				if w[i] == "" {
					continue
				}
				got := "(none)"
				if m := regexp.MustCompile(`\s` + attr + `="([^"]*)"`).FindSubmatch(tag); m != nil {
					got = string(m[1])
				}
				if got != w[i] {
					t.Errorf("%s: %s has %s %s, want %s (from Go)", page, tag, attr, got, w[i])
				}
			}
		}
	}
	for _, page := range []string{"index.html", "embed.html"} {
		check(page, playground)
	}
	check("capacity.html", explorer)
}

// The pages a person opens link the web app manifest and load offline.js,
// which registers the service worker (site/offline); the canvas's page,
// framed by them, does neither.
func TestPagesLinkTheManifestAndTheWorker(t *testing.T) {
	pages := renderAll(t)
	for name, page := range pages {
		want := name != "app.html"
		for _, tag := range []string{`<link rel="manifest" href="manifest.webmanifest">`, `<script src="offline.js" defer></script>`} {
			if got := bytes.Count(page, []byte(tag)); got != map[bool]int{true: 1, false: 0}[want] {
				t.Errorf("%s has %s %d times, want it %v", name, tag, got, map[bool]string{true: "once", false: "never"}[want])
			}
		}
	}
}

// The playground pages show the build's pictures first (the stage part):
// both pictures exist, differ (one per theme), are of step 0 of the default
// run, and Write writes them beside the pages.
func TestPicturesAreWhatThePagesShowFirst(t *testing.T) {
	pics, err := Pictures()
	if err != nil {
		t.Fatal(err)
	}
	light, dark := pics[FirstPictureLight], pics[FirstPictureDark]
	if len(pics) != 2 || len(light) == 0 || len(dark) == 0 || bytes.Equal(light, dark) {
		t.Fatalf("Pictures gave %d files (light %d bytes, dark %d): want two pictures, one per theme", len(pics), len(light), len(dark))
	}
	if caption := figure.Caption(core.DefaultConfig(), 0); !bytes.Contains(light, []byte(caption)) {
		t.Errorf("the light picture does not carry the caption of the default run at step 0, %q", caption)
	}
	for name, page := range renderAll(t) {
		if name != "index.html" && name != "embed.html" {
			continue
		}
		for _, want := range []string{`src="` + FirstPictureLight + `"`, `srcset="` + FirstPictureDark + `"`} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("%s does not show the build's picture: no %s", name, want)
			}
		}
	}
	dir := t.TempDir()
	if err := Write(dir, Data{MetaPolicy: testPolicy}); err != nil {
		t.Fatal(err)
	}
	for name, pic := range pics {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, pic) {
			t.Errorf("%s written as %d bytes (%v), want Pictures' %d", name, len(got), err, len(pic))
		}
	}
}
