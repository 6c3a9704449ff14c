// Package figure draws Bottleneck's pictures as SVG for saving: the network
// as the page draws it (nodes, lines coloured by the sign of their weight,
// width and opacity by its size, the post's numbers for N ≤ 16) and the
// hidden space for k = 1 and 2, with the exact intervals or polygons where
// each output wins. Each figure carries a caption line with the run, e.g.
// "11-2-11, shift by 1, step 586".
//
// It is pure Go (no ebiten, no syscall/js): the page calls it for its "Save
// SVG" button, and its tests and commands run natively and under Node. The
// geometry, numbers and colours are the page's own (layout.Layout,
// layout.NodeNumber, explain.Shade), not re-derived here.
package figure

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Colors are the inks of a figure.
type Colors struct {
	Background, Node, NodeLine, Unused, Text, Muted color.RGBA
	// Positive and Negative colour weights by sign: blue and red, as in the
	// post.
	Positive, Negative color.RGBA
	// Hidden fills the hidden units, the page's one accent colour.
	Hidden, HiddenText color.RGBA
}

// Light is the page's light theme, which the canvas uses on a light page and
// the saved figures always use (they go into documents and slides).
var Light = Colors{
	Background: rgb(0xfb, 0xfb, 0xfd), Node: rgb(0xff, 0xff, 0xff), NodeLine: rgb(0x33, 0x3a, 0x48),
	Unused: rgb(0xdd, 0xe0, 0xe6), Text: rgb(0x1b, 0x1f, 0x27), Muted: rgb(0x5d, 0x66, 0x75),
	Positive: rgb(0x1f, 0x5f, 0xd6), Negative: rgb(0xd6, 0x33, 0x2b),
	Hidden: rgb(0xff, 0xc8, 0x57), HiddenText: rgb(0x1b, 0x1f, 0x27),
}

// Dark is the page's dark theme, which the canvas uses on a dark page: the
// picture of the network that such a page shows while its canvas loads is
// drawn in it, so that the canvas does not flash from white to dark.
// Positive and Negative are lighter than Light's, to stay visible on the
// dark background.
var Dark = Colors{
	Background: rgb(0x16, 0x19, 0x20), Node: rgb(0x23, 0x28, 0x33), NodeLine: rgb(0xc9, 0xd1, 0xde),
	Unused: rgb(0x33, 0x38, 0x44), Text: rgb(0xe8, 0xec, 0xf2), Muted: rgb(0x9a, 0xa4, 0xb4),
	Positive: rgb(0x5b, 0x9c, 0xff), Negative: rgb(0xff, 0x6b, 0x5e),
	Hidden: rgb(0xf2, 0xb6, 0x3c), HiddenText: rgb(0x16, 0x19, 0x20),
}

// Theme returns Dark for a dark page and Light otherwise.
func Theme(dark bool) *Colors {
	if dark {
		return &Dark
	}
	return &Light
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// Hex writes an opaque colour as #rrggbb.
func Hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// SignColor returns the colour of a weight or number x: Negative below 0,
// Positive otherwise (as the page draws it).
func (c *Colors) SignColor(x float64) color.RGBA {
	if x < 0 {
		return c.Negative
	}
	return c.Positive
}

// Task describes c's task in a few words: "shift by 1", "shift by 2 with
// wrap-around", "reverse", "identity", "random permutation (seed 7)",
// "custom map".
func Task(c core.Config) string {
	switch c.Task {
	case core.TaskShift:
		s := "shift by " + strconv.Itoa(c.Shift)
		if c.Wrap {
			s += " with wrap-around"
		}
		return s
	case core.TaskRandom:
		return fmt.Sprintf("random permutation (seed %d)", c.TaskSeed)
	case core.TaskCustom:
		return "custom map"
	}
	return string(c.Task)
}

// Caption is a figure's caption line: the shape, the task and the step, e.g.
// "11-2-11, shift by 1, step 586".
func Caption(c core.Config, step int) string {
	return fmt.Sprintf("%s, %s, step %d", c.Shape(), Task(c), step)
}

// FileName is the name a saved figure gets: the run's shape and step, what
// the figure shows ("" for the network, "hidden" for the hidden space) and
// the extension, e.g. bottleneck-11-2-11-step586.svg or
// bottleneck-11-2-11-step586-hidden.svg.
func FileName(c core.Config, step int, what, ext string) string {
	name := fmt.Sprintf("bottleneck-%s-step%d", c.Shape(), step)
	if what != "" {
		name += "-" + what
	}
	return name + "." + ext
}

// svg builds an SVG document. Every attribute value and text it writes is
// escaped, so nothing in a run's text can turn into markup.
type svg struct {
	b strings.Builder
}

// num writes a coordinate compactly: two decimals are finer than any
// screen or printer needs.
func num(x float64) string {
	return strconv.FormatFloat(x, 'f', 2, 64)
}

func (s *svg) open(w, h float64, title, desc string, c *Colors) {
	fmt.Fprintf(&s.b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Verdana, sans-serif" role="img">
`, num(w), num(h), num(w), num(h))
	s.elem("title", "", title)
	s.elem("desc", "", desc)
	fmt.Fprintf(&s.b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", Hex(c.Background))
}

// elem writes <name attrs>text</name>; attrs must already be escaped.
func (s *svg) elem(name, attrs, text string) {
	s.b.WriteString("<" + name)
	if attrs != "" {
		s.b.WriteString(" " + attrs)
	}
	s.b.WriteString(">")
	s.b.WriteString(escape(text))
	s.b.WriteString("</" + name + ">\n")
}

// text writes a <text> at (x, y), vertically centred, with the anchor
// "start", "middle" or "end".
func (s *svg) text(class string, x, y, size float64, anchor string, fill color.RGBA, t string) {
	s.elem("text", fmt.Sprintf(`class="%s" x="%s" y="%s" font-size="%s" text-anchor="%s" dominant-baseline="central" fill="%s"`,
		escape(class), num(x), num(y), num(size), anchor, Hex(fill)), t)
}

func (s *svg) close() []byte {
	s.b.WriteString("</svg>\n")
	return []byte(s.b.String())
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func escape(s string) string { return escaper.Replace(s) }
