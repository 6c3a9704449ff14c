package link

import (
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// core.ParseFragment refuses keys it does not know, so the page takes its
// own keys out of a fragment before the config is parsed.

// SplitTour takes the tour key out of a fragment (with or without its "#"):
// the rest, the value, and whether it was there. A second tour key is an
// error, as a second config key is in core: a tour link names one step.
func SplitTour(h string) (rest, v string, has bool, err error) {
	rest, vals := take(h, TourKey)
	switch len(vals) {
	case 0:
		return rest, "", false, nil
	case 1:
		return rest, vals[0], true, nil
	}
	return "", "", false, &core.FieldError{Field: TourKey, Value: core.Clip(vals[1]), Allowed: "tour is given twice; give it once"}
}

// SplitDebug takes the debug keys out of a fragment (with or without its
// "#"). It returns the rest, for core.ParseFragment, and the value of the
// last debug key (has is false when there is none). It never fails: the
// page checks the value, which only it knows the meaning of.
func SplitDebug(h string) (rest, debug string, has bool) {
	rest, vals := take(h, DebugKey)
	if len(vals) == 0 {
		return rest, "", false
	}
	return rest, vals[len(vals)-1], true
}

// take removes every key=value of key from the fragment h and returns the
// rest and the values in order.
func take(h, key string) (rest string, vals []string) {
	h = strings.TrimPrefix(h, "#")
	if !strings.Contains(h, key) {
		return h, nil
	}
	parts := strings.Split(h, "&")
	keep := parts[:0]
	for _, p := range parts {
		if k, v, _ := strings.Cut(p, "="); k == key {
			vals = append(vals, v)
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, "&"), vals
}
