# Two commands on a fresh machine with Python 3.11+:
#   make run   - create/update .venv, install, start the app on the embedded default (example data)
#   make test  - create/update .venv with test extras and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# Only this machine can reach the app by default. To serve others (behind a reverse proxy with TLS,
# see docs/hosting.md): make run ADDRESS=0.0.0.0
ADDRESS ?= 127.0.0.1
# make test runs the suite on every core with pytest-xdist (CI has 2), each test module whole on one
# worker (its module fixtures built once, its tests in order), handed out in collection order so the
# long browser modules start early rather than last (xdist's default sorts by test count);
# --dist loadgroup is not used: with pytest 9.2 it silently ignores the groups (pytest-xdist #1386).
# make test WORKERS=0 runs it in one process. A single test: .venv/bin/python -m pytest
# tests/x.py::test_y (serial; add -n 2 for workers).
WORKERS ?= auto

.PHONY: run test bench clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(PY) -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) --browser.gatherUsageStats false

test: $(VENV)/.test-installed
	$(PY) -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder

bench: $(VENV)/.test-installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) build *.egg-info
