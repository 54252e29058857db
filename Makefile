# policybrief: two commands on a fresh machine.
#   make build   set up (.venv, Python packages, system libraries and fonts), build every brief
#   make test    the same set-up plus the checkers, then the whole test suite
# Other targets: make check (validate content), make lint, make bench, make clean.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | sha256sum | cut -c1-12)
SEEDS := ../shared/seeds

.PHONY: build test check lint format bench clean setup setup-test system system-test checkers

build: setup
	$(PY) build.py $(if $(wildcard $(SEEDS)),--sources $(SEEDS),)

test: setup-test
	$(PY) -m ruff check src tests bench build.py
	$(PY) -m ruff format --check src tests bench build.py
	$(PY) -m pytest

check: setup
	$(PY) build.py check $(if $(wildcard $(SEEDS)),--sources $(SEEDS) --strict,)

lint: setup-test
	$(PY) -m ruff check src tests bench build.py

format: setup-test
	$(PY) -m ruff format src tests bench build.py

bench: setup
	$(PY) bench/run.py

setup: system $(STAMP)
setup-test: system-test $(STAMP) checkers

system:
	@bash scripts/system-deps.sh build

system-test:
	@bash scripts/system-deps.sh test

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# The Nu Html Checker (npm's vnu-jar), pinned in package.json / package-lock.json.
checkers: node_modules/vnu-jar/build/dist/vnu.jar

node_modules/vnu-jar/build/dist/vnu.jar: package.json
	npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent
	@touch $@

clean:
	rm -rf output .cache
