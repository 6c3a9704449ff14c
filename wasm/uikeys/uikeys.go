// Package uikeys holds the link's UI keys, which tailor the page to a lesson
// or an article without changing the run: hide=PART,... hides parts of the
// page and lock=PARAM,... fixes run parameters, whose controls are then
// shown disabled. Both the playground (index.html) and the embeddable page
// (embed.html) read them.
//
// Every name lives in one table (Names), like core's URL codec: the parser,
// the link writer, the page's wiring and the README's list all come from it.
// The package is pure Go, tested natively and under Node.
package uikeys

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/link"
)

// The fragment keys this package reads; their names live with the page's
// other keys in package link.
const (
	HideKey = link.HideKey
	LockKey = link.LockKey
)

// All is the lock name that locks every parameter; "-NAME" after it frees
// one again (lock=all,-k: only k can move).
const All = "all"

// Name is one row of the table: a part that hide= can hide or a parameter
// that lock= can lock.
type Name struct {
	Key  string // HideKey or LockKey
	Name string // as written in the link
	What string // in words, for messages and the README
	// For a part: the canvas panel it also removes ("hidden" or "charts"),
	// or "". The page's elements of the part carry data-part="NAME".
	Panel string
	// For a parameter: the ids of the page's controls it disables, and the
	// run's fragment keys (core's URL codec) it fixes.
	Controls []string
	Fields   []string
}

// Names is the table of every UI name, parts first, each list in the order
// the page shows it.
var Names = []Name{
	{Key: HideKey, Name: "controls", What: "the whole control panel"},
	{Key: HideKey, Name: "run", What: "play, step, reset and speed"},
	{Key: HideKey, Name: "network", What: "the N and k controls"},
	{Key: HideKey, Name: "task", What: "the task controls"},
	{Key: HideKey, Name: "model", What: "the activation, output and bias controls"},
	{Key: HideKey, Name: "training", What: "the optimizer, learning rate and seed controls"},
	{Key: HideKey, Name: "share", What: "copy link, export, import, save figure and embed"},
	{Key: HideKey, Name: "tour", What: "the guided tour"},
	{Key: HideKey, Name: "walk", What: "the walk-through of one input"},
	{Key: HideKey, Name: "hidden", What: "the hidden space (its canvas panel and text)", Panel: "hidden"},
	{Key: HideKey, Name: "charts", What: "the loss and accuracy charts", Panel: "charts"},
	{Key: HideKey, Name: "status", What: "the status line (step, loss, correct, largest weight)"},
	{Key: HideKey, Name: "meter", What: "the connection count"},

	{Key: LockKey, Name: "n", What: "N, the number of inputs and outputs", Controls: []string{"n", "n-num"}, Fields: []string{"n"}},
	{Key: LockKey, Name: "k", What: "k, the number of hidden units", Controls: []string{"k"}, Fields: []string{"k"}},
	{Key: LockKey, Name: "task", What: "the task and its parameters", Controls: []string{"task", "shift", "wrap", "task-seed", "custom-map"}, Fields: []string{"task", "s", "wrap", "tseed", "map"}},
	{Key: LockKey, Name: "act", What: "the hidden activation", Controls: []string{"act"}, Fields: []string{"act"}},
	{Key: LockKey, Name: "out", What: "the output layer", Controls: []string{"out"}, Fields: []string{"out"}},
	{Key: LockKey, Name: "bias", What: "the hidden and output biases", Controls: []string{"hidden-bias", "output-bias"}, Fields: []string{"hb", "ob"}},
	{Key: LockKey, Name: "opt", What: "the optimizer and its parameters", Controls: []string{"opt", "mom", "b1", "b2", "eps"}, Fields: []string{"opt", "mom", "b1", "b2", "eps"}},
	{Key: LockKey, Name: "lr", What: "the learning rate", Controls: []string{"lr"}, Fields: []string{"lr"}},
	{Key: LockKey, Name: "seed", What: "the seed (and the New seed button)", Controls: []string{"seed", "new-seed"}, Fields: []string{"seed"}},
	// weights is no field of the link: it refuses every edit of the weights
	// by hand (package play, App.SetLocks), which the link cannot hold.
	{Key: LockKey, Name: WeightsLock, What: "the weights: nothing set by hand", Controls: []string{"construct", "fit-outputs", "import"}},
}

// Of returns the names of key's rows, in table order.
func Of(key string) []string {
	var out []string
	for _, n := range Names {
		if n.Key == key {
			out = append(out, n.Name)
		}
	}
	return out
}

// lookup returns key's row called name.
func lookup(key, name string) (Name, bool) {
	for _, n := range Names {
		if n.Key == key && n.Name == name {
			return n, true
		}
	}
	return Name{}, false
}

// UI is what a link's UI keys ask for: the parts hidden and the parameters
// locked, each in table order without repeats. The zero UI hides and locks
// nothing.
type UI struct {
	Hide []string
	Lock []string
}

// Hidden reports whether part is hidden.
func (u UI) Hidden(part string) bool { return slices.Contains(u.Hide, part) }

// Locked reports whether the parameter is locked.
func (u UI) Locked(param string) bool { return slices.Contains(u.Lock, param) }

// Empty reports whether u hides and locks nothing.
func (u UI) Empty() bool { return len(u.Hide) == 0 && len(u.Lock) == 0 }

// allowed words what key may name, for messages.
func allowed(key string) string {
	s := fmt.Sprintf("%s takes a comma-separated list of %s", key, strings.Join(Of(key), ", "))
	if key == LockKey {
		s += `, or all (then -NAME frees one: all,-k)`
	}
	return s
}

// Split takes the UI keys out of a fragment (with or without its "#"): it
// returns the rest, for the run's parser, and the UI asked for. Names are
// put in table order and repeats dropped, so equal requests encode equally.
//
// An unknown name, or a key given twice, does not stop the page: the known
// names are kept and err is a *core.FieldError naming the key, the value and
// the allowed names, for the page to show.
func Split(frag string) (rest string, u UI, err error) {
	frag = strings.TrimPrefix(frag, "#")
	if !strings.Contains(frag, HideKey) && !strings.Contains(frag, LockKey) {
		return frag, UI{}, nil
	}
	parts := strings.Split(frag, "&")
	keep := parts[:0]
	hide, lock := map[string]bool{}, map[string]bool{}
	seen := map[string]bool{}
	fail := func(e *core.FieldError) {
		if err == nil {
			err = e
		}
	}
	for _, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		if k != HideKey && k != LockKey {
			keep = append(keep, p)
			continue
		}
		if seen[k] {
			fail(&core.FieldError{Field: k, Value: core.Clip(v), Allowed: k + " is given twice; give it once, with a comma-separated list"})
			continue
		}
		seen[k] = true
		if dec, e := url.PathUnescape(v); e == nil {
			v = dec
		}
		for item := range strings.SplitSeq(v, ",") {
			item = strings.ToLower(strings.TrimSpace(item))
			switch {
			case item == "":
			case k == LockKey && item == All:
				for _, n := range Of(LockKey) {
					lock[n] = true
				}
			case k == LockKey && strings.HasPrefix(item, "-"):
				if _, ok := lookup(LockKey, item[1:]); !ok {
					fail(&core.FieldError{Field: k, Value: core.Clip(item), Allowed: allowed(k)})
					continue
				}
				lock[item[1:]] = false
			default:
				if _, ok := lookup(k, item); !ok {
					fail(&core.FieldError{Field: k, Value: core.Clip(item), Allowed: allowed(k)})
					continue
				}
				if k == HideKey {
					hide[item] = true
				} else {
					lock[item] = true
				}
			}
		}
	}
	for _, n := range Of(HideKey) {
		if hide[n] {
			u.Hide = append(u.Hide, n)
		}
	}
	for _, n := range Of(LockKey) {
		if lock[n] {
			u.Lock = append(u.Lock, n)
		}
	}
	return strings.Join(keep, "&"), u, err
}

// Encode writes u as fragment keys ("hide=tour,charts&lock=k"), "" for the
// zero UI. Locking every parameter is written lock=all, and all but one or
// two lock=all,-NAME, which is what a teacher reads best.
func (u UI) Encode() string {
	var out []string
	if len(u.Hide) > 0 {
		out = append(out, HideKey+"="+strings.Join(u.Hide, ","))
	}
	if len(u.Lock) > 0 {
		params := Of(LockKey)
		var free []string
		for _, n := range params {
			if !u.Locked(n) {
				free = append(free, n)
			}
		}
		if len(free) <= 2 {
			v := []string{All}
			for _, n := range free {
				v = append(v, "-"+n)
			}
			out = append(out, LockKey+"="+strings.Join(v, ","))
		} else {
			out = append(out, LockKey+"="+strings.Join(u.Lock, ","))
		}
	}
	return strings.Join(out, "&")
}

// Controls returns the ids of the controls the locked parameters disable.
func (u UI) Controls() []string {
	var ids []string
	for _, p := range u.Lock {
		n, _ := lookup(LockKey, p)
		ids = append(ids, n.Controls...)
	}
	return ids
}

// ShowsPanel reports whether the canvas panel ("hidden" or "charts") is
// shown, i.e. no hidden part removes it.
func (u UI) ShowsPanel(panel string) bool {
	for _, p := range u.Hide {
		if n, _ := lookup(HideKey, p); n.Panel == panel {
			return false
		}
	}
	return true
}

// Check returns a *core.FieldError when next changes a parameter that u
// locks, naming the first such fragment key, its would-be value and why it
// cannot change; nil when next keeps every locked parameter of prev.
func (u UI) Check(prev, next core.Config) error {
	if len(u.Lock) == 0 {
		return nil
	}
	a, b := fields(prev.Encode()), fields(next.Encode())
	for _, p := range u.Lock {
		n, _ := lookup(LockKey, p)
		for _, f := range n.Fields {
			if a[f] != b[f] {
				return &core.FieldError{Field: f, Value: core.Clip(b[f]),
					Allowed: fmt.Sprintf("this link fixed %s (lock=%s), so it stays %s", n.What, p, orDefault(a[f]))}
			}
		}
	}
	return nil
}

func orDefault(v string) string {
	if v == "" {
		return "as it is"
	}
	return v
}

// fields splits an encoded config into key → value.
func fields(frag string) map[string]string {
	m := map[string]string{}
	for p := range strings.SplitSeq(frag, "&") {
		if k, v, ok := strings.Cut(p, "="); ok {
			m[k] = v
		}
	}
	return m
}

// LockNote returns the note that the page shows beside its locked controls,
// or "" when nothing is locked: what the link fixed, or, when it fixed all
// but at most two parameters (lock=all,-k), what it left free, which is the
// shorter and the point.
func (u UI) LockNote() string {
	var fixed, free []string
	for _, n := range Names {
		if n.Key != LockKey {
			continue
		}
		if u.Locked(n.Name) {
			fixed = append(fixed, n.What)
		} else {
			free = append(free, n.What)
		}
	}
	switch {
	case len(fixed) == 0:
		return ""
	case len(free) == 0:
		return "This link fixed every setting, so those controls are locked."
	case len(free) <= 2:
		return "This link fixed every setting but " + joinWords(free) + ", so those controls are locked."
	}
	return "This link fixed " + joinWords(fixed) + ", so those controls are locked."
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// WeightsLock is the lock= name that fixes the weights: they change only by
// training.
const WeightsLock = "weights"

// WeightsRefusal returns why u refuses an edit of the weights by hand (a
// dragged line or code, Construct, Fit outputs, Import), or "" when u does
// not lock them.
func (u UI) WeightsRefusal() string {
	if !u.Locked(WeightsLock) {
		return ""
	}
	return "this link fixed the weights (lock=weights), so they change only by training"
}
