PYTHON ?= python3.11
VENV = .venv
PORT ?= 8000
# The live server (reading view's live updates, gunicorn_live.conf.py) beside it, on the next port.
LIVE_PORT ?= $(shell echo $$(($(PORT) + 1)))
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

PY = $(VENV)/bin/python
PGSH = bash scripts/pg.sh
# Read by manage.py only (never by gunicorn), so commands typed in this clone find the database make started.
ENV_FILE ?= .env

export DJANGO_SETTINGS_MODULE = config.settings

# Django commands use the caller's DATABASE_URL if set, else the private cluster that
# `make db` started (its URL is read when the recipe runs, after `db`).
ifdef DATABASE_URL
WITH_DB = true
else
WITH_DB = DATABASE_URL="$$($(PGSH) url)" && export DATABASE_URL
endif

.DEFAULT_GOAL := help
.PHONY: help venv venv-dev db dev-env chromium run test fuzz faults stop lint bench clean

help:
	@echo "make run      migrate, load demo data, serve on 127.0.0.1:$(PORT) with the import worker and live server"
	@echo "make test     ruff + pytest (PYTEST_ARGS=...)"
	@echo "make fuzz     a long schema fuzz of the API (LECTOR_FUZZ_EXAMPLES per operation, default 1000)"
	@echo "make faults   the fault tests at full size (16 annotators x 200 writes, a killed worker, lost connections)"
	@echo "make lint     ruff check + ruff format --check"
	@echo "make bench    every figure beside its floor and goal, against gunicorn (BENCH=bench/x.py for one)"
	@echo "make db       start the private PostgreSQL (unless DATABASE_URL is set)"
	@echo "make stop     stop it"
	@echo "make clean    stop it and delete var/ (keeps .venv)"
	@echo "make venv / venv-dev / chromium"

# --- Python environment --------------------------------------------------------------

venv: $(VENV)/.requirements.stamp
venv-dev: $(VENV)/.requirements-dev.stamp

$(PY):
	@if ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3.11-venv; \
	  else \
	    echo "$(PYTHON) cannot create virtualenvs: sudo apt-get install python3.11-venv" >&2; exit 1; \
	  fi; \
	fi
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(VENV)/.requirements.stamp: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt, so this satisfies `venv` too.
$(VENV)/.requirements-dev.stamp: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.requirements.stamp $@

# --- services ------------------------------------------------------------------------

db:
ifdef DATABASE_URL
	@echo "db: using DATABASE_URL from the environment"
else
	@$(PGSH) start
endif
	@$(MAKE) --no-print-directory dev-env

# DEBUG=1 and the database URL for `.venv/bin/python manage.py ...` typed in this clone.
dev-env:
	@$(WITH_DB) && umask 077 && printf '%s\n' \
	  "# Written by make (run, test, db) for manage.py commands typed in this clone; the environment wins." \
	  "DEBUG=1" "DATABASE_URL=$$DATABASE_URL" > $(ENV_FILE)

stop:
	@$(PGSH) stop

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "$(CHROMIUM) not found: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

# --- app -----------------------------------------------------------------------------

run test: export DEBUG ?= 1

run: venv db
	$(WITH_DB) && $(PY) manage.py migrate --noinput
	$(WITH_DB) && $(PY) manage.py places_load_geonames
	$(WITH_DB) && $(PY) manage.py seed_demo
	@# The import worker and the live server run beside the server and stop with it: on Ctrl-C, or whenever the
	@# server exits.
	$(WITH_DB) && { $(PY) manage.py db_worker --no-reload --interval 0.5 & worker=$$!; \
	  LIVE_PORT=$(LIVE_PORT) $(VENV)/bin/gunicorn -c gunicorn_live.conf.py & live=$$!; \
	  trap 'kill $$worker $$live 2>/dev/null; wait $$worker $$live 2>/dev/null' EXIT INT TERM; \
	  LECTOR_LIVE_URL=http://127.0.0.1:$(LIVE_PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT); }

test: venv-dev db chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_DB) && $(PY) -m pytest $(PYTEST_ARGS)

# The schema fuzz with many more examples per operation and the stateful run (links between operations).
fuzz: export DEBUG ?= 1
fuzz: export LECTOR_FUZZ_EXAMPLES ?= 1000
fuzz: export LECTOR_FUZZ_EXPLORE = 1
fuzz: venv-dev db
	$(WITH_DB) && $(PY) -m pytest tests/api/test_schema_fuzz.py -q $(PYTEST_ARGS)

# `make test` runs tests/faults too, with 50 writes per annotator.
faults: export DEBUG ?= 1
faults: export FAULT_WRITES ?= 200
faults: venv-dev db
	$(WITH_DB) && $(PY) -m pytest tests/faults $(PYTEST_ARGS)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# writes.py first: it times the spans the reading benchmarks then read. support.py and floor.py are not benchmarks.
BENCH ?= $(filter-out bench/support.py bench/floor.py,bench/writes.py bench/reader.py bench/exports.py \
	$(filter-out bench/writes.py bench/reader.py bench/exports.py,$(sort $(wildcard bench/*.py))))
bench: export DEBUG ?= 1
bench: venv-dev db chromium
	@$(WITH_DB) && $(PY) bench/support.py begin && failed="" && \
	for script in $(BENCH); do echo "== $$script"; $(PY) $$script || failed="$$failed $$script"; done; \
	$(PY) bench/support.py summary; \
	if [ -n "$$failed" ]; then echo "failed:$$failed" >&2; exit 1; fi

# destroy also removes a cluster kept outside the repo (see scripts/pg.sh).
clean:
	@$(PGSH) destroy
	rm -rf var $(ENV_FILE)
