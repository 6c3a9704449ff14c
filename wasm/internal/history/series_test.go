package history

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSeriesBounded(t *testing.T) {
	const total = 1_000_000
	s := NewSeries(DefaultCapacity)
	rng := rand.New(rand.NewPCG(5, 6))
	vals := make([]float64, total)
	minAt, maxAt := 123457, 876543
	for i := range vals {
		vals[i] = 2 * math.Exp(-float64(i)/2e5) * (1 + 0.3*rng.Float64())
	}
	vals[minAt] = 1e-9 // the record low, between two halvings
	vals[maxAt] = 50   // a spike late in training
	for i, v := range vals {
		if !s.Add(i, v) {
			t.Fatalf("Add(%d, %v) refused", i, v)
		}
		if s.Len() > s.Capacity() {
			t.Fatalf("%d points after %d adds", s.Len(), i+1)
		}
	}
	pts := s.Points(nil)
	if pts[0].First != 0 || pts[len(pts)-1].Step != total-1 || pts[len(pts)-1].Last != vals[total-1] {
		t.Errorf("first %+v, last %+v", pts[0], pts[len(pts)-1])
	}
	lo, hi, first, last, ok := s.Range()
	if !ok || lo != 1e-9 || hi != 50 || first != 0 || last != total-1 {
		t.Errorf("Range = %v %v %v %v %v", lo, hi, first, last, ok)
	}
	count := 0
	for i, p := range pts {
		if i > 0 && p.First != pts[i-1].Step+1 {
			t.Fatalf("point %d starts at %d after %d", i, p.First, pts[i-1].Step)
		}
		if p.Count != p.Step-p.First+1 {
			t.Fatalf("point %+v", p)
		}
		count += p.Count
		seg := vals[p.First : p.Step+1]
		if p.Min != slices.Min(seg) || p.Max != slices.Max(seg) || p.Last != seg[len(seg)-1] {
			t.Fatalf("point %+v does not bound its samples", p)
		}
	}
	if count != total {
		t.Errorf("points cover %d samples", count)
	}
	if len(pts) < s.Capacity()/2 {
		t.Errorf("only %d points kept of %d", len(pts), s.Capacity())
	}
}

func TestSeriesEdges(t *testing.T) {
	s := NewSeries(5)
	if s.Capacity() != 6 {
		t.Errorf("capacity %d", s.Capacity())
	}
	if s.Add(0, math.NaN()) || s.Add(0, math.Inf(1)) {
		t.Error("non-finite accepted")
	}
	s.Add(10, 1)
	if s.Add(9, 1) {
		t.Error("step going back accepted")
	}
	s.MarkSolved(77)
	if st, ok := s.Solved(); !ok || st != 77 {
		t.Errorf("solved %v %v", st, ok)
	}
	s.Reset()
	if _, ok := s.Solved(); ok || s.Len() != 0 {
		t.Error("Reset kept data")
	}
	if _, _, _, _, ok := s.Range(); ok {
		t.Error("empty range ok")
	}
}

func TestSeriesPointsAtMost(t *testing.T) {
	s := NewSeries(DefaultCapacity)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 3000 {
		s.Add(i, rng.Float64())
	}
	all := s.Points(nil)
	if got := s.PointsAtMost(nil, len(all)); !slices.Equal(got, all) {
		t.Fatalf("PointsAtMost(Len) differs from Points")
	}
	for _, n := range []int{-1, 0, 1, 2, 3, 7, 100, len(all) - 1} {
		got := s.PointsAtMost(nil, n)
		if len(got) > max(n, 1) || len(got) == 0 {
			t.Fatalf("n = %d: %d points", n, len(got))
		}
		if got[0].First != all[0].First || got[len(got)-1].Step != all[len(all)-1].Step || got[len(got)-1].Last != all[len(all)-1].Last {
			t.Errorf("n = %d: first %+v, last %+v", n, got[0], got[len(got)-1])
		}
		count := 0
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, p := range got {
			if i > 0 && p.First != got[i-1].Step+1 {
				t.Fatalf("n = %d: point %d starts at %d after %d", n, i, p.First, got[i-1].Step)
			}
			count += p.Count
			lo, hi = min(lo, p.Min), max(hi, p.Max)
		}
		if wlo, whi, _, _, _ := s.Range(); count != 3000 || lo != wlo || hi != whi {
			t.Errorf("n = %d: %d samples in [%v, %v], want 3000 in [%v, %v]", n, count, lo, hi, wlo, whi)
		}
	}
	// Reusing dst allocates nothing.
	dst := s.PointsAtMost(nil, 100)
	if a := testing.AllocsPerRun(10, func() { dst = s.PointsAtMost(dst, 100) }); a != 0 {
		t.Errorf("%v allocations a call", a)
	}
}

// TestSeriesFloatsRoundTrip checks that SetFloats reads back exactly what
// AppendFloats wrote, at every size from empty to after several halvings,
// and that the copy goes on exactly as the original does.
func TestSeriesFloatsRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 7, DefaultCapacity, DefaultCapacity + 1, 10_000} {
		s := NewSeries(DefaultCapacity)
		for i := range n {
			s.Add(3+i, 1/float64(i+1))
		}
		s.MarkSolved(n / 2)
		f := s.AppendFloats([]float64{42})
		if len(f)-1 > MaxSeriesFloats {
			t.Errorf("n=%d: %d floats, over MaxSeriesFloats %d", n, len(f)-1, MaxSeriesFloats)
		}
		got := NewSeries(DefaultCapacity)
		got.Add(1, 5) // replaced, not kept
		rest, err := got.SetFloats(append(f[1:], 9))
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if !slices.Equal(rest, []float64{9}) {
			t.Errorf("n=%d: rest %v, want [9]", n, rest)
		}
		if !slices.Equal(got.Points(nil), s.Points(nil)) || got.Stride() != s.Stride() {
			t.Errorf("n=%d: got %d points of stride %d, want %d of %d", n, got.Len(), got.Stride(), s.Len(), s.Stride())
		}
		if a, _ := got.Solved(); a != n/2 {
			t.Errorf("n=%d: solved %d", n, a)
		}
		for i := range 700 {
			s.Add(3+n+i, float64(i))
			got.Add(3+n+i, float64(i))
		}
		if !slices.Equal(got.Points(nil), s.Points(nil)) {
			t.Errorf("n=%d: the copy went on differently", n)
		}
	}
}

// TestSeriesFloatsRefused feeds SetFloats broken forms: each is refused
// with a reason and leaves the series as it was.
func TestSeriesFloatsRefused(t *testing.T) {
	good := func() []float64 {
		s := NewSeries(8)
		for i := range 20 {
			s.Add(i, float64(20-i))
		}
		return s.AppendFloats(nil)
	}
	nan := math.NaN()
	cases := []struct {
		name string
		edit func(f []float64) []float64
	}{
		{"empty", func(f []float64) []float64 { return nil }},
		{"a stride of 3", func(f []float64) []float64 { f[0] = 3; return f }},
		{"a stride of 0", func(f []float64) []float64 { f[0] = 0; return f }},
		{"a NaN stride", func(f []float64) []float64 { f[0] = nan; return f }},
		{"a solved step of -2", func(f []float64) []float64 { f[1] = -2; return f }},
		{"more points than the capacity", func(f []float64) []float64 { f[2] = 9; return f }},
		{"a fractional count of points", func(f []float64) []float64 { f[2] = 1.5; return f }},
		{"cut short", func(f []float64) []float64 { return f[:len(f)-1] }},
		{"a fractional step", func(f []float64) []float64 { f[4] += 0.5; return f }},
		{"steps backwards", func(f []float64) []float64 { f[3], f[4] = 5, 4; return f }},
		{"points out of order", func(f []float64) []float64 { f[9] = 0; return f }},
		{"a count over the stride", func(f []float64) []float64 { f[8] = 99; return f }},
		{"a NaN value", func(f []float64) []float64 { f[7] = nan; return f }},
		{"an infinite value", func(f []float64) []float64 { f[6] = math.Inf(1); return f }},
		{"the last value outside min..max", func(f []float64) []float64 { f[7] = f[6] + 1; return f }},
	}
	for _, c := range cases {
		s := NewSeries(8)
		s.Add(100, 0.5)
		before := s.Points(nil)
		if _, err := s.SetFloats(c.edit(good())); err == nil {
			t.Errorf("%s: taken", c.name)
		} else {
			t.Logf("%s: %v", c.name, err)
		}
		if !slices.Equal(s.Points(nil), before) {
			t.Errorf("%s: the series changed", c.name)
		}
	}
}
