# The two README commands:
#   make run    -- local virtualenv, migrate, demo data on first run, serve on 127.0.0.1:8000
#   make test   -- the same virtualenv with the dev tools, ruff, then the whole pytest suite
# Configuration comes from the environment (DATABASE_URL, CELERY_BROKER_URL, ...); without it
# the embedded default is used: SQLite, Celery tasks run in process.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
VENV_PY := $(VENV)/bin/python
# Python 3.11 is what the pinned requirements are verified with; any python3 >= 3.11 works.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)

RUNTIME_STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev
# Demo data is loaded once per database; the stamp is keyed by DATABASE_URL.
SEED_STAMP = $(VENV)/.seeded-$(shell printf '%s' "$$DATABASE_URL" | cksum | cut -d' ' -f1)

RUN_SETTINGS ?= danvan.settings.local
TEST_SETTINGS ?= danvan.settings.test
HOST_PORT ?= 127.0.0.1:8000
PIP := $(VENV_PY) -m pip --disable-pip-version-check --no-input

.PHONY: help run test lint messages worker clean bench soak prod-check audit

help:
	@echo "make run       set up .venv, migrate, load demo data once, serve on http://$(HOST_PORT)/"
	@echo "make test      ruff + the whole pytest suite (browser tests need /usr/bin/chromium)"
	@echo "make lint      ruff check ."
	@echo "make messages  makemessages -l vi + compilemessages (needs gettext)"
	@echo "make worker    a Celery worker (needs CELERY_BROKER_URL)"
	@echo "make clean     remove .venv, caches and generated files (keeps db.sqlite3 and media/)"
	@echo "make bench     every page over HTTP at province scale (SIZE=national), see docs/performance.md"
	@echo "make audit     bandit over the code, pip-audit over requirements.txt (docs/security.md)"
	@echo "make soak      50 simulated people for 10 minutes at province scale, see docs/performance.md"
	@echo "make prod-check  the production stack (gunicorn, worker, beat) smoke-tested over HTTP;"
	@echo "                 needs DATABASE_URL=postgres://... and CELERY_BROKER_URL, see docs/deployment.md"

# --- virtualenv -------------------------------------------------------------------------

$(VENV_PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: neither python3.11 nor python3 was found on PATH." >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: $(PYTHON) is Python $$($(PYTHON) -V 2>&1); Python >= 3.11 is required." >&2; \
	  echo "       Install python3.11 or run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "error: $(PYTHON) cannot create virtualenvs: its venv/ensurepip module is missing." >&2; \
	  echo "       On Debian/Ubuntu: sudo apt-get install python3-venv  (or python3.11-venv)" >&2; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) -c 'import platform; print(platform.python_version())'))"
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)." >&2; exit 1; }

# pip runs again only when a requirements file is newer than its stamp.
$(RUNTIME_STAMP): requirements.txt | $(VENV_PY)
	$(PIP) install -q --progress-bar off -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV_PY)
	$(PIP) install -q --progress-bar off -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

# --- the two README commands ------------------------------------------------------------

run: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
run: $(RUNTIME_STAMP)
	@# A new or emptied default SQLite file means the demo data has to be loaded again.
	@if [ -z "$$DATABASE_URL" ] && [ ! -s db.sqlite3 ]; then rm -f $(SEED_STAMP); fi
	$(VENV_PY) manage.py migrate --noinput
	@if [ ! -f $(SEED_STAMP) ]; then \
	  echo "$(VENV_PY) manage.py seed_demo  (first run only)"; \
	  $(VENV_PY) manage.py seed_demo && touch $(SEED_STAMP); \
	fi
	$(VENV_PY) manage.py runserver $(HOST_PORT)

test: export DJANGO_SETTINGS_MODULE = $(TEST_SETTINGS)
test: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV_PY) manage.py makemigrations --check --dry-run
	@# pytest exits 5 when it collects no test: that is a failure, not a pass.
	@set +e; $(VENV)/bin/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit code 5)" >&2; exit 1; fi; \
	exit $$rc

# --- other targets ----------------------------------------------------------------------

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

# Security checks, docs/security.md. Bandit: every finding is fixed or carries `# nosec <id>`
# with its reason; its warnings about a nosec shared by the pieces of one multi-line SQL
# string are noise and filtered out. pip-audit asks PyPI's JSON API (PIP_AUDIT_SERVICE=osv:
# OSV) about every pinned package and fails on any known vulnerability. A package the
# service cannot answer for (a mirror without the per-version JSON, no internet) is listed
# as NOT CHECKED (with the count) and does not fail the run; PIP_AUDIT_REQUIRED=1 makes it
# fail (.ci/pip_audit.py).
PIP_AUDIT_SERVICE ?= pypi
audit: $(DEV_STAMP)
	set -o pipefail; $(VENV)/bin/bandit -q -r danvan models_registry evaluation awards reports \
	  -c pyproject.toml 2>&1 | { grep -v "nosec encountered" || true; }
	$(VENV_PY) .ci/pip_audit.py $(VENV)/bin/pip-audit requirements.txt $(PIP_AUDIT_SERVICE)

messages: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
messages: $(RUNTIME_STAMP)
	@command -v xgettext >/dev/null && command -v msgfmt >/dev/null || { \
	  echo "error: the gettext tools (xgettext, msgmerge, msgfmt) are missing." >&2; \
	  echo "       On Debian/Ubuntu: sudo apt-get install gettext" >&2; exit 1; }
	$(VENV_PY) manage.py makemessages -l vi --ignore=.venv --ignore=static --ignore=bench
	$(VENV_PY) manage.py compilemessages --ignore=.venv

worker: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
worker: $(RUNTIME_STAMP)
	@[ -n "$$CELERY_BROKER_URL" ] \
	  || grep -qsE '^\s*(export\s+)?CELERY_BROKER_URL\s*=\s*\S' .env \
	  || { echo "error: CELERY_BROKER_URL is not set (e.g. redis://127.0.0.1:6379/0);" \
	       "without a broker the web process runs tasks itself." >&2; exit 1; }
	$(VENV)/bin/celery -A danvan worker -l info

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles .test-media test-results
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# Every page over HTTP beside the floor page (docs/performance.md, "Pages at scale (HTTP)"):
# a throw-away PostgreSQL cluster unless DATABASE_URL is set (needs PostgreSQL's server
# packages), migrate, seed_scale --size $(SIZE), bench/load.py $(BENCH_ARGS).
SIZE ?= province
bench: $(RUNTIME_STAMP)
	PY=$(VENV_PY) SIZE=$(SIZE) bench/run.sh $(BENCH_ARGS)

# A soak (docs/performance.md, "Soak"): the same database as `make bench`, then 50 simulated
# people for 600 s against gunicorn with a Celery worker and beat on a Redis of its own
# (needs redis-server); SOAK_ARGS="--people 10 --seconds 60" for a short one.
soak: $(RUNTIME_STAMP)
	PY=$(VENV_PY) SIZE=$(SIZE) BENCH=soak bench/run.sh $(SOAK_ARGS)

# The production stack as deploy/ runs it (docs/deployment.md, "Checking a deployment"):
# a database of its own beside DATABASE_URL's, migrate, collectstatic, seed_demo,
# check --deploy, gunicorn + a Celery worker + beat, then deploy/smoke.py over HTTP.
prod-check: $(RUNTIME_STAMP)
	$(VENV_PY) deploy/prod_check.py
