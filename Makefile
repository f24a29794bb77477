# Cooperation Hub — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# Passed to every command: unless SITE_URL is set, the links in e-mails, feeds
# and the demo's output follow the address served (`PORT=8101 make run`).
export HOST PORT
# Where the site keeps its database, mail and worker files (cooperation_hub/settings.py reads
# HUB_VAR_DIR too): the worker's schedule and log and the banner follow it.
VAR_DIR := $(or $(HUB_VAR_DIR),var)

.PHONY: run test quick install demo worker lint lint-migrations typecheck lock bench services clean messages

# uv installs the locked set (constraints.txt) in seconds, where pip took ~50 s.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $$(grep -oE '^uv==[^ ]+' constraints.txt)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## make run — install, migrate, load the demo, serve on http://127.0.0.1:8000 with a Celery worker
run: $(STAMP)
	@mkdir -p $(VAR_DIR) && printf 'HOST=%s\nPORT=%s\n' '$(HOST)' '$(PORT)' > $(VAR_DIR)/served.env
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Cooperation Hub is starting:"
	@echo "    site   http://$(HOST):$(PORT)/  (French: /fr/, English: /en/)"
	@echo "    admin  http://$(HOST):$(PORT)/admin/  (demo accounts and passwords printed above)"
	@echo "    mail   $(VAR_DIR)/outbox/ (every e-mail the site sends)"
	@echo ""
	@DJANGO_DEBUG=1 bash -c 'trap "kill 0" EXIT INT TERM; \
	  $(BIN)/celery -A cooperation_hub worker --beat --loglevel=warning --pool=solo \
	    --schedule=$(VAR_DIR)/celerybeat-schedule >$(VAR_DIR)/celery.log 2>&1 & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)'

# The tests that matter most to people (hostile input, search answers, page costs, private pages,
# journeys) run on the embedded default as well when the suite itself runs on the services:
# SQLite and database search are what most networks run.
EMBEDDED_TOO := tests/*/test_hostile_input.py tests/experiences/test_import_hostile.py tests/*/test_page_costs.py \
  tests/*/test_private_pages.py tests/search/test_query.py tests/search/test_search_service.py \
  tests/search/test_search_api_and_page.py tests/experiences/test_filters.py tests/experiences/test_map.py \
  tests/cooperation_hub/test_errors.py tests/*/test_browser.py tests/experiences/test_map_browser.py \
  tests/cooperation_hub/test_mobile_browser.py tests/search/test_cross_language.py tests/experiences/test_filter_layer.py \
  tests/cooperation_hub/test_health.py tests/exchanges/test_bad_input.py tests/exchanges/test_access.py \
  tests/exchanges/test_journey_browser.py tests/partnerships/test_api.py tests/contributions/test_resubmission.py \
  tests/backups/test_backup.py tests/cooperation_hub/test_sqlite_concurrency.py

# Two test processes (pytest-xdist), each with its own database, Redis database, index
# prefix and var directory (tests/settings.py); the fault suite's private stack stays in one.
# JOBS=0 runs in one process.
JOBS ?= 2
XDIST := $(if $(filter-out 0,$(JOBS)),-n $(JOBS) --dist loadgroup)

## make test — the whole suite; service-backed tests need the URLs of scripts/services.sh.
## With services configured, a second pass runs EMBEDDED_TOO on the embedded default.
test: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL$$REDIS_URL$$SEARCH_URL" ]; then \
	  echo "== the same journeys and hostile input on the embedded default (SQLite, database search)"; \
	  env -u DATABASE_URL -u REDIS_URL -u SEARCH_ENGINE -u SEARCH_URL HUB_VAR_DIR=$(CURDIR)/var/test-embedded HUB_EMBEDDED_PASS=1 \
	    $(BIN)/python -m pytest -q $(XDIST) $(EMBEDDED_TOO); \
	fi

## make quick — the edit-test loop: no browser, no fault injection, on whatever is configured
quick: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not faults" -x $(XDIST) $(PYTEST_ARGS)

## make messages — update the French catalogues from the code and templates, then compile them
## (tests/cooperation_hub/test_catalogues.py fails on an untranslated or fuzzy entry)
messages: $(STAMP)
	for app in cooperation_hub experiences contributions search subscriptions accounts partnerships exchanges lexicon; do \
	  dir=$$app; [ $$app = cooperation_hub ] && dir=.; \
	  (cd $$dir && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l fr --no-obsolete \
	    $$( [ $$app = cooperation_hub ] && echo "--ignore=experiences --ignore=contributions --ignore=search --ignore=subscriptions --ignore=accounts --ignore=partnerships --ignore=exchanges --ignore=lexicon --ignore=.venv --ignore=var --ignore=tests --ignore=bench" )); \
	done
	$(BIN)/python manage.py compilemessages -l fr --ignore=.venv

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory lint-migrations

## make lint-migrations — no model without its migration, and no migration added since
## cooperation_hub/migrations_baseline.txt that a running site cannot take (django-migration-linter)
lint-migrations: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py lint_migrations

## make typecheck — mypy with django-stubs on the apps ([tool.mypy] in pyproject.toml): a CI gate
## (.ci/run, before the tests), no services needed; ~35 s cold, a few seconds with its cache (var/mypy)
typecheck: $(STAMP)
	$(BIN)/mypy

## make lock — constraints.txt from requirements.txt + requirements-dev.txt (pip-tools), keeping
## the current pins; `make lock UPGRADE=1` moves every package to its newest allowed version
lock:
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --annotation-style=line \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) -o constraints.txt requirements-dev.txt

bench: $(STAMP)
	$(BIN)/python -m bench

services:
	bash scripts/services.sh

clean:
	rm -rf var/ static/
