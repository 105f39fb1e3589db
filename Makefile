# Samverk: two commands set up a fresh machine.
#   make run   – install into .venv, migrate, load demo data, serve on http://127.0.0.1:8000
#                (with the outbox worker that sends e-mail beside it)
#   make test  – install into .venv, lint, check migrations, run the whole test suite
#                (with the browser tests in headless Chromium; bin/ensure-chromium)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench demo worker

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# bin/ensure-pdf-libraries installs Debian's libharfbuzz-subset0 where it can (root + apt-get):
# WeasyPrint then subsets the PDFs' fonts in C, several times faster.
install: $(STAMP)
	bin/ensure-pdf-libraries

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data

run: demo
	VENV=$(VENV) bin/run-dev 127.0.0.1:8000

# The background worker alone (sends queued e-mail), e.g. beside another server.
worker: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py db_worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# bin/ensure-chromium installs Debian's chromium for tests/browser where it can (root + apt-get),
# else says why those tests are skipped.
# bin/ensure-test-services installs the real peers the tests start (xmlsec1 for the SAML IdP,
# dovecot for the reply mailbox, the test OIDC provider's npm packages) where it can.
test: lint
	bin/ensure-chromium
	bin/ensure-test-services
	$(BIN)/pytest $(PYTEST_ARGS)

# manage.py runs `bench` with bench.settings: the bench (bench/) is installed only for it.
bench: install
	$(BIN)/python manage.py bench $(BENCH_ARGS)
