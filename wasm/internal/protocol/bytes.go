package protocol

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/bottleneck-playground/bottleneck/core"
)

// Float64Bytes returns w as little-endian bytes, the memory of a Float64Array
// on every browser (WebAssembly is little-endian), for syscall/js's
// CopyBytesToJS into the array's buffer.
func Float64Bytes(w []float64) []byte {
	b := make([]byte, 8*len(w))
	for i, x := range w {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

// Float64sOf returns the float64s of b, the bytes of a Float64Array, or why b
// cannot be one (a length that is not a multiple of 8, or more than max
// values).
func Float64sOf(b []byte, max int) ([]float64, error) {
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("protocol: %d bytes of weights is not a whole number of float64s", len(b))
	}
	if len(b)/8 > max {
		return nil, fmt.Errorf("protocol: %d floats, more than a frame holds (%d)", len(b)/8, max)
	}
	w := make([]float64, len(b)/8)
	for i := range w {
		w[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return w, nil
}

// MaxWeights is the most parameters any valid network has: the largest of
// WeightCount over the configs core accepts.
var MaxWeights = max(2*core.MaxK*core.MaxN+core.MaxK+core.MaxN, core.MaxNDirect*core.MaxNDirect+core.MaxNDirect)

// MaxFrameFloats is the most floats a frame's Weights holds: the most
// parameters, then the longest Chart.
var MaxFrameFloats = MaxWeights + MaxChartFloats
