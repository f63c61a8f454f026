# Gongyou: `make run` and `make test` do all the set-up on a fresh clone (Python 3.11+ and make).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
GONGYOU := $(PY) -m gongyou
export PYTHONDONTWRITEBYTECODE = 1

.PHONY: run setup serve test test-sqlite test-postgres lint typecheck check-migrations bench demo-large clean

$(VENV)/.base: requirements/base.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

## run: set up (venv, migrations, reference and demo data, admin) and serve on 127.0.0.1:$${GONGYOU_PORT:-8000}
run: $(VENV)/.base
	$(GONGYOU) setup
	$(GONGYOU) serve

setup: $(VENV)/.base
	$(GONGYOU) setup

## test: the whole suite on SQLite, and on PostgreSQL too when DATABASE_URL is set
test: $(VENV)/.dev
	$(GONGYOU) compile_translations
	env -u DATABASE_URL $(VENV)/bin/pytest -n 2 --dist loadfile
	@if [ -n "$$DATABASE_URL" ]; then echo "== PostgreSQL: $$DATABASE_URL"; $(VENV)/bin/pytest -n 2 --dist loadfile; fi

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check gongyou tests benchmarks scripts conftest.py
	$(VENV)/bin/ruff format --check gongyou tests benchmarks scripts conftest.py
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy gongyou

check-migrations: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=gongyou.config.settings.test $(GONGYOU) makemigrations --check --dry-run

## bench: visit logging and ID lookup against a real server (see benchmarks/README.md)
bench: $(VENV)/.dev
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) var
