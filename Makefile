# cfit: `make run` to try the site, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The make targets are for development and tests; production sets its own environment.
export DEBUG ?= 1

.PHONY: run test lint format check-python install install-test browser gettext messages migrate demo worker bench load lock clean audit

check-python:
	@scripts/find-python >/dev/null

$(VENV)/bin/python:
	@PYTHON_BIN=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$PYTHON_BIN"; \
	"$$PYTHON_BIN" -m venv $(VENV)

# Installs come from the lock files (exact versions for every machine and CI); the
# project itself goes in last, without resolving anything again. `make lock` refreshes
# the locks after a change to pyproject.toml's dependencies.
$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	@echo "Installing cfit's locked dependencies into $(VENV)"
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	@echo "Installing the locked test tools, the [factors] extra (boaviztapi) and the [scale] extra (RQ, S3) into $(VENV)"
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# The locks say the same version for every package the two share: the runtime lock
# is resolved within the test lock. Universal: one lock for every platform, Python 3.12+.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.12 \
	--no-header --annotation-style line
lock: | $(VENV)/bin/python
	@$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV_COMPILE) pyproject.toml --extra test --extra factors --extra scale -o requirements-test.lock
	$(UV_COMPILE) pyproject.toml -c requirements-test.lock -o requirements.lock
	@echo "Locks refreshed: requirements.lock (site), requirements-test.lock (tests, factors, scale)."
	@echo "Commit both; every machine and CI installs exactly these versions."

# The translation catalogues: .po files are in the repository, .mo files are compiled
# here (Babel, from the lock: no GNU gettext needed) and again whenever a .po changes.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po scripts/compile_messages.py | $(VENV)/.installed
	@$(PY) scripts/compile_messages.py $< $@

install: $(VENV)/.installed $(MO_FILES)

# Bring the catalogues up to date with the marked strings of cfit/ and templates/
# (cfit/lib/tests/test_catalogues.py fails while a marked string is missing).
MESSAGE_LANGUAGES := $(patsubst locale/%/LC_MESSAGES/django.po,%,$(PO_FILES))
messages: install-test
	$(PY) manage.py makemessages $(addprefix -l ,$(MESSAGE_LANGUAGES)) \
	  --ignore='*/tests/*' --ignore=node_modules --ignore=static --ignore=staticfiles \
	  --ignore=bench --ignore=e2e --ignore=scripts --ignore=docs --ignore=media

# The catalogue test runs makemessages, which needs GNU gettext's xgettext.
gettext:
	@if ! command -v xgettext >/dev/null; then \
	  echo "Installing GNU gettext for the catalogue tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext >/dev/null; \
	fi

install-test: $(VENV)/.installed-test $(MO_FILES) browser gettext node_modules/axe-core/axe.min.js

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

node_modules/axe-core/axe.min.js: package.json
	@command -v npm >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm install --no-audit --no-fund --silent
	@touch $@

migrate: install
	@echo "Migrating the database"
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput -v 0
	@echo ""
	@echo "cfit is starting on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	@$(PY) manage.py demo_logins
	@trap 'kill 0' EXIT; \
	  $(PY) manage.py db_worker >/dev/null 2>&1 & \
	  DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# The task worker of the backend that TASKS_BACKEND names; start one on every machine
# that should take tasks (RQ's needs the [scale] extra and TASKS_BROKER_URL).
worker: install
	@case "$${TASKS_BACKEND:-database}" in \
	  rq|django_tasks_rq.RQBackend) exec $(PY) manage.py rqworker --with-scheduler default ;; \
	  *) exec $(PY) manage.py db_worker ;; \
	esac

lint: install-test
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy cfit

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# SKIP_LINT=1: CI's second database runs the same tree its first run linted.
# The suite runs on every core (pytest-xdist; each worker has its own test database and
# browser). TEST_WORKERS=0 runs it in one process. `--dist load` hands each worker its
# tests in pytest-django's order, the tests that commit last: they leave the database
# without migrations' rows until the next one puts them back (work stealing would not).
TEST_WORKERS ?= auto
test: install-test $(if $(SKIP_LINT),,lint)
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies (PyPI's advisory data). --strict:
# a package that could not be checked fails the run, so "unreachable" never reads as "clean".
audit: install-test
	$(VENV)/bin/pip-audit --strict --progress-spinner off --skip-editable

# Benchmarks (never in CI): every figure on SQLite and PostgreSQL at a stated scale,
# written to bench/results/latest.json. BENCH_SCALE=small|default|full (see bench/run.py).
bench: install-test
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py

# Deadline week under faults (see bench/load.py): LOAD_USERS=50 LOAD_SECONDS=120.
load: install-test
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

# Chart.js is committed under static/vendor/ so that `make run` never needs npm;
# `make vendor` refreshes it from the npm registry (CHARTJS_VERSION pins the release).
CHARTJS_VERSION ?= 4.6.1
.PHONY: vendor
vendor:
	@command -v npm >/dev/null || { echo "npm is needed to refresh static/vendor/"; exit 1; }
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent chart.js@$(CHARTJS_VERSION) >/dev/null \
	  && tar xzf chart.js-$(CHARTJS_VERSION).tgz \
	  && sed '/^\/\/# sourceMappingURL=/d' package/dist/chart.umd.min.js > $(CURDIR)/static/vendor/chartjs/chart.umd.min.js \
	  && cp package/LICENSE.md $(CURDIR)/static/vendor/chartjs/LICENSE.md \
	  && echo "Chart.js $(CHARTJS_VERSION) from the npm package chart.js (MIT licence)." > $(CURDIR)/static/vendor/chartjs/VERSION \
	  && rm -rf $$tmp
	@echo "static/vendor/chartjs/ now holds Chart.js $(CHARTJS_VERSION)"
