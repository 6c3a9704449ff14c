package main

// The scaling grid (-scale), its shards (-shard i/n) and their merge
// (-merge), and the weight trace (-trace). A grid's output is CSV preceded by
// "# key: value" lines that say what was measured; a shard writes one row per
// seed, and -merge (or an unsharded run) turns them into one row per point.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// The CSV headers; tests and -merge look for them.
const (
	seedHeader    = "k,n,seed,solved,steps,max_abs_weight"
	summaryHeader = "k,n,seeds,solved,median_steps,max_abs_weight_at_solve"
	gridMagic     = "# bottleneck capacity scaling v1"
)

// grid is what a scaling run measures: the settings, the budget and the
// jobs' axes. Its header lines identify it, so that -merge refuses shards of
// different grids.
type grid struct {
	spec  core.CapacitySpec
	ks    []int
	ns    []int
	shard int // this run's shard, 0..shards-1
	count int // number of shards; 1 when not sharded
}

func (g *grid) jobs() []core.ScalingJob { return core.ScalingJobs(g.ks, g.ns, g.spec.Seeds) }

// header returns the "# key: value" lines shared by every shard of g.
func (g *grid) header() string {
	return fmt.Sprintf("%s\n# training: %s\n# settings: %s\n# budget: %d\n# ks: %s\n# ns: %s\n# seeds: %s\n",
		gridMagic, describe(g.spec.Base), g.spec.Base.Encode(), g.spec.Budget, joinInts(g.ks), joinInts(g.ns), joinUints(g.spec.Seeds))
}

// parseShard reads "i/n".
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("-shard: %q is not a shard; write i/n with 0 <= i < n, e.g. 0/4 to 3/4", s)
	}
	return i, n, nil
}

// runGrid trains the jobs of g's shard, a point's seeds at a time, and
// returns their outcomes in job order.
func runGrid(ctx context.Context, g *grid, progress func(core.ScalingOutcome)) ([]core.ScalingOutcome, error) {
	jobs, err := core.ShardJobs(g.jobs(), g.shard, g.count)
	if err != nil {
		return nil, err
	}
	var outs []core.ScalingOutcome
	for start := 0; start < len(jobs); {
		end := start + 1
		for end < len(jobs) && jobs[end].K == jobs[start].K && jobs[end].N == jobs[start].N {
			end++
		}
		spec := g.spec
		spec.Seeds = nil
		for _, j := range jobs[start:end] {
			spec.Seeds = append(spec.Seeds, j.Seed)
		}
		p, err := core.CheckPoint(ctx, spec, jobs[start].K, jobs[start].N)
		if err != nil {
			return nil, err
		}
		for _, s := range p.Seeds {
			o := core.ScalingOutcome{K: p.K, N: p.N, SeedOutcome: s}
			outs = append(outs, o)
			if progress != nil {
				progress(o)
			}
		}
		start = end
	}
	return outs, nil
}

// writeSeedRows writes a shard: the header, its shard line and one row per
// seed.
func writeSeedRows(w io.Writer, g *grid, outs []core.ScalingOutcome) {
	fmt.Fprintf(w, "%s# shard: %d/%d\n%s\n", g.header(), g.shard, g.count, seedHeader)
	for _, o := range outs {
		fmt.Fprintf(w, "%d,%d,%d,%t,%d,%s\n", o.K, o.N, o.Seed, o.Solved, o.Steps, formatFloat(o.MaxAbsWeight))
	}
}

// writeSummary writes the table of a whole grid: the header and one row per
// point. Empty cells mean that no seed of the point solved.
func writeSummary(w io.Writer, header string, rows []core.ScalingRow) {
	fmt.Fprintf(w, "%s%s\n", header, summaryHeader)
	for _, r := range rows {
		fmt.Fprintf(w, "%d,%d,%d,%d,%s,%s\n", r.K, r.N, r.Seeds, r.Solved, formatFloat(r.MedianSteps), formatFloat(r.MaxAbsWeight))
	}
}

// formatFloat writes x exactly (shortest round-trip form), NaN as empty.
func formatFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// shardFile is one parsed shard.
type shardFile struct {
	name         string
	header       string // the lines before "# shard:"
	shard, count int
	ks, ns       []int
	seeds        []uint64
	outs         []core.ScalingOutcome
}

// readShard parses what writeSeedRows wrote.
func readShard(name string, r io.Reader) (*shardFile, error) {
	f := &shardFile{name: name}
	sc := bufio.NewScanner(r)
	line := 0
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	var header strings.Builder
	sawShard, sawColumns := false, false
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case line == 1 && text != gridMagic:
			return nil, bad("not a shard of capacity -scale -shard (it should start with %q)", gridMagic)
		case strings.HasPrefix(text, "# shard: "):
			var err error
			if f.shard, f.count, err = parseShard(strings.TrimPrefix(text, "# shard: ")); err != nil {
				return nil, bad("%v", err)
			}
			sawShard = true
		case strings.HasPrefix(text, "#"):
			if sawShard {
				return nil, bad("header line after the shard line")
			}
			header.WriteString(text + "\n")
			key, val, _ := strings.Cut(strings.TrimPrefix(text, "# "), ": ")
			var err error
			switch key {
			case "ks":
				f.ks, err = parseInts(val, "ks")
			case "ns":
				f.ns, err = parseInts(val, "ns")
			case "seeds":
				f.seeds, err = parseSeeds(val)
			}
			if err != nil {
				return nil, bad("%v", err)
			}
		case !sawColumns:
			if text != seedHeader {
				return nil, bad("expected the columns %q (a summary cannot be merged again)", seedHeader)
			}
			sawColumns = true
		default:
			o, err := parseSeedRow(text)
			if err != nil {
				return nil, bad("%v", err)
			}
			f.outs = append(f.outs, o)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !sawShard || !sawColumns || f.ks == nil || f.ns == nil || f.seeds == nil {
		return nil, fmt.Errorf("%s: incomplete shard (a header line or the columns are missing)", name)
	}
	f.header = header.String()
	return f, nil
}

func parseSeedRow(text string) (core.ScalingOutcome, error) {
	var o core.ScalingOutcome
	cells := strings.Split(text, ",")
	if len(cells) != 6 {
		return o, fmt.Errorf("a row needs 6 cells (%s), not %d", seedHeader, len(cells))
	}
	var err error
	var seed uint64
	errs := []error{}
	add := func(e error) { errs = append(errs, e) }
	o.K, err = strconv.Atoi(cells[0])
	add(err)
	o.N, err = strconv.Atoi(cells[1])
	add(err)
	seed, err = strconv.ParseUint(cells[2], 10, 64)
	add(err)
	o.Seed = seed
	o.Solved, err = strconv.ParseBool(cells[3])
	add(err)
	o.Steps, err = strconv.Atoi(cells[4])
	add(err)
	o.MaxAbsWeight, err = strconv.ParseFloat(cells[5], 64)
	add(err)
	if err := errors.Join(errs...); err != nil {
		return o, fmt.Errorf("bad row %q", text)
	}
	return o, nil
}

func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	if a, b, ok := strings.Cut(s, ".."); ok { // joinUints's short form
		lo, err1 := strconv.ParseUint(a, 10, 64)
		hi, err2 := strconv.ParseUint(b, 10, 64)
		if err1 != nil || err2 != nil || lo > hi || hi-lo >= core.MaxCapacitySeeds {
			return nil, fmt.Errorf("seeds: %q is not a range", s)
		}
		for v := lo; v <= hi; v++ {
			out = append(out, v)
		}
		return out, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseUint(part, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seeds: %q is not a seed", part)
		}
		out = append(out, v)
	}
	return out, nil
}

// mergeShards reads the shard files and writes the summary of the whole
// grid, exactly as the unsharded run writes it. Every shard 0..n-1 of one
// grid must be given once.
func mergeShards(names []string, w io.Writer) error {
	var first *shardFile
	var outs []core.ScalingOutcome
	seen := map[int]string{}
	for _, name := range names {
		fh, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("-merge: %w", err)
		}
		f, err := readShard(name, fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("-merge: %w", err)
		}
		if first == nil {
			first = f
		} else if f.header != first.header || f.count != first.count {
			return fmt.Errorf("-merge: %s and %s are shards of different grids or shard counts", first.name, f.name)
		}
		if prev, dup := seen[f.shard]; dup {
			return fmt.Errorf("-merge: %s and %s are both shard %d/%d", prev, f.name, f.shard, f.count)
		}
		seen[f.shard] = f.name
		outs = append(outs, f.outs...)
	}
	if len(seen) != first.count {
		var missing []string
		for i := range first.count {
			if _, ok := seen[i]; !ok {
				missing = append(missing, fmt.Sprintf("%d/%d", i, first.count))
			}
		}
		return fmt.Errorf("-merge: shards %s are missing", strings.Join(missing, ", "))
	}
	rows, err := core.SummarizeScaling(outs, core.ScalingJobs(first.ks, first.ns, first.seeds))
	if err != nil {
		return fmt.Errorf("-merge: %w", err)
	}
	writeSummary(w, first.header, rows)
	return nil
}

// traceSteps returns the steps at which -trace reports: 0, then 1, 2, 5
// times each power of ten, up to and including last.
func traceSteps(last int) []int {
	steps := []int{0}
	for p := 1; p <= last; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p <= last {
				steps = append(steps, m*p)
			}
		}
		if p > last/10 {
			break
		}
	}
	if steps[len(steps)-1] != last {
		steps = append(steps, last)
	}
	return steps
}

// runTrace trains each seed of spec at (k, n) for steps steps, past the
// solve, and writes CSV: the largest |weight|, the loss, the smallest margin
// and the accuracy at the steps of traceSteps.
func runTrace(ctx context.Context, w io.Writer, spec core.CapacitySpec, k, n, steps int) error {
	fmt.Fprintf(w, "# settings: %s\nseed,step,max_abs_weight,loss,min_margin,accuracy\n", spec.Base.Encode())
	for _, seed := range spec.Seeds {
		cfg, err := spec.PointConfig(k, n, seed)
		if err != nil {
			return err
		}
		t, err := core.NewTrainer(cfg)
		if err != nil {
			return err
		}
		for _, at := range traceSteps(steps) {
			for t.Metrics().Step < at {
				if err := t.Step(); err != nil {
					return err
				}
				if t.Metrics().Step%4096 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
			}
			m := t.Metrics()
			fmt.Fprintf(w, "%d,%d,%s,%s,%s,%s\n", seed, m.Step, formatFloat(m.MaxAbsWeight), formatFloat(m.Loss), formatFloat(m.MinMargin), formatFloat(m.Accuracy))
		}
	}
	return nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// sortedUnique reports whether v is strictly increasing.
func sortedUnique(v []int) bool {
	return slices.IsSorted(v) && len(slices.Compact(slices.Clone(v))) == len(v)
}
