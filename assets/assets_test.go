package assets

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font/sfnt"
)

func TestFontEmbedded(t *testing.T) {
	// A TrueType file starts with the sfnt version 0x00010000.
	if len(DejaVuSans) < 50000 || string(DejaVuSans[:4]) != "\x00\x01\x00\x00" {
		t.Fatalf("DejaVuSans is %d bytes and does not look like a TrueType font", len(DejaVuSans))
	}
}

// TestFontCoversTheCanvasText: every non-ASCII character in the canvas code
// must be in the subset font, or the canvas would draw a blank box for it.
func TestFontCoversTheCanvasText(t *testing.T) {
	f, err := sfnt.Parse(DejaVuSans)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../wasm/*.go")
	more, _ := filepath.Glob("../wasm/internal/*/*.go")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no canvas code found")
	}
	var buf sfnt.Buffer
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(src) {
			if r < 0x80 || r == '\uFFFD' {
				continue
			}
			if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
				t.Errorf("%s uses %q (U+%04X), which the font lacks; extend fonts/subset.sh", name, r, r)
			}
		}
	}
}
