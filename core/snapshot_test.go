package core

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSnapshotRoundTrip(t *testing.T) {
	for _, c := range []Config{
		DefaultConfig(),
		func() Config { c := DefaultConfig(); c.N, c.K = 5, 0; return c }(),
		func() Config {
			c := DefaultConfig()
			c.N, c.K, c.Task, c.Custom, c.HiddenBias = 4, 3, TaskCustom, []int{1, -1, 3, 0}, false
			return c
		}(),
	} {
		tr := mustTrainer(t, c)
		tr.Run(250)
		data, err := tr.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		back, err := LoadSnapshot(data)
		if err != nil {
			t.Fatalf("%s: %v", c.Encode(), err)
		}
		if !sameBits(back.Network(), tr.Network()) {
			t.Fatalf("%s: weights differ after the round trip", c.Encode())
		}
		if back.Config().Encode() != c.Encode() {
			t.Fatalf("config %q, want %q", back.Config().Encode(), c.Encode())
		}
		bm, m := back.Metrics(), tr.Metrics()
		if bm.Step != m.Step || bm.Loss != m.Loss || bm.Correct != m.Correct || bm.SolvedAt != m.SolvedAt {
			t.Fatalf("metrics %+v, want %+v", bm, m)
		}
		// Training goes on from the imported weights.
		if err := back.Step(); err != nil || back.Metrics().Step != m.Step+1 {
			t.Fatalf("cannot continue after import: %v", err)
		}
	}
}

func TestSnapshotRefusals(t *testing.T) {
	tr := mustTrainer(t, DefaultConfig())
	tr.Run(10)
	good, err := tr.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	checkSnapshotsRefused(t, []snapshotRefusal{
		{"empty", "", "not valid snapshot JSON"},
		{"not json", "hello", "not valid snapshot JSON"},
		{"truncated", string(good[:len(good)/2]), "not valid snapshot JSON"},
		{"array", "[1,2,3]", "not valid snapshot JSON"},
		{"other format", edit(func(m map[string]any) { m["format"] = "keras" }), `"keras"`},
		{"future version", edit(func(m map[string]any) { m["version"] = 3 }), "version 3"},
		{"bad config", edit(func(m map[string]any) { m["config"] = "n=99999" }), "n:"},
		{"unknown field", edit(func(m map[string]any) { m["evil"] = 1 }), "evil"},
		{"too few rows", edit(func(m map[string]any) { m["w2"] = m["w2"].([]any)[:3] }), "w2 has 3 rows"},
		{"short row", edit(func(m map[string]any) { m["w1"].([]any)[1] = []any{1.0} }), "w1 row 2 has 1 values"},
		{"short bias", edit(func(m map[string]any) { m["b2"] = []any{0.0} }), "b2 has 1 values"},
		{"missing w1", edit(func(m map[string]any) { delete(m, "w1") }), "w1 has 0 rows"},
		{"string weight", edit(func(m map[string]any) { m["b1"] = []any{"NaN", 0.0} }), "not valid snapshot JSON"},
		{"overflowing number", strings.Replace(string(good), `"step": 10`, `"step": 1e999`, 1), "not valid snapshot JSON"},
		{"huge weight", strings.Replace(edit(func(m map[string]any) { m["b2"].([]any)[0] = 12345.0 }), "12345", "1e999", 1), "not valid snapshot JSON"},
		{"negative step", edit(func(m map[string]any) { m["step"] = -1 }), "negative"},
		{"bias that is off", edit(func(m map[string]any) {
			m["config"] = "n=11&k=2&task=shift&s=1&ob=0&opt=adam&lr=0.1&seed=1"
			m["b2"].([]any)[0] = 1.5
		}), "that bias is off"},
		{"too large", `{"format":"` + strings.Repeat(" ", MaxSnapshotBytes) + `"}`, "at most"},
		{"huge array", `{"format":"bottleneck-snapshot","version":1,"config":"n=11","w2":[` + strings.Repeat("[0,0],", 100000) + `[0,0]],"b2":[]}`, "w2 has 100001 rows"},
	})
}

// snapshotRefusal is a file that LoadSnapshot must refuse, and what its
// message must mention.
type snapshotRefusal struct{ name, data, mention string }

// checkSnapshotsRefused checks that LoadSnapshot refuses each file with an
// error wrapping ErrSnapshot that mentions what it should.
func checkSnapshotsRefused(t *testing.T, cases []snapshotRefusal) {
	t.Helper()
	for _, tc := range cases {
		_, err := LoadSnapshot([]byte(tc.data))
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if !errors.Is(err, ErrSnapshot) || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: %q; want ErrSnapshot mentioning %q", tc.name, err, tc.mention)
		}
	}
}

func TestSnapshotOfDivergedRunIsRefused(t *testing.T) {
	tr := mustTrainer(t, DefaultConfig())
	tr.params[0][0] = 1e308
	tr.params[0][1] = -1e308
	tr.params[2][0] = 1e308
	tr.Refresh()
	tr.params[0][0] = 0
	for tr.Diverged() == "" && tr.Metrics().Step < 100 {
		tr.Step()
	}
	if tr.Diverged() == "" {
		t.Skip("could not make the run diverge")
	}
	if _, err := tr.MarshalSnapshot(); err == nil {
		t.Fatal("exported a diverged network")
	}
}

func TestSetWeight(t *testing.T) {
	c := DefaultConfig()
	c.HiddenBias = false
	tr := mustTrainer(t, c)
	before := tr.Metrics().Loss
	if err := tr.SetWeight(LayerW2, 3, 1, 25); err != nil {
		t.Fatal(err)
	}
	if tr.Network().W2.At(3, 1) != 25 || tr.Metrics().Loss == before {
		t.Fatal("SetWeight did not change the weight and the loss")
	}
	for _, bad := range []struct {
		l       Layer
		r, c    int
		v       float64
		mention string
	}{
		{LayerW1, 2, 0, 1, "no such parameter"},
		{LayerW1, 0, 11, 1, "no such parameter"},
		{LayerB1, 0, 0, 1, "no such parameter"}, // the hidden bias is off
		{LayerW2, 0, 0, 1e7, "magnitude"},
		{Layer(9), 0, 0, 1, "no such parameter"},
	} {
		if err := tr.SetWeight(bad.l, bad.r, bad.c, bad.v); err == nil || !strings.Contains(err.Error(), bad.mention) {
			t.Errorf("SetWeight(%d,%d,%d,%g): %v", bad.l, bad.r, bad.c, bad.v, err)
		}
	}
}
