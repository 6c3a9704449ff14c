package explain

import (
	"math"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// The exact regions agree with the sampled region map: every cell centre lies
// in the polygon of the output the map found there, and the polygons tile
// the box (their areas add up to it).
func TestRegionsAgreeWithRegionMap(t *testing.T) {
	for _, tc := range []struct {
		frag  string
		steps int
	}{
		{"n=11&k=2&seed=1", 600},
		{"n=11&k=2&seed=2", 0},
		{"n=30&k=2&ob=0&seed=3", 300},
		{"n=7&k=2&act=relu&seed=4", 200},
	} {
		cfg, err := core.ParseFragment(tc.frag)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := core.NewTrainer(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tr.Run(tc.steps)
		net := tr.Network()
		box := Box{-1.2, -1.1, 1.3, 1}
		regs, err := Regions(nil, net, box)
		if err != nil {
			t.Fatal(err)
		}
		area := 0.0
		byOut := map[int][]Point{}
		for _, r := range regs {
			area += polyArea(r.Poly)
			byOut[r.Output] = r.Poly
		}
		if want := (box.MaxX - box.MinX) * (box.MaxY - box.MinY); math.Abs(area-want) > 1e-9 {
			t.Errorf("%s: regions cover %v of a box of %v", tc.frag, area, want)
		}
		m, _ := NewRegionMap(97, 89)
		if err := m.Fill(net, box); err != nil {
			t.Fatal(err)
		}
		dx, dy := (box.MaxX-box.MinX)/97, (box.MaxY-box.MinY)/89
		for row := 0; row < m.H; row++ {
			for col := 0; col < m.W; col++ {
				p := Point{box.MinX + (float64(col)+0.5)*dx, box.MaxY - (float64(row)+0.5)*dy}
				j := int(m.Cells[row*m.W+col])
				if !PolygonContains(byOut[j], p, 1e-9) {
					t.Fatalf("%s: cell (%d,%d) at %v is output %d's in the map but outside its polygon %v", tc.frag, col, row, p, j+1, byOut[j])
				}
			}
		}
	}
}

func TestRegionsRefusals(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.K = 3
	tr, _ := core.NewTrainer(cfg)
	if _, err := Regions(nil, tr.Network(), UnitBox); err != ErrK {
		t.Errorf("k = 3: err = %v, want ErrK", err)
	}
	cfg.K = 2
	tr, _ = core.NewTrainer(cfg)
	if _, err := Regions(nil, tr.Network(), Box{1, 0, 0, 1}); err != ErrSize {
		t.Errorf("empty box: err = %v, want ErrSize", err)
	}
	tr.Network().B2.SetVec(3, math.NaN())
	if _, err := Regions(nil, tr.Network(), UnitBox); err != ErrNaN {
		t.Errorf("NaN bias: err = %v, want ErrNaN", err)
	}
}
