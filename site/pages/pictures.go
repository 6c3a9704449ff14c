package pages

import (
	"fmt"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

// The build's pictures of the playground's default run before training, in
// the light and the dark theme: the playground pages (the stage part) show
// one of them in the canvas's place from their first paint, until the
// engine's own picture (engine-start.js) and then the canvas replace it.
// Without them a phone's largest paint was the engine's first picture,
// which waits for the engine's 0.7 MB download (about 4.8 s in
// Lighthouse's mobile audit; docs/performance.md). The pages carry them
// inline, as data: URLs (DataURL), so that they paint with the page's first
// paint, without a request of their own; these are their names where they
// are saved as files.
const (
	FirstPictureLight = "first-light.svg"
	FirstPictureDark  = "first-dark.svg"
)

// Pictures returns the build's pictures of the default run
// (core.DefaultConfig) at step 0 by file name (FirstPictureLight,
// FirstPictureDark): the bytes the engine's Draw gives for that run at that
// step (figure.NetworkIn in each theme), as "Save SVG" would save them. The
// run is deterministic, so they are the page's first state. It returns an
// error only if core refuses its own default run.
func Pictures() (map[string][]byte, error) {
	cfg := core.DefaultConfig()
	tr, err := core.NewTrainer(cfg)
	if err != nil {
		return nil, fmt.Errorf("pages: the default run: %w", err)
	}
	return map[string][]byte{
		FirstPictureLight: figure.NetworkIn(figure.Theme(false), tr.Network(), cfg, 0),
		FirstPictureDark:  figure.NetworkIn(figure.Theme(true), tr.Network(), cfg, 0),
	}, nil
}

// DataURL returns svg as a data: URL for an <img> src or a <source>
// srcset: every byte but ASCII letters, digits and -_.~:/=;,()!*' is
// percent-encoded, so the URL holds no space (which would end it in a
// srcset), no quote and no & or < (which would end or change the attribute
// it is written in).
func DataURL(svg []byte) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("data:image/svg+xml,")
	for _, c := range svg {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-_.~:/=;,()!*'", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
