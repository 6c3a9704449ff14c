// Command pages writes the site's HTML pages, built from site/pages's
// templates with the server's policy, into a folder (make site runs it):
//
//	go run ./site/cmd/pages -out site/dist
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bottleneck-playground/bottleneck/site"
	"github.com/bottleneck-playground/bottleneck/site/pages"
)

func main() {
	out := flag.String("out", "site/dist", "folder to write the pages into (it must exist)")
	flag.Parse()
	if err := pages.Write(*out, pages.Data{MetaPolicy: site.MetaPolicy()}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
