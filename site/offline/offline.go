// Package offline makes the built site work without a network and lets a
// browser install it as an app. When make site has built the site's files,
// Write adds to that folder:
//
//   - icon-192.png and icon-512.png, the app's icons, drawn here from the
//     design of favicon.svg (Icon);
//   - manifest.webmanifest, the web app manifest that the pages link to
//     (WebManifest);
//   - sw.js, the service worker (the template worker.js in this package,
//     after a line that holds the Build: the precache list and the build's
//     version).
//
// The version is a content hash of the precached files and of the worker's
// own source, so that every change of the site gives a new sw.js, which the
// browser then installs in the background. The worker keeps each build in
// its own cache, named CachePrefix + version, checks every file it stores
// against the SHA-256 listed here (so that files of two builds, say a
// wasm_exec.js of one Go with the wasm of another, are never kept together),
// serves only from the cache of the build it belongs to, and deletes the
// caches of other builds when it takes over. The page's side is
// site/static/offline.js.
package offline

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// worker is the service worker's source, without its first line (the Build).
//
//go:embed worker.js
var worker []byte

// CachePrefix begins the name of every cache the service worker makes; the
// rest of the name is the build's Version. The worker deletes only caches
// whose names begin with it.
const CachePrefix = "bottleneck-"

// WorkerName is the service worker's file name in the built site.
const WorkerName = "sw.js"

// ManifestName is the web app manifest's file name in the built site.
const ManifestName = "manifest.webmanifest"

// IconSizes are the widths (and heights) in pixels of the icons that Write
// draws, named icon-<size>.png.
var IconSizes = []int{192, 512}

// File is one precached file.
type File struct {
	// Name is the file's path relative to the site's folder, with "/"
	// between its parts, as the browser asks for it relative to the
	// worker's scope.
	Name string `json:"name"`
	// SHA256 is the hex SHA-256 of the file's bytes (the decoded body, not a
	// precompressed copy).
	SHA256 string `json:"sha256"`
	// Size is the file's length in bytes.
	Size int64 `json:"size"`
}

// Build is what the service worker is built with.
type Build struct {
	// Version names the build: the first 16 hex digits of a SHA-256 over
	// the worker's source and every file's name and hash.
	Version string `json:"version"`
	// Files are the precached files, sorted by name.
	Files []File `json:"files"`
}

// precachedExt lists the extensions of the files that the worker keeps: every
// file the pages load. The precompressed copies (.br, .gz) are not among
// them: the worker stores the decoded body that the browser got for the
// plain name.
var precachedExt = map[string]bool{
	".html": true, ".js": true, ".css": true, ".svg": true, ".png": true,
	".ico": true, ".wasm": true, ".webmanifest": true,
}

// Precached reports whether the worker keeps the file name (a path relative
// to the site's folder): a page, script, style sheet, image, wasm program or
// the manifest, but not sw.js itself nor a hidden file.
func Precached(name string) bool {
	base := path.Base(name)
	if name == WorkerName || strings.HasPrefix(base, ".") {
		return false
	}
	return precachedExt[strings.ToLower(path.Ext(base))]
}

// Scan reads the regular files (or links to them) at the top of the folder
// dir that the worker keeps (Precached) and returns their Build. It returns an error when dir cannot
// be read, or when it holds no index.html: that is not a built site.
func Scan(dir string) (Build, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Build{}, fmt.Errorf("offline: %w", err)
	}
	var b Build
	index := false
	for _, e := range entries {
		if !Precached(e.Name()) {
			continue
		}
		// Stat follows a symbolic link: a linked file is served as well.
		p := filepath.Join(dir, e.Name())
		if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return Build{}, fmt.Errorf("offline: %w", err)
		}
		sum := sha256.Sum256(data)
		b.Files = append(b.Files, File{Name: e.Name(), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))})
		index = index || e.Name() == "index.html"
	}
	if !index {
		return Build{}, fmt.Errorf("offline: %s has no index.html: build the site first", dir)
	}
	slices.SortFunc(b.Files, func(x, y File) int { return strings.Compare(x.Name, y.Name) })
	b.Version = version(b.Files)
	return b, nil
}

// version is the Build's Version for files, which must be sorted by name.
func version(files []File) string {
	h := sha256.New()
	h.Write(worker)
	for _, f := range files {
		fmt.Fprintf(h, "\x00%s\x00%s", f.Name, f.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Worker returns the service worker's source (sw.js) for b: a first line
// that sets the constant BUILD to b as JSON, then the worker's code. It
// returns an error when b has no version or no files.
func Worker(b Build) ([]byte, error) {
	if b.Version == "" || len(b.Files) == 0 {
		return nil, fmt.Errorf("offline: a build with version %q and %d files cannot make a service worker", b.Version, len(b.Files))
	}
	js, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString("const BUILD = ")
	buf.Write(js)
	buf.WriteString(";\n")
	buf.Write(worker)
	return buf.Bytes(), nil
}

// Write adds the icons, the manifest and the service worker to the built
// site in dir, in that order, so that the worker's precache list and version
// cover the icons and the manifest too. It replaces files of the same
// names, and removes sw.js.br and sw.js.gz, precompressed copies of an
// earlier worker that a server would send instead of the new one. It
// returns an error when dir is not a built site (Scan) or a file cannot be
// written or removed; a sw.js that was there is then left as it was.
func Write(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("offline: %s has no index.html: build the site first", dir)
	}
	for _, size := range IconSizes {
		png, err := IconPNG(size)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, IconName(size)), png, 0o644); err != nil {
			return fmt.Errorf("offline: %w", err)
		}
	}
	m, err := WebManifest()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), m, 0o644); err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	b, err := Scan(dir)
	if err != nil {
		return err
	}
	sw, err := Worker(b)
	if err != nil {
		return err
	}
	// Written whole under another name, then renamed: a server that
	// answers meanwhile sends the old worker or the new one, never half.
	tmp := filepath.Join(dir, "."+WorkerName+".tmp")
	if err := os.WriteFile(tmp, sw, 0o644); err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	// Precompressed copies of an earlier sw.js would be sent in its place
	// (site.Handler prefers them): they go first. make site compresses the
	// new one afterwards.
	for _, suffix := range []string{".br", ".gz"} {
		if err := os.Remove(filepath.Join(dir, WorkerName+suffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("offline: %w", err)
		}
	}
	if err := os.Rename(tmp, filepath.Join(dir, WorkerName)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("offline: %w", err)
	}
	return nil
}
