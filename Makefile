# Cooperation Hub — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install demo worker lint bench services clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## make run — install, migrate, load the demo, serve on http://127.0.0.1:8000 with a Celery worker
run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Cooperation Hub is starting:"
	@echo "    site   http://$(HOST):$(PORT)/  (French: /fr/, English: /en/)"
	@echo "    admin  http://$(HOST):$(PORT)/admin/  (demo admin printed above)"
	@echo "    mail   var/outbox/ (every e-mail the site sends)"
	@echo ""
	@DJANGO_DEBUG=1 bash -c 'trap "kill 0" EXIT INT TERM; \
	  $(BIN)/celery -A cooperation_hub worker --beat --loglevel=warning --pool=solo \
	    --schedule=var/celerybeat-schedule >var/celery.log 2>&1 & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)'

## make test — the whole suite; service-backed tests need the URLs of scripts/services.sh
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

services:
	bash scripts/services.sh

clean:
	rm -rf var/ static/
