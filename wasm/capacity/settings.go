// Package capacity is the pure logic of the capacity explorer (capacity.html):
// the sweep settings and their URL fragment, the plot's geometry (a log-scale
// N axis against k, with the post's and the literature's reference points),
// the results table with its CSV and JSON exports, and the Pool that runs a
// core.SweepJobs on engine workers. It imports neither
// ebiten nor syscall/js, so all of it is tested natively.
package capacity

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Limits of the explorer's settings. They are tighter than core's: the sweep
// runs in the browser's workers, so a setting that would take hours there
// is refused with a clear message rather than accepted.
const (
	// MaxK is the largest hidden layer the explorer offers (checkboxes 0..8).
	MaxK = 8
	// MaxBudget is the most steps per seed: at N=1024 a step takes tens of
	// milliseconds in the browser, so more than this runs for days.
	MaxBudget = 1_000_000
	// MaxSeeds is the most seeds per point.
	MaxSeeds = 16
	// DefaultBudget is the native command's default budget: every seed of
	// the post's points solves well within it.
	DefaultBudget = 20000
	// DefaultSeeds is the native command's default seed count (seeds 1..3).
	DefaultSeeds = 3
	// MaxWorkers is the most engine workers a sweep runs on. Each is a Go
	// runtime with its own wasm memory, so a link must not start hundreds.
	MaxWorkers = 16
)

// Settings are the explorer's sweep settings, as the page's controls and its
// URL fragment hold them.
type Settings struct {
	Ks         []int // hidden-layer sizes to sweep, ascending, distinct, 0..MaxK
	Budget     int   // most steps per seed, 1..MaxBudget
	Seeds      int   // seeds 1..Seeds, 1..MaxSeeds
	LR         float64
	Opt        core.OptimizerKind
	Act        core.Activation
	Out        core.Output
	HiddenBias bool
	OutputBias bool
	MaxN       int // the top of each k's search, core.MinN..core.MaxN
	// Workers is how many engine workers train the sweep's seeds at once,
	// 1..MaxWorkers, or 0 for DefaultWorkers of the machine. It changes the
	// run time, never the results: it is written to the link only when set.
	Workers int
}

// DefaultWorkers is the pool size for a machine with cores logical cores
// (navigator.hardwareConcurrency): all but one, which the page and the
// browser keep, and at least one.
func DefaultWorkers(cores int) int {
	return min(MaxWorkers, max(1, cores-1))
}

// PoolSize returns the number of workers to start on a machine with cores
// logical cores: Workers if set, else DefaultWorkers(cores).
func (s Settings) PoolSize(cores int) int {
	if s.Workers > 0 {
		return s.Workers
	}
	return DefaultWorkers(cores)
}

// Defaults returns the native command's defaults: k = 1..4, a budget of
// 20,000 steps, seeds 1..3, the post's tanh/softmax network with both biases,
// Adam at core.CapacityLR, N searched up to core.MaxN.
func Defaults() Settings {
	d := core.DefaultConfig()
	return Settings{
		Ks: []int{1, 2, 3, 4}, Budget: DefaultBudget, Seeds: DefaultSeeds,
		LR: core.CapacityLR, Opt: d.Optimizer, Act: d.Activation, Out: d.Output,
		HiddenBias: d.HiddenBias, OutputBias: d.OutputBias, MaxN: core.MaxN,
	}
}

// Keys lists the fragment's keys in their canonical order.
var Keys = []string{"k", "budget", "seeds", "lr", "opt", "act", "out", "hb", "ob", "max", "workers"}

// Allowed describes, per key, what the key accepts, in words; the messages
// for bad values quote it.
var Allowed = map[string]string{
	"k":       fmt.Sprintf("k lists hidden-layer sizes, distinct whole numbers from 0 to %d separated by commas, e.g. k=1,2,3,4", MaxK),
	"budget":  fmt.Sprintf("the step budget must be a whole number from 1 to %d", MaxBudget),
	"seeds":   fmt.Sprintf("the number of seeds must be a whole number from 1 to %d", MaxSeeds),
	"lr":      fmt.Sprintf("the learning rate must be a number from %g to %g", core.MinLR, float64(core.MaxLR)),
	"opt":     "the optimizer must be " + orList(core.Optimizers),
	"act":     "the activation must be " + orList(core.Activations),
	"out":     "the output must be " + orList(core.Outputs),
	"hb":      "the hidden bias must be 1 (on) or 0 (off)",
	"ob":      "the output bias must be 1 (on) or 0 (off)",
	"max":     fmt.Sprintf("the largest N must be a whole number from %d to %d", core.MinN, core.MaxN),
	"workers": fmt.Sprintf("the number of workers must be a whole number from 1 to %d, or empty for all cores but one", MaxWorkers),
}

func orList[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Encode returns the canonical fragment of s (without the "#"), every key in
// the order of Keys, e.g. "k=1,2,3,4&budget=20000&seeds=3&lr=0.05&opt=adam&
// act=tanh&out=softmax&hb=1&ob=1&max=1024".
func (s Settings) Encode() string {
	ks := make([]string, len(s.Ks))
	for i, k := range s.Ks {
		ks[i] = strconv.Itoa(k)
	}
	b01 := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	vals := []string{
		strings.Join(ks, ","), strconv.Itoa(s.Budget), strconv.Itoa(s.Seeds),
		strconv.FormatFloat(s.LR, 'g', -1, 64), string(s.Opt), string(s.Act), string(s.Out),
		b01(s.HiddenBias), b01(s.OutputBias), strconv.Itoa(s.MaxN), strconv.Itoa(s.Workers),
	}
	var b strings.Builder
	for i, k := range Keys {
		if k == "workers" && s.Workers == 0 {
			continue // the machine's default: not part of the sweep
		}
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(vals[i]))
	}
	// Commas are safe in a fragment and read better than %2C.
	return strings.ReplaceAll(b.String(), "%2C", ",")
}

// Parse reads a fragment (with or without its "#"). Keys not given keep their
// default; a bad value is reported, as a *core.FieldError naming the key and
// what it allows, and its default is used instead, so that a bad link still
// gives a usable page. Unknown keys are reported too. The settings returned
// are always valid (Check returns nil for them).
func Parse(fragment string) (Settings, []error) {
	s := Defaults()
	fragment = strings.TrimPrefix(fragment, "#")
	if fragment == "" {
		return s, nil
	}
	var errs []error
	seen := map[string]bool{}
	for part := range strings.SplitSeq(fragment, "&") {
		if part == "" {
			continue
		}
		rawKey, rawVal, _ := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(rawKey)
		val, err2 := url.QueryUnescape(rawVal)
		if err1 != nil || err2 != nil {
			errs = append(errs, fieldErr(rawKey, rawVal, "the link is not properly encoded"))
			continue
		}
		if _, ok := Allowed[key]; !ok {
			errs = append(errs, fieldErr(key, val, "it is not a setting of the explorer; the settings are "+strings.Join(Keys, ", ")))
			continue
		}
		if seen[key] {
			errs = append(errs, fieldErr(key, val, key+" is given twice; give it once"))
			continue
		}
		seen[key] = true
		if err := s.Set(key, val); err != nil {
			errs = append(errs, err)
		}
	}
	return s, errs
}

// Set parses one setting's value into s, or returns a *core.FieldError and
// leaves s as it was.
func (s *Settings) Set(key, val string) error {
	val = strings.TrimSpace(val)
	bad := func() error { return fieldErr(key, val, Allowed[key]) }
	whole := func(lo, hi int) (int, bool) {
		v, err := strconv.Atoi(val)
		return v, err == nil && v >= lo && v <= hi
	}
	switch key {
	case "k":
		ks, ok := parseKs(val)
		if !ok {
			return bad()
		}
		s.Ks = ks
	case "budget":
		v, ok := whole(1, MaxBudget)
		if !ok {
			return bad()
		}
		s.Budget = v
	case "seeds":
		v, ok := whole(1, MaxSeeds)
		if !ok {
			return bad()
		}
		s.Seeds = v
	case "max":
		v, ok := whole(core.MinN, core.MaxN)
		if !ok {
			return bad()
		}
		s.MaxN = v
	case "workers":
		if val == "" || val == "auto" {
			s.Workers = 0
			return nil
		}
		v, ok := whole(1, MaxWorkers)
		if !ok {
			return bad()
		}
		s.Workers = v
	case "lr":
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(v) || v < core.MinLR || v > core.MaxLR {
			return bad()
		}
		s.LR = v
	case "opt":
		if !slices.Contains(core.Optimizers, core.OptimizerKind(val)) {
			return bad()
		}
		s.Opt = core.OptimizerKind(val)
	case "act":
		if !slices.Contains(core.Activations, core.Activation(val)) {
			return bad()
		}
		s.Act = core.Activation(val)
	case "out":
		if !slices.Contains(core.Outputs, core.Output(val)) {
			return bad()
		}
		s.Out = core.Output(val)
	case "hb", "ob":
		var on bool
		switch val {
		case "1":
			on = true
		case "0":
		default:
			return bad()
		}
		if key == "hb" {
			s.HiddenBias = on
		} else {
			s.OutputBias = on
		}
	default:
		return fieldErr(key, val, "it is not a setting of the explorer; the settings are "+strings.Join(Keys, ", "))
	}
	return nil
}

// parseKs reads "1,2,3" into distinct ks, sorted ascending.
func parseKs(val string) ([]int, bool) {
	if val == "" {
		return nil, false
	}
	var ks []int
	for p := range strings.SplitSeq(val, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || k < 0 || k > MaxK || slices.Contains(ks, k) {
			return nil, false
		}
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks, true
}

func fieldErr(key, val, allowed string) error {
	return &core.FieldError{Field: core.Clip(key), Value: core.Clip(val), Allowed: allowed}
}

// Check reports the first problem of s, or nil; Parse and Set only produce
// settings that pass.
func (s Settings) Check() error {
	fs := []struct {
		key string
		val string
	}{
		{"k", s.encodedKs()}, {"budget", strconv.Itoa(s.Budget)}, {"seeds", strconv.Itoa(s.Seeds)},
		{"lr", strconv.FormatFloat(s.LR, 'g', -1, 64)}, {"opt", string(s.Opt)}, {"act", string(s.Act)},
		{"out", string(s.Out)}, {"max", strconv.Itoa(s.MaxN)},
	}
	var t Settings
	for _, f := range fs {
		if err := t.Set(f.key, f.val); err != nil {
			return err
		}
	}
	if !slices.IsSorted(s.Ks) {
		return fieldErr("k", s.encodedKs(), Allowed["k"])
	}
	if s.Workers < 0 || s.Workers > MaxWorkers {
		return fieldErr("workers", strconv.Itoa(s.Workers), Allowed["workers"])
	}
	return nil
}

func (s Settings) encodedKs() string {
	ks := make([]string, len(s.Ks))
	for i, k := range s.Ks {
		ks[i] = strconv.Itoa(k)
	}
	return strings.Join(ks, ",")
}

// SeedList returns the seeds 1..Seeds.
func (s Settings) SeedList() []uint64 {
	out := make([]uint64, s.Seeds)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

// Spec returns the capacity measurement that s describes: the post's task
// (shift by one, no wrap-around) on the playground's default network with
// s's activation, output, biases, optimizer and learning rate, N searched
// from core.MinN to s.MaxN. It is what the native command runs for the same
// settings (capacity -k ... -budget ... -seeds ... -lr ... -max ...).
func (s Settings) Spec() core.CapacitySpec {
	base := core.DefaultConfig()
	base.Activation, base.Output = s.Act, s.Out
	base.HiddenBias, base.OutputBias = s.HiddenBias, s.OutputBias
	base.Optimizer, base.LearningRate = s.Opt, s.LR
	return core.CapacitySpec{Base: base, Budget: s.Budget, Seeds: s.SeedList(), MinN: core.MinN, MaxN: s.MaxN}
}

// Command returns the native command line that measures the same thing, for
// the page to show next to the results.
func (s Settings) Command() string {
	b01 := func(v bool) string { return strconv.FormatBool(v) }
	return fmt.Sprintf("go run ./core/cmd/capacity -k %s -budget %d -seeds %d -lr %s -opt %s -act %s -out %s -hb=%s -ob=%s -max %d",
		s.encodedKs(), s.Budget, s.Seeds, strconv.FormatFloat(s.LR, 'g', -1, 64), s.Opt, s.Act, s.Out,
		b01(s.HiddenBias), b01(s.OutputBias), s.MaxN)
}

// IsExplorer reports whether a page's query string (location.search, with or
// without its "?") asks for the capacity explorer: mode=capacity.
func IsExplorer(search string) bool {
	q, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
	return err == nil && q.Get("mode") == "capacity"
}
