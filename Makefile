# The two commands a newcomer needs are `make run` and `make test`; the rest serve developers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SEEDS ?= $(GSX_SEEDS_DIR)
HOST ?= 127.0.0.1:8000

.PHONY: run test deps venv dev-venv migrate demo worker beat serve collectstatic backup restore lint typecheck format bench clean vendor messages compilemessages

run: deps venv migrate demo  ## fresh machine → running portal with demo content
	@echo "Periodic jobs (digests, reminders) need beat or cron: see docs/deploy.md, e.g. '0 6 * * 1 $(CURDIR)/$(PY) $(CURDIR)/manage.py send_digests'"
	DEBUG=1 $(PY) manage.py runserver $(HOST)

test: dev-deps dev-venv node_modules  ## install the dev requirements and run the whole suite
	$(PY) -m pytest $(PYTEST_ARGS)

deps:
	@scripts/install-system-deps.sh

dev-deps:
	@scripts/install-system-deps.sh --dev

# npm packages: axe-core for the accessibility tests, and htmx, served from static/js/vendor/.
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

vendor: node_modules  ## refresh the committed copy of htmx from its npm package
	mkdir -p static/js/vendor && cp node_modules/htmx.org/dist/htmx.min.js static/js/vendor/htmx.min.js

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

venv: $(VENV)/bin/activate
	$(PIP) install -q -r requirements.txt

dev-venv: $(VENV)/bin/activate
	$(PIP) install -q -r requirements-dev.txt

migrate: venv
	DEBUG=1 $(PY) manage.py migrate --no-input

demo: migrate  ## idempotent: a second run updates, never duplicates
	DEBUG=1 $(PY) manage.py load_demo
	@# With GSX_SEEDS_DIR set, the real summaries too: import_summary finds an earlier import of the
	@# same text, so a second run changes nothing.
	@if [ -n "$(SEEDS)" ]; then for f in "$(SEEDS)"/*.txt; do [ -f "$$f" ] || continue; \
		echo "import_summary $$f"; DEBUG=1 $(PY) manage.py import_summary "$$f" --publish || exit 1; done; fi

# Production on this machine: gunicorn, a worker and beat from the Procfile, DEBUG off. Needs
# DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, SECRET_KEY and SITE_URL in the environment (or in
# a .env file, which honcho reads). Mail goes to files under var/mail unless EMAIL_BACKEND says.
PORT ?= 8000
PROD = DEBUG=0 EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}" $(VENV)/bin/honcho run
serve: venv
	@for v in DATABASE_URL CELERY_BROKER_URL SECRET_KEY SITE_URL; do \
		if [ -z "$$(printenv $$v)" ] && ! grep -qs "^$$v=" .env; then echo "make serve needs $$v (README, docs/deploy.md)"; exit 1; fi; done
	$(PROD) $(PY) manage.py migrate --no-input
	$(PROD) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(PROD) $(VENV)/bin/honcho start --procfile Procfile --port $(PORT)

collectstatic: venv  ## hashed, compressed static files into STATIC_ROOT, served by whitenoise
	$(PROD) $(PY) manage.py collectstatic --no-input

# A timestamped archive of the database, EVIDENCE_ROOT and MEDIA_ROOT (rendered PDFs are a cache).
BACKUP_DIR ?= var/backups
backup: venv
	$(VENV)/bin/honcho run env DEBUG=1 $(PY) manage.py backup --output-dir $(BACKUP_DIR)

restore: venv  ## make restore FILE=var/backups/gsx-....tar.gz, into an empty database
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/gsx-backup.tar.gz"; exit 1; }
	$(VENV)/bin/honcho run env DEBUG=1 $(PY) manage.py restore "$(FILE)"

worker:  ## a Celery worker (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A gsx_portal worker -Q celery,pdf --concurrency 2 --prefetch-multiplier 1 --loglevel INFO

beat:  ## the Celery beat scheduler (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A gsx_portal beat --loglevel INFO

lint: dev-venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: dev-venv
	DEBUG=1 $(VENV)/bin/mypy .

format: dev-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Translations: re-extract the French and Russian catalogues after adding strings, translate every
# new or fuzzy entry in locale/*/LC_MESSAGES/django.po (a test refuses gaps), then compile.
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench
messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l fr -l ru $(MAKEMESSAGES_IGNORE) --no-obsolete

compilemessages: venv  ## the .mo files the portal reads, from the .po catalogues
	DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV)

bench: dev-venv
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf var/gsx.sqlite3 var/media
