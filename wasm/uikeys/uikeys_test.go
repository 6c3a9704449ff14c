package uikeys

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core"
)

func TestSplitKeepsTheRunAndReadsTheUI(t *testing.T) {
	rest, u, err := Split("#n=5&hide=charts,tour&k=3&lock=seed,k&tour=2")
	if err != nil {
		t.Fatal(err)
	}
	if rest != "n=5&k=3&tour=2" {
		t.Errorf("rest = %q", rest)
	}
	if !slices.Equal(u.Hide, []string{"tour", "charts"}) || !slices.Equal(u.Lock, []string{"k", "seed"}) {
		t.Errorf("ui = %+v, want the names in table order", u)
	}
	if got := u.Encode(); got != "hide=tour,charts&lock=k,seed" {
		t.Errorf("Encode = %q", got)
	}
	if !u.Hidden("tour") || u.Hidden("walk") || !u.Locked("k") || u.Locked("n") {
		t.Error("Hidden/Locked disagree with the lists")
	}
	if u.ShowsPanel("charts") || !u.ShowsPanel("hidden") {
		t.Error("ShowsPanel")
	}
	if got := u.Controls(); !slices.Equal(got, []string{"k", "seed", "new-seed"}) {
		t.Errorf("Controls = %v", got)
	}
	// Without UI keys the fragment passes through untouched.
	if rest, u, err := Split("n=11&k=2&seed=1"); rest != "n=11&k=2&seed=1" || !u.Empty() || err != nil {
		t.Errorf("Split without UI keys = %q, %+v, %v", rest, u, err)
	}
}

func TestLockAllBut(t *testing.T) {
	_, u, err := Split("lock=all,-k")
	if err != nil {
		t.Fatal(err)
	}
	if u.Locked("k") || !u.Locked("n") || len(u.Lock) != len(Of(LockKey))-1 {
		t.Errorf("lock=all,-k locked %v", u.Lock)
	}
	if got := u.Encode(); got != "lock=all,-k" {
		t.Errorf("Encode = %q", got)
	}
	// The encoding reads back as the same UI.
	_, again, err := Split(u.Encode())
	if err != nil || !slices.Equal(again.Lock, u.Lock) {
		t.Errorf("round trip: %+v, %v", again, err)
	}
	_, u, _ = Split("lock=all")
	if got := u.Encode(); got != "lock=all" {
		t.Errorf("Encode = %q", got)
	}
}

func TestUnknownNamesAreReportedAndTheRestKept(t *testing.T) {
	for _, tc := range []struct {
		frag, field, value string
		hide, lock         []string
	}{
		{"hide=tour,sidebar,charts", "hide", "sidebar", []string{"tour", "charts"}, nil},
		{"lock=k,temperature", "lock", "temperature", nil, []string{"k"}},
		{"lock=all,-nope", "lock", "-nope", nil, Of(LockKey)},
		{"hide=tour&hide=charts", "hide", "charts", []string{"tour"}, nil},
		{"hide=" + strings.Repeat("x", 500), "hide", strings.Repeat("x", 40) + "...", nil, nil},
	} {
		rest, u, err := Split("n=5&" + tc.frag)
		var fe *core.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || fe.Value != tc.value {
			t.Errorf("%s: err = %v, want a FieldError for %s=%q", tc.frag, err, tc.field, tc.value)
			continue
		}
		if rest != "n=5" || !slices.Equal(u.Hide, tc.hide) || !slices.Equal(u.Lock, tc.lock) {
			t.Errorf("%s: rest %q, ui %+v", tc.frag, rest, u)
		}
		if !strings.Contains(fe.Allowed, "twice") && !strings.Contains(err.Error(), strings.Join(Of(tc.field), ", ")) {
			t.Errorf("%s: the message does not list the allowed names: %v", tc.frag, err)
		}
	}
}

func TestCheckRefusesChangesToLockedParameters(t *testing.T) {
	_, u, _ := Split("lock=k,task")
	prev := core.DefaultConfig()
	next := prev
	next.N = 20 // not locked
	if err := u.Check(prev, next); err != nil {
		t.Errorf("changing N: %v", err)
	}
	next = prev
	next.K = 3
	var fe *core.FieldError
	if err := u.Check(prev, next); !errors.As(err, &fe) || fe.Field != "k" || fe.Value != "3" || !strings.Contains(fe.Allowed, "stays 2") {
		t.Errorf("changing k: %v", err)
	}
	next = prev
	next.Wrap = true // a task parameter
	if err := u.Check(prev, next); !errors.As(err, &fe) || fe.Field != "wrap" {
		t.Errorf("changing wrap: %v", err)
	}
	if err := (UI{}).Check(prev, next); err != nil {
		t.Errorf("no locks: %v", err)
	}
}

// Every row of the table is usable: a known key, a name that survives the
// URL unescaped, a description, and for a parameter at least one control and
// a field core's codec writes.
func TestTableRows(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range Names {
		id := n.Key + "=" + n.Name
		if seen[id] {
			t.Errorf("%s twice", id)
		}
		seen[id] = true
		if n.Key != HideKey && n.Key != LockKey || n.What == "" || n.Name == All || strings.ContainsAny(n.Name, ",&=#%- ") {
			t.Errorf("bad row %+v", n)
		}
		// lock=weights is the one lock of no field: it refuses the edits
		// of the weights by hand, which the link does not hold.
		if n.Key == LockKey && (len(n.Controls) == 0 || len(n.Fields) == 0 && n.Name != WeightsLock) {
			t.Errorf("%s locks nothing", id)
		}
	}
	// Every field core writes is lockable, so a lock can cover the whole run.
	c := core.DefaultConfig()
	c.Optimizer, c.Task, c.HiddenBias = core.OptMomentum, core.TaskRandom, false
	for p := range strings.SplitSeq(c.Encode(), "&") {
		k, _, _ := strings.Cut(p, "=")
		found := false
		for _, n := range Names {
			found = found || slices.Contains(n.Fields, k)
		}
		if !found {
			t.Errorf("core's key %s cannot be locked", k)
		}
	}
}

func TestSnippet(t *testing.T) {
	got := Snippet(`https://example.org/b/embed.html#n=5&k=2&hide=tour`, `Bottleneck: 5-2-5 "live"`, 100, 5000)
	want := `<iframe src="https://example.org/b/embed.html#n=5&amp;k=2&amp;hide=tour" title="Bottleneck: 5-2-5 &#34;live&#34;" width="600" height="4000" loading="lazy" style="border: 0; max-width: 100%;"></iframe>`
	if got != want {
		t.Errorf("Snippet =\n%s\nwant\n%s", got, want)
	}
}

// The README lists every UI name with its description, and nothing else, as
// "| `KEY=NAME` | WHAT |" rows.
func TestREADMEListsTheUIKeys(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if strings.HasPrefix(line, "| `"+HideKey+"=") || strings.HasPrefix(line, "| `"+LockKey+"=") {
			rows = append(rows, line)
		}
	}
	var want []string
	for _, n := range Names {
		want = append(want, "| `"+n.Key+"="+n.Name+"` | "+n.What+" |")
	}
	if !slices.Equal(rows, want) {
		t.Errorf("README's UI key rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}

// The lock note says what a link fixed, or what it left free when that is
// the shorter, and nothing when nothing is locked.
func TestLockNote(t *testing.T) {
	for _, c := range []struct{ frag, want string }{
		{"n=5", ""},
		{"hide=tour", ""},
		{"lock=k", "This link fixed k, the number of hidden units, so those controls are locked."},
		{"lock=n,lr", "This link fixed N, the number of inputs and outputs and the learning rate, so those controls are locked."},
		{"lock=n,k,lr", "This link fixed N, the number of inputs and outputs, k, the number of hidden units and the learning rate, so those controls are locked."},
		{"lock=all", "This link fixed every setting, so those controls are locked."},
		{"lock=all,-k", "This link fixed every setting but k, the number of hidden units, so those controls are locked."},
		{"lock=all,-k,-seed", "This link fixed every setting but k, the number of hidden units and the seed (and the New seed button), so those controls are locked."},
	} {
		_, u, err := Split(c.frag)
		if err != nil {
			t.Fatalf("%s: %v", c.frag, err)
		}
		if got := u.LockNote(); got != c.want {
			t.Errorf("%s: %q\nwant %q", c.frag, got, c.want)
		}
	}
}

// lock=weights, on its own or in all, refuses the edits by hand; no other
// lock does.
func TestWeightsRefusal(t *testing.T) {
	for frag, locked := range map[string]bool{"lock=weights": true, "lock=all": true, "lock=all,-weights": false, "lock=k,seed": false, "": false} {
		_, u, err := Split(frag)
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		if got := u.WeightsRefusal(); (got != "") != locked || locked && !strings.Contains(got, "lock=weights") {
			t.Errorf("%s: refusal %q, want locked %v", frag, got, locked)
		}
	}
}
