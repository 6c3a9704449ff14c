package play

import (
	"encoding/json"
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
)

// TourStep is one stop of the guided tour: a preset config, the view it
// points at and a caption.
type TourStep struct {
	Title    string `json:"title"`
	Fragment string `json:"config"`
	View     string `json:"view"` // "network", "hidden space", "charts" or "capacity"
	Caption  string `json:"caption"`
	// Build says that the step shows the network built by hand for its
	// config (the Construct control), paused at step 0, not the seed's
	// weights trained from there. The tour's tests check that every such
	// config has a solution.
	Build  bool        `json:"build,omitempty"`
	Config core.Config `json:"-"` // Fragment, parsed
}

// TourViews are the views a step may point at.
var TourViews = []string{"network", "hidden space", "charts", "capacity"}

// LoadTour parses the tour's JSON (assets.TourJSON) and checks every step:
// a title, a caption, a known view and a config that core accepts. The
// first problem is returned, naming the step (1-based, as in "tour=3").
func LoadTour(data []byte) ([]TourStep, error) {
	var steps []TourStep
	if err := json.Unmarshal(data, &steps); err != nil {
		return nil, fmt.Errorf("tour: %w", err)
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("tour: no steps")
	}
	for i := range steps {
		s := &steps[i]
		if s.Title == "" || s.Caption == "" {
			return nil, fmt.Errorf("tour step %d: a title and a caption are needed", i+1)
		}
		known := false
		for _, v := range TourViews {
			known = known || v == s.View
		}
		if !known {
			return nil, fmt.Errorf("tour step %d: unknown view %q", i+1, s.View)
		}
		c, err := core.ParseFragment(s.Fragment)
		if err != nil {
			return nil, fmt.Errorf("tour step %d: %w", i+1, err)
		}
		s.Config = c
	}
	return steps, nil
}

// ParseTourStep reads the value of the fragment key "tour" (1-based) for a
// tour of n steps.
func ParseTourStep(v string, n int) (int, error) {
	var i int
	if _, err := fmt.Sscanf(v, "%d", &i); err != nil || fmt.Sprint(i) != v || i < 1 || i > n {
		return 0, &core.FieldError{Field: "tour", Value: core.Clip(v), Allowed: fmt.Sprintf("tour must be a step number from 1 to %d", n)}
	}
	return i, nil
}

// TourLook says, for each view a step may point at, where to look: the
// panel shows it under the caption, and the canvas outlines the same panel.
var TourLook = map[string]string{
	"network":      "Look at the network, outlined in the canvas.",
	"hidden space": "Look at the hidden space, outlined in the canvas: each dot is one input's code, each shaded region the output that wins there.",
	"charts":       "Look at the loss and accuracy charts, outlined in the canvas, and the status line under it.",
	"capacity":     "Then measure it: the capacity explorer is set up to test the post's guesses.",
}

// Tour is the guided tour's state: its steps and the one shown. While a step
// is shown the link holds its config plus tour=N; any change of the config
// leaves the tour (Follow), so a link with tour=N always reproduces what it
// says (link.Compose writes the step into the link). The zero value is a
// tour with no steps, which is always off.
type Tour struct {
	steps []TourStep
	step  int // the step shown, 1-based; 0 when the tour is off
}

// NewTour returns a tour of steps (as LoadTour returns them), off.
func NewTour(steps []TourStep) *Tour { return &Tour{steps: steps} }

// Len returns the number of steps.
func (t *Tour) Len() int { return len(t.steps) }

// Step returns the step shown, 1-based, or 0 when the tour is off.
func (t *Tour) Step() int { return t.step }

// Current returns the step shown; ok is false when the tour is off.
func (t *Tour) Current() (s TourStep, ok bool) {
	if t.step == 0 {
		return TourStep{}, false
	}
	return t.steps[t.step-1], true
}

// StepFor returns the config and the number of the step that a link's tour
// value v names. A bad value is refused with a *core.FieldError naming tour
// and the steps there are (or that this page has no tour); the config is
// then core's default.
func (t *Tour) StepFor(v string) (core.Config, int, error) {
	if len(t.steps) == 0 {
		return core.DefaultConfig(), 0, &core.FieldError{Field: "tour", Value: core.Clip(v), Allowed: "the tour is not available on this page"}
	}
	i, err := ParseTourStep(v, len(t.steps))
	if err != nil {
		return core.DefaultConfig(), 0, err
	}
	return t.steps[i-1].Config, i, nil
}

// At returns step i (1-based); ok is false when there is no such step.
func (t *Tour) At(i int) (s TourStep, ok bool) {
	if i < 1 || i > len(t.steps) {
		return TourStep{}, false
	}
	return t.steps[i-1], true
}

// Show marks step i (1-based; 0 for none) as shown. A step that does not
// exist turns the tour off.
func (t *Tour) Show(i int) {
	if i < 0 || i > len(t.steps) {
		i = 0
	}
	t.step = i
}

// Moved returns the step d steps from the one shown; ok is false when the
// tour is off or that step would be outside the tour.
func (t *Tour) Moved(d int) (i int, ok bool) {
	i = t.step + d
	return i, t.step > 0 && i >= 1 && i <= len(t.steps)
}

// Leave turns the tour off and reports whether it was on.
func (t *Tour) Leave() bool {
	on := t.step > 0
	t.step = 0
	return on
}

// Follow leaves the tour when c, the run's config now, is no longer the
// shown step's (whatever changed it), and reports whether it left.
func (t *Tour) Follow(c core.Config) bool {
	if s, ok := t.Current(); ok && c.Encode() != s.Config.Encode() {
		return t.Leave()
	}
	return false
}

// TourPanel is what the tour's panel shows.
type TourPanel struct {
	On                   bool   // a step is shown; else only the start line
	Count                string // "Step 3 of 9"
	Title, Caption, Look string // the step's, and where to look (TourLook)
	Capacity             bool   // the link to the capacity explorer is shown
	FirstStep, LastStep  bool   // Back, and Next, are disabled
}

// Panel returns what the tour's panel shows now.
func (t *Tour) Panel() TourPanel {
	s, ok := t.Current()
	if !ok {
		return TourPanel{}
	}
	return TourPanel{
		On: true, Count: fmt.Sprintf("Step %d of %d", t.step, len(t.steps)),
		Title: s.Title, Caption: s.Caption, Look: TourLook[s.View], Capacity: s.View == "capacity",
		FirstStep: t.step == 1, LastStep: t.step == len(t.steps),
	}
}
