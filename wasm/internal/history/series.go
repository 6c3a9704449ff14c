// Package history records a run's loss and accuracy against the step: a
// Series bounded in memory however long the run, the pair of them (Charts)
// that the training engine records at every step, and their float form,
// which crosses the protocol to the page. It knows nothing of drawing; the
// charts' axes and ticks are the explaining views' (package explain).
package history

import (
	"fmt"
	"math"
)

// SeriesPoint is one point of a Series: the samples of steps First..Step
// merged. Min and Max bound every sample merged into it, and Last is the
// sample at Step, so a chart can draw the line through Last (real values at
// real steps) and shade Min..Max: nothing that happened is hidden.
type SeriesPoint struct {
	First, Step    int // the first and last step merged into the point
	Min, Max, Last float64
	Count          int // samples merged
}

// DefaultCapacity is the capacity of the loss and accuracy charts: a point
// per two pixels of a 1024-pixel-wide chart.
const DefaultCapacity = 512

// Series is a bounded-memory time series of one metric against the step, for
// hours of training. It keeps at most its capacity of points: when full it
// merges neighbours pairwise, halving the points, and doubles its stride (the
// samples each point takes) for what comes next.
//
// Merging keeps the minimum and the maximum of each pair rather than the mean:
// on a log-scale loss chart a mean of 1e-1 and 1e-4 plots as 5e-2, a value
// the loss never had, and spikes (or the record low) would fade with every
// halving. What it guarantees: the first and the latest sample's steps are
// kept exactly, the overall minimum and maximum are kept exactly, and every
// sample lies within the [Min, Max] of the point whose First..Step holds it.
//
// The zero value is not usable; use NewSeries. A Series is not safe for
// concurrent use.
type Series struct {
	pts      []SeriesPoint
	capacity int
	stride   int
	solved   int // the step marked solved, or -1
}

// NewSeries returns an empty series holding at most capacity points. The
// capacity is rounded up to an even number of at least 4, so pairs merge
// evenly.
func NewSeries(capacity int) *Series {
	capacity = max(4, capacity+capacity%2)
	return &Series{pts: make([]SeriesPoint, 0, capacity), capacity: capacity, stride: 1, solved: -1}
}

// Reset empties the series (after the network is reset) and clears the
// solved marker; the capacity stays.
func (s *Series) Reset() {
	s.pts, s.stride, s.solved = s.pts[:0], 1, -1
}

// Capacity returns the most points the series holds.
func (s *Series) Capacity() int { return s.capacity }

// Len returns the number of points held.
func (s *Series) Len() int { return len(s.pts) }

// Stride returns how many samples a full point now merges.
func (s *Series) Stride() int { return s.stride }

// Add records value at step and reports whether it was kept. It ignores (and
// returns false for) a value that is NaN or infinite, which a log plot cannot
// place (a diverged run shows as the curve stopping), and a step before the
// latest one, which would break the order (call Reset first).
func (s *Series) Add(step int, value float64) bool {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return false
	}
	if n := len(s.pts); n > 0 {
		last := &s.pts[n-1]
		if step < last.Step {
			return false
		}
		if last.Count < s.stride {
			last.Step, last.Last, last.Count = step, value, last.Count+1
			last.Min, last.Max = min(last.Min, value), max(last.Max, value)
			return true
		}
		if n == s.capacity {
			s.halve()
		}
	}
	s.pts = append(s.pts, SeriesPoint{First: step, Step: step, Min: value, Max: value, Last: value, Count: 1})
	return true
}

// halve merges neighbouring points pairwise and doubles the stride. It is
// called only when every point is full, so all points stay of equal width.
func (s *Series) halve() {
	h := len(s.pts) / 2
	for i := 0; i < h; i++ {
		s.pts[i] = merged(s.pts[2*i], s.pts[2*i+1])
	}
	s.pts = s.pts[:h]
	s.stride *= 2
}

// merged returns the point that a and b, its neighbour after it, make
// together: a's first step, b's last step and value, the smaller Min and the
// larger Max, so that Series' guarantees hold for it.
func merged(a, b SeriesPoint) SeriesPoint {
	return SeriesPoint{
		First: a.First, Step: b.Step,
		Min: min(a.Min, b.Min), Max: max(a.Max, b.Max),
		Last: b.Last, Count: a.Count + b.Count,
	}
}

// Points appends the points, oldest first, to dst[:0] and returns it; reusing
// dst from frame to frame allocates nothing.
func (s *Series) Points(dst []SeriesPoint) []SeriesPoint {
	return append(dst[:0], s.pts...)
}

// PointsAtMost appends to dst[:0] the points merged in groups of equal
// size, oldest first, so that there are at most n of them (at least 1), and
// returns it: what a chart narrower than the series' capacity can show. A
// group merges as halving does (merged), so the guarantees of Series hold
// for the groups too. Groups are counted from the oldest point, so a point
// stays in its group while newer ones arrive until the group size changes.
// With n >= Len it is Points.
func (s *Series) PointsAtMost(dst []SeriesPoint, n int) []SeriesPoint {
	n = max(n, 1)
	if len(s.pts) <= n {
		return s.Points(dst)
	}
	g := (len(s.pts) + n - 1) / n // points per group
	dst = dst[:0]
	for i := 0; i < len(s.pts); i += g {
		grp := s.pts[i:min(i+g, len(s.pts))]
		q := grp[0]
		for _, p := range grp[1:] {
			q = merged(q, p)
		}
		dst = append(dst, q)
	}
	return dst
}

// Range returns the smallest Min and the largest Max held, and the first and
// last steps; ok is false when the series is empty.
func (s *Series) Range() (lo, hi float64, first, last int, ok bool) {
	if len(s.pts) == 0 {
		return 0, 0, 0, 0, false
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range s.pts {
		lo, hi = min(lo, p.Min), max(hi, p.Max)
	}
	return lo, hi, s.pts[0].First, s.pts[len(s.pts)-1].Step, true
}

// MarkSolved records the step at which every pair became right (core's
// Metrics.SolvedAt), for a marker on the chart. A negative step clears it.
func (s *Series) MarkSolved(step int) { s.solved = max(step, -1) }

// Solved returns the marked step; ok is false when none is marked.
func (s *Series) Solved() (step int, ok bool) { return s.solved, s.solved >= 0 }

// seriesHeader and pointFloats size AppendFloats' layout: stride, solved
// step and point count, then six floats a point.
const (
	seriesHeader = 3
	pointFloats  = 6
)

// MaxSeriesFloats is the most floats AppendFloats writes for a series of
// DefaultCapacity points: what a message may carry for one.
const MaxSeriesFloats = seriesHeader + pointFloats*DefaultCapacity

// AppendFloats appends the series to dst as floats and returns it: the
// stride, the solved step (-1 for none) and the number of points, then each
// point's First, Step, Min, Max, Last and Count, oldest first. SetFloats
// reads it back exactly. It is how the training engine, which records every
// step, hands its charts to the page.
func (s *Series) AppendFloats(dst []float64) []float64 {
	dst = append(dst, float64(s.stride), float64(s.solved), float64(len(s.pts)))
	for _, p := range s.pts {
		dst = append(dst, float64(p.First), float64(p.Step), p.Min, p.Max, p.Last, float64(p.Count))
	}
	return dst
}

// maxFloatInt bounds the integers SetFloats takes: every one below it is a
// float64 exactly, and a step count never gets near it.
const maxFloatInt = 1 << 52

// CheckSeriesFloats returns the number of floats that the series at the
// start of f takes, as AppendFloats wrote it, or why it is not one that a
// series of the given capacity can hold: it checks what Series guarantees
// (whole numbers where they belong, finite values, Min <= Last <= Max,
// points in order, no more points than capacity, none over the stride, the
// stride a power of two). It never panics and allocates nothing.
func CheckSeriesFloats(f []float64, capacity int) (size int, err error) {
	whole := func(v float64, lo int) bool { return v == math.Trunc(v) && v >= float64(lo) && v < maxFloatInt }
	if len(f) < seriesHeader {
		return 0, fmt.Errorf("series: %d floats, too few for its header of %d", len(f), seriesHeader)
	}
	stride, solved, n := f[0], f[1], f[2]
	if !whole(stride, 1) || int(stride)&(int(stride)-1) != 0 {
		return 0, fmt.Errorf("series: a stride of %v, not a power of two", stride)
	}
	if !whole(solved, -1) {
		return 0, fmt.Errorf("series: a solved step of %v", solved)
	}
	if !whole(n, 0) || n > float64(capacity) {
		return 0, fmt.Errorf("series: %v points, not a count from 0 to its capacity of %d", n, capacity)
	}
	size = seriesHeader + int(n)*pointFloats
	if len(f) < size {
		return 0, fmt.Errorf("series: %v points need %v floats, but %d are left", n, n*pointFloats, len(f)-seriesHeader)
	}
	for i := range int(n) {
		q := f[seriesHeader+i*pointFloats:]
		p := pointOf(q)
		switch {
		case !whole(q[0], 0) || !whole(q[1], 0) || !whole(q[5], 1):
			return 0, fmt.Errorf("series: point %d: steps %v..%v and count %v are not whole numbers from 0, 0 and 1", i, q[0], q[1], q[5])
		case p.First > p.Step || i > 0 && p.First < int(f[seriesHeader+(i-1)*pointFloats+1]):
			return 0, fmt.Errorf("series: point %d: steps %d..%d out of order", i, p.First, p.Step)
		case p.Count > int(stride):
			return 0, fmt.Errorf("series: point %d merges %d samples, over the stride of %v", i, p.Count, stride)
		case !finite(p.Min) || !finite(p.Max) || !finite(p.Last) || !(p.Min <= p.Last && p.Last <= p.Max):
			return 0, fmt.Errorf("series: point %d: values %v <= %v <= %v do not hold", i, p.Min, p.Last, p.Max)
		}
	}
	return size, nil
}

// pointOf reads a point from the start of q, AppendFloats' six floats.
func pointOf(q []float64) SeriesPoint {
	return SeriesPoint{First: int(q[0]), Step: int(q[1]), Min: q[2], Max: q[3], Last: q[4], Count: int(q[5])}
}

// SetFloats makes s the series at the start of f, as AppendFloats wrote it,
// and returns the floats after it. A series that CheckSeriesFloats refuses
// for s's capacity is refused with its reason, and s is left unchanged. It
// never panics, and it allocates nothing once s has held its capacity.
func (s *Series) SetFloats(f []float64) (rest []float64, err error) {
	size, err := CheckSeriesFloats(f, s.capacity)
	if err != nil {
		return f, err
	}
	s.stride, s.solved = int(f[0]), int(f[1])
	s.pts = s.pts[:0]
	for q := f[seriesHeader:size]; len(q) > 0; q = q[pointFloats:] {
		s.pts = append(s.pts, pointOf(q))
	}
	return f[size:], nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
