PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run playground test soak bench lint migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

# Without Slack credentials, `make run` explains what is missing and opens the playground.
run: $(VENV)/.installed
	$(BIN)/giveback run --fallback-playground

playground: $(VENV)/.installed
	$(BIN)/giveback playground

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy bot handlers storage bench
	$(BIN)/python -m pytest

# The reliability suite at larger sizes (more fuzz examples, longer load runs); minutes, not seconds.
soak: $(VENV)/.installed-dev
	GIVEBACK_SOAK=1 $(BIN)/python -m pytest tests/reliability

# Every benchmark against its baseline; rewrites BENCHMARKS.md and bench/results/.
bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run_all

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

migrate: $(VENV)/.installed
	$(BIN)/giveback migrate

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
