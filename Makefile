# Order-fulfilment dashboard. `make run` serves http://localhost:3000.
SHELL := /bin/bash
PY := .venv/bin/python
# Embedded default: SQLite under data/. Set DATABASE_URL to use another database
# (make run never loads demo data into one: `fulfil seed-demo` does, when asked).
RUN_DB := $(or $(DATABASE_URL),sqlite:///$(CURDIR)/data/dashboard.db)

.PHONY: setup run test bench lint lock

setup:
	@bash scripts/setup.sh

run: setup
	DATABASE_URL="$(RUN_DB)" $(PY) -m dashboard.cli migrate
	DATABASE_URL="$(RUN_DB)" $(PY) -m dashboard.cli seed-demo --if-empty --embedded-only
	@DATABASE_URL="$(RUN_DB)" $(PY) -m dashboard.cli setup-link --base-url http://localhost:3000
	DATABASE_URL="$(RUN_DB)" PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/reflex run --env prod

# Two runs: the browser tests keep Playwright's event loop alive in their process, so
# they get a process of their own; the rest runs on two workers.
test: setup
	PATH="$(CURDIR)/.venv/bin:$$PATH" $(PY) -m pytest tests/ --ignore=tests/e2e -n 2
	PATH="$(CURDIR)/.venv/bin:$$PATH" $(PY) -m pytest tests/e2e

bench: setup
	$(PY) -m bench.run

lint: setup
	.venv/bin/ruff check .

# Re-resolve requirements.lock from pyproject.toml (hashes, Linux x86_64, Python 3.11),
# keeping the locked versions that still fit; UPGRADE=1 moves everything to the newest.
# uv runs from a throwaway venv, never the project's.
UV_VERSION := 0.13.8
LOCK_VENV := $(or $(TMPDIR),/tmp)/fulfil-lockvenv
lock:
	@$(LOCK_VENV)/bin/uv --version 2>/dev/null | grep -qF "uv $(UV_VERSION) " || \
		{ rm -rf "$(LOCK_VENV)" && python3 -m venv "$(LOCK_VENV)" && \
		"$(LOCK_VENV)/bin/pip" install -q "uv==$(UV_VERSION)"; }
	"$(LOCK_VENV)/bin/uv" pip compile pyproject.toml --extra test --generate-hashes \
		--python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
		--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o requirements.lock >/dev/null
