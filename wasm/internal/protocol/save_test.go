package protocol

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
)

// Save, Saved and an Import with an optimizer state survive Encode and
// Decode, the state and the chart bit for bit and each in its place.
func TestSaveRoundTrip(t *testing.T) {
	tr := coretest.Trained(t, "n=11&k=2&seed=3", 40)
	cfg, w, opt, chart := tr.Config().Encode(), Weights(tr.Network()), tr.OptimizerState(), testChart(40)
	if len(opt) != core.OptimizerStateLen(&core.Config{N: 11, K: 2, Optimizer: core.OptAdam}) || opt[0] == 1 {
		t.Fatalf("adam's state after 40 steps: %d values, β1^t %v", len(opt), opt[0])
	}
	for _, m := range []Message{
		{Type: TypeSave, Seq: 3},
		{Type: TypeSaved, Seq: 3, Config: cfg, Step: 40, SolvedAt: 31, Weights: w, Optimizer: opt, Chart: chart},
		{Type: TypeSaved, Seq: 1, Config: "n=11&k=2&opt=sgd&seed=3", Step: 40, SolvedAt: -1, Weights: w},
		{Type: TypeImport, Config: cfg, Step: 40, SolvedAt: -1, Weights: w, Optimizer: opt},
		{Type: TypeImport, Config: cfg, Step: 40, SolvedAt: 2, Weights: w, Optimizer: opt, Chart: chart},
	} {
		f, err := Encode(m)
		if err != nil {
			t.Fatalf("Encode(%s): %v", m.Type, err)
		}
		got, err := Decode(f)
		if err != nil {
			t.Fatalf("Decode(%s): %v", f.Head, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("%s: decoded %+v\nsent %+v", m.Type, got, m)
		}
	}
	// A saved run that diverged is sent as training made it.
	bad := slices.Clone(opt)
	bad[7] = math.NaN()
	f, err := Encode(Message{Type: TypeSaved, Seq: 2, Config: cfg, Step: 40, SolvedAt: -1, Diverged: "a weight became NaN", Weights: w, Optimizer: bad})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := Decode(f); err != nil || !math.IsNaN(m.Optimizer[7]) {
		t.Errorf("a diverged saved run: %v", err)
	}
}

func TestSaveRefusals(t *testing.T) {
	tr := coretest.Trained(t, "n=5&k=2&seed=1", 10)
	cfg, w, opt := tr.Config().Encode(), Weights(tr.Network()), tr.OptimizerState()
	nan := slices.Clone(opt)
	nan[3] = math.Inf(-1)
	both := func(o []float64) []float64 { return append(slices.Clone(w), o...) }
	imp := `{"v":1,"type":"import","config":"` + cfg + `","step":10`
	for _, c := range []struct {
		f    Frame
		want string
	}{
		{Frame{Head: `{"v":1,"type":"save"}`}, "save: request number 0"},
		{Frame{Head: `{"v":1,"type":"save","seq":1}`, Weights: w}, "carries 27 weights but takes none"},
		{Frame{Head: `{"v":1,"type":"saved","config":"` + cfg + `"}`, Weights: w}, "saved: request number 0"},
		{Frame{Head: `{"v":1,"type":"saved","seq":1}`, Weights: w}, "no config"},
		{Frame{Head: `{"v":1,"type":"saved","seq":1,"config":"` + cfg + `"}`, Weights: w[:3]}, "3 weights, but a 5-2-5 network has 27"},
		{Frame{Head: imp + `,"opt":` + strconv.Itoa(len(opt)-1) + `}`, Weights: both(opt[1:])}, "an optimizer state of 55 values, but adam keeps 56 for a 5-2-5 network"},
		{Frame{Head: imp + `,"opt":` + strconv.Itoa(len(opt)) + `}`, Weights: both(nan)}, "optimizer value 3 is -Inf"},
		{Frame{Head: imp + `,"opt":-2}`, Weights: w}, "an optimizer state of -2 floats"},
		{Frame{Head: imp + `,"opt":28}`, Weights: w}, "an optimizer state of 28 floats, but the frame has 27 before its chart"},
		{Frame{Head: `{"v":1,"type":"state","seq":1,"config":"` + cfg + `","step":1,"metrics":{"step":1},"opt":` + strconv.Itoa(len(opt)) + `}`, Weights: both(opt)}, "carries an optimizer state but takes none"},
		{Frame{Head: `{"v":1,"type":"import","config":"n=5&k=2&opt=sgd&seed=1","step":10,"opt":` + strconv.Itoa(len(opt)) + `}`, Weights: both(opt)}, "but sgd keeps 0"},
	} {
		m, err := Decode(c.f)
		if err == nil {
			t.Errorf("Decode(%.70s) took %+v", c.f.Head, m)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%.70s): %v; want it to say %q", c.f.Head, err, c.want)
		}
	}
}

// Message.Trainer builds the run an Import or a Saved describes, optimizer
// state included, so that it trains on exactly; what core refuses it
// refuses with core.ErrSnapshot.
func TestMessageTrainer(t *testing.T) {
	for _, frag := range []string{"n=11&k=2&seed=3", "n=6&k=0&opt=momentum&lr=0.1&seed=2", "n=7&k=3&hb=0&opt=momentum&lr=0.05&seed=5", "n=5&k=2&opt=sgd&lr=0.3&seed=4"} {
		tr := coretest.Trained(t, frag, 300)
		m := Message{Type: TypeSaved, Seq: 1, Config: tr.Config().Encode(), Step: 300, SolvedAt: tr.Metrics().SolvedAt, Weights: Weights(tr.Network()), Optimizer: tr.OptimizerState()}
		back, err := m.Trainer()
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		back.Run(200)
		want := coretest.Trained(t, frag, 500)
		if !reflect.DeepEqual(Weights(back.Network()), Weights(want.Network())) || back.Metrics() != want.Metrics() {
			t.Errorf("%s: the saved run at step 500 differs from core's uninterrupted run", frag)
		}
	}
	tr := coretest.Trained(t, "n=5&k=2&seed=1", 10)
	m := Message{Type: TypeImport, Config: tr.Config().Encode(), Step: 10, SolvedAt: -1, Weights: Weights(tr.Network()), Optimizer: tr.OptimizerState()}
	neg := m
	neg.Optimizer = slices.Clone(m.Optimizer)
	neg.Optimizer[len(neg.Optimizer)-1] = -1
	nan := m
	nan.Weights = slices.Clone(m.Weights)
	nan.Weights[0] = math.NaN()
	short := m
	short.Optimizer = m.Optimizer[:5]
	for _, c := range []struct {
		name string
		m    Message
		want string
	}{
		{"negative second moment", neg, "its optimizer state is unusable: the second moment of b2[5] is -1"},
		{"NaN weight", nan, "weight 0 is NaN"},
		{"short state", short, "adam keeps 56 values for a 5-2-5 network, not 5"},
	} {
		_, err := c.m.Trainer()
		if err == nil || !errors.Is(err, core.ErrSnapshot) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want core.ErrSnapshot saying %q", c.name, err, c.want)
		}
	}
}
