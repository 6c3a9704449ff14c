package pages

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

// The build's pictures of the playground's default run before training, in
// the light and the dark theme: the playground pages (the stage part) show
// one of them in the canvas's place from their first paint, until the
// engine's own picture (engine-start.js) and then the canvas replace it.
// Without them a phone's largest paint was the engine's first picture,
// which waits for the engine's 0.7 MB download (about 4.8 s in
// Lighthouse's mobile audit; docs/performance.md).
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
