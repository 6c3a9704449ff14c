//go:build js && wasm

// Package wire moves protocol frames across postMessage: the head as a
// string, the weights (and after them a state's or an import's chart) as
// one transferred Float64Array, a figure's SVG as a string. It is the only syscall/js code of the protocol, used on both
// sides (the engine worker and the pages); everything it can check is
// checked by protocol.Decode.
package wire

import (
	"errors"
	"syscall/js"

	"github.com/bottleneck-playground/bottleneck/wasm/internal/protocol"
)

var (
	object       = js.Global().Get("Object")
	uint8Array   = js.Global().Get("Uint8Array")
	float64Array = js.Global().Get("Float64Array")
	array        = js.Global().Get("Array")
	isView       = js.Global().Get("ArrayBuffer").Get("isView")
	brand        = js.Global().Get("Object").Get("prototype").Get("toString")
)

// isFloat64Array reports whether v is a Float64Array of any realm: a
// worker's messages arrive in the realm of the page that started it, which
// for the engine the parent page starts (engine-start.js) is not the
// canvas's iframe, so instanceof this realm's Float64Array is false there.
func isFloat64Array(v js.Value) bool {
	return isView.Invoke(v).Bool() && brand.Call("call", v).String() == "[object Float64Array]"
}

// FrameOf reads a frame from a message event's data, or says why data is
// not one. It never panics.
func FrameOf(data js.Value) (protocol.Frame, error) {
	if data.Type() != js.TypeObject {
		return protocol.Frame{}, errors.New("wire: a message that is not an object")
	}
	head := data.Get("head")
	if head.Type() != js.TypeString {
		return protocol.Frame{}, errors.New("wire: a message without a text head")
	}
	f := protocol.Frame{Head: head.String()}
	switch fig := data.Get("figure"); fig.Type() {
	case js.TypeUndefined, js.TypeNull:
	case js.TypeString:
		// A string of more UTF-16 units than the limit has more UTF-8
		// bytes too; Decode checks the bytes.
		// (Length and Get panic on a primitive string: Object(s) wraps it.)
		if object.Invoke(fig).Get("length").Int() > protocol.MaxFigureBytes {
			return protocol.Frame{}, errors.New("wire: a figure over the limit")
		}
		f.Figure = fig.String()
	default:
		return protocol.Frame{}, errors.New("wire: a figure that is not text")
	}
	w := data.Get("weights")
	if w.IsUndefined() || w.IsNull() {
		return f, nil
	}
	if !isFloat64Array(w) {
		return protocol.Frame{}, errors.New("wire: weights that are not a Float64Array")
	}
	if n := w.Get("length").Int(); n > protocol.MaxFrameFloats {
		return protocol.Frame{}, errors.New("wire: more weights than any network and chart have")
	}
	b := make([]byte, w.Get("byteLength").Int())
	js.CopyBytesToGo(b, uint8Array.New(w.Get("buffer"), w.Get("byteOffset"), w.Get("byteLength")))
	ws, err := protocol.Float64sOf(b, protocol.MaxFrameFloats)
	if err != nil {
		return protocol.Frame{}, err
	}
	f.Weights = ws
	return f, nil
}

// Post encodes m and posts it to target (a Worker, or a worker's self),
// transferring the weights' buffer; it returns Encode's error.
func Post(target js.Value, m protocol.Message) error {
	f, err := protocol.Encode(m)
	if err != nil {
		return err
	}
	obj := object.New()
	obj.Set("head", f.Head)
	if f.Figure != "" {
		obj.Set("figure", f.Figure)
	}
	if len(f.Weights) == 0 {
		target.Call("postMessage", obj)
		return nil
	}
	b := protocol.Float64Bytes(f.Weights)
	u8 := uint8Array.New(len(b))
	js.CopyBytesToJS(u8, b)
	buf := u8.Get("buffer")
	obj.Set("weights", float64Array.New(buf))
	target.Call("postMessage", obj, array.New(buf))
	return nil
}
