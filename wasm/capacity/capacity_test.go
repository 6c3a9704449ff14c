package capacity

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestDefaultsMatchTheCommand(t *testing.T) {
	d := Defaults()
	if err := d.Check(); err != nil {
		t.Fatal(err)
	}
	want := "k=1,2,3,4&budget=20000&seeds=3&lr=0.05&opt=adam&act=tanh&out=softmax&hb=1&ob=1&max=1024"
	if got := d.Encode(); got != want {
		t.Errorf("Encode() = %q, want %q", got, want)
	}
	if d.LR != core.CapacityLR || d.Budget != 20000 || d.Seeds != 3 || d.MaxN != core.MaxN {
		t.Errorf("defaults %+v", d)
	}
	spec := d.Spec()
	if spec.Base.Optimizer != core.OptAdam || spec.Base.LearningRate != core.CapacityLR ||
		!reflect.DeepEqual(spec.Seeds, []uint64{1, 2, 3}) || spec.MinN != core.MinN || spec.MaxN != core.MaxN {
		t.Errorf("spec %+v", spec)
	}
	if _, err := core.NewSweeper(spec, d.Ks); err != nil {
		t.Errorf("the defaults' spec is refused: %v", err)
	}
}

func TestParseRoundTrip(t *testing.T) {
	cases := []string{
		"k=1,2&budget=1500&seeds=2&lr=0.05&opt=adam&act=tanh&out=softmax&hb=1&ob=1&max=64",
		"k=0,3,8&budget=1&seeds=16&lr=1e-06&opt=sgd&act=relu&out=sigmoid&hb=0&ob=0&max=2",
		"k=2&budget=1000000&seeds=1&lr=10&opt=momentum&act=linear&out=softmax&hb=0&ob=1&max=1024",
		"k=4&budget=300&seeds=5&lr=0.123&opt=adam&act=sigmoid&out=softmax&hb=1&ob=0&max=777",
	}
	for _, frag := range cases {
		s, errs := Parse("#" + frag)
		if len(errs) > 0 {
			t.Errorf("Parse(%q): %v", frag, errs)
			continue
		}
		if got := s.Encode(); got != frag {
			t.Errorf("Parse(%q).Encode() = %q", frag, got)
		}
		if err := s.Check(); err != nil {
			t.Errorf("%q: Check: %v", frag, err)
		}
		if _, err := core.NewSweeper(s.Spec(), s.Ks); err != nil {
			t.Errorf("%q: core refuses the spec: %v", frag, err)
		}
		again, errs := Parse(s.Encode())
		if len(errs) > 0 || !reflect.DeepEqual(again, s) {
			t.Errorf("%q: second round trip %+v %v", frag, again, errs)
		}
	}
	// Partial fragments keep the defaults for the rest; k is sorted.
	s, errs := Parse("k=4,1&max=64")
	want := Defaults()
	want.Ks, want.MaxN = []int{1, 4}, 64
	if len(errs) > 0 || !reflect.DeepEqual(s, want) {
		t.Errorf("partial: %+v %v", s, errs)
	}
	if s, errs := Parse(""); len(errs) > 0 || !reflect.DeepEqual(s, Defaults()) {
		t.Errorf("empty: %+v %v", s, errs)
	}
	if s, errs := Parse("#"); len(errs) > 0 || !reflect.DeepEqual(s, Defaults()) {
		t.Errorf("#: %+v %v", s, errs)
	}
}

// Every bad value is reported with its key and what the key allows, and the
// default is kept for it while the good keys still apply.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		frag, field, allowed string
	}{
		{"k=99", "k", "from 0 to 8"},
		{"k=", "k", "from 0 to 8"},
		{"k=1,1", "k", "distinct"},
		{"k=-1", "k", "from 0 to 8"},
		{"k=a", "k", "from 0 to 8"},
		{"budget=0", "budget", "from 1 to 1000000"},
		{"budget=1000001", "budget", "from 1 to 1000000"},
		{"budget=1.5", "budget", "whole number"},
		{"seeds=0", "seeds", "from 1 to 16"},
		{"seeds=17", "seeds", "from 1 to 16"},
		{"lr=0", "lr", "from 1e-06 to 10"},
		{"lr=11", "lr", "from 1e-06 to 10"},
		{"lr=NaN", "lr", "learning rate"},
		{"lr=x", "lr", "learning rate"},
		{"opt=rmsprop", "opt", "sgd, momentum or adam"},
		{"act=gelu", "act", "tanh, sigmoid, relu or linear"},
		{"out=tanh", "out", "softmax or sigmoid"},
		{"hb=yes", "hb", "1 (on) or 0 (off)"},
		{"ob=2", "ob", "1 (on) or 0 (off)"},
		{"max=1", "max", "from 2 to 1024"},
		{"max=2000", "max", "from 2 to 1024"},
		{"n=11", "n", "not a setting"},
		{"k=1&k=2", "k", "given twice"},
		{"k=%zz", "k", "not properly encoded"},
	}
	for _, c := range cases {
		s, errs := Parse("#" + c.frag + "&seeds=2")
		if len(errs) != 1 {
			// seeds=2 is good unless the case is about seeds.
			if !(strings.HasPrefix(c.frag, "seeds=") && len(errs) == 2) {
				t.Errorf("%q: %d errors %v, want 1", c.frag, len(errs), errs)
				continue
			}
		}
		var fe *core.FieldError
		if !errors.As(errs[0], &fe) {
			t.Errorf("%q: %T is not a *core.FieldError", c.frag, errs[0])
			continue
		}
		msg := errs[0].Error()
		if fe.Field != c.field || !strings.HasPrefix(msg, c.field+": ") || !strings.Contains(msg, c.allowed) {
			t.Errorf("%q: %q, want field %s and %q", c.frag, msg, c.field, c.allowed)
		}
		if err := s.Check(); err != nil {
			t.Errorf("%q: the settings returned are invalid: %v", c.frag, err)
		}
		def := Defaults()
		switch c.field {
		case "k":
			if c.frag == "k=1&k=2" { // the first value applies
				def.Ks = []int{1}
			}
			if !reflect.DeepEqual(s.Ks, def.Ks) {
				t.Errorf("%q: k = %v, want the default", c.frag, s.Ks)
			}
		case "budget":
			if s.Budget != def.Budget {
				t.Errorf("%q: budget %d", c.frag, s.Budget)
			}
		case "max":
			if s.MaxN != def.MaxN {
				t.Errorf("%q: max %d", c.frag, s.MaxN)
			}
		}
		if !strings.HasPrefix(c.frag, "seeds=") && s.Seeds != 2 {
			t.Errorf("%q: the good key seeds=2 was not applied: %d", c.frag, s.Seeds)
		}
	}
	// A hostile value is shortened in the message.
	_, errs := Parse("k=" + strings.Repeat("9", 500))
	if len(errs) != 1 || len(errs[0].Error()) > 400 {
		t.Errorf("long value: %v", errs)
	}
	// Several bad keys give one error each.
	if _, errs := Parse("k=99&budget=0&zzz=1"); len(errs) != 3 {
		t.Errorf("three bad keys: %v", errs)
	}
}

func TestCheckRefusesBadSettings(t *testing.T) {
	for _, mod := range []func(*Settings){
		func(s *Settings) { s.Ks = nil },
		func(s *Settings) { s.Ks = []int{3, 1} },
		func(s *Settings) { s.Ks = []int{9} },
		func(s *Settings) { s.Budget = 0 },
		func(s *Settings) { s.Seeds = 0 },
		func(s *Settings) { s.LR = math.Inf(1) },
		func(s *Settings) { s.Opt = "x" },
		func(s *Settings) { s.Act = "x" },
		func(s *Settings) { s.Out = "x" },
		func(s *Settings) { s.MaxN = 1 },
	} {
		s := Defaults()
		mod(&s)
		if s.Check() == nil {
			t.Errorf("Check accepts %+v", s)
		}
	}
}

func TestIsExplorer(t *testing.T) {
	for search, want := range map[string]bool{
		"": false, "?": false, "?mode=capacity": true, "mode=capacity": true,
		"?x=1&mode=capacity": true, "?mode=play": false, "?mode=capacityx": false, "?%zz": false,
	} {
		if got := IsExplorer(search); got != want {
			t.Errorf("IsExplorer(%q) = %v", search, got)
		}
	}
}

func TestLogAxis(t *testing.T) {
	a := LogAxis{Lo: 2, Hi: 1024, P0: 400, P1: 40}
	if a.Pixel(2) != 400 || a.Pixel(1024) != 40 {
		t.Fatalf("ends: %v %v", a.Pixel(2), a.Pixel(1024))
	}
	// log2: 2 is 1, 1024 is 10; 32 (5) is 4/9 of the way up.
	if got, want := a.Pixel(32), 400-360*4.0/9; math.Abs(got-want) > 1e-9 {
		t.Errorf("Pixel(32) = %v, want %v", got, want)
	}
	for _, v := range []float64{2, 3, 11, 19, 30, 100, 1000, 1024} {
		if got := a.Value(a.Pixel(v)); math.Abs(got-v) > 1e-9*v {
			t.Errorf("Value(Pixel(%v)) = %v", v, got)
		}
	}
	prev := math.Inf(1)
	for n := 2; n <= 1024; n++ {
		p := a.Pixel(float64(n))
		if !(p < prev) {
			t.Fatalf("not decreasing at %d", n)
		}
		prev = p
	}
	if a.Pixel(0) != 400 || a.Pixel(-1) != 400 {
		t.Error("non-positive values must map to the bottom")
	}
	if got := PowersOfTwo(2, 1024); len(got) != 10 || got[0] != 2 || got[9] != 1024 {
		t.Errorf("PowersOfTwo = %v", got)
	}
	if got := PowersOfTwo(3, 100); !reflect.DeepEqual(got, []int{4, 8, 16, 32, 64}) {
		t.Errorf("PowersOfTwo(3, 100) = %v", got)
	}
}

func TestPlotGeometry(t *testing.T) {
	for _, c := range []struct {
		w, h, scale float64
		ks          []int
	}{
		{800, 420, 1, []int{1, 2, 3, 4}},
		{390 * 2, 360 * 2, 2, []int{1, 2}}, // a phone at 2x
		{1200, 500, 1, []int{0, 8}},
		{20, 10, 1, []int{5}}, // absurdly small: still sane
	} {
		p := NewPlot(c.w, c.h, c.scale, c.ks)
		a := p.Area
		if !(a.X0 >= 0 && a.X1 <= c.w && a.Y0 >= 0 && a.Y1 <= c.h && a.X0 < a.X1 && a.Y0 < a.Y1) {
			t.Errorf("%v: area %+v outside the canvas", c, a)
		}
		// The k range covers the ks and the references' 2..4.
		for _, k := range append([]int{2, 3, 4}, c.ks...) {
			if k < p.KLo || k > p.KHi {
				t.Errorf("%v: k=%d outside [%d, %d]", c, k, p.KLo, p.KHi)
			}
			if x := p.KX(k); x <= a.X0 || x >= a.X1 {
				t.Errorf("%v: k=%d at x=%v outside the area", c, k, x)
			}
		}
		if len(p.KTicks) != p.KHi-p.KLo+1 {
			t.Errorf("%v: %d k ticks", c, len(p.KTicks))
		}
		if len(p.NTicks) != 10 || p.NTicks[0].V != 2 || p.NTicks[9].V != 1024 ||
			p.NTicks[0].Label == "" || p.NTicks[9].Label == "" {
			t.Errorf("%v: N ticks %+v", c, p.NTicks)
		}
		if p.NTicks[0].P != a.Y1 || p.NTicks[9].P != a.Y0 {
			t.Errorf("%v: N axis ends %v %v, area %v %v", c, p.NTicks[0].P, p.NTicks[9].P, a.Y1, a.Y0)
		}
		// Labelled ticks are at least a label apart.
		last := math.Inf(1)
		for _, tk := range p.NTicks {
			if tk.Label == "" {
				continue
			}
			if c.h > 100 && last-tk.P < p.Small && last != math.Inf(1) && tk.V != 1024 {
				t.Errorf("%v: labels %d too close (%v px)", c, tk.V, last-tk.P)
			}
			last = tk.P
		}
	}
	// On a short canvas only some ticks are labelled.
	p := NewPlot(400, 200, 1, []int{2})
	labelled := 0
	for _, tk := range p.NTicks {
		if tk.Label != "" {
			labelled++
		}
	}
	if labelled >= 10 || labelled < 2 {
		t.Errorf("short plot labels %d ticks", labelled)
	}
}

func TestReferences(t *testing.T) {
	want := map[[2]int]RefKind{{2, 11}: RefAbout, {3, 30}: RefAbout, {4, 100}: RefAtLeast, {2, 19}: RefAtMost}
	if len(References) != len(want) {
		t.Fatalf("%d references", len(References))
	}
	for _, r := range References {
		if k, ok := want[[2]int{r.K, r.N}]; !ok || k != r.Kind || r.Label == "" || r.Source == "" {
			t.Errorf("reference %+v", r)
		}
	}
	lister := References[3]
	if !strings.Contains(lister.Source, "Bakker, Phillips & Wiles (1994)") || !strings.Contains(lister.Source, "1000-2-1000") {
		t.Errorf("Lister's citation: %q", lister.Source)
	}
	p := NewPlot(800, 400, 1, []int{1, 2, 3, 4})
	marks := p.ReferenceMarks()
	if len(marks) != 4 {
		t.Fatalf("%d reference marks", len(marks))
	}
	for _, m := range marks {
		x, y := p.At(m.K, float64(m.N))
		if m.X != x || m.Y != y {
			t.Errorf("%+v not at %v,%v", m, x, y)
		}
	}
	// Lister's 19 sits above the post's 11 in the k=2 column.
	if !(marks[3].Y < marks[0].Y && marks[3].X == marks[0].X) {
		t.Errorf("k=2 marks: %+v %+v", marks[0], marks[3])
	}
}

// results builds KCapacity values as a sweep returns them.
func results() []core.KCapacity {
	seed := func(s uint64, steps int, w float64) core.SeedOutcome {
		return core.SeedOutcome{Seed: s, Solved: true, Steps: steps, MaxAbsWeight: w}
	}
	return []core.KCapacity{
		{K: 1, MaxN: 0, Low: 2, High: 64, Best: core.PointOutcome{K: 1}, Tried: []core.TriedPoint{{N: 2, Solved: false}}},
		{K: 2, MaxN: 13, Low: 2, High: 64, Best: core.PointOutcome{K: 2, N: 13, Solved: true, Seeds: []core.SeedOutcome{seed(1, 312, 9.25), seed(2, 540, 11.04)}},
			Tried: []core.TriedPoint{{N: 2, Solved: true}, {N: 4, Solved: true}, {N: 8, Solved: true}, {N: 16, Solved: false}, {N: 12, Solved: true}, {N: 14, Solved: false}, {N: 13, Solved: true}}},
		{K: 3, MaxN: 64, Low: 2, High: 64, Best: core.PointOutcome{K: 3, N: 64, Solved: true, Seeds: []core.SeedOutcome{seed(1, 100, 3), seed(2, 200, 4), seed(3, 400, 5)}},
			Tried: []core.TriedPoint{{N: 2, Solved: true}, {N: 4, Solved: true}, {N: 8, Solved: true}, {N: 16, Solved: true}, {N: 32, Solved: true}, {N: 64, Solved: true}}},
	}
}

func TestRowsCSVJSON(t *testing.T) {
	// Built by hand: k=1 down to 3, k=3 at the bound; k=2 not known yet.
	built := []core.BuiltCapacity{
		{K: 3, MaxN: 64, Low: 2, High: 64, Tried: []int{64}},
		{K: 1, MaxN: 3, Low: 2, High: 64, Tried: []int{64, 63, 3}, Refusal: "no hand-built solution for 4-1-4: at most 2"},
	}
	rows := Rows(results(), built)
	want := [][]string{
		{"1", "none (N=2 fails)", "3", "–", "–", "1"},
		{"2", "13", "…", "312, 540 (426)", "9.2, 11.0", "7"},
		{"3", "≥ 64 (the bound)", "≥ 64 (the bound)", "100, 200, 400 (200)", "3.0, 4.0, 5.0", "6"},
	}
	for i, r := range rows {
		if !reflect.DeepEqual(r.Cells, want[i]) {
			t.Errorf("row %d cells %q, want %q", i, r.Cells, want[i])
		}
		if len(r.Cells) != len(Header) {
			t.Errorf("row %d has %d cells for %d columns", i, len(r.Cells), len(Header))
		}
	}
	if !rows[2].AtBound || rows[1].AtBound || rows[0].AtBound {
		t.Error("AtBound")
	}
	if got := rows[1].TriedText(); got != "2+ 4+ 8+ 16- 12+ 14- 13+" {
		t.Errorf("TriedText = %q", got)
	}

	recs, err := csv.NewReader(strings.NewReader(CSV(rows))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || !reflect.DeepEqual(recs[0], CSVHeader) {
		t.Fatalf("CSV %q", recs)
	}
	if got := recs[2]; !reflect.DeepEqual(got, []string{"2", "13", "false", "2", "64", "312 540", "426", "9.25 11.04", "7", "2+ 4+ 8+ 16- 12+ 14- 13+", "", "", ""}) {
		t.Errorf("CSV k=2 %q", got)
	}
	if got := recs[1]; got[1] != "0" || got[5] != "" || got[8] != "1" || got[10] != "3" || got[11] != "false" || got[12] != built[1].Refusal {
		t.Errorf("CSV k=1 %q", got)
	}
	if got := recs[3][10:]; !reflect.DeepEqual(got, []string{"64", "true", ""}) {
		t.Errorf("CSV k=3 built %q", got)
	}

	s := Defaults()
	s.Ks = []int{1, 2, 3}
	data, err := JSON(s, rows)
	if err != nil {
		t.Fatal(err)
	}
	var e Export
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if e.Format != ExportFormat || e.Settings != s.Encode() || !strings.Contains(e.Command, "-k 1,2,3") || len(e.Results) != 3 {
		t.Fatalf("export %+v", e)
	}
	r := e.Results[1]
	if r.K != 2 || r.MaxN != 13 || !reflect.DeepEqual(r.Steps, []int{312, 540}) || r.MedianSteps != 426 ||
		len(r.MaxAbsWeight) != 2 || *r.MaxAbsWeight[1] != 11.04 || len(r.Tried) != 7 {
		t.Errorf("export k=2 %+v", r)
	}
	if e.Results[0].Steps == nil || e.Results[0].Tried == nil {
		t.Error("empty lists must be [] in JSON, not null")
	}
	if b := e.Results[0].Built; b == nil || b.MaxN != 3 || b.AtBound || !reflect.DeepEqual(b.Tried, []int{64, 63, 3}) || b.Refusal != built[1].Refusal || b.Low != 2 || b.High != 64 {
		t.Errorf("export k=1 built %+v", b)
	}
	if e.Results[1].Built != nil || e.Results[2].Built == nil || !e.Results[2].Built.AtBound {
		t.Errorf("export built k=2 %+v, k=3 %+v", e.Results[1].Built, e.Results[2].Built)
	}
	// A diverged weight must not break the export.
	bad := results()
	bad[1].Best.Seeds[0].MaxAbsWeight = math.NaN()
	if _, err := JSON(s, Rows(bad, nil)); err != nil {
		t.Errorf("NaN weight: %v", err)
	}
	if got := FileName(s, "csv"); got != "bottleneck-capacity-k1-2-3-budget20000-seeds3.csv" {
		t.Errorf("FileName = %q", got)
	}

	p := NewPlot(800, 400, 1, s.Ks)
	m := p.Marks(rows)
	if len(m) != 3 || !m[0].None || m[0].Label != "none" || m[1].Label != "13" || !m[2].AtBound || m[2].Label != "≥ 64" {
		t.Errorf("marks %+v", m)
	}
	if _, y := p.At(1, 2); m[0].Y != y {
		t.Error("a k with no solving N is drawn at the bottom")
	}
	bm := p.BuiltMarks(built)
	if len(bm) != 2 || bm[0].K != 3 || !bm[0].AtBound || bm[0].Label != "≥ 64" || bm[1].K != 1 || bm[1].Label != "3" || bm[1].AtBound || bm[1].None {
		t.Errorf("built marks %+v", bm)
	}
	if x, y := p.At(1, 3); bm[1].X != x || bm[1].Y != y {
		t.Errorf("built mark k=1 at %v,%v, want %v,%v", bm[1].X, bm[1].Y, x, y)
	}
	if none := p.BuiltMarks([]core.BuiltCapacity{{K: 2, Low: 2, High: 8}, {K: 9}}); len(none) != 1 || !none[0].None || none[0].Label != "none" {
		t.Errorf("built marks of nothing solved and of a k off the plot: %+v", none)
	}
	x, y0, y1, ok := p.Bracket(2, rows[1].Tried)
	if !ok || x != p.KX(2) || y0 != p.N.Pixel(13) || y1 != p.N.Pixel(14) {
		t.Errorf("bracket %v %v %v %v", x, y0, y1, ok)
	}
	if _, _, _, ok := p.Bracket(2, nil); ok {
		t.Error("no bracket without points")
	}
}

// fakeClock is a clock the step function advances.

// The explorer runs its sweep on a pool of workers that finish in any order
// and are cancelled when their point has failed. Its rows must equal
// core.Sweep's for the same settings and any number of workers (core's tests
// check SweepJobs itself; this checks the explorer's path: settings → spec →
// pool → rows).
func TestPoolSweepMatchesSweep(t *testing.T) {
	s, errs := Parse("k=1,2&budget=400&seeds=2&max=16")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want, err := core.Sweep(context.Background(), s.Spec(), s.Ks)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 2, 3} {
		jobs, err := core.NewSweepJobs(s.Spec(), s.Ks)
		if err != nil {
			t.Fatal(err)
		}
		p := NewPool(jobs, size)
		// The simulated workers: a run per worker, trained a slice at a
		// time, the worker chosen in turn with a stride so that they
		// finish out of order.
		runs := make([]*core.SeedRun, size)
		ids := make([]int, size)
		apply := func(sends []Send) {
			for _, snd := range sends {
				if snd.Cancel {
					if ids[snd.Worker] == snd.Job.ID {
						runs[snd.Worker] = nil
					}
					continue
				}
				r, err := core.NewSeedRun(snd.Job.Config, snd.Job.Budget)
				if err != nil {
					t.Fatal(err)
				}
				runs[snd.Worker], ids[snd.Worker] = r, snd.Job.ID
			}
		}
		for w := range size {
			sends, err := p.Ready(w)
			if err != nil {
				t.Fatal(err)
			}
			apply(sends)
		}
		for turn := 0; !jobs.Done(); turn++ {
			if turn > 1e6 {
				t.Fatal("the sweep does not finish")
			}
			w := (turn * 7) % size
			r := runs[w]
			if r == nil {
				continue
			}
			r.Advance(30 + 40*w)
			p.Progress(w, ids[w], r.Step())
			if !r.Done() {
				continue
			}
			runs[w] = nil
			sends, err := p.Done(w, ids[w], r.Outcome())
			if err != nil {
				t.Fatal(err)
			}
			apply(sends)
		}
		if got := jobs.Results(); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d workers: %+v\nSweep %+v", size, got, want)
		}
		if p.Busy() != 0 || p.Steps() < jobs.State().Steps {
			t.Errorf("%d workers: %d busy, %d steps", size, p.Busy(), p.Steps())
		}
	}
	// A worker that breaks the protocol gets an error, not a panic.
	jobs, _ := core.NewSweepJobs(s.Spec(), s.Ks)
	p := NewPool(jobs, 2)
	if _, err := p.Ready(2); err == nil {
		t.Error("worker 2 of 2 accepted")
	}
	sends, _ := p.Ready(0)
	if len(sends) != 1 || sends[0].Worker != 0 || sends[0].Cancel {
		t.Fatalf("first sends %+v", sends)
	}
	if _, err := p.Done(0, sends[0].Job.ID, core.SeedOutcome{Seed: 99}); err == nil {
		t.Error("an outcome of the wrong seed accepted")
	}
	if more, err := p.Done(1, sends[0].Job.ID, core.SeedOutcome{}); err != nil || more != nil {
		t.Errorf("a report from a worker without that job: %v %v", more, err)
	}
}

func TestWorkersSetting(t *testing.T) {
	s, errs := Parse("k=1&workers=3")
	if len(errs) > 0 || s.Workers != 3 || s.PoolSize(16) != 3 || !strings.HasSuffix(s.Encode(), "&workers=3") {
		t.Errorf("workers=3: %+v %v, encoded %s", s, errs, s.Encode())
	}
	d := Defaults()
	if d.Workers != 0 || strings.Contains(d.Encode(), "workers") {
		t.Errorf("the default pool size is in the link: %s", d.Encode())
	}
	for cores, want := range map[int]int{0: 1, 1: 1, 2: 1, 3: 2, 8: 7, 1000: MaxWorkers} {
		if got := d.PoolSize(cores); got != want {
			t.Errorf("%d cores: %d workers, want %d", cores, got, want)
		}
	}
	for _, bad := range []string{"0", "-1", "17", "two", "1.5"} {
		if _, errs := Parse("workers=" + bad); len(errs) != 1 || !strings.Contains(errs[0].Error(), "number of workers") {
			t.Errorf("workers=%s: %v", bad, errs)
		}
	}
	if err := s.Set("workers", ""); err != nil || s.Workers != 0 {
		t.Errorf("an empty workers control: %v, %d", err, s.Workers)
	}
}

// The built-by-hand column of a sweep's settings comes from core.LargestBuilt
// over the settings' range, checked here against core.Construct itself: with
// output biases the top of the range, without them for k = 1 the N=3 whose
// two pairs a line through 0 separates (N=4 is refused).
func TestBuiltColumnFromConstruct(t *testing.T) {
	for _, ob := range []bool{true, false} {
		s := Defaults()
		s.Ks, s.MaxN, s.OutputBias = []int{1, 2}, 48, ob
		var built []core.BuiltCapacity
		var res []core.KCapacity
		for _, k := range s.Ks {
			b, err := core.LargestBuilt(s.Spec(), k)
			if err != nil {
				t.Fatal(err)
			}
			built = append(built, b)
			res = append(res, core.KCapacity{K: k, MaxN: 2, Low: core.MinN, High: s.MaxN})
		}
		rows := Rows(res, built)
		spec := s.Spec()
		for _, r := range rows {
			want := s.MaxN
			if r.K == 1 && !ob {
				want = 3
			}
			cfg, _ := spec.PointConfig(r.K, want, 1)
			tr, err := core.Construct(cfg)
			if err != nil || tr.Metrics().Correct != tr.Metrics().Pairs {
				t.Fatalf("Construct %s: %v", cfg.Shape(), err)
			}
			if want < s.MaxN {
				cfg, _ = spec.PointConfig(r.K, want+1, 1)
				if _, err := core.Construct(cfg); err == nil {
					t.Fatalf("Construct solves %s", cfg.Shape())
				}
			}
			text := strconv.Itoa(want)
			if want == s.MaxN {
				text = "≥ 48 (the bound)"
			}
			if r.Built == nil || r.Built.MaxN != want || r.Cells[2] != text {
				t.Errorf("output bias %v k=%d: built %+v, cell %q; want %d (%q)", ob, r.K, r.Built, r.Cells[2], want, text)
			}
		}
	}
}

// A legend that wraps to more lines than NewPlot leaves room for (one, two
// on a phone) moves the axes' top down by a line gap per extra line, and
// keeps the N axis on the area.
func TestPlotLegendRoom(t *testing.T) {
	for _, c := range []struct {
		w    float64
		base int
	}{{800, 1}, {390, 2}} {
		p := NewPlot(c.w, 400, 1, []int{1, 2})
		if q := NewPlotLegend(c.w, 400, 1, []int{1, 2}, c.base); !reflect.DeepEqual(p, q) {
			t.Errorf("w=%v: NewPlotLegend with %d lines differs from NewPlot", c.w, c.base)
		}
		q := NewPlotLegend(c.w, 400, 1, []int{1, 2}, c.base+1)
		if d := q.Area.Y0 - p.Area.Y0; math.Abs(d-LegendLineGap*p.Small) > 1e-9 || q.Area.Y1 != p.Area.Y1 {
			t.Errorf("w=%v: one more legend line moves the top by %v, want %v", c.w, d, LegendLineGap*p.Small)
		}
		if q.N.P1 != q.Area.Y0 || math.Abs(q.N.Pixel(PlotMaxN)-q.Area.Y0) > 1e-9 {
			t.Errorf("w=%v: the N axis's top %v is not the area's %v", c.w, q.N.P1, q.Area.Y0)
		}
	}
}
