# raming: see README.md. Every target works on a fresh machine with Go.
GO      ?= go
OUT     ?= out
ROWS    ?= 11000
SEED    ?= 1

.PHONY: all build run deck test lint golden bench bench-peers fuzz docs clean dist cross test-windows

all: build

## build: bin/raming, statically linked (CGO_ENABLED=0: nothing of the tool
## needs C; a library's import of net would otherwise link libc) and without
## urfave/cli's man-page and Markdown generators (urfave_cli_no_docs: the
## tool does not use them). Both shorten every start (docs/performance.md).
BUILDTAGS ?= urfave_cli_no_docs
build:
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -tags '$(BUILDTAGS)' -o bin/raming .

## run: the main job on the built-in default data (a synthetic 11,000-row
## extract shaped like the deck): out/raming.xlsx and out/raming.json
run: build
	@mkdir -p $(OUT)
	./bin/raming generate --rows $(ROWS) --seed $(SEED) --out $(OUT)/population.csv
	./bin/raming run --scenario deck --population $(OUT)/population.csv --out $(OUT)/raming.xlsx --json $(OUT)/raming.json

## deck: the deck's own figures (no extract): out/deck.xlsx, out/deck.json
deck: build
	@mkdir -p $(OUT)
	./bin/raming run --scenario deck --out $(OUT)/deck.xlsx --json $(OUT)/deck.json
	./bin/raming run --scenario deck-exact --out $(OUT)/deck-exact.xlsx --json $(OUT)/deck-exact.json

## test: formatting, vet and every test (what CI runs)
test: lint
	$(GO) test ./...

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

## golden: accept changed golden files (review the diff first)
golden:
	$(GO) test ./... -update

## bench: print the benchmark figures
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## bench-peers: raming beside the numpy peer and the floor program (their
## folder PEERS, default ../shared/peers), alternating; prints the ratios of
## CPU times and raming's peak memory (docs/performance.md). BENCHFLAGS:
## -runs N, -big (10,000,000 iterations too), -scaling (raming alone).
PEERS ?= ../shared/peers
BENCHFLAGS ?=
bench-peers: build
	$(GO) run ./tools/benchpeers -peers $(PEERS) $(BENCHFLAGS)

## fuzz: fuzz the CSV reader for FUZZTIME (default 2m)
FUZZTIME ?= 2m
FUZZSHORT ?= 5s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime $(FUZZTIME) ./input

## fuzz-short: every fuzz target of the repo for FUZZSHORT each (go test -fuzz
## takes one package and one target at a time, so they are listed first)
.PHONY: fuzz-short
fuzz-short:
	@set -e; for pkg in $$($(GO) list ./...); do \
		list=$$($(GO) test -list '^Fuzz' $$pkg); \
		for target in $$(echo "$$list" | grep '^Fuzz'); do \
			echo "$$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZSHORT) $$pkg; \
		done; \
	done

## dist: release archives for every platform in dist/ (zip for Windows,
## tar.gz otherwise) with SHA256SUMS; the same commit gives the same bytes
dist:
	$(GO) run ./tools/dist -out dist

## cross: build and vet for every platform a release is made for
TARGETS ?= windows/amd64 windows/arm64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64
cross:
	@set -e; for t in $(TARGETS); do \
		echo "build $$t"; \
		CGO_ENABLED=0 GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) build -tags '$(BUILDTAGS)' -o /dev/null . ; \
	done
	GOOS=windows $(GO) vet ./...

## test-windows: the Windows binary under Wine on a scripted set of
## commands (needs wine and gcc-mingw-w64-x86-64; docs/windows.md)
test-windows:
	$(GO) test -tags wine -run TestWindows -count=1 -v .

## docs: regenerate generated documentation
docs:
	$(GO) test ./scenario -run TestReferenceIsCurrent -update
	$(GO) test ./published -run TestReferenceIsCurrent -update

clean:
	rm -rf bin dist $(OUT)
