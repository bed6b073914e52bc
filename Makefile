# lapor — common tasks. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_REPORTS ?= 600
# The demo runs with development settings (no secret needed); production sets SECRET_KEY.
DEMO_ENV := DEBUG=1

.PHONY: install demo serve test test-postgres bench clean

$(BIN)/python:
	$(PYTHON) scripts/make_venv.py $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## demo: install, migrate SQLite, load reference and demo data, print log-ins, serve on :8000
demo: install
	$(DEMO_ENV) $(BIN)/lapor migrate --noinput
	$(DEMO_ENV) $(BIN)/lapor reference-data
	$(DEMO_ENV) $(BIN)/lapor routing seed
	$(DEMO_ENV) $(BIN)/lapor demo-accounts
	$(DEMO_ENV) $(BIN)/lapor demo-data --reports $(DEMO_REPORTS) --if-empty
	$(DEMO_ENV) $(BIN)/lapor monitoring-refresh
	$(DEMO_ENV) $(BIN)/lapor serve --host $(HOST) --port $(PORT)

## test: the whole suite on the database named by DATABASE_URL (default: SQLite);
## the set-up installs the browser tests' chromium and axe-core where it can
test: install
	bash scripts/test_setup.sh
	$(BIN)/pytest

## bench: benchmarks (see bench/README.md)
bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var *.egg-info
