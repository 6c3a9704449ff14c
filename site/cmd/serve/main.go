// Command serve previews the built Bottleneck site on a local address:
//
//	go run ./site/cmd/serve -dir site/dist -addr localhost:8080
//
// It serves the folder with site.Handler, the same handler that the browser
// tests use, so the preview sends the same headers (Content-Security-Policy,
// precompressed wasm) as the tests check.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/bottleneck-playground/bottleneck/site"
)

func main() {
	dir := flag.String("dir", "site/dist", "folder of the built site (make site writes it)")
	addr := flag.String("addr", "localhost:8080", "host:port to listen on")
	flag.Parse()
	if err := run(*dir, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(dir, addr string) error {
	// Check for index.html first: without it every page is a 404, and the
	// usual cause is that nobody built the site yet.
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("%s has no index.html: run make site first", dir)
	}

	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad -addr %q: %w", addr, err)
	}
	// Listen before printing, so that the printed address works (also with
	// port 0, which picks a free port).
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Printf("Bottleneck is at http://%s/\n", net.JoinHostPort(host, port))

	srv := &http.Server{
		Handler:           site.Handler(dir),
		ReadHeaderTimeout: 10 * time.Second,
	}
	// Stop cleanly on Ctrl-C, so that make serve ends without a stack of
	// errors.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
