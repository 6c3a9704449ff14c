package protocol

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var (
	scriptVersion = regexp.MustCompile(`var PROTOCOL_VERSION = (\d+);`)
	// A head's version written as a number, not as PROTOCOL_VERSION.
	literalVersion = regexp.MustCompile(`\bv: *\d`)
	headVersion    = regexp.MustCompile(`\bv: *PROTOCOL_VERSION\b`)
)

// The static scripts that write protocol heads (the head start's ack, draw
// and link, the worker's fault) write them with the protocol's version, from
// one constant per script that equals Version: a new version of the
// protocol cannot leave a script speaking the old one, which the engine
// would refuse.
func TestScriptsSpeakTheProtocolsVersion(t *testing.T) {
	scripts, err := filepath.Glob("../../../site/static/*.js")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts in site/static/: %v", err)
	}
	speakers := 0
	for _, name := range scripts {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if m := literalVersion.Find(src); m != nil {
			t.Errorf("%s writes a head's version as a number (%q): write v: PROTOCOL_VERSION", name, m)
		}
		if !headVersion.Match(src) {
			continue
		}
		speakers++
		m := scriptVersion.FindSubmatch(src)
		if m == nil {
			t.Errorf("%s writes v: PROTOCOL_VERSION but does not declare var PROTOCOL_VERSION = N;", name)
			continue
		}
		if v, _ := strconv.Atoi(string(m[1])); v != Version {
			t.Errorf("%s speaks protocol version %d; Version is %d", name, v, Version)
		}
	}
	if speakers < 2 {
		t.Errorf("%d scripts write protocol heads; engine-start.js and engine-worker.js both do", speakers)
	}
}
