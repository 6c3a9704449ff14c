package main

// -plot: the scaling table as an SVG figure with two log-log panels, the
// median steps to solve and the largest |weight| at solve against N, one
// line per k with its fitted power law; the weight panel also draws, dashed,
// the N^(2/k) growth that the representation argument predicts (its constant
// fitted to the points), for comparison.

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// readSummary parses what writeSummary wrote: its "#" header lines and rows.
func readSummary(name string, r io.Reader) (header []string, rows []core.ScalingRow, err error) {
	sc := bufio.NewScanner(r)
	line, columns := 0, false
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case strings.HasPrefix(text, "#"):
			header = append(header, strings.TrimPrefix(text, "# "))
		case !columns:
			if text != summaryHeader {
				return nil, nil, fmt.Errorf("%s:%d: expected the columns %q of capacity -scale or -merge", name, line, summaryHeader)
			}
			columns = true
		default:
			c := strings.Split(text, ",")
			if len(c) != 6 {
				return nil, nil, fmt.Errorf("%s:%d: a row needs 6 cells, not %d", name, line, len(c))
			}
			var r core.ScalingRow
			var errs [6]error
			r.K, errs[0] = strconv.Atoi(c[0])
			r.N, errs[1] = strconv.Atoi(c[1])
			r.Seeds, errs[2] = strconv.Atoi(c[2])
			r.Solved, errs[3] = strconv.Atoi(c[3])
			r.MedianSteps, errs[4] = parseCell(c[4])
			r.MaxAbsWeight, errs[5] = parseCell(c[5])
			for _, e := range errs {
				if e != nil {
					return nil, nil, fmt.Errorf("%s:%d: bad row %q", name, line, text)
				}
			}
			rows = append(rows, r)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if !columns {
		return nil, nil, fmt.Errorf("%s: no table (the columns %q are missing)", name, summaryHeader)
	}
	return header, rows, nil
}

// plotFile draws the table in the file name as SVG on w.
func plotFile(name string, w io.Writer) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("-plot: %w", err)
	}
	defer f.Close()
	header, rows, err := readSummary(name, f)
	if err != nil {
		return fmt.Errorf("-plot: %w", err)
	}
	var notes []string
	for _, h := range header {
		if strings.HasPrefix(h, "bottleneck ") {
			continue
		}
		notes = append(notes, h)
	}
	notes = append(notes, "Points where every seed solved; fits are least squares on log-log axes.")
	return plotSVG(w, rows, "Capacity scaling of N-k-N on shift by one", notes)
}

// parseCell reads a number, or NaN for an empty cell.
func parseCell(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// series is one k's points that every seed solved.
type series struct {
	k            int
	n, steps, wt []float64
}

// solvedSeries groups the rows whose every seed solved by k, in order of k
// and then N.
func solvedSeries(rows []core.ScalingRow) []series {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b core.ScalingRow) int { return cmp.Or(cmp.Compare(a.K, b.K), cmp.Compare(a.N, b.N)) })
	var out []series
	for _, r := range rows {
		if r.Seeds == 0 || r.Solved != r.Seeds || r.MedianSteps <= 0 {
			continue // 0 steps (solved at the start) has no logarithm
		}
		if len(out) == 0 || out[len(out)-1].k != r.K {
			out = append(out, series{k: r.K})
		}
		s := &out[len(out)-1]
		s.n = append(s.n, float64(r.N))
		s.steps = append(s.steps, r.MedianSteps)
		s.wt = append(s.wt, r.MaxAbsWeight)
	}
	return out
}

// logAxis maps [lo, hi] (lo > 0) onto pixels [p0, p1] logarithmically,
// widened to whole powers of base.
type logAxis struct {
	lo, hi, p0, p1, base float64
}

func newLogAxis(lo, hi, p0, p1, base float64) logAxis {
	lo = math.Pow(base, math.Floor(math.Log(lo)/math.Log(base)+1e-9))
	hi = math.Pow(base, math.Ceil(math.Log(hi)/math.Log(base)-1e-9))
	if hi <= lo {
		hi = lo * base
	}
	return logAxis{lo, hi, p0, p1, base}
}

func (a logAxis) at(v float64) float64 {
	f := math.Log(v/a.lo) / math.Log(a.hi/a.lo)
	return a.p0 + f*(a.p1-a.p0)
}

func (a logAxis) ticks() []float64 {
	var t []float64
	for v := a.lo; v <= a.hi*1.0001; v *= a.base {
		t = append(t, v)
	}
	return t
}

// palette colours the ks; it repeats past its end.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"}

// plotSVG draws the figure. title is printed above the panels; notes are
// printed below them, one line each.
func plotSVG(w io.Writer, rows []core.ScalingRow, title string, notes []string) error {
	ser := solvedSeries(rows)
	if len(ser) == 0 {
		return fmt.Errorf("-plot: no point has every seed solved; nothing to draw")
	}
	const (
		panelW, panelH = 420.0, 300.0
		left, top      = 70.0, 50.0
		gap            = 90.0
	)
	height := top + panelH + 60 + 16*float64(len(notes)+len(ser)) + 20
	width := left + 2*panelW + gap + 30
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(w, `<text x="%.0f" y="22" font-size="15">%s</text>`+"\n", left, xmlEscape(title))
	minN, maxN := math.Inf(1), math.Inf(-1)
	for _, s := range ser {
		for _, n := range s.n {
			minN, maxN = min(minN, n), max(maxN, n)
		}
	}
	var legend []string
	for panel, p := range []struct {
		name  string
		value func(series) []float64
	}{
		{"median steps to solve", func(s series) []float64 { return s.steps }},
		{"largest |weight| at solve", func(s series) []float64 { return s.wt }},
	} {
		x0 := left + float64(panel)*(panelW+gap)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range ser {
			for _, v := range p.value(s) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		xa := newLogAxis(minN, maxN, x0, x0+panelW, 2)
		ya := newLogAxis(lo, hi, top+panelH, top, 10)
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#444"/>`+"\n", x0, top, panelW, panelH)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="13">%s</text>`+"\n", x0+panelW/2, top-8, xmlEscape(p.name))
		for _, t := range xa.ticks() {
			x := xa.at(t)
			fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="middle">%g</text>`+"\n", x, top, x, top+panelH, x, top+panelH+16, t)
		}
		for _, t := range ya.ticks() {
			y := ya.at(t)
			fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%g</text>`+"\n", x0, y, x0+panelW, y, x0-5, y+4, t)
		}
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" text-anchor="middle">N (log scale)</text>`+"\n", x0+panelW/2, top+panelH+34)
		for i, s := range ser {
			col := palette[i%len(palette)]
			v := p.value(s)
			var pts []string
			for j := range s.n {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", xa.at(s.n[j]), ya.at(v[j])))
				fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", xa.at(s.n[j]), ya.at(v[j]), col)
			}
			fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>`+"\n", strings.Join(pts, " "), col)
			e, _, ok := core.FitPowerLaw(s.n, v)
			fit := "too few points to fit"
			if ok {
				fit = fmt.Sprintf("N^%.2f", e)
			}
			if panel == 1 {
				// c*N^(2/k), with c fitted to the points on log axes, ending
				// at the panel's top if it leaves the panel there.
				exp := 2 / float64(s.k)
				logC := 0.0
				for j := range s.n {
					logC += math.Log(v[j]) - exp*math.Log(s.n[j])
				}
				c := math.Exp(logC / float64(len(s.n)))
				ref := func(n float64) float64 { return c * math.Pow(n, exp) }
				n0, n1 := s.n[0], s.n[len(s.n)-1]
				n0 = max(n0, math.Pow(ya.lo/c, 1/exp))
				n1 = min(n1, math.Pow(ya.hi/c, 1/exp))
				if n0 < n1 {
					fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="5,4"/>`+"\n",
						xa.at(n0), ya.at(ref(n0)), xa.at(n1), ya.at(ref(n1)), col)
				}
				legend[i] += fmt.Sprintf("; largest |weight| ~ %s (N^(2/k) = N^%.2f, dashed)", fit, 2/float64(s.k))
			} else {
				legend = append(legend, fmt.Sprintf("k=%d (%d points): steps ~ %s", s.k, len(s.n), fit))
			}
		}
	}
	y := top + panelH + 60
	for i, l := range legend {
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/><text x="%.1f" y="%.1f">%s</text>`+"\n", left, y-9, palette[i%len(palette)], left+16, y, xmlEscape(l))
		y += 16
	}
	for _, n := range notes {
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" fill="#555">%s</text>`+"\n", left, y, xmlEscape(n))
		y += 16
	}
	fmt.Fprintln(w, "</svg>")
	return nil
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
