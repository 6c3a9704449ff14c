package history

import (
	"slices"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Charts record a step once, keep the first solved step, and go through
// their float form exactly; a broken form changes neither series.
func TestCharts(t *testing.T) {
	c := NewCharts()
	for step := range 1000 {
		solved := -1
		if step >= 40 {
			solved = 40
		}
		c.Record(core.Metrics{Step: step, Loss: 1 / float64(step+1), Accuracy: float64(step) / 1000, SolvedAt: solved})
		c.Record(core.Metrics{Step: step, Loss: 99, Accuracy: 1, SolvedAt: solved}) // the same step again: not recorded
	}
	// An import's trainer reports its own step as solved: the first stays.
	c.Record(core.Metrics{Step: 1000, Loss: 0.001, Accuracy: 1, SolvedAt: 1000})
	if s, _ := c.Loss.Solved(); s != 40 {
		t.Errorf("solved at %d, want the first, 40", s)
	}
	if lo, hi, first, last, _ := c.Loss.Range(); hi != 1 || lo != 0.001 || first != 0 || last != 1000 {
		t.Errorf("loss range %v..%v over steps %d..%d", lo, hi, first, last)
	}
	f := c.AppendFloats(nil)
	if len(f) > MaxChartsFloats {
		t.Errorf("%d floats, over MaxChartsFloats", len(f))
	}
	got := NewCharts()
	if err := got.SetFloats(f); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.AppendFloats(nil), f) {
		t.Error("the charts do not survive their float form")
	}
	if last, ok := got.Last(); !ok || last != 1000 {
		t.Errorf("Last after SetFloats = %d %v", last, ok)
	}
	// The accuracy's half broken: neither series changes.
	broken := slices.Clone(f)
	broken[len(broken)-1] = 0 // the accuracy's last point merges no sample
	empty := NewCharts()
	if err := empty.SetFloats(broken); err == nil || !strings.Contains(err.Error(), "the accuracy chart") {
		t.Errorf("a broken accuracy chart: %v", err)
	}
	if empty.Loss.Len() != 0 || empty.Accuracy.Len() != 0 {
		t.Error("a refused chart changed the loss series")
	}
	if err := CheckChartsFloats(append(slices.Clone(f), 1)); err == nil || !strings.Contains(err.Error(), "1 floats after the chart") {
		t.Errorf("a float after the charts: %v", err)
	}
}
