package play

import (
	"encoding/json"
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
)

// TourStep is one stop of the guided tour: a preset config, the view it
// points at and a caption.
type TourStep struct {
	Title    string      `json:"title"`
	Fragment string      `json:"config"`
	View     string      `json:"view"` // "network", "hidden space", "charts" or "capacity"
	Caption  string      `json:"caption"`
	Config   core.Config `json:"-"` // Fragment, parsed
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
