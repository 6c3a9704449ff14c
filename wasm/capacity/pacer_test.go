package capacity

import (
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	p := Pacer{Min: 250 * time.Millisecond}
	type ask struct {
		ms       int
		delay    time.Duration
		schedule bool
	}
	check := func(a ask) {
		t.Helper()
		d, s := p.Ask(at(a.ms))
		if d != a.delay || s != a.schedule {
			t.Errorf("Ask at %d ms = (%v, %v), want (%v, %v)", a.ms, d, s, a.delay, a.schedule)
		}
	}
	// The first ask runs a frame at once; asks before it runs fold into it.
	check(ask{0, 0, true})
	check(ask{5, 0, false})
	p.Ran(at(10))
	// Soon after a frame: one frame, Min after the last, and the rest fold.
	check(ask{100, 160 * time.Millisecond, true})
	check(ask{200, 0, false})
	check(ask{259, 0, false})
	p.Ran(at(260))
	// Long after the last frame: at once.
	check(ask{900, 0, true})
	p.Ran(at(900))
	// A frame run for another reason (a tick, a click) counts as the last.
	p.Ran(at(1000))
	check(ask{1100, 150 * time.Millisecond, true})
	p.Ran(at(1250))
	check(ask{1500, 0, true})
}

// TestPacerAtMostOneFramePerGap feeds asks every millisecond, runs each
// frame when its delay is over, and checks the gap between frames.
func TestPacerAtMostOneFramePerGap(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	p := Pacer{Min: FrameGap}
	var due time.Time // when the scheduled frame runs; zero when none
	var frames []time.Time
	for ms := 0; ms < 3000; ms++ {
		now := t0.Add(time.Duration(ms) * time.Millisecond)
		if !due.IsZero() && !now.Before(due) {
			p.Ran(now)
			frames = append(frames, now)
			due = time.Time{}
		}
		if d, ok := p.Ask(now); ok {
			if !due.IsZero() {
				t.Fatalf("at %d ms a second frame was scheduled while one was due", ms)
			}
			due = now.Add(d)
		}
	}
	if len(frames) != 12 {
		t.Errorf("%d frames in 3 s of asks every millisecond, want 12 (one per %v)", len(frames), FrameGap)
	}
	for i := 1; i < len(frames); i++ {
		if gap := frames[i].Sub(frames[i-1]); gap < FrameGap {
			t.Errorf("frames %d and %d %v apart, less than %v", i-1, i, gap, FrameGap)
		}
	}
}
