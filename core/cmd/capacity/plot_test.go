package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

// TestPlotSVG: exact power laws come out with their exponents, unsolved
// points are left out, and the SVG is well-formed XML.
func TestPlotSVG(t *testing.T) {
	var rows []core.ScalingRow
	for _, n := range []int{8, 16, 32, 64} {
		x := float64(n)
		rows = append(rows,
			core.ScalingRow{K: 2, N: n, Seeds: 3, Solved: 3, MedianSteps: 5 * x * x, MaxAbsWeight: 0.5 * x},
			core.ScalingRow{K: 4, N: n, Seeds: 3, Solved: 3, MedianSteps: 7 * math.Pow(x, 1.5), MaxAbsWeight: 2 * math.Pow(x, 0.25)})
	}
	rows = append(rows, core.ScalingRow{K: 2, N: 128, Seeds: 3, Solved: 2, MedianSteps: 1, MaxAbsWeight: 1})
	var b bytes.Buffer
	if err := plotSVG(&b, rows, "t <&>", []string{"note"}); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for _, want := range []string{
		"k=2 (4 points): steps ~ N^2.00; largest |weight| ~ N^1.00 (N^(2/k) = N^1.00, dashed)",
		"k=4 (4 points): steps ~ N^1.50; largest |weight| ~ N^0.25 (N^(2/k) = N^0.50, dashed)",
		"t &lt;&amp;&gt;", "note",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("figure lacks %q", want)
		}
	}
	if got := strings.Count(svg, "<polyline"); got != 4 {
		t.Errorf("%d lines, want 2 ks x 2 panels", got)
	}
	if got := strings.Count(svg, "<circle"); got != 16 {
		t.Errorf("%d points, want 16 (N=128 did not solve for every seed)", got)
	}
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
	if err := plotSVG(&b, rows[8:], "", nil); err == nil {
		t.Error("a table with nothing solved gave a figure")
	}
}

// TestPlotFile: -plot reads what -scale writes.
func TestPlotFile(t *testing.T) {
	code, table, errOut := runArgs(t, pinned+" -ob=true -scale -k 2,3 -ns 4,8 -seeds 2 -budget 300")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	name := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(name, []byte(table), 0o644)
	code, svg, errOut := runArgs(t, "-plot "+name)
	if code != exitOK || !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "budget: 300") {
		t.Fatalf("exit %d\n%s\n%s", code, errOut, svg)
	}
	os.WriteFile(name, []byte("k,n\n1,2\n"), 0o644)
	if code, _, errOut := runArgs(t, "-plot "+name); code != exitUsage || !strings.Contains(errOut, "expected the columns") {
		t.Errorf("a bad table: exit %d, %s", code, errOut)
	}
}

// TestScalingFigureIsUpToDate: docs/capacity-scaling.svg is what -plot draws
// from docs/capacity-scaling.csv, so the figure and its table never disagree.
// After measuring a new table, regenerate the figure with
// go run ./core/cmd/capacity -plot docs/capacity-scaling.csv > docs/capacity-scaling.svg
func TestScalingFigureIsUpToDate(t *testing.T) {
	docs := filepath.Join("..", "..", "..", "docs")
	want, err := os.ReadFile(filepath.Join(docs, "capacity-scaling.svg"))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := plotFile(filepath.Join(docs, "capacity-scaling.csv"), &got); err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Error("docs/capacity-scaling.svg is not what -plot draws from docs/capacity-scaling.csv; regenerate it")
	}
}
