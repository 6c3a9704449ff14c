//go:build js && wasm

// Package textdraw draws the canvases' text and solid shapes with ebiten: a
// cache of faces of the embedded font, one per size, the one way labels are
// placed, and the white pixel that solid triangles sample. The playground's
// views (package main) and the capacity explorer's (wasm/explorer) share it.
package textdraw

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"

	"github.com/bottleneck-playground/bottleneck/assets"
)

// Cache hands out faces of the embedded font, one per size.
//
// The faces come from golang.org/x/image's opentype through text.NewGoXFace,
// not from text.GoTextFace: GoTextFace brings a full text shaper (go-text's
// HarfBuzz port) that the canvas, which draws short Latin labels, does not
// need, and that alone added about 0.55 MB to the brotli-compressed wasm,
// which every visitor downloads before the page can start.
type Cache struct {
	font  *opentype.Font
	faces map[float64]text.Face
}

// maxCachedFaces bounds the cache: the sizes follow the canvas scale, which
// changes when the window is resized.
const maxCachedFaces = 48

// NewCache returns an empty Cache of the embedded font (assets.DejaVuSans).
func NewCache() *Cache {
	f, err := opentype.Parse(assets.DejaVuSans)
	if err != nil {
		panic("font: " + err.Error()) // the embedded font is fixed: this cannot happen at run time
	}
	return &Cache{font: f, faces: map[float64]text.Face{}}
}

// Face returns the font at size pixels, rounded to a quarter pixel so that a
// slowly changing scale reuses faces.
func (c *Cache) Face(size float64) text.Face {
	size = max(1, math.Round(size*4)/4)
	if f, ok := c.faces[size]; ok {
		return f
	}
	if len(c.faces) >= maxCachedFaces {
		clear(c.faces)
	}
	xf, err := opentype.NewFace(c.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("font face: " + err.Error()) // only for a size <= 0, excluded above
	}
	f := text.NewGoXFace(xf)
	c.faces[size] = f
	return f
}

// Draw draws s with its start, centre or end (h) at x and its vertical
// centre at y.
func Draw(dst *ebiten.Image, s string, face text.Face, x, y float64, h text.Align, c color.RGBA) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x, y)
	op.PrimaryAlign = h
	op.SecondaryAlign = text.AlignCenter
	op.ColorScale.ScaleWithColor(c)
	text.Draw(dst, s, face, op)
}

// WhitePixel returns a 1x1 white image, the source for solid triangles. It is
// cut from the middle of a 3x3 image so that sampling never bleeds into the
// transparent border ebiten adds around images.
func WhitePixel() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(img.Bounds().Inset(1)).(*ebiten.Image)
}
