package link

import "math"

// The speed control is a range input from 0 to SpeedMax. Below SpeedMax it
// maps onto steps per second from SlowRate (slow motion: about one step per
// drawn frame, to watch it learn) to FastRate on a logarithmic scale, so the
// speeds for watching get as much of the slider as the fast ones; SpeedMax
// itself is as fast as the engine goes (rate 0).
const (
	SpeedMax     = 100     // the slider's largest value: as fast as it goes
	SlowRate     = 10      // steps per second at the slider's start
	FastRate     = 100_000 // steps per second just below SpeedMax
	DefaultSpeed = 27      // the slider's value at start
)

// DefaultRate is the run's steps per second at start (SpeedRate of
// DefaultSpeed): the default task then visibly converges in a few seconds.
var DefaultRate = SpeedRate(DefaultSpeed)

// SpeedRate returns the steps per second for slider value v (clamped to
// 0..SpeedMax), 0 meaning as fast as it goes.
func SpeedRate(v int) float64 {
	v = min(max(v, 0), SpeedMax)
	if v == SpeedMax {
		return 0
	}
	return math.Round(SlowRate * math.Pow(FastRate/SlowRate, float64(v)/(SpeedMax-1)))
}

// SpeedValue returns the slider value whose SpeedRate is closest to rate
// (0 or more than FastRate: SpeedMax).
func SpeedValue(rate float64) int {
	if rate <= 0 || rate > FastRate {
		return SpeedMax
	}
	rate = max(rate, SlowRate)
	v := int(math.Round(math.Log(rate/SlowRate) / math.Log(FastRate/SlowRate) * (SpeedMax - 1)))
	return min(max(v, 0), SpeedMax-1)
}
