package core

// This file is a third driver of capSearch (see capacity.go): SweepJobs hands
// out a sweep's seed runs as independent jobs, for a caller that trains them
// elsewhere (Web Workers, other processes) and reports their outcomes back in
// any order, and Speculate hands out jobs to train ahead for trainers that
// would otherwise wait. SeedRun trains one such job a bounded number of
// steps at a time, with the same code as Sweep, so a job trained anywhere
// gives the outcome Sweep would have.

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
//
// A trainer that Next leaves idle may take a job from Speculate instead: a
// seed of the point a k's search will evaluate next if its current point
// solves. A seed's outcome depends only on its job (k, N, seed, budget), so
// an outcome trained ahead is the one the search would get: when the search
// reaches that point it takes the outcome, or the running job, as its own,
// and when it goes elsewhere the job is dropped. Either way the results are
// Sweep's; speculation only fills trainers that would otherwise wait.
type SweepJobs struct {
	c        *capSpec
	ks       []int
	searches []*capSearch
	queue    []SeedJob        // jobs not handed out yet, in order
	out      map[int]*jobSeat // jobs handed out and not yet reported, by ID
	points   map[int]*jobPoint
	ahead    map[int]*aheadJob // speculative jobs not yet taken or dropped, by ID
	lastID   int
	nPoints  int
	steps    int64
}

// aheadJob is a job handed out by Speculate, and its outcome once reported.
type aheadJob struct {
	job      SeedJob
	reported bool
	out      SeedOutcome
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
	s := &SweepJobs{c: c, ks: slices.Clone(ks), out: map[int]*jobSeat{}, points: map[int]*jobPoint{}, ahead: map[int]*aheadJob{}}
	for i, k := range ks {
		lo, hi, err := c.bounds(k)
		if err != nil {
			return nil, err
		}
		s.searches = append(s.searches, newCapSearch(k, lo, hi))
		s.queuePoint(i) // nothing speculated yet: nothing obsolete
	}
	return s, nil
}

// queuePoint queues the seeds of search i's next point, if it has one, and
// returns the IDs of the speculative jobs of its k that are no longer needed.
// A speculative job of the new point's seed is taken instead of queuing the
// seed again: still training, it becomes a job handed out; reported, its
// outcome is recorded now (which may settle the point and queue the next).
func (s *SweepJobs) queuePoint(i int) (obsolete []int) {
	se := s.searches[i]
	var pt *jobPoint
	if !se.done() {
		pt = &jobPoint{search: i, out: PointOutcome{K: se.k, N: se.next(), Seeds: make([]SeedOutcome, len(s.c.Seeds))}, pending: len(s.c.Seeds)}
		s.points[i] = pt
	}
	taken := map[int]*aheadJob{} // by seed index
	for id, a := range s.ahead {
		if a.job.K != se.k {
			continue
		}
		delete(s.ahead, id)
		switch {
		case pt != nil && a.job.N == pt.out.N:
			taken[a.job.SeedIndex] = a
		case !a.reported:
			obsolete = append(obsolete, id)
		}
	}
	slices.Sort(obsolete)
	if pt == nil {
		return obsolete
	}
	var reported []*jobSeat
	for j, seed := range s.c.Seeds {
		if a := taken[j]; a != nil {
			seat := &jobSeat{job: a.job, pt: pt}
			if a.reported {
				reported = append(reported, seat)
			} else {
				s.out[a.job.ID] = seat
			}
			continue
		}
		cfg, _ := s.c.config(se.k, pt.out.N, seed) // valid: check and bounds passed
		s.lastID++
		s.queue = append(s.queue, SeedJob{ID: s.lastID, K: se.k, N: pt.out.N, SeedIndex: j, Config: cfg, Budget: s.c.Budget})
	}
	for _, seat := range reported {
		if s.points[i] != pt {
			break // settled by a failed seed: the rest is not needed
		}
		obsolete = append(obsolete, s.record(seat, taken[seat.job.SeedIndex].out)...)
	}
	return obsolete
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

// Report records the outcome of the job id, handed out by Next or
// Speculate. It returns the IDs of the jobs, handed out earlier, whose
// outcomes the search no longer needs (the other seeds of a point that has
// just failed, speculative jobs of a point the search will not evaluate):
// their trainers may stop. A Report of a job already reported or dropped is
// ignored. It returns an error for an id that was never handed out, or an
// outcome of another seed than the job's; the sweep is then unchanged.
func (s *SweepJobs) Report(id int, o SeedOutcome) (obsolete []int, err error) {
	if a, ok := s.ahead[id]; ok {
		if want := a.job.Config.Seed; o.Seed != want {
			return nil, fmt.Errorf("capacity: job %d trains seed %d, not %d", id, want, o.Seed)
		}
		if !a.reported {
			a.reported, a.out = true, o
			s.steps += int64(o.Steps)
		}
		return nil, nil // kept until the search reaches its point or goes elsewhere
	}
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
	return s.record(seat, o), nil
}

// record takes o as the outcome of seat's job, settles its point when o
// fails or is the point's last seed, and returns the jobs no longer needed.
func (s *SweepJobs) record(seat *jobSeat, o SeedOutcome) (obsolete []int) {
	pt := seat.pt
	pt.out.Seeds[seat.job.SeedIndex] = o
	pt.pending--
	if o.Solved && pt.pending > 0 {
		return nil
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
	return append(obsolete, s.queuePoint(pt.search)...)
}

// Speculate returns a job to train ahead and true, or false when there is
// none: a seed, not yet handed out, of the point that a k's search evaluates
// next if every seed of its current point solves. Only a k whose current
// point has all its seeds handed out is speculated on, and only one point
// ahead; of those ks, the one whose guessed point costs most per step
// (N²·k), as the likeliest to hold up the sweep's end. Call it only for a
// trainer that Next leaves idle: the job may turn out not to be needed.
func (s *SweepJobs) Speculate() (SeedJob, bool) {
	best, bestCost, bestN := -1, 0, 0
	for i, se := range s.searches {
		pt := s.points[i]
		if pt == nil || slices.ContainsFunc(s.queue, func(j SeedJob) bool { return j.K == se.k }) {
			continue
		}
		guess := capSearch{k: se.k, lo: se.lo, hi: se.hi, good: pt.out.N, bad: se.bad} // as if the point solved
		if guess.done() {
			continue
		}
		n := guess.next()
		if len(s.aheadOf(se.k)) == len(s.c.Seeds) {
			continue
		}
		if cost := n * n * se.k; best < 0 || cost > bestCost {
			best, bestCost, bestN = i, cost, n
		}
	}
	if best < 0 {
		return SeedJob{}, false
	}
	k := s.searches[best].k
	have := s.aheadOf(k)
	for j, seed := range s.c.Seeds {
		if have[j] {
			continue
		}
		cfg, _ := s.c.config(k, bestN, seed) // valid: within the search's bounds
		s.lastID++
		job := SeedJob{ID: s.lastID, K: k, N: bestN, SeedIndex: j, Config: cfg, Budget: s.c.Budget}
		s.ahead[job.ID] = &aheadJob{job: job}
		return job, true
	}
	return SeedJob{}, false // not reached: the loop above saw a seed free
}

// aheadOf returns the seed indices of k's speculative jobs. They are all of
// one point: the one after k's current point, if it solves.
func (s *SweepJobs) aheadOf(k int) map[int]bool {
	out := map[int]bool{}
	for _, a := range s.ahead {
		if a.job.K == k {
			out[a.job.SeedIndex] = true
		}
	}
	return out
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
	Steps      int64        // steps of the reported seeds, speculative ones included
	Queued     int          // jobs waiting for Next
	Out        int          // jobs handed out and not reported
	Ahead      int          // speculative jobs handed out and not yet taken or dropped
	Evaluating []SweepPoint // the points being evaluated, one per k still searching, in the order of ks
}

// SweepPoint is a point (k, N) of a sweep.
type SweepPoint struct{ K, N int }

// State returns what the sweep has done and what it waits for.
func (s *SweepJobs) State() JobsState {
	st := JobsState{Done: s.Done(), KTotal: len(s.ks), Points: s.nPoints, Steps: s.steps, Queued: len(s.queue), Out: len(s.out), Ahead: len(s.ahead)}
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
