# One-command set-up: `make run` to serve the site, `make test` to run the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Demo settings for local use only; production sets its own (see README).
LOCAL_ENV := DEBUG=1

# The first Python 3.12+ found on PATH or under pyenv.
FIND_PYTHON := for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p; break; fi; done

.PHONY: run worker test install frontend db serve lint format check clean pagecheck

# The background worker (it sends the emails and makes the exports) runs alongside the dev server
# and stops with it. Production runs one per queue (see README).
run: install frontend db
	@$(LOCAL_ENV) $(PY) manage.py run_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Only the background worker: runs queued tasks (emails, exports) from PostgreSQL until stopped.
worker: install
	$(LOCAL_ENV) $(PY) manage.py run_worker --queue-name '*'

test: install frontend
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then echo "Python 3.12 or newer is needed: install it (for example python3.12) and try again." >&2; exit 1; fi; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

frontend: node_modules/.installed static/build/site.css

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed for the front-end build." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/site.css: node_modules/.installed static/scss/site.scss scripts/copy-frontend-assets.mjs
	npm run --silent build

db: install
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py seed_content
	$(LOCAL_ENV) $(PY) manage.py create_demo_staff

# Production-style serving: set SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL first (see README).
serve: install frontend
	$(PY) manage.py collectstatic --no-input
	$(VENV)/bin/gunicorn config.wsgi --config gunicorn.conf.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LOCAL_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

pagecheck:
	../shared/tools/pagecheck/pagecheck --crawl http://127.0.0.1:8000/ --max 200 --exclude '/admin/'

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
