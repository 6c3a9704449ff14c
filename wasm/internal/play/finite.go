package play

import "math"

// Finite returns a pointer to x, or nil when x is NaN or infinite: JSON has
// no such numbers, and one of them would make json.Marshal fail for the
// whole state the page's hook reports.
func Finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
