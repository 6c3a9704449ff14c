package statusline

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestOf(t *testing.T) {
	c := core.DefaultConfig()
	m := core.Metrics{Step: 1500, Loss: 0.000123456789, Correct: 9, Pairs: 10, Accuracy: 0.9,
		MinMargin: -0.01234, MaxAbsWeight: 26.789, SolvedAt: -1}
	want := Line{Shape: "11-2-11", Connections: "44 connections (121 without the hidden layer)", Step: "1500",
		Loss: "0.00012346", Correct: "9/10 (90%)", MaxAbsWeight: "26.8", MinMargin: "-0.0123", Solved: "not solved yet"}
	if got := Of(c, m, false); got != want {
		t.Errorf("Of:\n got %+v\nwant %+v", got, want)
	}
	m.Correct, m.Accuracy, m.SolvedAt = 10, 1, 31
	if got := Of(c, m, false); got.Solved != "solved at step 31" || got.Correct != "10/10 (100%)" {
		t.Errorf("solved: %+v", got)
	}
	if got := Of(c, m, true); got.Solved != "solved at step 31, built by hand" {
		t.Errorf("built by hand: %q", got.Solved)
	}
	c.N, c.K = 5, 0
	if got := Of(c, m, false); got.Shape != "5-5" || got.Connections != "25 connections (the direct network)" {
		t.Errorf("direct: %+v", got)
	}
	// 2 of 3 is 66.67%: the floor, and no 100% before every pair is right.
	m.Correct, m.Pairs, m.Accuracy = 2, 3, 2.0/3
	if got := Of(c, m, false).Correct; got != "2/3 (66%)" {
		t.Errorf("2 of 3: %q", got)
	}
	m.Loss, m.MaxAbsWeight, m.MinMargin = math.NaN(), math.Inf(1), math.Inf(-1)
	if got := Of(c, m, false); got.Loss != "NaN" || got.MaxAbsWeight != "+Inf" || got.MinMargin != "-Inf" {
		t.Errorf("not finite: %+v", got)
	}
}

// Each field's JSON name is its element's id less the prefix, and Fields
// lists every field once: a script writes "stat-" + name.
func TestFieldsAreTheJSONNames(t *testing.T) {
	l := Of(core.DefaultConfig(), core.Metrics{SolvedAt: -1}, false)
	data, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	var byName map[string]string
	if err := json.Unmarshal(data, &byName); err != nil {
		t.Fatal(err)
	}
	fields := l.Fields()
	if len(fields) != reflect.TypeOf(l).NumField() || len(byName) != len(fields) {
		t.Fatalf("%d fields, %d JSON names, %d struct fields", len(fields), len(byName), reflect.TypeOf(l).NumField())
	}
	for _, f := range fields {
		name, ok := strings.CutPrefix(f.ID, IDPrefix)
		if !ok || byName[name] != f.Text {
			t.Errorf("field %s: JSON %q = %q, Fields says %q", f.ID, name, byName[name], f.Text)
		}
	}
}
