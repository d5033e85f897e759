# Quick start: `make demo` runs the tour; `make test` runs the tests.
# Both set everything up from a fresh clone (a virtualenv in .venv).
# `make lint` checks style, types and the architecture's arrows; `make quick` is the
# edit loop (the tests without the slow ones); `make wheel-check` installs the built
# wheel in a fresh virtualenv and runs it from outside the checkout.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test quick lint wheel-check bench setup clean

$(BIN)/ehtool: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	@touch $@

setup: $(BIN)/ehtool

demo: setup
	$(BIN)/ehtool demo

test: setup
	$(BIN)/python -m pytest -q

quick: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check ehtool tests bench tools
	$(BIN)/ruff format --check ehtool tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

wheel-check: setup
	tools/wheel_check.sh $(PYTHON)

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
