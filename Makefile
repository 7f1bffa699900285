# msap — the two commands are `make demo` and `make test` (see README).
SHELL := /bin/bash
PORT ?= 8000
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
# A Python >= 3.12 of the machine (scripts/find-python); when there is none (Debian 12 ships
# 3.11), uv installs a managed one: the only step allowed to download a Python. PYTHON_BIN= or
# FIND_PYTHON=false forces that path (make -n -W pyproject.toml install shows it).
FIND_PYTHON ?= scripts/find-python
MANAGED_PYTHON := 3.12
ifeq ($(origin PYTHON_BIN),undefined)
PYTHON_BIN := $(shell $(FIND_PYTHON) 2>/dev/null)
endif
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
VENV_PY := .venv/bin/python
# The PostgreSQL run's database: MSAP_DATABASE_URL (or the former DATABASE_URL) of the caller.
PG_URL ?= $(or $(MSAP_DATABASE_URL),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/msap)

.PHONY: install system-deps demo serve test test-sqlite test-pg fuzz lint format check bench-desk messages

# uv is bootstrapped with pip into .tools/ when the machine has none.
$(UV):
	@python3 -m pip --version >/dev/null 2>&1 || { echo "pip is missing: install python3-pip"; exit 1; }
	python3 -m pip install --quiet --target .tools/lib uv
	mkdir -p .tools/bin && ln -sf ../lib/bin/uv .tools/bin/uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
ifeq ($(PYTHON_BIN),)
	@echo "No Python ≥ 3.12 found on this machine: uv will install a managed Python $(MANAGED_PYTHON) into $$($(UV) python dir)"
	UV_PYTHON_DOWNLOADS=manual $(UV) python install $(MANAGED_PYTHON)
	$(UV) sync --frozen --managed-python --python $(MANAGED_PYTHON)
else
	$(UV) sync --frozen --python "$(PYTHON_BIN)"
endif
	touch $@

install: .venv/.installed

# Pango (PDFs) and Chromium (browser tests) from Debian: installed when root or with sudo that
# asks no password, else the exact command to run (scripts/system-deps; MSAP_SKIP_BROWSER=true).
system-deps:
	@scripts/system-deps

demo: install
	@scripts/system-deps --no-browser
	MSAP_DEMO=true $(VENV_PY) -m msap migrate --noinput
	MSAP_DEMO=true $(VENV_PY) -m msap collectstatic --noinput -v0
	MSAP_DEMO=true $(VENV_PY) -m msap demo
	@# One task worker beside the server (mails, webhooks). A background job of this shell ignores
	@# Ctrl-C, so the trap stops it (SIGTERM: it finishes its task) when gunicorn has stopped.
	@MSAP_DEMO=true $(VENV_PY) -m msap worker --verbosity 0 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "msap worker: pid $$worker (stopped with the server)"; \
	MSAP_DEMO=true .venv/bin/gunicorn msap.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile -

test: install system-deps test-sqlite test-pg

# Test mode (MD5 hasher, no lockout) comes from tests/settings.py, so a bare `pytest` has it too.
# Browser tests run apart: their live server empties the database after each test.
test-sqlite: install system-deps
	MSAP_DATABASE_URL= $(VENV_PY) -m pytest -q -n 2 -m "not browser"
	rm -f var/test-browser.sqlite3*
	MSAP_DATABASE_URL= MSAP_TEST_DB_NAME=var/test-browser.sqlite3 $(VENV_PY) -m pytest -q -p no:xdist -m browser --create-db

# PostgreSQL runs when one answers; with CI=true a missing server is a failure, not a skip.
test-pg: install system-deps
	@if $(VENV_PY) scripts/pg_ready.py "$(PG_URL)"; then \
	  MSAP_DATABASE_URL="$(PG_URL)" $(VENV_PY) -m pytest -q -n 2 -m "not browser"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL does not answer at $(PG_URL) and CI=true"; exit 1; \
	else echo "PostgreSQL does not answer at $(PG_URL): PostgreSQL run skipped"; fi

# Schemathesis against the real API (tests/fuzz): stateless and stateful, bounded (about a
# minute per database), failing on any 5xx or schema violation. SQLite, then PostgreSQL when one
# answers (with CI=true a missing server is a failure).
fuzz: install
	MSAP_DATABASE_URL= $(VENV_PY) -m pytest -q -p no:xdist -m fuzz tests/fuzz
	@if $(VENV_PY) scripts/pg_ready.py "$(PG_URL)"; then \
	  MSAP_DATABASE_URL="$(PG_URL)" $(VENV_PY) -m pytest -q -p no:xdist -m fuzz tests/fuzz; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL does not answer at $(PG_URL) and CI=true"; exit 1; \
	else echo "PostgreSQL does not answer at $(PG_URL): PostgreSQL fuzzing skipped"; fi

# Tools that load the settings without serving anything run in test mode (the demo key).
lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(VENV_PY) scripts/check_local_imports.py
	MSAP_TESTING=true $(VENV_PY) -m msap makemigrations --check --dry-run

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages: install
	MSAP_TESTING=true $(VENV_PY) -m msap makemessages -l en --ignore=.venv --ignore=.tools --ignore=tests --ignore=bench --no-location
	MSAP_TESTING=true $(VENV_PY) -m msap compilemessages --ignore=.venv --ignore=.tools
	$(VENV_PY) scripts/check_translations.py

# The attendance tool's recording benchmark (bench/README.md): the real server on a throwaway
# PostgreSQL database (MSAP_BENCH_DATABASE_URL, default msap_bench on 127.0.0.1); it reports
# figures and does not fail on a missed target. Options: make bench-desk BENCH_ARGS="--steady 60".
bench-desk: install
	$(VENV_PY) -m bench.desk $(BENCH_ARGS)

# The registers' benchmark (bench/README.md): 1 million register items across ~2,800 houses on a
# throwaway PostgreSQL database (MSAP_BENCH_REGISTERS_DATABASE_URL, default msap_bench_registers
# on 127.0.0.1, created then dropped); prints figures and targets, never fails on a missed target.
# Options: make bench-registers BENCH_REGISTERS_ARGS="--items 200000 --repeat 200".
.PHONY: bench-registers
bench-registers: install
	$(VENV_PY) -m bench.registers $(BENCH_REGISTERS_ARGS)

# The webhooks' queue benchmark (bench/README.md): 10,000 events delivered by real `msap worker`
# processes to a local receiver, on a throwaway PostgreSQL database
# (MSAP_BENCH_WEBHOOKS_DATABASE_URL, default msap_bench_webhooks on 127.0.0.1, created then
# dropped); prints figures, never fails on one. Options: BENCH_WEBHOOKS_ARGS="--workers 2".
.PHONY: bench-webhooks
bench-webhooks: install
	$(VENV_PY) -m bench.webhooks $(BENCH_WEBHOOKS_ARGS)

# The partners' benchmark (bench/README.md): the next 10 free slots of a partner across a
# département's houses among 100,000 appointments and a year of slots, against an indexed
# query's baseline, on a throwaway PostgreSQL database (MSAP_BENCH_PARTNERS_DATABASE_URL, default
# msap_bench_partners on 127.0.0.1, created then dropped), then bench-webhooks' queue figures;
# prints figures, never fails on one. Options: BENCH_PARTNERS_ARGS="--repeat 100 --skip-queue".
.PHONY: bench-partners
bench-partners: install
	$(VENV_PY) -m bench.partners $(BENCH_PARTNERS_ARGS)

# The public site's benchmark (bench/README.md): `msap import_sites` of a generated national list
# of 2,800 sites, then a house's page and the commune search through gunicorn on 127.0.0.1,
# cache on (Redis) and off, beside a static file of the same server; on a throwaway PostgreSQL
# database (MSAP_BENCH_PUBLIC_DATABASE_URL, default msap_bench_public on 127.0.0.1, created then
# dropped); prints figures, never fails on one. Options: BENCH_PUBLIC_ARGS="--seconds 30".
.PHONY: bench-public
bench-public: install
	$(VENV_PY) -m bench.public $(BENCH_PUBLIC_ARGS)
