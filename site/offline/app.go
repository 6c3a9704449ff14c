package offline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Colours of the app: the page's light background (site/static/style.css's
// --bg), which the icons and the splash screen show, and its accent, the
// colour of the title bar of the installed app.
const (
	BackgroundColor = "#f3f4f7"
	ThemeColor      = "#1f5fd6"
)

// IconName returns the file name of the icon of size pixels: icon-<size>.png.
func IconName(size int) string { return fmt.Sprintf("icon-%d.png", size) }

// manifest is the web app manifest's JSON.
type manifest struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}

// manifestIcon is one of manifest's icons.
type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// WebManifest returns the web app manifest (manifest.webmanifest): the
// app's names, its start page (index.html, relative to the manifest, so
// that the site may live in a sub-folder), display standalone, its colours
// and the icons of IconSizes. Its error is that of encoding/json, which
// cannot fail on this value; it is returned rather than hidden.
func WebManifest() ([]byte, error) {
	m := manifest{
		Name:            "Bottleneck: a neural network playground",
		ShortName:       "Bottleneck",
		Description:     "Watch a tiny neural network squeeze a mapping of N inputs to N outputs through a handful of hidden units, trained in your browser.",
		StartURL:        "index.html",
		Scope:           "./",
		Display:         "standalone",
		BackgroundColor: BackgroundColor,
		ThemeColor:      ThemeColor,
	}
	for _, size := range IconSizes {
		// "any maskable": the drawing keeps inside the middle 80% that a
		// mask may crop to, on a background that fills the square.
		m.Icons = append(m.Icons, manifestIcon{Src: IconName(size), Sizes: fmt.Sprintf("%dx%d", size, size), Type: "image/png", Purpose: "any maskable"})
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	return append(out, '\n'), nil
}

// The design of favicon.svg, in its 32-unit square: the blue input and
// output lines meet in the hidden unit, a red line crosses it, and the unit
// is a yellow circle with a dark ring.
var (
	iconBlue   = color.NRGBA{0x1f, 0x5f, 0xd6, 0xff}
	iconRed    = color.NRGBA{0xd6, 0x33, 0x2b, 0xff}
	iconYellow = color.NRGBA{0xff, 0xc8, 0x57, 0xff}
	iconRing   = color.NRGBA{0x33, 0x3a, 0x48, 0xff}
	iconBack   = color.NRGBA{0xf3, 0xf4, 0xf7, 0xff}
)

// segment is a line from (x0, y0) to (x1, y1) in the design's units.
type segment struct{ x0, y0, x1, y1 float64 }

var (
	blueLines = []segment{{6, 6, 16, 16}, {16, 16, 26, 6}, {6, 26, 16, 16}, {16, 16, 26, 26}}
	redLine   = segment{6, 16, 26, 16}
)

// near reports whether (x, y) lies within half of width of s, with the
// butt ends of SVG's default stroke.
func (s segment) near(x, y, width float64) bool {
	dx, dy := s.x1-s.x0, s.y1-s.y0
	l2 := dx*dx + dy*dy
	t := ((x-s.x0)*dx + (y-s.y0)*dy) / l2
	if t < 0 || t > 1 {
		return false
	}
	px, py := s.x0+t*dx-x, s.y0+t*dy-y
	return px*px+py*py <= width*width/4
}

// iconAt returns the design's colour at (x, y), in its 32-unit square.
func iconAt(x, y float64) color.NRGBA {
	r := math.Hypot(x-16, y-16)
	switch {
	case r <= 5-0.75:
		return iconYellow
	case r <= 5+0.75:
		return iconRing
	case redLine.near(x, y, 2.2):
		return iconRed
	}
	for _, s := range blueLines {
		if s.near(x, y, 2.2) {
			return iconBlue
		}
	}
	return iconBack
}

// Icon draws the app's icon, size by size pixels: favicon.svg's design on
// the page's background, which fills the square, smoothed by 4×4 samples a
// pixel. It panics when size is not positive.
func Icon(size int) *image.NRGBA {
	if size <= 0 {
		panic(fmt.Sprintf("offline: icon size %d, want a positive size", size))
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const n = 4
	scale := 32 / float64(size)
	for py := range size {
		for px := range size {
			var r, g, b int
			for sy := range n {
				for sx := range n {
					c := iconAt((float64(px)+(float64(sx)+0.5)/n)*scale, (float64(py)+(float64(sy)+0.5)/n)*scale)
					r, g, b = r+int(c.R), g+int(c.G), b+int(c.B)
				}
			}
			img.SetNRGBA(px, py, color.NRGBA{uint8((r + n*n/2) / (n * n)), uint8((g + n*n/2) / (n * n)), uint8((b + n*n/2) / (n * n)), 0xff})
		}
	}
	return img
}

// IconPNG returns Icon(size) encoded as PNG. It returns an error when size
// is not positive.
func IconPNG(size int) ([]byte, error) {
	if size <= 0 {
		return nil, fmt.Errorf("offline: icon size %d, want a positive size", size)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, Icon(size)); err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	return buf.Bytes(), nil
}
