package site_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// engineJS starts an engine worker the way the pages do (the module
// compiled once and posted), sends it malformed frames, then drives a
// playground run: config, 100 steps, with an ack for every state. It returns
// every message the engine sent, with the weights as plain arrays.
const engineJS = `(async () => {
	const mod = await WebAssembly.compileStreaming(fetch("engine.wasm"));
	const w = new Worker("engine-worker.js");
	const got = [];
	let wake = () => {};
	w.onmessage = e => {
		const d = e.data;
		got.push({head: d.head, isF64: d.weights instanceof Float64Array, weights: d.weights ? Array.from(d.weights) : null});
		const h = JSON.parse(d.head);
		if (h.type === "state") w.postMessage({head: JSON.stringify({v: 1, type: "ack", seq: h.seq})});
		wake();
	};
	w.onerror = e => got.push({head: JSON.stringify({v: 1, type: "error", reason: String(e.message)})});
	const until = async (ok, ms) => {
		const t0 = performance.now();
		while (!ok()) {
			if (performance.now() - t0 > ms) return false;
			await new Promise(r => { wake = r; setTimeout(r, 50); });
		}
		return true;
	};
	const send = (head, weights) => weights && weights.buffer ? w.postMessage({head, weights}, [weights.buffer]) : w.postMessage({head, weights});
	w.postMessage({engineModule: mod});
	// Sent before the engine has started: kept for it, and refused by it.
	send('{"v":1,"type":"explode"}');
	if (!await until(() => got.some(g => g.head.includes('"ready"')), 20000)) return {error: "no ready", got};
	send('{"v":2,"type":"pause"}');
	send('this is not JSON');
	w.postMessage("a string");
	w.postMessage({head: '{"v":1,"type":"pause"}', weights: [1, 2, 3]});
	send('{"v":1,"type":"import","config":"n=5&k=2"}', new Float64Array(26));
	send('{"v":1,"type":"import","config":"n=5&k=2"}', new Float64Array(27).fill(NaN));
	send('{"v":1,"type":"step","steps":10}');
	send('{"v":1,"type":"config","config":"n=11&k=2&seed=5"}');
	send('{"v":1,"type":"step","steps":100}');
	const ok = await until(() => got.some(g => g.head.includes('"step":100,')), 20000);
	w.terminate();
	return {error: ok ? "" : "no state at step 100", got};
})()`

type engineMsg struct {
	Head    string    `json:"head"`
	IsF64   bool      `json:"isF64"`
	Weights []float64 `json:"weights"`
}

// engineHead is the part of a frame's JSON head (wasm/internal/protocol)
// this test reads; the protocol's own tests check the rest.
type engineHead struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	Seq     int    `json:"seq"`
	Step    int    `json:"step"`
	Reason  string `json:"reason"`
	Chart   int    `json:"chart"` // the floats after the weights that are the charts
	Metrics struct {
		Loss     float64 `json:"loss"`
		Correct  int     `json:"correct"`
		SolvedAt int     `json:"solvedAt"`
	} `json:"metrics"`
}

// An engine worker refuses malformed frames with a reason and goes on
// working, and trains exactly as core does natively: its state at step 100
// carries, in a transferred Float64Array, core's weights bit for bit and
// then the charts of every step.
func TestEngineWorker(t *testing.T) {
	ctx := openCapacity(t, "")
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Error string      `json:"error"`
		Got   []engineMsg `json:"got"`
	}](engineJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var refused []string
	var states []engineHead
	var lastWeights, lastChart []float64
	for _, g := range res.Got {
		var h engineHead
		if err := json.Unmarshal([]byte(g.Head), &h); err != nil || h.V != 1 {
			t.Fatalf("the engine sent %s: %v", g.Head, err)
		}
		switch h.Type {
		case "refused":
			refused = append(refused, h.Reason)
		case "state":
			if !g.IsF64 {
				t.Errorf("state %d: the weights are not a Float64Array", h.Seq)
			}
			states = append(states, h)
			if h.Chart < 0 || h.Chart > len(g.Weights) {
				t.Fatalf("state %d: a chart of %d floats in %d", h.Seq, h.Chart, len(g.Weights))
			}
			lastWeights, lastChart = g.Weights[:len(g.Weights)-h.Chart], g.Weights[len(g.Weights)-h.Chart:]
		case "fault", "error":
			t.Errorf("the engine failed: %s", h.Reason)
		}
	}
	if res.Error != "" {
		t.Fatalf("%s; the engine sent %d messages, refused %q", res.Error, len(res.Got), refused)
	}
	want := []string{
		`unknown message type "explode"`,
		"version 2 is not spoken here",
		"the head is not a message",
		"a message that is not an object",
		"weights that are not a Float64Array",
		"26 weights, but a 5-2-5 network has 27",
		"weight 0 is NaN",
		"there is no network yet",
	}
	if len(refused) != len(want) {
		t.Errorf("refusals %q, want %d", refused, len(want))
	}
	for i, w := range want {
		if i < len(refused) && !strings.Contains(refused[i], w) {
			t.Errorf("refusal %d: %q, want it to say %q", i+1, refused[i], w)
		}
	}
	last := states[len(states)-1]
	tr := coretest.Trained(t, "n=11&k=2&seed=5", 100)
	m := tr.Metrics()
	if last.Step != 100 || last.Metrics.Loss != m.Loss || last.Metrics.Correct != m.Correct || last.Metrics.SolvedAt != m.SolvedAt {
		t.Errorf("state at step %d with metrics %+v, native %+v", last.Step, last.Metrics, m)
	}
	nat := wireWeights(tr.Network())
	if len(lastWeights) != len(nat) {
		t.Fatalf("%d weights, native %d", len(lastWeights), len(nat))
	}
	for i := range nat {
		if math.Float64bits(lastWeights[i]) != math.Float64bits(nat[i]) {
			t.Fatalf("weight %d: engine %v, native %v", i, lastWeights[i], nat[i])
		}
	}
	// The charts after the weights: every step's loss and accuracy from 0
	// to 100 as core's run gives them, in the layout of
	// history.Series.AppendFloats (stride, solved step, points; then each
	// point's first and last steps, min, max, last value and count), one
	// sample a point: 101 points are under a series' capacity.
	run := coretest.Trained(t, "n=11&k=2&seed=5", 0)
	var lossPts, accPts []float64
	for {
		m := run.Metrics()
		lossPts = append(lossPts, float64(m.Step), float64(m.Step), m.Loss, m.Loss, m.Loss, 1)
		accPts = append(accPts, float64(m.Step), float64(m.Step), m.Accuracy, m.Accuracy, m.Accuracy, 1)
		if m.Step == 100 || run.Step() != nil {
			break
		}
	}
	solved := float64(run.Metrics().SolvedAt)
	wantChart := slices.Concat([]float64{1, solved, 101}, lossPts, []float64{1, solved, 101}, accPts)
	if !slices.Equal(lastChart, wantChart) {
		t.Errorf("the state at step 100 carries a chart of %d floats, not core's run charted at every step (%d floats)", len(lastChart), len(wantChart))
	}
	for i := 1; i < len(states); i++ {
		if states[i].Seq != states[i-1].Seq+1 {
			t.Errorf("state numbers %d then %d", states[i-1].Seq, states[i].Seq)
		}
	}
	t.Logf("%d messages, %d refusals, %d states", len(res.Got), len(refused), len(states))
	harness.ConsoleOf(ctx).Check(t)
}

// wireWeights lists net's parameters in the protocol's order: W1 row by row,
// B1, W2 row by row, B2.
func wireWeights(net *core.Network) []float64 {
	var w []float64
	if net.K > 0 {
		w = append(append(w, net.W1.RawMatrix().Data...), net.B1.RawVector().Data...)
	}
	return append(append(w, net.W2.RawMatrix().Data...), net.B2.RawVector().Data...)
}
