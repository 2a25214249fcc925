# unspin — the two entry points are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench resources clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,serve]"
	touch $(STAMP)

## Set up and run the main job on the examples.
run: $(STAMP)
	$(BIN)/unspin check examples/

## Set up and run the test suite (lint first).
test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

## Run one benchmark: make bench NAME=io
bench: $(STAMP)
	$(BIN)/python -m bench $(NAME)

## Rebuild the shipped resources from ../shared (needs Debian's wordnet-base).
resources: $(STAMP)
	$(BIN)/python scripts/build_resources.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
