# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi
DEV := APP_ENV=development
PORT ?= 5000

.PHONY: install run test test-sqlite test-postgresql lint lock sbom audit translations \
        extract-messages chromium postgres bench wrk lighthouse java vnu clean sso-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Everything, transitive dependencies and the build backend included, from the hashed lock file;
# then the project itself, without looking for anything more.
$(VENV)/.installed: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d peer_groups/translations > /dev/null

## Start the app on SQLite with demo data at http://127.0.0.1:$(PORT) (`make run PORT=5050`)
run: install translations
	$(DEV) $(BIN)/flask db upgrade
	$(DEV) $(BIN)/flask seed-demo --if-empty
	@# The outbox worker beside the server, so sign-in links arrive in seconds; stopped with it.
	$(DEV) $(BIN)/flask outbox work & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(DEV) $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium >/dev/null; }

postgres:
	@pg_isready -q -h 127.0.0.1 || \
	  $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 && exit 0; sleep 1; done; \
	  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1

# The scale-out tests need Redis (shared rate limits); start it as this machine's services do.
redis:
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq redis-server >/dev/null; }
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
	    --dir /tmp --logfile /tmp/peer-groups-redis.log
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 0.2; done; \
	  echo "Redis did not start on 127.0.0.1:6379" >&2; exit 1

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r peer_groups -ll -ii

## Refresh the lock files after changing a pin in pyproject.toml (then `make install`):
## requirements.lock for production, requirements-dev.lock with the test tools
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --build-deps-for editable
lock: install
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra test --output-file requirements-dev.lock pyproject.toml

## A CycloneDX bill of materials of the lock file, for audits
sbom: install
	mkdir -p build
	$(BIN)/cyclonedx-py requirements requirements.lock -o build/sbom.cdx.json

## Known vulnerabilities in the installed dependencies. Not part of `make test`: it needs
## PyPI's advisory data, and --strict makes it fail when that cannot be reached instead of
## reporting a false "No known vulnerabilities found" (see SECURITY.md).
AUDIT_VENV := build/audit-venv
audit: install
	mkdir -p build
	$(BIN)/pip freeze --exclude-editable > build/requirements-frozen.txt
	@[ -x $(AUDIT_VENV)/bin/pip-audit ] || { $(PYTHON) -m venv $(AUDIT_VENV) && \
	  $(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1; }
	$(AUDIT_VENV)/bin/pip-audit --strict --disable-pip --no-deps --progress-spinner off \
	  -r build/requirements-frozen.txt || { echo "make audit: NOT a pass. Either the lines \
	above list vulnerabilities, or 'could not be audited' means PyPI's advisory data was \
	out of reach from this network (see SECURITY.md)." >&2; exit 1; }

## The whole suite, on SQLite and then on PostgreSQL
test: install translations chromium postgres redis vnu lint sbom test-sqlite test-postgresql

# The SQLite run also checks every page the browser and access tests saw with the Nu HTML
# Checker (tests/nu); the pages are the same on PostgreSQL, so that run does not repeat it.
# Both halves run on every core (pytest-xdist, one worker a core: `make test WORKERS=1` for one).
WORKERS ?= auto
test-sqlite: vnu
	TEST_DATABASE=sqlite HTML_CHECK=required $(BIN)/pytest -q -n $(WORKERS)

test-postgresql:
	TEST_DATABASE=postgresql $(BIN)/pytest -q -n $(WORKERS)

extract-messages: install
	$(BIN)/pybabel extract --ignore-dirs ".* build .venv" -F babel.cfg -k _l -k lazy_gettext -k _param:3 -o peer_groups/translations/messages.pot .
	$(BIN)/pybabel update -N --ignore-obsolete -i peer_groups/translations/messages.pot -d peer_groups/translations

## The bench dataset on SQLite and PostgreSQL under gunicorn: wrk, queries, bytes, Lighthouse
## (a part: make bench BENCH="--database sqlite --pages meeting --seconds 5"; see RESULTS.md)
bench: install translations postgres chromium wrk lighthouse
	$(BIN)/python -m tests.benchmarks $(BENCH)

wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq wrk >/dev/null; }

# Lighthouse from npm, pinned (with its lockfile) to the newest version that runs on Node 20.
LIGHTHOUSE := build/lighthouse/node_modules/.bin/lighthouse
lighthouse: $(LIGHTHOUSE)
$(LIGHTHOUSE): tests/benchmarks/package.json tests/benchmarks/package-lock.json
	mkdir -p build/lighthouse
	cp tests/benchmarks/package.json tests/benchmarks/package-lock.json build/lighthouse/
	npm ci --prefix build/lighthouse --no-audit --no-fund --loglevel=error
	touch $@

java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; }

# The Nu HTML Checker: the validator team's vnu.jar from npm, pinned with its lockfile. Its
# install script would fetch a Java of its own; the machine's Java (`make java`) runs it.
VNU := build/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu: java $(VNU)
$(VNU): tests/nu/package.json tests/nu/package-lock.json
	mkdir -p build/vnu
	cp tests/nu/package.json tests/nu/package-lock.json build/vnu/
	npm ci --prefix build/vnu --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis

## A single sign-on provider for the demo: oidc-provider-mock on http://127.0.0.1:9400, which the
## demo's Päijät-Häme is connected to (`flask seed-demo`). Run it beside `make run`; its sign-in
## page lists demo staff (ohjaaja1.ph with multi-factor, koordinaattori.ph without).
SSO_DEMO_USERS := \
  --user-claims '{"sub": "ohjaaja1.ph@example.fi", "email": "ohjaaja1.ph@example.fi", "email_verified": true, "amr": ["pwd", "mfa"]}' \
  --user-claims '{"sub": "koordinaattori.ph@example.fi", "email": "koordinaattori.ph@example.fi", "email_verified": true, "amr": ["pwd"]}' \
  --user-claims '{"sub": "ohjaaja1.lu@example.fi", "email": "ohjaaja1.lu@example.fi", "email_verified": true, "amr": ["mfa"]}'
sso-demo: install
	$(BIN)/oidc-provider-mock --host 127.0.0.1 --port 9400 $(SSO_DEMO_USERS)
