# The two commands the README promises: `make edition` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: edition test venv validate bench screenshots clean

$(BIN)/edition: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,cjk]'
	@touch $@

venv: $(BIN)/edition

## Set everything up and build the bundled edition (validate, web, PDF).
edition: venv
	$(BIN)/edition build

## The whole test suite.
test: venv
	$(BIN)/python -m pytest -q

validate: venv
	$(BIN)/edition validate

bench: venv
	$(BIN)/python bench/run.py
	$(BIN)/python bench/import_eval.py
	$(BIN)/python bench/facsimiles.py

## PNGs of every page type (desktop, phone) and of the book's pages, outside the repository
## (OUT=DIR to choose where; default: edition-screenshots in the temporary folder).
screenshots: venv
	$(BIN)/python tools/screenshots.py $(if $(OUT),--out $(OUT))

clean:
	rm -rf _build .edition-cache
