# The README's two commands: `make run` (set up, then the main job) and `make test` (set up, then the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup languagetool run test bench docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# LanguageTool assembled from Maven Central into ~/.cache/mail-lint/languagetool (a no-op when cached).
languagetool: setup
	$(BIN)/mail-lint languagetool install

# The main job on embedded defaults: lint the bundled example emails.
run: setup
	$(BIN)/mail-lint check mail_lint/examples/*.eml || [ $$? -eq 1 ]

test: setup languagetool
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info

docs: setup
	$(BIN)/mail-lint rules --update-readme README.md
