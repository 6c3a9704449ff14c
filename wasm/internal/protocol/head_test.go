package protocol

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
)

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// The reference for head.go is encoding/json, as this package used it
// before: these methods exist only in the tests, where they give num the
// JSON the hand-written code must match.

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Inf"`), nil
	}
	return json.Marshal(f)
}

func (x *num) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*x = num(math.NaN())
	case `"+Inf"`:
		*x = num(math.Inf(1))
	case `"-Inf"`:
		*x = num(math.Inf(-1))
	default:
		var f float64
		if err := json.Unmarshal(b, &f); err != nil {
			return err
		}
		*x = num(f)
	}
	return nil
}

// referenceRead is how Decode read a head with encoding/json.
func referenceRead(text string) (head, error) {
	var h head
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return head{}, err
	}
	if dec.More() {
		return head{}, errTextAfter
	}
	return h, nil
}

// headsToWrite are heads with every field set and unset, and the strings
// and numbers whose JSON takes care: escapes, HTML's characters, line
// separators, bytes that are not UTF-8, and floats at the edges of the
// exponent form.
func headsToWrite() []head {
	strs := []string{"", "n=11&k=2", "a\"b\\c/d", "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f", "<script>&amp;</script>",
		"line\u2028para\u2029", "bad \xff utf8 \xc3", "\u00e9 \u2713 \U0001d11e", strings.Repeat("x", 300)}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 1.5e-300, 1e20, 1e21, 123456789012345678, -2.5e-8, math.MaxFloat64, math.SmallestNonzeroFloat64}
	var hs []head
	for i, s := range strs {
		f := floats[i%len(floats)]
		hs = append(hs, head{V: 1, Type: Type(s), Config: s, Reason: s, Diverged: s,
			Outcome: &outcome{Seed: math.MaxUint64, Diverged: s, Accuracy: num(f)},
			Status:  &statusline.Line{Shape: s, Connections: s, Step: s, Loss: s, Correct: s, MaxAbsWeight: s, MinMargin: s, Solved: s}})
	}
	for i, f := range floats {
		hs = append(hs,
			head{V: 1, Type: TypeRun, Rate: f, Seq: i - 3, Steps: math.MaxInt64, Job: math.MinInt64},
			head{V: 1, Type: TypeSetWeight, Edit: &Edit{Layer: 3, Row: i, Col: -i, Value: f}},
			head{V: 1, Type: TypeSaved, Seq: i + 1, Config: "n=5", Step: 9, Chart: i, Opt: 2*i - 5, SolvedAt: &i},
			head{V: 1, Type: TypeState, Running: i%2 == 0, Commands: i, Memory: 12 << 20, Step: 40,
				Metrics: &metrics{Step: 40, Loss: num(f), Accuracy: num(-f), MinMargin: num(math.Inf(-1)), MaxAbsWeight: num(math.NaN()), SolvedAt: -1}},
			head{V: 2, Type: TypeJobDone, Budget: i, Outcome: &outcome{Seed: uint64(i), Solved: true, Steps: 7, Correct: 3, Pairs: 4, Accuracy: num(f), MaxAbsWeight: num(math.Inf(1))}},
		)
	}
	return hs
}

// writeHead writes what encoding/json writes, byte for byte, and refuses
// what it refuses (a float64 that is not finite where no num stands).
func TestHeadTextIsEncodingJSONs(t *testing.T) {
	for _, h := range headsToWrite() {
		got, err := writeHead(&h)
		want, wantErr := json.Marshal(h)
		if err != nil || wantErr != nil || !bytes.Equal(got, want) {
			t.Errorf("writeHead:\n got %s (%v)\nwant %s (%v)", got, err, want, wantErr)
		}
	}
	for _, h := range []head{{V: 1, Rate: math.NaN()}, {V: 1, Rate: math.Inf(1)}, {V: 1, Edit: &Edit{Value: math.Inf(-1)}}} {
		if got, err := writeHead(&h); err == nil {
			t.Errorf("writeHead wrote %s", got)
		} else if _, err := json.Marshal(h); err == nil {
			t.Errorf("encoding/json takes %+v, which writeHead refuses", h)
		}
	}
}

// What writeHead writes, readHead reads back as the same head (a string
// that was not UTF-8 comes back with U+FFFD for each bad byte, as it
// did through encoding/json).
func TestHeadReadsWhatItWrites(t *testing.T) {
	for _, h := range headsToWrite() {
		text, err := writeHead(&h)
		if err != nil {
			t.Fatal(err)
		}
		var back head
		if err := readHead(string(text), &back); err != nil {
			t.Errorf("readHead(%s): %v", text, err)
			continue
		}
		again, _ := writeHead(&back)
		if !bytes.Equal(again, text) && utf8.ValidString(h.Config) {
			t.Errorf("readHead(%s) reads a head written as %s", text, again)
		}
		if ref, _ := referenceRead(string(text)); !bytes.Equal(again, must(writeHead(&ref))) {
			t.Errorf("readHead(%s) reads a head written as %s; encoding/json's as %s", text, again, must(writeHead(&ref)))
		}
	}
}

// readHead takes what encoding/json took, as the same head, except where
// head.go says it is stricter; and it takes nothing encoding/json refused.
func FuzzHeadReadsAsEncodingJSON(f *testing.F) {
	for _, h := range headsToWrite() {
		text, _ := writeHead(&h)
		f.Add(string(text))
	}
	for _, s := range []string{``, ` {} `, `{"v":1} }`, `{"v":1}]`, `{"v":1,"v":2}`, `{"V":1}`, `{"type":"\ud834\udd1e\ud800x\u00e9"}`,
		`{"metrics":{"loss":"NaN"},"metrics":{"step":3}}`, `{"metrics":null}`, `{"seq":null,"rate":1E+2,"edit":{"value":-0.0e-0}}`,
		`{"outcome":{"accuracy":"N\u0061N"}}`, `{"steps":1.0}`, `{"steps":01}`, `{"job":-0}`, `{"cmds":99999999999999999999}`,
		`{"rate":1e999}`, `{"bogus":[1,{"a":[]}]}`, `{"status":{"loss":"1","Loss":"2"}}`, `{"status":{"margin":3}}`, "{\"config\":\"a\x01\"}", "{\"config\":\"\xff\"}", `{"running":tru}`, `{"edit":{"LAYER":1}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var got head
		err := readHead(text, &got)
		want, wantErr := referenceRead(text)
		switch {
		case err == nil && wantErr != nil:
			t.Fatalf("readHead(%q) took what encoding/json refused: %v", text, wantErr)
		case err == nil:
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if !bytes.Equal(g, w) {
				t.Fatalf("readHead(%q) = %s; encoding/json read %s", text, g, w)
			}
		case wantErr == nil:
			// Stricter on purpose: a key not spelt exactly (encoding/json
			// folds case), a key twice, or a stray "}" or "]" after the
			// object.
			msg := err.Error()
			if !strings.Contains(msg, "unknown field") && !strings.Contains(msg, "appears twice") && err != errTextAfter {
				t.Fatalf("readHead(%q) refused what encoding/json took: %v", text, err)
			}
		}
	})
}
