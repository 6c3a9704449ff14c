package figure

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/explain"
)

// element is one parsed SVG element: its name, attributes and text.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

func (e element) class() string { return e.attrs["class"] }

func (e element) float(t *testing.T, name string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(e.attrs[name], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", e.name, name, e.attrs[name], err)
	}
	return x
}

// parse decodes an SVG with encoding/xml, failing on anything that is not
// well-formed XML, and returns its elements in document order.
func parse(t *testing.T, data []byte) []element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var out []element
	var stack []int
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
				if tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", tok.Name.Space)
				}
			}
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(tok)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return out
}

func trained(t *testing.T, frag string, steps int) (*core.Trainer, core.Config) {
	t.Helper()
	tr := coretest.Trained(t, frag, steps)
	return tr, tr.Config()
}

// postNumber is the post's number written independently of play: 10·tanh(w)
// on the input side, w on the output side, one decimal (a whole number from
// 99.95 on).
func postNumber(x float64) string {
	if math.Abs(x) >= 99.95 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

func TestNetworkFigure(t *testing.T) {
	for _, tc := range []struct {
		frag    string
		steps   int
		numbers bool
	}{
		{"n=11&k=2&seed=1", 586, true},
		{"n=5&k=0&seed=2", 100, false},
		{"n=16&k=3&task=reverse&seed=3", 50, true},
		{"n=40&k=4&task=random&tseed=5&seed=4", 20, false},
		{"n=6&k=2&task=custom&map=2,3,-,1,-,-&seed=5", 30, true},
	} {
		t.Run(tc.frag, func(t *testing.T) {
			tr, cfg := trained(t, tc.frag, tc.steps)
			net := tr.Network()
			data := Network(net, cfg, tr.Metrics().Step)
			els := parse(t, data)
			count := map[string]int{}
			var numbers, lines []element
			var caption string
			for _, e := range els {
				switch {
				case e.name == "circle":
					count[e.class()]++
				case e.name == "line":
					lines = append(lines, e)
				case e.name == "text" && strings.HasPrefix(e.class(), "number "):
					numbers = append(numbers, e)
				case e.name == "text" && e.class() == "caption":
					caption = e.text
				}
			}
			if count["input"] != net.N || count["output"] != net.N || count["hidden"] != net.K || len(count) > 3 {
				t.Errorf("circles %v, want %d input, %d hidden, %d output", count, net.N, net.K, net.N)
			}
			want := 2 * net.N * net.K
			if net.K == 0 {
				want = net.N * net.N
			}
			if len(lines) != want {
				t.Fatalf("%d lines, want one per connection: %d", len(lines), want)
			}
			for _, e := range lines {
				from, _ := strconv.Atoi(e.attrs["data-from"])
				to, _ := strconv.Atoi(e.attrs["data-to"])
				var w float64
				switch e.class() {
				case "w1":
					w = net.W1.At(to-1, from-1)
				case "w2", "w":
					w = net.W2.At(to-1, from-1)
				default:
					t.Fatalf("line class %q", e.class())
				}
				if got := e.float(t, "data-weight"); got != w {
					t.Fatalf("%s %d→%d: data-weight %v, want %v", e.class(), from, to, got, w)
				}
				wantInk := "#1f5fd6"
				if w < 0 {
					wantInk = "#d6332b"
				}
				if e.attrs["stroke"] != wantInk {
					t.Fatalf("%s %d→%d (w = %v): stroke %s, want %s", e.class(), from, to, w, e.attrs["stroke"], wantInk)
				}
				if op := e.float(t, "stroke-opacity"); !(op > 0 && op <= 1) {
					t.Fatalf("stroke-opacity %v", op)
				}
			}
			// Width and opacity grow with |w| on the output side.
			var big, small element
			for _, e := range lines {
				if e.class() != "w2" {
					continue
				}
				if big.attrs == nil || math.Abs(e.float(t, "data-weight")) > math.Abs(big.float(t, "data-weight")) {
					big = e
				}
				if small.attrs == nil || math.Abs(e.float(t, "data-weight")) < math.Abs(small.float(t, "data-weight")) {
					small = e
				}
			}
			if big.attrs != nil && (big.float(t, "stroke-width") <= small.float(t, "stroke-width") || big.float(t, "stroke-opacity") <= small.float(t, "stroke-opacity")) {
				t.Errorf("the largest |w| (%v) is not drawn wider and more opaque than the smallest (%v)", big.attrs, small.attrs)
			}
			if !tc.numbers {
				if len(numbers) != 0 {
					t.Errorf("%d numbers for N = %d", len(numbers), net.N)
				}
			} else {
				if len(numbers) != 2*net.N*net.K {
					t.Fatalf("%d numbers, want %d", len(numbers), 2*net.N*net.K)
				}
				for _, e := range numbers {
					unit, _ := strconv.Atoi(e.attrs["data-unit"])
					h, _ := strconv.Atoi(e.attrs["data-hidden"])
					var x float64
					if e.class() == "number input" {
						x = 10 * math.Tanh(net.W1.At(h-1, unit-1))
					} else {
						x = net.W2.At(unit-1, h-1)
					}
					if e.text != postNumber(x) {
						t.Fatalf("%s %d, hidden %d: %q, want %q", e.class(), unit, h, e.text, postNumber(x))
					}
					ink := "#1f5fd6"
					if x < 0 {
						ink = "#d6332b"
					}
					if e.attrs["fill"] != ink {
						t.Fatalf("%s %d: fill %s for %v", e.class(), unit, e.attrs["fill"], x)
					}
				}
			}
			if want := Caption(cfg, tr.Metrics().Step); caption != want {
				t.Errorf("caption %q, want %q", caption, want)
			}
		})
	}
}

// The dark picture is the light one in Dark's colours: the same elements
// and geometry, the background, lines and numbers in Dark's inks.
func TestNetworkInDark(t *testing.T) {
	tr, cfg := trained(t, "n=11&k=2&seed=1", 300)
	net, step := tr.Network(), tr.Metrics().Step
	if !bytes.Equal(Network(net, cfg, step), NetworkIn(&Light, net, cfg, step)) {
		t.Error("Network is not NetworkIn in Light")
	}
	light, dark := parse(t, Network(net, cfg, step)), parse(t, NetworkIn(&Dark, net, cfg, step))
	if len(light) != len(dark) {
		t.Fatalf("%d elements in the dark picture, %d in the light one", len(dark), len(light))
	}
	inks := map[string]string{}
	for i, l := range light {
		d := dark[i]
		if l.name != d.name || l.text != d.text || l.attrs["x1"] != d.attrs["x1"] || l.attrs["cy"] != d.attrs["cy"] {
			t.Fatalf("element %d: %+v in the dark picture, %+v in the light one", i, d, l)
		}
		for _, a := range []string{"fill", "stroke"} {
			if l.attrs[a] != "" {
				inks[l.attrs[a]] = d.attrs[a]
			}
		}
	}
	for _, pair := range [][2]color.RGBA{{Light.Background, Dark.Background}, {Light.Positive, Dark.Positive}, {Light.Negative, Dark.Negative}, {Light.Hidden, Dark.Hidden}, {Light.Text, Dark.Text}} {
		if got := inks[Hex(pair[0])]; got != Hex(pair[1]) {
			t.Errorf("the light picture's %s is %q in the dark one, want %s", Hex(pair[0]), got, Hex(pair[1]))
		}
	}
}

func TestCaptionAndFileName(t *testing.T) {
	cfg := core.DefaultConfig()
	if got := Caption(cfg, 586); got != "11-2-11, shift by 1, step 586" {
		t.Errorf("Caption = %q", got)
	}
	if got := FileName(cfg, 586, "", "svg"); got != "bottleneck-11-2-11-step586.svg" {
		t.Errorf("FileName = %q", got)
	}
	if got := FileName(cfg, 3, "hidden", "svg"); got != "bottleneck-11-2-11-step3-hidden.svg" {
		t.Errorf("FileName = %q", got)
	}
	cfg.Shift, cfg.Wrap = 2, true
	if got := Task(cfg); got != "shift by 2 with wrap-around" {
		t.Errorf("Task = %q", got)
	}
	cfg.Task, cfg.TaskSeed = core.TaskRandom, 7
	if got := Task(cfg); got != "random permutation (seed 7)" {
		t.Errorf("Task = %q", got)
	}
}

// points parses a polygon's points attribute.
func points(t *testing.T, s string) []explain.Point {
	t.Helper()
	var ps []explain.Point
	for _, xy := range strings.Fields(s) {
		var p explain.Point
		if _, err := fmt.Sscanf(xy, "%g,%g", &p.X, &p.Y); err != nil {
			t.Fatalf("point %q: %v", xy, err)
		}
		ps = append(ps, p)
	}
	return ps
}

func area(ps []explain.Point) float64 {
	s := 0.0
	for k, p := range ps {
		q := ps[(k+1)%len(ps)]
		s += p.X*q.Y - q.X*p.Y
	}
	return math.Abs(s) / 2
}

func TestHiddenSpaceK2(t *testing.T) {
	tr, cfg := trained(t, "n=11&k=2&seed=1", 600)
	net := tr.Network()
	data, err := HiddenSpace(net, cfg, 600)
	if err != nil {
		t.Fatal(err)
	}
	els := parse(t, data)
	outs := map[int]bool{}
	total, dots := 0.0, 0
	for _, e := range els {
		switch {
		case e.name == "polygon" && e.class() == "region":
			j, _ := strconv.Atoi(e.attrs["data-output"])
			if outs[j] {
				t.Errorf("output %d has two regions: a winner's region is convex", j)
			}
			outs[j] = true
			if want := Hex(explain.Shade(j-1, Light.Background)); e.attrs["fill"] != want {
				t.Errorf("region %d filled %s, want %s", j, e.attrs["fill"], want)
			}
			total += area(points(t, e.attrs["points"]))
		case e.name == "circle" && e.class() == "code":
			dots++
		}
	}
	if dots != net.N {
		t.Errorf("%d code dots, want %d", dots, net.N)
	}
	if math.Abs(total-hidSide*hidSide) > 0.01*hidSide*hidSide {
		t.Errorf("regions cover %.0f of the %.0f square", total, hidSide*hidSide)
	}
	// Every output that wins a cell of a fine sampled map has its polygon.
	m, _ := explain.NewRegionMap(200, 200)
	if err := m.Fill(net, FitBoxOf(t, tr)); err != nil {
		t.Fatal(err)
	}
	for _, j := range m.Winners(nil) {
		if !outs[j+1] {
			t.Errorf("output %d wins in the sampled map but has no polygon", j+1)
		}
	}
	// The solved network's every output but the first (no input fires it) wins somewhere.
	if len(outs) < 10 {
		t.Errorf("only %d regions for a solved 11-2-11", len(outs))
	}
}

// FitBoxOf is the figure's frame for tr's network.
func FitBoxOf(t *testing.T, tr *core.Trainer) explain.Box {
	t.Helper()
	return explain.FitBox(tr.Network(), newCodes(t, tr.Network()))
}

func TestHiddenSpaceK1(t *testing.T) {
	tr, cfg := trained(t, "n=6&k=1&seed=2", 800)
	net := tr.Network()
	data, err := HiddenSpace(net, cfg, 800)
	if err != nil {
		t.Fatal(err)
	}
	els := parse(t, data)
	lo, hi := explain.Range(net.Activation)
	codes := newCodes(t, net)
	for i := 0; i < net.N; i++ {
		lo, hi = min(lo, codes.At(i, 0)), max(hi, codes.At(i, 0))
	}
	ivs, _ := explain.Intervals(nil, net, lo, hi)
	var got []element
	width := 0.0
	for _, e := range els {
		if e.name == "rect" && e.class() == "interval" {
			got = append(got, e)
			width += e.float(t, "width")
		}
	}
	if len(got) != len(ivs) {
		t.Fatalf("%d intervals drawn, want %d", len(got), len(ivs))
	}
	for k, e := range got {
		if e.attrs["data-output"] != strconv.Itoa(ivs[k].Output+1) || e.float(t, "data-from") != ivs[k].From || e.float(t, "data-to") != ivs[k].To {
			t.Errorf("interval %d: %v, want %+v", k, e.attrs, ivs[k])
		}
	}
	if want := hidStripW - 2*hidMargin; math.Abs(width-want) > 0.05 {
		t.Errorf("intervals span %.2f of the %.2f line", width, want)
	}
}

func TestHiddenSpaceRefusesOtherK(t *testing.T) {
	for _, frag := range []string{"n=5&k=0", "n=8&k=3"} {
		tr, cfg := trained(t, frag, 0)
		if _, err := HiddenSpace(tr.Network(), cfg, 0); !errors.Is(err, ErrHiddenK) {
			t.Errorf("%s: err = %v, want ErrHiddenK", frag, err)
		}
	}
}

func newCodes(t *testing.T, net *core.Network) *mat.Dense {
	t.Helper()
	var codes mat.Dense
	if err := explain.Codes(&codes, net); err != nil {
		t.Fatal(err)
	}
	return &codes
}

// The README's figures are what the command writes today for that run; after
// a change of the drawing, regenerate them with the commands in the README.
func TestDocsFiguresAreCurrent(t *testing.T) {
	tr, cfg := trained(t, "n=11&k=2&seed=1", 1500)
	hid, err := HiddenSpace(tr.Network(), cfg, 1500)
	if err != nil {
		t.Fatal(err)
	}
	c64, err := core.ParseFragment("n=64&k=2")
	if err != nil {
		t.Fatal(err)
	}
	built, err := core.Construct(c64)
	if err != nil {
		t.Fatal(err)
	}
	builtHid, err := HiddenSpace(built.Network(), built.Config(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{
		"../../docs/figure-11-2-11.svg":              Network(tr.Network(), cfg, 1500),
		"../../docs/figure-11-2-11-hidden.svg":       hid,
		"../../docs/figure-64-2-64-built-hidden.svg": builtHid,
	} {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not the current figure: go run ./wasm/cmd/figure (see the README) writes it again", name)
		}
	}
}

// The inputs whose outputs cannot win (a code moved into the middle of the
// others, without output biases) are crossed out at their dots, and only
// they.
func TestHiddenSpaceMarksTheUnwinnable(t *testing.T) {
	cfg, err := core.ParseFragment("n=5&k=2&ob=0")
	if err != nil {
		t.Fatal(err)
	}
	built, err := core.Construct(cfg)
	if err != nil {
		t.Fatal(err)
	}
	net := built.Network()
	w, err := core.InputWeightsFor(net, 2, []float64{0.01, 0})
	if err != nil {
		t.Fatal(err)
	}
	net.W1.Set(0, 2, w[0])
	net.W1.Set(1, 2, w[1])
	var codes mat.Dense
	if err := explain.Codes(&codes, net); err != nil {
		t.Fatal(err)
	}
	_, _, err = core.FitOutputs(&codes, core.Targets(&cfg), net.N, false, core.DefaultMargin)
	var ue *core.UnwinnableError
	if !errors.As(err, &ue) || len(ue.Inputs) != 1 || ue.Inputs[0] != 2 {
		t.Fatalf("FitOutputs: %v, want input 3 unwinnable", err)
	}
	data, err := HiddenSpaceMarked(net, cfg, 0, ue.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	var cross, dot *element
	for _, e := range parse(t, data) {
		switch {
		case e.name == "path" && e.class() == "unwinnable":
			if cross != nil {
				t.Fatal("two crosses for one unwinnable input")
			}
			cross = &e
		case e.name == "circle" && e.attrs["data-input"] == "3":
			dot = &e
		}
	}
	if cross == nil || dot == nil || cross.attrs["data-input"] != "3" {
		t.Fatalf("cross %v, dot %v", cross, dot)
	}
	var x0, y0, x1, y1 float64
	if _, err := fmt.Sscanf(cross.attrs["d"], "M%g %gL%g %g", &x0, &y0, &x1, &y1); err != nil {
		t.Fatal(err)
	}
	cx, _ := strconv.ParseFloat(dot.attrs["cx"], 64)
	cy, _ := strconv.ParseFloat(dot.attrs["cy"], 64)
	if math.Abs((x0+x1)/2-cx) > 0.01 || math.Abs((y0+y1)/2-cy) > 0.01 {
		t.Errorf("the cross is centred at (%g, %g), input 3's dot at (%g, %g)", (x0+x1)/2, (y0+y1)/2, cx, cy)
	}
	plain, err := HiddenSpace(net, cfg, 0)
	if err != nil || strings.Contains(string(plain), "unwinnable") {
		t.Errorf("the unmarked figure has a mark (%v)", err)
	}
}
