# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi
DEV := APP_ENV=development

.PHONY: install run test test-sqlite test-postgresql lint sbom translations extract-messages \
        chromium postgres bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d peer_groups/translations > /dev/null

## Start the app on SQLite with demo data at http://127.0.0.1:5000
run: install translations
	$(DEV) $(BIN)/flask db upgrade
	$(DEV) $(BIN)/flask seed-demo --if-empty
	$(DEV) $(BIN)/flask run --host 127.0.0.1 --port 5000

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium >/dev/null; }

postgres:
	@pg_isready -q -h 127.0.0.1 || \
	  $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 && exit 0; sleep 1; done; \
	  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r peer_groups -ll -ii

## A CycloneDX bill of materials of what is installed, for audits
sbom: install
	mkdir -p build
	$(BIN)/cyclonedx-py environment $(VENV) -o build/sbom.cdx.json

## The whole suite, on SQLite and then on PostgreSQL
test: install translations chromium postgres lint sbom test-sqlite test-postgresql

test-sqlite:
	TEST_DATABASE=sqlite $(BIN)/pytest -q

test-postgresql:
	TEST_DATABASE=postgresql $(BIN)/pytest -q

extract-messages: install
	$(BIN)/pybabel extract --ignore-dirs ".* build .venv" -F babel.cfg -k _l -k lazy_gettext -o peer_groups/translations/messages.pot .
	$(BIN)/pybabel update -N --ignore-obsolete -i peer_groups/translations/messages.pot -d peer_groups/translations

bench: install translations postgres
	$(BIN)/python -m tests.benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
