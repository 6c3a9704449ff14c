package link

import (
	"math"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// The speed control's scale: slow motion at one end, as fast as it goes at
// the other, increasing in between, and the default where it says.
func TestSpeedMapping(t *testing.T) {
	if SpeedRate(0) != SlowRate || SpeedRate(SpeedMax-1) != FastRate || SpeedRate(-5) != SlowRate || SpeedRate(SpeedMax) != 0 {
		t.Fatal("speed ends wrong")
	}
	prev := 0.0
	for v := 0; v < SpeedMax; v++ {
		s := SpeedRate(v)
		if s <= prev {
			t.Fatalf("not increasing at %d", v)
		}
		prev = s
	}
	for _, s := range []float64{SlowRate, 100, 1000, 30_000, FastRate} {
		if got := SpeedRate(SpeedValue(s)); math.Abs(got-s) > s/10+1 {
			t.Fatalf("round trip %v -> %v", s, got)
		}
	}
	if SpeedValue(0) != SpeedMax || SpeedRate(DefaultSpeed) != DefaultRate {
		t.Fatal("as fast as it goes, or the default, does not round-trip")
	}
}

// Config reads a link as the page does: UI keys dropped, the config parsed,
// and links with the page's own keys left to the page.
func TestConfig(t *testing.T) {
	for _, c := range []struct{ frag, want string }{
		{"", core.DefaultConfig().Encode()},
		{"#", core.DefaultConfig().Encode()},
		{"#n=32&k=3&seed=7", "n=32&k=3&seed=7"},
		{"n=32&hide=tour,walk&k=3&lock=all,-k&seed=7", "n=32&k=3&seed=7"},
		{"#n=32&k=3&seed=7&hide=bogus", "n=32&k=3&seed=7"}, // a bad UI key never changes the run
	} {
		cfg, err := Config(c.frag)
		if err != nil {
			t.Errorf("Config(%q): %v", c.frag, err)
			continue
		}
		want, err := core.ParseFragment(c.want)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Encode() != want.Encode() {
			t.Errorf("Config(%q) = %q, want %q", c.frag, cfg.Encode(), want.Encode())
		}
	}
	for _, c := range []struct{ frag, want string }{
		{"#tour=2", "tour key is for the page"},
		{"#n=5&debug=panic-engine", "debug key is for the page"},
		{"#n=100000", "N must be"},
		{"#n=5&bogus=1", "bogus"},
		{"#" + strings.Repeat("x", core.MaxFragmentLen+1), "at most"},
	} {
		_, err := Config(c.frag)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Config(%q) = %v, want an error saying %q", c.frag, err, c.want)
		}
	}
}
