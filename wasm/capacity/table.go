package capacity

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Header is the results table's header: the columns of the native command's
// markdown table (core/cmd/capacity), with beside max N the largest N that
// core.Construct solves by hand in the same range (core.LargestBuilt).
var Header = []string{"k", "max N", "built by hand (max N)", "steps to solve per seed (median)", "final largest |weight| per seed", "points tried"}

// Row is one k's line of the results table, as text, plus the figures behind
// it for the plot and the exports.
type Row struct {
	K       int
	MaxN    int  // 0 when even the lower bound fails
	AtBound bool // MaxN is the top of the search range: the capacity may be larger
	Low     int  // the search range
	High    int
	// Steps and Weights are the seeds' steps to solve and final largest
	// |weight| at MaxN, in seed order; empty when MaxN is 0.
	Steps   []int
	Weights []float64
	Median  float64 // median of Steps; 0 when MaxN is 0
	Tried   []core.TriedPoint
	// Built is the largest N that core.Construct solves for this k in the
	// same range, or nil while it is not known yet.
	Built *core.BuiltCapacity
	Cells []string // the table's cells, one per Header column
}

// Rows turns a sweep's results into the table's rows, in the order given,
// each with the entry of built for its k (core.LargestBuilt's answers, in
// any order; a k without one shows "…"). The cells read as in the native
// command's table: "≥ 64 (the bound)" at the top of the range, "none (N=2
// fails)" when nothing solves, "312, 540 (426)" for the steps and their
// median, weights with one decimal; the built-by-hand cell reads like max N,
// with "none (N=2 refused)" when Construct solves nothing.
func Rows(res []core.KCapacity, built []core.BuiltCapacity) []Row {
	rows := make([]Row, len(res))
	for i, r := range res {
		row := Row{K: r.K, MaxN: r.MaxN, AtBound: r.MaxN > 0 && r.AtBound(), Low: r.Low, High: r.High, Tried: r.Tried}
		for j := range built {
			if built[j].K == r.K {
				b := built[j]
				b.Tried = slices.Clone(b.Tried)
				row.Built = &b
			}
		}
		maxN := strconv.Itoa(r.MaxN)
		switch {
		case r.MaxN == 0:
			maxN = fmt.Sprintf("none (N=%d fails)", r.Low)
		case row.AtBound:
			maxN = fmt.Sprintf("≥ %d (the bound)", r.MaxN)
		}
		steps, weights := "–", "–"
		if r.MaxN > 0 {
			var s, w []string
			for _, o := range r.Best.Seeds {
				row.Steps = append(row.Steps, o.Steps)
				row.Weights = append(row.Weights, o.MaxAbsWeight)
				s = append(s, strconv.Itoa(o.Steps))
				w = append(w, strconv.FormatFloat(o.MaxAbsWeight, 'f', 1, 64))
			}
			row.Median = r.Best.MedianSteps()
			steps = fmt.Sprintf("%s (%g)", strings.Join(s, ", "), row.Median)
			weights = strings.Join(w, ", ")
		}
		row.Cells = []string{strconv.Itoa(r.K), maxN, row.BuiltText(), steps, weights, strconv.Itoa(len(r.Tried))}
		rows[i] = row
	}
	return rows
}

// BuiltText is the row's built-by-hand cell: "64", "≥ 64 (the bound)",
// "none (N=2 refused)", or "…" while not known.
func (r Row) BuiltText() string {
	b := r.Built
	switch {
	case b == nil:
		return "…"
	case b.MaxN == 0:
		return fmt.Sprintf("none (N=%d refused)", b.Low)
	case b.AtBound():
		return fmt.Sprintf("≥ %d (the bound)", b.MaxN)
	}
	return strconv.Itoa(b.MaxN)
}

// TriedText lists a row's points in evaluation order as the native command
// does: "2+ 4+ 8- 6+ 7-" (+ solved for every seed, - failed).
func (r Row) TriedText() string {
	parts := make([]string, len(r.Tried))
	for i, t := range r.Tried {
		mark := "-"
		if t.Solved {
			mark = "+"
		}
		parts[i] = strconv.Itoa(t.N) + mark
	}
	return strings.Join(parts, " ")
}

// CSVHeader is the first line of the CSV export.
var CSVHeader = []string{"k", "max_n", "at_bound", "low", "high", "steps_per_seed", "median_steps", "max_abs_weight_per_seed", "points_tried", "tried",
	"built_max_n", "built_at_bound", "built_refusal"}

// CSV returns the rows as CSV (RFC 4180, "\n" line ends): one line per k,
// per-seed lists separated by spaces inside their cell, weights with full
// precision; the built-by-hand columns are empty while not known, and
// built_refusal is Construct's reason for MaxN+1 ("" at the bound).
func CSV(rows []Row) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(CSVHeader) // a bytes.Buffer does not fail
	for _, r := range rows {
		steps := make([]string, len(r.Steps))
		for i, s := range r.Steps {
			steps[i] = strconv.Itoa(s)
		}
		weights := make([]string, len(r.Weights))
		for i, x := range r.Weights {
			weights[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		var bMax, bBound, bWhy string
		if b := r.Built; b != nil {
			bMax, bBound, bWhy = strconv.Itoa(b.MaxN), strconv.FormatBool(b.AtBound()), b.Refusal
		}
		_ = w.Write([]string{
			strconv.Itoa(r.K), strconv.Itoa(r.MaxN), strconv.FormatBool(r.AtBound),
			strconv.Itoa(r.Low), strconv.Itoa(r.High),
			strings.Join(steps, " "), strconv.FormatFloat(r.Median, 'g', -1, 64),
			strings.Join(weights, " "), strconv.Itoa(len(r.Tried)), r.TriedText(),
			bMax, bBound, bWhy,
		})
	}
	w.Flush()
	return b.String()
}

// Export is the JSON export: the settings, the command that reproduces them
// natively, and one entry per k.
type Export struct {
	Format   string      `json:"format"` // "bottleneck-capacity/1"
	Settings string      `json:"settings"`
	Command  string      `json:"command"`
	Task     string      `json:"task"`
	Results  []ExportRow `json:"results"`
}

// ExportRow is one k of the JSON export.
type ExportRow struct {
	K            int         `json:"k"`
	MaxN         int         `json:"maxN"`
	AtBound      bool        `json:"atBound"`
	Low          int         `json:"low"`
	High         int         `json:"high"`
	Steps        []int       `json:"stepsPerSeed"`
	MedianSteps  float64     `json:"medianSteps"`
	MaxAbsWeight []*float64  `json:"maxAbsWeightPerSeed"` // null where not finite
	Tried        []ExportTry `json:"tried"`
	// Built is the largest N that core.Construct solves by hand, or null
	// while not known.
	Built *ExportBuilt `json:"built"`
}

// ExportBuilt is one k's built-by-hand result in the JSON export.
type ExportBuilt struct {
	K       int    `json:"k"`
	MaxN    int    `json:"maxN"` // 0 when every N of the range was refused
	AtBound bool   `json:"atBound"`
	Low     int    `json:"low"`
	High    int    `json:"high"`
	Tried   []int  `json:"tried"`   // the N constructed, from High down
	Refusal string `json:"refusal"` // why MaxN+1 was refused; "" at the bound
}

// ExportTry is one evaluated point.
type ExportTry struct {
	N      int  `json:"n"`
	Solved bool `json:"solved"`
}

// ExportFormat names the JSON export's format.
const ExportFormat = "bottleneck-capacity/1"

// JSONRows converts rows to the export's entries.
func JSONRows(rows []Row) []ExportRow {
	out := make([]ExportRow, len(rows))
	for i, r := range rows {
		e := ExportRow{K: r.K, MaxN: r.MaxN, AtBound: r.AtBound, Low: r.Low, High: r.High,
			Steps: r.Steps, MedianSteps: r.Median, MaxAbsWeight: []*float64{}, Tried: []ExportTry{}}
		if e.Steps == nil {
			e.Steps = []int{}
		}
		for _, x := range r.Weights {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				e.MaxAbsWeight = append(e.MaxAbsWeight, nil)
			} else {
				e.MaxAbsWeight = append(e.MaxAbsWeight, &x)
			}
		}
		for _, t := range r.Tried {
			e.Tried = append(e.Tried, ExportTry{N: t.N, Solved: t.Solved})
		}
		if b := r.Built; b != nil {
			eb := exportBuilt(*b)
			e.Built = &eb
		}
		out[i] = e
	}
	return out
}

func exportBuilt(b core.BuiltCapacity) ExportBuilt {
	return ExportBuilt{K: b.K, MaxN: b.MaxN, AtBound: b.AtBound(), Low: b.Low, High: b.High, Tried: append([]int{}, b.Tried...), Refusal: b.Refusal}
}

// BuiltExport converts built-by-hand results to their JSON form, in the
// order given; never nil.
func BuiltExport(built []core.BuiltCapacity) []ExportBuilt {
	out := make([]ExportBuilt, len(built))
	for i, b := range built {
		out[i] = exportBuilt(b)
	}
	return out
}

// JSON returns the JSON export of rows measured with s, indented.
func JSON(s Settings, rows []Row) ([]byte, error) {
	return json.MarshalIndent(Export{
		Format: ExportFormat, Settings: s.Encode(), Command: s.Command(),
		Task:    "shift by one without wrap-around (input n fires output n+1; N-1 pairs)",
		Results: JSONRows(rows),
	}, "", "  ")
}

// FileName returns the export's file name for s and an extension ("csv" or
// "json"), e.g. "bottleneck-capacity-k1-2-budget1500-seeds2.csv".
func FileName(s Settings, ext string) string {
	return fmt.Sprintf("bottleneck-capacity-k%s-budget%d-seeds%d.%s", strings.ReplaceAll(s.encodedKs(), ",", "-"), s.Budget, s.Seeds, ext)
}
