package figure

import (
	"fmt"
	"strconv"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/layout"
)

// The network figure's size, in SVG user units (CSS pixels at 100%).
const (
	netWidth   = 760.0
	captionH   = 40.0 // the strip under the picture that holds the caption
	minNetH    = 360.0
	maxNetH    = 1600.0
	rowPerUnit = 14.0 // row height per hidden unit, so that the K numbers beside a node fit
)

// networkHeight is the picture's height for an N-k-N network: tall enough
// that a network of N ≤ layout.MaxNumbered gets its numbers at a readable
// size (layout.NewLayout shows them only when they fit).
func networkHeight(n, k int) float64 {
	row := 12.0
	if n <= layout.MaxNumbered {
		row = max(36, rowPerUnit*float64(k))
	}
	return min(max(float64(n)*row+28, minNetH), maxNetH)
}

// Network returns the SVG of net as the page draws it, in the light theme:
// one circle per unit (inputs, hidden units, outputs), one line per
// connection coloured by its weight's sign with width and opacity growing
// with |w| (layout.Layout.Connections and Stroke), the units' numbers 1..N when
// they fit, the post's numbers beside each input and output for N ≤ 16 (as
// layout.FormatNumber writes them on the page), and the caption under it.
// cfg is net's config and step its training step, for the caption. net is
// not modified.
//
// Each line carries its exact weight (data-weight), each number the unit and
// hidden unit it belongs to, so that the figure can be checked against the
// run it shows.
func Network(net *core.Network, cfg core.Config, step int) []byte {
	return NetworkIn(&Light, net, cfg, step)
}

// NetworkIn is Network in the colours c: Light, as saved figures are
// drawn, or Dark, as the canvas is on a dark page. c is not modified.
func NetworkIn(c *Colors, net *core.Network, cfg core.Config, step int) []byte {
	h := networkHeight(net.N, net.K)
	l := layout.NewLayout(netWidth, h, net.N, net.K, 1)
	caption := Caption(cfg, step)
	var s svg
	s.open(netWidth, h+captionH, "Bottleneck: "+caption,
		"A neural network drawn by Bottleneck: inputs on the left, hidden units in the middle, outputs on the right. "+
			"Blue lines are positive weights, red negative; thicker and more opaque is larger. "+
			"The numbers beside each input are 10·tanh of its weights into the hidden units, beside each output its weights from them.", c)

	s.b.WriteString(`<g class="connections" stroke-linecap="butt">` + "\n")
	for _, e := range l.Connections(nil, net) {
		width, alpha := l.Stroke(e.Strength)
		layer := "w2"
		switch {
		case net.K == 0:
			layer = "w"
		case e.Edge.Layer == layout.LayerIn:
			layer = "w1"
		}
		fmt.Fprintf(&s.b, `<line class="%s" data-from="%d" data-to="%d" data-weight="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s" stroke-opacity="%s"/>`+"\n",
			layer, e.Edge.From+1, e.Edge.To+1, strconv.FormatFloat(e.Weight, 'g', -1, 64),
			num(e.A.X), num(e.A.Y), num(e.B.X), num(e.B.Y), Hex(c.SignColor(e.Weight)), num(width), strconv.FormatFloat(alpha, 'f', 3, 64))
	}
	s.b.WriteString("</g>\n")

	targets := core.Targets(&cfg)
	hit := make([]bool, net.N)
	for _, t := range targets {
		if t >= 0 && t < net.N {
			hit[t] = true
		}
	}
	ring := max(1, l.Scale*1.2)
	if l.R < 3*l.Scale {
		ring = 0
	}
	node := func(class string, i int, p layout.Point, r, ring float64, used bool, fill string) {
		if !used {
			fill = Hex(c.Unused)
		}
		if ring == 0 {
			fmt.Fprintf(&s.b, `<circle class="%s" data-unit="%d" cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.9"/>`+"\n",
				class, i+1, num(p.X), num(p.Y), num(r), Hex(c.NodeLine))
			return
		}
		// The ring is a stroke centred between r and r+ring, as the page
		// draws a disc of r+ring under a disc of r.
		fmt.Fprintf(&s.b, `<circle class="%s" data-unit="%d" cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="%s"/>`+"\n",
			class, i+1, num(p.X), num(p.Y), num(r+ring/2), fill, Hex(c.NodeLine), num(ring))
	}
	s.b.WriteString(`<g class="units">` + "\n")
	for i, p := range l.In {
		node("input", i, p, l.R, ring, i < len(targets) && targets[i] >= 0, Hex(c.Node))
	}
	for j, p := range l.Out {
		node("output", j, p, l.R, ring, hit[j], Hex(c.Node))
	}
	for u, p := range l.Hidden {
		node("hidden", u, p, l.HR, max(ring, l.Scale*1.5), true, Hex(c.Hidden))
	}
	s.b.WriteString("</g>\n")

	if l.Labels {
		s.b.WriteString(`<g class="labels">` + "\n")
		for i, p := range l.In {
			s.text("label", p.X, p.Y, l.LabelSize, "middle", c.Text, strconv.Itoa(i+1))
			q := l.Out[i]
			s.text("label", q.X, q.Y, l.LabelSize, "middle", c.Text, strconv.Itoa(i+1))
		}
		for u, p := range l.Hidden {
			s.text("label", p.X, p.Y, min(l.HR*0.95, 14*l.Scale), "middle", c.HiddenText, strconv.Itoa(u+1))
		}
		s.b.WriteString("</g>\n")
	}

	if l.Numbers {
		s.b.WriteString(`<g class="numbers">` + "\n")
		lineH, gap := l.NumberLineHeight(), l.NumberGap()
		write := func(layer layout.Layer, class string, ps []layout.Point, dx float64, anchor string) {
			for i, p := range ps {
				y0 := l.NumberTop(p.Y, net.K)
				for u := 0; u < net.K; u++ {
					x := layout.NodeNumber(net, layer, i, u)
					s.elem("text", fmt.Sprintf(`class="number %s" data-unit="%d" data-hidden="%d" x="%s" y="%s" font-size="%s" text-anchor="%s" dominant-baseline="central" fill="%s"`,
						class, i+1, u+1, num(p.X+dx), num(y0+lineH*float64(u)), num(l.NumSize), anchor, Hex(c.SignColor(x))), layout.FormatNumber(x))
				}
			}
		}
		write(layout.LayerIn, "input", l.In, -gap, "end")
		write(layout.LayerOut, "output", l.Out, gap, "start")
		s.b.WriteString("</g>\n")
	}

	s.text("caption", netWidth/2, h+captionH/2, 15, "middle", c.Text, caption)
	return s.close()
}
