package engine

import "time"

// Slicer runs a steppable job (a core.Trainer, a core.SeedRun) within a time
// budget per slice. A step's cost varies a thousandfold over a sweep (O(N²k): N=2 takes
// microseconds, N=1024 tens of milliseconds), so the number of steps per call
// is not fixed: the Slicer measures the time per step and asks for chunks
// that fill half of the time left, so that a wrong guess (a new, larger
// point) overshoots by at most about the time left. The zero value is not
// ready: set Budget.
type Slicer struct {
	Budget time.Duration // training time per slice

	perStep float64 // smoothed seconds per step; 0 until measured
	// Figures of the last Run, for the page and the tests.
	LastSteps   int
	LastCalls   int
	LastElapsed time.Duration
}

// minTick is the smallest duration a measurement is trusted for: browsers
// round performance.now() to 0.1 ms (5 µs when cross-origin isolated), so a
// shorter chunk measures as zero; counting it as minTick overestimates the
// cost of a step, which keeps the next chunk small but still lets it grow.
const minTick = 50 * time.Microsecond

// maxChunk bounds one call's request, for a job of near-free steps.
const maxChunk = 1 << 20

// The overshoot bound assumes the cost per step changes by a few times at
// most between calls: a core.Sweeper moves from N to at most 2N (a step costs
// O(N²k), so 4x), and a 100x jump would overshoot one frame by ~50 budgets.

// PerStep returns the current estimate of the time per step, 0 before the
// first measurement.
func (s *Slicer) PerStep() time.Duration {
	return time.Duration(s.perStep * float64(time.Second))
}

// Run calls step until the frame's budget is used up or the job is done, and
// returns the steps trained and whether the job is done. step(n) trains at
// most n (≥ 1) steps and returns how many it trained and whether the job is
// done; now is the clock. Run trains at least one step per call while the
// job is not done, so a job whose single step outlasts the budget still
// advances by a step per frame.
func (s *Slicer) Run(now func() time.Time, step func(maxSteps int) (trained int, done bool)) (trained int, done bool) {
	start := now()
	s.LastCalls = 0
	defer func() {
		s.LastSteps = trained
		s.LastElapsed = now().Sub(start)
	}()
	for {
		left := s.Budget - now().Sub(start)
		if trained > 0 && (left <= 0 || s.perStep*float64(time.Second) > float64(left)) {
			return trained, false // the next step would not fit
		}
		n := s.chunk(left)
		t0 := now()
		got, d := step(n)
		dt := now().Sub(t0)
		s.LastCalls++
		trained += got
		if d {
			return trained, true
		}
		if got == 0 {
			return trained, false // nothing trained and not done: do not spin
		}
		s.observe(got, dt)
	}
}

// chunk returns how many steps to ask for with left of the budget remaining.
func (s *Slicer) chunk(left time.Duration) int {
	if s.perStep <= 0 || left <= 0 {
		return 1 // unknown cost: probe with one step
	}
	n := float64(left) / 2 / (s.perStep * float64(time.Second))
	switch {
	case n < 1:
		return 1
	case n > maxChunk:
		return maxChunk
	}
	return int(n)
}

// observe folds a measurement of got steps in dt into the estimate. A rise is
// taken at once (a new, larger point must not overshoot the next frames);
// a fall is averaged (one quick chunk says little).
func (s *Slicer) observe(got int, dt time.Duration) {
	x := max(dt, minTick).Seconds() / float64(got)
	if s.perStep == 0 || x > s.perStep {
		s.perStep = x
		return
	}
	s.perStep = 0.5*s.perStep + 0.5*x
}

// Reset forgets the measurements, for a new job.
func (s *Slicer) Reset() {
	s.perStep, s.LastSteps, s.LastCalls, s.LastElapsed = 0, 0, 0, 0
}
