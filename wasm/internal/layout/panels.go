package layout

import "math"

// Rect is a rectangle of the canvas in device pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether (x, y) lies inside r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Empty reports whether r has no area, i.e. the panel is not shown.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// Panels splits the canvas between the network (the main picture), the
// hidden space and the charts.
type Panels struct {
	Net, Hidden, Chart Rect
	Stacked            bool // narrow canvas: the side panels sit under the network
}

// Breakpoints of SplitPanels, in CSS pixels.
const (
	// WideMin is the narrowest canvas that gets a side column: below it the
	// network would be squeezed under 450 px, too little for 11 numbered rows.
	WideMin = 720
	// SideMin is the least room for the side panels; a canvas shorter (when
	// stacked) or narrower (when wide) shows the network alone.
	SideMin = 150
)

// SplitPanels lays the three panels out on a w×h canvas (device pixels,
// scale device pixels per CSS pixel). A wide canvas gets a right-hand column
// with the hidden space (square) above the charts; a narrow one (a phone)
// stacks the hidden space and the charts side by side under the network,
// which keeps the larger share so it stays the main picture.
func SplitPanels(w, h, scale float64) Panels {
	if scale <= 0 {
		scale = 1
	}
	cw, ch := w/scale, h/scale
	if cw >= WideMin {
		side := math.Round(clamp(0.34*w, 240*scale, 380*scale))
		hid := math.Round(min(side, 0.58*h))
		return Panels{
			Net:    Rect{0, 0, w - side, h},
			Hidden: Rect{w - side, 0, side, hid},
			Chart:  Rect{w - side, hid, side, h - hid},
		}
	}
	bottom := math.Round(min(w/2, 0.42*h))
	if ch-bottom/scale < 200 || bottom < SideMin*scale {
		return Panels{Net: Rect{0, 0, w, h}, Stacked: true}
	}
	half := math.Round(w / 2)
	return Panels{
		Net:     Rect{0, 0, w, h - bottom},
		Hidden:  Rect{0, h - bottom, half, bottom},
		Chart:   Rect{half, h - bottom, w - half, bottom},
		Stacked: true,
	}
}

// NewLayoutIn is NewLayout for a network drawn in rectangle r of the
// canvas rather than at its origin, leaving reserve device pixels free on
// the right (for the output bars).
func NewLayoutIn(r Rect, reserve float64, n, k int, scale float64) *Layout {
	l := NewLayout(max(r.W-reserve, 1), r.H, n, k, scale)
	shift := func(ps []Point) {
		for i := range ps {
			ps[i].X += r.X
			ps[i].Y += r.Y
		}
	}
	shift(l.In)
	shift(l.Hidden)
	shift(l.Out)
	l.rowY0 += r.Y
	return l
}

// SplitPanelsShowing is SplitPanels when the link may hide the hidden space
// or the charts: a hidden panel is empty, and the side panel left takes the
// room of both; with neither, the network gets the whole canvas.
func SplitPanelsShowing(w, h, scale float64, hidden, charts bool) Panels {
	p := SplitPanels(w, h, scale)
	if hidden && charts {
		return p
	}
	if !hidden && !charts {
		return Panels{Net: Rect{0, 0, w, h}, Stacked: p.Stacked}
	}
	both := union(p.Hidden, p.Chart)
	if hidden {
		p.Hidden, p.Chart = both, Rect{}
	} else {
		p.Hidden, p.Chart = Rect{}, both
	}
	return p
}

// union is the smallest rectangle holding a and b (either may be empty).
func union(a, b Rect) Rect {
	if a.Empty() {
		return b
	}
	if b.Empty() {
		return a
	}
	x0, y0 := min(a.X, b.X), min(a.Y, b.Y)
	x1, y1 := max(a.X+a.W, b.X+b.W), max(a.Y+a.H, b.Y+b.H)
	return Rect{x0, y0, x1 - x0, y1 - y0}
}
