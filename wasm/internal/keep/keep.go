// Package keep is the playground's memory of runs across reloads, closed
// tabs and crashed browsers: the record a run is kept in (the page stores
// it in the browser's IndexedDB, wasm/keep.go), its checks, which records
// to keep, and the notice of a continued run. It imports neither syscall/js
// nor ebiten, so its tests run natively.
//
// A record is keyed by the page's link (its URL fragment) and holds the
// engine's answer to a protocol Save: the config, step, solved step,
// weights, optimizer state and charts of the run, everything an Import
// needs to go on bit for bit. They are kept as the protocol frame (a short
// JSON head and one Float64Array), which the browser stores by structured
// clone: no number is turned into text, and reading one back goes through
// protocol.Decode and core's snapshot checks, as an imported file does.
package keep

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// Where and how many records are kept.
const (
	Format     = "bottleneck-run" // Stored.Format
	Version    = 1                // Stored.Version
	Database   = "bottleneck"     // the IndexedDB database
	Store      = "runs"           // its object store, keyed by Stored.Link
	ByTime     = "savedAt"        // the store's index on Stored.SavedAt
	MaxRecords = 10               // the latest runs kept; older ones are deleted
	// Every is how often a running run is saved. A paused run is saved
	// as soon as the engine has taken every command.
	Every = 3 * time.Second
)

// Record is a kept run.
type Record struct {
	Link    string           // the page's fragment without its '#', the record's key
	SavedAt time.Time        // when the engine answered the Save (millisecond precision)
	Running bool             // whether the run trained on its own then
	Run     protocol.Message // the Saved: config, step, solved step, weights, optimizer state, chart
}

// Stored is a Record as the page stores it: fields that structured clone
// keeps as they are. SavedAt is in Unix milliseconds; Head and Floats are
// the Saved's protocol.Frame (Floats is stored as a Float64Array).
type Stored struct {
	Format  string
	Version int
	Link    string
	SavedAt int64
	Running bool
	Head    string
	Floats  []float64
}

// Encode returns r as stored, or why r cannot be kept: its Run is not a
// Saved that protocol.Encode takes, or it diverged (nothing to go on from).
func Encode(r Record) (Stored, error) {
	if r.Run.Type != protocol.TypeSaved {
		return Stored{}, fmt.Errorf("keep: a %s message is not a saved run", r.Run.Type)
	}
	if r.Run.Diverged != "" {
		return Stored{}, fmt.Errorf("keep: a diverged run is not kept (%s)", r.Run.Diverged)
	}
	f, err := protocol.Encode(r.Run)
	if err != nil {
		return Stored{}, err
	}
	return Stored{Format: Format, Version: Version, Link: r.Link, SavedAt: r.SavedAt.UnixMilli(), Running: r.Running,
		Head: f.Head, Floats: f.Weights}, nil
}

// ErrRecord wraps every reason Decode refuses a stored record.
var ErrRecord = errors.New("not a kept Bottleneck run")

// Decode returns the record s holds, or an error wrapping ErrRecord that
// says why it is refused: another format or version, no link or a link
// that is not a playground link, no time, a frame that protocol.Decode
// refuses (weights or an optimizer state of the wrong count, not finite,
// a bad chart) or that is not a Saved, a run that diverged, or a run of
// another config than its link's. What core checks of the values (a
// negative moment, a bias that is off but not zero) is checked when the
// run is built, by play.App.Resume (protocol.Message.Trainer): building it
// here too would cost the largest network a second pass at every load.
// It never panics.
func Decode(s Stored) (Record, error) {
	bad := func(format string, args ...any) (Record, error) {
		return Record{}, fmt.Errorf("%w: %s", ErrRecord, fmt.Sprintf(format, args...))
	}
	if s.Format != Format {
		return bad("format %q, expected %q", clip(s.Format), Format)
	}
	if s.Version != Version {
		return bad("version %d is not read here (this page reads version %d)", s.Version, Version)
	}
	if s.Link == "" || len(s.Link) > core.MaxFragmentLen {
		return bad("a link of %d characters", len(s.Link))
	}
	cfg, linkErr := link.Config(s.Link)
	if linkErr != nil && !strings.Contains(linkErr.Error(), "for the page to read") {
		return bad("its link is not a playground link: %v", linkErr)
	}
	if s.SavedAt <= 0 {
		return bad("no time of saving")
	}
	m, err := protocol.Decode(protocol.Frame{Head: s.Head, Weights: s.Floats})
	if err != nil {
		return bad("%v", err)
	}
	if m.Type != protocol.TypeSaved {
		return bad("it holds a message of type %s, not a saved run", m.Type)
	}
	if m.Diverged != "" {
		return bad("its run diverged (%s)", m.Diverged)
	}
	// A link with a tour step or a debug switch is the page's to read; its
	// config is then whatever the run says. Otherwise they must agree.
	if linkErr == nil && cfg.Encode() != m.Config {
		return bad("its run is %s, but its link is %s", clip(m.Config), clip(cfg.Encode()))
	}
	return Record{Link: s.Link, SavedAt: time.UnixMilli(s.SavedAt), Running: s.Running, Run: m}, nil
}

// Entry is what Prune needs of a stored record.
type Entry struct {
	Link    string
	SavedAt int64 // Unix milliseconds
}

// Prune returns the links of the records to delete so that the latest n
// remain (by SavedAt; of two saved at the same millisecond the larger link
// stays, so that the choice does not depend on the order given), and the
// record of current (the run on the page) always stays. n < 1 is 1.
func Prune(entries []Entry, n int, current string) []string {
	n = min(len(entries), max(n, 1))
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int {
		if c := cmp.Compare(b.SavedAt, a.SavedAt); c != 0 {
			return c
		}
		return strings.Compare(b.Link, a.Link)
	})
	keep := sorted[:n]
	if i := slices.IndexFunc(sorted, func(e Entry) bool { return e.Link == current }); i >= n {
		keep = append(slices.Clone(sorted[:n-1]), sorted[i])
	}
	var drop []string
	for _, e := range sorted {
		if !slices.ContainsFunc(keep, func(k Entry) bool { return k.Link == e.Link }) {
			drop = append(drop, e.Link)
		}
	}
	return drop
}

// Notice is what the page says when it continues a kept run: "Continued
// from step 12,345 (saved 3 s ago)".
func Notice(step int, ago time.Duration) string {
	return fmt.Sprintf("Continued from step %s (saved %s)", thousands(step), Ago(ago))
}

// Ago says how long ago d was, as a person would: "just now", "3 s ago",
// "5 min ago", "2 h ago", "4 days ago". A negative d (a clock set back) is
// "just now".
func Ago(d time.Duration) string {
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%d s ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

// thousands writes n with a comma between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
