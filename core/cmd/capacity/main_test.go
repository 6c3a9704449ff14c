package main

import (
	"bytes"
	"strings"
	"testing"
)

// The settings are pinned rather than taken from the playground's defaults,
// so that a change of default does not change what these tests check.
const pinned = "-opt=adam -lr=0.1 -act=tanh -out=softmax -hb=true"

func runArgs(t *testing.T, args string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(strings.Fields(args), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestPointSolvedExitsZero(t *testing.T) {
	code, out, errOut := runArgs(t, pinned+" -ob=true -k 2 -n 5 -budget 2000")
	if code != exitOK {
		t.Fatalf("5-2-5: exit %d, want 0\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"seed 1: solved at step", "seed 2: solved", "seed 3: solved", "3 of 3 seeds solved", "elapsed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// 5-1-5 without output bias can get at most 2 of its 4 pairs right.
func TestPointUnsolvedExitsOne(t *testing.T) {
	code, out, errOut := runArgs(t, pinned+" -ob=false -k 1 -n 5 -budget 200 -seed-list 4,9")
	if code != exitUnsolved {
		t.Fatalf("5-1-5 without output bias: exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"seed 4: did not solve within 200 steps (final accuracy", "seed 9: did not solve", "0 of 2 seeds solved"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSweepTable(t *testing.T) {
	code, out, errOut := runArgs(t, pinned+" -k 1,2 -max 8 -budget 500 -seeds 2")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, tableHeader+"\n") {
		t.Errorf("no table header in:\n%s", out)
	}
	// 8-2-8 solves within 500 steps, so k=2 stops at the bound.
	for _, want := range []string{"| 1 | ", "| 2 | ≥ 8 (the bound) | ", "- k=1: 2+ 4+", "- k=2: 2+ 4+ 8+\n", "seeds 1,2;", "elapsed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestConfigFragment(t *testing.T) {
	// The fragment's k is used without -k; -ob overrides the fragment.
	code, out, errOut := runArgs(t, "-config n=7&k=1&lr=0.1&ob=1 -ob=false -n 5 -budget 100 -seeds 1")
	if code != exitUnsolved || !strings.Contains(out, "5-1-5") || !strings.Contains(out, "output bias off") {
		t.Errorf("exit %d, want 1 on 5-1-5 without output bias:\n%s%s", code, out, errOut)
	}
}

// TestTrainingFlags: the schedule, warm-up and initial scale reach the
// training and its description, and flags override a -config fragment.
func TestTrainingFlags(t *testing.T) {
	code, out, errOut := runArgs(t, pinned+" -k 2 -n 5 -budget 2000 -seeds 1 -sched cos -period 500 -warm 10 -init 0.5 -b2 0.99")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"b2 0.99", "cosine schedule restarted every 500 steps", "warm-up 10 steps", "initial weights 0.5 x Glorot"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runArgs(t, "-config sched=step&period=300&lr=0.1 -period 40 -k 2 -n 5 -budget 2000 -seeds 1")
	if code != exitOK || !strings.Contains(out, "halved every 40 steps") {
		t.Errorf("exit %d, want 0 halving every 40 steps:\n%s%s", code, out, errOut)
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	for _, args := range []string{
		"-k x",
		"-k 2,3 -n 11", // -n needs a single k
		"-k 17",        // above MaxK
		"-n 1 -k 2",    // N below MinN
		"-budget 0",    // no steps
		"-seeds 0",     // no seeds
		"-seeds 2 -seed-list 1,2",
		"-seed-list 1,1",  // duplicate
		"-seed-list -3",   // negative
		"-lr 0",           // below MinLR
		"-opt rmsprop",    // unknown optimizer
		"-act gelu",       // unknown activation
		"-min 0",          // below MinN
		"-max 2000",       // above MaxN
		"-min 50 -max 10", // empty range
		"-config n=0",     // bad fragment
		"-sched cosine",   // unknown schedule
		"-sched cos -period 0",
		"-warm -1",
		"-init 0",
		"-b2 1",
		"-nosuchflag", // unknown flag
		"stray",       // positional argument
	} {
		code, out, errOut := runArgs(t, args)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want 2\n%s", args, code, out)
		}
		if errOut == "" {
			t.Errorf("%q: nothing on stderr", args)
		}
	}
}

func TestHelp(t *testing.T) {
	code, out, errOut := runArgs(t, "-h")
	if code != exitOK || out != "" {
		t.Errorf("-h: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"Usage: capacity", "Point mode", "-seed-list", "-config", "Exit status 0 when every seed solved, 1 otherwise", "exit with status 2"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-h lacks %q", want)
		}
	}
}
