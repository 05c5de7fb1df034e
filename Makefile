# Tila: the two commands are `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint install messages seed worker clean

$(STAMP): requirements-dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility checks in the browser tests (pinned by package-lock.json).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

## run: install, migrate, seed the demo practice when the database is empty, serve on :8000
## with the background worker beside the server; Ctrl-C stops both.
run: export TILA_SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --address http://$(HOST):$(PORT)
	$(PY) manage.py apply_retention --schedule
	$(PY) manage.py open_evaluations --schedule
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(VENV)/bin/uvicorn tila.asgi:application --host $(HOST) --port $(PORT) --no-server-header --lifespan off

## test: the whole test suite (unit, integration, browser), in TEST_WORKERS processes
TEST_WORKERS ?= 2
test: install $(NODE_STAMP)
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

## lint: formatting, lint, types, migrations, Django's checks
lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy tila tests bench
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING

## check: lint and then the test suite
check: lint test

## messages: extract translatable strings into the .po files and compile them
messages: install
	$(PY) manage.py makemessages --locale fi --locale en --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

worker: install
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) var/static
