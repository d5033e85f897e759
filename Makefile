# Quick start: `make demo` runs the tour; `make test` runs the tests.
# Both set everything up from a fresh clone (a virtualenv in .venv).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test bench setup clean

$(BIN)/ehtool: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

setup: $(BIN)/ehtool

demo: setup
	$(BIN)/ehtool demo

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
