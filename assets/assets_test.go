package assets

import "testing"

func TestFontEmbedded(t *testing.T) {
	// A TrueType file starts with the sfnt version 0x00010000.
	if len(DejaVuSans) < 100000 || string(DejaVuSans[:4]) != "\x00\x01\x00\x00" {
		t.Fatalf("DejaVuSans is %d bytes and does not look like a TrueType font", len(DejaVuSans))
	}
}
