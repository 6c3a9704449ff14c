package keep

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/engine"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/play"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// linked runs an App against an engine as the page does, frames through
// the wire form; Saved answers go to saved.
type linked struct {
	t     *testing.T
	a     *play.App
	e     *engine.Engine
	saved []protocol.Message
}

func newLinked(t *testing.T, frag string) *linked {
	t.Helper()
	cfg, err := core.ParseFragment(frag)
	if err != nil {
		t.Fatal(err)
	}
	a, err := play.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Unix(0, 0)
	return &linked{t: t, a: a, e: engine.New(func() time.Time { clock = clock.Add(time.Millisecond); return clock })}
}

func wire(t *testing.T, m protocol.Message) protocol.Message {
	t.Helper()
	f, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	m, err = protocol.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// settle runs frames until the page has seen the engine take every command
// and stop.
func (l *linked) settle() {
	l.t.Helper()
	for range 100_000 {
		for _, m := range l.a.Outbox() {
			l.e.Handle(wire(l.t, m))
		}
		if l.e.Wait() == 0 {
			l.e.Slice()
		}
		for _, m := range l.e.Outbox() {
			switch m.Type {
			case protocol.TypeRefused, protocol.TypeFault:
				l.t.Fatalf("the engine said: %s", m.Reason)
			case protocol.TypeSaved:
				l.saved = append(l.saved, wire(l.t, m))
			}
			l.a.Take(m)
		}
		if !l.a.Busy() {
			return
		}
	}
	l.t.Fatal("the run did not settle")
}

func (l *linked) steps(n int) {
	l.t.Helper()
	for range n {
		l.a.Step()
	}
	l.settle()
}

func (l *linked) save() protocol.Message {
	l.t.Helper()
	seq := l.a.Save()
	l.saved = nil
	l.settle()
	for _, m := range l.saved {
		if m.Seq == seq {
			return m
		}
	}
	l.t.Fatalf("no answer to save %d", seq)
	return protocol.Message{}
}

// A run kept at step 1,000 (through Encode and Decode, as the page stores
// and reads it) and resumed in a new page and engine trains on to step
// 2,000 exactly as core's uninterrupted run, its charts and solved step
// kept, for each optimizer.
func TestKeptRunContinuesExactly(t *testing.T) {
	for _, frag := range []string{"n=11&k=2&seed=3", "n=7&k=3&ob=0&opt=momentum&lr=0.05&seed=2", "n=6&k=0&opt=sgd&lr=0.5&seed=4"} {
		l := newLinked(t, frag)
		l.steps(1000)
		saved := l.save()
		at := time.UnixMilli(1_700_000_000_123)
		st, err := Encode(Record{Link: frag + "&hide=tour", SavedAt: at, Running: false, Run: saved})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Decode(st)
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		if r.Link != frag+"&hide=tour" || !r.SavedAt.Equal(at) || r.Running || r.Run.Step != 1000 {
			t.Fatalf("%s: decoded %+v", frag, r)
		}

		// A new page: its App starts the link's run, then takes the record.
		n := newLinked(t, frag)
		if err := n.a.Resume(r.Run, r.Running); err != nil {
			t.Fatal(err)
		}
		if n.a.Running || n.a.Trainer().Metrics().Step != 1000 {
			t.Fatalf("%s: resumed at step %d running %v", frag, n.a.Trainer().Metrics().Step, n.a.Running)
		}
		n.settle()
		loss, _ := n.a.Chart()
		if _, _, first, last, _ := loss.Range(); first != 0 || last != 1000 {
			t.Errorf("%s: the resumed chart holds steps %d..%d, want 0..1000", frag, first, last)
		}
		n.steps(1000)
		want := coretest.Trained(t, frag, 2000)
		got := n.a.Trainer()
		if !reflect.DeepEqual(protocol.Weights(got.Network()), protocol.Weights(want.Network())) || got.Metrics() != want.Metrics() {
			t.Errorf("%s: the resumed run at step %d differs from core's uninterrupted run", frag, got.Metrics().Step)
		}
		if s := n.save(); !slices.Equal(s.Optimizer, want.OptimizerState()) {
			t.Errorf("%s: the optimizer state at step 2000 differs from core's", frag)
		}
	}
}

// A stored record that is corrupt, foreign or of another run is refused
// with a reason, and nothing panics.
func TestDecodeRefuses(t *testing.T) {
	const frag = "n=5&k=2&seed=1"
	l := newLinked(t, frag)
	l.steps(20)
	saved := l.save()
	good, err := Encode(Record{Link: frag, SavedAt: time.UnixMilli(5000), Run: saved})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(good); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(s *Stored)) Stored {
		s := good
		s.Floats = slices.Clone(good.Floats)
		f(&s)
		return s
	}
	p := protocol.WeightCount(l.a.Config())
	for _, c := range []struct {
		name string
		s    Stored
		want string
	}{
		{"empty", Stored{}, `format ""`},
		{"foreign", edit(func(s *Stored) { s.Format = "other-app" }), `format "other-app"`},
		{"future", edit(func(s *Stored) { s.Version = 2 }), "version 2 is not read here"},
		{"no link", edit(func(s *Stored) { s.Link = "" }), "a link of 0 characters"},
		{"bad link", edit(func(s *Stored) { s.Link = "n=abc" }), "not a playground link"},
		{"another run's link", edit(func(s *Stored) { s.Link = "n=6&k=2&seed=1" }), "but its link is n=6&k=2"},
		{"no time", edit(func(s *Stored) { s.SavedAt = 0 }), "no time of saving"},
		{"bad head", edit(func(s *Stored) { s.Head = "{" }), "the head is not a message"},
		{"an import", edit(func(s *Stored) { s.Head = strings.Replace(s.Head, `"type":"saved"`, `"type":"import"`, 1) }), "it holds a message of type import, not a saved run"},
		{"short floats", edit(func(s *Stored) { s.Floats = s.Floats[:10] }), "floats, but the frame has 10"},
		{"NaN weight", edit(func(s *Stored) { s.Floats[3] = math.NaN() }), "weight 3 is NaN"},
		{"NaN moment", edit(func(s *Stored) { s.Floats[p+5] = math.NaN() }), "optimizer value 5 is NaN"},
	} {
		_, err := Decode(c.s)
		if err == nil || !errors.Is(err, ErrRecord) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrRecord saying %q", c.name, err, c.want)
		}
	}
	// What core checks of the values, the page's Resume refuses, keeping
	// the run on the page.
	for _, c := range []struct {
		name string
		s    Stored
		want string
	}{
		{"negative moment", edit(func(s *Stored) { s.Floats[p+2+p] = -1 }), "the second moment of w1[1][1] is -1"},
		{"bad power", edit(func(s *Stored) { s.Floats[p] = 2 }), "β1^t is 2"},
	} {
		r, err := Decode(c.s)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		page := newLinked(t, frag)
		before := page.a.Version()
		if err := page.a.Resume(r.Run, false); err == nil || !errors.Is(err, core.ErrSnapshot) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Resume: %v; want core.ErrSnapshot saying %q", c.name, err, c.want)
		}
		if page.a.Version() != before || page.a.Trainer().Metrics().Step != 0 || !page.a.Running {
			t.Errorf("%s: a refused resume changed the run", c.name)
		}
	}
	diverged := saved
	diverged.Diverged = "a weight became NaN at step 3"
	if _, err := Encode(Record{Link: frag, SavedAt: time.UnixMilli(1), Run: diverged}); err == nil {
		t.Error("a diverged run was encoded")
	}
}

func TestPrune(t *testing.T) {
	var es []Entry
	for i := range 13 {
		es = append(es, Entry{Link: string(rune('a' + i)), SavedAt: int64(1000 + i)})
	}
	// Oldest first: a, b, c go.
	if got := Prune(es, MaxRecords, "m"); !reflect.DeepEqual(got, []string{"c", "b", "a"}) {
		t.Errorf("Prune = %v, want the three oldest", got)
	}
	// The page's own run stays even when it is old.
	if got := Prune(es, MaxRecords, "a"); !reflect.DeepEqual(got, []string{"d", "c", "b"}) {
		t.Errorf("Prune keeping a = %v", got)
	}
	if got := Prune(es[:4], MaxRecords, "a"); got != nil {
		t.Errorf("Prune of 4 = %v", got)
	}
	if got := Prune(nil, MaxRecords, "a"); got != nil {
		t.Errorf("Prune of none = %v", got)
	}
	// Ties by time: the larger link stays, whatever the order given.
	tie := []Entry{{"x", 5}, {"y", 5}, {"z", 5}}
	if got := Prune(tie, 2, ""); !reflect.DeepEqual(got, []string{"x"}) {
		t.Errorf("Prune of a tie = %v", got)
	}
	slices.Reverse(tie)
	if got := Prune(tie, 2, ""); !reflect.DeepEqual(got, []string{"x"}) {
		t.Errorf("Prune of a reversed tie = %v", got)
	}
}

func TestNotice(t *testing.T) {
	for _, c := range []struct {
		step int
		ago  time.Duration
		want string
	}{
		{12345, 3 * time.Second, "Continued from step 12,345 (saved 3 s ago)"},
		{0, 200 * time.Millisecond, "Continued from step 0 (saved just now)"},
		{999, -time.Hour, "Continued from step 999 (saved just now)"},
		{1000, 5 * time.Minute, "Continued from step 1,000 (saved 5 min ago)"},
		{1234567, 3 * time.Hour, "Continued from step 1,234,567 (saved 3 h ago)"},
		{100, 72 * time.Hour, "Continued from step 100 (saved 3 days ago)"},
	} {
		if got := Notice(c.step, c.ago); got != c.want {
			t.Errorf("Notice(%d, %v) = %q, want %q", c.step, c.ago, got, c.want)
		}
	}
}

// largestSaved is the Saved of the largest network, 1024-16-1024 with
// adam, after one step, with its chart.
func largestSaved(b *testing.B) protocol.Message {
	b.Helper()
	tr := coretest.Trained(b, "n=1024&k=16&seed=1", 1)
	m := tr.Metrics()
	return protocol.Message{Type: protocol.TypeSaved, Seq: 1, Config: tr.Config().Encode(), Step: m.Step, SolvedAt: m.SolvedAt,
		Weights: protocol.Weights(tr.Network()), Optimizer: tr.OptimizerState()}
}

// BenchmarkEncodeLargest is the page's Go work for one save of the largest
// network (the engine's answer to it, then the browser's structured clone,
// are not in it).
func BenchmarkEncodeLargest(b *testing.B) {
	m := largestSaved(b)
	for b.Loop() {
		if _, err := Encode(Record{Link: m.Config, SavedAt: time.UnixMilli(1), Run: m}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeLargest is reading the largest network's record back,
// all its checks included.
func BenchmarkDecodeLargest(b *testing.B) {
	m := largestSaved(b)
	st, err := Encode(Record{Link: m.Config, SavedAt: time.UnixMilli(1), Run: m})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Decode(st); err != nil {
			b.Fatal(err)
		}
	}
}
