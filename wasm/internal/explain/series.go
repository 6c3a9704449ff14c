package explain

import (
	"math"
	"strconv"
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

// MinLogValue is the floor LogTicks puts under non-positive values: a loss
// that underflowed to 0 has no place on a log axis.
const MinLogValue = 1e-12

// LogTicks returns the powers of ten of a log axis covering [lo, hi], from the
// power at or below lo to the power at or above hi, stepping several decades
// at a time (on multiples of the stride) when there would be more than 11. lo is raised to
// MinLogValue when smaller; when lo == hi it returns the decade around the
// value. It returns nil when hi is not positive or either bound is not finite.
func LogTicks(lo, hi float64) []float64 {
	if !(hi > 0) || math.IsInf(hi, 0) || math.IsNaN(lo) {
		return nil
	}
	lo = max(lo, MinLogValue)
	if lo > hi {
		lo, hi = hi, lo
	}
	a := int(math.Floor(math.Log10(lo) + 1e-9))
	b := int(math.Ceil(math.Log10(hi) - 1e-9))
	if b <= a {
		b = a + 1
	}
	step := (b - a + 9) / 10        // about 10 ticks at most
	a -= ((a % step) + step) % step // align to multiples of step: 1e-6, 1e-3, 1...
	var ts []float64
	for e := a; ; e += step {
		ts = append(ts, math.Pow(10, float64(e)))
		if e >= b {
			break
		}
	}
	return ts
}

// LogTickLabel formats a power of ten from LogTicks: "1", "10", "100", "0.1",
// "0.01", and "1e-3", "1e4" beyond, which fit a narrow axis.
func LogTickLabel(v float64) string {
	e := int(math.Round(math.Log10(v)))
	switch {
	case e >= 0 && e <= 2:
		return strconv.Itoa(int(math.Round(v)))
	case e == -1:
		return "0.1"
	case e == -2:
		return "0.01"
	}
	return "1e" + strconv.Itoa(e)
}

// StepTicks returns at most maxTicks (at least 2) evenly spaced "nice" steps
// (multiples of 1, 2 or 5 times a power of ten) within [lo, hi]. It returns nil
// when hi < lo.
func StepTicks(lo, hi, maxTicks int) []int {
	if hi < lo {
		return nil
	}
	maxTicks = max(2, maxTicks)
	span := max(hi-lo, 1)
	step := 1
	for ; ; step *= 10 {
		if n := span/step + 1; n <= maxTicks {
			break
		}
		if n := span/(2*step) + 1; n <= maxTicks {
			step *= 2
			break
		}
		if n := span/(5*step) + 1; n <= maxTicks {
			step *= 5
			break
		}
	}
	first := (lo + step - 1) / step * step
	if lo < 0 {
		first = lo / step * step
	}
	var ts []int
	for v := first; v <= hi; v += step {
		ts = append(ts, v)
	}
	return ts
}

// StepLabel formats a step count for an axis to three significant digits:
// "950", "12k", "1.5k", "2.5M".
func StepLabel(step int) string {
	a := step
	if a < 0 {
		a = -a
	}
	switch {
	case a < 1000:
		return strconv.Itoa(step)
	case a < 1_000_000:
		return strconv.FormatFloat(float64(step)/1e3, 'g', 3, 64) + "k"
	default:
		return strconv.FormatFloat(float64(step)/1e6, 'g', 3, 64) + "M"
	}
}
