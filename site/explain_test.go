package site_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/core/coretest"
	harness "github.com/bottleneck-playground/bottleneck/site/browser"
)

// explainState mirrors the explaining views' part of
// window.bottleneck.state() (views.Hook, added by wasm/hook.go).
type explainState struct {
	appState
	Selected int        `json:"selected"`
	Logits   []*float64 `json:"logits"`
	Caption  *struct {
		Input, Target, Winner, RunnerUp int
		Correct, Exact                  bool
		Total                           float64
		Terms                           []struct{ In, Weight, Product float64 }
		Logit                           *float64
		Lines                           []string
	} `json:"caption"`
	HiddenSpace struct {
		Kind      string   `json:"kind"`
		Dots      int      `json:"dots"`
		Regions   int      `json:"regions"`
		Winners   []int    `json:"winners"`
		Colors    []string `json:"colors"`
		Explained *float64 `json:"explained"`
		Summary   string   `json:"summary"`
	} `json:"hiddenSpace"`
	Hover *struct {
		Kind  string   `json:"kind"`
		Index int      `json:"index"`
		To    int      `json:"to"`
		Value *float64 `json:"value"`
	} `json:"hover"`
	View struct {
		Net, Hidden, Chart [4]float64
		In, Units, Out     [][2]float64
		Dots               []*[2]float64
	} `json:"view"`
}

// readExplain reads the whole state hook, explaining views included.
func readExplain(t *testing.T, ctx context.Context) explainState {
	t.Helper()
	return readHook[explainState](t, ctx, appHook)
}

// waitExplain polls the state until ok holds.
func waitExplain(t *testing.T, ctx context.Context, timeout time.Duration, what string, ok func(explainState) bool) explainState {
	t.Helper()
	return waitHook(t, ctx, appHook, timeout, what, ok)
}

// frameOrigin returns the top page's position of the iframe's content (its
// border box plus the border), to turn the hook's iframe CSS pixels into
// coordinates for input.DispatchMouseEvent.
func frameOrigin(t *testing.T, ctx context.Context) (x, y float64) {
	t.Helper()
	v := eval[[]float64](t, ctx, `(() => {
		const f = document.getElementById("app-frame"), r = f.getBoundingClientRect();
		return [r.left + f.clientLeft, r.top + f.clientTop];
	})()`)
	return v[0], v[1]
}

// press, move and release drive the mouse; each waits a little so that the
// game's tick (which polls the buttons) sees every state.
func mouse(t *testing.T, ctx context.Context, typ input.DispatchMouseEventType, x, y float64, held bool) {
	t.Helper()
	opts := []chromedp.MouseOption{chromedp.ButtonNone}
	if held || typ != chromedp.MouseMoved {
		opts = []chromedp.MouseOption{chromedp.ButtonLeft, chromedp.ClickCount(1), func(p *input.DispatchMouseEventParams) {
			if held {
				p.Buttons = 1
			}
		}}
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(typ, x, y, opts...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(80 * time.Millisecond)
}

// clickAt clicks at iframe CSS pixel p.
func clickAt(t *testing.T, ctx context.Context, p [2]float64) {
	t.Helper()
	ox, oy := frameOrigin(t, ctx)
	mouse(t, ctx, chromedp.MouseMoved, ox+p[0], oy+p[1], false)
	mouse(t, ctx, chromedp.MousePressed, ox+p[0], oy+p[1], true)
	mouse(t, ctx, chromedp.MouseReleased, ox+p[0], oy+p[1], false)
}

func pause(t *testing.T, ctx context.Context) {
	t.Helper()
	click(t, ctx, "play", 1)
	waitState(t, ctx, 5*time.Second, "pause", func(s appState) bool { return !s.Running })
}

// captionTerm matches one "(a)(b)" product of the caption.
var captionTerm = regexp.MustCompile(`^\((-?[0-9.]+)\)\((-?[0-9.]+)\)$`)

// hundredths parses a caption number exactly, in hundredths.
func hundredths(t *testing.T, s string) int64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("caption number %q: %v", s, err)
	}
	return int64(math.Round(x * 100))
}

// TestWalkthroughCaptionAndHiddenSpace trains the seed's 5-2-5 network to
// solved, pauses, fires an input by clicking it, and checks the caption
// against a native core run to the same step, then the hidden-space panel.
func TestWalkthroughCaptionAndHiddenSpace(t *testing.T) {
	const frag = "n=5&k=2&seed=1"
	ctx := open(t, "#"+frag)
	waitState(t, ctx, 60*time.Second, "solved", func(s appState) bool { return s.SolvedAt >= 0 && s.Correct == s.Pairs })
	pause(t, ctx)
	s := readExplain(t, ctx)
	if len(s.View.In) != 5 {
		t.Fatalf("the hook lists %d input positions, want 5", len(s.View.In))
	}
	const input = 1 // the seed's "input 2"
	clickAt(t, ctx, s.View.In[input])
	s = waitExplain(t, ctx, 5*time.Second, "input 2 fired", func(s explainState) bool { return s.Selected == input && s.Caption != nil })
	time.Sleep(300 * time.Millisecond) // the page text follows in the next frame

	tr := coretest.Trained(t, frag, s.Step)
	ins, _ := tr.Inspect(input)

	t.Run("caption", func(t *testing.T) {
		c := s.Caption
		if c.Winner != ins.Winner || c.Winner != 2 || !c.Correct || c.Target != 2 {
			t.Errorf("caption winner %d (target %d, correct %v); core says %d; the seed's input 2 fires output 3", c.Winner, c.Target, c.Correct, ins.Winner)
		}
		if len(s.Logits) != 5 {
			t.Fatalf("logits %v", s.Logits)
		}
		for j, z := range ins.Logits {
			if s.Logits[j] == nil || math.Abs(*s.Logits[j]-z) > 1e-9*max(1, math.Abs(z)) {
				t.Errorf("logit %d: page %v, core %v", j+1, s.Logits[j], z)
			}
		}
		if c.Logit == nil || math.Abs(*c.Logit-ins.Logits[ins.Winner]) > 1e-9*max(1, math.Abs(*c.Logit)) {
			t.Errorf("caption's exact logit %v, core %v", c.Logit, ins.Logits[ins.Winner])
		}
		// The page text: parse the winner's line and redo the arithmetic.
		lines := strings.Split(text(t, ctx, "caption"), "\n")
		if len(lines) < 4 {
			t.Fatalf("#caption = %q", lines)
		}
		if !strings.Contains(lines[0], "input 2 fires output 3: right") {
			t.Errorf("headline %q", lines[0])
		}
		head, rhs, ok := strings.Cut(lines[1], " = ")
		if !ok || !strings.HasPrefix(head, "out 3: ") {
			t.Fatalf("winner line %q", lines[1])
		}
		total := hundredths(t, strings.TrimPrefix(head, "out 3: "))
		var sum int64
		terms := strings.Split(rhs, " + ")
		if len(terms) != 2 {
			t.Fatalf("winner line %q: %d terms, want k = 2", lines[1], len(terms))
		}
		for h, term := range terms {
			m := captionTerm.FindStringSubmatch(term)
			if m == nil {
				t.Fatalf("term %q of %q", term, lines[1])
			}
			a, b := hundredths(t, m[1]), hundredths(t, m[2])
			if a%10 != 0 || b%10 != 0 {
				t.Errorf("term %q has more than one decimal", term)
			}
			sum += a * b / 100
			// The factors are the seed's display values: 10·tanh(w1) and w2.
			if want := core.DisplayScale * math.Tanh(tr.Network().W1.At(h, input)); math.Abs(float64(a)/100-want) > 0.51 {
				t.Errorf("term %d input side %v, core's 10·tanh(w) = %v", h, float64(a)/100, want)
			}
		}
		if sum != total || float64(total)/100 != c.Total {
			t.Errorf("%q: the products add up to %d/100, the caption shows %d/100 (hook %v)", lines[1], sum, total, c.Total)
		}
	})

	t.Run("meter", func(t *testing.T) {
		if m := text(t, ctx, "meter"); !strings.Contains(m, "5*5 = 25") || !strings.Contains(m, "= 20") {
			t.Errorf("#meter = %q; want the seed's 25 vs 20", m)
		}
	})

	t.Run("hidden space", func(t *testing.T) {
		h := s.HiddenSpace
		if h.Kind != "regions" || h.Dots != 5 || len(s.View.Dots) != 5 {
			t.Errorf("hidden space %+v, dots %v; want the k = 2 regions and 5 dots", h, s.View.Dots)
		}
		// The trained network sends inputs 1..4 to outputs 2..5: each of those
		// must win somewhere.
		wins := map[int]bool{}
		for _, j := range h.Winners {
			wins[j] = true
		}
		for j := 2; j <= 5; j++ {
			if !wins[j] {
				t.Errorf("output %d wins nowhere; winners %v", j, h.Winners)
			}
		}
		if h.Regions != len(h.Winners) || len(h.Colors) != h.Regions {
			t.Errorf("regions %d, winners %v, colours %v", h.Regions, h.Winners, h.Colors)
		}
		if sum := text(t, ctx, "hidden-summary"); !strings.Contains(sum, "5 codes") || !strings.Contains(sum, "outputs winning somewhere: ") {
			t.Errorf("#hidden-summary = %q", sum)
		}
		if got := text(t, ctx, "hidden-space-title"); got != "hidden space" {
			t.Errorf("hidden-space heading %q", got)
		}
		time.Sleep(time.Second) // the pulse reaches the outputs (for the saved picture)
		png, err := harness.Screenshot(ctx, shotPath("walkthrough-5-2-5.png"))
		if err != nil {
			t.Fatal(err)
		}
		ox, oy := frameOrigin(t, ctx)
		p := s.View.Hidden
		r := image.Rect(int(ox+p[0]), int(oy+p[1]), int(ox+p[0]+p[2]), int(oy+p[1]+p[3]))
		present := 0
		for _, hex := range h.Colors {
			want := parseHex(t, hex)
			n, _, err := harness.CountPixels(png, r, func(c color.NRGBA) bool { return near(c, want, 6) })
			if err != nil {
				t.Fatal(err)
			}
			if n >= 30 {
				present++
			}
		}
		if present < min(h.Regions, 4) || present < 2 {
			t.Errorf("%d of the %d region colours are on screen in the hidden-space panel", present, h.Regions)
		}
	})
	harness.ConsoleOf(ctx).Check(t)
}

// TestHoverFollowsTraining points at a hidden-to-output connection while the
// network trains and reads its value twice, some frames apart.
func TestHoverFollowsTraining(t *testing.T) {
	ctx := open(t, "")
	s := waitExplain(t, ctx, 30*time.Second, "some training", func(s explainState) bool { return s.Step > 10 && len(s.View.Units) == 2 })
	const h, j = 0, 6 // hidden 1 → output 7
	p := clearPoint(s.View.Units, s.View.Out, h, j)
	ox, oy := frameOrigin(t, ctx)
	mouse(t, ctx, chromedp.MouseMoved, ox+p[0], oy+p[1], false)
	first := waitExplain(t, ctx, 5*time.Second, "hover", func(s explainState) bool { return s.Hover != nil && s.Hover.Value != nil })
	if first.Hover.Kind != "w2" || first.Hover.Index != h || first.Hover.To != j {
		t.Fatalf("hovering hidden 1 → output 7 at %v reports %+v", p, *first.Hover)
	}
	second := waitExplain(t, ctx, 5*time.Second, "a later step", func(s explainState) bool { return s.Step > first.Step+5 })
	if second.Hover == nil || second.Hover.Kind != "w2" || second.Hover.Value == nil || *second.Hover.Value == *first.Hover.Value {
		t.Errorf("hover at step %d: %v; at step %d: %+v; want the weight to move with training", first.Step, *first.Hover.Value, second.Step, second.Hover)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// clearPoint returns the point of the connection from units[h] to outs[j]
// that lies farthest from every other hidden-to-output connection, so that
// pointing there picks that connection and no other.
func clearPoint(units, outs [][2]float64, h, j int) [2]float64 {
	seg := func(p, a, b [2]float64) float64 {
		dx, dy := b[0]-a[0], b[1]-a[1]
		t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
		t = math.Max(0, math.Min(1, t))
		return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
	}
	a, b := units[h], outs[j]
	best, bestD := a, -1.0
	// Away from both ends: a node takes the pointer within half a row of
	// its column (layout.Layout.HitNode).
	for t := 0.2; t <= 0.65; t += 0.01 {
		p := [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
		d := math.Inf(1)
		for hh, u := range units {
			for jj, o := range outs {
				if hh != h || jj != j {
					d = math.Min(d, seg(p, u, o))
				}
			}
		}
		if d > bestD {
			best, bestD = p, d
		}
	}
	return best
}

// TestDragEditsWeight pauses a run, drags a connection up, and checks that
// the reported loss is the one core computes with that weight changed.
func TestDragEditsWeight(t *testing.T) {
	const frag = "n=5&k=2&seed=1"
	ctx := open(t, "#"+frag)
	waitState(t, ctx, 30*time.Second, "step 50", func(s appState) bool { return s.Step >= 50 })
	pause(t, ctx)
	before := readExplain(t, ctx)
	p := clearPoint(before.View.Units, before.View.Out, 0, 2)
	ox, oy := frameOrigin(t, ctx)
	x, y := ox+p[0], oy+p[1]
	mouse(t, ctx, chromedp.MouseMoved, x, y, false)
	mouse(t, ctx, chromedp.MousePressed, x, y, true)
	for dy := 10.0; dy <= 50; dy += 10 {
		mouse(t, ctx, chromedp.MouseMoved, x, y-dy, true)
	}
	time.Sleep(150 * time.Millisecond)
	mouse(t, ctx, chromedp.MouseReleased, x, y-50, false)
	after := waitExplain(t, ctx, 5*time.Second, "the edit", func(s explainState) bool { return s.Weights != before.Weights })
	time.Sleep(200 * time.Millisecond)
	after = readExplain(t, ctx)
	if after.Step != before.Step || after.Running {
		t.Fatalf("the run moved: step %d → %d, running %v", before.Step, after.Step, after.Running)
	}
	tr := coretest.Trained(t, frag, before.Step)
	if before.Loss == nil || math.Abs(*before.Loss-tr.Metrics().Loss) > 1e-9 {
		t.Fatalf("loss before the edit: page %v, core %v", before.Loss, tr.Metrics().Loss)
	}
	// 50 CSS pixels up at 25 pixels per unit: +2, rounded to 3 decimals.
	w := math.Round((tr.Network().W2.At(2, 0)+2)*1000) / 1000
	if err := tr.SetWeight(core.LayerW2, 2, 0, w); err != nil {
		t.Fatal(err)
	}
	want := tr.Metrics().Loss
	if after.Loss == nil || *after.Loss == *before.Loss || math.Abs(*after.Loss-want) > 1e-9*max(1, want) {
		t.Errorf("loss after dragging hidden 1 → output 3 up by 2: page %v (before %v), core %v", after.Loss, *before.Loss, want)
	}
	if got := text(t, ctx, "stat-loss"); got != strconv.FormatFloat(*after.Loss, 'g', 5, 64) {
		t.Errorf("#stat-loss = %q, state loss %v", got, *after.Loss)
	}
	harness.ConsoleOf(ctx).Check(t)
}

// TestExplainScreenshots saves screenshots of the explaining views for a
// person to look at; it runs only when BOTTLENECK_SHOTS names a folder.
func TestExplainScreenshots(t *testing.T) {
	if shotDir() == "" {
		t.Skip("set BOTTLENECK_SHOTS to a folder to save screenshots")
	}
	cases := []struct {
		name, frag string
		w, h       int
	}{
		{"default", "", 1280, 800},
		{"k1", "#n=11&k=1", 1280, 800},
		{"k3", "#n=11&k=3", 1280, 800},
		{"k6", "#n=30&k=6", 1280, 800},
		{"k0", "#n=5&k=0", 1280, 800},
		{"phone", "#n=11&k=2", 390, 844},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := open(t, c.frag, harness.WindowSize(c.w, c.h))
			if c.w < 500 { // headless windows are at least 500 wide: emulate the phone
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(c.w), int64(c.h))); err != nil {
					t.Fatal(err)
				}
				time.Sleep(500 * time.Millisecond)
			}
			waitState(t, ctx, 60*time.Second, "step 300", func(s appState) bool { return s.Step >= 300 })
			s := readExplain(t, ctx)
			if len(s.View.In) > 3 {
				clickAt(t, ctx, s.View.In[3])
			}
			time.Sleep(1500 * time.Millisecond)
			if _, err := harness.Screenshot(ctx, shotPath(c.name+".png")); err != nil {
				t.Fatal(err)
			}
			if c.name == "phone" {
				eval[bool](t, ctx, `(document.getElementById("app-frame").scrollIntoView(), true)`)
				time.Sleep(300 * time.Millisecond)
				if _, err := harness.Screenshot(ctx, shotPath(c.name+"-canvas.png")); err != nil {
					t.Fatal(err)
				}
			}
			harness.ConsoleOf(ctx).Check(t)
		})
	}
}

func shotDir() string { return os.Getenv("BOTTLENECK_SHOTS") }

// shotPath is where a screenshot goes: BOTTLENECK_SHOTS, or nowhere.
func shotPath(name string) string {
	if d := shotDir(); d != "" {
		return filepath.Join(d, name)
	}
	return ""
}

func parseHex(t *testing.T, s string) color.NRGBA {
	t.Helper()
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", s, err)
	}
	return color.NRGBA{r, g, b, 255}
}

func near(c, want color.NRGBA, tol int) bool {
	d := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
	return d(c.R, want.R) && d(c.G, want.G) && d(c.B, want.B)
}
