package framestats

import (
	"testing"
	"time"
)

// clock is a made-up time that the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) at(ms float64) time.Time {
	return c.t.Add(time.Duration(ms * float64(time.Millisecond)))
}

// frame runs one frame on s: an Update of upd ms showing steps steps, then
// a Draw of draw ms with calls batches, starting at ms from the clock's
// origin. It returns when the frame ended.
func frame(s *Stats, c *clock, start, upd, draw float64, steps, calls int) {
	s.BeginUpdate(c.at(start))
	s.EndUpdate(c.at(start+upd), steps)
	s.EndDraw(c.at(start+upd), c.at(start+upd+draw), calls)
}

func TestStatsAddsUpFrames(t *testing.T) {
	var s Stats
	if st := s.State(); st != (State{}) {
		t.Fatalf("before any frame: %+v", st)
	}
	c := &clock{t: time.Unix(1000, 0)}
	frame(&s, c, 0, 1, 2, 10, 5)    // 3 ms, drawn at 1
	frame(&s, c, 16, 2, 4, 20, 7)   // 6 ms, drawn at 18: a gap of 17
	frame(&s, c, 100, 0.5, 1, 0, 3) // 1.5 ms, drawn at 100.5: a gap of 82.5
	st := s.State()
	want := State{
		Frames: 3, FrameMs: 1.5, FrameMsMax: 6, FrameMsMedian: 3, FrameMsMean: 3.5,
		UpdateMs: 0.5, DrawMs: 1, UpdateMsMean: 3.5 / 3, DrawMsMean: 7.0 / 3,
		StepsPerFrame: 0, StepsMean: 10, FrameGapMsMax: 82.5, DrawCalls: 3,
	}
	if st != want {
		t.Fatalf("state\n got %+v\nwant %+v", st, want)
	}
}

// Two Updates before one Draw are one frame, and a reset starts the figures
// afresh at the next frame, keeping the Updates already made for it.
func TestStatsUpdatesAndReset(t *testing.T) {
	var s Stats
	c := &clock{t: time.Unix(0, 0)}
	frame(&s, c, 0, 40, 10, 1, 1) // a slow first frame
	s.ResetAtNextFrame()
	if st := s.State(); st.Frames != 1 || st.FrameMsMax != 50 {
		t.Fatalf("a reset changed the figures before the next frame: %+v", st)
	}
	s.BeginUpdate(c.at(100))
	s.EndUpdate(c.at(101), 2)
	s.BeginUpdate(c.at(102))
	s.EndUpdate(c.at(104), 3)
	s.EndDraw(c.at(104), c.at(105), 9)
	st := s.State()
	if st.Frames != 1 || st.UpdateMs != 3 || st.DrawMs != 1 || st.FrameMs != 4 || st.FrameMsMax != 4 ||
		st.StepsPerFrame != 5 || st.FrameGapMsMax != 0 || st.DrawCalls != 9 {
		t.Fatalf("after the reset: %+v", st)
	}
}

// The median is over the latest Recent frames only.
func TestStatsMedianOfRecentFrames(t *testing.T) {
	var s Stats
	c := &clock{t: time.Unix(0, 0)}
	for i := range Recent {
		frame(&s, c, float64(i*20), 0, 10, 0, 0) // 10 ms each
	}
	for i := range Recent/2 + 1 {
		frame(&s, c, float64((Recent+i)*20), 0, 2, 0, 0) // then more than half at 2 ms
	}
	if st := s.State(); st.FrameMsMedian != 2 || st.FrameMsMax != 10 {
		t.Fatalf("median %v max %v, want 2 and 10", st.FrameMsMedian, st.FrameMsMax)
	}
}

func TestMedian(t *testing.T) {
	ms := time.Millisecond
	in := []time.Duration{5 * ms, 1 * ms, 3 * ms, 2 * ms}
	for _, c := range []struct {
		ds   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{in[:1], 5 * ms},
		{in[:3], 3 * ms},
		{in, 2500 * time.Microsecond},
	} {
		if got := Median(c.ds); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.ds, got, c.want)
		}
	}
	if in[0] != 5*ms || in[1] != 1*ms {
		t.Errorf("Median sorted its input: %v", in)
	}
}
