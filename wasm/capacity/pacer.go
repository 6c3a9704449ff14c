package capacity

import "time"

// FrameGap is the least time between two frames that the workers' messages
// ask for (Pacer.Min in the explorer): at most four a second.
//
// Why: a sweep of about 100 seed jobs asked for a frame at every finished
// job, about 11 frames a second with two workers. Each frame rewrites the
// progress bar and status line, so the page is painted and composited again,
// and where WebGL runs in software (SwiftShader) Chromium's GPU process spent
// about 2 s of CPU on it per sweep of 8 s, a quarter of a core taken from
// the two workers on a 2-core machine.
const FrameGap = 250 * time.Millisecond

// Pacer spaces out the frames that events ask for: a frame asked for at
// least Min after the last one runs at once, and one asked for sooner runs
// Min after the last, with every other ask until then folded into it. It
// keeps no clock and starts no timer: the caller passes the time and arms
// the timer that Ask returns. The zero Pacer with Min set is ready; it is
// not safe for concurrent use.
type Pacer struct {
	Min     time.Duration // the least time between frames
	last    time.Time     // when the last frame ran; zero before the first
	pending bool          // a frame is scheduled and has not run yet
}

// Ask asks for a frame at now. It returns schedule false when a frame is
// scheduled already (it will show what changed); otherwise schedule true and
// the delay after which to run the frame, 0 for now.
func (p *Pacer) Ask(now time.Time) (delay time.Duration, schedule bool) {
	if p.pending {
		return 0, false
	}
	p.pending = true
	if p.last.IsZero() {
		return 0, true
	}
	if since := now.Sub(p.last); since < p.Min {
		return p.Min - since, true
	}
	return 0, true
}

// Ran records that a frame ran at now, whoever asked for it. That frame
// shows what a pending ask was for, so the caller stops the timer it armed
// for that ask: a frame of another cause (a click, a clock tick) can run
// before it, and the timer would then add a frame less than Min after this
// one.
func (p *Pacer) Ran(now time.Time) {
	p.last, p.pending = now, false
}
