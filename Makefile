# ChoSo — the two commands of the README, and a few for working on it.
SHELL := /bin/bash

.PHONY: run dev test build test-swift test-browser screenshot

## Installs what is missing, builds for release (what people use: 5–10× faster than a debug
## build), migrates, seeds the demo and serves on http://127.0.0.1:8080
run:
	@scripts/install-deps.sh run
	swift build -c release
	$$(swift build -c release --show-bin-path)/choso migrate
	$$(swift build -c release --show-bin-path)/choso seed --demo
	$$(swift build -c release --show-bin-path)/choso serve

## The same with a debug build, for working on ChoSo (assertions on, quicker to rebuild)
dev:
	@scripts/install-deps.sh run
	swift build
	$$(swift build --show-bin-path)/choso migrate
	$$(swift build --show-bin-path)/choso seed --demo
	$$(swift build --show-bin-path)/choso serve

## Installs what the tests need and runs every test: Swift suites (SQLite, or PostgreSQL when
## TEST_DATABASE_URL is set), the pages in headless Chromium, and — when BROWSER_DATABASE_URL is a
## PostgreSQL database — two server processes sharing live events.
test:
	@scripts/install-deps.sh test
	@start=$$SECONDS; swift build --build-tests && echo "== build: $$((SECONDS - start)) s"
	@start=$$SECONDS; db=$${TEST_DATABASE_URL:+postgres}; swift test --skip-build && echo "== swift tests ($${db:-sqlite}): $$((SECONDS - start)) s"
	@start=$$SECONDS; scripts/browser-test.sh && echo "== browser test: $$((SECONDS - start)) s"
	@if [[ $${BROWSER_DATABASE_URL:-} == postgres* ]]; then start=$$SECONDS; scripts/two-process-test.sh "$$BROWSER_DATABASE_URL" && echo "== two-process test: $$((SECONDS - start)) s"; fi

build:
	swift build

test-swift:
	swift build --build-tests && swift test --skip-build

test-browser:
	swift build && scripts/browser-test.sh

## Refreshes the README screenshot from the running demo (after `make test-browser`).
screenshot: test-browser
	cp artifacts/screenshots/stall-list.png docs/stall-list.png
