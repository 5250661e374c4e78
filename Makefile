# HabitDesk developer entry points. Only Python 3.11+ and make are needed.
SHELL := /bin/sh
VENV  := .venv
BIN   := $(VENV)/bin
# The first interpreter found that is 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test test-clocks test-latest test-sync-soak lint lock bench bench-sync bundle clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "HabitDesk needs Python 3.11 or newer on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Everything is installed from the lock files (exact versions and hashes, for
# every platform and Python 3.11+), then HabitDesk itself without touching the
# index. Stamps re-run pip only when a lock file or the project's metadata changes.
# Bytecode is compiled up front: an editable install does not, and the CLI's
# start-up budget has no room for compiling on every run.
LOCKED := --quiet --require-hashes --only-binary :all:
SELF   := --quiet --no-deps --no-build-isolation -e

$(VENV)/.installed-run: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install $(LOCKED) -r requirements.lock
	$(BIN)/python -m pip install $(SELF) .
	$(BIN)/python -m compileall -q habitdesk
	@touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install $(LOCKED) -r requirements-test.lock
	$(BIN)/python -m pip install $(SELF) .
	$(BIN)/python -m compileall -q habitdesk
	@touch $@ $(VENV)/.installed-run

# The whole suite again under moved clocks: a DST change, New Year's Eve, a leap
# day, and the time zones furthest ahead of and oddly offset from UTC. time-machine
# moves the wall clock in the suite and in every Python child it starts
# (tests/support/moved_clock); monotonic time, sleeps and timed waits stay real.
# A test that reads the real date fails here, any day.
CLOCKS := "Europe/Berlin|2027-03-28 01:30:00" "Europe/Berlin|2030-12-31 23:59:00" "UTC|2032-02-29 12:00:00" \
	"Pacific/Kiritimati|2031-07-01 00:10:00" "America/St_Johns|2031-11-02 01:30:00"
test-clocks: $(VENV)/.installed-test
	@set -e; for clock in $(CLOCKS); do \
		zone=$${clock%%|*}; at=$${clock#*|}; echo "== the suite at $$at in $$zone"; \
		TZ=$$zone HABITDESK_MOVED_CLOCK="$$at" QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS); \
	done

# Three computers and one account, many more seeded random scripts than CI runs
# (tests/integration/test_caldav_convergence.py), against Radicale and Xandikos.
SOAK_SEEDS ?= $(shell seq -s, 1 50)
test-sync-soak: $(VENV)/.installed-test
	HABITDESK_CONVERGENCE_SEEDS=$(SOAK_SEEDS) HABITDESK_CONVERGENCE_STEPS=300 QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration/test_caldav_convergence.py

# The app to download and double-click: one folder, HabitDesk/, with the executables
# habitdesk and habitdesk-cli, packed as dist/HabitDesk-<version>-linux-<machine>.tar.gz
# (PyInstaller, from the locked environment; packaging/habitdesk.spec says what goes in).
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' habitdesk/__init__.py)
BUNDLE := dist/HabitDesk-$(VERSION)-linux-$(shell uname -m).tar.gz
bundle: $(VENV)/.installed-test
	rm -rf build/pyinstaller dist/HabitDesk $(BUNDLE)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/habitdesk.spec
	tar -C dist -czf $(BUNDLE) HabitDesk
	@echo "$(BUNDLE): $$(du -h $(BUNDLE) | cut -f1)"

# Refresh both lock files from pyproject.toml's ranges (uv, in a throwaway venv).
UV_VENV := build/uv
lock:
	test -x $(UV_VENV)/bin/uv || { $(or $(PYTHON),python3) -m venv $(UV_VENV) && $(UV_VENV)/bin/python -m pip install --quiet uv; }
	$(UV_VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		pyproject.toml requirements-build.in -o requirements.lock
	$(UV_VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--extra test pyproject.toml requirements-build.in -o requirements-test.lock

# The suite against the newest releases pyproject.toml allows, in its own venv:
# upstream breakage shows here first, while CI stays on the lock.
LATEST := .venv-latest
test-latest:
	rm -rf $(LATEST) && $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade -e '.[test]'
	$(LATEST)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(LATEST)/bin/python -m pytest $(PYTEST_ARGS)

run: $(VENV)/.installed-run
	$(BIN)/habitdesk

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-run
	$(BIN)/python bench/heavy_user.py
	$(BIN)/python bench/import_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bundle.py

# Calendar sync against a local Radicale (a test extra); about five minutes.
bench-sync: $(VENV)/.installed-test
	$(BIN)/python bench/sync.py --quick

clean:
	rm -rf $(VENV) $(LATEST) build *.egg-info .pytest_cache
