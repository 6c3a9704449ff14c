package uikeys

import (
	"fmt"
	"html"
)

// Embed sizes, in CSS pixels: the smallest the compact layout of embed.html
// is made for, and the snippet's default.
const (
	MinEmbedWidth      = 600
	MinEmbedHeight     = 400
	DefaultEmbedWidth  = 720
	DefaultEmbedHeight = 480
	MaxEmbedSize       = 4000
)

// Snippet returns the <iframe> element that embeds the page at src (an
// absolute URL of embed.html with its fragment): with a title for screen
// readers, the size, loading="lazy" so that a long course page loads it only
// when it scrolls near, and no border. Sizes are clamped to
// [MinEmbedWidth|Height, MaxEmbedSize]. Every value is HTML-escaped.
func Snippet(src, title string, width, height int) string {
	width = min(max(width, MinEmbedWidth), MaxEmbedSize)
	height = min(max(height, MinEmbedHeight), MaxEmbedSize)
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="%d" height="%d" loading="lazy" style="border: 0; max-width: 100%%;"></iframe>`,
		html.EscapeString(src), html.EscapeString(title), width, height)
}
