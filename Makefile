# Loket — `make demo` runs it with demo data, `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench messages clean

# Find a Python >= 3.12: python3.13/python3.12 on PATH, else a pyenv version of either.
define find_python
for candidate in python3.13 python3.12; do \
  if command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    echo $$candidate; exit 0; fi; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for version in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])(\.|$$)' | sort -rV); do \
    echo "$$(pyenv root)/versions/$$version/bin/python3"; exit 0; \
  done; \
fi; \
exit 1
endef

install: $(STAMP)

$(STAMP): pyproject.toml
	@python="$$( $(find_python) )" || { echo "make: no Python >= 3.12 found (python3.13, python3.12 or a pyenv version)" >&2; exit 1; }; \
	echo "Using $$($$python --version) at $$python"; \
	test -x $(BIN)/python || "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: install
	LOKET_DEMO=1 $(BIN)/loket demo

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	LOKET_DEMO=1 $(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q
	@if [ -n "$$LOKET_TEST_DATABASE_URL" ]; then \
	  echo "pytest on PostgreSQL"; \
	  DATABASE_URL="$$LOKET_TEST_DATABASE_URL" $(BIN)/pytest -q; \
	fi

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

# Needs GNU gettext; the compiled catalogues are committed, so nobody else does.
messages: install
	cd src/loket && ../../$(BIN)/loket makemessages --all --no-obsolete --no-location --ignore 'migrations/*'
	cd src/loket && ../../$(BIN)/loket compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
