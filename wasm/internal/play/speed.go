package play

import "math"

// The speed control is a range input from 0 to SpeedMax mapped onto steps per
// frame from 1 to MaxSteps on a logarithmic scale: the interesting speeds for
// watching (1 to 10 steps a frame) get as much of the slider as the fast ones.
const (
	SpeedMax     = 100 // the slider's largest value
	MaxSteps     = 500 // steps per frame at the slider's end
	DefaultSpeed = 3   // steps per frame at start
)

// SpeedSteps returns the steps per frame for slider value v (clamped to
// 0..SpeedMax).
func SpeedSteps(v int) int {
	v = min(max(v, 0), SpeedMax)
	return int(math.Round(math.Pow(MaxSteps, float64(v)/SpeedMax)))
}

// SpeedValue returns the slider value whose SpeedSteps is closest to steps.
func SpeedValue(steps int) int {
	steps = min(max(steps, 1), MaxSteps)
	v := int(math.Round(math.Log(float64(steps)) / math.Log(MaxSteps) * SpeedMax))
	return min(max(v, 0), SpeedMax)
}
