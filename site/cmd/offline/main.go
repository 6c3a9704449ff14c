// Command offline adds the service worker (sw.js, with the precache list and
// the build's version), the web app manifest and the app's icons to a built
// site (make site runs it after the pages, before the precompressed copies):
//
//	go run ./site/cmd/offline -dir site/dist
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bottleneck-playground/bottleneck/site/offline"
)

func main() {
	dir := flag.String("dir", "site/dist", "the built site's folder")
	flag.Parse()
	if err := offline.Write(*dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
