# Council Data Casebook: the two commands of the README, and their parts.
#   make site   set up, validate the bundled cases, build the site and serve it
#   make test   set up, then run lint and type checks and the whole test suite with coverage
#   make test-fast   the quick loop: the tests that need no browser and no site build
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: site build test test-fast lint setup browser clean

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

# Three workers on two cores: the tests wait on browsers, servers and subprocesses part of
# the time, and a third worker keeps the CPU busy then (378 s against 404 s with two, side by
# side). Every worker uses the one site the run builds (tests/conftest.py).
test: lint browser
	$(BIN)/pytest -n 3 --cov=generator --cov-report=term

test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q -m "not browser and not site"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy generator
	$(BIN)/python scripts/cli_reference.py --check

clean:
	rm -rf site docs/catalogue .pytest_cache .coverage .coverage.*
