//go:build js && wasm

// Package textdraw draws the canvases' text and solid shapes with ebiten: a
// cache of faces of the embedded font, one per size, the one way labels are
// placed, and the white pixel that solid triangles sample. The playground's
// views (wasm/internal/views) and the capacity explorer's (wasm/explorer) share it.
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
//
// It draws what text.Draw draws, glyph for glyph, but lays each label out
// only once, and a label drawn again and again (a title, a tick) becomes a
// picture drawn in one call (labelCache): text.Draw lays the text out afresh
// at every call and draws each glyph with a call of its own, and the canvas
// draws the same hundred-odd glyphs every frame; at 128-4-128 the layout was
// about a quarter of a frame's drawing in a Chrome profile, and the glyphs'
// calls about as much again.
func Draw(dst *ebiten.Image, s string, face text.Face, x, y float64, h text.Align, c color.RGBA) {
	var op ebiten.DrawImageOptions
	op.ColorScale.ScaleWithColor(c)
	var at ebiten.GeoM
	at.Translate(x, y)
	l := labels.of(s, face, h)
	if l.img != nil {
		op.GeoM.Translate(float64(l.x), float64(l.y))
		op.GeoM.Concat(at)
		dst.DrawImage(l.img, &op)
		return
	}
	for _, g := range l.glyphs {
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

// labelCache holds the canvas's labels, laid out. text.Draw lays out at the
// origin and only then moves the glyphs into place, so a label's glyphs
// (their images, with the sub-pixel offsets chosen at the origin, at whole
// pixels from it) do not depend on where it is drawn. A label drawn in
// pictureAfter frames is drawn once, in white, into a picture of its own,
// which then lands on the same pixels as its glyphs would, coloured the
// same way; labels that change every frame (a value while training runs)
// never get one, since a picture would cost more than it saves. The text
// package never disposes of a glyph image, so holding one here keeps it
// valid. It belongs to the game loop.
type labelCache struct {
	labels map[labelKey]*label
	tick   int // counts lookups: the cache's clock
}

type labelKey struct {
	s     string
	face  text.Face
	align text.Align
}

// label is one laid-out label.
type label struct {
	glyphs []text.Glyph
	uses   int
	used   int           // the tick of its latest lookup
	img    *ebiten.Image // the glyphs drawn in white, once uses reaches pictureAfter
	x, y   int           // img's top-left corner, from the label's origin
}

// pictureAfter is how many times a label is drawn glyph by glyph before it
// gets a picture.
const pictureAfter = 3

// maxCachedLabels bounds the cache: the charts' step labels change as
// training goes on, so old ones are dropped now and then (their pictures go
// with the garbage, as ebiten frees an image nothing refers to).
const maxCachedLabels = 1024

// labels is the canvas's label cache (Draw).
var labels = labelCache{labels: map[labelKey]*label{}}

// of returns the label s in face, aligned by h along the line and centred
// across it, as text.Draw would place it at the origin.
func (c *labelCache) of(s string, face text.Face, h text.Align) *label {
	if c.tick++; c.tick%sweepEvery == 0 {
		c.sweep()
	}
	k := labelKey{s, face, h}
	l, ok := c.labels[k]
	if !ok {
		if len(c.labels) >= maxCachedLabels {
			clear(c.labels)
		}
		l = &label{glyphs: text.AppendGlyphs(nil, s, face, &text.LayoutOptions{PrimaryAlign: h, SecondaryAlign: text.AlignCenter})}
		c.labels[k] = l
	}
	l.used = c.tick
	if l.uses++; l.uses == pictureAfter {
		l.paint()
	}
	return l
}

// sweepEvery is how many lookups pass between two sweeps: some frames'
// worth, as a frame draws from a few dozen labels to a few hundred.
const sweepEvery = 4096

// sweep drops the labels not drawn since the sweep before: values that have
// changed (a step tick, a number while training runs) and faces of a scale
// left behind. The cache then holds what the canvas draws now, rather than
// every label drawn since it was last cleared at maxCachedLabels.
func (c *labelCache) sweep() {
	for k, l := range c.labels {
		if c.tick-l.used >= sweepEvery {
			delete(c.labels, k)
		}
	}
}

// paint draws the label's glyphs into its picture; a label without visible
// glyphs, or with glyphs off the pixel grid, gets none.
func (l *label) paint() {
	x0, y0, x1, y1 := math.MaxInt, math.MaxInt, math.MinInt, math.MinInt
	for _, g := range l.glyphs {
		if g.Image == nil {
			continue
		}
		if g.X != math.Trunc(g.X) || g.Y != math.Trunc(g.Y) {
			return // not at whole pixels (GoXFace's are): the glyphs are drawn one by one
		}
		b := g.Image.Bounds()
		x, y := int(g.X), int(g.Y)
		x0, y0 = min(x0, x), min(y0, y)
		x1, y1 = max(x1, x+b.Dx()), max(y1, y+b.Dy())
	}
	if x0 >= x1 || y0 >= y1 {
		return
	}
	l.img, l.x, l.y = ebiten.NewImage(x1-x0, y1-y0), x0, y0
	var op ebiten.DrawImageOptions
	for _, g := range l.glyphs {
		if g.Image == nil {
			continue
		}
		op.GeoM.Reset()
		op.GeoM.Translate(g.X-float64(x0), g.Y-float64(y0))
		l.img.DrawImage(g.Image, &op)
	}
}

// WhitePixel returns a 1x1 white image, the source for solid triangles. It is
// cut from the middle of a 3x3 image so that sampling never bleeds into the
// transparent border ebiten adds around images.
func WhitePixel() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(img.Bounds().Inset(1)).(*ebiten.Image)
}
