# Two commands on a fresh machine (Python 3.11+ with venv):
#   make serve   build the site from seeds/ and preview it with live reload
#   make test    run the whole test suite (installs Debian's Chromium for the browser tests)
# Each creates its own virtual environment in .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test browser bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)  ## preview at http://127.0.0.1:8000, rebuilt when a seed changes
	$(BIN)/mkdocs serve --livereload

build: $(STAMP)  ## seeds/ → content/ → site/, failing on any warning
	$(BIN)/mkdocs build --strict

test: $(STAMP) browser
	$(BIN)/python -m pytest

browser:  ## the browser tests drive Debian's Chromium (playwright cannot download its own here)
	@[ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

bench: $(STAMP)  ## speed and memory on generated corpora (see README)
	$(BIN)/python -m bench

clean:
	rm -rf site .cache bench/out
