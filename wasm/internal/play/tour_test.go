package play

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/assets"
	"github.com/bottleneck-playground/bottleneck/core"
)

func TestTourLoads(t *testing.T) {
	steps, err := LoadTour(assets.TourJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 6 {
		t.Fatalf("%d steps; the tour retraces the post in at least 6", len(steps))
	}
	// The steps retrace the post in order: the direct network first, one
	// unit without and with output biases, 5-2-5, 11-2-11, what breaks it,
	// capacity last.
	want := []string{"n=5&k=0", "n=5&k=1", "n=5&k=1", "n=5&k=2", "n=11&k=2"}
	for i, w := range want {
		if !strings.HasPrefix(steps[i].Config.Encode(), w) {
			t.Errorf("step %d is %q, want %s...", i+1, steps[i].Config.Encode(), w)
		}
	}
	if steps[1].Config.OutputBias || !steps[2].Config.OutputBias {
		t.Error("steps 2 and 3 must be one hidden unit without, then with, output biases")
	}
	if steps[len(steps)-1].View != "capacity" {
		t.Error("the last step points at the capacity explorer")
	}
}

func TestTourRefusesBadSteps(t *testing.T) {
	for _, bad := range []string{
		`[]`, `{`, `[{"title":"a","config":"n=1","view":"network","caption":"c"}]`,
		`[{"title":"a","config":"n=5","view":"elsewhere","caption":"c"}]`,
		`[{"title":"","config":"n=5","view":"network","caption":"c"}]`,
	} {
		if _, err := LoadTour([]byte(bad)); err == nil {
			t.Errorf("LoadTour(%s) accepted", bad)
		}
	}
}

// TestTourClaims checks in the core what the captions say, so the words stay
// true: the direct network solves, one unit without output biases never gets
// more than two pairs right, with them it solves, and tanh with sigmoid
// outputs has not solved 11-2-11 after 3000 steps while linear units have.
func TestTourClaims(t *testing.T) {
	steps, err := LoadTour(assets.TourJSON)
	if err != nil {
		t.Fatal(err)
	}
	run := func(c core.Config, n int) core.Metrics {
		tr, err := core.NewTrainer(c)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if m := tr.Metrics(); !c.OutputBias && c.K == 1 && m.Correct > 2 {
				t.Fatalf("%s: %d pairs right with one unit and no output bias", c.Encode(), m.Correct)
			}
			tr.Step()
		}
		return tr.Metrics()
	}
	if m := run(steps[0].Config, 200); m.SolvedAt < 0 {
		t.Error("step 1: the direct network did not solve")
	}
	if m := run(steps[1].Config, 2000); m.Solved() {
		t.Error("step 2: solved without output biases")
	}
	if m := run(steps[2].Config, 500); m.SolvedAt < 0 {
		t.Error("step 3: one unit with output biases did not solve 5-1-5")
	}
	if m := run(steps[5].Config, 3000); m.SolvedAt < 0 || m.MaxAbsWeight > 30 {
		t.Errorf("step 6: linear units: solved at %d, max |w| %.3g", m.SolvedAt, m.MaxAbsWeight)
	}
	if m := run(steps[6].Config, 3000); m.SolvedAt >= 0 {
		t.Error("step 7: tanh with sigmoid outputs solved 11-2-11; the caption says it stalls")
	}
	// The steps built by hand: every pair right at step 0; Adam's first
	// step loses most of them; and one unit's 32-1-32 is whole again
	// within 200 steps.
	built := 0
	for i, st := range steps {
		if !st.Build {
			continue
		}
		built++
		tr, err := core.Construct(st.Config)
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		if m := tr.Metrics(); m.Step != 0 || m.Correct != m.Pairs || m.Pairs == 0 {
			t.Errorf("step %d: built by hand, %d/%d right at step %d", i+1, m.Correct, m.Pairs, m.Step)
		}
		tr.Step()
		if m := tr.Metrics(); 2*m.Correct > m.Pairs {
			t.Errorf("step %d: Adam's first step kept %d/%d pairs; the caption says it loses most", i+1, m.Correct, m.Pairs)
		}
		if st.Config.K == 1 {
			tr.Run(199)
			if m := tr.Metrics(); m.Correct != m.Pairs {
				t.Errorf("step %d: %d/%d right at step 200; the caption says Adam finds them all", i+1, m.Correct, m.Pairs)
			}
		}
	}
	if built != 2 {
		t.Errorf("%d steps are built by hand; the tour has 32-1-32 and 1024-2-1024", built)
	}
}

func TestParseTourStep(t *testing.T) {
	for _, ok := range []struct {
		v    string
		want int
	}{{"1", 1}, {"3", 3}, {"8", 8}} {
		if got, err := ParseTourStep(ok.v, 8); err != nil || got != ok.want {
			t.Errorf("ParseTourStep(%q) = %d, %v", ok.v, got, err)
		}
	}
	for _, bad := range []string{"0", "9", "99", "-1", "+3", "03", "abc", "", "3.0", " 3", strings.Repeat("9", 1000)} {
		_, err := ParseTourStep(bad, 8)
		if err == nil {
			t.Errorf("ParseTourStep(%q) accepted", bad)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "tour: ") || !strings.Contains(msg, "1 to 8") || len(msg) > 120 {
			t.Errorf("ParseTourStep(%.50q): message %q", bad, msg)
		}
	}
}

// The tour's state: a link's step, moving within the tour, leaving it when
// the config changes, and what the panel shows.
func TestTourState(t *testing.T) {
	steps, err := LoadTour(assets.TourJSON)
	if err != nil {
		t.Fatal(err)
	}
	n := len(steps)
	tr := NewTour(steps)
	if tr.Step() != 0 || tr.Panel() != (TourPanel{}) {
		t.Fatalf("a new tour is on: step %d, panel %+v", tr.Step(), tr.Panel())
	}
	if _, ok := tr.Moved(1); ok {
		t.Error("Moved works while the tour is off")
	}

	cfg, i, err := tr.StepFor("2")
	if err != nil || i != 2 || cfg.Encode() != steps[1].Config.Encode() {
		t.Fatalf("StepFor(2) = %q, %d, %v", cfg.Encode(), i, err)
	}
	if _, _, err := tr.StepFor("0"); err == nil || !strings.Contains(err.Error(), "from 1 to") {
		t.Errorf("StepFor(0): %v", err)
	}
	tr.Show(1)
	if p := tr.Panel(); !p.On || p.Count != "Step 1 of "+strconv.Itoa(n) || p.Title != steps[0].Title || p.Caption != steps[0].Caption ||
		p.Look != TourLook[steps[0].View] || !p.FirstStep || p.LastStep || p.Capacity {
		t.Errorf("panel at step 1: %+v", p)
	}
	if _, ok := tr.Moved(-1); ok {
		t.Error("Moved back from step 1")
	}
	if i, ok := tr.Moved(1); !ok || i != 2 {
		t.Errorf("Moved(1) from step 1 = %d, %v", i, ok)
	}
	tr.Show(n)
	if p := tr.Panel(); !p.LastStep || p.FirstStep || !p.Capacity {
		t.Errorf("panel at the last step (capacity): %+v", p)
	}
	if _, ok := tr.Moved(1); ok {
		t.Error("Moved past the last step")
	}

	// The step's own config keeps the tour; any other leaves it.
	if tr.Follow(steps[n-1].Config) || tr.Step() != n {
		t.Fatal("Follow left the tour for the step's own config")
	}
	other := steps[n-1].Config
	other.Seed++
	if !tr.Follow(other) || tr.Step() != 0 {
		t.Fatalf("Follow kept the tour for another config: step %d", tr.Step())
	}
	if tr.Leave() {
		t.Error("Leave reported leaving a tour that was off")
	}
	tr.Show(n + 1)
	if tr.Step() != 0 {
		t.Errorf("Show of a step that does not exist: step %d", tr.Step())
	}

	var none Tour
	if _, _, err := none.StepFor("1"); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Errorf("a tour without steps: %v", err)
	}
	if _, ok := none.At(1); ok {
		t.Error("a tour without steps has a step")
	}
}
