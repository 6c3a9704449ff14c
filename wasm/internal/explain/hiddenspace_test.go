package explain

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"gonum.org/v1/gonum/mat"
)

// argmax returns the largest logit's index (lower index on ties, as core) and
// the gap to the second largest.
func argmax(z []float64) (best int, gap float64) {
	second := math.Inf(-1)
	for j, v := range z {
		if v > z[best] {
			second, best = z[best], j
		} else if j != best {
			second = max(second, v)
		}
	}
	return best, z[best] - second
}

func TestRegionMapTrained11(t *testing.T) {
	tr := trained(t, 11, 2, 600, nil)
	if !tr.Metrics().Solved() {
		t.Fatalf("11-2-11 not solved: %+v", tr.Metrics())
	}
	net := tr.Network()
	var codes mat.Dense
	if err := Codes(&codes, net); err != nil {
		t.Fatal(err)
	}
	m, err := NewRegionMap(128, 128)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fill(net, UnitBox); err != nil {
		t.Fatal(err)
	}
	winners := m.Winners(nil)
	if len(winners) > 11 || len(winners) == 0 {
		t.Fatalf("%d winners", len(winners))
	}
	for _, p := range tr.Pairs() {
		if !m.Wins[p.Out] {
			t.Errorf("target output %d wins nowhere (winners %v)", p.Out+1, winners)
		}
	}
	// Each input's code lies in its core winner's region, unless within a
	// cell of a boundary.
	checked := 0
	for i := 0; i < 11; i++ {
		ins, _ := tr.Inspect(i)
		x, y := codes.At(i, 0), codes.At(i, 1)
		if x != ins.Hidden[0] || y != ins.Hidden[1] {
			t.Errorf("code %d = (%v,%v), core's %v", i, x, y, ins.Hidden)
		}
		col, row, ok := m.Cell(x, y)
		if !ok {
			t.Fatalf("code %d outside the box", i)
		}
		border := false
		for dr := -1; dr <= 1; dr++ {
			for dc := -1; dc <= 1; dc++ {
				r, c := row+dr, col+dc
				if r >= 0 && r < m.H && c >= 0 && c < m.W && m.Cells[r*m.W+c] != m.Cells[row*m.W+col] {
					border = true
				}
			}
		}
		if border {
			continue
		}
		checked++
		if got, _ := m.At(x, y); got != ins.Winner {
			t.Errorf("input %d: code in output %d's region, core's winner %d", i+1, got+1, ins.Winner+1)
		}
	}
	if checked < 6 {
		t.Errorf("only %d codes away from boundaries", checked)
	}
	// The envelope agrees with brute force at every cell centre.
	bruteCompare(t, m, net)
}

// bruteCompare checks every cell of m against an argmax of core's LogitsAt,
// tolerating only near-ties.
func bruteCompare(t *testing.T, m *RegionMap, net *core.Network) {
	t.Helper()
	z := make([]float64, net.N)
	vp := Viewport{Box: m.Box, W: float64(m.W), H: float64(m.H)}
	bad := 0
	for row := 0; row < m.H; row++ {
		for col := 0; col < m.W; col++ {
			x, y := vp.FromView(Point{float64(col) + 0.5, float64(row) + 0.5})
			net.LogitsAt([]float64{x, y}, z)
			want, _ := argmax(z)
			got := int(m.Cells[row*m.W+col])
			if got != want && z[want]-z[got] > 1e-9*(1+math.Abs(z[want])) {
				bad++
				if bad < 5 {
					t.Errorf("cell (%d,%d): %d wins, brute force %d (%v vs %v)", col, row, got, want, z[got], z[want])
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d cells disagree with brute force", bad)
	}
}

// randomNet returns an n-k-n network with random weights of the given spread.
func randomNet(t testing.TB, n, k int, bias bool, seed uint64) *core.Network {
	c := core.DefaultConfig()
	c.N, c.K, c.OutputBias = n, k, bias
	c.Seed = seed
	net := core.NewNetwork(&c)
	rng := rand.New(rand.NewPCG(seed, 7))
	for j := 0; j < n; j++ {
		for h := 0; h < k; h++ {
			net.W2.Set(j, h, 10*rng.NormFloat64())
		}
		if bias {
			net.B2.SetVec(j, 5*rng.NormFloat64())
		}
	}
	return net
}

func TestRegionMapRandomLarge(t *testing.T) {
	net := randomNet(t, 1024, 2, true, 3)
	m, _ := NewRegionMap(CoarseSize, CoarseSize)
	box := Box{-1.5, -1, 1, 1.2}
	if err := m.Fill(net, box); err != nil {
		t.Fatal(err)
	}
	bruteCompare(t, m, net)
	// Parallel lines and ties: duplicate rows of W2.
	net = randomNet(t, 8, 2, true, 4)
	for h := 0; h < 2; h++ {
		net.W2.Set(5, h, net.W2.At(2, h))
		net.W2.Set(6, h, net.W2.At(2, h))
	}
	net.W2.Set(7, 0, net.W2.At(1, 0)) // same slope in x, another in y
	net.B2.SetVec(6, net.B2.AtVec(2))
	if err := m.Fill(net, UnitBox); err != nil {
		t.Fatal(err)
	}
	bruteCompare(t, m, net)
	if m.Wins[6] {
		t.Error("output 6 ties output 2 exactly and should lose to the lower index")
	}
}

func TestRegionMapErrors(t *testing.T) {
	m, _ := NewRegionMap(4, 4)
	if err := m.Fill(randomNet(t, 5, 3, true, 1), UnitBox); err == nil {
		t.Error("k=3 accepted")
	}
	net := randomNet(t, 5, 2, true, 1)
	if err := m.Fill(net, Box{1, 1, 1, 2}); err == nil {
		t.Error("empty box accepted")
	}
	net.W2.Set(0, 1, math.NaN())
	if err := m.Fill(net, UnitBox); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := NewRegionMap(0, 3); err == nil {
		t.Error("0 width accepted")
	}
}

func BenchmarkRegionMap128N1024(b *testing.B) {
	net := randomNet(b, 1024, 2, true, 3)
	m, _ := NewRegionMap(128, 128)
	for b.Loop() {
		m.Fill(net, UnitBox)
	}
}

// checkIntervals checks that iv tiles [lo, hi] and agrees with brute force
// at 10,000 points; it returns the distinct winners.
func checkIntervals(t *testing.T, iv []Interval, net *core.Network, lo, hi float64) map[int]bool {
	t.Helper()
	if len(iv) == 0 || iv[0].From != lo || iv[len(iv)-1].To != hi {
		t.Fatalf("intervals %v do not span [%v,%v]", iv, lo, hi)
	}
	for i, v := range iv {
		if !(v.From < v.To) {
			t.Errorf("empty interval %v", v)
		}
		if i > 0 && v.From != iv[i-1].To {
			t.Errorf("gap or overlap between %v and %v", iv[i-1], v)
		}
	}
	wins := map[int]bool{}
	for _, v := range iv {
		wins[v.Output] = true
	}
	z := make([]float64, net.N)
	const samples = 10000
	s := 0
	for i := 0; i < samples; i++ {
		h := lo + (hi-lo)*(float64(i)+0.5)/samples
		net.LogitsAt([]float64{h}, z)
		want, _ := argmax(z)
		for s+1 < len(iv) && h >= iv[s].To {
			s++
		}
		if got := iv[s].Output; got != want && z[want]-z[got] > 1e-9*(1+math.Abs(z[want])) {
			t.Errorf("h=%v: interval says %d, brute force %d", h, got, want)
		}
	}
	return wins
}

func TestIntervals(t *testing.T) {
	var iv []Interval
	var err error
	for seed := uint64(1); seed <= 20; seed++ {
		net := randomNet(t, 50, 1, true, seed)
		if iv, err = Intervals(iv, net, -1, 1); err != nil {
			t.Fatal(err)
		}
		checkIntervals(t, iv, net, -1, 1)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		net := randomNet(t, 50, 1, false, seed)
		if iv, err = Intervals(iv, net, -1, 1); err != nil {
			t.Fatal(err)
		}
		wins := checkIntervals(t, iv, net, -1, 1)
		if len(wins) > 2 {
			t.Errorf("without output bias %d outputs win: %v", len(wins), iv)
		}
		lo, hi := 0, 0
		for j := 0; j < 50; j++ {
			if net.W2.At(j, 0) < net.W2.At(lo, 0) {
				lo = j
			}
			if net.W2.At(j, 0) > net.W2.At(hi, 0) {
				hi = j
			}
		}
		if iv[0].Output != lo || iv[len(iv)-1].Output != hi {
			t.Errorf("winners %v, want the smallest slope %d then the largest %d", iv, lo, hi)
		}
	}
	// The post's 5-1-5, trained, with and without output bias.
	for _, bias := range []bool{true, false} {
		tr := trained(t, 5, 1, 300, func(c *core.Config) { c.OutputBias = bias })
		if iv, err = Intervals(iv, tr.Network(), -1, 1); err != nil {
			t.Fatal(err)
		}
		wins := checkIntervals(t, iv, tr.Network(), -1, 1)
		if !bias && len(wins) > 2 {
			t.Errorf("5-1-5 without bias: %v", iv)
		}
		t.Logf("5-1-5 bias=%v: %v", bias, iv)
	}
	// Parallel and identical lines, and a winner only outside the range.
	net := randomNet(t, 4, 1, true, 1)
	for j, w := range []float64{1, 1, 1, 50} {
		net.W2.Set(j, 0, w)
	}
	for j, b := range []float64{0, 2, 2, -100} {
		net.B2.SetVec(j, b)
	}
	if iv, err = Intervals(iv, net, -1, 1); err != nil {
		t.Fatal(err)
	}
	if len(iv) != 1 || iv[0].Output != 1 {
		t.Errorf("parallel lines: %v, want output 1 alone", iv)
	}
	if _, err := Intervals(nil, randomNet(t, 4, 2, true, 1), -1, 1); err == nil {
		t.Error("k=2 accepted")
	}
	if _, err := Intervals(nil, net, 1, 1); err == nil {
		t.Error("empty range accepted")
	}
}

func TestPCAPlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	u := []float64{1, 2, -1, 0.5}
	v := []float64{0, 1, 3, -2}
	off := []float64{0.3, -0.2, 0.1, 0.4}
	const n = 30
	codes := mat.NewDense(n, 4, nil)
	for i := 0; i < n; i++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		for d := 0; d < 4; d++ {
			codes.Set(i, d, a*u[d]+b*v[d]+off[d])
		}
	}
	orig := mat.DenseCopyOf(codes)
	var p PCA
	var xy mat.Dense
	f, err := p.Fit(&xy, codes)
	if err != nil || f < 1-1e-9 || f > 1 {
		t.Fatalf("explained %v, %v", f, err)
	}
	if !mat.Equal(codes, orig) {
		t.Error("Fit modified its input")
	}
	// An orthonormal projection of a plane keeps all distances.
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			var diff mat.VecDense
			diff.SubVec(codes.RowView(i), codes.RowView(j))
			d4 := mat.Norm(&diff, 2)
			d2 := math.Hypot(xy.At(i, 0)-xy.At(j, 0), xy.At(i, 1)-xy.At(j, 1))
			if math.Abs(d4-d2) > 1e-9*(1+d4) {
				t.Fatalf("distance %d-%d: %v in 4D, %v projected", i, j, d4, d2)
			}
		}
	}
	// Refitting slightly moved codes keeps the axes' signs.
	codes.Set(0, 0, codes.At(0, 0)+1e-3)
	var xy2 mat.Dense
	if _, err := p.Fit(&xy2, codes); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < n; i++ {
		for a := 0; a < 2; a++ {
			if math.Abs(xy.At(i, a)-xy2.At(i, a)) > 0.05 {
				t.Fatalf("row %d axis %d jumped from %v to %v", i, a, xy.At(i, a), xy2.At(i, a))
			}
		}
	}
	// A real network: 30-4-30 codes.
	tr := trained(t, 30, 4, 100, nil)
	var c mat.Dense
	if err := Codes(&c, tr.Network()); err != nil {
		t.Fatal(err)
	}
	var q PCA
	xy.Reset()
	if f, err := q.Fit(&xy, &c); err != nil || !(f > 0 && f <= 1) {
		t.Errorf("30-4-30: %v %v", f, err)
	}
}

func TestPCADegenerate(t *testing.T) {
	var p PCA
	for _, codes := range []*mat.Dense{
		mat.NewDense(5, 4, []float64{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}), // all equal
		mat.NewDense(1, 4, []float64{1, 2, 3, 4}),                                                 // one input
		mat.NewDense(2, 4, []float64{1, 2, 3, 4, 0, 0, 0, 0}),                                     // two inputs
		mat.NewDense(3, 1, []float64{1, 2, 5}),                                                    // k = 1
		mat.NewDense(3, 4, []float64{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}),                         // a line
	} {
		var xy mat.Dense
		f, err := p.Fit(&xy, codes)
		r, _ := codes.Dims()
		if err != nil || !(f >= 0 && f <= 1) || xy.RawMatrix().Rows != r {
			t.Errorf("%v: %v, %v", mat.Formatted(codes), f, err)
		}
		for _, v := range xy.RawMatrix().Data {
			if math.IsNaN(v) {
				t.Errorf("NaN coordinate for %v", mat.Formatted(codes))
			}
		}
	}
	var xy mat.Dense
	if _, err := p.Fit(&xy, mat.NewDense(2, 4, []float64{math.NaN(), 0, 0, 0, 1, 1, 1, 1})); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := p.Fit(mat.NewDense(3, 2, nil), mat.NewDense(2, 4, nil)); err == nil {
		t.Error("wrong dst shape accepted")
	}
}

func TestRotation(t *testing.T) {
	r := DefaultRotation
	for step := 0; step < 100; step++ {
		r.Advance(0.1)
		r.Drag(3, -7, 300)
		for _, c := range CubeCorners() {
			x, y, d := r.Project(c)
			if n := x*x + y*y + d*d; math.Abs(n-3) > 1e-12 {
				t.Fatalf("rotation does not keep lengths: %v", n)
			}
			if math.Hypot(x, y) > CubeRadius+1e-12 {
				t.Fatalf("corner projected outside CubeRadius")
			}
		}
	}
	r.Drag(0, 1e6, 100)
	if r.Pitch != MaxPitch {
		t.Errorf("pitch %v not clamped", r.Pitch)
	}
	seen := map[[2]int]bool{}
	cs := CubeCorners()
	for _, e := range CubeEdges() {
		diff := 0
		for d := 0; d < 3; d++ {
			if cs[e[0]][d] != cs[e[1]][d] {
				diff++
			}
		}
		if diff != 1 || seen[e] {
			t.Errorf("bad edge %v", e)
		}
		seen[e] = true
	}
	var dst mat.Dense
	if err := r.ProjectTo(&dst, mat.NewDense(2, 3, []float64{1, 0, 0, 0, 0, 1})); err != nil {
		t.Fatal(err)
	}
	if err := r.ProjectTo(&dst, mat.NewDense(2, 2, nil)); err == nil {
		t.Error("2 columns accepted")
	}
}

func TestNearestAndViewport(t *testing.T) {
	vp := Viewport{Box: UnitBox, X: 10, Y: 20, W: 200, H: 100}
	if p := vp.ToView(-1, 1); p != (Point{10, 20}) {
		t.Errorf("top-left %v", p)
	}
	if x, y := vp.FromView(vp.ToView(0.3, -0.7)); math.Abs(x-0.3) > 1e-12 || math.Abs(y+0.7) > 1e-12 {
		t.Errorf("round trip %v %v", x, y)
	}
	pts := vp.ViewPoints(nil, mat.NewDense(3, 2, []float64{0, 0, 0.5, 0.5, 0, 0}))
	if i, ok := Nearest(pts, Point{111, 71}, 5); !ok || i != 0 {
		t.Errorf("Nearest = %d %v, want 0 (the lower of two equal dots)", i, ok)
	}
	if _, ok := Nearest(pts, Point{0, 0}, 5); ok {
		t.Error("hit far from every dot")
	}
	if i, ok := Nearest(pts, vp.ToView(0.5, 0.5), 1); !ok || i != 1 {
		t.Errorf("Nearest = %d %v, want 1", i, ok)
	}
}

// GroupLabels gives coinciding dots one label and leaves apart ones alone,
// and reusing its result gives the same groups.
func TestGroupLabels(t *testing.T) {
	pts := []Point{{0, 0}, {100, 0}, {2, 1}, {100, 3}, {50, 50}, {0, 4.9}, {0, 5.1}}
	want := []LabelGroup{
		{At: Point{0, 0}, Members: []int{0, 2, 5}},
		{At: Point{100, 0}, Members: []int{1, 3}},
		{At: Point{50, 50}, Members: []int{4}},
		{At: Point{0, 5.1}, Members: []int{6}},
	}
	got := GroupLabels(nil, pts, 5)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("GroupLabels = %+v\nwant %+v", got, want)
	}
	apart := GroupLabels(got, pts[:2], 5)
	if len(apart) != 2 || !reflect.DeepEqual(apart[0].Members, []int{0}) || !reflect.DeepEqual(apart[1].Members, []int{1}) {
		t.Errorf("reused for two points apart: %+v", apart)
	}
	if again := GroupLabels(apart, pts, 5); !reflect.DeepEqual(again, want) {
		t.Errorf("reused: %+v", again)
	}
	if g := GroupLabels(nil, nil, 5); len(g) != 0 {
		t.Errorf("no points: %+v", g)
	}
}

func TestLabelGroupText(t *testing.T) {
	for _, c := range []struct {
		members []int
		want    string
	}{{[]int{0}, "1"}, {[]int{1, 2}, "2, 3"}, {[]int{0, 15}, "1, 16"}, {[]int{0, 9, 23}, "1, 10, 24"}} {
		if got := (LabelGroup{Members: c.members}).Text(); got != c.want {
			t.Errorf("Text of %v = %q, want %q", c.members, got, c.want)
		}
	}
}
