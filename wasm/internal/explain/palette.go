package explain

import (
	"image/color"
	"math"
	"sync"
)

// MaxColors is the number of distinct output colours: one per output of the
// largest network (core.MaxN).
const MaxColors = 1024

// goldenAngle in degrees: successive hues that far apart never land close to
// an earlier one, so any prefix of the palette is spread around the wheel.
const goldenAngle = 137.50776405003785

// OutputColor returns output j's colour (opaque). Hues step by the golden
// angle in OKLCH, a perceptual space, at a fixed moderate lightness: equal
// lightness keeps every colour readable on both a white and a near-black
// background (contrast ratio at least 3:1 against each, WCAG's minimum for
// graphics), which HSL cannot promise (its yellow is far lighter than its
// blue). Lightness cycles through three close levels so that outputs with
// similar hues, which are inevitable among 1024, still differ. Indices
// outside 0..MaxColors-1 wrap around.
//
// The colours come from a table filled on first use, a block of
// paletteBlock colours at a time: the canvas fills every hidden-space dot
// (and the region map every cell) with one each frame, and the gamut search
// with its cube roots and powers cost a measurable share of a frame at
// N = 128; and filling all 1024 at once cost the first frame of every
// page about 40 ms (make profile-load), where 11-2-11 needs 11 of them.
func OutputColor(j int) color.RGBA {
	j = ((j % MaxColors) + MaxColors) % MaxColors
	b := &palette[j/paletteBlock]
	b.once.Do(func() {
		for i := range b.colors {
			b.colors[i] = outputColorOf(j/paletteBlock*paletteBlock + i)
		}
	})
	return b.colors[j%paletteBlock]
}

// paletteBlock is how many colours of the table are made at once.
const paletteBlock = 64

// palette is OutputColor's table, in blocks that are filled when first read.
var palette [MaxColors / paletteBlock]struct {
	once   sync.Once
	colors [paletteBlock]color.RGBA
}

// outputColorOf computes output j's colour (0 <= j < MaxColors).
func outputColorOf(j int) color.RGBA {
	hue := math.Mod(float64(j)*goldenAngle+25, 360) * math.Pi / 180
	l := [3]float64{0.58, 0.51, 0.65}[j%3]
	return oklch(l, 0.15, hue)
}

// oklch converts an OKLCH colour to sRGB, lowering the chroma until it fits
// the sRGB gamut (so the hue and lightness, which carry the meaning, stay).
func oklch(l, c, h float64) color.RGBA {
	for ; c > 0; c -= 0.005 {
		if r, g, b, ok := oklabToSRGB(l, c*math.Cos(h), c*math.Sin(h)); ok {
			return color.RGBA{r, g, b, 255}
		}
	}
	r, g, b, _ := oklabToSRGB(l, 0, 0)
	return color.RGBA{r, g, b, 255}
}

// oklabToSRGB converts OKLab to 8-bit sRGB (Björn Ottosson's matrices); ok is
// false when the colour lies outside the gamut.
func oklabToSRGB(L, a, b float64) (r, g, bl uint8, ok bool) {
	l_ := L + 0.3963377774*a + 0.2158037573*b
	m_ := L - 0.1055613458*a - 0.0638541728*b
	s_ := L - 0.0894841775*a - 1.2914855480*b
	l, m, s := l_*l_*l_, m_*m_*m_, s_*s_*s_
	lin := [3]float64{
		+4.0767416621*l - 3.3077115913*m + 0.2309699292*s,
		-1.2684380046*l + 2.6097574011*m - 0.3413193965*s,
		-0.0041960863*l - 0.7034186147*m + 1.7076147010*s,
	}
	var out [3]uint8
	ok = true
	for i, v := range lin {
		if v < -1e-4 || v > 1+1e-4 {
			ok = false
		}
		v = max(0, min(1, v))
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		out[i] = uint8(math.Round(v * 255))
	}
	return out[0], out[1], out[2], ok
}

// ShadeAlpha is how much of an output's colour its region gets over the
// background: pale enough that the dots and labels on top stay readable.
const ShadeAlpha = 0.42

// Shade returns output j's region colour in the hidden space: OutputColor(j)
// over the opaque background bg at ShadeAlpha, opaque.
func Shade(j int, bg color.RGBA) color.RGBA {
	c := OutputColor(j)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(ShadeAlpha*float64(a) + (1-ShadeAlpha)*float64(b))) }
	return color.RGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 0xff}
}

// Luminance returns the WCAG relative luminance of an opaque colour, 0 for
// black to 1 for white; contrast between two colours is (L1+0.05)/(L2+0.05).
func Luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Weight colours: blue for positive, red for negative, as in the post.
var (
	PositiveColor = color.RGBA{0x25, 0x63, 0xeb, 0xff}
	NegativeColor = color.RGBA{0xdc, 0x26, 0x26, 0xff}
	ZeroColor     = color.RGBA{0x80, 0x80, 0x80, 0xff} // a NaN weight
)

// DefaultWeightScale is a scale for WeightStroke that reads absolute sizes:
// a weight of 1 is drawn at half strength, the post's 9 and 26 nearly full.
const DefaultWeightScale = 1.0

// Stroke is how to draw one connection.
type Stroke struct {
	Color    color.RGBA // alpha-premultiplied, as image/color requires
	Width    float64    // in the caller's units, 0 < Width <= maxWidth
	Strength float64    // |w|/(|w|+scale), in [0, 1]
}

// WeightStroke is the one weight-colour rule that the network view and the
// hidden-space view share: blue for w > 0, red for w < 0, with opacity and
// width growing with Strength = |w|/(|w|+scale). That saturating form needs
// no maximum, grows smoothly and never hides a weight: a weight equal to the
// scale is at half strength. Pass DefaultWeightScale for absolute sizes, or a
// fraction of the network's MaxAbsWeight (e.g. a third) for sizes relative to
// the current weights. Opacity runs from 0.15 to 1 and width from maxWidth/8
// to maxWidth; a NaN weight is grey at full width so it stands out. A
// non-positive scale is treated as DefaultWeightScale.
func WeightStroke(w, scale, maxWidth float64) Stroke {
	if !(scale > 0) || math.IsInf(scale, 0) {
		scale = DefaultWeightScale
	}
	if math.IsNaN(w) {
		return Stroke{Color: ZeroColor, Width: maxWidth, Strength: 1}
	}
	a := math.Abs(w)
	s := a / (a + scale)
	if math.IsInf(a, 0) {
		s = 1
	}
	base := PositiveColor
	if w < 0 {
		base = NegativeColor
	}
	alpha := 0.15 + 0.85*s
	pm := func(v uint8) uint8 { return uint8(math.Round(float64(v) * alpha)) }
	return Stroke{
		Color:    color.RGBA{pm(base.R), pm(base.G), pm(base.B), uint8(math.Round(255 * alpha))},
		Width:    maxWidth * (0.125 + 0.875*s),
		Strength: s,
	}
}
