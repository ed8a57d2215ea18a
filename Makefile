# Every target sets up .venv itself: a fresh machine needs only Python 3.11 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test check lint rules-check bench clean-outputs

# `make run` needs only the package; `make test` adds the test tools and the Ray extra.
$(BIN)/speechclean: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml $(BIN)/speechclean
	$(BIN)/python -m pip install --quiet -e '.[test,ray]'
	touch $@

## make run: clean seeds/ into clean/ and print the summary
run: $(BIN)/speechclean
	$(BIN)/speechclean clean seeds -o clean

## make test: the whole test suite (ruff, rule examples, tests)
test: $(VENV)/.test-deps
	$(BIN)/ruff check src tests
	$(BIN)/speechclean rules check
	$(BIN)/python -m pytest -q

check: test

lint: $(VENV)/.test-deps
	$(BIN)/ruff check src tests

rules-check: $(BIN)/speechclean
	$(BIN)/speechclean rules check

## make bench: speed of speechclean on a generated 52 MB corpus, next to the floors
## (read + write, decode, OpenCC) and a naive script; writes bench/RESULTS.md
bench: $(VENV)/.test-deps
	test -f bench/corpus/manifest.tsv || (rm -rf bench/corpus && $(BIN)/python bench/make_corpus.py bench/corpus)
	$(BIN)/python bench/run.py bench/corpus --results bench/RESULTS.md
