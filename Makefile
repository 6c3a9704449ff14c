# Makefile for Bottleneck: a Go WebAssembly static site (no backend) in which
# an ebiten canvas trains a tiny neural network in the browser.
#
#   make deps    install the system tools the build and the tests need
#   make site    build the site into site/dist
#   make serve   build, then preview at http://localhost:8080/
#   make test    vet, test natively (including browser tests in Chromium and Firefox),
#                test core under Node as wasm, and fuzz briefly
#   make bench   benchmarks, natively and under Node as wasm
#   make lighthouse  install Lighthouse (for make bench's BenchmarkLighthouse)
#   make profile-load  where the first frame's time goes (a profile)
#   make clean   remove the build

# bash with pipefail, so that a failing command in a pipe fails the target.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GO ?= go
GOROOT := $(shell $(GO) env GOROOT)

# The built site. The tests find it here too (or at $BOTTLENECK_DIST).
DIST := site/dist
WASM := $(DIST)/bottleneck.wasm
# The training engine, run in Web Workers (wasm/worker; no ebiten).
ENGINE := $(DIST)/engine.wasm
ADDR ?= localhost:8080

# Brotli quality 11 is what browsers download: about 0.5 MB smaller than
# quality 9 for this wasm, at about a minute per build instead of 15 s. Use
# make site BROTLI_QUALITY=9 for quick local rebuilds.
BROTLI_QUALITY ?= 11
# How long make test fuzzes each target: a count of inputs (about 10 s each
# on the 2-core test machine, baseline coverage included), not a duration. With a duration, Go before
# 1.27 can fail a clean run with "context deadline exceeded" as the time runs
# out (go.dev/issue/75804); a make test run on a clean clone did, with Go
# 1.26.8 and no input written.
FUZZTIME ?= 300000x
BENCHCOUNT ?= 5
# Extra go test flags, e.g. make test TESTFLAGS=-count=1 to bypass the cache.
TESTFLAGS ?=

# The js/wasm target, and a PATH on which go test finds go_js_wasm_exec, the
# Go runner that executes a wasm test binary under Node.
WASM_ENV := GOOS=js GOARCH=wasm
NODE_RUN := PATH="$(GOROOT)/lib/wasm:$$PATH"

# Everything the wasm binary is built from, so that make site only relinks
# when one of them changed. assets/ may hold embedded non-Go files.
WASM_SRCS := go.mod go.sum $(shell find wasm core assets -type f -not -path '*/testdata/*' -not -name '*_test.go' 2>/dev/null)

# deps installs only what is missing, with the same browser lookups as
# site/browser.Chromium and site/browser.Firefox. The Firefox tests run it
# on a virtual display (xvfb), where Mesa's software renderer, which xvfb
# brings, gives it WebGL2. sudo is used only when not running as root.
# nginx (with the brotli_static module) and Caddy serve site/dist in the
# tests that compare them with site.Handler; each test starts its own on a
# loopback port with the generated config, so the services that Debian
# starts on installing them (on port 80) are stopped and disabled again,
# only when deps installed them.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
# Where libnginx-mod-http-brotli-static puts the module (the tests load it).
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so

.PHONY: all deps wasm site serve test bench lighthouse profile-load clean

all: site

deps:
	@missing=""; \
	if ! [ -x /usr/bin/chromium ] && ! command -v chromium >/dev/null && \
	   ! command -v chromium-browser >/dev/null && ! command -v google-chrome >/dev/null; then \
		missing="$$missing chromium"; \
	fi; \
	command -v firefox-esr >/dev/null || command -v firefox >/dev/null || missing="$$missing firefox-esr"; \
	command -v Xvfb >/dev/null || missing="$$missing xvfb"; \
	command -v brotli >/dev/null || missing="$$missing brotli"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	servers=""; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || servers="$$servers nginx"; \
	[ -f $(NGINX_BROTLI) ] || missing="$$missing libnginx-mod-http-brotli-static"; \
	command -v caddy >/dev/null || servers="$$servers caddy"; \
	if [ -n "$$missing$$servers" ]; then \
		echo "deps: installing$$missing$$servers"; \
		$(APT) update; \
		$(APT) install -y --no-install-recommends $$missing $$servers; \
	fi; \
	for s in $$servers; do \
		echo "deps: stopping and disabling the $$s service that installing it may have started"; \
		$(SUDO) systemctl disable --now $$s >/dev/null 2>&1 || $(SUDO) service $$s stop >/dev/null 2>&1 || true; \
	done
	$(GO) mod download

wasm: $(WASM) $(ENGINE)

$(WASM): $(WASM_SRCS)
	@mkdir -p $(DIST)
	$(WASM_ENV) $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm

$(ENGINE): $(WASM_SRCS)
	@mkdir -p $(DIST)
	$(WASM_ENV) $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm/worker

# Precompressed copies for site.Handler, which serves them to browsers that
# accept br or gzip. -n keeps the name and time out of the gzip header, so
# that equal wasm gives equal .gz. brotli copies the wasm's time to the .br
# with whole seconds only, which looks older than the wasm to make, hence
# the touch.
$(DIST)/%.wasm.br: $(DIST)/%.wasm
	brotli -q $(BROTLI_QUALITY) -f -k -o $@ $<
	touch $@

$(DIST)/%.wasm.gz: $(DIST)/%.wasm
	gzip -9 -n -k -f $<

# The static files and wasm_exec.js are copied, and the HTML pages built from
# site/pages's templates, every time: it is cheap, and
# wasm_exec.js must match the Go version that built the wasm. Then
# site/cmd/offline adds the app's icons, its manifest and the service worker
# sw.js, whose precache list and version (a hash of every file) cover all
# that came before, so it runs last but for the compressing. So are their
# precompressed copies made (a second for all of them): on a slow line the
# page's text, about 100 kB, would otherwise share it with the engine's
# download, which the first trained step waits for. Last, once every file is
# there, the static hosts' configurations are written next to them, from the
# header table that site.Handler reads: _headers (Netlify, Cloudflare Pages),
# nginx.conf (a server block) and Caddyfile.
site: $(WASM) $(WASM).br $(WASM).gz $(ENGINE) $(ENGINE).br $(ENGINE).gz
	@test -d site/static || { echo "site: site/static is missing" >&2; exit 1; }
	cp -R site/static/. $(DIST)/
	$(GO) run ./site/cmd/pages -out $(DIST)
	cp "$(GOROOT)/lib/wasm/wasm_exec.js" $(DIST)/wasm_exec.js
	$(GO) run ./site/cmd/offline -dir $(DIST)
	for f in $(DIST)/*.html $(DIST)/*.js $(DIST)/*.css $(DIST)/*.svg; do \
		brotli -q 11 -f -k -o "$$f.br" "$$f"; gzip -9 -n -k -f "$$f"; \
	done
	$(GO) run ./site/cmd/hostconf -dir $(DIST)
	@echo "site: built $(DIST)"

serve: deps site
	$(GO) run ./site/cmd/serve -dir $(DIST) -addr $(ADDR)

# The browser tests in site/ read $(DIST), so test builds the site first.
# The package ./wasm only builds for js/wasm (its files say //go:build js &&
# wasm); the native ./... skips it without a word, so it is vetted as wasm on
# its own. Packages under wasm/ that build natively are tested natively, and
# like core also as js/wasm under Node, where they really run. Last, the URL
# parser, and the protocol's hand-written JSON reader against encoding/json,
# are fuzzed for a short while. The browser tests never come from the
# test cache (-count=1): what they test is the built site, which go test's
# cache does not see. Their timeout is go test's default of 10 minutes
# raised to 30: on a loaded 2-core machine the suite alone has taken 10.
# -fuzzminimizetime=100ms makes the fuzz time count: by default the fuzzer
# minimises every new input it finds for up to a minute, and after a few
# seconds it spends the rest of a short run doing that at 0 execs/s. Not 0:
# with no time to minimise, a run that ends while an input waits for
# minimising fails with "context deadline exceeded" (seen on a clean run).
test: deps site
	$(GO) vet ./...
	$(WASM_ENV) $(GO) vet ./wasm/...
	$(GO) test $(TESTFLAGS) $$($(GO) list ./... | grep -v /site)
	$(GO) test -count=1 -timeout 30m $(TESTFLAGS) ./site/...
	$(NODE_RUN) $(WASM_ENV) $(GO) test $(TESTFLAGS) ./core/... ./wasm/internal/... ./wasm/capacity/... ./wasm/figure/... ./wasm/uikeys/...
	$(GO) test ./core -run='^$$' -fuzz=FuzzParseFragment -fuzztime=$(FUZZTIME) -fuzzminimizetime=100ms
	$(GO) test ./wasm/internal/protocol -run='^$$' -fuzz=FuzzHeadReadsAsEncodingJSON -fuzztime=$(FUZZTIME) -fuzzminimizetime=100ms

# Lighthouse, for BenchmarkLighthouse (site/lighthouse_bench_test.go), which
# audits the pages as a phone would load them. It is installed with npm into
# .cache/lighthouse when missing, at the version the goal was set with
# (12.2.3, which runs on Node 20; Debian's nodejs comes without npm, which is
# then installed too); the benchmark runs it with Chromium.
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE_DIR := .cache/lighthouse
LIGHTHOUSE := $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse

lighthouse: deps
	@if ! [ -x $(LIGHTHOUSE) ] || [ "$$($(LIGHTHOUSE) --version)" != $(LIGHTHOUSE_VERSION) ]; then \
		echo "lighthouse: installing lighthouse@$(LIGHTHOUSE_VERSION) into $(LIGHTHOUSE_DIR)"; \
		command -v npm >/dev/null || { $(APT) update; $(APT) install -y --no-install-recommends npm; }; \
		npm install --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --no-save lighthouse@$(LIGHTHOUSE_VERSION); \
	fi
	@echo "lighthouse: $(LIGHTHOUSE) $$($(LIGHTHOUSE) --version)"

# Benchmarks natively and under Node, to compare the speed of the training
# core in the browser's runtime with the native one, then the browser
# benchmarks of site/ (if any).
bench: deps site lighthouse
	@echo "== core, native ($$($(GO) env GOOS)/$$($(GO) env GOARCH))"
	$(GO) test ./core -run '^$$' -bench . -benchmem -count $(BENCHCOUNT)
	@echo "== core, js/wasm under Node $$(node --version)"
	$(NODE_RUN) $(WASM_ENV) $(GO) test ./core -run '^$$' -bench . -benchmem -count $(BENCHCOUNT)
	@echo "== the capacity explorer's sweep scheduled on 1 and 2 workers, simulated: the bound on BenchmarkCapacityWorkers's speedup"
	$(GO) test ./wasm/capacity -run '^$$' -bench Schedule -benchtime 1x
	@echo "== site (browser): BenchmarkLoad, BenchmarkLoadTrace, BenchmarkCapacityWorkers (and in Firefox), BenchmarkTrainingRate, BenchmarkSoak ($${BOTTLENECK_SOAK:-5m}; set BOTTLENECK_SOAK=30s for a quick look), BenchmarkLighthouse ($${BOTTLENECK_LIGHTHOUSE_RUNS:-3} runs a page)"
	$(GO) test ./site/... -run '^$$' -bench . -timeout 60m

# profile-load shows where the page's main thread spends the time from
# navigation to the first frame (BenchmarkLoadTimeline, V8's profiler). It
# needs the Go function names that make site strips (-s), so it builds the
# app again with them into its own copy of the site, without the
# precompressed app (the server would send that one instead).
PROFILE_DIST := site/dist-profile
profile-load: deps site
	rm -rf $(PROFILE_DIST) && cp -R $(DIST) $(PROFILE_DIST)
	rm -f $(PROFILE_DIST)/bottleneck.wasm.br $(PROFILE_DIST)/bottleneck.wasm.gz
	$(WASM_ENV) $(GO) build -trimpath -o $(PROFILE_DIST)/bottleneck.wasm ./wasm
	BOTTLENECK_DIST=$(PROFILE_DIST) $(GO) test ./site -run '^$$' -bench '^BenchmarkLoadTimeline$$' -benchtime 1x -v

clean:
	rm -rf $(DIST) $(PROFILE_DIST)
