// Package core is the training core of Bottleneck: an N-k-N network with one-hot
// inputs, a hidden layer of k units and N outputs, trained full-batch on a
// mapping task (by default "input n fires output n+1").
//
// The package is pure Go on top of gonum. It never imports ebiten or
// syscall/js, so its tests run natively and, unchanged, as js/wasm under Node.
package core

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// Limits on a Config. They are what the URL codec and the UI accept.
const (
	MinN = 2    // smallest number of inputs (and outputs)
	MaxN = 1024 // largest N with a hidden layer: the literature's 1000-2-1000 encoder fits
	// MaxNDirect is the largest N when K = 0. The direct network has N*N weights and
	// draws N*N connections; beyond 128 (16,384 connections) it is no longer a picture
	// anyone can read, and as a baseline it proves nothing more at larger N.
	MaxNDirect = 128
	MaxK       = 16 // largest hidden layer: the playground is about few hidden units
	MinLR      = 1e-6
	MaxLR      = 10 // beyond this no optimizer here does anything but diverge
	MaxSeed    = 1<<32 - 1
	MaxShift   = MaxN - 1
	// MaxInitScale bounds InitScale: 100 times Glorot saturates every tanh
	// unit already, so larger scales only make the start worse.
	MaxInitScale = 100
	// MaxPeriod bounds Period and Warmup, in steps: the capacity command's
	// largest budget.
	MaxPeriod = 10_000_000
)

// TaskKind names the mapping a network learns.
type TaskKind string

// The tasks. Each maps an input index to a target output index, or to no target.
const (
	TaskShift    TaskKind = "shift"    // input i fires output i+s (cyclic with Wrap)
	TaskReverse  TaskKind = "reverse"  // input i fires output N-1-i
	TaskIdentity TaskKind = "identity" // input i fires output i: the classic encoder problem
	TaskRandom   TaskKind = "random"   // a random permutation drawn from TaskSeed
	TaskCustom   TaskKind = "custom"   // an explicit list, Custom
)

// Tasks lists every task kind in display order.
var Tasks = []TaskKind{TaskShift, TaskReverse, TaskIdentity, TaskRandom, TaskCustom}

// Activation names a hidden-layer activation function.
type Activation string

// The hidden activations.
const (
	ActTanh    Activation = "tanh"
	ActSigmoid Activation = "sigmoid"
	ActReLU    Activation = "relu"
	ActLinear  Activation = "linear"
)

// Activations lists every hidden activation in display order.
var Activations = []Activation{ActTanh, ActSigmoid, ActReLU, ActLinear}

// Output names the output layer together with its loss.
type Output string

// The output layers.
const (
	// OutSoftmax is a softmax output trained with cross-entropy: the post's choice.
	OutSoftmax Output = "softmax"
	// OutSigmoid is an independent sigmoid per output trained with squared error.
	OutSigmoid Output = "sigmoid"
)

// Outputs lists every output kind in display order.
var Outputs = []Output{OutSoftmax, OutSigmoid}

// OptimizerKind names an optimizer.
type OptimizerKind string

// The optimizers. Each step uses the whole data set (full batch).
const (
	OptSGD      OptimizerKind = "sgd"      // plain gradient descent
	OptMomentum OptimizerKind = "momentum" // heavy-ball momentum with coefficient Momentum
	OptAdam     OptimizerKind = "adam"     // Adam with Beta1, Beta2 and Epsilon
)

// Optimizers lists every optimizer in display order.
var Optimizers = []OptimizerKind{OptSGD, OptMomentum, OptAdam}

// ScheduleKind names a learning-rate schedule: how the step size changes
// over the steps. Every optimizer follows it.
type ScheduleKind string

// The schedules. Each multiplies LearningRate by a factor that depends on the
// step only (see Config.LRAt), after the optional warm-up.
const (
	// SchedConst keeps the learning rate constant: the default.
	SchedConst ScheduleKind = "const"
	// SchedCos anneals it from LearningRate towards 0 along half a cosine
	// over Period steps, then restarts (cosine annealing with warm restarts,
	// Loshchilov & Hutter 2017): each cycle explores at a high rate and ends
	// settled at a low one.
	SchedCos ScheduleKind = "cos"
	// SchedStep halves it every Period steps.
	SchedStep ScheduleKind = "step"
)

// Schedules lists every schedule in display order.
var Schedules = []ScheduleKind{SchedConst, SchedCos, SchedStep}

// Config is everything that defines a run. Two runs with equal Configs produce
// bit-identical weights at every step on one platform.
type Config struct {
	N int // inputs = outputs, MinN..MaxN (MaxNDirect when K = 0)
	K int // hidden units, 0..MaxK; 0 is the direct N x N network

	Task     TaskKind
	Shift    int    // TaskShift: the amount s, 1..N-1
	Wrap     bool   // TaskShift: cyclic; off by default as in the post
	TaskSeed uint64 // TaskRandom: the permutation's seed
	// Custom is TaskCustom's mapping: Custom[i] is input i's target output, or -1
	// when input i is unused. Its length is N and no output appears twice.
	Custom []int

	Activation Activation
	Output     Output
	HiddenBias bool // a bias on each hidden unit
	OutputBias bool // a bias on each output

	Optimizer    OptimizerKind
	LearningRate float64
	Momentum     float64 // OptMomentum: coefficient in [0, 1)
	Beta1, Beta2 float64 // OptAdam: decay rates in [0, 1)
	Epsilon      float64 // OptAdam: in (0, 1]

	// Schedule changes the learning rate over the steps (Config.LRAt).
	Schedule ScheduleKind
	Period   int // SchedCos: cycle length; SchedStep: steps per halving; 1..MaxPeriod
	// Warmup is how many steps the learning rate ramps up linearly before the
	// schedule, 0 (off) to MaxPeriod: step t < Warmup uses (t+1)/Warmup of it.
	Warmup int

	// InitScale multiplies the Glorot-uniform initial weights: 1 (the
	// default) is Glorot itself; in (0, MaxInitScale].
	InitScale float64

	Seed uint64 // the initial weights' seed, 0..MaxSeed
}

// DefaultConfig returns the post's network: 11-2-11, shift by one without
// wrap-around, tanh and softmax, biases on, trained with Adam.
func DefaultConfig() Config {
	return Config{
		N: 11, K: 2,
		Task: TaskShift, Shift: 1, TaskSeed: 1,
		Activation: ActTanh, Output: OutSoftmax,
		HiddenBias: true, OutputBias: true,
		Optimizer: OptAdam, LearningRate: DefaultLR,
		Momentum: 0.9, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8,
		Schedule: SchedConst, Period: DefaultPeriod, InitScale: 1,
		Seed: 1,
	}
}

// DefaultLR is the default learning rate, tuned for Adam on the default task:
// over seeds 1..10, 11-2-11 is solved in a median of 77 steps at 0.2 against
// 190 at 0.1, while 0.3 and above let an occasional seed wander for 500+ steps
// (TestMedianStepsToSolve).
const DefaultLR = 0.2

// DefaultPeriod is the default Period of a schedule, in steps.
const DefaultPeriod = 10000

// LRAt returns the learning rate of the update that follows step updates
// (step >= 0): LearningRate times the warm-up factor min(1, (step+1)/Warmup)
// times the schedule's factor at step-Warmup. With SchedConst and no warm-up
// it is exactly LearningRate, so the default training is unchanged.
func (c *Config) LRAt(step int) float64 {
	lr := c.LearningRate
	if c.Warmup > 0 {
		if step < c.Warmup {
			return lr * float64(step+1) / float64(c.Warmup)
		}
		step -= c.Warmup
	}
	switch c.Schedule {
	case SchedCos:
		phase := float64(step%c.Period) / float64(c.Period)
		return lr * 0.5 * (1 + math.Cos(math.Pi*phase))
	case SchedStep:
		return lr * math.Ldexp(1, -(step/c.Period)) // underflows to 0 after ~1074 halvings
	}
	return lr
}

// FieldError is a Config problem tied to one field, as named in the URL.
type FieldError struct {
	Field   string // the URL key, e.g. "n"
	Value   string // the offending value as given (shortened if long)
	Allowed string // what is allowed, in words
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %q is not allowed; %s", e.Field, e.Value, e.Allowed)
}

// fieldErr builds a FieldError, shortening an untrusted field name or value
// so that a hostile link cannot flood the message.
func fieldErr(field, value, allowed string) *FieldError {
	return &FieldError{Field: Clip(field), Value: Clip(value), Allowed: allowed}
}

// MaxShown is how many bytes of an untrusted value a message shows (Clip).
const MaxShown = 40

// Clip shortens s, an untrusted value about to be shown in a message, to at
// most MaxShown bytes plus "..." without splitting a rune, so that a hostile
// link or file cannot flood the message. It is the one shortening that every
// message of core and of the pages uses.
func Clip(s string) string {
	if len(s) <= MaxShown {
		return s
	}
	cut := MaxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// Validate reports the first problem with c, or nil. It never panics.
func (c *Config) Validate() error {
	if c.N < MinN || c.N > MaxN {
		return fieldErr("n", fmt.Sprint(c.N), fmt.Sprintf("N must be a whole number from %d to %d", MinN, MaxN))
	}
	if c.K < 0 || c.K > MaxK {
		return fieldErr("k", fmt.Sprint(c.K), fmt.Sprintf("k must be a whole number from 0 to %d", MaxK))
	}
	if c.K == 0 && c.N > MaxNDirect {
		return fieldErr("n", fmt.Sprint(c.N), fmt.Sprintf("with k=0 (the direct network) N must be at most %d", MaxNDirect))
	}
	switch c.Task {
	case TaskShift:
		if c.Shift < 1 || c.Shift > c.N-1 {
			return fieldErr("s", fmt.Sprint(c.Shift), fmt.Sprintf("the shift must be from 1 to N-1 = %d", c.N-1))
		}
	case TaskReverse, TaskIdentity, TaskRandom:
	case TaskCustom:
		if err := validateCustom(c.Custom, c.N); err != nil {
			return err
		}
	default:
		return fieldErr("task", string(c.Task), "the task must be one of shift, reverse, identity, random, custom")
	}
	if !oneOf(c.Activation, Activations) {
		return fieldErr("act", string(c.Activation), "the activation must be one of tanh, sigmoid, relu, linear")
	}
	if !oneOf(c.Output, Outputs) {
		return fieldErr("out", string(c.Output), "the output must be softmax or sigmoid")
	}
	if !oneOf(c.Optimizer, Optimizers) {
		return fieldErr("opt", string(c.Optimizer), "the optimizer must be one of sgd, momentum, adam")
	}
	if !(c.LearningRate >= MinLR && c.LearningRate <= MaxLR) { // also catches NaN
		return fieldErr("lr", fmt.Sprint(c.LearningRate), fmt.Sprintf("the learning rate must be from %g to %g", MinLR, float64(MaxLR)))
	}
	if !(c.Momentum >= 0 && c.Momentum < 1) {
		return fieldErr("mom", fmt.Sprint(c.Momentum), "momentum must be at least 0 and below 1")
	}
	if !(c.Beta1 >= 0 && c.Beta1 < 1) {
		return fieldErr("b1", fmt.Sprint(c.Beta1), "beta1 must be at least 0 and below 1")
	}
	if !(c.Beta2 >= 0 && c.Beta2 < 1) {
		return fieldErr("b2", fmt.Sprint(c.Beta2), "beta2 must be at least 0 and below 1")
	}
	if !(c.Epsilon > 0 && c.Epsilon <= 1) {
		return fieldErr("eps", fmt.Sprint(c.Epsilon), "epsilon must be above 0 and at most 1")
	}
	if !oneOf(c.Schedule, Schedules) {
		return fieldErr("sched", string(c.Schedule), "the schedule must be one of const, cos, step")
	}
	if c.Period < 1 || c.Period > MaxPeriod {
		return fieldErr("period", fmt.Sprint(c.Period), fmt.Sprintf("the period must be a whole number of steps from 1 to %d", MaxPeriod))
	}
	if c.Warmup < 0 || c.Warmup > MaxPeriod {
		return fieldErr("warm", fmt.Sprint(c.Warmup), fmt.Sprintf("the warm-up must be a whole number of steps from 0 to %d", MaxPeriod))
	}
	if !(c.InitScale > 0 && c.InitScale <= MaxInitScale) {
		return fieldErr("init", fmt.Sprint(c.InitScale), fmt.Sprintf("the initial weight scale must be above 0 and at most %d", MaxInitScale))
	}
	if c.Seed > MaxSeed {
		return fieldErr("seed", fmt.Sprint(c.Seed), fmt.Sprintf("the seed must be a whole number from 0 to %d", uint64(MaxSeed)))
	}
	if c.TaskSeed > MaxSeed {
		return fieldErr("tseed", fmt.Sprint(c.TaskSeed), fmt.Sprintf("the task seed must be a whole number from 0 to %d", uint64(MaxSeed)))
	}
	return nil
}

func validateCustom(m []int, n int) error {
	if len(m) != n {
		return fieldErr("map", fmt.Sprintf("%d entries", len(m)), fmt.Sprintf("the custom map needs exactly N = %d entries, one per input", n))
	}
	seen := make(map[int]int, n)
	for i, t := range m {
		if t < -1 || t >= n {
			return fieldErr("map", fmt.Sprintf("input %d -> %d", i+1, t+1), fmt.Sprintf("each target must be an output from 1 to %d, or - for an unused input", n))
		}
		if t < 0 {
			continue
		}
		if j, dup := seen[t]; dup {
			return fieldErr("map", fmt.Sprintf("output %d", t+1), fmt.Sprintf("each output may be the target of one input only; inputs %d and %d both fire it", j+1, i+1))
		}
		seen[t] = i
	}
	if len(seen) == 0 {
		return fieldErr("map", "no targets", "at least one input needs a target")
	}
	return nil
}

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if a == v {
			return true
		}
	}
	return false
}

// Connections returns the number of weights (connections) of the network, as
// the post counts them: N*N for the direct network, N*k + k*N through the
// bottleneck. Biases are counted separately by Biases.
func (c *Config) Connections() int {
	if c.K == 0 {
		return c.N * c.N
	}
	return 2 * c.N * c.K
}

// Biases returns the number of bias parameters.
func (c *Config) Biases() int {
	b := 0
	if c.HiddenBias && c.K > 0 {
		b += c.K
	}
	if c.OutputBias {
		b += c.N
	}
	return b
}

// Shape returns the network's name in the "N-k-N" form, e.g. "11-2-11", or
// "5-5" for the direct network.
func (c *Config) Shape() string {
	if c.K == 0 {
		return fmt.Sprintf("%d-%d", c.N, c.N)
	}
	return fmt.Sprintf("%d-%d-%d", c.N, c.K, c.N)
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
