package history

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Charts is a run's loss and accuracy against the step: the two series the
// charts panel draws, recorded by the training engine at every step and
// handed to the page as floats (a protocol State's Chart). It is the one
// place that knows the pair and its float form, loss first.
type Charts struct {
	Loss, Accuracy *Series
	last           int // the step recorded last, -1 for none
}

// MaxChartsFloats is the most floats AppendFloats writes for charts of
// DefaultCapacity points.
const MaxChartsFloats = 2 * MaxSeriesFloats

// NewCharts returns empty charts of DefaultCapacity points each.
func NewCharts() *Charts {
	return &Charts{Loss: NewSeries(DefaultCapacity), Accuracy: NewSeries(DefaultCapacity), last: -1}
}

// Reset empties both series.
func (c *Charts) Reset() {
	c.Loss.Reset()
	c.Accuracy.Reset()
	c.last = -1
}

// Record adds m's loss and accuracy at m's step. A step at or before the
// last recorded one is not recorded again (a weight edited by hand changes
// the metrics, not the step). The first solved step stays marked: core's
// SolvedAt never changes once set, and charts continued after an import
// keep the step at which the run was first solved, which the imported
// trainer does not know.
func (c *Charts) Record(m core.Metrics) {
	if m.Step <= c.last {
		return
	}
	c.last = m.Step
	c.Loss.Add(m.Step, m.Loss)
	c.Accuracy.Add(m.Step, m.Accuracy)
	if _, marked := c.Loss.Solved(); !marked && m.SolvedAt >= 0 {
		c.Loss.MarkSolved(m.SolvedAt)
		c.Accuracy.MarkSolved(m.SolvedAt)
	}
}

// Last returns the step recorded last; ok is false when none is.
func (c *Charts) Last() (step int, ok bool) { return c.last, c.last >= 0 }

// AppendFloats appends the loss and then the accuracy, each as
// Series.AppendFloats writes it, to dst and returns it.
func (c *Charts) AppendFloats(dst []float64) []float64 {
	return c.Accuracy.AppendFloats(c.Loss.AppendFloats(dst))
}

// CheckChartsFloats returns why f is not charts as AppendFloats writes
// them, for DefaultCapacity points a series, or nil. It never panics and
// allocates nothing but its error.
func CheckChartsFloats(f []float64) error {
	if len(f) > MaxChartsFloats {
		return fmt.Errorf("a chart of %d floats, over the limit of %d", len(f), MaxChartsFloats)
	}
	for _, name := range []string{"loss", "accuracy"} {
		size, err := CheckSeriesFloats(f, DefaultCapacity)
		if err != nil {
			return fmt.Errorf("the %s chart: %v", name, err)
		}
		f = f[size:]
	}
	if len(f) > 0 {
		return fmt.Errorf("%d floats after the chart", len(f))
	}
	return nil
}

// SetFloats makes c the charts in f, as AppendFloats wrote them, or says
// why it cannot (CheckChartsFloats) and leaves c unchanged: both series
// or neither.
func (c *Charts) SetFloats(f []float64) error {
	if err := CheckChartsFloats(f); err != nil {
		return err
	}
	rest, _ := c.Loss.SetFloats(f)
	c.Accuracy.SetFloats(rest)
	c.last = -1
	if _, _, _, last, ok := c.Loss.Range(); ok {
		c.last = last
	}
	return nil
}
