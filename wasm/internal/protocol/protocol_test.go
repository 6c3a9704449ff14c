package protocol

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/history"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
)

// Every message survives Encode and Decode unchanged, weights bit for bit.
func TestRoundTrip(t *testing.T) {
	tr := coretest.Trained(t, "n=11&k=2&seed=3", 40)
	w := Weights(tr.Network())
	cfg := tr.Config().Encode()
	chart := testChart(40)
	diverged := append([]float64(nil), w...)
	diverged[0], diverged[2] = math.NaN(), math.Inf(-1)
	status := statusline.Of(tr.Config(), tr.Metrics(), false)
	msgs := []Message{
		{Type: TypeConfig, Config: cfg},
		{Type: TypeReset},
		{Type: TypeStep, Steps: 7},
		{Type: TypePause},
		{Type: TypeRun, Rate: 60},
		{Type: TypeRun},
		{Type: TypeImport, Config: cfg, Step: 40, Weights: w},
		{Type: TypeImport, Config: cfg, Step: 40, SolvedAt: 31, Weights: w, Chart: chart},
		{Type: TypeImport, Config: cfg, Step: 40, SolvedAt: -1, Weights: w},
		{Type: TypeSetWeight, Edit: Edit{Layer: core.LayerW2, Row: 3, Col: 1, Value: -2.5}},
		{Type: TypeAck, Seq: 4},
		{Type: TypeJob, Job: 9, Config: cfg, Budget: 2000},
		{Type: TypeCancel, Job: 9},
		{Type: TypeCancel},
		{Type: TypeReady},
		{Type: TypeState, Seq: 4, Running: true, Config: cfg, Step: 40, Metrics: tr.Metrics(), Memory: 12 << 20, Weights: w},
		{Type: TypeState, Seq: 6, Running: true, Config: cfg, Step: 40, Metrics: tr.Metrics(), Weights: w, Chart: chart},
		{Type: TypeState, Seq: 7, Config: cfg, Step: 40, Metrics: tr.Metrics(), Weights: w, Status: &status},
		{Type: TypeState, Seq: 5, Config: cfg, Step: 3, Metrics: core.Metrics{Step: 3, Loss: math.NaN(), MaxAbsWeight: math.Inf(1), MinMargin: math.Inf(-1), SolvedAt: -1},
			Diverged: "NaN at step 3", Weights: diverged},
		{Type: TypeLink, Config: "#n=32&k=3&hide=tour&lock=k"},
		{Type: TypeLink},
		{Type: TypeJobProgress, Job: 9, Step: 1234},
		{Type: TypeJobDone, Job: 9, Outcome: core.SeedOutcome{Seed: 3, Solved: true, Steps: 812, Correct: 10, Pairs: 10, Accuracy: 1, MaxAbsWeight: 21.25}},
		{Type: TypeJobDone, Job: 2, Outcome: core.SeedOutcome{Seed: 1, Steps: 9, MaxAbsWeight: math.NaN(), Diverged: "loss is NaN"}},
		{Type: TypeRefused, Reason: "unknown message type"},
		{Type: TypeFault, Reason: "panic: index out of range"},
		{Type: TypeDraw},
		{Type: TypeDraw, Dark: true},
		{Type: TypeFigure, Config: cfg, Step: 40, Figure: "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"},
	}
	for _, m := range msgs {
		f, err := Encode(m)
		if err != nil {
			t.Errorf("Encode(%s): %v", m.Type, err)
			continue
		}
		if !strings.HasPrefix(f.Head, `{"v":1,"type":"`+string(m.Type)+`"`) {
			t.Errorf("head %s", f.Head)
		}
		got, err := Decode(f)
		if err != nil {
			t.Errorf("Decode(%s): %v", f.Head, err)
			continue
		}
		if !sameMessage(got, m) {
			t.Errorf("%s: decoded %+v\nsent %+v", m.Type, got, m)
		}
	}
	// The bytes of a Float64Array carry the weights bit for bit.
	got, err := Float64sOf(Float64Bytes(w), MaxWeights)
	if err != nil || !reflect.DeepEqual(got, w) {
		t.Errorf("Float64sOf(Float64Bytes(w)) = %v, %v", got, err)
	}
}

// sameMessage compares like reflect.DeepEqual, with NaN equal to NaN.
// testChart returns a State's Chart of steps 0..steps: the loss 1/(step+1)
// and the accuracy step/steps.
func testChart(steps int) []float64 {
	loss, acc := history.NewSeries(history.DefaultCapacity), history.NewSeries(history.DefaultCapacity)
	for i := range steps + 1 {
		loss.Add(i, 1/float64(i+1))
		acc.Add(i, float64(i)/float64(steps))
	}
	return acc.AppendFloats(loss.AppendFloats(nil))
}

func sameMessage(a, b Message) bool {
	nanless := func(m Message) Message {
		fix := func(x *float64) {
			if math.IsNaN(*x) {
				*x = 12345.678
			}
		}
		fix(&m.Metrics.Loss)
		fix(&m.Metrics.MaxAbsWeight)
		fix(&m.Outcome.MaxAbsWeight)
		m.Weights = append([]float64(nil), m.Weights...)
		for i := range m.Weights {
			fix(&m.Weights[i])
		}
		if len(m.Weights) == 0 {
			m.Weights = nil
		}
		return m
	}
	return reflect.DeepEqual(nanless(a), nanless(b))
}

// An Import frame that does not say when its run was solved means -1: not
// solved, or not known (a frame from a page that does not know).
func TestImportWithoutSolvedAt(t *testing.T) {
	cfg := "n=5&k=2&seed=1"
	w := Weights(coretest.Trained(t, cfg, 0).Network())
	m, err := Decode(Frame{Head: `{"v":1,"type":"import","config":"` + cfg + `","step":7}`, Weights: w})
	if err != nil || m.SolvedAt != -1 {
		t.Fatalf("Decode: %v, solved at %d; want -1", err, m.SolvedAt)
	}
	if f, err := Encode(Message{Type: TypeImport, Config: cfg, Step: 7, SolvedAt: 0, Weights: w}); err != nil || !strings.Contains(f.Head, `"solvedAt":0`) {
		t.Errorf("Encode of an import solved at step 0: %v, head %s", err, f.Head)
	}
}

// Malformed frames are refused with a reason that names the problem.
func TestDecodeRefuses(t *testing.T) {
	cfg := "n=5&k=2&seed=1"
	w := Weights(coretest.Trained(t, cfg, 0).Network()) // 2·2·5 + 2 + 5 = 27
	nan := append([]float64(nil), w...)
	nan[4] = math.NaN()
	chart := testChart(20)
	badChart := append([]float64(nil), chart...)
	badChart[4] = -1 // the loss's first point ends at step -1
	state := `{"v":1,"type":"state","seq":1,"config":"` + cfg + `","step":0,"metrics":{"step":0,"loss":1,"correct":0,"pairs":5,"accuracy":0,"minMargin":0,"maxAbsWeight":1,"solvedAt":-1}`
	cases := []struct {
		f    Frame
		want string
	}{
		{Frame{Head: ``}, "not a message"},
		{Frame{Head: `[1,2]`}, "not a message"},
		{Frame{Head: `{"v":1,"type":"step","steps":1} {}`}, "text after"},
		{Frame{Head: `{"v":2,"type":"pause"}`}, "version 2 is not spoken"},
		{Frame{Head: `{"type":"pause"}`}, "version 0 is not spoken"},
		{Frame{Head: `{"v":1,"type":"explode"}`}, `unknown message type "explode"`},
		{Frame{Head: `{"v":1,"type":"pause","status":{"step":"3"}}`}, "only a state carries one"},
		{Frame{Head: state + `,"status":{"step":3}}`, Weights: w}, "status.step"},
		{Frame{Head: state + `,"status":{"steps":"3"}}`, Weights: w}, `unknown field "steps"`},
		{Frame{Head: `{"v":1,"type":"pause","bogus":1}`}, `unknown field "bogus"`},
		{Frame{Head: `{"v":1,"type":"step","steps":0}`}, "0 steps, want 1 to"},
		{Frame{Head: `{"v":1,"type":"step","steps":1.5}`}, "not a message"},
		{Frame{Head: `{"v":1,"type":"run","rate":-1}`}, "rate -1"},
		{Frame{Head: `{"v":1,"type":"config"}`}, "no config"},
		{Frame{Head: `{"v":1,"type":"config","config":"n=99999"}`}, "N must be"},
		{Frame{Head: `{"v":1,"type":"import","config":"` + cfg + `"}`, Weights: w[:26]}, "26 weights, but a 5-2-5 network has 27"},
		{Frame{Head: `{"v":1,"type":"import","config":"` + cfg + `"}`, Weights: nan}, "weight 4 is NaN"},
		{Frame{Head: `{"v":1,"type":"import","config":"` + cfg + `","step":-1}`, Weights: w}, "step -1"},
		{Frame{Head: `{"v":1,"type":"pause"}`, Weights: w}, "carries 27 weights but takes none"},
		{Frame{Head: `{"v":1,"type":"setWeight"}`}, "without its edit"},
		{Frame{Head: `{"v":1,"type":"setWeight","edit":{"layer":7,"row":0,"col":0,"value":1}}`}, "no such parameter"},
		{Frame{Head: `{"v":1,"type":"setWeight","edit":{"layer":0,"row":0,"col":0,"value":"NaN"}}`}, "not a message"},
		{Frame{Head: `{"v":1,"type":"ack"}`}, "sequence number 0"},
		{Frame{Head: `{"v":1,"type":"pause","mem":5}`}, "only a state gives"},
		{Frame{Head: `{"v":1,"type":"state","seq":1,"metrics":{"step":0,"loss":1,"correct":0,"pairs":5,"accuracy":0,"minMargin":0,"maxAbsWeight":1,"solvedAt":-1}}`, Weights: w}, "no config"},
		{Frame{Head: `{"v":1,"type":"state","seq":1,"config":"n=6&k=2","metrics":{"step":0,"loss":1,"correct":0,"pairs":5,"accuracy":0,"minMargin":0,"maxAbsWeight":1,"solvedAt":-1}}`, Weights: w}, "27 weights, but a 6-2-6 network has 32"},
		{Frame{Head: `{"v":1,"type":"link","config":"` + strings.Repeat("n", core.MaxFragmentLen+1) + `"}`}, "a link of"},
		{Frame{Head: `{"v":1,"type":"job","job":1,"config":"` + cfg + `","budget":0}`}, "budget 0"},
		{Frame{Head: `{"v":1,"type":"job","config":"` + cfg + `","budget":10}`}, "job id 0"},
		{Frame{Head: `{"v":1,"type":"jobDone","job":1}`}, "without its outcome"},
		{Frame{Head: `{"v":1,"type":"state","seq":1,"config":"` + cfg + `","step":1,"metrics":{"step":1}}`, Weights: nan}, "weight 4 is NaN"},
		{Frame{Head: `{"v":1,"type":"refused"}`}, "no reason"},
		{Frame{Head: `{"v":1,"type":"pause","solvedAt":3}`}, "only an import gives the step its run was solved at"},
		{Frame{Head: `{"v":1,"type":"import","config":"` + cfg + `","step":5,"solvedAt":6}`, Weights: w}, "solved at step 6, want -1 (not solved) or a step up to 5"},
		{Frame{Head: `{"v":1,"type":"import","config":"` + cfg + `","step":5,"solvedAt":-2}`, Weights: w}, "solved at step -2"},
		{Frame{Head: state + `,"chart":` + strconv.Itoa(len(chart)+1) + `}`, Weights: append(slices.Clone(w), chart...)}, "the loss chart: series: a stride of 0"},
		{Frame{Head: state + `,"chart":` + strconv.Itoa(len(chart)+28) + `}`, Weights: append(slices.Clone(w), chart...)}, "floats, but the frame has"},
		{Frame{Head: state + `,"chart":-1}`, Weights: w}, "a chart of -1 floats"},
		{Frame{Head: state + `,"chart":` + strconv.Itoa(len(chart)) + `}`, Weights: append(slices.Clone(w), badChart...)}, "the loss chart: series: point 0: steps 0..-1"},
		{Frame{Head: state + `,"chart":` + strconv.Itoa(len(chart)-1) + `}`, Weights: append(slices.Clone(w), chart[:len(chart)-1]...)}, "the accuracy chart: series:"},
		{Frame{Head: `{"v":1,"type":"figure","config":"` + cfg + `","chart":` + strconv.Itoa(len(chart)) + `}`, Weights: chart, Figure: "<svg/>"}, "carries a chart but takes none"},
		{Frame{Head: strings.Repeat(" ", MaxHeadBytes+1)}, "over the limit"},
		{Frame{Head: `{"v":1,"type":"draw"}`, Figure: "<svg/>"}, "carries a figure but takes none"},
		{Frame{Head: `{"v":1,"type":"pause","dark":true}`}, "only a draw has a theme"},
		{Frame{Head: `{"v":1,"type":"figure","step":3}`, Figure: "<svg/>"}, "no config"},
		{Frame{Head: `{"v":1,"type":"figure","config":"` + cfg + `","step":-3}`, Figure: "<svg/>"}, "step -3"},
		{Frame{Head: `{"v":1,"type":"figure","config":"` + cfg + `"}`}, "not an SVG document"},
		{Frame{Head: `{"v":1,"type":"figure","config":"` + cfg + `"}`, Figure: "<script>alert(1)</script>"}, "not an SVG document"},
		{Frame{Head: `{"v":1,"type":"figure","config":"` + cfg + `"}`, Figure: "<svg" + strings.Repeat(" ", MaxFigureBytes)}, "over the limit"},
	}
	for _, c := range cases {
		m, err := Decode(c.f)
		if err == nil {
			t.Errorf("Decode(%.60s) took %+v", c.f.Head, m)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%.60s): %v; want it to say %q", c.f.Head, err, c.want)
		}
	}
	if _, err := Encode(Message{Type: TypeStep}); err == nil {
		t.Error("Encode took a step of 0 steps")
	}
	if _, err := Float64sOf(make([]byte, 12), MaxWeights); err == nil {
		t.Error("12 bytes taken as float64s")
	}
	if _, err := Float64sOf(make([]byte, 8*(MaxWeights+1)), MaxWeights); err == nil {
		t.Error("more weights than any network taken")
	}
}

// The wire order of the weights is core's layout, and Snapshot turns them
// back into the same network, at K > 0 and K = 0, with biases on and off.
func TestWeightsSnapshot(t *testing.T) {
	for _, frag := range []string{"n=11&k=2&seed=3", "n=6&k=0&seed=2", "n=7&k=3&hb=0&ob=0&seed=5"} {
		tr := coretest.Trained(t, frag, 25)
		net := tr.Network()
		w := Weights(net)
		if len(w) != WeightCount(tr.Config()) {
			t.Fatalf("%s: %d weights, WeightCount %d", frag, len(w), WeightCount(tr.Config()))
		}
		if net.K > 0 && (w[0] != net.W1.At(0, 0) || w[1] != net.W1.At(0, 1)) {
			t.Errorf("%s: W1 is not first, row by row", frag)
		}
		if last := w[len(w)-1]; last != net.B2.AtVec(net.N-1) {
			t.Errorf("%s: B2 is not last", frag)
		}
		s := Snapshot(tr.Config(), 25, -1, w)
		back, err := s.Trainer()
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		if got := Weights(back.Network()); !reflect.DeepEqual(got, w) || back.Metrics().Step != 25 {
			t.Errorf("%s: snapshot gives step %d weights %v, want %v", frag, back.Metrics().Step, got, w)
		}
		// The same snapshot as an exported file.
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if file, err := core.LoadSnapshot(data); err != nil || !reflect.DeepEqual(Weights(file.Network()), w) {
			t.Errorf("%s: the snapshot's JSON loads as %v, %v", frag, file, err)
		}
	}
}

// Decode never panics, and what it takes encodes again.
func FuzzDecode(f *testing.F) {
	f.Add(`{"v":1,"type":"state","seq":1,"step":0,"metrics":{"step":0}}`, 3)
	f.Add(`{"v":1,"type":"import","config":"n=2&k=1","step":2}`, 7)
	f.Add(`{"v":1,"type":"setWeight","edit":{"layer":3,"row":1,"col":0,"value":2}}`, 0)
	f.Add(`{"v":1,"type":"jobDone","job":3,"outcome":{"seed":1,"accuracy":"NaN"}}`, 0)
	f.Fuzz(func(t *testing.T, head string, n int) {
		w := make([]float64, max(0, min(n, 64)))
		for i := range w {
			w[i] = float64(i) - 3
		}
		m, err := Decode(Frame{Head: head, Weights: w})
		if err != nil {
			return
		}
		if _, err := Encode(m); err != nil {
			t.Errorf("decoded %+v does not encode: %v", m, err)
		}
	})
}
