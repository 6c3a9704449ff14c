package explain

import (
	"slices"
	"testing"
)

func TestTicks(t *testing.T) {
	if got := LogTicks(0.003, 2.5); !slices.Equal(got, []float64{1e-3, 1e-2, 1e-1, 1, 10}) {
		t.Errorf("LogTicks = %v", got)
	}
	if got := LogTicks(0.1, 0.1); !slices.Equal(got, []float64{0.1, 1}) {
		t.Errorf("LogTicks(0.1, 0.1) = %v", got)
	}
	if got := LogTicks(0, 1); len(got) > 12 || got[0] > MinLogValue || got[len(got)-1] != 1 {
		t.Errorf("LogTicks(0, 1) = %v", got)
	}
	if got := LogTicks(-1, -0.5); got != nil {
		t.Errorf("negative range %v", got)
	}
	if got := StepTicks(0, 1000, 6); !slices.Equal(got, []int{0, 200, 400, 600, 800, 1000}) {
		t.Errorf("StepTicks = %v", got)
	}
	if got := StepTicks(0, 7, 10); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("StepTicks small = %v", got)
	}
	if got := StepTicks(3, 123456, 8); len(got) > 8 || got[0] < 3 || got[len(got)-1] > 123456 {
		t.Errorf("StepTicks = %v", got)
	}
	for v, want := range map[float64]string{1: "1", 100: "100", 0.1: "0.1", 1e-3: "1e-3", 1e4: "1e4"} {
		if got := LogTickLabel(v); got != want {
			t.Errorf("LogTickLabel(%v) = %q", v, got)
		}
	}
	for v, want := range map[int]string{950: "950", 1500: "1.5k", 12000: "12k", 2_500_000: "2.5M"} {
		if got := StepLabel(v); got != want {
			t.Errorf("StepLabel(%v) = %q", v, got)
		}
	}
}
