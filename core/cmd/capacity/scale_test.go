package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gridArgs is a small grid whose points differ: some solve fast, 9-1-9
// within 300 steps does not solve for every seed.
const gridArgs = pinned + " -ob=true -scale -k 1,2 -ns 4,6,9 -seeds 3 -budget 300"

// TestMergeGivesTheUnshardedTable: the shards of a grid, merged in any order,
// give byte for byte the table of the unsharded run.
func TestMergeGivesTheUnshardedTable(t *testing.T) {
	code, whole, errOut := runArgs(t, gridArgs)
	if code != exitOK {
		t.Fatalf("unsharded: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(whole, "\n"+summaryHeader+"\n1,4,3,3,") || strings.Count(whole, "\n") != 8+6 {
		t.Fatalf("unsharded table:\n%s", whole)
	}
	dir := t.TempDir()
	for _, count := range []int{1, 4, 7} { // 7 shards: more shards than points, one is empty
		var files []string
		for i := count - 1; i >= 0; i-- {
			code, shard, errOut := runArgs(t, gridArgs+" -shard "+itoa(i)+"/"+itoa(count))
			if code != exitOK || !strings.Contains(shard, "\n"+seedHeader+"\n") {
				t.Fatalf("shard %d/%d: exit %d\n%s%s", i, count, code, shard, errOut)
			}
			name := filepath.Join(dir, "shard-"+itoa(count)+"-"+itoa(i)+".csv")
			if err := os.WriteFile(name, []byte(shard), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
		code, merged, errOut := runArgs(t, "-merge "+strings.Join(files, " "))
		if code != exitOK {
			t.Fatalf("%d shards: merge exit %d\n%s", count, code, errOut)
		}
		if merged != whole {
			t.Errorf("%d shards merged:\n%s\nunsharded:\n%s", count, merged, whole)
		}
		if count == 4 {
			code, _, errOut := runArgs(t, "-merge "+strings.Join(files[1:], " "))
			if code != exitUsage || !strings.Contains(errOut, "shards 3/4 are missing") {
				t.Errorf("a missing shard: exit %d, %s", code, errOut)
			}
			code, _, errOut = runArgs(t, "-merge "+files[0]+" "+files[0]+" "+strings.Join(files[1:], " "))
			if code != exitUsage || !strings.Contains(errOut, "both shard") {
				t.Errorf("a repeated shard: exit %d, %s", code, errOut)
			}
		}
	}
	other := filepath.Join(dir, "other.csv")
	_, shard, _ := runArgs(t, gridArgs+" -lr 0.2 -shard 0/1")
	os.WriteFile(other, []byte(shard), 0o644)
	first := filepath.Join(dir, "shard-4-0.csv")
	if code, _, errOut := runArgs(t, "-merge "+other+" "+first); code != exitUsage || !strings.Contains(errOut, "different grids") {
		t.Errorf("shards of different settings: exit %d, %s", code, errOut)
	}
	summary := filepath.Join(dir, "summary.csv")
	os.WriteFile(summary, []byte(whole), 0o644)
	if code, _, errOut := runArgs(t, "-merge "+summary); code != exitUsage || !strings.Contains(errOut, "cannot be merged again") {
		t.Errorf("a summary given to -merge: exit %d, %s", code, errOut)
	}
}

func TestScaleFlagErrors(t *testing.T) {
	for _, args := range []string{
		"-scale -ns 8,x",
		"-scale -ns 16,8",
		"-scale -ns 8,8",
		"-scale -k 1 -n 8",
		"-scale -ns 2000",
		"-scale -shard 3/3",
		"-scale -shard 1",
		"-shard 0/2",
		"-trace 100",
		"-trace -5 -k 2 -n 5",
		"-merge",
		"-merge /nonexistent/shard.csv",
	} {
		code, out, errOut := runArgs(t, args)
		if code != exitUsage || errOut == "" {
			t.Errorf("%q: exit %d, stderr %q, want 2 and a message\n%s", args, code, errOut, out)
		}
	}
}

// TestTrace: the trace reports at the documented steps, past the solve.
func TestTrace(t *testing.T) {
	code, out, errOut := runArgs(t, pinned+" -ob=true -k 2 -n 5 -seeds 1 -trace 2000")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var steps []string
	for _, l := range lines[2:] {
		steps = append(steps, strings.Split(l, ",")[1])
	}
	if got := strings.Join(steps, " "); got != "0 1 2 5 10 20 50 100 200 500 1000 2000" {
		t.Errorf("steps %s", got)
	}
	if got := traceSteps(7); len(got) != 5 || got[4] != 7 {
		t.Errorf("traceSteps(7) = %v, want 0 1 2 5 7", got)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
