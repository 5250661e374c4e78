# HabitDesk developer entry points. Only Python 3.11+ and make are needed.
SHELL := /bin/sh
VENV  := .venv
BIN   := $(VENV)/bin
# The first interpreter found that is 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test lint bench bench-sync clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "HabitDesk needs Python 3.11 or newer on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run pip only when the project's metadata changes.
# Bytecode is compiled up front: an editable install does not, and the CLI's
# start-up budget has no room for compiling on every run.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q habitdesk
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q habitdesk
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/habitdesk

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports

test: $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-run
	$(BIN)/python bench/heavy_user.py
	$(BIN)/python bench/import_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui.py

# Calendar sync against a local Radicale (a test extra); about five minutes.
bench-sync: $(VENV)/.installed-test
	$(BIN)/python bench/sync.py --quick

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
