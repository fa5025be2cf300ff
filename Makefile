# Two commands set everything up on a fresh machine:
#   make run   — install into .venv/ and serve the app on the shared corpus (http://127.0.0.1:7860)
#   make test  — install into .venv/ (plus Chromium for the browser tests) and run every test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/govqa: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: the CPU build on disk; an unpinned torch pulls a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/govqa

install: $(BIN)/govqa

# Debian's Chromium for the browser tests (no browser download), and a CJK font so Chinese
# renders in the screenshots
chromium:
	@(command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy) || \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null)

run: install
	HF_HUB_OFFLINE=1 $(BIN)/govqa serve

test: install chromium
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check assistant tests

.PHONY: install chromium run test lint
