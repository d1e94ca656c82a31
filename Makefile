# wuye: `make run` serves the platform with a demo district; `make test` runs the whole suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui fonts-noto-cjk fonts-noto-cjk-extra zbar-tools poppler-utils
# The aliases that map the fonts official documents name (仿宋, 宋体, 方正小标宋简体 …) to Noto Serif CJK SC;
# core/documents/fonts.py hands them to LibreOffice through FONTCONFIG_FILE (no root, no /etc change).
FONT_ALIASES := core/documents/fontconfig/wuye-fonts.conf

.PHONY: run test install system-deps lint imports typecheck typecheck-update check format bench crash clean-db

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/wuye migrate
	$(BIN)/wuye demo
	$(BIN)/wuye run

# The browser, LibreOffice, zbarimg and CJK fonts the tests use (Debian packages; needs root).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (run: sudo make system-deps)"; fi; \
	fi
	@conf=$$(mktemp -d)/fonts.conf; \
	printf '<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><include>%s</include></fontconfig>\n' "$(CURDIR)/$(FONT_ALIASES)" > $$conf; \
	for family in 仿宋 宋体 方正小标宋简体; do \
	  found=$$(FONTCONFIG_FILE=$$conf fc-match -f '%{family[0]}' "$$family" 2>/dev/null); \
	  [ "$$found" = "Noto Serif CJK SC" ] || [ "$$found" = "Noto Serif SC" ] || echo "font alias: $$family resolves to '$$found', not Noto Serif CJK SC (is fonts-noto-cjk installed?)"; \
	done; rm -rf $$(dirname $$conf)

test: install system-deps
	$(BIN)/pytest -n auto --dist worksteal

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Architecture contracts (.importlinter): plugins use only the SDK, duties are independent, the verifier is pure.
imports: install
	$(BIN)/lint-imports

# mypy, held to mypy-baseline.txt, which may only shrink.
typecheck: install
	$(BIN)/python scripts/typecheck.py

typecheck-update: install
	$(BIN)/python scripts/typecheck.py --update

# Everything CI checks before the tests.
check: lint imports typecheck

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done

# The crash suite (scripts/crash.py): the server SIGKILLed under a casting load of thousands of owners,
# on SQLite and PostgreSQL; prints acknowledged vs found and fails on any loss. CI: a short setting.
CRASH_ARGS ?= --voters 3000 --kills 3
crash: install
	$(BIN)/python scripts/crash.py $(CRASH_ARGS)

clean-db:
	rm -rf var/
