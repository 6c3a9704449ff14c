package link

import (
	"errors"
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
