# The README's two commands: `make run` (set up, then the main job) and `make test` (set up, then the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup languagetool run examples test bench docs dist clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# LanguageTool assembled from Maven Central into ~/.cache/mail-lint/languagetool (a no-op when cached).
# Without Java 17+ and Maven it says what is missing and the rest goes on: grammar is then `unavailable`.
languagetool: setup
	-$(BIN)/mail-lint languagetool install

# The main job on embedded defaults: the check service (and LanguageTool) on http://127.0.0.1:8000/,
# with a head-of-sales token printed for the page. Ctrl-C stops it.
run: setup languagetool
	@echo "mail-lint: a head token for the page (new each run): $$($(BIN)/mail-lint token create --role head --email head@localhost | tail -1)"
	$(BIN)/mail-lint serve

# The bundled example emails through the CLI (no service needed).
examples: setup
	$(BIN)/mail-lint check mail_lint/examples/*.eml || [ $$? -eq 1 ]

# Python tests (pytest), then the Outlook add-in's tests (node --test, against the real service).
test: setup languagetool
	$(BIN)/python -m pytest
	PYTHON=$(abspath $(BIN))/python addin/run-tests.sh

bench: setup
	$(BIN)/python bench/throughput.py

# The wheel a server installs (`pip install dist/mail_lint-*.whl`), with the Outlook add-in's files inside.
dist: setup
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	@ls dist/mail_lint-*.whl

clean:
	rm -rf $(VENV) build dist *.egg-info

docs: setup
	$(BIN)/mail-lint rules --update-readme README.md
