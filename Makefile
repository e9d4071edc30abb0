# The two commands the README promises: `make edition` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: edition test venv axe validate bench screenshots clean

$(BIN)/edition: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,cjk]'
	@touch $@

venv: $(BIN)/edition

## Set everything up and build the bundled edition (validate, web, PDF).
edition: venv
	$(BIN)/edition build

## The whole test suite, one worker per core (pytest-xdist); a test file stays in one worker, so that
## its module fixtures (a built edition, a browser) are made once.
test: venv axe
	$(BIN)/python -m pytest -q -n auto --dist loadfile

## axe-core (npm) for the accessibility tests; without npm they are skipped with the reason.
AXE := tests/a11y/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/a11y/package.json
	-command -v npm >/dev/null && npm install --prefix tests/a11y --no-audit --no-fund --silent && touch $@

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
