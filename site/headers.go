package site

import (
	"strings"
)

// This file is the site's header table: which headers a built file gets,
// and which files are not served at all. site.Handler reads it for every
// response, and the static hosts' configurations (HeadersFile for Netlify
// and Cloudflare Pages, NginxConf, Caddyfile; make site writes them) are
// generated from it, so that every way of serving the site sends the same
// headers. The rows are data: ContentSecurityPolicy with the embeddable
// pages' EmbeddablePolicy, commonHeaders, contentTypes by extension,
// encodings and hostFiles. A new file type needs only its row in
// contentTypes (and without one gets the system's type).

// Header is one HTTP response header: its canonical name and its value.
type Header struct {
	Name, Value string
}

// commonHeaders go on every response of the site, files and errors alike.
// nosniff makes the browser trust the Content-Type (a script or the wasm of
// the wrong type is refused, not guessed at). no-cache: the files have
// fixed names, so a browser must revalidate them to see a new build.
var commonHeaders = []Header{
	{"X-Content-Type-Options", "nosniff"},
	{"Cache-Control", "no-cache"},
}

// hostFiles are the static hosts' configurations that make site writes
// into the site's folder next to the files they describe. They are not
// resources of the site, so no configuration serves them (Netlify and
// Cloudflare Pages read _headers and never serve it).
var hostFiles = []string{HeadersFileName, NginxConfName, CaddyfileName}

// The names of the configurations in the site's folder.
const (
	// HeadersFileName is the Netlify and Cloudflare Pages header file.
	HeadersFileName = "_headers"
	// NginxConfName is the nginx server block.
	NginxConfName = "nginx.conf"
	// CaddyfileName is the Caddy configuration.
	CaddyfileName = "Caddyfile"
)

// ResponseHeaders returns the headers that every response for the file at
// name gets, also an error such as 404: its Content-Security-Policy (see
// PolicyFor) followed by commonHeaders. name is a slash-separated path
// relative to the site's folder ("index.html" for "/").
func ResponseHeaders(name string) []Header {
	return append([]Header{{"Content-Security-Policy", PolicyFor(name)}}, commonHeaders...)
}

// FileHeaders returns the headers that the file at name gets when it is
// served (whatever the content coding): ResponseHeaders(name) and its
// Content-Type, which is the table's for the file's extension, compared
// without case, else the system's (mime.TypeByExtension), else
// application/octet-stream. The Content-Encoding and Vary of a
// precompressed copy are not in it: they depend on the request and on the
// copies that exist. name is as for ResponseHeaders.
func FileHeaders(name string) []Header {
	return append(ResponseHeaders(name), Header{"Content-Type", contentType(name)})
}

// Served reports whether a file of the site's folder at name (as for
// ResponseHeaders) is a resource that the site serves under its own name.
// The precompressed copies (FILE.br, FILE.gz) are not: they are encodings
// of FILE. Nor are the host configurations at the top of the folder
// (_headers, nginx.conf, Caddyfile).
func Served(name string) bool {
	for _, enc := range encodings {
		if strings.HasSuffix(name, enc.suffix) {
			return false
		}
	}
	for _, h := range hostFiles {
		if name == h {
			return false
		}
	}
	return true
}
