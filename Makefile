# The whole test suite: what README.md tells a new user to run and what CI runs.
GO ?= go

.PHONY: test test-go test-arm64 test-purego vet bench

test: vet test-go test-purego test-arm64

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

test-go:
	$(GO) test -timeout 20m ./...

# The pure-Go references of every kernel, as users of -tags purego get them.
test-purego:
	$(GO) test -tags purego -timeout 10m ./kernels/... ./tensor/...

# The suite on arm64 (NEON kernels, and the numerics of everything above them,
# since arm64 fuses multiply-adds) under user-mode emulation; skipped when qemu
# is missing. hub is left out: its cross-process lock test starts a child
# process, which emulation cannot run without binfmt.
ARM64_PKGS = $$($(GO) list ./... | grep -v '/hub$$')

test-arm64:
	@if command -v qemu-aarch64-static >/dev/null 2>&1; then \
		GOARCH=arm64 $(GO) test -exec qemu-aarch64-static -timeout 15m $(ARM64_PKGS); \
	else echo "qemu-aarch64-static not installed: skipping arm64 tests"; fi

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...
