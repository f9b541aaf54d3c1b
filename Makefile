# Smart City evaluation portal.
#
#   make run    fresh machine -> environment, database, reference data, demo, server on
#               http://127.0.0.1:8000
#   make test   the whole test suite (on PostgreSQL when DATABASE_URL is set)
#
# A fresh machine needs only Python 3.13 (pyenv selects it through .python-version). The
# first run builds .venv with uv from uv.lock; later runs reuse it until the lock changes.
# `make help` lists every target.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --no-print-directory

PYTHON_VERSION := 3.13
# The interpreter that creates .venv: python3.13 on PATH (pyenv's shim honours
# .python-version), else a pyenv installation, else python3. Override: make PYTHON=/path/...
PYTHON ?= $(firstword $(shell command -v python$(PYTHON_VERSION) 2>/dev/null) \
	$(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION)) python3)
UV_VERSION := 0.13.9

VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful `uv sync`; rebuilt when the dependencies change.
ENV_STAMP := $(VENV)/.make-env
MANAGE := $(BIN)/python manage.py

# pytest-xdist workers. One process is the default: measured on the shared 2-core machines,
# two workers were slower every time (31 tests: 14 s vs 23 s; 210 tests with the admin and
# browser tests: 73 s vs 129 s), as each worker builds its own test database and Chromium.
PYTEST_WORKERS ?= 0
PYTEST_ARGS ?=

# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
HOST_PORT := 127.0.0.1:$(PORT)

# Directories the translation commands must not walk into.
I18N_IGNORE := --ignore='.*' --ignore=static --ignore=staticfiles --ignore=media \
	--ignore=tests --ignore=test-artifacts --ignore=node_modules
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

CHECK_PYTHON = import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(PYTHON_VERSION)".split("."))))

.PHONY: help env run test lint types format migrations-check messages makemessages mutation \
	bench load stack stack-check stack-stop clean clean-db clean-env css lighthouse

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- Environment ----------

env: $(ENV_STAMP) ## Build or update .venv from uv.lock

$(ENV_STAMP): pyproject.toml uv.lock
	@$(PYTHON) -c '$(CHECK_PYTHON)' 2>/dev/null || { \
	  echo "error: Python $(PYTHON_VERSION) is needed; '$(PYTHON) --version' says:" \
	    "$$($(PYTHON) --version 2>&1 | tail -1 || true)" >&2; \
	  echo "       Install it (pyenv install $(PYTHON_VERSION)) or name it:" \
	    "make PYTHON=/path/to/python$(PYTHON_VERSION) ..." >&2; \
	  exit 1; }
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -c '$(CHECK_PYTHON)' || { \
	  echo "error: $(VENV) was built with another Python than $(PYTHON_VERSION);" \
	    "remove it (make clean-env) and run make again." >&2; exit 1; }
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  uv==$(UV_VERSION)
	@# A .venv that is a symbolic link is shared with other checkouts (git worktrees): an
	@# exact sync to this checkout's lock could remove packages another one needs.
	@if [ -L $(VENV) ]; then \
	  echo "$(VENV) links to a shared environment: not syncing it (run $(BIN)/uv sync)."; \
	else \
	  $(BIN)/uv sync --locked; \
	  touch $@; \
	fi

# --- Translations ----------

messages: $(MO_FILES) ## Compile the translations (.po -> .mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(ENV_STAMP)
	$(MANAGE) compilemessages --locale $* $(I18N_IGNORE)

# The admin's date shortcuts in Indonesian (Django's own catalogue lacks a few strings).
locale/%/LC_MESSAGES/djangojs.mo: locale/%/LC_MESSAGES/djangojs.po | $(ENV_STAMP)
	$(MANAGE) compilemessages --locale $* $(I18N_IGNORE)

makemessages: $(ENV_STAMP) ## Collect new UI strings into locale/en/LC_MESSAGES/django.po
	$(MANAGE) makemessages --locale en --no-obsolete --add-location file $(I18N_IGNORE)

# --- The two commands ----------

run: export DEBUG = 1
run: export DEMO_MODE = 1
# Mail is written to files under sent-mail/ (one .log per message) instead of being sent.
run: export EMAIL_BACKEND = file
run: export PORTAL_URL = http://$(HOST_PORT)
run: $(ENV_STAMP) messages ## Migrate, load reference data and demo, serve on 127.0.0.1:8000 with a task worker
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference
	@# load_demo prints the demo logins. A load_demo that is listed but cannot even be loaded
	@# (the code it needs has not landed yet) is reported and skipped; one that fails while
	@# loading stops make run.
	@if ! $(MANAGE) help --commands | grep -x load_demo >/dev/null; then \
	  echo "No load_demo command yet: serving without demo data or demo logins."; \
	elif ! error=$$($(MANAGE) help load_demo 2>&1 >/dev/null); then \
	  echo "WARNING: load_demo cannot be loaded, serving without demo data:" >&2; \
	  echo "$$error" | tail -1 >&2; \
	else \
	  $(MANAGE) load_demo; \
	fi
	@echo
	@echo "Portal: http://$(HOST_PORT)/   admin: http://$(HOST_PORT)/admin/"
	@echo
	@# One task worker (background jobs and periodic jobs, docs/tasks.md) beside the server;
	@# it stops with it (Ctrl+C or any exit) and, like the server, restarts on code changes.
	@# Its own process group (setsid), so that its reloader and the child it restarts stop
	@# together whatever ends the server.
	setsid $(MANAGE) worker & worker=$$!; \
	  trap 'kill -TERM -- -$$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' \
	    EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST_PORT)

test: $(ENV_STAMP) messages ## Run every test (PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# --- Checks ----------

lint: $(ENV_STAMP) ## ruff lint and format check, mypy type check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) types

# mypy with django-stubs ([tool.mypy] in pyproject.toml: the packages, bench/ and tests/).
# Incremental: .mypy_cache keeps what did not change (about 15 s warm, 45 s cold).
types: $(ENV_STAMP) ## mypy type check (django-stubs), zero errors expected
	$(BIN)/mypy

format: $(ENV_STAMP) ## Format and auto-fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(ENV_STAMP) ## Fail when a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

# --- Mutation testing (issue 9) ----------
# Each module against its own fast tests (scripts/mutation.py, README "Mutation testing").
# The targets are variables so they can be repointed (the rights move to QuerySet methods):
#   make mutation MUTATE_RIGHTS=evaluations/access.py MUTATE_RIGHTS_TESTS="tests/..."
# Not in CI: it takes tens of minutes on the shared 2-core machines.
MUTATE_ENGINE ?= evaluations/services/engine.py
MUTATE_ENGINE_TESTS ?= tests/reviewer/test_engine.py tests/reviewer/test_engine_properties.py \
	tests/trust/test_precision.py tests/reviewer/test_engine_rounds.py
MUTATE_RIGHTS ?= evaluations/rights.py
MUTATE_RIGHTS_TESTS ?= tests/security/test_rights_querysets.py
MUTATE_TABULAR ?= smartcity/tabular
MUTATE_TABULAR_TESTS ?= tests/tabular
MUTATION_CHILDREN ?= 2
MUTATION_TARGETS ?= engine rights tabular

mutation: $(ENV_STAMP) ## Mutation testing (mutmut) of the engine, the rights and the spreadsheet module
	@for target in $(MUTATION_TARGETS); do \
	  case $$target in \
	    engine) mutate="$(MUTATE_ENGINE)"; tests="$(MUTATE_ENGINE_TESTS)";; \
	    rights) mutate="$(MUTATE_RIGHTS)"; tests="$(MUTATE_RIGHTS_TESTS)";; \
	    tabular) mutate="$(MUTATE_TABULAR)"; tests="$(MUTATE_TABULAR_TESTS)";; \
	    *) echo "unknown mutation target $$target"; exit 2;; \
	  esac; \
	  $(BIN)/python scripts/mutation.py $$target --children $(MUTATION_CHILDREN) \
	    --mutate $$mutate --tests $$tests; \
	done

# --- Performance (issue 6) ----------
# Both run against a throwaway PostgreSQL under /tmp (bench/pg.sh, 127.0.0.1 only, kept
# between runs with the synthetic national dataset; `bench/pg.sh destroy` removes it).

BENCH_ARGS ?=

bench: $(ENV_STAMP) ## Query counts, server times and sizes of the key pages on national data
	PY=$(BIN)/python bench/bench.sh $(BENCH_ARGS)

load: $(ENV_STAMP) ## 60 s of locust on loopback: 50 readers + 5 reviewers against gunicorn
	@test -x $(BIN)/locust || $(BIN)/uv sync --locked --inexact --group load
	PY=$(BIN)/python loadtest/run.sh

# --- Production stack on loopback (issue 10) ----------
# deploy/ holds the recipes (systemd units, nginx site, environment template); these
# targets run them: PostgreSQL, Redis, an S3 store (moto), two gunicorn app servers, a task
# worker and nginx with TLS, all on 127.0.0.1 (deploy/stack/stack.sh lists the ports).

stack: $(ENV_STAMP) messages ## Bring up the production stack on loopback (https://127.0.0.1:8443/)
	PY=$(BIN)/python deploy/stack/stack.sh start

stack-check: $(ENV_STAMP) messages ## Fresh stack, a journey across both app servers, stop
	PY=$(BIN)/python deploy/stack/stack.sh check

stack-stop: ## Stop the loopback stack
	PY=$(BIN)/python deploy/stack/stack.sh stop

# --- Cleaning ----------

# --- Front-end build and audit tools (npm, pinned in tools/frontend/package-lock.json) ----------

FRONTEND := tools/frontend
FRONTEND_STAMP := $(FRONTEND)/node_modules/.package-lock.json
BOOTSTRAP_CSS := static/vendor/bootstrap-5.3.9/css
ICONS_CSS := static/vendor/bootstrap-icons-1.13.2

$(FRONTEND_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $@

css: $(ENV_STAMP) $(FRONTEND_STAMP) ## Keep only the Bootstrap (+ icons) rules and icon glyphs the portal uses: *.purged.* (commit them)
	rm -rf $(FRONTEND)/out
	$(FRONTEND)/node_modules/.bin/purgecss --config $(FRONTEND)/purgecss.config.cjs --output $(FRONTEND)/out
	@# The full files' source map does not describe the purged copies.
	sed '/sourceMappingURL/d' $(FRONTEND)/out/bootstrap.min.css > $(BOOTSTRAP_CSS)/bootstrap.purged.min.css
	sed '/sourceMappingURL/d' $(FRONTEND)/out/bootstrap-icons.min.css > $(ICONS_CSS)/bootstrap-icons.purged.min.css
	rm -rf $(FRONTEND)/out
	$(BIN)/python scripts/subset_icons.py
	@wc -c $(BOOTSTRAP_CSS)/bootstrap.min.css $(BOOTSTRAP_CSS)/bootstrap.purged.min.css \
	  $(ICONS_CSS)/bootstrap-icons.min.css $(ICONS_CSS)/bootstrap-icons.purged.min.css \
	  $(ICONS_CSS)/fonts/bootstrap-icons.woff2 $(ICONS_CSS)/fonts/bootstrap-icons.purged.woff2

LIGHTHOUSE_PORT ?= 8766

lighthouse: $(ENV_STAMP) messages $(FRONTEND_STAMP) ## Lighthouse mobile scores of five public pages (gunicorn, DEBUG off, demo data)
	PY=$(BIN)/python LIGHTHOUSE_PORT=$(LIGHTHOUSE_PORT) scripts/lighthouse.sh

clean: ## Remove build and test artefacts (keeps .venv and the database)
	rm -rf staticfiles test-artifacts bench-results .pytest_cache .ruff_cache .mypy_cache .hypothesis .mutation
	rm -f $(MO_FILES)
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

clean-db: ## Remove the local SQLite database (make run builds a new one)
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm

clean-env: ## Remove .venv
	rm -rf $(VENV)
