package play

// RunState is the run's part of the playground's test hook
// (window.bottleneck.state()): enough to check a run without reading
// pixels. The browser tests compare it with core's native run, so its JSON
// names are part of what the page promises them.
type RunState struct {
	Step         int      `json:"step"`
	Loss         *float64 `json:"loss"` // null when not finite
	Correct      int      `json:"correct"`
	Pairs        int      `json:"pairs"`
	SolvedAt     int      `json:"solvedAt"`
	Fragment     string   `json:"fragment"`
	Diverged     string   `json:"diverged"`
	N            int      `json:"n"`
	K            int      `json:"k"`
	Running      bool     `json:"running"` // training runs, or the engine has not yet taken every command
	Rate         float64  `json:"rate"`    // steps per second, 0 = as fast as it goes
	MaxAbsWeight *float64 `json:"maxAbsWeight"`
	Weights      string   `json:"weights"` // the run's network's core.Network.Digest
	// Chart is what the loss chart holds.
	Chart ChartRange `json:"chart"`
}

// ChartRange is what a chart holds: its first and last steps and the
// samples merged into it (one a step when the engine saw every step).
type ChartRange struct {
	First   int `json:"first"`
	Last    int `json:"last"`
	Samples int `json:"samples"`
}

// RunReporter makes an App's RunState, computing the weights' digest again
// only when the weights can have changed (a new step, config or edit). The
// zero value is ready to use.
type RunReporter struct {
	key    [3]int // (step, version, edits) the digest was computed for, plus one
	digest string
}

// State returns a's RunState now.
func (r *RunReporter) State(a *App) RunState {
	tr := a.Trainer()
	m := tr.Metrics()
	// The key is offset by one so that the zero RunReporter matches no run.
	if key := [3]int{m.Step + 1, a.Version() + 1, a.Edits() + 1}; key != r.key {
		r.key = key
		r.digest = tr.Network().Digest()
	}
	c := tr.Config()
	return RunState{
		Step: m.Step, Loss: Finite(m.Loss), Correct: m.Correct, Pairs: m.Pairs, SolvedAt: m.SolvedAt,
		Fragment: c.Encode(), Diverged: tr.Diverged(), N: c.N, K: c.K,
		Running: a.Busy(), Rate: a.Rate(), MaxAbsWeight: Finite(m.MaxAbsWeight),
		Weights: r.digest, Chart: chartRange(a),
	}
}

// chartRange returns what a's loss chart holds.
func chartRange(a *App) ChartRange {
	loss, _ := a.Chart()
	var c ChartRange
	_, _, c.First, c.Last, _ = loss.Range()
	for _, p := range loss.Points(nil) {
		c.Samples += p.Count
	}
	return c
}
