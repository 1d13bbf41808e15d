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
	$(PY) -m pytest

bench: $(VENV)/.test-installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) build *.egg-info
