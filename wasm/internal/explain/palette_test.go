package explain

import (
	"image/color"
	"math"
	"testing"
)

func contrast(a, b float64) float64 { return (max(a, b) + 0.05) / (min(a, b) + 0.05) }

func TestOutputColors(t *testing.T) {
	white := Luminance(color.RGBA{255, 255, 255, 255})
	dark := Luminance(color.RGBA{0x11, 0x11, 0x11, 255})
	seen := map[color.RGBA]int{}
	for j := 0; j < MaxColors; j++ {
		c := OutputColor(j)
		l := Luminance(c)
		if c.A != 255 || contrast(l, white) < 3 || contrast(l, dark) < 3 {
			t.Errorf("output %d: %v has contrast %.2f on white, %.2f on dark", j, c, contrast(l, white), contrast(l, dark))
		}
		seen[c]++
	}
	if len(seen) < MaxColors*9/10 {
		t.Errorf("only %d distinct colours of %d", len(seen), MaxColors)
	}
	// The first outputs, the ones a small network shows, are far apart.
	dist := func(a, b color.RGBA) float64 {
		dr, dg, db := float64(a.R)-float64(b.R), float64(a.G)-float64(b.G), float64(a.B)-float64(b.B)
		return math.Sqrt(dr*dr + dg*dg + db*db)
	}
	for i := 0; i < 11; i++ {
		for j := i + 1; j < 11; j++ {
			if d := dist(OutputColor(i), OutputColor(j)); d < 30 {
				t.Errorf("outputs %d and %d too close: %v %v", i, j, OutputColor(i), OutputColor(j))
			}
		}
	}
	if OutputColor(-1) != OutputColor(MaxColors-1) || OutputColor(MaxColors) != OutputColor(0) {
		t.Error("indices do not wrap")
	}
}

// TestOutputColorTable checks that the table OutputColor reads is the
// colour computation itself, index for index, wrapping included.
func TestOutputColorTable(t *testing.T) {
	for j := -MaxColors; j < 2*MaxColors; j++ {
		want := outputColorOf(((j % MaxColors) + MaxColors) % MaxColors)
		if got := OutputColor(j); got != want {
			t.Fatalf("OutputColor(%d) = %v, computed %v", j, got, want)
		}
	}
}

func TestWeightStroke(t *testing.T) {
	prev := -1.0
	for _, w := range []float64{0, 0.1, 0.5, 1, 3, 9, 26, 1e9, math.Inf(1)} {
		for _, sign := range []float64{1, -1} {
			s := WeightStroke(sign*w, 1, 4)
			c := s.Color
			if c.R > c.A || c.G > c.A || c.B > c.A {
				t.Errorf("%v: not premultiplied", c)
			}
			if w > 0 && (sign > 0) != (c.B > c.R) {
				t.Errorf("w=%v: colour %v", sign*w, c)
			}
			if !(s.Width > 0 && s.Width <= 4 && s.Strength >= 0 && s.Strength <= 1) {
				t.Errorf("w=%v: %+v", sign*w, s)
			}
		}
		s := WeightStroke(w, 1, 4).Strength
		if s < prev {
			t.Errorf("strength not monotone at %v", w)
		}
		prev = s
	}
	if s := WeightStroke(1, 1, 4); math.Abs(s.Strength-0.5) > 1e-12 {
		t.Errorf("a weight equal to the scale has strength %v", s.Strength)
	}
	if s := WeightStroke(math.NaN(), 0, 2); s.Color != ZeroColor {
		t.Errorf("NaN weight: %+v", s)
	}
}
