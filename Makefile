# The README's two commands: `make serve` and `make test`.
# Both build the local virtual environment .venv/ first (only Python 3.10+ needed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build pdf lock clean

$(STAMP): requirements/dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

## Serve the site on http://127.0.0.1:8000, reloading on edits under docs/ and src/.
##   --dirty renders again only the pages an edit touches (hooks/reload.py); figures
##   and notebooks are cached in .cache/rnn-book/ and re-run when what they use changes.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

## Run the whole test suite: package, doctests, chapters, strict build, browser.
test: $(STAMP)
	RNN_BOOK_FRESH=1 $(BIN)/python -m pytest

## Build the site into site/ exactly as the tests and the publishing workflow do.
build: $(STAMP)
	RNN_BOOK_FRESH=1 $(BIN)/mkdocs build --strict

## The whole book as one PDF, site/rnn-book.pdf (needs Chromium; the home page links it).
##   A build of its own, with the one-page book (RNN_BOOK_PDF=1), printed by Chromium.
pdf: $(STAMP)
	$(BIN)/python scripts/make_pdf.py --output site/rnn-book.pdf

## Re-resolve requirements/dev.lock from requirements/dev.in for Python 3.10 and up.
##   (uv is installed into a throwaway environment, .venv-lock/, for this alone.)
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet uv
	UV_PYTHON_DOWNLOADS=never .venv-lock/bin/uv pip compile --universal --python-version 3.10 --no-header \
	  requirements/dev.in pyproject.toml -o requirements/dev.lock

clean:
	rm -rf $(VENV) .venv-lock site test-artifacts
