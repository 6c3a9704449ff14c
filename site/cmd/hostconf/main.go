// Command hostconf writes the static hosts' configurations for the built
// site into its folder (make site runs it last, once every file is there):
// _headers for Netlify and Cloudflare Pages, an nginx server block
// (nginx.conf) and a Caddyfile, all from the header table in package site
// that site.Handler (make serve) reads, so that they send its headers:
//
//	go run ./site/cmd/hostconf -dir site/dist
//
// nginx.conf and Caddyfile serve -dir's absolute path unless -root says
// where the folder lives on the host.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bottleneck-playground/bottleneck/site"
)

func main() {
	dir := flag.String("dir", "site/dist", "folder of the built site, where the configurations go")
	root := flag.String("root", "", "absolute path of the folder on the host, for nginx.conf and Caddyfile (default: -dir's)")
	listen := flag.String("nginx-listen", "8080", "nginx's listen argument")
	address := flag.String("caddy-address", ":8080", "the Caddy site address (a domain name gets HTTPS)")
	flag.Parse()
	if err := run(*dir, *root, *listen, *address); err != nil {
		fmt.Fprintln(os.Stderr, "hostconf:", err)
		os.Exit(1)
	}
}

func run(dir, root, listen, address string) error {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("%s has no index.html: run make site first", dir)
	}
	if root == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		root = abs
	}
	return site.WriteHostConfigs(dir,
		site.NginxOptions{Listen: listen, Root: root},
		site.CaddyOptions{Address: address, Root: root})
}
