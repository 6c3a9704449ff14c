package capacity

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Pool is the bookkeeping of a sweep run on engine workers: it hands each
// ready, idle worker the next seed job of a core.SweepJobs (or one to train
// ahead, when the sweep has none waiting), takes the
// outcomes in whatever order the workers finish, and says which workers to
// cancel when a point's other seeds are no longer needed. It sends nothing
// itself: the caller posts the Sends it returns. The results are
// core.SweepJobs', which equal core.Sweep's for any number of workers.
type Pool struct {
	jobs    *core.SweepJobs
	workers []poolWorker
	wasted  int64 // steps of cancelled jobs, so that Steps never goes back
}

type poolWorker struct {
	ready bool
	job   core.SeedJob // ID 0: idle
	step  int          // the job's last reported step
}

// Send is a message for worker Worker: train Job, or (Cancel) drop the job
// with id Job.ID.
type Send struct {
	Worker int
	Job    core.SeedJob
	Cancel bool
}

// NewPool returns a pool of size (≥ 1) workers, none ready yet, for jobs.
func NewPool(jobs *core.SweepJobs, size int) *Pool {
	return &Pool{jobs: jobs, workers: make([]poolWorker, max(1, size))}
}

// Size returns the number of workers.
func (p *Pool) Size() int { return len(p.workers) }

// Jobs returns the sweep.
func (p *Pool) Jobs() *core.SweepJobs { return p.jobs }

// Ready marks worker w as started and returns the jobs to send now.
func (p *Pool) Ready(w int) ([]Send, error) {
	if err := p.check(w); err != nil {
		return nil, err
	}
	p.workers[w].ready = true
	return p.assign(), nil
}

func (p *Pool) check(w int) error {
	if w < 0 || w >= len(p.workers) {
		return fmt.Errorf("capacity: no worker %d in a pool of %d", w, len(p.workers))
	}
	return nil
}

// assign gives every ready, idle worker a job, while there are jobs: the
// sweep's next, or else one to train ahead (core.SweepJobs.Speculate), so
// that a worker does not wait while another trains a point's last seed.
func (p *Pool) assign() []Send {
	var out []Send
	for i := range p.workers {
		w := &p.workers[i]
		if !w.ready || w.job.ID != 0 {
			continue
		}
		j, ok := p.jobs.Next()
		if !ok {
			j, ok = p.jobs.Speculate()
		}
		if !ok {
			break
		}
		w.job, w.step = j, 0
		out = append(out, Send{Worker: i, Job: j})
	}
	return out
}

// Progress records that worker w's job id has trained step steps; a report
// for a job the worker no longer has is ignored.
func (p *Pool) Progress(w, id, step int) {
	if p.check(w) == nil && p.workers[w].job.ID == id && id != 0 {
		p.workers[w].step = step
	}
}

// Done records the outcome of worker w's job id and returns what to send:
// cancels for the workers whose jobs the search no longer needs, then new
// jobs for the idle workers. A report for a job the worker no longer has (it
// finished before its cancel arrived) is ignored. An error means a worker
// broke the protocol; the sweep is then unchanged.
func (p *Pool) Done(w, id int, o core.SeedOutcome) ([]Send, error) {
	if err := p.check(w); err != nil {
		return nil, err
	}
	if p.workers[w].job.ID != id || id == 0 {
		return nil, nil
	}
	obsolete, err := p.jobs.Report(id, o)
	if err != nil {
		return nil, err
	}
	p.workers[w].job = core.SeedJob{}
	var out []Send
	for _, oid := range obsolete {
		for i := range p.workers {
			if x := &p.workers[i]; x.job.ID == oid {
				out = append(out, Send{Worker: i, Job: x.job, Cancel: true})
				p.wasted += int64(x.step)
				x.job = core.SeedJob{}
			}
		}
	}
	return append(out, p.assign()...), nil
}

// Busy returns how many workers are training a job.
func (p *Pool) Busy() int {
	n := 0
	for _, w := range p.workers {
		if w.job.ID != 0 {
			n++
		}
	}
	return n
}

// Running returns the jobs being trained, with their last reported steps, in
// worker order.
func (p *Pool) Running() (jobs []core.SeedJob, steps []int) {
	for _, w := range p.workers {
		if w.job.ID != 0 {
			jobs = append(jobs, w.job)
			steps = append(steps, w.step)
		}
	}
	return jobs, steps
}

// Steps returns every step trained so far: the finished seeds', the running
// jobs' as last reported, and the cancelled jobs'.
func (p *Pool) Steps() int64 {
	n := p.jobs.State().Steps + p.wasted
	for _, w := range p.workers {
		if w.job.ID != 0 {
			n += int64(w.step)
		}
	}
	return n
}
