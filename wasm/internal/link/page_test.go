package link

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// SplitTour leaves the config's keys in order and refuses a second tour key
// by name.
func TestSplitTour(t *testing.T) {
	for _, c := range []struct {
		in, rest, v string
		has         bool
	}{
		{"", "", "", false},
		{"#n=11&k=2", "n=11&k=2", "", false},
		{"#n=11&tour=3&k=2", "n=11&k=2", "3", true},
		{"tour=", "", "", true},
		{"tourist=1&k=2", "tourist=1&k=2", "", false},
	} {
		rest, v, has, err := SplitTour(c.in)
		if err != nil || rest != c.rest || v != c.v || has != c.has {
			t.Errorf("SplitTour(%q) = %q, %q, %v, %v; want %q, %q, %v", c.in, rest, v, has, err, c.rest, c.v, c.has)
		}
	}
	_, _, _, err := SplitTour("#tour=1&n=5&tour=2")
	var fe *core.FieldError
	if !errors.As(err, &fe) || fe.Field != TourKey || fe.Value != "2" {
		t.Fatalf("a second tour key: %v", err)
	}
}

// SplitDebug takes every debug key out and keeps the last value.
func TestSplitDebug(t *testing.T) {
	for _, c := range []struct {
		in, rest, v string
		has         bool
	}{
		{"#n=11", "n=11", "", false},
		{"#debug=1&n=11", "n=11", "1", true},
		{"n=11&debug=1&k=2&debug=panic-draw", "n=11&k=2", "panic-draw", true},
		{"debugger=1", "debugger=1", "", false},
	} {
		rest, v, has := SplitDebug(c.in)
		if rest != c.rest || v != c.v || has != c.has {
			t.Errorf("SplitDebug(%q) = %q, %q, %v; want %q, %q, %v", c.in, rest, v, has, c.rest, c.v, c.has)
		}
	}
}

// Compose puts the page's keys after the run's in one order, and what it
// writes splits back into the same parts.
func TestCompose(t *testing.T) {
	for _, c := range []struct {
		config string
		tour   int
		debug  bool
		ui     string
		want   string
	}{
		{"n=11&k=2", 0, false, "", "n=11&k=2"},
		{"n=11&k=2", 3, false, "", "n=11&k=2&tour=3"},
		{"n=11&k=2", 0, true, "", "n=11&k=2&debug=1"},
		{"n=11&k=2", 0, false, "hide=tour&lock=k", "n=11&k=2&hide=tour&lock=k"},
		{"n=5", 9, true, "lock=all,-k", "n=5&tour=9&debug=1&lock=all,-k"},
		{"", 0, false, "hide=tour", "hide=tour"}, // the default run writes no config key
		{"", 2, false, "", "tour=2"},
	} {
		got := Compose(c.config, c.tour, c.debug, c.ui)
		if got != c.want {
			t.Errorf("Compose(%q, %d, %v, %q) = %q, want %q", c.config, c.tour, c.debug, c.ui, got, c.want)
		}
		if c.tour > 0 {
			rest, v, has, err := SplitTour(got)
			if err != nil || !has || v != strconv.Itoa(c.tour) || strings.Contains(rest, TourKey+"=") {
				t.Errorf("SplitTour(%q) = %q, %q, %v, %v", got, rest, v, has, err)
			}
		}
	}
}
