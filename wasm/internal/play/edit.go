package play

import "github.com/bottleneck-playground/bottleneck/core"

// Resize returns c with N = n, carrying the task's parameters over so that
// dragging the N slider keeps a valid task where it can: the shift is clamped
// to N-1 and a custom map is cut or padded (targets beyond N are dropped; an
// emptied map becomes the identity). The result may still be invalid (e.g. N
// above MaxNDirect with k = 0); callers validate.
func Resize(c core.Config, n int) core.Config {
	c.N = n
	if n < core.MinN {
		return c
	}
	if c.Shift > n-1 {
		c.Shift = n - 1
	}
	if c.Task == core.TaskCustom {
		m := make([]int, n)
		used := 0
		for i := range m {
			m[i] = -1
			if i < len(c.Custom) && c.Custom[i] < n {
				m[i] = c.Custom[i]
			}
			if m[i] >= 0 {
				used++
			}
		}
		if used == 0 {
			for i := range m {
				m[i] = i
			}
		}
		c.Custom = m
	}
	return c
}

// SwitchTask returns c with task t. Switching to the custom task starts the
// custom map from the current task's mapping, so a user edits from something
// that works rather than from an empty list.
func SwitchTask(c core.Config, t core.TaskKind) core.Config {
	if t == core.TaskCustom && c.Task != core.TaskCustom {
		cur := c
		if cur.Validate() == nil {
			c.Custom = core.Targets(&cur)
		} else {
			c.Custom = make([]int, c.N)
			for i := range c.Custom {
				c.Custom[i] = i
			}
		}
	}
	if t != core.TaskCustom {
		c.Custom = nil
	}
	if c.Shift < 1 {
		c.Shift = 1
	}
	c.Task = t
	return c
}
