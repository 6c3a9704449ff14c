package explain

import (
	"math"
	"strconv"
)

// MinLogValue is the floor LogTicks puts under non-positive values: a loss
// that underflowed to 0 has no place on a log axis.
const MinLogValue = 1e-12

// LogTicks returns the powers of ten of a log axis covering [lo, hi], from the
// power at or below lo to the power at or above hi, stepping several decades
// at a time (on multiples of the stride) when there would be more than 11. lo is raised to
// MinLogValue when smaller; when lo == hi it returns the decade around the
// value. It returns nil when hi is not positive or either bound is not finite.
func LogTicks(lo, hi float64) []float64 {
	if !(hi > 0) || math.IsInf(hi, 0) || math.IsNaN(lo) {
		return nil
	}
	lo = max(lo, MinLogValue)
	if lo > hi {
		lo, hi = hi, lo
	}
	a := int(math.Floor(math.Log10(lo) + 1e-9))
	b := int(math.Ceil(math.Log10(hi) - 1e-9))
	if b <= a {
		b = a + 1
	}
	step := (b - a + 9) / 10        // about 10 ticks at most
	a -= ((a % step) + step) % step // align to multiples of step: 1e-6, 1e-3, 1...
	var ts []float64
	for e := a; ; e += step {
		ts = append(ts, math.Pow(10, float64(e)))
		if e >= b {
			break
		}
	}
	return ts
}

// LogTickLabel formats a power of ten from LogTicks: "1", "10", "100", "0.1",
// "0.01", and "1e-3", "1e4" beyond, which fit a narrow axis.
func LogTickLabel(v float64) string {
	e := int(math.Round(math.Log10(v)))
	switch {
	case e >= 0 && e <= 2:
		return strconv.Itoa(int(math.Round(v)))
	case e == -1:
		return "0.1"
	case e == -2:
		return "0.01"
	}
	return "1e" + strconv.Itoa(e)
}

// StepTicks returns at most maxTicks (at least 2) evenly spaced "nice" steps
// (multiples of 1, 2 or 5 times a power of ten) within [lo, hi]. It returns nil
// when hi < lo.
func StepTicks(lo, hi, maxTicks int) []int {
	if hi < lo {
		return nil
	}
	maxTicks = max(2, maxTicks)
	span := max(hi-lo, 1)
	step := 1
	for ; ; step *= 10 {
		if n := span/step + 1; n <= maxTicks {
			break
		}
		if n := span/(2*step) + 1; n <= maxTicks {
			step *= 2
			break
		}
		if n := span/(5*step) + 1; n <= maxTicks {
			step *= 5
			break
		}
	}
	first := (lo + step - 1) / step * step
	if lo < 0 {
		first = lo / step * step
	}
	var ts []int
	for v := first; v <= hi; v += step {
		ts = append(ts, v)
	}
	return ts
}

// StepLabel formats a step count for an axis to three significant digits:
// "950", "12k", "1.5k", "2.5M".
func StepLabel(step int) string {
	a := step
	if a < 0 {
		a = -a
	}
	switch {
	case a < 1000:
		return strconv.Itoa(step)
	case a < 1_000_000:
		return strconv.FormatFloat(float64(step)/1e3, 'g', 3, 64) + "k"
	default:
		return strconv.FormatFloat(float64(step)/1e6, 'g', 3, 64) + "M"
	}
}
