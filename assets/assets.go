// Package assets holds the files compiled into the playground's WebAssembly
// binary. It is a plain package (no build tags) so native tests can use the
// same bytes.
package assets

import _ "embed"

// DejaVuSans is the DejaVu Sans TrueType font (see fonts/LICENSE-DejaVu.txt),
// cut down by fonts/subset.sh to the characters the canvas draws, because
// every byte here is downloaded before the page can start.
// The canvas draws its labels, numbers and tooltips with it, because a
// WebAssembly program cannot use the browser's fonts for ebiten text.
//
//go:embed fonts/DejaVuSans.ttf
var DejaVuSans []byte

// TourJSON is the guided tour through the post's claims: a JSON array of steps,
// each with a title, a config fragment, the view it points at and a caption in
// our own words. play.LoadTour parses and checks it.
//
//go:embed presets/tour.json
var TourJSON []byte
