package explain

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Rotation is the orientation of the k = 3 cube view: a yaw about the vertical
// axis (hidden unit 3) and then a pitch towards the viewer. The projection is
// orthographic, so the cube [-1,1]³ lands inside the disc of radius √3.
type Rotation struct {
	Yaw, Pitch float64 // radians; Pitch stays within ±MaxPitch
}

// Rotation constants.
const (
	// SpinRate is the idle spin in radians per second: a turn every 30 s,
	// slow enough to read the codes while the depth still shows.
	SpinRate = 2 * math.Pi / 30
	// MaxPitch keeps the view from flipping over the top, where a drag would
	// suddenly turn the wrong way.
	MaxPitch = math.Pi / 2
	// CubeRadius is the largest distance from the centre of a projected point
	// of [-1,1]³: √3.
	CubeRadius = 1.7320508075688772
)

// DefaultRotation is a three-quarter view that shows all three axes.
var DefaultRotation = Rotation{Yaw: math.Pi / 6, Pitch: math.Pi / 8}

// Advance spins the view by SpinRate*dt (dt in seconds).
func (r *Rotation) Advance(dt float64) {
	r.Yaw = math.Remainder(r.Yaw+SpinRate*dt, 2*math.Pi)
}

// Drag turns the view by a pointer drag of (dx, dy) pixels on a view size
// pixels across: a drag across the whole view turns it half a turn, so the
// cube follows the pointer whatever the canvas size. Dragging down tips the
// top towards the viewer. A non-positive size is treated as 1.
func (r *Rotation) Drag(dx, dy, size float64) {
	if !(size > 0) {
		size = 1
	}
	r.Yaw = math.Remainder(r.Yaw+math.Pi*dx/size, 2*math.Pi)
	r.Pitch = max(-MaxPitch, min(MaxPitch, r.Pitch+math.Pi*dy/size))
}

// Project returns the 2-D position (x right, y up) of hidden point p and its
// depth (larger is farther from the viewer), for drawing far points first.
func (r Rotation) Project(p [3]float64) (x, y, depth float64) {
	sy, cy := math.Sincos(r.Yaw)
	sp, cp := math.Sincos(r.Pitch)
	x1 := cy*p[0] - sy*p[1]
	y1 := sy*p[0] + cy*p[1]
	z1 := p[2]
	return x1, sp*y1 + cp*z1, cp*y1 - sp*z1
}

// ProjectTo writes the projection of the rows of codes (an R×3 matrix) into
// dst, an R×3 matrix of x, y and depth; an empty dst is resized. It returns
// ErrSize when codes does not have 3 columns or dst has the wrong shape.
func (r Rotation) ProjectTo(dst *mat.Dense, codes mat.Matrix) error {
	n, c := codes.Dims()
	if c != 3 {
		return ErrSize
	}
	if dst.IsEmpty() {
		dst.ReuseAs(n, 3)
	} else if rr, cc := dst.Dims(); rr != n || cc != 3 {
		return ErrSize
	}
	for i := 0; i < n; i++ {
		x, y, d := r.Project([3]float64{codes.At(i, 0), codes.At(i, 1), codes.At(i, 2)})
		dst.Set(i, 0, x)
		dst.Set(i, 1, y)
		dst.Set(i, 2, d)
	}
	return nil
}

// CubeCorners returns the 8 corners of [-1,1]³; corner i has coordinate d equal
// to +1 when bit d of i is set.
func CubeCorners() [8][3]float64 {
	var cs [8][3]float64
	for i := range cs {
		for d := 0; d < 3; d++ {
			cs[i][d] = -1
			if i>>d&1 == 1 {
				cs[i][d] = 1
			}
		}
	}
	return cs
}

// CubeEdges returns the 12 edges of the cube as pairs of CubeCorners indices:
// the corners that differ in exactly one coordinate.
func CubeEdges() [12][2]int {
	var es [12][2]int
	e := 0
	for i := 0; i < 8; i++ {
		for d := 0; d < 3; d++ {
			if j := i | 1<<d; j != i {
				es[e] = [2]int{i, j}
				e++
			}
		}
	}
	return es
}

// PCA projects codes of k >= 4 hidden units (or any k) onto their first two
// principal components. The zero value is ready to use. It remembers the last
// axes so that, as training moves the codes, each axis keeps its direction
// instead of flipping sign between frames (the sign of a principal component
// is arbitrary).
type PCA struct {
	pc   stat.PC
	vecs mat.Dense
	prev *mat.Dense // K×2 axes of the last fit, or nil
	mean []float64
}

// Fit computes the principal components of codes (an R×K matrix, one row per
// input, see Codes) and writes each row's coordinates on the first two into
// dst, an R×2 matrix (resized when empty). It returns the fraction of the
// total variance those two components explain, in [0, 1]. codes is not
// modified.
//
// Degenerate cases do not fail: with fewer than two rows, or when every code
// is the same, there is no spread to show, so every coordinate is 0 and the
// fraction is 1 (the picture loses nothing). With K = 1 the second
// coordinate is 0. It returns ErrSize when dst has the wrong shape or K = 0,
// and ErrNaN when a code is not finite.
func (p *PCA) Fit(dst *mat.Dense, codes mat.Matrix) (explained float64, err error) {
	n, k := codes.Dims()
	if k == 0 {
		return 0, ErrSize
	}
	if dst.IsEmpty() {
		dst.ReuseAs(n, 2)
	} else if r, c := dst.Dims(); r != n || c != 2 {
		return 0, ErrSize
	}
	p.mean = p.mean[:0]
	total := 0.0
	for d := 0; d < k; d++ {
		s := 0.0
		for i := 0; i < n; i++ {
			v := codes.At(i, d)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, ErrNaN
			}
			s += v
		}
		m := s / float64(max(n, 1))
		p.mean = append(p.mean, m)
		for i := 0; i < n; i++ {
			v := codes.At(i, d) - m
			total += v * v
		}
	}
	dst.Zero()
	// Relative to the codes' scale, a spread this small is rounding noise and
	// its directions are meaningless.
	scale := 0.0
	for _, m := range p.mean {
		scale = max(scale, math.Abs(m))
	}
	if n < 2 || total <= 1e-24*max(1, scale*scale)*float64(n) {
		p.prev = nil
		return 1, nil
	}
	if !p.pc.PrincipalComponents(codes, nil) {
		p.prev = nil
		return 0, ErrNaN
	}
	p.vecs.Reset()
	p.pc.VectorsTo(&p.vecs)
	vars := p.pc.VarsTo(nil)
	sum, top := 0.0, 0.0
	for i, v := range vars {
		sum += v
		if i < 2 {
			top += v
		}
	}
	explained = 1
	if sum > 0 {
		explained = min(1, top/sum)
	}
	axes := min(2, len(vars))
	if p.prev == nil || p.prev.RawMatrix().Rows != k {
		p.prev = mat.NewDense(k, 2, nil)
	} else {
		for a := 0; a < axes; a++ {
			dot := 0.0
			for d := 0; d < k; d++ {
				dot += p.vecs.At(d, a) * p.prev.At(d, a)
			}
			if dot < 0 {
				for d := 0; d < k; d++ {
					p.vecs.Set(d, a, -p.vecs.At(d, a))
				}
			}
		}
	}
	p.prev.Zero()
	for a := 0; a < axes; a++ {
		for d := 0; d < k; d++ {
			p.prev.Set(d, a, p.vecs.At(d, a))
		}
	}
	for i := 0; i < n; i++ {
		for a := 0; a < axes; a++ {
			s := 0.0
			for d := 0; d < k; d++ {
				s += (codes.At(i, d) - p.mean[d]) * p.vecs.At(d, a)
			}
			dst.Set(i, a, s)
		}
	}
	return explained, nil
}
