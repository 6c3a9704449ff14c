package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// block returns the lines of html from the first line that contains start
// to the first line after it that contains end, each trimmed, or nil.
func block(html, start, end string) []string {
	var out []string
	in := false
	for line := range strings.SplitSeq(html, "\n") {
		line = strings.TrimSpace(line)
		if !in && strings.Contains(line, start) {
			in = true
		}
		if in {
			out = append(out, line)
			if len(out) > 1 && strings.Contains(line, end) {
				return out
			}
		}
	}
	return nil
}

// embed.html carries copies of the playground's controls, tour, status line
// and error panel, since a static page cannot include another: they must
// stay the same as index.html's (the bridge wires both by id), up to
// indentation.
func TestEmbedSharesThePlaygroundsControls(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("static", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	index, embed := read("index.html"), read("embed.html")
	for _, b := range [][2]string{
		{`<form id="controls"`, `</form>`},
		{`<section id="tour"`, `<!-- /tour -->`},
		{`<dl id="status"`, `</dl>`},
		{`<div class="share" role="group" aria-label="Save figure"`, `</div>`},
		{`<div class="walk-controls"`, `</div>`},
		{`<div id="fatal"`, `</div>`},
		{`<div class="transport"`, `</div>`},
	} {
		want, got := block(index, b[0], b[1]), block(embed, b[0], b[1])
		if len(want) == 0 {
			t.Errorf("index.html has no %s ... %s", b[0], b[1])
			continue
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("embed.html's %s differs from index.html's:\n%s\nwant\n%s", b[0], strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	// What only the embed has: a title and the way back to the full page.
	for _, want := range []string{`<title>Bottleneck`, `<a id="open-full" class="embed-open" href="index.html" target="_blank" rel="noopener">Open in Bottleneck ↗</a>`, `<iframe id="app-frame" src="app.html" title="network view">`} {
		if !strings.Contains(embed, want) {
			t.Errorf("embed.html lacks %s", want)
		}
	}
}
