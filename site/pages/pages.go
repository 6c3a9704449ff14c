// Package pages builds the site's HTML pages from templates, once, when make
// site runs: the output is plain static files, so the site still deploys to
// any file server.
//
// Why templates: the playground (index.html) and its embeddable twin
// (embed.html) show the same controls, tour, walk-through, status line and
// dialogs, arranged differently. The Go programs find those elements by id,
// so the two copies had to stay identical by hand. Each shared part now lives
// once, in templates/parts/, and the pages in templates/ place them. Every
// page also carries the server's Content-Security-Policy as a <meta> (for
// hosts that send no headers), from one value instead of four copies, and
// every setting's input carries the bounds and default of Go's validation
// (Limits), not numbers of its own.
//
// The templates are text/template, not html/template: they are the project's
// own source, and the values put in are the policy, which Render checks, and
// numbers.
package pages

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/capacity"
)

//go:embed templates
var templates embed.FS

// Data is what the pages are built with.
type Data struct {
	// MetaPolicy is the Content-Security-Policy that each page's <meta>
	// carries: site.MetaPolicy(), the header's policy without the
	// directives that a <meta> ignores.
	MetaPolicy string
}

// Limits are the bounds of the settings that the pages' number inputs and
// sliders carry as min and max, and the defaults they start at. They come
// from core and from the capacity explorer's settings, never from the
// templates, so that the browser's own range check, the input's help and
// Go's validation cannot disagree.
type Limits struct {
	MinN, MaxN, MaxK int
	// MaxNSlider is the top of the N slider; the number field beside it
	// goes on to MaxN. It is core.MaxNDirect, the largest N whose every
	// network, the direct one included, is still a picture.
	MaxNSlider int
	MaxSeed    uint64
	// MinLR and MaxLR are decimals ("0.000001"): an input's min and max.
	MinLR, MaxLR string
	// Default is the playground's default run: the controls' first values.
	Default core.Config
	// The capacity explorer's bounds.
	MaxBudget, MaxSeeds, MaxWorkers int
}

// pageData is what a template sees: the caller's Data and the Limits.
type pageData struct {
	Data
	Limits Limits
	// FirstLight and FirstDark are the Pictures' file names, FirstShape
	// the network they show (core.Config.Shape of the default run).
	FirstLight, FirstDark, FirstShape string
}

// limits returns the Limits of this build.
func limits() Limits {
	decimal := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	return Limits{
		MinN: core.MinN, MaxN: core.MaxN, MaxK: core.MaxK, MaxNSlider: core.MaxNDirect,
		MaxSeed: core.MaxSeed, MinLR: decimal(core.MinLR), MaxLR: decimal(core.MaxLR),
		Default:   core.DefaultConfig(),
		MaxBudget: capacity.MaxBudget, MaxSeeds: capacity.MaxSeeds, MaxWorkers: capacity.MaxWorkers,
	}
}

// Render builds every page of templates/ with data and returns each page's
// bytes by file name (index.html, embed.html, capacity.html, app.html).
// Render never modifies data. It returns an error, and no pages, when the
// policy is empty or holds a character that would end the attribute it goes
// in, or when a template is broken or places a part that does not exist.
func Render(data Data) (map[string][]byte, error) {
	sub, err := fs.Sub(templates, "templates")
	if err != nil {
		return nil, err
	}
	return render(sub, data)
}

// render is Render over any folder that has pages at its top and their
// parts in parts/, so that tests can give it broken templates.
func render(fsys fs.FS, data Data) (map[string][]byte, error) {
	if strings.TrimSpace(data.MetaPolicy) == "" {
		return nil, fmt.Errorf("pages: the Content-Security-Policy is empty; every page must carry one")
	}
	if i := strings.IndexAny(data.MetaPolicy, "\"<>&\n"); i >= 0 {
		return nil, fmt.Errorf("pages: the Content-Security-Policy holds %q at byte %d, which would break its <meta> attribute", data.MetaPolicy[i], i)
	}
	parts, err := fs.Glob(fsys, "parts/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("pages: no page templates found")
	}
	out := make(map[string][]byte, len(names))
	first := core.DefaultConfig()
	for _, name := range names {
		// Each page gets its own set, so that a page's own definitions
		// cannot leak into another page.
		t, err := template.New(name).Option("missingkey=error").ParseFS(fsys, append([]string{name}, parts...)...)
		if err != nil {
			return nil, fmt.Errorf("pages: %s: %w", name, err)
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, pageData{Data: data, Limits: limits(), FirstLight: FirstPictureLight, FirstDark: FirstPictureDark, FirstShape: first.Shape()}); err != nil {
			return nil, fmt.Errorf("pages: %s: %w", name, err)
		}
		out[name] = buf.Bytes()
	}
	return out, nil
}

// Write renders the pages with data and writes them, and the Pictures they
// show first, into dir, which must exist, replacing files of the same
// names. Nothing is written when Render or Pictures fails.
func Write(dir string, data Data) error {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("pages: the output folder %s does not exist or is not a folder", dir)
	}
	pages, err := Render(data)
	if err != nil {
		return err
	}
	pictures, err := Pictures()
	if err != nil {
		return err
	}
	maps.Copy(pages, pictures)
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		if err := os.WriteFile(filepath.Join(dir, name), pages[name], 0o644); err != nil {
			return fmt.Errorf("pages: %w", err)
		}
	}
	return nil
}
