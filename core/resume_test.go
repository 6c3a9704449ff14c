package core

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// resumeConfigs are runs of every optimizer, with and without a hidden
// layer, a disabled bias and a schedule, for the exact-continuation tests.
func resumeConfigs() []Config {
	adam := DefaultConfig()
	adamNoOB := DefaultConfig()
	adamNoOB.N, adamNoOB.K, adamNoOB.OutputBias = 8, 3, false
	mom := DefaultConfig()
	mom.Optimizer, mom.LearningRate, mom.HiddenBias = OptMomentum, 0.05, false
	mom.Schedule, mom.Period = SchedCos, 700
	sgd := DefaultConfig()
	sgd.Optimizer, sgd.LearningRate, sgd.Warmup = OptSGD, 0.5, 300
	direct := DefaultConfig()
	direct.N, direct.K, direct.Optimizer, direct.LearningRate = 6, 0, OptMomentum, 0.1
	return []Config{adam, adamNoOB, mom, sgd, direct}
}

// A run exported at step 1,000 and imported goes on to step 2,000 exactly
// as the uninterrupted run does, for each optimizer; without the optimizer
// state (a version 1 file) momentum and adam go elsewhere.
func TestSnapshotContinuesExactly(t *testing.T) {
	for _, c := range resumeConfigs() {
		whole := mustTrainer(t, c)
		whole.Run(2000)
		half := mustTrainer(t, c)
		half.Run(1000)
		data, err := half.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"version": 2`) || !strings.Contains(string(data), `"kind": "`+string(c.Optimizer)+`"`) {
			t.Fatalf("%s: the export is not version 2 with %s's state", c.Encode(), c.Optimizer)
		}
		back, err := LoadSnapshot(data)
		if err != nil {
			t.Fatalf("%s: %v", c.Encode(), err)
		}
		if !slices.Equal(bitsOf(back.OptimizerState()), bitsOf(half.OptimizerState())) {
			t.Fatalf("%s: the optimizer state differs after the round trip", c.Encode())
		}
		back.Run(1000)
		if !sameBits(back.Network(), whole.Network()) || back.Metrics() != whole.Metrics() {
			t.Errorf("%s: the imported run at step %d differs from the uninterrupted one", c.Encode(), back.Metrics().Step)
		}

		// The same file as version 1, without the state: fresh moments.
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "optimizer")
		m["version"] = 1
		v1, _ := json.Marshal(m)
		old, err := LoadSnapshot(v1)
		if err != nil {
			t.Fatalf("%s: version 1: %v", c.Encode(), err)
		}
		if fresh := mustTrainer(t, c); !slices.Equal(bitsOf(old.OptimizerState()), bitsOf(fresh.OptimizerState())) {
			t.Errorf("%s: a version 1 import does not start with a fresh optimizer", c.Encode())
		}
		old.Run(1000)
		if same := sameBits(old.Network(), whole.Network()); same != (c.Optimizer == OptSGD) {
			t.Errorf("%s: a version 1 import continues the run exactly: %v (only sgd, which keeps nothing, should)", c.Encode(), same)
		}
	}
}

func bitsOf(xs []float64) []uint64 {
	b := make([]uint64, len(xs))
	for i, x := range xs {
		b[i] = math.Float64bits(x)
	}
	return b
}

// Foreign, corrupt or mismatched optimizer state is refused with a message
// that names it.
func TestSnapshotOptimizerRefusals(t *testing.T) {
	export := func(c Config) []byte {
		tr := mustTrainer(t, c)
		tr.Run(50)
		data, err := tr.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	adam := DefaultConfig()
	mom := DefaultConfig()
	mom.Optimizer, mom.HiddenBias = OptMomentum, false
	sgd := DefaultConfig()
	sgd.Optimizer = OptSGD
	edit := func(data []byte, f func(m map[string]any, o map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		o, _ := m["optimizer"].(map[string]any)
		f(m, o)
		b, _ := json.Marshal(m)
		return string(b)
	}
	a, mo, s := export(adam), export(mom), export(sgd)
	section := func(o map[string]any, name string) map[string]any { return o[name].(map[string]any) }
	checkSnapshotsRefused(t, []snapshotRefusal{
		{"other kind", edit(a, func(m, o map[string]any) { o["kind"] = "momentum" }), "momentum's, but the config trains with adam"},
		{"state of another config", edit(a, func(m, o map[string]any) { c := DefaultConfig(); c.Optimizer = OptMomentum; m["config"] = c.Encode() }), "adam's, but the config trains with momentum"},
		{"unknown kind", edit(a, func(m, o map[string]any) { o["kind"] = "lbfgs" }), "lbfgs"},
		{"version 1 with state", edit(a, func(m, o map[string]any) { m["version"] = 1 }), "version 1 snapshot has no optimizer state"},
		{"no m", edit(a, func(m, o map[string]any) { delete(o, "m") }), "has no m, which adam keeps"},
		{"no power", edit(a, func(m, o map[string]any) { delete(o, "beta2Power") }), "has no beta2Power"},
		{"velocity for adam", edit(a, func(m, o map[string]any) { o["velocity"] = o["m"] }), "has velocity, which adam does not keep"},
		{"moments for sgd", edit(s, func(m, o map[string]any) { o["m"] = map[string]any{"w2": []any{}, "b2": []any{}} }), "has m, which sgd does not keep"},
		{"short moment rows", edit(a, func(m, o map[string]any) { section(o, "v")["w2"] = section(o, "v")["w2"].([]any)[:4] }), "optimizer.v.w2 has 4 rows; the config needs 11"},
		{"short moment row", edit(a, func(m, o map[string]any) { section(o, "m")["w1"].([]any)[1] = []any{0.0} }), "optimizer.m.w1 row 2 has 1 values"},
		{"short velocity bias", edit(mo, func(m, o map[string]any) { section(o, "velocity")["b2"] = []any{0.0} }), "optimizer.velocity.b2 has 1 values"},
		{"negative second moment", edit(a, func(m, o map[string]any) { section(o, "v")["b2"].([]any)[2] = -0.5 }), "the second moment of b2[3] is -0.5; it cannot be negative"},
		{"power above 1", edit(a, func(m, o map[string]any) { o["beta1Power"] = 1.5 }), "adam's β1^t is 1.5"},
		{"negative power", edit(a, func(m, o map[string]any) { o["beta2Power"] = -1e-3 }), "adam's β2^t is -0.001"},
		{"velocity on a disabled bias", edit(mo, func(m, o map[string]any) { section(o, "velocity")["b1"].([]any)[0] = 0.25 }), "the velocity of b1[1] is 0.25, but that bias is off"},
		{"string moment", edit(a, func(m, o map[string]any) { section(o, "m")["b1"] = []any{"NaN", 0.0} }), "not valid snapshot JSON"},
		{"unknown optimizer field", edit(a, func(m, o map[string]any) { o["t"] = 7 }), `unknown field "t"`},
	})
}

// SetOptimizerState refuses a bad flat state (the engine's import path,
// which may carry NaN) and leaves the optimizer as it was.
func TestSetOptimizerStateRefusals(t *testing.T) {
	c := DefaultConfig()
	c.OutputBias = false
	tr := mustTrainer(t, c)
	tr.Run(30)
	good := tr.OptimizerState()
	p := (len(good) - 2) / 2
	if len(good) != OptimizerStateLen(&c) || p != 2*2*11+2+11 {
		t.Fatalf("adam's state has %d values; OptimizerStateLen says %d", len(good), OptimizerStateLen(&c))
	}
	for _, tc := range []struct {
		name    string
		edit    func(s []float64) []float64
		mention string
	}{
		{"short", func(s []float64) []float64 { return s[:len(s)-1] }, "adam keeps 116 values for a 11-2-11 network, not 115"},
		{"empty", func(s []float64) []float64 { return nil }, "not 0"},
		{"NaN moment", func(s []float64) []float64 { s[2+5] = math.NaN(); return s }, "the first moment of w1[1][6] is NaN"},
		{"infinite second moment", func(s []float64) []float64 { s[2+p+22] = math.Inf(1); return s }, "the second moment of b1[1] is +Inf"},
		{"NaN power", func(s []float64) []float64 { s[0] = math.NaN(); return s }, "β1^t is NaN"},
		{"moment of a disabled bias", func(s []float64) []float64 { s[2+p-1] = 3; return s }, "the first moment of b2[11] is 3, but that bias is off"},
		{"second moment of w2", func(s []float64) []float64 { s[2+p+2*11+2+3] = -2; return s }, "the second moment of w2[2][2] is -2"},
	} {
		err := tr.SetOptimizerState(tc.edit(slices.Clone(good)))
		if err == nil || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: %v; want an error mentioning %q", tc.name, err, tc.mention)
		}
		if !slices.Equal(bitsOf(tr.OptimizerState()), bitsOf(good)) {
			t.Fatalf("%s: a refused state changed the optimizer", tc.name)
		}
	}
	sgd := DefaultConfig()
	sgd.Optimizer = OptSGD
	if err := mustTrainer(t, sgd).SetOptimizerState([]float64{1}); err == nil || !strings.Contains(err.Error(), "sgd keeps 0 values") {
		t.Errorf("sgd took a state: %v", err)
	}
}
