package core

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFragmentLen bounds the text ParseFragment accepts. The longest valid
// fragment, a custom map for N = 1024, is about 5,000 characters.
const MaxFragmentLen = 16384

// field is one row of the URL table: how one Config field is written and
// read. The table is the single place that knows the URL format.
type field struct {
	key string
	// applies reports whether the field belongs in c's URL (task and optimizer
	// parameters only appear with their task or optimizer).
	applies func(c *Config) bool
	// always: written even when equal to the default.
	always bool
	get    func(c *Config) string
	set    func(c *Config, v string) error
}

func always(*Config) bool { return true }

var fields = []field{
	{key: "n", applies: always, always: true,
		get: func(c *Config) string { return strconv.Itoa(c.N) },
		set: func(c *Config, v string) error { return parseInt(v, "n", MinN, MaxN, "N", &c.N) }},
	{key: "k", applies: always, always: true,
		get: func(c *Config) string { return strconv.Itoa(c.K) },
		set: func(c *Config, v string) error { return parseInt(v, "k", 0, MaxK, "k", &c.K) }},
	{key: "task", applies: always, always: true,
		get: func(c *Config) string { return string(c.Task) },
		set: func(c *Config, v string) error {
			return parseName(v, "task", Tasks, &c.Task)
		}},
	{key: "s", applies: func(c *Config) bool { return c.Task == TaskShift }, always: true,
		get: func(c *Config) string { return strconv.Itoa(c.Shift) },
		set: func(c *Config, v string) error { return parseInt(v, "s", 1, MaxShift, "the shift", &c.Shift) }},
	{key: "wrap", applies: func(c *Config) bool { return c.Task == TaskShift },
		get: func(c *Config) string { return boolString(c.Wrap) },
		set: func(c *Config, v string) error { return parseBool(v, "wrap", &c.Wrap) }},
	{key: "tseed", applies: func(c *Config) bool { return c.Task == TaskRandom }, always: true,
		get: func(c *Config) string { return strconv.FormatUint(c.TaskSeed, 10) },
		set: func(c *Config, v string) error { return parseSeed(v, "tseed", &c.TaskSeed) }},
	{key: "map", applies: func(c *Config) bool { return c.Task == TaskCustom }, always: true,
		get: func(c *Config) string { return FormatMap(c.Custom) },
		set: func(c *Config, v string) (err error) { c.Custom, err = ParseMap(v); return err }},
	{key: "act", applies: always,
		get: func(c *Config) string { return string(c.Activation) },
		set: func(c *Config, v string) error { return parseName(v, "act", Activations, &c.Activation) }},
	{key: "out", applies: always,
		get: func(c *Config) string { return string(c.Output) },
		set: func(c *Config, v string) error { return parseName(v, "out", Outputs, &c.Output) }},
	{key: "hb", applies: always,
		get: func(c *Config) string { return boolString(c.HiddenBias) },
		set: func(c *Config, v string) error { return parseBool(v, "hb", &c.HiddenBias) }},
	{key: "ob", applies: always,
		get: func(c *Config) string { return boolString(c.OutputBias) },
		set: func(c *Config, v string) error { return parseBool(v, "ob", &c.OutputBias) }},
	{key: "opt", applies: always, always: true,
		get: func(c *Config) string { return string(c.Optimizer) },
		set: func(c *Config, v string) error { return parseName(v, "opt", Optimizers, &c.Optimizer) }},
	{key: "lr", applies: always, always: true,
		get: func(c *Config) string { return formatFloat(c.LearningRate) },
		set: func(c *Config, v string) error {
			return parseFloat(v, "lr", MinLR, MaxLR, true, "the learning rate", &c.LearningRate)
		}},
	{key: "mom", applies: func(c *Config) bool { return c.Optimizer == OptMomentum },
		get: func(c *Config) string { return formatFloat(c.Momentum) },
		set: func(c *Config, v string) error { return parseFloat(v, "mom", 0, 1, false, "momentum", &c.Momentum) }},
	{key: "b1", applies: func(c *Config) bool { return c.Optimizer == OptAdam },
		get: func(c *Config) string { return formatFloat(c.Beta1) },
		set: func(c *Config, v string) error { return parseFloat(v, "b1", 0, 1, false, "beta1", &c.Beta1) }},
	{key: "b2", applies: func(c *Config) bool { return c.Optimizer == OptAdam },
		get: func(c *Config) string { return formatFloat(c.Beta2) },
		set: func(c *Config, v string) error { return parseFloat(v, "b2", 0, 1, false, "beta2", &c.Beta2) }},
	{key: "eps", applies: func(c *Config) bool { return c.Optimizer == OptAdam },
		get: func(c *Config) string { return formatFloat(c.Epsilon) },
		set: func(c *Config, v string) error {
			if err := parseFloat(v, "eps", 0, 1, true, "epsilon", &c.Epsilon); err != nil {
				return err
			}
			if c.Epsilon == 0 {
				return fieldErr("eps", v, "epsilon must be above 0 and at most 1")
			}
			return nil
		}},
	{key: "sched", applies: always,
		get: func(c *Config) string { return string(c.Schedule) },
		set: func(c *Config, v string) error { return parseName(v, "sched", Schedules, &c.Schedule) }},
	{key: "period", applies: func(c *Config) bool { return c.Schedule != SchedConst },
		get: func(c *Config) string { return strconv.Itoa(c.Period) },
		set: func(c *Config, v string) error {
			return parseInt(v, "period", 1, MaxPeriod, "the schedule's period in steps", &c.Period)
		}},
	{key: "warm", applies: always,
		get: func(c *Config) string { return strconv.Itoa(c.Warmup) },
		set: func(c *Config, v string) error {
			return parseInt(v, "warm", 0, MaxPeriod, "the warm-up in steps", &c.Warmup)
		}},
	{key: "init", applies: always,
		get: func(c *Config) string { return formatFloat(c.InitScale) },
		set: func(c *Config, v string) error {
			if err := parseFloat(v, "init", 0, MaxInitScale, true, "the initial weight scale", &c.InitScale); err != nil {
				return err
			}
			if c.InitScale == 0 {
				return fieldErr("init", v, fmt.Sprintf("the initial weight scale must be above 0 and at most %d", MaxInitScale))
			}
			return nil
		}},
	{key: "seed", applies: always, always: true,
		get: func(c *Config) string { return strconv.FormatUint(c.Seed, 10) },
		set: func(c *Config, v string) error { return parseSeed(v, "seed", &c.Seed) }},
}

// Encode returns c as a URL fragment (without the "#"), e.g.
// "n=11&k=2&task=shift&s=1&opt=adam&lr=0.1&seed=1". Fields equal to their
// default are left out unless they define the task; parameters of another task
// or optimizer are never written. The result contains only characters that
// need no percent-encoding, and ParseFragment(c.Encode()) equals c for valid c.
func (c Config) Encode() string {
	def := DefaultConfig()
	var b strings.Builder
	for _, f := range fields {
		if !f.applies(&c) {
			continue
		}
		v := f.get(&c)
		if !f.always && v == f.get(&def) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(f.key)
		b.WriteByte('=')
		b.WriteString(v)
	}
	return b.String()
}

// ParseFragment parses a URL fragment (with or without its leading "#") into a
// valid Config. Missing fields take their defaults; parameters of a task or
// optimizer other than the chosen one are ignored. It never panics: every
// problem yields a *FieldError naming the field, the value and what is allowed.
func ParseFragment(s string) (Config, error) {
	def := DefaultConfig()
	if len(s) > MaxFragmentLen {
		return def, fieldErr("fragment", fmt.Sprintf("%d characters", len(s)), fmt.Sprintf("a link may hold at most %d characters", MaxFragmentLen))
	}
	s = strings.TrimPrefix(s, "#")
	c := def
	seen := make(map[string]bool)
	for part := range strings.SplitSeq(s, "&") {
		if part == "" {
			continue
		}
		rawKey, rawVal, hasEq := strings.Cut(part, "=")
		key, err := unescape(rawKey)
		if err != nil {
			return def, fieldErr("fragment", rawKey, "percent-escapes must be valid UTF-8 text such as %20")
		}
		val, err := unescape(rawVal)
		if err != nil {
			return def, fieldErr(key, rawVal, "percent-escapes must be valid UTF-8 text such as %20")
		}
		f := lookupField(key)
		if f == nil {
			return def, fieldErr(key, val, "this is not a setting of Bottleneck; the settings are "+knownKeys())
		}
		if !hasEq {
			return def, fieldErr(key, "", "write it as "+key+"=value")
		}
		if seen[key] {
			return def, fieldErr(key, val, "each setting may appear once")
		}
		seen[key] = true
		if err := f.set(&c, val); err != nil {
			return def, err
		}
	}
	// Drop parameters that do not apply, so the Config is canonical.
	for _, f := range fields {
		if !f.applies(&c) && seen[f.key] {
			if err := f.set(&c, f.get(&def)); err != nil {
				return def, err
			}
			if f.key == "map" {
				c.Custom = nil
			}
		}
	}
	if c.Task == TaskCustom && !seen["map"] {
		return def, fieldErr("map", "", "task=custom needs a map such as map=2,3,-,1")
	}
	if err := c.Validate(); err != nil {
		return def, err
	}
	return c, nil
}

func lookupField(key string) *field {
	for i := range fields {
		if fields[i].key == key {
			return &fields[i]
		}
	}
	return nil
}

func knownKeys() string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}

// unescape decodes %XX escapes (and "+" as a space is NOT decoded: the
// fragment is not a form). It rejects bad escapes and invalid UTF-8.
func unescape(s string) (string, error) {
	if !strings.Contains(s, "%") {
		if !utf8.ValidString(s) {
			return "", fmt.Errorf("invalid UTF-8")
		}
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("bad escape")
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", fmt.Errorf("bad escape")
		}
		b.WriteByte(byte(v))
		i += 2
	}
	if !utf8.ValidString(b.String()) {
		return "", fmt.Errorf("invalid UTF-8")
	}
	return b.String(), nil
}

func parseInt(v, key string, lo, hi int, what string, dst *int) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return fieldErr(key, v, fmt.Sprintf("%s must be a whole number from %d to %d", what, lo, hi))
	}
	*dst = n
	return nil
}

func parseSeed(v, key string, dst *uint64) error {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n > MaxSeed {
		return fieldErr(key, v, fmt.Sprintf("the seed must be a whole number from 0 to %d", uint64(MaxSeed)))
	}
	*dst = n
	return nil
}

// parseFloat accepts a finite number in [lo, hi] (hi itself only when
// hiIncluded); NaN, infinities and hex floats are refused.
func parseFloat(v, key string, lo, hi float64, hiIncluded bool, what string, dst *float64) error {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || strings.ContainsAny(v, "xXpP_") || math.IsNaN(x) || math.IsInf(x, 0) || x < lo || x > hi || (!hiIncluded && x == hi) {
		// The message is built only here: a link's fields are read on
		// every change of the fragment and for every job of a sweep.
		if hiIncluded {
			return fieldErr(key, v, fmt.Sprintf("%s must be a number from %g to %g", what, lo, hi))
		}
		return fieldErr(key, v, fmt.Sprintf("%s must be a number from %g up to, but not including, %g", what, lo, hi))
	}
	*dst = x
	return nil
}

func parseBool(v, key string, dst *bool) error {
	switch v {
	case "1":
		*dst = true
	case "0":
		*dst = false
	default:
		return fieldErr(key, v, "use 1 for on or 0 for off")
	}
	return nil
}

func parseName[T ~string](v, key string, all []T, dst *T) error {
	for _, a := range all {
		if string(a) == v {
			*dst = a
			return nil
		}
	}
	names := make([]string, len(all))
	for i, a := range all {
		names[i] = string(a)
	}
	return fieldErr(key, v, "use one of "+strings.Join(names, ", "))
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// formatFloat writes the shortest decimal that parses back to x exactly.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// FormatMap writes a custom mapping as the URL and the UI show it: the
// 1-based target of each input, "-" for an unused input, comma-separated
// (e.g. "2,3,-,1").
func FormatMap(m []int) string {
	var b strings.Builder
	for i, t := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		if t < 0 {
			b.WriteByte('-')
		} else {
			b.WriteString(strconv.Itoa(t + 1))
		}
	}
	return b.String()
}

// ParseMap reads FormatMap's form into 0-based targets (-1 for unused). It
// checks each entry's syntax and range against MaxN; the length and repeats are
// checked against N by Config.Validate.
func ParseMap(s string) ([]int, error) {
	if s == "" {
		return nil, fieldErr("map", s, "list each input's target output, e.g. 2,3,-,1")
	}
	parts := strings.Split(s, ",")
	if len(parts) > MaxN {
		return nil, fieldErr("map", fmt.Sprintf("%d entries", len(parts)), fmt.Sprintf("at most %d entries", MaxN))
	}
	m := make([]int, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "-" {
			m[i] = -1
			continue
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 || v > MaxN {
			return nil, fieldErr("map", p, fmt.Sprintf("entry %d must be an output number from 1 to N, or - for an unused input", i+1))
		}
		m[i] = v - 1
	}
	return m, nil
}
