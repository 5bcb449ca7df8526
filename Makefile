# PeerPath: `make run` starts it with demo data, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.DEFAULT_GOAL := help
.PHONY: help run test lint pytest lock venv dev-venv demo clean

help:
	@echo "make run    start PeerPath with demo data at http://127.0.0.1:$(PORT)"
	@echo "make test   run the linters and the whole test suite"
	@echo "make lock   re-pin requirements/*.txt after editing requirements/*.in"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PeerPath needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base: requirements/base.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.dev: requirements/base.txt requirements/dev.txt $(VENV)/.base
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	@touch $@

venv: $(VENV)/.base
dev-venv: $(VENV)/.dev

run: $(VENV)/.dev
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py check --database default --fail-level WARNING
	$(BIN)/python manage.py seed_demo --if-empty
	@$(BIN)/python manage.py demo_accounts --url http://127.0.0.1:$(PORT)
	PORT=$(PORT) PYTHONUNBUFFERED=1 $(BIN)/honcho --no-prefix -f Procfile.dev start

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy .
	$(BIN)/djlint --lint templates peerpath
	$(BIN)/djlint --lint --extension html templates
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links dev.in -o dev.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
