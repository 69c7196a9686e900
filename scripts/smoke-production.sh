#!/usr/bin/env bash
# Production smoke test: `make serve` (gunicorn, a Celery worker, beat) with DEBUG off on
# PostgreSQL and Redis, then a second web process whose cache and broker point at a closed port.
#
#   DATABASE_URL=postgres://…/gsx CELERY_BROKER_URL=redis://…/0 REDIS_URL=redis://…/1 \
#     SMOKE_PORT=8130 SMOKE_CLOSED_PORT=8139 scripts/smoke-production.sh
#
# It uses a database of its own, "<name of DATABASE_URL's database>_smoke", dropped and created
# afresh, and a temporary folder for static, media, PDFs, evidence and mail. Every process it
# starts is stopped on exit, whether the test passed or not. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

: "${DATABASE_URL:?needs DATABASE_URL (PostgreSQL)}"
: "${CELERY_BROKER_URL:?needs CELERY_BROKER_URL (Redis)}"
: "${REDIS_URL:?needs REDIS_URL (Redis)}"
PORT="${SMOKE_PORT:-8130}"
SECOND_PORT="${SMOKE_SECOND_PORT:-$((PORT + 1))}"
CLOSED_PORT="${SMOKE_CLOSED_PORT:-$((PORT + 9))}"
PY=.venv/bin/python

base_url="${DATABASE_URL%/*}"
smoke_db="${DATABASE_URL##*/}_smoke"
export DATABASE_URL="$base_url/$smoke_db"
var_dir="$(mktemp -d /tmp/gsx-smoke.XXXXXX)"
pids=()
db_host=$($PY -c "import urllib.parse as u,sys; print(u.urlsplit(sys.argv[1]).hostname or '127.0.0.1')" "$DATABASE_URL")
db_port=$($PY -c "import urllib.parse as u,sys; print(u.urlsplit(sys.argv[1]).port or 5432)" "$DATABASE_URL")
db_user=$($PY -c "import urllib.parse as u,sys; print(u.urlsplit(sys.argv[1]).username or 'postgres')" "$DATABASE_URL")

cleanup() {
  status=$?
  phase "stopping"
  for pid in "${pids[@]}"; do
    # Each server runs in its own session: signal the whole group (honcho, gunicorn, celery).
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    echo "== smoke failed; the servers' last lines:"
    tail -n 40 "$var_dir"/serve.log "$var_dir"/second.log 2>/dev/null || true
  fi
  dropdb --if-exists -h "$db_host" -p "$db_port" -U "$db_user" "$smoke_db" 2>/dev/null || true
  rm -rf "$var_dir"
  echo "== production smoke: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started )) s"
  exit "$status"
}
trap cleanup EXIT
phase() { echo "-- $(( $(date +%s) - started )) s: $*"; }
trap 'exit 130' INT TERM


for port in "$PORT" "$SECOND_PORT" "$CLOSED_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use"; exit 1; fi
done

# The production environment, as docs/deploy.md's environment file sets it (plain http here:
# no TLS proxy on a CI machine, so no redirect and no Secure cookies).
export DEBUG=0
SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
export SECRET_KEY
export SITE_URL="http://127.0.0.1:$PORT"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$var_dir/mail"
export GSX_VAR_DIR="$var_dir" STATIC_ROOT="$var_dir/static" MEDIA_ROOT="$var_dir/media"
export PUBLICATIONS_ROOT="$var_dir/publications" EVIDENCE_ROOT="$var_dir/evidence"
export WEB_CONCURRENCY=2 GUNICORN_THREADS=4 WORKER_CONCURRENCY=2 PYTHONUNBUFFERED=1
unset PYTEST_VERSION GSX_REQUIRE_SERVICES

echo "== production smoke on $smoke_db, web :$PORT, second web :$SECOND_PORT, closed port :$CLOSED_PORT"
dropdb --if-exists -h "$db_host" -p "$db_port" -U "$db_user" "$smoke_db"
createdb -h "$db_host" -p "$db_port" -U "$db_user" "$smoke_db"
phase "migrate"
$PY manage.py migrate --no-input --verbosity 0
# Errors stop here; gsx.W001 (mail to files, not delivered) is expected on a CI machine.
$PY manage.py check
$PY manage.py load_demo >/dev/null
vienna=""
for seed in "${GSX_SEEDS_DIR:?needs GSX_SEEDS_DIR}"/*.txt; do
  slug=$($PY manage.py import_summary "$seed" --publish | tail -n 1)
  grep -q "Vienna\|Hofburg" "$seed" && vienna="$slug"
done
[ -n "$vienna" ] || { echo "the Vienna summary was not among the seeds"; exit 1; }

# `make serve`: collectstatic, then gunicorn, a worker on celery and pdf, and beat (Procfile).
phase "make serve"
setsid make serve PORT="$PORT" >"$var_dir/serve.log" 2>&1 &
pids+=($!)
wait_for() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1/healthz" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "no answer from $1/healthz"; return 1
}
wait_for "http://127.0.0.1:$PORT"

phase "crawl"
web="http://127.0.0.1:$PORT"
$PY scripts/smoke_client.py crawl "$web"
$PY scripts/smoke_client.py crawl "$web" --login cso:gsx-demo-cso
$PY scripts/smoke_client.py brief "$web" "$vienna"
$PY scripts/smoke_client.py ready "$web" --status 200

phase "second web process"
# The same portal with Redis gone: cache and broker at a port where nothing listens.
CELERY_BROKER_URL="redis://127.0.0.1:$CLOSED_PORT/0" REDIS_URL="redis://127.0.0.1:$CLOSED_PORT/1" \
  setsid .venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$SECOND_PORT" gsx_portal.wsgi \
  >"$var_dir/second.log" 2>&1 &
pids+=($!)
second="http://127.0.0.1:$SECOND_PORT"
wait_for "$second"
$PY scripts/smoke_client.py ready "$second" --status 503 --failing broker,cache
$PY scripts/smoke_client.py pages "$second"
