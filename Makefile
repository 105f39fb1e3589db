# Samverk: two commands set up a fresh machine.
#   make run   – install into .venv, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test  – install into .venv, lint, check migrations, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python manage.py bench $(BENCH_ARGS)
