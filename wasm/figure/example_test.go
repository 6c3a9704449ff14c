package figure_test

import (
	"fmt"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

// Save the post's 11-2-11 network after 586 steps.
func ExampleNetwork() {
	tr, _ := core.NewTrainer(core.DefaultConfig())
	tr.Run(586)
	svg := figure.Network(tr.Network(), tr.Config(), tr.Metrics().Step)
	fmt.Println(figure.FileName(tr.Config(), tr.Metrics().Step, "", "svg"), len(svg) > 0)
	// Output: bottleneck-11-2-11-step586.svg true
}
