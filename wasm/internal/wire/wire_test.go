//go:build js && wasm

package wire

import (
	"reflect"
	"strings"
	"syscall/js"
	"testing"

	"github.com/bottleneck-playground/bottleneck/core/coretest"
	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

// postTarget is a stand-in for a Worker: its postMessage keeps what it was
// given.
func postTarget(t *testing.T) (target js.Value, posted func() js.Value) {
	t.Helper()
	var last js.Value
	post := js.FuncOf(func(_ js.Value, args []js.Value) any {
		last = args[0]
		return nil
	})
	t.Cleanup(post.Release)
	target = object.New()
	target.Set("postMessage", post)
	return target, func() js.Value { return last }
}

// A message crosses as Post writes it and FrameOf reads it: a state with its
// weights bit for bit, and a figure with its SVG text.
func TestPostThenFrameOf(t *testing.T) {
	tr := coretest.Trained(t, "n=7&k=2&seed=3", 25)
	msgs := []protocol.Message{
		{Type: protocol.TypeState, Seq: 2, Config: tr.Config().Encode(), Step: 25, Metrics: tr.Metrics(), Weights: protocol.Weights(tr.Network())},
		{Type: protocol.TypeFigure, Config: tr.Config().Encode(), Step: 25, Figure: "<?xml version=\"1.0\"?>\n<svg><text>7-2-7 · step 25</text></svg>\n"},
		{Type: protocol.TypeDraw},
	}
	for _, m := range msgs {
		target, posted := postTarget(t)
		if err := Post(target, m); err != nil {
			t.Fatalf("Post(%s): %v", m.Type, err)
		}
		f, err := FrameOf(posted())
		if err != nil {
			t.Fatalf("FrameOf(%s): %v", m.Type, err)
		}
		got, err := protocol.Decode(f)
		if err != nil {
			t.Fatalf("Decode(%s): %v", m.Type, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("%s crossed as %+v\nsent %+v", m.Type, got, m)
		}
	}
}

// FrameOf refuses what is not a frame with a reason, and never panics.
func TestFrameOfRefuses(t *testing.T) {
	obj := func(fields map[string]any) js.Value {
		o := object.New()
		for k, v := range fields {
			o.Set(k, v)
		}
		return o
	}
	head := `{"v":1,"type":"figure","config":"n=5","step":1}`
	cases := []struct {
		name string
		data js.Value
		want string
	}{
		{"a string", js.ValueOf("figure"), "not an object"},
		{"a number head", obj(map[string]any{"head": 7}), "without a text head"},
		{"a number figure", obj(map[string]any{"head": head, "figure": 12}), "figure that is not text"},
		{"an object figure", obj(map[string]any{"head": head, "figure": obj(nil)}), "figure that is not text"},
		{"a huge figure", obj(map[string]any{"head": head, "figure": strings.Repeat("x", protocol.MaxFigureBytes+1)}), "figure over the limit"},
		{"an Array of weights", obj(map[string]any{"head": head, "weights": js.Global().Get("Array").New(3)}), "not a Float64Array"},
	}
	for _, c := range cases {
		f, err := FrameOf(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FrameOf(%s) = %+v, %v; want an error saying %q", c.name, f, err, c.want)
		}
	}
}
