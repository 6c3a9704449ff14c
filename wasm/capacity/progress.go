package capacity

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Progress is what the explorer's progress bar and status line say of a
// sweep: its pool's state and how long it has run.
type Progress struct {
	Jobs    *core.SweepJobs
	MaxN    int           // the sweep's search bound
	Steps   int64         // every step trained so far (Pool.Steps)
	Busy    int           // workers training a job (Pool.Busy)
	Workers int           // the pool's size
	Running bool          // the sweep goes on
	Stopped bool          // the user stopped it, or an engine died
	Elapsed time.Duration // since Start, up to now or the sweep's end
}

// Fraction returns the share of the sweep done, from 0 to 1: the ks
// finished, and for each k being searched its points tried against the
// about 2·log2(MaxN) a search evaluates (at most 0.95 of a k until it ends).
func (p Progress) Fraction() float64 {
	st := p.Jobs.State()
	if st.Done {
		return 1
	}
	expect := 2 * max(1, bits.Len(uint(max(1, p.MaxN)))-1)
	done := float64(st.KDone)
	for _, pt := range st.Evaluating {
		done += min(0.95, float64(len(p.Jobs.Tried(pt.K)))/float64(expect))
	}
	return done / float64(max(1, st.KTotal))
}

// Text returns the status line. While the sweep runs its time is in whole
// seconds, so that the line changes once a second rather than every frame
// (each change has the browser paint and composite the page); once ended,
// a time under 10 s is given to 10 ms.
func (p Progress) Text() string {
	st := p.Jobs.State()
	el := p.Elapsed.Truncate(time.Second)
	if !p.Running && p.Elapsed < 10*time.Second {
		el = p.Elapsed.Round(10 * time.Millisecond)
	}
	switch {
	case st.Done:
		return fmt.Sprintf("Done: %s, %s tried, %d training steps in %s.", Count(st.KTotal, "k value", "k values"), Count(st.Points, "point", "points"),
			p.Steps, el)
	case p.Stopped:
		return fmt.Sprintf("Stopped after %s and %s; the table holds the k values finished. Start begins again.", Count(st.Points, "point", "points"), el)
	}
	var pts []string
	for _, pt := range st.Evaluating {
		pts = append(pts, fmt.Sprintf("k=%d N=%d", pt.K, pt.N))
	}
	return fmt.Sprintf("%s (%d of %s done) · %d of %s busy · %s tried · %s",
		strings.Join(pts, ", "), st.KDone, Count(st.KTotal, "k value", "k values"), p.Busy, Count(p.Workers, "worker", "workers"),
		Count(st.Points, "point", "points"), el)
}

// Count writes n with the noun that goes with it: "1 worker", "2 workers",
// "0 points".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
