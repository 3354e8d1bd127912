# The two commands of the README: `make demo` and `make test`. Both build .venv first.
# `make serve`: the samples in a database, shown by the dashboard at http://127.0.0.1:8000/.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench bench-serve serve setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[model,serve,postgres,dev]"
	# the gazetteer index is built once from the installed GeoNames packages (~30 s)
	$(VENV)/bin/python scripts/build_data/places_build_index.py
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/sitroom extract samples/* --format summary

# the browser tests use the system's Chromium (Debian: apt-get install chromium; .ci/run does) and skip without it
test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

serve: $(STAMP)
	$(VENV)/bin/sitroom ingest samples/ --db demo.duckdb
	$(VENV)/bin/sitroom serve --db demo.duckdb

bench: $(STAMP)
	$(VENV)/bin/python bench/extract.py

bench-serve: $(STAMP)
	$(VENV)/bin/python bench/serve.py
