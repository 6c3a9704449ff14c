// Package assets holds the files compiled into the playground's WebAssembly
// binary. It is a plain package (no build tags) so native tests can use the
// same bytes.
package assets

import _ "embed"

// DejaVuSans is the DejaVu Sans TrueType font (see fonts/LICENSE-DejaVu.txt).
// The canvas draws its labels, numbers and tooltips with it, because a
// WebAssembly program cannot use the browser's fonts for ebiten text.
//
//go:embed fonts/DejaVuSans.ttf
var DejaVuSans []byte
