// Command capacity measures how many inputs an N-k-N network can map with k
// hidden units: for each k it finds the largest N at which every seed learns
// the shift-by-one task (input n fires output n+1, no wrap-around) within a
// step budget, and prints a markdown table. It checks the post's claims that
// k=2 handles N≈11, k=3 about 30 and k=4 more than 100.
//
//	go run ./core/cmd/capacity                 # sweep k = 1,2,3,4
//	go run ./core/cmd/capacity -k 2 -n 11      # check one point; exit 0 iff every seed solves
//
// Run with -h for every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Exit codes.
const (
	exitOK          = 0   // the sweep ran, or every seed of the point solved
	exitUnsolved    = 1   // -n: some seed did not solve
	exitUsage       = 2   // bad flags or settings
	exitInterrupted = 130 // Ctrl-C, as shells report SIGINT
)

// defaultBudget is large enough that every seed of the post's points solves
// (11-2-11 takes a few hundred to a few thousand Adam steps) and small enough
// that a default sweep ends in minutes on two cores.
const defaultBudget = 20000

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := runContext(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it parses args, writes the report to
// stdout and problems to stderr, and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdout, stderr)
}

// options are the parsed flags.
type options struct {
	spec     core.CapacitySpec
	ks       []int
	n        int // > 0: check the point (ks[0], n) only
	verbose  bool
	describe string // the base settings in words, for the report

	plot   string   // -plot: the summary CSV to draw
	scale  *grid    // -scale: the grid to measure (or the shard of it)
	merge  []string // -merge: shard files
	trace  int      // -trace: steps to trace the point for
	shards bool     // -shard given: write seed rows instead of the summary
}

func usage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintf(w, `Usage: capacity [flags]

Measures the capacity of N-k-N networks on the post's task, shift by one
(input n fires output n+1, no wrap-around; N-1 pairs). A point (k, N) solves
when every seed reaches 100%% accuracy within the step budget; training of a
seed stops at that step.

Sweep mode (default): for each k of -k, find the largest N in [-min, -max]
that solves, assuming that smaller N solve whenever a larger one does: N
doubles from -min until a point fails, then bisection between the last
success and the first failure. Prints a markdown table: k | max N | steps to
solve per seed (median) | final largest |weight| per seed | points tried,
then the points tried per k and the elapsed time. Exit status 0.

Point mode (-n N with a single -k K): train each seed at N-K-N and print its
steps to solve, or "did not solve within B steps" with its final accuracy.
Exit status 0 when every seed solved, 1 otherwise.

Scaling mode (-scale): train every seed at every point of -k x -ns (each
seed stops at its solve or the budget), and print CSV, one row per point:
k, n, seeds, solved, median steps to solve and largest |weight| at solve
(over the solved seeds). With -shard i/n only the jobs (k, N, seed) whose
index is i modulo n run, and the CSV has one row per seed; -merge FILES...
turns all n shards into exactly the table of the unsharded run.

Trace mode (-trace STEPS with -k K -n N): train each seed STEPS steps without
stopping at the solve, and print CSV of the largest |weight|, the loss, the
smallest margin and the accuracy at steps 0, 1, 2, 5, 10, 20, 50, ...

Bad flags or settings exit with status 2. Seeds train in parallel on all
cores (-workers); the results do not depend on it.

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprintf(w, `
The network settings start from -config (a URL fragment as in the
playground's address bar, e.g. "act=tanh&opt=adam&lr=0.05&hb=0") if given, or
from the playground's defaults with lr 0.05 (it maps the largest N);
-act, -out, -hb, -ob, -opt, -lr, -b1, -b2, -eps, -sched, -period, -warm
and -init override
them when given. The fragment's n, task and seed are ignored (the sweep sets
them); its k is used when -k is not given.

Examples:
  capacity                               sweep k=1..4, seeds 1,2,3, budget %d
  capacity -k 2,3 -lr 0.05 -seeds 5      another learning rate, five seeds
  capacity -k 2 -n 11                    does 11-2-11 solve for seeds 1..3?
  capacity -k 3 -n 30 -seed-list 7,8     the same for 30-3-30 and seeds 7, 8
  capacity -scale -k 2 -ns 8,16,32       steps and weights against N, as CSV
  capacity -scale -shard 0/4 > s0.csv    the first of four shards; then
  capacity -merge s0.csv s1.csv s2.csv s3.csv
  capacity -plot scaling.csv > fig.svg   the -scale table as a log-log figure
  capacity -k 2 -n 5 -trace 1000000      the largest |weight| over time
`, defaultBudget)
	}
}

// parse turns args into options. A non-nil error has been reported already
// when it is flag.ErrHelp.
func parse(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("capacity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = usage(fs, stderr)
	def := core.DefaultConfig()
	kList := fs.String("k", "1,2,3,4", "hidden-layer sizes to sweep, comma-separated, each 0.."+strconv.Itoa(core.MaxK)+"; one value with -n")
	n := fs.Int("n", 0, "check only the point N (with a single -k) instead of sweeping")
	seeds := fs.Int("seeds", 3, "number of seeds, 1..S: the seeds are 1, 2, ..., S")
	seedList := fs.String("seed-list", "", "explicit comma-separated seeds, e.g. 1,7,42 (instead of -seeds)")
	budget := fs.Int("budget", defaultBudget, "most training steps per seed")
	lr := fs.Float64("lr", core.CapacityLR, "learning rate (the playground's default is "+strconv.FormatFloat(core.DefaultLR, 'g', -1, 64)+")")
	opt := fs.String("opt", string(def.Optimizer), "optimizer: sgd, momentum or adam")
	act := fs.String("act", string(def.Activation), "hidden activation: tanh, sigmoid, relu or linear")
	out := fs.String("out", string(def.Output), "output layer: softmax (cross-entropy) or sigmoid (squared error)")
	hb := fs.Bool("hb", def.HiddenBias, "bias on each hidden unit (-hb=false to remove)")
	ob := fs.Bool("ob", def.OutputBias, "bias on each output (-ob=false to remove)")
	sched := fs.String("sched", string(def.Schedule), "learning-rate schedule: const, cos (cosine annealing restarted every -period steps) or step (halved every -period steps)")
	period := fs.Int("period", def.Period, "the schedule's period in steps (with -sched cos or step)")
	warm := fs.Int("warm", def.Warmup, "steps of linear learning-rate warm-up (0: none)")
	initScale := fs.Float64("init", def.InitScale, "scale of the initial weights (1: Glorot uniform)")
	b1 := fs.Float64("b1", def.Beta1, "Adam's beta1")
	b2 := fs.Float64("b2", def.Beta2, "Adam's beta2")
	eps := fs.Float64("eps", def.Epsilon, "Adam's epsilon")
	minN := fs.Int("min", core.MinN, "smallest N of the sweep")
	maxN := fs.Int("max", core.MaxN, "largest N of the sweep (capped at "+strconv.Itoa(core.MaxNDirect)+" for k=0)")
	fragment := fs.String("config", "", "base settings as a URL fragment, parsed by core.ParseFragment")
	workers := fs.Int("workers", 0, "seeds trained at once; 0 means all cores (GOMAXPROCS)")
	verbose := fs.Bool("v", false, "report each finished seed on stderr")
	scale := fs.Bool("scale", false, "scaling mode: train every seed at every point of -k x -ns and print CSV of the median steps to solve and the largest |weight| at solve")
	nList := fs.String("ns", "8,16,32,64,128", "with -scale: the Ns of the grid, comma-separated")
	shard := fs.String("shard", "", "with -scale: run only shard i/n of the grid's (k, N, seed) jobs and print one CSV row per seed, for -merge")
	merge := fs.Bool("merge", false, "merge the shard files given as arguments into the table of the whole grid")
	plot := fs.String("plot", "", "draw the CSV that -scale or -merge wrote to this file as an SVG figure on stdout")
	trace := fs.Int("trace", 0, "with -k K -n N: train each seed this many steps, past the solve, and print CSV of the largest |weight| over time")
	if err := fs.Parse(args); err != nil {
		return nil, errReported{err}
	}
	if *plot != "" {
		return &options{plot: *plot}, nil
	}
	if *merge {
		if fs.NArg() == 0 {
			return nil, errors.New("-merge: give the shard files to merge as arguments")
		}
		return &options{merge: fs.Args()}, nil
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	base := def
	if set["config"] {
		c, err := core.ParseFragment(*fragment)
		if err != nil {
			return nil, fmt.Errorf("-config: %w", err)
		}
		base = c
	}
	// Without -config every flag applies (its default is the playground's);
	// with it, only the flags given override the fragment.
	use := func(name string) bool { return set[name] || !set["config"] }
	for _, ov := range []struct {
		flag  string
		apply func()
	}{
		{"lr", func() { base.LearningRate = *lr }},
		{"opt", func() { base.Optimizer = core.OptimizerKind(*opt) }},
		{"act", func() { base.Activation = core.Activation(*act) }},
		{"out", func() { base.Output = core.Output(*out) }},
		{"hb", func() { base.HiddenBias = *hb }},
		{"ob", func() { base.OutputBias = *ob }},
		{"sched", func() { base.Schedule = core.ScheduleKind(*sched) }},
		{"period", func() { base.Period = *period }},
		{"warm", func() { base.Warmup = *warm }},
		{"init", func() { base.InitScale = *initScale }},
		{"b1", func() { base.Beta1 = *b1 }},
		{"b2", func() { base.Beta2 = *b2 }},
		{"eps", func() { base.Epsilon = *eps }},
	} {
		if use(ov.flag) {
			ov.apply()
		}
	}

	o := &options{n: *n, verbose: *verbose}
	var err error
	if set["config"] && !set["k"] {
		o.ks = []int{base.K}
	} else if o.ks, err = parseInts(*kList, "-k"); err != nil {
		return nil, err
	}
	if set["n"] {
		if len(o.ks) != 1 {
			return nil, fmt.Errorf("-n checks one point: give a single -k, not %q", *kList)
		}
		if *n < core.MinN || *n > core.MaxN {
			return nil, fmt.Errorf("-n must be from %d to %d, not %d", core.MinN, core.MaxN, *n)
		}
	}

	// The spec reads 0 as "the package limit"; a 0 given here is a mistake.
	for _, b := range []struct {
		name string
		v    int
	}{{"min", *minN}, {"max", *maxN}} {
		if b.v < core.MinN || b.v > core.MaxN {
			return nil, fmt.Errorf("-%s must be from %d to %d, not %d", b.name, core.MinN, core.MaxN, b.v)
		}
	}

	var seedVals []uint64
	switch {
	case set["seeds"] && set["seed-list"]:
		return nil, errors.New("give -seeds or -seed-list, not both")
	case set["seed-list"]:
		ints, err := parseInts(*seedList, "-seed-list")
		if err != nil {
			return nil, err
		}
		for _, s := range ints {
			if s < 0 {
				return nil, fmt.Errorf("-seed-list: seeds are 0 or more, not %d", s)
			}
			seedVals = append(seedVals, uint64(s))
		}
	default:
		if *seeds < 1 || *seeds > core.MaxCapacitySeeds {
			return nil, fmt.Errorf("-seeds must be from 1 to %d, not %d", core.MaxCapacitySeeds, *seeds)
		}
		for s := 1; s <= *seeds; s++ {
			seedVals = append(seedVals, uint64(s))
		}
	}

	o.spec = core.CapacitySpec{
		Base: base, Budget: *budget, Seeds: seedVals,
		MinN: *minN, MaxN: *maxN, Workers: *workers,
	}
	o.describe = describe(base)
	switch {
	case *trace != 0:
		if !set["n"] || *scale {
			return nil, errors.New("-trace traces one point: give -k K -n N, without -scale")
		}
		if *trace < 1 || *trace > core.MaxCapacityBudget {
			return nil, fmt.Errorf("-trace must be from 1 to %d steps, not %d", core.MaxCapacityBudget, *trace)
		}
		o.trace = *trace
	case *scale:
		if set["n"] {
			return nil, errors.New("-scale measures a grid of -ns; give -ns instead of -n")
		}
		g := &grid{spec: o.spec, ks: o.ks, count: 1}
		if g.ns, err = parseInts(*nList, "-ns"); err != nil {
			return nil, err
		}
		for _, n := range g.ns {
			for _, k := range g.ks {
				if _, err := o.spec.PointConfig(k, n, 1); err != nil {
					return nil, fmt.Errorf("-ns: N=%d with k=%d: %w", n, k, err)
				}
			}
		}
		if !sortedUnique(g.ns) || !sortedUnique(slices.Sorted(slices.Values(g.ks))) {
			return nil, errors.New("-k and -ns must not repeat a value, and -ns must increase")
		}
		if set["shard"] {
			if g.shard, g.count, err = parseShard(*shard); err != nil {
				return nil, err
			}
			o.shards = true
		}
		o.scale = g
	case set["shard"]:
		return nil, errors.New("-shard splits a scaling grid: use it with -scale")
	}
	return o, nil
}

// errReported wraps an error the flag package has already printed, with the
// usage.
type errReported struct{ error }

func (e errReported) Unwrap() error { return e.error }

// parseInts parses a comma-separated list of whole numbers.
func parseInts(s, flagName string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		v, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a whole number (write e.g. 1,2,3)", flagName, part)
		}
		out = append(out, v)
	}
	return out, nil
}

// describe returns the settings that matter for capacity, in words.
func describe(c core.Config) string {
	bias := func(on bool) string {
		if on {
			return "on"
		}
		return "off"
	}
	opt := string(c.Optimizer)
	switch c.Optimizer {
	case core.OptAdam:
		opt += fmt.Sprintf(" (b1 %g, b2 %g, eps %g)", c.Beta1, c.Beta2, c.Epsilon)
	case core.OptMomentum:
		opt += fmt.Sprintf(" (momentum %g)", c.Momentum)
	}
	sched := ""
	switch c.Schedule {
	case core.SchedCos:
		sched = fmt.Sprintf(", cosine schedule restarted every %d steps", c.Period)
	case core.SchedStep:
		sched = fmt.Sprintf(", halved every %d steps", c.Period)
	}
	if c.Warmup > 0 {
		sched += fmt.Sprintf(", warm-up %d steps", c.Warmup)
	}
	if c.InitScale != 1 {
		sched += fmt.Sprintf(", initial weights %g x Glorot", c.InitScale)
	}
	return fmt.Sprintf("%s hidden, %s output, hidden bias %s, output bias %s, %s lr %g%s",
		c.Activation, c.Output, bias(c.HiddenBias), bias(c.OutputBias), opt, c.LearningRate, sched)
}

func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		if !errors.As(err, new(errReported)) { // else the flag package has printed it
			fmt.Fprintf(stderr, "capacity: %v\n", err)
		}
		return exitUsage
	}
	if o.verbose {
		o.spec.Progress = func(p core.CapacityProgress) {
			fmt.Fprintf(stderr, "k=%d N=%d seed %d: %s\n", p.K, p.N, p.Outcome.Seed, seedLine(p.Outcome, o.spec.Budget))
		}
	}
	workers := o.spec.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	elapsed := func() {
		fmt.Fprintf(stdout, "\nelapsed %s with %d workers (%d CPUs)\n", time.Since(start).Round(time.Millisecond), workers, runtime.NumCPU())
	}
	fail := func(err error) int {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "capacity: interrupted")
			return exitInterrupted
		}
		fmt.Fprintf(stderr, "capacity: %v\n", err)
		return exitUsage
	}

	switch {
	case o.plot != "":
		if err := plotFile(o.plot, stdout); err != nil {
			fmt.Fprintf(stderr, "capacity: %v\n", err)
			return exitUsage
		}
		return exitOK
	case o.merge != nil:
		if err := mergeShards(o.merge, stdout); err != nil {
			fmt.Fprintf(stderr, "capacity: %v\n", err)
			return exitUsage
		}
		return exitOK
	case o.trace > 0:
		if err := runTrace(ctx, stdout, o.spec, o.ks[0], o.n, o.trace); err != nil {
			return fail(err)
		}
		return exitOK
	case o.scale != nil:
		var progress func(core.ScalingOutcome)
		if o.verbose {
			progress = func(p core.ScalingOutcome) {
				fmt.Fprintf(stderr, "k=%d N=%d seed %d: %s\n", p.K, p.N, p.Seed, seedLine(p.SeedOutcome, o.spec.Budget))
			}
		}
		outs, err := runGrid(ctx, o.scale, progress)
		if err != nil {
			return fail(err)
		}
		if o.shards {
			writeSeedRows(stdout, o.scale, outs)
		} else {
			rows, err := core.SummarizeScaling(outs, o.scale.jobs())
			if err != nil {
				return fail(err)
			}
			writeSummary(stdout, o.scale.header(), rows)
		}
		fmt.Fprintf(stderr, "elapsed %s with %d workers (%d CPUs)\n", time.Since(start).Round(time.Millisecond), workers, runtime.NumCPU())
		return exitOK
	}

	if o.n > 0 {
		k := o.ks[0]
		p, err := core.CheckPoint(ctx, o.spec, k, o.n)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "%d-%d-%d, shift by one without wrap-around (%d pairs); %s; budget %d steps\n\n",
			o.n, k, o.n, o.n-1, o.describe, o.spec.Budget)
		solved := 0
		for _, s := range p.Seeds {
			fmt.Fprintf(stdout, "seed %d: %s\n", s.Seed, seedLine(s, o.spec.Budget))
			if s.Solved {
				solved++
			}
		}
		fmt.Fprintf(stdout, "\n%d of %d seeds solved", solved, len(p.Seeds))
		if p.Solved {
			fmt.Fprintf(stdout, "; median %g steps", p.MedianSteps())
		}
		fmt.Fprintln(stdout)
		elapsed()
		if !p.Solved {
			return exitUnsolved
		}
		return exitOK
	}

	res, err := core.Sweep(ctx, o.spec, o.ks)
	if err != nil && (ctx.Err() == nil || len(res) == 0) {
		return fail(err)
	}
	if err != nil { // interrupted: print the ks that finished, then say so
		defer fail(err)
		fmt.Fprintf(stdout, "Interrupted: only the %d of %d k values whose search finished are shown.\n\n", len(res), len(o.ks))
	}
	lo, hi := o.spec.MinN, o.spec.MaxN
	fmt.Fprintf(stdout, "Capacity of N-k-N on shift by one (no wrap-around): %s; budget %d steps; seeds %s; N searched in [%d, %d]\n\n",
		o.describe, o.spec.Budget, joinUints(o.spec.Seeds), lo, hi)
	writeTable(stdout, res)
	fmt.Fprintln(stdout, "\nPoints tried, in order (+ solved for every seed, - failed):")
	for _, r := range res {
		var b strings.Builder
		for i, t := range r.Tried {
			if i > 0 {
				b.WriteByte(' ')
			}
			mark := "-"
			if t.Solved {
				mark = "+"
			}
			fmt.Fprintf(&b, "%d%s", t.N, mark)
		}
		fmt.Fprintf(stdout, "- k=%d: %s\n", r.K, b.String())
	}
	elapsed()
	if err != nil {
		return exitInterrupted
	}
	return exitOK
}

// tableHeader is the sweep table's header row; tests look for it.
const tableHeader = "| k | max N | steps to solve per seed (median) | final largest \\|weight\\| per seed | points tried |"

func writeTable(w io.Writer, res []core.KCapacity) {
	fmt.Fprintln(w, tableHeader)
	fmt.Fprintln(w, "|--:|------:|:--|:--|--:|")
	for _, r := range res {
		maxN := strconv.Itoa(r.MaxN)
		switch {
		case r.MaxN == 0:
			maxN = fmt.Sprintf("none (N=%d fails)", r.Low)
		case r.AtBound():
			maxN = fmt.Sprintf("≥ %d (the bound)", r.MaxN)
		}
		steps, weights := "–", "–"
		if r.MaxN > 0 {
			var s, wt []string
			for _, o := range r.Best.Seeds {
				s = append(s, strconv.Itoa(o.Steps))
				wt = append(wt, strconv.FormatFloat(o.MaxAbsWeight, 'f', 1, 64))
			}
			steps = fmt.Sprintf("%s (%g)", strings.Join(s, ", "), r.Best.MedianSteps())
			weights = strings.Join(wt, ", ")
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %d |\n", r.K, maxN, steps, weights, len(r.Tried))
	}
}

// seedLine describes one seed's outcome.
func seedLine(s core.SeedOutcome, budget int) string {
	if s.Solved {
		return fmt.Sprintf("solved at step %d (largest |weight| %.1f)", s.Steps, s.MaxAbsWeight)
	}
	line := fmt.Sprintf("did not solve within %d steps (final accuracy %.1f%%, %d of %d pairs right, largest |weight| %.1f)",
		budget, 100*s.Accuracy, s.Correct, s.Pairs, s.MaxAbsWeight)
	if s.Diverged != "" {
		line += "; diverged: " + s.Diverged
	}
	return line
}

func joinUints(v []uint64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatUint(x, 10)
	}
	if len(s) > 8 && slices.IsSorted(v) && v[len(v)-1]-v[0] == uint64(len(v)-1) {
		return fmt.Sprintf("%d..%d", v[0], v[len(v)-1])
	}
	return strings.Join(s, ",")
}
