// Command figure trains a run natively and writes the playground's saved
// figures for it: the network as SVG and, for k = 1 or 2, the hidden space.
// They are the same bytes the page's "Save SVG" button saves for that run at
// that step (package figure draws both).
//
//	go run ./wasm/cmd/figure -link 'n=11&k=2&seed=1' -steps 1500 -o docs/figure-11-2-11.svg
//
// With -construct the run starts from the playground's Construct (a
// solution built by hand, core.Construct) instead of the seed's weights:
//
//	go run ./wasm/cmd/figure -link 'n=64&k=2' -construct -steps 0 -hidden -o docs/figure-64-2-64-built-hidden.svg
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bottleneck-playground/bottleneck/core"
	"github.com/bottleneck-playground/bottleneck/wasm/figure"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "figure:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("figure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	link := fs.String("link", core.DefaultConfig().Encode(), "the run, as the playground's URL fragment")
	steps := fs.Int("steps", 1500, "training steps before the picture is taken")
	hidden := fs.Bool("hidden", false, "draw the hidden space (k = 1 or 2) instead of the network")
	construct := fs.Bool("construct", false, "start from the solution built by hand (the playground's Construct), not from the seed")
	out := fs.String("o", "", "output file (default: the playground's file name for the run, in the current folder)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *steps < 0 {
		return fmt.Errorf("-steps must be 0 or more, not %d", *steps)
	}
	cfg, err := core.ParseFragment(*link)
	if err != nil {
		return err
	}
	newTrainer := core.NewTrainer
	if *construct {
		newTrainer = core.Construct
	}
	tr, err := newTrainer(cfg)
	if err != nil {
		return err
	}
	tr.Run(*steps)
	step := tr.Metrics().Step
	data, what := figure.Network(tr.Network(), cfg, step), ""
	if *hidden {
		if data, err = figure.HiddenSpace(tr.Network(), cfg, step); err != nil {
			return err
		}
		what = "hidden"
	}
	name := *out
	if name == "" {
		name = figure.FileName(cfg, step, what, "svg")
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%s)\n", name, figure.Caption(cfg, step))
	return nil
}
