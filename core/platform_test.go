package core

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden-weights.json from this platform")

// goldenConfigs are trained 1000 steps on every platform the tests run on.
var goldenConfigs = []string{
	"n=11&k=2&task=shift&s=1&opt=adam&lr=0.1&seed=1",
	"n=8&k=3&task=reverse&opt=adam&lr=0.1&seed=7",
	"n=30&k=3&task=random&tseed=5&act=sigmoid&opt=momentum&lr=0.5&seed=2",
	"n=9&k=0&task=shift&s=2&wrap=1&out=sigmoid&opt=sgd&lr=2&seed=3",
}

// TestSameWeightsOnEveryPlatform compares the weights after 1000 steps with
// testdata/golden-weights.json, written natively with -update. The test runs
// both natively and as js/wasm under Node (make test), so it checks that the
// browser trains the same network as the native tools, to 1e-9 relative.
func TestSameWeightsOnEveryPlatform(t *testing.T) {
	path := filepath.Join("testdata", "golden-weights.json")
	got := map[string][][]float64{}
	for _, frag := range goldenConfigs {
		c, err := ParseFragment(frag)
		if err != nil {
			t.Fatal(err)
		}
		tr := mustTrainer(t, c)
		if n := tr.Run(1000); n != 1000 {
			t.Fatalf("%s diverged at step %d", frag, n)
		}
		got[frag] = tr.Network().Params()
	}
	if *updateGolden {
		data, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][][]float64
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for _, frag := range goldenConfigs {
		g, w := got[frag], want[frag]
		if len(g) != len(w) {
			t.Fatalf("%s: %d blocks, golden has %d", frag, len(g), len(w))
		}
		worst, identical, total := 0.0, 0, 0
		for i := range g {
			if len(g[i]) != len(w[i]) {
				t.Fatalf("%s: block %d has %d values, golden %d", frag, i, len(g[i]), len(w[i]))
			}
			for j := range g[i] {
				total++
				if g[i][j] == w[i][j] {
					identical++
					continue
				}
				worst = max(worst, math.Abs(g[i][j]-w[i][j])/max(math.Abs(w[i][j]), 1e-300))
			}
		}
		if worst > 1e-9 {
			t.Errorf("%s: weights differ from golden by up to %g relative", frag, worst)
		}
		t.Logf("%s: %d of %d weights bit-identical to golden, worst relative difference %g", frag, identical, total, worst)
	}
}
