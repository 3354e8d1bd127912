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
	$(VENV)/bin/pip install --quiet -e ".[model,serve,postgres,dask,dev]"
	# the gazetteer index is built once from the installed GeoNames packages (~30 s)
	$(VENV)/bin/python scripts/build_data/places_build_index.py
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/sitroom extract samples/* --format summary

# the dashboard's browser tests drive the system's Chromium (nothing is downloaded at test time):
# installed from Debian's packages when missing and we may (root); without it they skip, saying why
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else echo "note: $(CHROMIUM) missing and not root: the browser tests will skip (apt-get install chromium)"; fi

test: $(STAMP) $(CHROMIUM)
	$(VENV)/bin/python -m pytest -q

serve: $(STAMP)
	$(VENV)/bin/sitroom ingest samples/ --db demo.duckdb
	$(VENV)/bin/sitroom serve --db demo.duckdb

bench: $(STAMP)
	$(VENV)/bin/python bench/extract.py

bench-serve: $(STAMP)
	$(VENV)/bin/python bench/serve.py
