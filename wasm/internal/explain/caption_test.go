package explain

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// trained returns a trainer for the post's task on an n-k-n network after
// steps updates of core's default training.
func trained(t testing.TB, n, k, steps int, edit func(*core.Config)) *core.Trainer {
	t.Helper()
	c := core.DefaultConfig()
	c.N, c.K = n, k
	if edit != nil {
		edit(&c)
	}
	tr, err := core.NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(steps)
	return tr
}

var (
	hiddenText = regexp.MustCompile(`^out (\d+): (-?[\d.]+) =((?: \+)? \((-?[\d.]+)\)\((-?[\d.]+)\))+$`)
	termText   = regexp.MustCompile(`\((-?[\d.]+)\)\((-?[\d.]+)\)`)
	directText = regexp.MustCompile(`^out (\d+): (-?[\d.]+)(?: = (-?[\d.]+) \+ \(?(-?[\d.]+)\)?)?$`)
)

func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("not a number: %q", s)
	}
	return r
}

// checkHiddenText redoes the caption's arithmetic from its text alone, in
// exact rationals, as a reader would by hand.
func checkHiddenText(t *testing.T, s Sum, k int) {
	t.Helper()
	m := hiddenText.FindStringSubmatch(s.Text)
	if m == nil {
		t.Fatalf("caption %q is not in the form out j: total = (a)(b) + ...", s.Text)
	}
	if m[1] != fmt.Sprint(s.Output+1) {
		t.Errorf("%q names output %s, want %d", s.Text, m[1], s.Output+1)
	}
	terms := termText.FindAllStringSubmatch(s.Text, -1)
	if len(terms) != k {
		t.Fatalf("%q has %d terms, want %d", s.Text, len(terms), k)
	}
	sum := new(big.Rat)
	for _, tm := range terms {
		sum.Add(sum, new(big.Rat).Mul(rat(t, tm[1]), rat(t, tm[2])))
	}
	if total := rat(t, m[2]); total.Cmp(sum) != 0 {
		t.Errorf("%q: the terms add up to %s, not the total shown", s.Text, sum.FloatString(4))
	}
}

func TestCaptionTrained525(t *testing.T) {
	tr := trained(t, 5, 2, 600, nil)
	if !tr.Metrics().Solved() {
		t.Fatalf("5-2-5 not solved after 600 steps: %+v", tr.Metrics())
	}
	net := tr.Network()
	for i := 0; i < 5; i++ {
		ins, ok := tr.Inspect(i)
		if !ok {
			t.Fatal("Inspect failed")
		}
		cp, err := NewCaption(&ins, net)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("\n%s", cp.String())
		if cp.Winner != ins.Winner || cp.Win.Output != ins.Winner || cp.Second.Output != ins.RunnerUp {
			t.Errorf("input %d: caption winner %d/%d, core's %d/%d", i, cp.Winner, cp.Win.Output, ins.Winner, ins.RunnerUp)
		}
		if !strings.HasPrefix(cp.Win.Text, fmt.Sprintf("out %d: ", ins.Winner+1)) {
			t.Errorf("input %d: %q does not name output %d", i, cp.Win.Text, ins.Winner+1)
		}
		for _, s := range []Sum{cp.Win, cp.Second} {
			if !s.Exact {
				t.Fatalf("input %d: sum not exact: %+v", i, s)
			}
			checkHiddenText(t, s, 2)
			var total Fixed
			for h, tm := range s.Terms {
				total += tm.Product()
				if tm.Hidden != h {
					t.Errorf("term %d is for hidden unit %d", h, tm.Hidden)
				}
				// Displayed factors are within rounding of the real ones.
				if d := math.Abs(tm.In.Float() - ins.DisplayIn[h]); d > 0.5 {
					t.Errorf("input side %v shown as %v", ins.DisplayIn[h], tm.In)
				}
				if w := net.W2.At(s.Output, h); math.Abs(tm.Weight.Float()-w) > 0.5 || (math.Abs(w) < 9.9 && math.Abs(tm.Weight.Float()-w) > 0.05+1e-12) {
					t.Errorf("weight %v shown as %v", w, tm.Weight)
				}
			}
			if total != s.Total {
				t.Errorf("terms add up to %v, total %v", total, s.Total)
			}
			if d := math.Abs(s.Logit - ins.Logits[s.Output]); d > 1e-9 {
				t.Errorf("input %d out %d: exact logit %v, core's %v", i, s.Output, s.Logit, ins.Logits[s.Output])
			}
		}
		right := strings.Contains(cp.Headline, ": right")
		if right != ins.Correct || cp.Correct != ins.Correct {
			t.Errorf("input %d: headline %q, Correct %v", i, cp.Headline, ins.Correct)
		}
		if ins.Target < 0 {
			want := fmt.Sprintf("input %d has no target (never fired in the task)", i+1)
			if !strings.HasPrefix(cp.Headline, want) {
				t.Errorf("headline %q, want prefix %q", cp.Headline, want)
			}
		} else if want := fmt.Sprintf("input %d fires output %d: right, by a margin of ", i+1, i+2); ins.Correct && !strings.HasPrefix(cp.Headline, want) {
			t.Errorf("headline %q, want prefix %q", cp.Headline, want)
		}
	}
}

func TestCaptionWrong(t *testing.T) {
	tr := trained(t, 11, 2, 0, nil) // untrained: most pairs are wrong
	wrong := 0
	for i := 0; i < 11; i++ {
		ins, _ := tr.Inspect(i)
		cp, err := NewCaption(&ins, tr.Network())
		if err != nil {
			t.Fatal(err)
		}
		if ins.Target >= 0 && !ins.Correct && ins.Winner != ins.Target {
			wrong++
			want := fmt.Sprintf("input %d: wrong: output %d wins, the target is %d", i+1, ins.Winner+1, ins.Target+1)
			if !strings.HasPrefix(cp.Headline, want) {
				t.Errorf("headline %q, want prefix %q", cp.Headline, want)
			}
		}
		checkHiddenText(t, cp.Win, 2)
	}
	if wrong == 0 {
		t.Fatal("no wrong pair to check at step 0")
	}
}

func TestCaptionDirect(t *testing.T) {
	for _, bias := range []bool{true, false} {
		tr := trained(t, 5, 0, 200, func(c *core.Config) { c.OutputBias = bias })
		for i := 0; i < 5; i++ {
			ins, _ := tr.Inspect(i)
			cp, err := NewCaption(&ins, tr.Network())
			if err != nil {
				t.Fatal(err)
			}
			s := cp.Win
			m := directText.FindStringSubmatch(s.Text)
			if m == nil || !cp.Direct || len(s.Terms) != 1 || s.HasBias != bias {
				t.Fatalf("direct caption %q (%+v)", s.Text, s)
			}
			if bias {
				if m[3] == "" || rat(t, m[2]).Cmp(new(big.Rat).Add(rat(t, m[3]), rat(t, m[4]))) != 0 {
					t.Errorf("%q does not add up", s.Text)
				}
			} else if m[3] != "" {
				t.Errorf("%q shows a bias that is off", s.Text)
			}
			if s.Logit != ins.Logits[ins.Winner] {
				t.Errorf("logit %v, core's %v", s.Logit, ins.Logits[ins.Winner])
			}
		}
	}
}

func TestFixed(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{72, "72"}, {-10, "-10"}, {9.96, "10"}, {9.94, "9.9"}, {-9.6, "-9.6"}, {0.04, "0"},
		{0.05, "0.1"}, {-0.05, "-0.1"}, {26.4, "26"}, {-25.5, "-26"}, {3, "3"}, {1e7, "10000000"},
	} {
		f, ok := Round(c.v)
		if !ok || f.String() != c.want {
			t.Errorf("Round(%v) = %v (%v), want %s", c.v, f, ok, c.want)
		}
	}
	a, _ := Round(-9.6)
	b, _ := Round(-3.7)
	if p := a.Mul(b); p.String() != "35.52" {
		t.Errorf("(-9.6)(-3.7) = %v", p)
	}
	if p := Fixed(-5).String(); p != "-0.05" {
		t.Errorf("Fixed(-5) = %s", p)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), 2e7} {
		if _, ok := Round(v); ok {
			t.Errorf("Round(%v) ok", v)
		}
	}
}

func TestCaptionErrorsAndHugeWeights(t *testing.T) {
	tr := trained(t, 5, 2, 0, nil)
	ins, _ := tr.Inspect(0)
	if _, err := NewCaption(&ins, nil); err == nil {
		t.Error("nil network accepted")
	}
	other := trained(t, 6, 2, 0, nil)
	if _, err := NewCaption(&ins, other.Network()); err == nil {
		t.Error("mismatched network accepted")
	}
	if _, err := NewCaption(nil, tr.Network()); err == nil {
		t.Error("nil inspection accepted")
	}
	net := tr.Network().Clone()
	net.W2.Set(ins.Winner, 0, 3e9)
	cp, err := NewCaption(&ins, net)
	if err != nil || cp.Win.Exact || !strings.Contains(cp.Win.Text, "≈") {
		t.Errorf("huge weight: %v %+v", err, cp.Win)
	}
}
