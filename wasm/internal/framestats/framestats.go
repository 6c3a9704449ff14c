// Package framestats measures a canvas's frames inside Go: the CPU time of
// the Updates since the last Draw plus that Draw, their means, maximum and
// median since a reset, the largest gap between two Draws and the training
// steps shown per frame. The playground's test hook and its debug=1 overlay
// show the figures; the benchmarks read them.
//
// It takes the time from its caller (time.Now in the page), so that its
// arithmetic is tested natively with made-up clocks. A Stats belongs to one
// game loop and is not safe for concurrent use.
package framestats

import (
	"slices"
	"time"
)

// Recent is how many of the latest frames the median is taken over.
const Recent = 512

// Stats are the figures of the frames since the last reset. The zero value
// is ready to use.
type Stats struct {
	updateStart time.Time
	pendingUpd  time.Duration // Updates since the last Draw
	pendingStep int           // steps the engine trained since the last Draw, as shown
	lastDrawAt  time.Time
	resetQueued bool

	frames    int
	recent    [Recent]time.Duration // the latest frames' times, a ring: frames%Recent is next
	sum, max  time.Duration
	sumUpd    time.Duration
	sumDraw   time.Duration
	maxGap    time.Duration
	lastUpd   time.Duration
	lastDraw  time.Duration
	lastFrame time.Duration
	lastSteps int
	sumSteps  int
	drawCalls int // DrawTriangles batches in the last Draw
}

// State is what a Stats reports, in the test hook's JSON. Times are
// milliseconds, to the microsecond.
type State struct {
	Frames      int     `json:"frames"`
	FrameMs     float64 `json:"frameMs"`     // last frame: Updates + Draw
	FrameMsMean float64 `json:"frameMsMean"` // since the last reset
	FrameMsMax  float64 `json:"frameMsMax"`
	// FrameMsMedian is the median of the latest frames (at most Recent)
	// since the last reset. On a shared machine the mean also counts the
	// time the browser's thread waited for a core in the middle of a
	// frame; the median mostly does not.
	FrameMsMedian float64 `json:"frameMsMedian"`
	UpdateMs      float64 `json:"updateMs"` // last frame's Updates
	DrawMs        float64 `json:"drawMs"`   // last Draw
	UpdateMsMean  float64 `json:"updateMsMean"`
	DrawMsMean    float64 `json:"drawMsMean"`
	StepsPerFrame int     `json:"stepsPerFrame"`
	StepsMean     float64 `json:"stepsPerFrameMean"`
	FrameGapMsMax float64 `json:"frameGapMsMax"` // largest time between the starts of two Draws
	DrawCalls     int     `json:"drawCalls"`
}

// BeginUpdate starts timing an Update at now.
func (s *Stats) BeginUpdate(now time.Time) { s.updateStart = now }

// EndUpdate closes, at now, the Update that BeginUpdate started, which
// showed steps more training steps.
func (s *Stats) EndUpdate(now time.Time, steps int) {
	s.pendingUpd += now.Sub(s.updateStart)
	s.pendingStep += steps
}

// ResetAtNextFrame starts the figures afresh at the next EndDraw (for
// benchmarks, after a warm-up). The Updates already begun count towards
// that next frame.
func (s *Stats) ResetAtNextFrame() { s.resetQueued = true }

// EndDraw closes a frame: the Updates since the last Draw, then a Draw that
// started at start, ended at now and made drawCalls batches.
func (s *Stats) EndDraw(start, now time.Time, drawCalls int) {
	if s.resetQueued {
		*s = Stats{pendingUpd: s.pendingUpd, pendingStep: s.pendingStep}
	}
	s.lastUpd, s.lastDraw = s.pendingUpd, now.Sub(start)
	s.lastFrame = s.lastUpd + s.lastDraw
	s.lastSteps = s.pendingStep
	s.pendingUpd, s.pendingStep = 0, 0
	s.drawCalls = drawCalls
	s.recent[s.frames%Recent] = s.lastFrame
	s.frames++
	s.sum += s.lastFrame
	s.sumUpd += s.lastUpd
	s.sumDraw += s.lastDraw
	s.sumSteps += s.lastSteps
	s.max = max(s.max, s.lastFrame)
	if !s.lastDrawAt.IsZero() {
		s.maxGap = max(s.maxGap, start.Sub(s.lastDrawAt))
	}
	s.lastDrawAt = start
}

// State returns the figures. The means and the median are 0 before the
// first frame.
func (s *Stats) State() State {
	st := State{
		Frames: s.frames, FrameMs: ms(s.lastFrame), FrameMsMax: ms(s.max),
		UpdateMs: ms(s.lastUpd), DrawMs: ms(s.lastDraw), StepsPerFrame: s.lastSteps,
		FrameGapMsMax: ms(s.maxGap), DrawCalls: s.drawCalls,
	}
	if s.frames > 0 {
		st.FrameMsMedian = ms(Median(s.recent[:min(s.frames, Recent)]))
		st.FrameMsMean = ms(s.sum) / float64(s.frames)
		st.UpdateMsMean = ms(s.sumUpd) / float64(s.frames)
		st.DrawMsMean = ms(s.sumDraw) / float64(s.frames)
		st.StepsMean = float64(s.sumSteps) / float64(s.frames)
	}
	return st
}

// Median returns the median of ds (the mean of the middle two for an even
// count), 0 for none. ds is not modified.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// ms is d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
