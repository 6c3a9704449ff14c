package core

// This file measures capacity: for a hidden layer of k units, the largest N
// at which the shift-by-one task (the post's "input n fires output n+1", no
// wrap-around) is learnt from every seed of a list within a step budget. It is
// the experiment behind the post's claims that k=2 handles N≈11, k=3 ≈30 and
// k=4 more than 100.
//
// Three drivers share one search (capSearch), so they give identical answers:
//   - Sweep and CheckPoint block and train seeds in parallel goroutines;
//   - Sweeper trains on the caller's goroutine, a bounded number of steps per
//     call, so a browser can run a sweep a slice per frame without threads;
//   - SweepJobs (sweepjobs.go) trains nothing: it hands out seed jobs that
//     the caller trains elsewhere (the browser's engine workers) and takes
//     their outcomes in any order.
//
// Whether a point (k, N) solves depends only on the base config, the budget
// and the seeds, never on scheduling: every seed is trained deterministically
// and alone.

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Limits of a capacity measurement.
const (
	// MaxCapacityBudget bounds the steps per seed. At 1024-16-1024 a step
	// takes tens of milliseconds, so larger budgets would run for days.
	MaxCapacityBudget = 10_000_000
	// MaxCapacitySeeds bounds the seed list: a point's result holds one entry
	// per seed, and more seeds than this add run time, not confidence.
	MaxCapacitySeeds = 256
	// CapacityLR is the learning rate capacity sweeps default to. Adam at
	// 0.05 maps the largest N for every k measured (k=2: 76 at 0.05, 72 at
	// 0.1, 28 at 0.2, with a 20,000-step budget and seeds 1..3), while the
	// playground's livelier DefaultLR of 0.2 solves small tasks sooner.
	CapacityLR = 0.05
)

// CapacitySpec describes a capacity measurement: which network to train, for
// how long, from which seeds. Its zero value is not usable: Budget and Seeds
// must be set.
type CapacitySpec struct {
	// Base gives the activation, output, biases, optimizer and its parameters.
	// Its N, K, Seed and task fields are ignored: every point trains the
	// shift-by-one task without wrap-around (N-1 pairs) at the point's N and K,
	// once per seed of Seeds.
	Base Config
	// Budget is the most steps each seed trains, 1..MaxCapacityBudget. A seed
	// solves when its accuracy reaches 100% at some step <= Budget.
	Budget int
	// Seeds are the initial-weight seeds, 1..MaxCapacitySeeds distinct values
	// each at most MaxSeed. A point solves only when every seed solves.
	Seeds []uint64
	// MinN and MaxN bound Sweep's search for each k: MinN <= MinN' <= MaxN' <=
	// MaxN (the package limits). Zero means the package limit. For k = 0 the
	// upper bound is further capped at MaxNDirect. CheckPoint ignores them.
	MinN, MaxN int
	// Workers is how many seeds train at once in Sweep and CheckPoint; 0 means
	// runtime.GOMAXPROCS(0). It changes the run time, never the results.
	// Sweeper ignores it (it trains one seed at a time).
	Workers int
	// Progress, if not nil, is called after each seed finishes training, with
	// that seed's outcome. Calls are never concurrent (Sweep and CheckPoint
	// make them from their own goroutine, Sweeper from Step's caller), but
	// under Sweep their order depends on scheduling. Seeds that Sweep stops
	// early because another seed of their point already failed are not
	// reported.
	Progress func(CapacityProgress)
}

// CapacityProgress reports one finished seed.
type CapacityProgress struct {
	K, N    int         // the point
	Outcome SeedOutcome // the seed's result
	Points  int         // points fully evaluated so far, over every k
}

// SeedOutcome is the result of training one seed at one point.
type SeedOutcome struct {
	Seed   uint64
	Solved bool // accuracy reached 100% within the budget
	// Steps is the step at which the seed solved (Metrics.SolvedAt; training
	// stops there) or, when it did not solve, how many steps it trained: the
	// budget, or fewer if training diverged.
	Steps    int
	Correct  int     // pairs right at the final step
	Pairs    int     // pairs in the task: N-1
	Accuracy float64 // Correct / Pairs at the final step
	// MaxAbsWeight is the largest |parameter| (biases included) at the final
	// step: the post's "+26 and -26" scale. It is NaN or Inf after divergence.
	MaxAbsWeight float64
	Diverged     string // why training diverged, or ""
}

// PointOutcome is the result of one point (k, N) over the seeds.
type PointOutcome struct {
	K, N int
	// Solved reports whether every seed solved.
	Solved bool
	// Seeds holds one outcome per seed, in the order of CapacitySpec.Seeds.
	// CheckPoint always fills every entry. Sweep only returns solved points,
	// which are complete too.
	Seeds []SeedOutcome
}

// MedianSteps returns the median of Seeds[i].Steps (the mean of the two middle
// values for an even count), or 0 when there are no seeds. It is meaningful
// when Solved; otherwise unsolved seeds count with the steps they trained.
func (p PointOutcome) MedianSteps() float64 {
	if len(p.Seeds) == 0 {
		return 0
	}
	s := make([]int, len(p.Seeds))
	for i, o := range p.Seeds {
		s[i] = o.Steps
	}
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}

// MaxAbsWeight returns the largest final |weight| over the seeds, or 0 when
// there are no seeds.
func (p PointOutcome) MaxAbsWeight() float64 {
	m := 0.0
	for _, o := range p.Seeds {
		m = max(m, o.MaxAbsWeight)
	}
	return m
}

// TriedPoint is one point a sweep evaluated.
type TriedPoint struct {
	N      int
	Solved bool
}

// KCapacity is a sweep's answer for one k.
type KCapacity struct {
	K int
	// MaxN is the largest N in the search range found to solve, assuming
	// that a point solves whenever a larger one does; 0 when even the lower
	// bound fails. When MaxN < High, MaxN+1 was evaluated and failed.
	MaxN int
	// Low and High are the search range used for this k.
	Low, High int
	// Best is the point at MaxN with every seed's steps and final largest
	// |weight|; its Seeds is nil when MaxN = 0.
	Best PointOutcome
	// Tried lists the evaluated points in evaluation order; len(Tried) is the
	// number of points evaluated.
	Tried []TriedPoint
	// Solved holds every point found to solve, with each seed's outcome, in
	// evaluation order: the data of the explorer's scaling plot. Its last
	// entry is Best; it is empty when MaxN = 0.
	Solved []PointOutcome
}

// AtBound reports whether MaxN is the top of the search range, so that the
// real capacity may be larger.
func (r KCapacity) AtBound() bool { return r.MaxN == r.High }

// capSpec is a validated CapacitySpec with its defaults filled in.
type capSpec struct {
	CapacitySpec
	workers int
}

func (s *CapacitySpec) check() (*capSpec, error) {
	if s.Budget < 1 || s.Budget > MaxCapacityBudget {
		return nil, fmt.Errorf("capacity: the budget must be from 1 to %d steps, not %d", MaxCapacityBudget, s.Budget)
	}
	if len(s.Seeds) == 0 || len(s.Seeds) > MaxCapacitySeeds {
		return nil, fmt.Errorf("capacity: give 1 to %d seeds, not %d", MaxCapacitySeeds, len(s.Seeds))
	}
	seen := make(map[uint64]bool, len(s.Seeds))
	for _, seed := range s.Seeds {
		if seed > MaxSeed {
			return nil, fmt.Errorf("capacity: seed %d is above the largest seed %d", seed, uint64(MaxSeed))
		}
		if seen[seed] {
			// A repeated seed repeats the same run: it would only cost time.
			return nil, fmt.Errorf("capacity: seed %d appears twice", seed)
		}
		seen[seed] = true
	}
	if s.MinN != 0 && (s.MinN < MinN || s.MinN > MaxN) {
		return nil, fmt.Errorf("capacity: the smallest N must be from %d to %d, not %d", MinN, MaxN, s.MinN)
	}
	if s.MaxN != 0 && (s.MaxN < MinN || s.MaxN > MaxN) {
		return nil, fmt.Errorf("capacity: the largest N must be from %d to %d, not %d", MinN, MaxN, s.MaxN)
	}
	if s.MinN != 0 && s.MaxN != 0 && s.MinN > s.MaxN {
		return nil, fmt.Errorf("capacity: the smallest N %d is above the largest N %d", s.MinN, s.MaxN)
	}
	if s.Workers < 0 {
		return nil, fmt.Errorf("capacity: workers must be 0 (all cores) or more, not %d", s.Workers)
	}
	c := &capSpec{CapacitySpec: *s}
	c.Seeds = slices.Clone(s.Seeds) // the caller may reuse its slice while we run
	c.Base.Custom = nil
	if c.MinN == 0 {
		c.MinN = MinN
	}
	if c.MaxN == 0 {
		c.MaxN = MaxN
	}
	c.workers = c.Workers
	if c.workers == 0 {
		c.workers = runtime.GOMAXPROCS(0)
	}
	// Check the base's optimizer and layer settings once, at the smallest
	// point, so that every later NewTrainer succeeds.
	if _, err := c.config(1, MinN, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// config returns the Config of seed at point (k, n), or its problem.
func (c *capSpec) config(k, n int, seed uint64) (Config, error) {
	return c.PointConfig(k, n, seed)
}

// PointConfig returns the Config that a capacity measurement trains for seed
// at point (k, n): the base with the shift-by-one task without wrap-around,
// or the first problem with it.
func (s *CapacitySpec) PointConfig(k, n int, seed uint64) (Config, error) {
	cfg := s.Base
	cfg.N, cfg.K = n, k
	cfg.Task, cfg.Shift, cfg.Wrap, cfg.Custom = TaskShift, 1, false, nil
	cfg.Seed = seed
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("capacity: %w", err)
	}
	return cfg, nil
}

// bounds returns the search range for k.
func (c *capSpec) bounds(k int) (lo, hi int, err error) {
	lo, hi = c.MinN, c.MaxN
	if k == 0 {
		hi = min(hi, MaxNDirect)
		if lo > hi {
			return 0, 0, fmt.Errorf("capacity: with k=0 N can be at most %d, but the smallest N is %d", MaxNDirect, lo)
		}
	}
	return lo, hi, nil
}

func checkKs(ks []int) error {
	if len(ks) == 0 {
		return errors.New("capacity: give at least one k")
	}
	seen := make(map[int]bool, len(ks))
	for _, k := range ks {
		if k < 0 || k > MaxK {
			return fmt.Errorf("capacity: k must be from 0 to %d, not %d", MaxK, k)
		}
		if seen[k] {
			return fmt.Errorf("capacity: k=%d appears twice", k)
		}
		seen[k] = true
	}
	return nil
}

// seedRun trains one seed at one point, a bounded number of steps at a time.
type seedRun struct {
	t      *Trainer
	budget int
	done   bool
}

func newSeedRun(cfg Config, budget int) (*seedRun, error) {
	t, err := NewTrainer(cfg)
	if err != nil {
		return nil, err
	}
	r := &seedRun{t: t, budget: budget}
	r.finished() // a network can be right at step 0 (e.g. N = 2)
	return r, nil
}

// finished reports, and records, whether training is over: solved, out of
// budget or diverged.
func (r *seedRun) finished() bool {
	m := r.t.Metrics()
	if m.SolvedAt >= 0 || m.Step >= r.budget || r.t.Diverged() != "" {
		r.done = true
	}
	return r.done
}

// advance trains at most maxSteps steps and returns how many it trained.
func (r *seedRun) advance(maxSteps int) int {
	n := 0
	for n < maxSteps && !r.finished() {
		if r.t.Step() != nil {
			break // diverged: finished notices it
		}
		n++
	}
	r.finished()
	return n
}

// outcome returns the result so far (final once done).
func (r *seedRun) outcome() SeedOutcome {
	m := r.t.Metrics()
	cfg := r.t.Config()
	o := SeedOutcome{
		Seed: cfg.Seed, Solved: m.SolvedAt >= 0, Steps: m.Step,
		Correct: m.Correct, Pairs: m.Pairs, Accuracy: m.Accuracy,
		MaxAbsWeight: m.MaxAbsWeight, Diverged: r.t.Diverged(),
	}
	if o.Solved {
		o.Steps = m.SolvedAt
	}
	return o
}

// capSearch finds the largest solving N in [lo, hi] for one k: it doubles N
// from lo until a point fails (or hi is reached), then bisects between the
// last success and the first failure. Doubling first keeps the expensive
// points few: a failing point trains every step of the budget, and a step
// costs O(N²k).
type capSearch struct {
	k, lo, hi int
	good      int // largest N known to solve, lo-1 if none
	bad       int // smallest N known to fail, hi+1 if none
	best      PointOutcome
	tried     []TriedPoint
	solved    []PointOutcome
}

func newCapSearch(k, lo, hi int) *capSearch {
	return &capSearch{k: k, lo: lo, hi: hi, good: lo - 1, bad: hi + 1}
}

func (s *capSearch) done() bool {
	return s.bad == s.lo || s.good == s.hi || s.bad-s.good == 1
}

// next returns the N to evaluate next; only valid while !done().
func (s *capSearch) next() int {
	switch {
	case s.good < s.lo:
		return s.lo
	case s.bad > s.hi:
		return min(2*s.good, s.hi)
	default:
		return s.good + (s.bad-s.good)/2
	}
}

func (s *capSearch) record(p PointOutcome) {
	s.tried = append(s.tried, TriedPoint{N: p.N, Solved: p.Solved})
	if p.Solved {
		s.good, s.best = p.N, p
		s.solved = append(s.solved, p)
	} else {
		s.bad = p.N
	}
}

func (s *capSearch) result() KCapacity {
	r := KCapacity{K: s.k, Low: s.lo, High: s.hi, Best: PointOutcome{K: s.k}, Tried: s.tried, Solved: s.solved}
	if s.good >= s.lo {
		r.MaxN, r.Best = s.good, s.best
	}
	return r
}

// pointRun is one point being evaluated by the parallel driver.
type pointRun struct {
	owner   int // index of the capSearch, or -1 for CheckPoint
	out     PointOutcome
	pending int // seed jobs not yet returned
	failed  bool
	// stop asks the workers still training this point's seeds to give up:
	// in a sweep one failed seed settles the point, and the others' steps
	// would be wasted.
	stop         atomic.Bool
	shortCircuit bool
}

type seedJob struct {
	pt  *pointRun
	i   int // index into the seeds
	cfg Config
}

type seedResult struct {
	job       seedJob
	out       SeedOutcome
	cancelled bool
	err       error
}

// stopCheckEvery is how many steps a worker trains between looks at its
// stop flag and context: small enough to stop within milliseconds, large
// enough that the checks cost nothing.
const stopCheckEvery = 64

func (c *capSpec) work(ctx context.Context, j seedJob) seedResult {
	res := seedResult{job: j}
	if j.pt.stop.Load() || ctx.Err() != nil {
		res.cancelled = true
		return res
	}
	r, err := newSeedRun(j.cfg, c.Budget)
	if err != nil {
		res.err = err
		return res
	}
	for !r.done {
		r.advance(stopCheckEvery)
		if !r.done && (j.pt.stop.Load() || ctx.Err() != nil) {
			res.cancelled = true
			return res
		}
	}
	res.out = r.outcome()
	return res
}

// runParallel trains the seeds of the points in first, and of the points
// that onDone returns as each point completes, on c.workers goroutines. It
// returns when no point is left, at the first error, or when ctx ends.
func (c *capSpec) runParallel(ctx context.Context, first []*pointRun, onDone func(*pointRun) ([]*pointRun, error)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan seedJob)
	results := make(chan seedResult)
	var wg sync.WaitGroup
	for range c.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- c.work(ctx, j)
			}
		}()
	}
	defer func() {
		// Stop the workers (cancel makes running jobs return within
		// stopCheckEvery steps) and drain their last results.
		cancel()
		close(jobs)
		go func() { wg.Wait(); close(results) }()
		for range results {
		}
	}()

	var queue []seedJob
	active := 0 // jobs queued or running
	enqueue := func(pts []*pointRun) error {
		for _, pt := range pts {
			pt.pending = len(c.Seeds)
			pt.out.Seeds = make([]SeedOutcome, len(c.Seeds))
			for i, seed := range c.Seeds {
				cfg, err := c.config(pt.out.K, pt.out.N, seed)
				if err != nil {
					return err
				}
				queue = append(queue, seedJob{pt: pt, i: i, cfg: cfg})
				active++
			}
		}
		return nil
	}
	if err := enqueue(first); err != nil {
		return err
	}
	points := 0
	for active > 0 {
		var send chan<- seedJob
		var next seedJob
		if len(queue) > 0 {
			send, next = jobs, queue[0]
		}
		select {
		case send <- next:
			queue = queue[1:]
		case <-ctx.Done():
			return ctx.Err()
		case r := <-results:
			active--
			if r.err != nil {
				return r.err
			}
			pt := r.job.pt
			pt.pending--
			if r.cancelled && !pt.failed {
				// Only a failed seed of its own point or the end of ctx
				// cancels a job; a point must not pass on seeds never run.
				return ctx.Err()
			}
			if !r.cancelled {
				pt.out.Seeds[r.job.i] = r.out
				if !r.out.Solved {
					pt.failed = true
					if pt.shortCircuit {
						pt.stop.Store(true)
					}
				}
				if c.Progress != nil {
					c.Progress(CapacityProgress{K: pt.out.K, N: pt.out.N, Outcome: r.out, Points: points})
				}
			}
			if pt.pending > 0 {
				continue
			}
			points++
			pt.out.Solved = !pt.failed
			more, err := onDone(pt)
			if err != nil {
				return err
			}
			if err := enqueue(more); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckPoint trains every seed of spec at the point (k, n) — an n-k-n network
// on the shift-by-one task without wrap-around — for up to spec.Budget steps
// each, stopping a seed at the step its accuracy first reaches 100%. Seeds
// train in parallel on spec.Workers goroutines; the outcome does not depend
// on the parallelism. k is 0..MaxK and n is MinN..MaxN (MaxNDirect when k = 0);
// spec.MinN and spec.MaxN are ignored.
//
// It returns an error, and never panics, on a bad spec, k or n, and ctx's
// error if ctx ends first (a nil ctx means context.Background()).
func CheckPoint(ctx context.Context, spec CapacitySpec, k, n int) (PointOutcome, error) {
	c, err := spec.check()
	if err != nil {
		return PointOutcome{}, err
	}
	if _, err := c.config(k, n, 0); err != nil {
		return PointOutcome{}, err
	}
	pt := &pointRun{owner: -1, out: PointOutcome{K: k, N: n}}
	err = c.runParallel(ctx, []*pointRun{pt}, func(*pointRun) ([]*pointRun, error) { return nil, nil })
	if err != nil {
		return PointOutcome{}, err
	}
	return pt.out, nil
}

// Sweep finds, for each k of ks, the largest N in [spec.MinN, spec.MaxN] at
// which every seed of spec solves the shift-by-one task within spec.Budget
// steps (see CheckPoint). It assumes monotonicity — if N solves, every
// smaller N does — and searches by doubling N from the lower bound until a
// point fails, then bisecting, so it evaluates about 2·log2(maxN) points per
// k. At a failing point it stops the seeds still training as soon as one
// seed fails.
//
// The searches for all ks run at once and share spec.Workers goroutines, so
// the machine stays busy while one k waits for its slowest seed. The results
// (one per k, in the order of ks) do not depend on the parallelism, and equal
// those of a Sweeper.
//
// ks holds 1..MaxK+1 distinct values from 0 to MaxK. Sweep returns an error,
// and never panics, on bad input, and ctx's error if ctx ends first (a nil ctx
// means context.Background()); it then returns the results of the ks whose
// search had finished, in the order of ks.
func Sweep(ctx context.Context, spec CapacitySpec, ks []int) ([]KCapacity, error) {
	c, err := spec.check()
	if err != nil {
		return nil, err
	}
	if err := checkKs(ks); err != nil {
		return nil, err
	}
	searches := make([]*capSearch, len(ks))
	for i, k := range ks {
		lo, hi, err := c.bounds(k)
		if err != nil {
			return nil, err
		}
		searches[i] = newCapSearch(k, lo, hi)
	}
	nextPoint := func(i int) []*pointRun {
		s := searches[i]
		if s.done() {
			return nil
		}
		return []*pointRun{{owner: i, out: PointOutcome{K: s.k, N: s.next()}, shortCircuit: true}}
	}
	var first []*pointRun
	for i := range searches {
		first = append(first, nextPoint(i)...)
	}
	err = c.runParallel(ctx, first, func(pt *pointRun) ([]*pointRun, error) {
		if !pt.out.Solved {
			// Drop the partial seeds: which seeds finished before the stop
			// depends on scheduling, and results must not.
			pt.out.Seeds = nil
		}
		searches[pt.owner].record(pt.out)
		return nextPoint(pt.owner), nil
	})
	if err != nil {
		// Cancelled after hours of work: keep what is finished.
		var done []KCapacity
		for _, s := range searches {
			if s.done() {
				done = append(done, s.result())
			}
		}
		return done, err
	}
	out := make([]KCapacity, len(searches))
	for i, s := range searches {
		out[i] = s.result()
	}
	return out, nil
}

// Sweeper runs the same search as Sweep on the caller's goroutine, a bounded
// number of training steps per call to Step, so that a caller without threads
// (a browser's frame loop) can run a sweep a slice at a time and show its
// state between slices. It evaluates the ks one after the other and each
// point's seeds in order, stopping a point at its first failing seed. Its
// results equal Sweep's for the same spec and ks. A Sweeper is not safe for
// concurrent use.
type Sweeper struct {
	c       *capSpec
	ks      []int
	results []KCapacity // finished ks
	search  *capSearch  // the current k's search, nil when done
	point   PointOutcome
	seed    int      // index of the seed training now
	run     *seedRun // nil between seeds
	steps   int64
	points  int
}

// SweepState describes where a Sweeper is.
type SweepState struct {
	Done bool
	// K and N are the point being evaluated, and SeedIndex/Seed the seed
	// training now with Step steps trained so far; all zero once Done.
	K, N      int
	SeedIndex int
	Seed      uint64
	Step      int
	KDone     int   // ks finished, out of KTotal
	KTotal    int   //
	Points    int   // points fully evaluated so far, over every k
	Steps     int64 // training steps run so far, over every seed and point
}

// NewSweeper returns a Sweeper for spec and ks, validated as by Sweep, that
// has trained nothing yet. It returns an error, and never panics, on bad
// input. spec.Workers is ignored.
func NewSweeper(spec CapacitySpec, ks []int) (*Sweeper, error) {
	c, err := spec.check()
	if err != nil {
		return nil, err
	}
	if err := checkKs(ks); err != nil {
		return nil, err
	}
	for _, k := range ks {
		if _, _, err := c.bounds(k); err != nil {
			return nil, err
		}
	}
	s := &Sweeper{c: c, ks: slices.Clone(ks)}
	s.startK()
	return s, nil
}

// startK starts the search of the next k, or marks the sweep done.
func (s *Sweeper) startK() {
	if len(s.results) == len(s.ks) {
		s.search = nil
		return
	}
	k := s.ks[len(s.results)]
	lo, hi, _ := s.c.bounds(k) // checked by NewSweeper
	s.search = newCapSearch(k, lo, hi)
	s.startPoint()
}

func (s *Sweeper) startPoint() {
	s.point = PointOutcome{K: s.search.k, N: s.search.next(), Seeds: make([]SeedOutcome, 0, len(s.c.Seeds))}
	s.seed, s.run = 0, nil
}

// Step trains at most maxSteps steps (in total, over seeds and points) and
// reports whether the sweep is done. Besides the steps it does bookkeeping
// that costs about one step per seed started. A step of an N-k-N network
// costs O(N²k), so a caller with a time budget should time Step and adapt
// maxSteps rather than fix it. maxSteps < 1 trains nothing. Step panics only
// on an internal error: every config it builds was validated by NewSweeper.
func (s *Sweeper) Step(maxSteps int) bool {
	for maxSteps > 0 && s.search != nil {
		if s.run == nil {
			cfg, _ := s.c.config(s.point.K, s.point.N, s.c.Seeds[s.seed]) // checked by NewSweeper
			run, err := newSeedRun(cfg, s.c.Budget)
			if err != nil { // cannot happen: cfg was validated
				panic("core: Sweeper: " + err.Error())
			}
			s.run = run
		}
		n := s.run.advance(maxSteps)
		maxSteps -= n
		s.steps += int64(n)
		if !s.run.done {
			continue
		}
		o := s.run.outcome()
		s.run = nil
		s.point.Seeds = append(s.point.Seeds, o)
		s.seed++
		pointOver := !o.Solved || s.seed == len(s.c.Seeds)
		if pointOver {
			s.points++
		}
		if s.c.Progress != nil {
			s.c.Progress(CapacityProgress{K: s.point.K, N: s.point.N, Outcome: o, Points: s.points})
		}
		if !pointOver {
			continue
		}
		s.point.Solved = o.Solved
		if !s.point.Solved {
			s.point.Seeds = nil // as in Sweep
		}
		s.search.record(s.point)
		if s.search.done() {
			s.results = append(s.results, s.search.result())
			s.startK()
		} else {
			s.startPoint()
		}
	}
	return s.search == nil
}

// Done reports whether every k has been searched.
func (s *Sweeper) Done() bool { return s.search == nil }

// Results returns the answers for the ks finished so far, in the order of
// ks; all of them once Done. The caller may modify the returned slice.
func (s *Sweeper) Results() []KCapacity {
	out := make([]KCapacity, len(s.results))
	for i, r := range s.results {
		r.Tried = slices.Clone(r.Tried)
		r.Best.Seeds = slices.Clone(r.Best.Seeds)
		out[i] = r
	}
	return out
}

// State returns where the sweep is.
func (s *Sweeper) State() SweepState {
	st := SweepState{Done: s.search == nil, KDone: len(s.results), KTotal: len(s.ks), Points: s.points, Steps: s.steps}
	if st.Done {
		return st
	}
	st.K, st.N, st.SeedIndex, st.Seed = s.point.K, s.point.N, s.seed, s.c.Seeds[s.seed]
	if s.run != nil {
		st.Step = s.run.t.Metrics().Step
	}
	return st
}
