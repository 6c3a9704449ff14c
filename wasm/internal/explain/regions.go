package explain

import (
	"math"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Region is the part of a 2-D hidden space where one output has the largest
// logit: a convex polygon, its vertices in order (counter-clockwise with y
// up).
type Region struct {
	Output int
	Poly   []Point
}

// minRegionArea drops slivers that are rounding noise, relative to the box's
// area.
const minRegionArea = 1e-12

// Regions returns, for a network with two hidden units, the exact region of
// box where each output wins, appended to dst[:0] in output order; outputs
// that win nowhere in the box are left out. Output j's logit is the plane
// W2[j]·h + B2[j], so where it beats output i is a half-plane and its region
// is the box clipped by N-1 half-planes: a convex polygon, computed exactly
// (up to floating point) rather than sampled like RegionMap. The regions
// tile the box. Cost O(N²) in the worst case, a few milliseconds at N = 1024,
// meant for a saved figure rather than every frame.
//
// It returns an error when K != 2, the box is empty or a weight is not
// finite. net is not modified.
func Regions(dst []Region, net *core.Network, box Box) ([]Region, error) {
	dst = dst[:0]
	if net == nil || net.K != 2 || net.W2 == nil {
		return dst, ErrK
	}
	if !(box.MinX < box.MaxX && box.MinY < box.MaxY) {
		return dst, ErrSize
	}
	n := net.N
	w2 := net.W2.RawMatrix().Data
	b2 := net.B2.RawVector().Data[:n]
	for _, v := range append(w2[:2*n:2*n], b2...) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return dst, ErrNaN
		}
	}
	minArea := minRegionArea * (box.MaxX - box.MinX) * (box.MaxY - box.MinY)
	eps := 1e-12 * max(box.MaxX-box.MinX, box.MaxY-box.MinY)
	var buf, next []Point
	for j := 0; j < n; j++ {
		buf = append(buf[:0], Point{box.MinX, box.MinY}, Point{box.MaxX, box.MinY}, Point{box.MaxX, box.MaxY}, Point{box.MinX, box.MaxY})
		for i := 0; i < n && len(buf) > 0; i++ {
			if i == j {
				continue
			}
			// z_j - z_i = a·x + b·y + c >= 0
			a, b, c := w2[2*j]-w2[2*i], w2[2*j+1]-w2[2*i+1], b2[j]-b2[i]
			next = clip(next[:0], buf, a, b, c)
			buf, next = next, buf
		}
		if len(buf) >= 3 && polyArea(buf) > minArea {
			poly := dedupe(append([]Point(nil), buf...), eps)
			dst = append(dst, Region{Output: j, Poly: poly})
		}
	}
	return dst, nil
}

// clip appends to dst the part of convex polygon poly where a·x + b·y + c >= 0
// (one Sutherland–Hodgman step).
func clip(dst, poly []Point, a, b, c float64) []Point {
	side := func(p Point) float64 { return a*p.X + b*p.Y + c }
	for k, p := range poly {
		q := poly[(k+1)%len(poly)]
		sp, sq := side(p), side(q)
		if sp >= 0 {
			dst = append(dst, p)
		}
		if (sp >= 0) != (sq >= 0) {
			t := sp / (sp - sq)
			dst = append(dst, Point{p.X + t*(q.X-p.X), p.Y + t*(q.Y-p.Y)})
		}
	}
	return dst
}

// dedupe drops vertices within eps of the one before them (where several
// half-planes cross at one point, clipping leaves copies of it), in place.
func dedupe(poly []Point, eps float64) []Point {
	out := poly[:0]
	for _, p := range poly {
		if len(out) > 0 && math.Hypot(p.X-out[len(out)-1].X, p.Y-out[len(out)-1].Y) <= eps {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && math.Hypot(out[0].X-out[len(out)-1].X, out[0].Y-out[len(out)-1].Y) <= eps {
		out = out[:len(out)-1]
	}
	return out
}

// polyArea is the area of a simple polygon (shoelace formula).
func polyArea(poly []Point) float64 {
	s := 0.0
	for k, p := range poly {
		q := poly[(k+1)%len(poly)]
		s += p.X*q.Y - q.X*p.Y
	}
	return math.Abs(s) / 2
}

// PolygonContains reports whether p lies inside convex polygon poly, or
// within tol of it.
func PolygonContains(poly []Point, p Point, tol float64) bool {
	if len(poly) < 3 {
		return false
	}
	orient := 0.0
	for k, a := range poly {
		b := poly[(k+1)%len(poly)]
		cross := (b.X-a.X)*(p.Y-a.Y) - (b.Y-a.Y)*(p.X-a.X)
		d := math.Hypot(b.X-a.X, b.Y-a.Y)
		if d <= tol {
			continue // a degenerate edge has no side
		}
		cross /= d // now a signed distance
		if math.Abs(cross) <= tol {
			continue
		}
		if orient == 0 {
			orient = math.Copysign(1, cross)
		} else if orient*cross < 0 {
			return false
		}
	}
	return true
}
