# Order-fulfilment dashboard. `make run` serves http://localhost:3000.
SHELL := /bin/bash
PY := .venv/bin/python
# Embedded default: SQLite under data/. Set DATABASE_URL to use another database.
RUN_DB := $(or $(DATABASE_URL),sqlite:///$(CURDIR)/data/dashboard.db)

.PHONY: setup run test bench lint

setup:
	@bash scripts/setup.sh

run: setup
	DATABASE_URL="$(RUN_DB)" $(PY) -m dashboard.cli migrate
	DATABASE_URL="$(RUN_DB)" $(PY) -m dashboard.cli seed-demo --if-empty
	@echo "Open http://localhost:3000 (the origin CORS_ALLOWED_ORIGINS allows by default)"
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
