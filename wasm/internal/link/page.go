package link

import (
	"strconv"
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

// Compose returns the page's fragment for a run: the config's fragment
// (core.Config.Encode, or a link's run as the page keeps it), then
// tour=N while step N of the tour is shown (tour > 0), debug=1 when the
// overlay is on, then ui, the UI keys as uikeys.UI.Encode writes them (""
// for none). It is the one place the page's keys are put after the run's,
// always in this order, so that a link the page writes reads back the same.
func Compose(config string, tour int, debug bool, ui string) string {
	var b strings.Builder
	b.WriteString(config)
	add := func(kv string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv)
	}
	if tour > 0 {
		add(TourKey + "=" + strconv.Itoa(tour))
	}
	if debug {
		add(DebugKey + "=1")
	}
	if ui != "" {
		add(ui)
	}
	return b.String()
}
