package explain

import (
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestMeterPostFigures(t *testing.T) {
	for _, c := range []struct {
		n, k, direct, through int
		words                 []string
	}{
		{5, 2, 25, 20, []string{"5*5 = 25", "5*2*2 = 20", "80%"}},
		{11, 2, 121, 44, []string{"11*11 = 121", "11*2*2 = 44", "36%"}},
		{10, 2, 100, 40, []string{"10*10 = 100", "10*2*2 = 40"}},
	} {
		m, err := NewMeter(c.n, c.k, true, true)
		if err != nil {
			t.Fatal(err)
		}
		if m.Direct != c.direct || m.Connections != c.through {
			t.Errorf("%d-%d: %d vs %d, want %d vs %d", c.n, c.k, m.Direct, m.Connections, c.direct, c.through)
		}
		cfg := core.Config{N: c.n, K: c.k, HiddenBias: true, OutputBias: true}
		if m.Connections != cfg.Connections() || m.HiddenBiases+m.OutputBiases != cfg.Biases() {
			t.Errorf("disagrees with core: %+v", m)
		}
		s := m.Sentence()
		for _, w := range c.words {
			if !strings.Contains(s, w) {
				t.Errorf("%q lacks %q", s, w)
			}
		}
		t.Log(s)
	}
	m, _ := NewMeter(5, 0, false, true)
	if s := m.Sentence(); !strings.Contains(s, "direct network") || m.Connections != 25 || m.Ratio != 1 {
		t.Errorf("k=0: %q %+v", s, m)
	}
	m, _ = NewMeter(4, 3, false, false)
	if s := m.Sentence(); !strings.Contains(s, "no compression") {
		t.Errorf("4-3-4: %q", s)
	}
	m, _ = NewMeter(1024, 2, false, false)
	if s := m.Sentence(); !strings.Contains(s, "(0.4% of them)") {
		t.Errorf("1024-2-1024: %q", s)
	}
	if _, err := NewMeter(0, 2, true, true); err == nil {
		t.Error("N=0 accepted")
	}
}
