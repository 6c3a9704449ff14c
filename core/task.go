package core

import "math/rand/v2"

// Targets returns the mapping of c's task: a slice t of length c.N where t[i]
// is the output that input i must fire, or -1 when input i has no target (the
// last s inputs of a shift without wrap-around, or an unused custom input).
// c must be valid; Targets panics on an unknown task.
func Targets(c *Config) []int {
	n := c.N
	t := make([]int, n)
	switch c.Task {
	case TaskShift:
		for i := range t {
			j := i + c.Shift
			switch {
			case j < n:
				t[i] = j
			case c.Wrap:
				t[i] = j % n
			default:
				t[i] = -1 // "input 5 never gets fired"
			}
		}
	case TaskReverse:
		for i := range t {
			t[i] = n - 1 - i
		}
	case TaskIdentity:
		for i := range t {
			t[i] = i
		}
	case TaskRandom:
		rng := rand.New(rand.NewPCG(c.TaskSeed, 0x7461736b)) // "task"
		copy(t, rng.Perm(n))
	case TaskCustom:
		copy(t, c.Custom)
	default:
		panic("core: unknown task " + string(c.Task))
	}
	return t
}

// Pair is one training example: one-hot input In must fire output Out.
type Pair struct{ In, Out int }

// Pairs returns the training set of c's task: every input that has a target,
// in input order.
func Pairs(c *Config) []Pair {
	t := Targets(c)
	ps := make([]Pair, 0, len(t))
	for i, o := range t {
		if o >= 0 {
			ps = append(ps, Pair{i, o})
		}
	}
	return ps
}
