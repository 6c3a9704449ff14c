//go:build js && wasm

package views

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/textdraw"
)

// fontCache hands out faces of the embedded font, one per size
// (textdraw.Cache, under the playground's short names).
type fontCache struct{ *textdraw.Cache }

func newFontCache() *fontCache { return &fontCache{textdraw.NewCache()} }

func (c *fontCache) face(size float64) text.Face { return c.Face(size) }

// drawText draws s with its start, centre or end (h) at x and its vertical
// centre at y.
func drawText(dst *ebiten.Image, s string, face text.Face, x, y float64, h text.Align, c color.RGBA) {
	textdraw.Draw(dst, s, face, x, y, h, c)
}

// whitePixel returns a 1x1 white image, the source for solid triangles.
func whitePixel() *ebiten.Image { return textdraw.WhitePixel() }
