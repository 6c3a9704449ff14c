package core

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// randomConfig returns a valid, varied Config.
func randomConfig(rng *rand.Rand) Config {
	c := DefaultConfig()
	c.K = rng.IntN(MaxK + 1)
	if c.K == 0 {
		c.N = MinN + rng.IntN(MaxNDirect-MinN+1)
	} else {
		c.N = MinN + rng.IntN(200)
	}
	c.Task = Tasks[rng.IntN(len(Tasks))]
	switch c.Task {
	case TaskShift:
		c.Shift = 1 + rng.IntN(c.N-1)
		c.Wrap = rng.IntN(2) == 0
	case TaskRandom:
		c.TaskSeed = rng.Uint64N(MaxSeed + 1)
	case TaskCustom:
		perm := rng.Perm(c.N)
		for i := range perm {
			if i > 0 && rng.IntN(4) == 0 {
				perm[i] = -1
			}
		}
		c.Custom = perm
	}
	c.Activation = Activations[rng.IntN(len(Activations))]
	c.Output = Outputs[rng.IntN(len(Outputs))]
	c.HiddenBias, c.OutputBias = rng.IntN(2) == 0, rng.IntN(2) == 0
	c.Optimizer = Optimizers[rng.IntN(len(Optimizers))]
	c.LearningRate = []float64{0.05, 1e-6, 10, 0.1234567890123, 3}[rng.IntN(5)]
	switch c.Optimizer {
	case OptMomentum:
		c.Momentum = rng.Float64()
	case OptAdam:
		c.Beta1, c.Beta2, c.Epsilon = rng.Float64(), 0.99, 1e-7
	}
	c.Schedule = Schedules[rng.IntN(len(Schedules))]
	if c.Schedule != SchedConst {
		c.Period = 1 + rng.IntN(MaxPeriod)
	}
	c.Warmup = []int{0, 0, 1, 500, MaxPeriod}[rng.IntN(5)]
	c.InitScale = []float64{1, 1, 0.01, 2.5, MaxInitScale}[rng.IntN(5)]
	c.Seed = rng.Uint64N(MaxSeed + 1)
	return c
}

func TestCodecRoundTrip(t *testing.T) {
	def := DefaultConfig()
	if got, want := def.Encode(), "n=11&k=2&task=shift&s=1&opt=adam&lr=0.2&seed=1"; got != want {
		t.Errorf("default encodes as %q, want %q", got, want)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 2000; i++ {
		c := randomConfig(rng)
		if err := c.Validate(); err != nil {
			t.Fatalf("randomConfig made an invalid config: %v", err)
		}
		s := c.Encode()
		got, err := ParseFragment("#" + s)
		if err != nil {
			t.Fatalf("ParseFragment(%q): %v", s, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", s, got, c)
		}
		if strings.ContainsAny(s, " #%?/\"'<>") {
			t.Fatalf("%q needs escaping in a URL", s)
		}
	}
}

// TestCodecTrainingOptions: the schedule, warm-up and initial scale are
// written only when they differ from the default, so that every link made
// before they existed still means the same run.
func TestCodecTrainingOptions(t *testing.T) {
	c := DefaultConfig()
	c.Schedule, c.Period, c.Warmup, c.InitScale = SchedCos, 2000, 100, 0.5
	if got, want := c.Encode(), "n=11&k=2&task=shift&s=1&opt=adam&lr=0.2&sched=cos&period=2000&warm=100&init=0.5&seed=1"; got != want {
		t.Errorf("encodes as %q, want %q", got, want)
	}
	got, err := ParseFragment("sched=step&period=7&init=3")
	if err != nil {
		t.Fatal(err)
	}
	if got.Schedule != SchedStep || got.Period != 7 || got.InitScale != 3 || got.Warmup != 0 {
		t.Errorf("parsed %+v", got)
	}
	got, err = ParseFragment("period=7")
	if err != nil || got.Period != DefaultPeriod {
		t.Errorf("a period without a schedule: period %d, %v; want the default %d", got.Period, err, DefaultPeriod)
	}
}

func TestCodecCanonical(t *testing.T) {
	for _, in := range []string{
		"k=3&n=5",                          // any order
		"task=reverse&s=4&wrap=1&tseed=9",  // parameters of another task are dropped
		"opt=sgd&b1=0.5&mom=0.3&lr=0.5",    // and of another optimizer
		"lr=0.10&seed=01&n=011",            // leading zeros
		"act=tanh&out=softmax&hb=1&ob=1",   // defaults are left out
		"task=custom&n=4&map=2,%203,-,1",   // spaces in a map
		"",                                 // all defaults
		"&&n=6&",                           // stray separators
		"task=random&tseed=0&opt=momentum", // a task and an optimizer with parameters
		"period=500",                       // a period without a schedule is dropped
		"sched=const&warm=0&init=1",        // the default schedule and scale are left out
		"sched=cos&period=2000&warm=100&init=0.5",
	} {
		c, err := ParseFragment(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		once := c.Encode()
		c2, err := ParseFragment(once)
		if err != nil || c2.Encode() != once {
			t.Fatalf("%q: encode(parse) = %q is not a fixed point (%q, %v)", in, once, c2.Encode(), err)
		}
	}
}

// TestCodecErrors: every bad value names the field, shows the value and says
// what is allowed, and the returned Config is the default.
func TestCodecErrors(t *testing.T) {
	for _, tc := range []struct{ in, field, mention string }{
		{"n=abc", "n", "from 2 to 1024"},
		{"n=1", "n", "from 2 to 1024"},
		{"n=100000", "n", "from 2 to 1024"},
		{"n=-5", "n", "whole number"},
		{"n=5.5", "n", "whole number"},
		{"n=1e3", "n", "whole number"},
		{"k=17", "k", "from 0 to 16"},
		{"k=0&n=129", "n", "at most 128"},
		{"task=sort", "task", "shift, reverse, identity, random, custom"},
		{"s=0", "s", "the shift"},
		{"n=5&s=5", "s", "N-1 = 4"},
		{"wrap=yes", "wrap", "1 for on or 0 for off"},
		{"act=gelu", "act", "tanh, sigmoid, relu, linear"},
		{"out=tanh", "out", "softmax, sigmoid"},
		{"hb=2", "hb", "1 for on"},
		{"opt=rmsprop", "opt", "sgd, momentum, adam"},
		{"lr=1e9", "lr", "from 1e-06 to 10"},
		{"lr=0", "lr", "from 1e-06"},
		{"lr=NaN", "lr", "learning rate"},
		{"lr=Inf", "lr", "learning rate"},
		{"lr=-Inf", "lr", "learning rate"},
		{"lr=0x1p-3", "lr", "learning rate"},
		{"lr=", "lr", "learning rate"},
		{"mom=1&opt=momentum", "mom", "not including, 1"},
		{"b1=-0.1", "b1", "beta1"},
		{"b2=1", "b2", "beta2"},
		{"eps=0", "eps", "epsilon"},
		{"sched=cosine", "sched", "const, cos, step"},
		{"sched=cos&period=0", "period", "from 1 to 10000000"},
		{"sched=step&period=1.5", "period", "whole number"},
		{"warm=-1", "warm", "from 0 to 10000000"},
		{"warm=10000001", "warm", "warm-up"},
		{"init=0", "init", "above 0"},
		{"init=-1", "init", "initial weight scale"},
		{"init=101", "init", "initial weight scale"},
		{"init=NaN", "init", "initial weight scale"},
		{"seed=-1", "seed", "0 to 4294967295"},
		{"seed=4294967296", "seed", "0 to 4294967295"},
		{"tseed=abc&task=random", "tseed", "seed"},
		{"n=5&n=6", "n", "once"},
		{"foo=1", "foo", "not a setting"},
		{"n", "n", "n=value"},
		{"n=%zz", "n", "percent-escapes"},
		{"n=%ff", "n", "UTF-8"},
		{"%ff=1", "fragment", "UTF-8"},
		{"task=custom&n=4", "map", "needs a map"},
		{"task=custom&n=4&map=2,3,1", "map", "exactly N = 4"},
		{"task=custom&n=4&map=2,3,2,1", "map", "one input only"},
		{"task=custom&n=4&map=2,3,x,1", "map", "entry 3"},
		{"task=custom&n=4&map=2,3,5,1", "map", "from 1 to 4"},
		{"task=custom&n=4&map=0,1,2,3", "map", "entry 1"},
		{"task=custom&n=3&map=-,-,-", "map", "at least one"},
		{"task=custom&n=4&map=", "map", "target output"},
		{"n=" + strings.Repeat("9", MaxFragmentLen), "fragment", "at most 16384"},
		{"n=<script>alert(1)</script>", "n", "whole number"},
		{strings.Repeat("y", 3000) + "=1", strings.Repeat("y", 40) + "...", "not a setting"},
	} {
		c, err := ParseFragment(tc.in)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%.40q: error %v, want a FieldError", tc.in, err)
			continue
		}
		if fe.Field != tc.field || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%.40q: %q; want field %q mentioning %q", tc.in, err, tc.field, tc.mention)
		}
		if len(err.Error()) > 400 {
			t.Errorf("%.40q: message of %d characters", tc.in, len(err.Error()))
		}
		if !reflect.DeepEqual(c, DefaultConfig()) {
			t.Errorf("%.40q: returned %+v, want the default", tc.in, c)
		}
	}
}

// FuzzParseFragment: no input panics; an accepted input yields a valid config
// whose encoding is canonical and parses back to the same config.
func FuzzParseFragment(f *testing.F) {
	for _, s := range []string{
		"", "n=11&k=2&task=shift&s=1&opt=adam&lr=0.05&seed=1", "#n=8&k=3&task=reverse&seed=7",
		"task=custom&n=4&map=2,3,-,1", "n=%ff", "lr=1e9", "k=0&n=128", "n=5&n=5", "map=,,,",
		"task=random&tseed=4294967295&opt=momentum&mom=0.99", "act=relu&out=sigmoid&hb=0&ob=0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseFragment(s)
		if err != nil {
			if !reflect.DeepEqual(c, DefaultConfig()) {
				t.Fatalf("%q: error %v but config is not the default", s, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("%q: accepted an invalid config: %v", s, err)
		}
		enc := c.Encode()
		c2, err := ParseFragment(enc)
		if err != nil || !reflect.DeepEqual(c, c2) || c2.Encode() != enc {
			t.Fatalf("%q: encode %q does not round-trip (%v)", s, enc, err)
		}
	})
}

// Clip leaves short text alone, cuts long text at MaxShown bytes and never
// splits a rune.
func TestClip(t *testing.T) {
	long := strings.Repeat("x", MaxShown+1)
	for _, c := range []struct{ s, want string }{
		{"short", "short"},
		{strings.Repeat("x", MaxShown), strings.Repeat("x", MaxShown)},
		{long, strings.Repeat("x", MaxShown) + "..."},
		// é is two bytes, the 40th and 41st: it is not cut in half.
		{strings.Repeat("a", MaxShown-1) + "é" + "b", strings.Repeat("a", MaxShown-1) + "..."},
	} {
		if got := Clip(c.s); got != c.want {
			t.Errorf("Clip(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
