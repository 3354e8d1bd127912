# The two commands of the README: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench setup

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

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

bench: $(STAMP)
	$(VENV)/bin/python bench/extract.py
