// Package explain is the pure logic behind Bottleneck's explaining views: the
// walk-through caption in the post's arithmetic, the hidden-space pictures
// (region maps, exact 1-D intervals, a rotating cube, a PCA projection), the
// charts' axes and ticks (the series they draw are package history's),
// the compression meter and the colours.
//
// It never imports ebiten or syscall/js and has no build tags, so its tests
// run natively and, unchanged, as js/wasm under Node. The views that draw
// these results live elsewhere.
//
// Indices in the API are 0-based like core's; only the text shown to the
// user numbers inputs and outputs 1..N, as the post does.
package explain

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Fixed is a displayed number held exactly, in hundredths: Fixed(-1000) is -10
// and Fixed(35) is 0.35. The caption rounds every factor to at most one decimal,
// so a product of two factors has at most two decimals and every sum the
// caption shows is exact; a reader who redoes the arithmetic by hand gets the
// number on screen, which floating point could not promise.
type Fixed int64

// maxFactor bounds the magnitude of a factor kept exactly. Beyond it (a weight
// of ten million is a network on its way to diverging) products of two factors
// and sums of MaxK of them could overflow int64, so the caption falls back to
// approximate text and says so (Sum.Exact is false).
const maxFactor = 1e7

// Round returns v rounded as the caption displays it: to a whole number when
// |v| >= 9.95 (so it would show as 10 or more), otherwise to one decimal, halves
// away from zero. ok is false when v is not finite or |v| > 1e7; then the
// result is meaningless.
//
// The post shows whole numbers (-10, 8, -4, 26). Whole numbers are kept for the
// large values, where a tenth is noise, and one decimal for the small ones,
// where rounding to a whole number would turn 0.4 into 0 and hide the term.
func Round(v float64) (f Fixed, ok bool) {
	if math.IsNaN(v) || math.Abs(v) > maxFactor {
		return 0, false
	}
	tenths := math.Round(v * 10)
	if math.Abs(tenths) >= 100 {
		return Fixed(math.Round(v) * 100), true
	}
	return Fixed(tenths * 10), true
}

// Float returns f as a float64.
func (f Fixed) Float() float64 { return float64(f) / 100 }

// Mul returns the exact product of two displayed factors. Both must have at
// most one decimal (as Round produces), so the product has at most two.
func (f Fixed) Mul(g Fixed) Fixed { return f * g / 100 }

// String formats f with as few decimals as it needs: "72", "-9.6", "35.52".
func (f Fixed) String() string {
	neg := f < 0
	u := uint64(f)
	if neg {
		u = uint64(-f)
	}
	whole, frac := u/100, u%100
	s := strconv.FormatUint(whole, 10)
	switch {
	case frac == 0:
	case frac%10 == 0:
		s += "." + strconv.FormatUint(frac/10, 10)
	default:
		s += fmt.Sprintf(".%02d", frac)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Term is one product of the post's walk-through: the number on the input node
// for one hidden unit times that unit's weight to the output, both as shown.
type Term struct {
	Hidden int   // the hidden unit, 0-based; -1 for the direct network's weight
	In     Fixed // the input side: DisplayIn[Hidden] rounded (1 for the direct network)
	Weight Fixed // the output weight W2[out][Hidden] (W2[out][input] when K = 0), rounded
}

// Product returns the term's exact displayed product In*Weight.
func (t Term) Product() Fixed { return t.In.Mul(t.Weight) }

// Sum is one output's displayed arithmetic and its exact logit.
type Sum struct {
	Output int    // the output, 0-based
	Terms  []Term // K terms, or one (the weight) for the direct network
	// HasBias is true for the direct network with output biases on; then Bias
	// is the displayed bias and is part of Total. With a hidden layer the
	// post's arithmetic leaves biases out (it works on 10x the activations, so
	// the bias would not be on the same scale); Logit carries them.
	HasBias bool
	Bias    Fixed
	// Total is the sum of the displayed products (plus Bias when HasBias),
	// computed exactly from the rounded numbers shown.
	Total Fixed
	// Exact is false when some number was too large (beyond 1e7) or not
	// finite, so Total could not be kept exactly; Text then shows the numbers
	// to four significant digits and Total is 0.
	Exact bool
	// Logit is the real logit: the sum of the Inspection's Contrib row and the
	// output bias, in core's order, so it equals Inspection.Logits[Output].
	Logit float64
	Text  string // e.g. "out 7: 72 = (-10)(-4) + (8)(4)"
}

// Caption is the walk-through text for one input firing, with its structure.
type Caption struct {
	Input    int  // the input, 0-based
	Target   int  // its target output, or -1 when it has none
	Winner   int  // core's winner (largest real logit)
	RunnerUp int  // core's runner-up
	Correct  bool // as Inspection.Correct
	Margin   float64
	Direct   bool // K = 0

	Win, Second Sum // the winner's and the runner-up's arithmetic

	// Headline states whether the pair is right, e.g. "input 3 fires output 4:
	// right, by a margin of 5.21".
	Headline string
	// Exact lists the real logits of the winner and runner-up and the margin.
	Exact string
	// Note is non-empty when the rounded display arithmetic ranks the two
	// outputs differently from the real logits (biases or rounding), to say
	// which one decides.
	Note string
}

// Errors returned by NewCaption.
var (
	ErrNilNetwork = errors.New("explain: nil network")
	ErrShape      = errors.New("explain: inspection does not match the network's shape")
)

// NewCaption builds the walk-through for ins, an Inspection of net (from the
// same Trainer, at the same weights). It needs net because the output weights
// cannot be recovered from Contrib when a hidden activation is 0. It returns
// an error, never panics, when net is nil or the sizes disagree.
func NewCaption(ins *core.Inspection, net *core.Network) (Caption, error) {
	if net == nil || net.W2 == nil || net.B2 == nil {
		return Caption{}, ErrNilNetwork
	}
	n, k := net.N, net.K
	if ins == nil || n < 2 || ins.Input < 0 || ins.Input >= n || len(ins.Logits) != n ||
		len(ins.Bias) != n || ins.Winner < 0 || ins.Winner >= n || ins.RunnerUp < 0 ||
		ins.RunnerUp >= n || ins.Target < -1 || ins.Target >= n ||
		(k > 0 && (len(ins.DisplayIn) != k || len(ins.Contrib) != n)) {
		return Caption{}, ErrShape
	}
	if r, c := net.W2.Dims(); r != n || (k > 0 && c != k) || (k == 0 && c != n) {
		return Caption{}, ErrShape
	}
	cp := Caption{
		Input: ins.Input, Target: ins.Target, Winner: ins.Winner, RunnerUp: ins.RunnerUp,
		Correct: ins.Correct, Margin: ins.Margin, Direct: k == 0,
	}
	cp.Win = newSum(ins, net, ins.Winner)
	cp.Second = newSum(ins, net, ins.RunnerUp)

	in := ins.Input + 1
	switch {
	case ins.Target < 0:
		cp.Headline = fmt.Sprintf("input %d has no target (never fired in the task); output %d wins by %s",
			in, ins.Winner+1, sig(ins.Margin))
	case ins.Correct:
		cp.Headline = fmt.Sprintf("input %d fires output %d: right, by a margin of %s",
			in, ins.Target+1, sig(ins.Margin))
	case ins.Winner == ins.Target:
		// Correct is false with the target on top only on an exact tie.
		cp.Headline = fmt.Sprintf("input %d: wrong: output %d ties with the target %d",
			in, ins.RunnerUp+1, ins.Target+1)
	default:
		cp.Headline = fmt.Sprintf("input %d: wrong: output %d wins, the target is %d (behind by %s)",
			in, ins.Winner+1, ins.Target+1, sig(-ins.Margin))
	}
	cp.Exact = fmt.Sprintf("real logits: out %d = %s, out %d = %s; lead %s",
		ins.Winner+1, sig(cp.Win.Logit), ins.RunnerUp+1, sig(cp.Second.Logit),
		sig(ins.Logits[ins.Winner]-ins.Logits[ins.RunnerUp]))
	if cp.Win.Exact && cp.Second.Exact && cp.Second.Total > cp.Win.Total {
		why := "rounding"
		if k > 0 {
			why = "the biases, left out of the display numbers,"
		}
		cp.Note = fmt.Sprintf("the shown numbers favour out %d; %s tip it to out %d",
			ins.RunnerUp+1, why, ins.Winner+1)
	}
	return cp, nil
}

// newSum builds output j's arithmetic. Sizes were checked by NewCaption.
func newSum(ins *core.Inspection, net *core.Network, j int) Sum {
	k := net.K
	s := Sum{Output: j, Exact: true}
	add := func(h int, in, w float64) {
		fi, ok1 := Round(in)
		fw, ok2 := Round(w)
		s.Exact = s.Exact && ok1 && ok2
		s.Terms = append(s.Terms, Term{Hidden: h, In: fi, Weight: fw})
	}
	if k == 0 {
		add(-1, 1, net.W2.At(j, ins.Input))
		s.Logit = ins.Logits[j] // core: W2[j][input] + bias, nothing to re-add
	} else {
		s.Terms = make([]Term, 0, k)
		for h := 0; h < k; h++ {
			add(h, ins.DisplayIn[h], net.W2.At(j, h))
		}
		// Summed in core's order (bias first), so the result is bit-identical.
		z := ins.Bias[j]
		for _, c := range ins.Contrib[j] {
			z += c
		}
		s.Logit = z
	}
	if k == 0 && net.OutputBias {
		b, ok := Round(ins.Bias[j])
		s.HasBias, s.Bias, s.Exact = true, b, s.Exact && ok
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "out %d: ", j+1)
	if !s.Exact {
		s.Text = approxText(&sb, ins, net, j)
		return s
	}
	for _, t := range s.Terms {
		s.Total += t.Product()
	}
	if s.HasBias {
		s.Total += s.Bias
	}
	sb.WriteString(s.Total.String())
	switch {
	case k == 0 && s.HasBias:
		fmt.Fprintf(&sb, " = %s + %s", s.Terms[0].Weight, paren(s.Bias))
	case k == 0: // the total is the weight itself: nothing to add up
	default:
		sb.WriteString(" =")
		for i, t := range s.Terms {
			if i > 0 {
				sb.WriteString(" +")
			}
			fmt.Fprintf(&sb, " (%s)(%s)", t.In, t.Weight)
		}
	}
	s.Text = sb.String()
	return s
}

// approxText writes output j's arithmetic to four significant digits, for
// weights too large (or not finite) to keep exactly.
func approxText(sb *strings.Builder, ins *core.Inspection, net *core.Network, j int) string {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	if net.K == 0 {
		w := net.W2.At(j, ins.Input)
		sb.WriteString("≈ " + g(w))
		if net.OutputBias {
			sb.WriteString(" + (" + g(ins.Bias[j]) + ")")
		}
		return sb.String()
	}
	sb.WriteString("≈ " + g(ins.DisplayLogits[j]) + " =")
	for h := 0; h < net.K; h++ {
		if h > 0 {
			sb.WriteString(" +")
		}
		fmt.Fprintf(sb, " (%s)(%s)", g(ins.DisplayIn[h]), g(net.W2.At(j, h)))
	}
	return sb.String()
}

// paren wraps a negative number in parentheses, so "+ (-0.3)" reads clearly.
func paren(f Fixed) string {
	if f < 0 {
		return "(" + f.String() + ")"
	}
	return f.String()
}

// sig formats x to three significant digits without an exponent for the
// magnitudes a logit takes (an exponent would be harder to compare by eye).
func sig(x float64) string {
	switch a := math.Abs(x); {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'g', -1, 64)
	case a >= 1000 && a < 1e15:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 1e-3 || a == 0:
		return strconv.FormatFloat(x, 'g', 3, 64)
	default:
		return strconv.FormatFloat(x, 'g', 2, 64)
	}
}

// Lines returns the caption as the page shows it: the headline, the winner's
// and the runner-up's arithmetic, the real logits, and the note if any.
func (c *Caption) Lines() []string {
	ls := []string{c.Headline, c.Win.Text, c.Second.Text, c.Exact}
	if c.Note != "" {
		ls = append(ls, c.Note)
	}
	return ls
}

// String returns Lines joined by newlines.
func (c *Caption) String() string { return strings.Join(c.Lines(), "\n") }
