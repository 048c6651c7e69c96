# Council Data Casebook: the two commands of the README, and their parts.
#   make site   set up, validate the bundled cases, build the site and serve it
#   make test   set up, then run lint and type checks and the whole test suite with coverage
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: site build test lint setup browser clean

$(STAMP): pyproject.toml tests/security-floors.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]' -c tests/security-floors.txt
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(BIN)/casebook serve --dev-addr $(HOST)

build: $(STAMP)
	$(BIN)/casebook build

# The browser tests need Debian's chromium (and Java for the HTML checker);
# scripts/install-test-deps installs whatever is missing.
browser:
	bash scripts/install-test-deps

test: lint browser
	$(BIN)/pytest --cov=generator --cov-report=term

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy generator
	$(BIN)/python scripts/cli_reference.py --check

clean:
	rm -rf site docs/catalogue .pytest_cache .coverage .coverage.*
