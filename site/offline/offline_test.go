package offline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// site writes a small built site into a temporary folder.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":      "<!doctype html>index",
		"embed.html":      "<!doctype html>embed",
		"wasm_exec.js":    "// go",
		"bottleneck.wasm": "\x00asm1",
		"index.html.br":   "compressed",
		"style.css.gz":    "compressed",
		"style.css":       "body{}",
		".hidden.js":      "x",
		"notes.txt":       "not a page's file",
		"sw.js":           "an old worker",
		"sw.js.br":        "an old worker, compressed",
		"sw.js.gz":        "an old worker, compressed",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.js"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func names(b Build) []string {
	var out []string
	for _, f := range b.Files {
		out = append(out, f.Name)
	}
	return out
}

// Scan lists the pages' files, sorted, with their hashes and sizes, and
// leaves out the precompressed copies, sw.js, hidden files, folders and
// other files.
func TestScan(t *testing.T) {
	dir := site(t)
	b, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"bottleneck.wasm", "embed.html", "index.html", "style.css", "wasm_exec.js"}; !slices.Equal(names(b), want) {
		t.Errorf("files %v, want %v", names(b), want)
	}
	for _, f := range b.Files {
		data, _ := os.ReadFile(filepath.Join(dir, f.Name))
		sum := sha256.Sum256(data)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(data)) {
			t.Errorf("%s: sha256 %s size %d, want %x %d", f.Name, f.SHA256, f.Size, sum, len(data))
		}
	}
	if len(b.Version) != 16 {
		t.Errorf("version %q, want 16 hex digits", b.Version)
	}
}

// The version changes with any file's bytes, a file more, and the worker's
// code, and only with them.
func TestVersion(t *testing.T) {
	dir := site(t)
	v := func() string {
		t.Helper()
		b, err := Scan(dir)
		if err != nil {
			t.Fatal(err)
		}
		return b.Version
	}
	v0 := v()
	if v() != v0 {
		t.Fatal("the version of the same files changed")
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("other"), 0o644)
	os.WriteFile(filepath.Join(dir, "index.html.br"), []byte("other"), 0o644)
	if v() != v0 {
		t.Error("the version changed with a file that is not precached")
	}
	os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{color:red}"), 0o644)
	v1 := v()
	if v1 == v0 {
		t.Error("the version did not change with style.css")
	}
	os.WriteFile(filepath.Join(dir, "icon.png"), []byte("png"), 0o644)
	if v2 := v(); v2 == v1 {
		t.Error("the version did not change with a new file")
	}
	saved := worker
	defer func() { worker = saved }()
	b, _ := Scan(dir)
	worker = append(slices.Clip(worker), "\n// changed"...)
	if b2, _ := Scan(dir); b2.Version == b.Version {
		t.Error("the version did not change with the worker's code")
	}
}

func TestScanRefusesAFolderWithoutIndex(t *testing.T) {
	if _, err := Scan(t.TempDir()); err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Errorf("Scan of an empty folder: %v, want an error that names index.html", err)
	}
	if _, err := Scan(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("Scan of a missing folder: no error")
	}
	if err := Write(t.TempDir()); err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Errorf("Write into an empty folder: %v, want an error that names index.html", err)
	}
	if _, err := Worker(Build{}); err == nil {
		t.Error("Worker of an empty build: no error")
	}
}

// Write adds the icons, the manifest and sw.js, whose first line is the
// Build of everything else, icons and manifest included.
func TestWrite(t *testing.T) {
	dir := site(t)
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	sw, err := os.ReadFile(filepath.Join(dir, WorkerName))
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := bytes.Cut(sw, []byte("\n"))
	js, ok := bytes.CutPrefix(first, []byte("const BUILD = "))
	js, ok2 := bytes.CutSuffix(js, []byte(";"))
	if !ok || !ok2 {
		t.Fatalf("sw.js begins %.80q, want const BUILD = {...};", first)
	}
	var got Build
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	want, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("sw.js's build\n%s\nwant\n%s", gotJSON, wantJSON)
	}
	for _, n := range []string{"icon-192.png", "icon-512.png", ManifestName} {
		if !slices.Contains(names(got), n) {
			t.Errorf("the precache list %v lacks %s", names(got), n)
		}
	}
	if !bytes.Equal(rest, worker) {
		t.Error("sw.js's code is not worker.js")
	}
	for _, n := range []string{"." + WorkerName + ".tmp", WorkerName + ".br", WorkerName + ".gz"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("Write left %s", n)
		}
	}
}

func TestWebManifest(t *testing.T) {
	data, err := WebManifest()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"short_name": "Bottleneck", "display": "standalone", "start_url": "index.html", "theme_color": ThemeColor, "background_color": BackgroundColor} {
		if m[k] != want {
			t.Errorf("%s = %v, want %q", k, m[k], want)
		}
	}
	icons, _ := m["icons"].([]any)
	if len(icons) != len(IconSizes) {
		t.Fatalf("icons %v", m["icons"])
	}
	for i, size := range IconSizes {
		ic := icons[i].(map[string]any)
		if ic["src"] != IconName(size) || ic["type"] != "image/png" || ic["sizes"] != fmt.Sprintf("%dx%d", size, size) {
			t.Errorf("icon %d: %v", i, ic)
		}
	}
}

// The icons are PNGs of their size, with favicon.svg's colours where its
// parts are: the yellow unit in the middle, blue lines towards the
// corners, the red line at the sides, the background at the edges.
func TestIcon(t *testing.T) {
	for _, size := range IconSizes {
		data, err := IconPNG(size)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("icon %d is %v", size, b)
		}
		at := func(x, y float64) [3]uint8 {
			r, g, b, _ := img.At(int(x*float64(size)/32), int(y*float64(size)/32)).RGBA()
			return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
		}
		checks := []struct {
			x, y float64
			want [3]uint8
			what string
		}{
			{16, 16, [3]uint8{iconYellow.R, iconYellow.G, iconYellow.B}, "the hidden unit"},
			{16, 11.1, [3]uint8{iconRing.R, iconRing.G, iconRing.B}, "its ring"},
			{8, 8, [3]uint8{iconBlue.R, iconBlue.G, iconBlue.B}, "a blue line"},
			{24, 24, [3]uint8{iconBlue.R, iconBlue.G, iconBlue.B}, "a blue line"},
			{7, 16, [3]uint8{iconRed.R, iconRed.G, iconRed.B}, "the red line"},
			{1, 1, [3]uint8{iconBack.R, iconBack.G, iconBack.B}, "the background"},
			{16, 2, [3]uint8{iconBack.R, iconBack.G, iconBack.B}, "the background"},
		}
		for _, c := range checks {
			if got := at(c.x, c.y); got != c.want {
				t.Errorf("icon %d at (%v, %v), %s: %v, want %v", size, c.x, c.y, c.what, got, c.want)
			}
		}
	}
	if _, err := IconPNG(0); err == nil {
		t.Error("IconPNG(0): no error")
	}
}

func TestPrecached(t *testing.T) {
	for name, want := range map[string]bool{
		"index.html": true, "engine.wasm": true, "wasm_exec.js": true, "manifest.webmanifest": true, "icon-192.png": true,
		"sw.js": false, "engine.wasm.br": false, "index.html.gz": false, ".x.js": false, "notes.txt": false, "Style.CSS": true,
	} {
		if got := Precached(name); got != want {
			t.Errorf("Precached(%q) = %v, want %v", name, got, want)
		}
	}
}
