package site_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bottleneck-playground/bottleneck/site"
	"github.com/bottleneck-playground/bottleneck/site/browser"
)

// metaCSP matches the policy of a <meta http-equiv="Content-Security-Policy">.
var metaCSP = regexp.MustCompile(`<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*>`)

// The built pages carry the server's policy as a <meta> too, for static
// hosts that send no headers. The two must agree.
func TestMetaCSPMatchesHeader(t *testing.T) {
	dist := browser.DistDir(t)
	for _, name := range []string{"index.html", "app.html", "capacity.html", "embed.html"} {
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		m := metaCSP.FindAllSubmatch(data, -1)
		if len(m) != 1 {
			t.Errorf("%s has %d Content-Security-Policy meta tags, want 1", name, len(m))
			continue
		}
		if got, want := string(m[0][1]), site.MetaPolicy(); got != want {
			t.Errorf("%s meta policy\n  %s\nwant (the header without frame-ancestors)\n  %s", name, got, want)
		}
		// The meta must come before anything that loads: a policy applies
		// only to what follows it.
		head := string(data[:strings.Index(string(data), string(m[0][0]))])
		for _, tag := range []string{"<script", "<link", "<style", "<iframe"} {
			if strings.Contains(head, tag) {
				t.Errorf("%s has %s before its CSP meta", name, tag)
			}
		}
	}
	// The policy allows only the site's own scripts and no other origin.
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "*"} {
		if strings.Contains(site.ContentSecurityPolicy, bad) {
			t.Errorf("the policy allows %s", bad)
		}
	}
	if !strings.Contains(site.ContentSecurityPolicy, "worker-src 'self';") {
		t.Errorf("worker-src is not 'self': %s", site.ContentSecurityPolicy)
	}
	// Only the embeddable pages may be framed by another site, and their
	// policy differs from the others' in that alone.
	if got, want := site.EmbeddablePolicy, strings.Replace(site.ContentSecurityPolicy, "frame-ancestors 'self'", "frame-ancestors *", 1); got != want || got == site.ContentSecurityPolicy {
		t.Errorf("site.EmbeddablePolicy = %q, want %q", got, want)
	}
	for name, want := range map[string]string{"embed.html": site.EmbeddablePolicy, "app.html": site.EmbeddablePolicy,
		"index.html": site.ContentSecurityPolicy, "capacity.html": site.ContentSecurityPolicy, "bottleneck.wasm": site.ContentSecurityPolicy, "sub/embed.html": site.ContentSecurityPolicy} {
		if got := site.PolicyFor(name); got != want {
			t.Errorf("site.PolicyFor(%q) = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(site.ContentSecurityPolicy, "script-src 'self' 'wasm-unsafe-eval';") {
		t.Errorf("script-src is not exactly 'self' 'wasm-unsafe-eval': %s", site.ContentSecurityPolicy)
	}
}
