//go:build js && wasm

package main

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"

	"github.com/bottleneck-playground/bottleneck/assets"
)

// fontCache hands out faces of the embedded font, one per size.
//
// The faces come from golang.org/x/image's opentype through text.NewGoXFace,
// not from text.GoTextFace: GoTextFace brings a full text shaper (go-text's
// HarfBuzz port) that the canvas, which draws short Latin labels, does not
// need, and that alone added about 0.55 MB to the brotli-compressed wasm,
// which every visitor downloads before the page can start.
type fontCache struct {
	font  *opentype.Font
	faces map[float64]text.Face
}

// maxCachedFaces bounds the cache: the sizes follow the canvas scale, which
// changes when the window is resized.
const maxCachedFaces = 48

func newFontCache() *fontCache {
	f, err := opentype.Parse(assets.DejaVuSans)
	if err != nil {
		panic("font: " + err.Error()) // the embedded font is fixed: this cannot happen at run time
	}
	return &fontCache{font: f, faces: map[float64]text.Face{}}
}

// face returns the font at size pixels, rounded to a quarter pixel so that a
// slowly changing scale reuses faces.
func (c *fontCache) face(size float64) text.Face {
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

// drawText draws s with its start, centre or end (h) at x and its vertical
// centre at y.
//
// It draws what text.Draw draws, glyph for glyph, but lays each label out
// once (labelGlyphs): text.Draw lays the text out afresh at every call, and
// the canvas draws the same few dozen labels every frame, so the layout
// alone was about a quarter of a frame's drawing at 128-4-128.
func drawText(dst *ebiten.Image, s string, face text.Face, x, y float64, h text.Align, c color.RGBA) {
	var op ebiten.DrawImageOptions
	op.ColorScale.ScaleWithColor(c)
	var at ebiten.GeoM
	at.Translate(x, y)
	for _, g := range labelGlyphs.of(s, face, h) {
		if g.Image == nil {
			continue
		}
		// As text.Draw does: the glyph's offset, then the label's place.
		op.GeoM.Reset()
		op.GeoM.Translate(g.X, g.Y)
		op.GeoM.Concat(at)
		dst.DrawImage(g.Image, &op)
	}
}

// glyphCache holds the laid-out glyphs of labels. text.Draw lays out at the
// origin and only then moves the glyphs into place, so a label's glyphs
// (their images, with the sub-pixel offsets chosen at the origin) do not
// depend on where it is drawn. The text package never disposes of a glyph
// image, so holding one here keeps it valid. It belongs to the game loop.
type glyphCache struct {
	labels map[glyphKey][]text.Glyph
}

type glyphKey struct {
	s     string
	face  text.Face
	align text.Align
}

// maxCachedLabels bounds the cache: the charts' step labels change as
// training goes on, so old ones are dropped now and then.
const maxCachedLabels = 1024

// labelGlyphs is the canvas's glyph cache (drawText).
var labelGlyphs = glyphCache{labels: map[glyphKey][]text.Glyph{}}

// of returns s's glyphs in face, aligned by h along the line and centred
// across it, as text.Draw would place them at the origin.
func (c *glyphCache) of(s string, face text.Face, h text.Align) []text.Glyph {
	k := glyphKey{s, face, h}
	if gs, ok := c.labels[k]; ok {
		return gs
	}
	if len(c.labels) >= maxCachedLabels {
		clear(c.labels)
	}
	gs := text.AppendGlyphs(nil, s, face, &text.LayoutOptions{PrimaryAlign: h, SecondaryAlign: text.AlignCenter})
	c.labels[k] = gs
	return gs
}

// whitePixel returns a 1x1 white image, the source for solid triangles. It is
// cut from the middle of a 3x3 image so that sampling never bleeds into the
// transparent border ebiten adds around images.
func whitePixel() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(img.Bounds().Inset(1)).(*ebiten.Image)
}
