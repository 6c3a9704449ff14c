package core

// This file is a third driver of capSearch (see capacity.go): SweepJobs hands
// out a sweep's seed runs as independent jobs, for a caller that trains them
// elsewhere (Web Workers, other processes) and reports their outcomes back in
// any order. SeedRun trains one such job a bounded number of steps at a time,
// with the same code as Sweep, so a job trained anywhere gives the outcome
// Sweep would have.

import (
	"fmt"
	"slices"
)

// SeedJob is one seed of one point of a sweep, to be trained by NewSeedRun
// (Config, Budget) and reported back with SweepJobs.Report.
type SeedJob struct {
	ID        int    // unique within its SweepJobs, from 1
	K, N      int    // the point
	SeedIndex int    // index into the spec's seeds
	Config    Config // the shift-by-one task at N and K with this seed; valid
	Budget    int    // the most steps to train
}

// SweepJobs runs the same search as Sweep, but trains nothing itself: Next
// hands out seed jobs and Report takes their outcomes, in any order and from
// any number of trainers at once. The search depends only on the outcomes,
// so its results equal Sweep's for the same spec and ks whatever the order
// of the reports. Like Sweep it searches every k at once, so that trainers
// stay busy while one k waits for its slowest seed, and it drops the other
// seeds of a point as soon as one of them fails. A SweepJobs is not safe for
// concurrent use.
type SweepJobs struct {
	c        *capSpec
	ks       []int
	searches []*capSearch
	queue    []SeedJob        // jobs not handed out yet, in order
	out      map[int]*jobSeat // jobs handed out and not yet reported, by ID
	points   map[int]*jobPoint
	lastID   int
	nPoints  int
	steps    int64
}

// jobPoint is a point being evaluated: one per search at most.
type jobPoint struct {
	search  int // index into searches
	out     PointOutcome
	pending int // seeds not reported yet
}

type jobSeat struct {
	job SeedJob
	pt  *jobPoint
}

// NewSweepJobs returns a SweepJobs for spec and ks, validated as by Sweep,
// with the first point of every k queued. It returns an error, and never
// panics, on bad input. spec.Workers and spec.Progress are ignored.
func NewSweepJobs(spec CapacitySpec, ks []int) (*SweepJobs, error) {
	c, err := spec.check()
	if err != nil {
		return nil, err
	}
	if err := checkKs(ks); err != nil {
		return nil, err
	}
	s := &SweepJobs{c: c, ks: slices.Clone(ks), out: map[int]*jobSeat{}, points: map[int]*jobPoint{}}
	for i, k := range ks {
		lo, hi, err := c.bounds(k)
		if err != nil {
			return nil, err
		}
		s.searches = append(s.searches, newCapSearch(k, lo, hi))
		s.queuePoint(i)
	}
	return s, nil
}

// queuePoint queues the seeds of search i's next point, if it has one.
func (s *SweepJobs) queuePoint(i int) {
	se := s.searches[i]
	if se.done() {
		return
	}
	pt := &jobPoint{search: i, out: PointOutcome{K: se.k, N: se.next(), Seeds: make([]SeedOutcome, len(s.c.Seeds))}, pending: len(s.c.Seeds)}
	s.points[i] = pt
	for j, seed := range s.c.Seeds {
		cfg, _ := s.c.config(se.k, pt.out.N, seed) // valid: check and bounds passed
		s.lastID++
		s.queue = append(s.queue, SeedJob{ID: s.lastID, K: se.k, N: pt.out.N, SeedIndex: j, Config: cfg, Budget: s.c.Budget})
	}
}

// Next returns the next job to train and true, or false when no job is
// waiting: the sweep is done, or every remaining job is already out and the
// search needs their outcomes before it can go on.
func (s *SweepJobs) Next() (SeedJob, bool) {
	if len(s.queue) == 0 {
		return SeedJob{}, false
	}
	j := s.queue[0]
	s.queue = s.queue[1:]
	s.out[j.ID] = &jobSeat{job: j, pt: s.points[s.searchOf(j.K)]}
	return j, true
}

func (s *SweepJobs) searchOf(k int) int { return slices.Index(s.ks, k) }

// Report records the outcome of the job id, handed out by Next. It returns
// the IDs of the jobs, handed out earlier, whose outcomes the search no
// longer needs (the other seeds of a point that has just failed): their
// trainers may stop. A Report of a job already reported or dropped is
// ignored. It returns an error for an id that Next never handed out, or an
// outcome of another seed than the job's; the sweep is then unchanged.
func (s *SweepJobs) Report(id int, o SeedOutcome) (obsolete []int, err error) {
	seat, ok := s.out[id]
	if !ok {
		if id >= 1 && id <= s.lastID {
			return nil, nil // a job dropped earlier, or a repeat: ignored
		}
		return nil, fmt.Errorf("capacity: no job %d was handed out", id)
	}
	if want := seat.job.Config.Seed; o.Seed != want {
		return nil, fmt.Errorf("capacity: job %d trains seed %d, not %d", id, want, o.Seed)
	}
	delete(s.out, id)
	s.steps += int64(o.Steps)
	pt := seat.pt
	pt.out.Seeds[seat.job.SeedIndex] = o
	pt.pending--
	if o.Solved && pt.pending > 0 {
		return nil, nil
	}
	// The point is settled: every seed solved, or this one failed.
	s.nPoints++
	pt.out.Solved = o.Solved
	if !o.Solved {
		// As in Sweep: which seeds finished first depends on scheduling.
		pt.out.Seeds = nil
		s.queue = slices.DeleteFunc(s.queue, func(j SeedJob) bool { return j.K == pt.out.K })
		for oid, other := range s.out {
			if other.pt == pt {
				obsolete = append(obsolete, oid)
				delete(s.out, oid)
			}
		}
		slices.Sort(obsolete)
	}
	s.searches[pt.search].record(pt.out)
	delete(s.points, pt.search)
	s.queuePoint(pt.search)
	return obsolete, nil
}

// Done reports whether every k has been searched.
func (s *SweepJobs) Done() bool {
	for _, se := range s.searches {
		if !se.done() {
			return false
		}
	}
	return true
}

// Results returns the answers for the ks whose search has finished, in the
// order of ks; all of them once Done, equal to Sweep's. The caller may modify
// the returned slice.
func (s *SweepJobs) Results() []KCapacity {
	var out []KCapacity
	for _, se := range s.searches {
		if se.done() {
			r := se.result()
			r.Tried = slices.Clone(r.Tried)
			r.Best.Seeds = slices.Clone(r.Best.Seeds)
			out = append(out, r)
		}
	}
	return out
}

// Tried returns the points evaluated so far for k, in evaluation order, or
// nil for a k not in the sweep.
func (s *SweepJobs) Tried(k int) []TriedPoint {
	i := s.searchOf(k)
	if i < 0 {
		return nil
	}
	return slices.Clone(s.searches[i].tried)
}

// JobsState counts a SweepJobs' work.
type JobsState struct {
	Done       bool
	KDone      int          // ks finished, out of KTotal
	KTotal     int          //
	Points     int          // points fully evaluated, over every k
	Steps      int64        // steps of the reported seeds
	Queued     int          // jobs waiting for Next
	Out        int          // jobs handed out and not reported
	Evaluating []SweepPoint // the points being evaluated, one per k still searching, in the order of ks
}

// SweepPoint is a point (k, N) of a sweep.
type SweepPoint struct{ K, N int }

// State returns what the sweep has done and what it waits for.
func (s *SweepJobs) State() JobsState {
	st := JobsState{Done: s.Done(), KTotal: len(s.ks), Points: s.nPoints, Steps: s.steps, Queued: len(s.queue), Out: len(s.out)}
	for i, se := range s.searches {
		if se.done() {
			st.KDone++
		} else if pt := s.points[i]; pt != nil {
			st.Evaluating = append(st.Evaluating, SweepPoint{pt.out.K, pt.out.N})
		}
	}
	return st
}

// SeedRun trains one seed job a bounded number of steps at a time, exactly
// as Sweep trains it: it stops at the step the accuracy first reaches 100%,
// at the budget, or when training diverges. Not safe for concurrent use.
type SeedRun struct{ r *seedRun }

// NewSeedRun returns a run of cfg with at most budget (1..MaxCapacityBudget)
// steps, or the problem with cfg or budget.
func NewSeedRun(cfg Config, budget int) (*SeedRun, error) {
	if budget < 1 || budget > MaxCapacityBudget {
		return nil, fmt.Errorf("capacity: the budget must be from 1 to %d steps, not %d", MaxCapacityBudget, budget)
	}
	r, err := newSeedRun(cfg, budget)
	if err != nil {
		return nil, err
	}
	return &SeedRun{r: r}, nil
}

// Advance trains at most maxSteps steps and returns how many it trained;
// none once Done.
func (r *SeedRun) Advance(maxSteps int) int { return r.r.advance(maxSteps) }

// Done reports whether the run is over: solved, out of budget or diverged.
func (r *SeedRun) Done() bool { return r.r.done }

// Step returns the steps trained so far.
func (r *SeedRun) Step() int { return r.r.t.Metrics().Step }

// Outcome returns the result so far; final once Done.
func (r *SeedRun) Outcome() SeedOutcome { return r.r.outcome() }
