package protocol

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/statusline"
)

// A frame's head is JSON, written and read here by hand rather than with
// encoding/json: the training engine (wasm/worker) then links neither
// encoding/json nor the reflection it drives, which made 84 KB of its
// 773 KB brotli download (688.8 KB without, 2026-12-02). On Chromium's
// "Fast 3G" line, where the engine's download is what the first trained
// step waits for, that step came about 0.5 s sooner (BenchmarkLoadFast3G).
//
// The text written is byte for byte what encoding/json writes for the head
// struct (its tags document the form; TestHeadTextIsEncodingJSONs compares),
// and reading accepts what encoding/json with DisallowUnknownFields accepts,
// giving the same message (FuzzHeadReadsAsEncodingJSON compares), except
// that it is stricter in three ways: a key must match a field's name
// exactly (encoding/json also takes "TYPE" or "Type"), the object must be
// the whole text (encoding/json's Decoder.More lets a stray "}" or "]"
// follow it), and a key may not repeat (encoding/json keeps the last).

// writeHead returns h as JSON, or an error if a float64 field that has no
// "NaN" spelling (Rate, an edit's value) is not finite, as encoding/json
// refuses it.
func writeHead(h *head) ([]byte, error) {
	w := jsonWriter{b: make([]byte, 0, 128+len(h.Config)+len(h.Reason)+len(h.Diverged))}
	w.open()
	w.int("v", int64(h.V))
	w.str("type", string(h.Type))
	if h.Seq != 0 {
		w.int("seq", int64(h.Seq))
	}
	if h.Config != "" {
		w.str("config", h.Config)
	}
	if h.Steps != 0 {
		w.int("steps", int64(h.Steps))
	}
	if h.Rate != 0 {
		w.float("rate", h.Rate)
	}
	if e := h.Edit; e != nil {
		w.key("edit")
		w.open()
		w.int("layer", int64(e.Layer))
		w.int("row", int64(e.Row))
		w.int("col", int64(e.Col))
		w.float("value", e.Value)
		w.close()
	}
	if h.Job != 0 {
		w.int("job", int64(h.Job))
	}
	if h.Budget != 0 {
		w.int("budget", int64(h.Budget))
	}
	if h.Step != 0 {
		w.int("step", int64(h.Step))
	}
	if h.Running {
		w.bool("running", true)
	}
	if h.Commands != 0 {
		w.int("cmds", int64(h.Commands))
	}
	if m := h.Metrics; m != nil {
		w.key("metrics")
		w.open()
		w.int("step", int64(m.Step))
		w.num("loss", m.Loss)
		w.int("correct", int64(m.Correct))
		w.int("pairs", int64(m.Pairs))
		w.num("accuracy", m.Accuracy)
		w.num("minMargin", m.MinMargin)
		w.num("maxAbsWeight", m.MaxAbsWeight)
		w.int("solvedAt", int64(m.SolvedAt))
		w.close()
	}
	if h.Diverged != "" {
		w.str("diverged", h.Diverged)
	}
	if o := h.Outcome; o != nil {
		w.key("outcome")
		w.open()
		w.uint("seed", o.Seed)
		w.bool("solved", o.Solved)
		w.int("steps", int64(o.Steps))
		w.int("correct", int64(o.Correct))
		w.int("pairs", int64(o.Pairs))
		w.num("accuracy", o.Accuracy)
		w.num("maxAbsWeight", o.MaxAbsWeight)
		if o.Diverged != "" {
			w.str("diverged", o.Diverged)
		}
		w.close()
	}
	if h.Reason != "" {
		w.str("reason", h.Reason)
	}
	if h.Memory != 0 {
		w.int("mem", int64(h.Memory))
	}
	if h.Dark {
		w.bool("dark", true)
	}
	if h.Chart != 0 {
		w.int("chart", int64(h.Chart))
	}
	if h.SolvedAt != nil {
		w.int("solvedAt", int64(*h.SolvedAt))
	}
	if h.Opt != 0 {
		w.int("opt", int64(h.Opt))
	}
	if l := h.Status; l != nil {
		w.key("status")
		w.open()
		w.str("shape", l.Shape)
		w.str("conn", l.Connections)
		w.str("step", l.Step)
		w.str("loss", l.Loss)
		w.str("acc", l.Correct)
		w.str("maxw", l.MaxAbsWeight)
		w.str("margin", l.MinMargin)
		w.str("solved", l.Solved)
		w.close()
	}
	w.close()
	return w.b, w.err
}

// jsonWriter appends a JSON object's members to b; err is the first value
// JSON cannot hold.
type jsonWriter struct {
	b     []byte
	first bool // the next member is the object's first
	err   error
}

func (w *jsonWriter) open()  { w.b, w.first = append(w.b, '{'), true }
func (w *jsonWriter) close() { w.b, w.first = append(w.b, '}'), false }

func (w *jsonWriter) key(k string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
}

func (w *jsonWriter) int(k string, v int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonWriter) uint(k string, v uint64) {
	w.key(k)
	w.b = strconv.AppendUint(w.b, v, 10)
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.b = appendString(w.b, v)
}

func (w *jsonWriter) bool(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
}

// float writes a float64 that must be finite.
func (w *jsonWriter) float(k string, v float64) {
	w.key(k)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if w.err == nil {
			w.err = fmt.Errorf("%s is %v, which JSON cannot hold", k, v)
		}
		w.b = append(w.b, '0')
		return
	}
	w.b = appendFloat(w.b, v)
}

// num writes a num: a number, or its spelling when it is not finite.
func (w *jsonWriter) num(k string, v num) {
	w.key(k)
	if text := nonFiniteJSON(float64(v)); text != "" {
		w.b = append(w.b, text...)
		return
	}
	w.b = appendFloat(w.b, float64(v))
}

// nonFinite are the values nonFiniteJSON spells.
var nonFinite = [...]float64{math.NaN(), math.Inf(1), math.Inf(-1)}

// nonFiniteJSON is a num's JSON when f is not finite: the string "NaN",
// "+Inf" or "-Inf"; "" for a finite f.
func nonFiniteJSON(f float64) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"+Inf"`
	case math.IsInf(f, -1):
		return `"-Inf"`
	}
	return ""
}

// appendFloat writes a finite f as encoding/json does: the shortest decimal
// that reads back as f, in exponent form only below 1e-6 or from 1e21 on,
// with the exponent's leading zero dropped (1e-07 becomes 1e-7).
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

// appendString writes s as a JSON string, escaping as encoding/json does by
// default: quotes, backslashes and control characters, and also <, > and &
// (so that a head is safe inside HTML), U+2028 and U+2029 (line breaks to
// JavaScript), and each byte that is not UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// readHead parses text, a JSON object, into h. Its errors say where and what
// is wrong; none of them panics.
func readHead(text string, h *head) error {
	r := jsonReader{s: text}
	r.space()
	if r.null() { // an empty head, as encoding/json reads it
		if r.i < len(r.s) {
			return errTextAfter
		}
		return nil
	}
	if err := r.object(setter(&r, headFields, h)); err != nil {
		return err
	}
	r.space()
	if r.i < len(r.s) {
		return errTextAfter
	}
	return nil
}

// errTextAfter is readHead's error for text after the head's object.
var errTextAfter = errors.New("text after its JSON object")

// headFields sets each field of a head from the reader, by key: one table,
// the tags of the head struct in code.
var headFields = map[string]func(*jsonReader, *head) error{
	"v":        func(r *jsonReader, h *head) error { return r.intInto("v", &h.V) },
	"type":     func(r *jsonReader, h *head) error { return r.stringInto("type", (*string)(&h.Type)) },
	"seq":      func(r *jsonReader, h *head) error { return r.intInto("seq", &h.Seq) },
	"config":   func(r *jsonReader, h *head) error { return r.stringInto("config", &h.Config) },
	"steps":    func(r *jsonReader, h *head) error { return r.intInto("steps", &h.Steps) },
	"rate":     func(r *jsonReader, h *head) error { return r.floatInto("rate", &h.Rate) },
	"job":      func(r *jsonReader, h *head) error { return r.intInto("job", &h.Job) },
	"budget":   func(r *jsonReader, h *head) error { return r.intInto("budget", &h.Budget) },
	"step":     func(r *jsonReader, h *head) error { return r.intInto("step", &h.Step) },
	"running":  func(r *jsonReader, h *head) error { return r.boolInto("running", &h.Running) },
	"cmds":     func(r *jsonReader, h *head) error { return r.intInto("cmds", &h.Commands) },
	"diverged": func(r *jsonReader, h *head) error { return r.stringInto("diverged", &h.Diverged) },
	"reason":   func(r *jsonReader, h *head) error { return r.stringInto("reason", &h.Reason) },
	"mem":      func(r *jsonReader, h *head) error { return r.intInto("mem", &h.Memory) },
	"dark":     func(r *jsonReader, h *head) error { return r.boolInto("dark", &h.Dark) },
	"chart":    func(r *jsonReader, h *head) error { return r.intInto("chart", &h.Chart) },
	"opt":      func(r *jsonReader, h *head) error { return r.intInto("opt", &h.Opt) },
	"solvedAt": func(r *jsonReader, h *head) error {
		h.SolvedAt = new(int)
		return r.intInto("solvedAt", h.SolvedAt)
	},
	"edit":    func(r *jsonReader, h *head) error { return nested(r, "edit", &h.Edit, editFields) },
	"metrics": func(r *jsonReader, h *head) error { return nested(r, "metrics", &h.Metrics, metricsFields) },
	"outcome": func(r *jsonReader, h *head) error { return nested(r, "outcome", &h.Outcome, outcomeFields) },
	"status":  func(r *jsonReader, h *head) error { return nested(r, "status", &h.Status, statusFields) },
}

// The tables of the objects inside a head.
var (
	editFields = map[string]func(*jsonReader, *Edit) error{
		"layer": func(r *jsonReader, e *Edit) error { return r.intInto("edit.layer", (*int)(&e.Layer)) },
		"row":   func(r *jsonReader, e *Edit) error { return r.intInto("edit.row", &e.Row) },
		"col":   func(r *jsonReader, e *Edit) error { return r.intInto("edit.col", &e.Col) },
		"value": func(r *jsonReader, e *Edit) error { return r.floatInto("edit.value", &e.Value) },
	}
	metricsFields = map[string]func(*jsonReader, *metrics) error{
		"step":         func(r *jsonReader, m *metrics) error { return r.intInto("metrics.step", &m.Step) },
		"loss":         func(r *jsonReader, m *metrics) error { return r.numInto("metrics.loss", &m.Loss) },
		"correct":      func(r *jsonReader, m *metrics) error { return r.intInto("metrics.correct", &m.Correct) },
		"pairs":        func(r *jsonReader, m *metrics) error { return r.intInto("metrics.pairs", &m.Pairs) },
		"accuracy":     func(r *jsonReader, m *metrics) error { return r.numInto("metrics.accuracy", &m.Accuracy) },
		"minMargin":    func(r *jsonReader, m *metrics) error { return r.numInto("metrics.minMargin", &m.MinMargin) },
		"maxAbsWeight": func(r *jsonReader, m *metrics) error { return r.numInto("metrics.maxAbsWeight", &m.MaxAbsWeight) },
		"solvedAt":     func(r *jsonReader, m *metrics) error { return r.intInto("metrics.solvedAt", &m.SolvedAt) },
	}
	statusFields = map[string]func(*jsonReader, *statusline.Line) error{
		"shape":  func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.shape", &l.Shape) },
		"conn":   func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.conn", &l.Connections) },
		"step":   func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.step", &l.Step) },
		"loss":   func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.loss", &l.Loss) },
		"acc":    func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.acc", &l.Correct) },
		"maxw":   func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.maxw", &l.MaxAbsWeight) },
		"margin": func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.margin", &l.MinMargin) },
		"solved": func(r *jsonReader, l *statusline.Line) error { return r.stringInto("status.solved", &l.Solved) },
	}
	outcomeFields = map[string]func(*jsonReader, *outcome) error{
		"seed":         func(r *jsonReader, o *outcome) error { return r.uintInto("outcome.seed", &o.Seed) },
		"solved":       func(r *jsonReader, o *outcome) error { return r.boolInto("outcome.solved", &o.Solved) },
		"steps":        func(r *jsonReader, o *outcome) error { return r.intInto("outcome.steps", &o.Steps) },
		"correct":      func(r *jsonReader, o *outcome) error { return r.intInto("outcome.correct", &o.Correct) },
		"pairs":        func(r *jsonReader, o *outcome) error { return r.intInto("outcome.pairs", &o.Pairs) },
		"accuracy":     func(r *jsonReader, o *outcome) error { return r.numInto("outcome.accuracy", &o.Accuracy) },
		"maxAbsWeight": func(r *jsonReader, o *outcome) error { return r.numInto("outcome.maxAbsWeight", &o.MaxAbsWeight) },
		"diverged":     func(r *jsonReader, o *outcome) error { return r.stringInto("outcome.diverged", &o.Diverged) },
	}
)

// nested reads an object into *p by its table of fields, making *p when it
// is nil (a repeated key would fill the same one, as encoding/json does),
// or null into a nil *p.
func nested[T any](r *jsonReader, name string, p **T, fields map[string]func(*jsonReader, *T) error) error {
	if r.null() {
		*p = nil
		return nil
	}
	if r.peek() != '{' {
		return r.wrongType(name, "an object")
	}
	if *p == nil {
		*p = new(T)
	}
	return r.object(setter(r, fields, *p))
}

// setter returns the member function for jsonReader.object that sets v's
// field of each key by its table, refusing a key the table lacks.
func setter[T any](r *jsonReader, fields map[string]func(*jsonReader, *T) error, v *T) func(key string) error {
	return func(key string) error {
		set, ok := fields[key]
		if !ok {
			return fmt.Errorf("unknown field %q", core.Clip(key))
		}
		return set(r, v)
	}
}

// jsonReader reads JSON values from s at i. Each method skips the space
// after what it reads.
type jsonReader struct {
	s string
	i int
}

func (r *jsonReader) space() {
	for r.i < len(r.s) && (r.s[r.i] == ' ' || r.s[r.i] == '\t' || r.s[r.i] == '\n' || r.s[r.i] == '\r') {
		r.i++
	}
}

// peek returns the next byte, or 0 at the end.
func (r *jsonReader) peek() byte {
	if r.i < len(r.s) {
		return r.s[r.i]
	}
	return 0
}

func (r *jsonReader) syntax(what string) error {
	if r.i >= len(r.s) {
		return fmt.Errorf("the text ends where %s should be", what)
	}
	return fmt.Errorf("%s expected at offset %d, found %q", what, r.i, core.Clip(r.s[r.i:min(len(r.s), r.i+8)]))
}

// object reads {"key": value, ...}, calling member for each key with the
// reader at the key's value, which member must read. A key may appear once.
func (r *jsonReader) object(member func(key string) error) error {
	if r.peek() != '{' {
		return r.syntax("a JSON object")
	}
	r.i++
	r.space()
	if r.peek() == '}' {
		r.i++
		r.space()
		return nil
	}
	var seen []string
	for {
		if r.peek() != '"' {
			return r.syntax("a key in quotes")
		}
		key, err := r.string()
		if err != nil {
			return err
		}
		for _, k := range seen {
			if k == key {
				return fmt.Errorf("the key %q appears twice", core.Clip(key))
			}
		}
		seen = append(seen, key)
		if r.peek() != ':' {
			return r.syntax("a colon")
		}
		r.i++
		r.space()
		if err := member(key); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
			r.space()
		case '}':
			r.i++
			r.space()
			return nil
		default:
			return r.syntax("a comma or a closing brace")
		}
	}
}

// literal reads lit (null, true or false) if it is next.
func (r *jsonReader) literal(lit string) bool {
	if !strings.HasPrefix(r.s[r.i:], lit) {
		return false
	}
	r.i += len(lit)
	r.space()
	return true
}

// null reads null if it is next.
func (r *jsonReader) null() bool { return r.literal("null") }

// wrongType says that the value of field is not what it takes, after
// checking that the value is at least JSON (a syntax error says so first).
func (r *jsonReader) wrongType(field, want string) error {
	at := r.i
	if err := r.skip(); err != nil {
		return err
	}
	return fmt.Errorf("%s must be %s, not %s", field, want, core.Clip(r.s[at:r.i]))
}

// skip reads any one value.
func (r *jsonReader) skip() error {
	switch c := r.peek(); {
	case c == '"':
		_, err := r.string()
		return err
	case c == '{':
		return r.object(func(string) error { return r.skip() })
	case c == '[':
		r.i++
		r.space()
		if r.peek() == ']' {
			r.i++
			r.space()
			return nil
		}
		for {
			if err := r.skip(); err != nil {
				return err
			}
			switch r.peek() {
			case ',':
				r.i++
				r.space()
			case ']':
				r.i++
				r.space()
				return nil
			default:
				return r.syntax("a comma or a closing bracket")
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		_, err := r.number()
		return err
	}
	if r.literal("true") || r.literal("false") || r.null() {
		return nil
	}
	return r.syntax("a JSON value")
}

// number reads a JSON number's text: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() (string, error) {
	start := r.i
	digits := func() int {
		n := 0
		for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.peek() == '-' {
		r.i++
	}
	switch c := r.peek(); {
	case c == '0':
		r.i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return "", r.syntax("a digit")
	}
	if r.peek() == '.' {
		r.i++
		if digits() == 0 {
			return "", r.syntax("a digit after the decimal point")
		}
	}
	if c := r.peek(); c == 'e' || c == 'E' {
		r.i++
		if c := r.peek(); c == '+' || c == '-' {
			r.i++
		}
		if digits() == 0 {
			return "", r.syntax("a digit in the exponent")
		}
	}
	text := r.s[start:r.i]
	r.space()
	return text, nil
}

// string reads a JSON string and returns its text, unescaped as
// encoding/json does: a \u escape of half a surrogate pair, and each byte
// that is not UTF-8, become U+FFFD.
func (r *jsonReader) string() (string, error) {
	r.i++ // the opening quote
	start := r.i
	var b []byte // nil while the text needs no unescaping
	unescape := func() {
		if b == nil {
			b = append(make([]byte, 0, len(r.s)-start), r.s[start:r.i]...)
		}
	}
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			text := r.s[start:r.i]
			if b != nil {
				text = string(b)
			}
			r.i++
			r.space()
			return text, nil
		case c < ' ':
			return "", fmt.Errorf("a control character (%#x) in a string at offset %d", c, r.i)
		case c == '\\':
			unescape()
			if r.i+1 >= len(r.s) {
				return "", r.syntax("an escape")
			}
			e := r.s[r.i+1]
			r.i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				u, ok := hex4(r.s[r.i:])
				if !ok {
					return "", r.syntax("four hex digits")
				}
				r.i += 4
				if utf16.IsSurrogate(u) {
					if len(r.s)-r.i >= 6 && r.s[r.i] == '\\' && r.s[r.i+1] == 'u' {
						if u2, ok := hex4(r.s[r.i+2:]); ok {
							if d := utf16.DecodeRune(u, u2); d != utf8.RuneError {
								r.i += 6
								b = utf8.AppendRune(b, d)
								break
							}
						}
					}
					u = utf8.RuneError
				}
				b = utf8.AppendRune(b, u)
			default:
				r.i -= 1
				return "", r.syntax("an escape (one of \" \\ / b f n r t u)")
			}
		case c < utf8.RuneSelf:
			if b != nil {
				b = append(b, c)
			}
			r.i++
		default:
			d, size := utf8.DecodeRuneInString(r.s[r.i:])
			if d == utf8.RuneError && size == 1 {
				unescape()
			}
			if b != nil {
				b = utf8.AppendRune(b, d)
			}
			r.i += size
		}
	}
	return "", r.syntax("a closing quote")
}

// hex4 reads four hex digits.
func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var u rune
	for _, c := range []byte(s[:4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		u = u<<4 | rune(c)
	}
	return u, true
}

// The typed reads: each takes null as "leave it", as encoding/json does.

func (r *jsonReader) stringInto(field string, p *string) error {
	if r.null() {
		return nil
	}
	if r.peek() != '"' {
		return r.wrongType(field, "a string")
	}
	s, err := r.string()
	if err == nil {
		*p = s
	}
	return err
}

func (r *jsonReader) boolInto(field string, p *bool) error {
	switch {
	case r.null():
	case r.literal("true"):
		*p = true
	case r.literal("false"):
		*p = false
	default:
		return r.wrongType(field, "true or false")
	}
	return nil
}

// numberText reads a number's text, or says that the value is not one.
func (r *jsonReader) numberText(field, want string) (string, bool, error) {
	if r.null() {
		return "", false, nil
	}
	if c := r.peek(); c != '-' && (c < '0' || c > '9') {
		return "", false, r.wrongType(field, want)
	}
	text, err := r.number()
	return text, err == nil, err
}

func (r *jsonReader) intInto(field string, p *int) error {
	text, ok, err := r.numberText(field, "a whole number")
	if !ok {
		return err
	}
	v, err := strconv.ParseInt(text, 10, strconv.IntSize)
	if err != nil {
		return fmt.Errorf("%s must be a whole number in range, not %s", field, core.Clip(text))
	}
	*p = int(v)
	return nil
}

func (r *jsonReader) uintInto(field string, p *uint64) error {
	text, ok, err := r.numberText(field, "a whole number, 0 or more")
	if !ok {
		return err
	}
	v, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		return fmt.Errorf("%s must be a whole number from 0 in range, not %s", field, core.Clip(text))
	}
	*p = v
	return nil
}

func (r *jsonReader) floatInto(field string, p *float64) error {
	text, ok, err := r.numberText(field, "a number")
	if !ok {
		return err
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fmt.Errorf("%s is out of range: %s", field, core.Clip(text))
	}
	*p = v
	return nil
}

// numInto reads a num: a number, or "NaN", "+Inf" or "-Inf"; null is 0, as
// num's UnmarshalJSON made it.
func (r *jsonReader) numInto(field string, p *num) error {
	if r.peek() == '"' {
		at := r.i
		if _, err := r.string(); err != nil {
			return err
		}
		// The spelling, not the text: "N\u0061N" is no number, as before.
		raw := strings.TrimRight(r.s[at:r.i], " \t\n\r")
		for _, v := range nonFinite {
			if raw == nonFiniteJSON(v) {
				*p = num(v)
				return nil
			}
		}
		return fmt.Errorf("%s: %s is not a number", field, core.Clip(raw))
	}
	if r.null() {
		*p = 0
		return nil
	}
	var f float64
	if err := r.floatInto(field, &f); err != nil {
		return err
	}
	*p = num(f)
	return nil
}
