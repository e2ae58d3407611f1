#!/usr/bin/env bash
# `make bench`: every page over HTTP at scale, beside the floor page, in one command.
#
#   1. PostgreSQL: the database DATABASE_URL names, or else a throw-away cluster made here
#      (initdb in a temporary directory -- as the postgres user when run as root -- on a free
#      port, stopped and removed at the end). Needs PostgreSQL's server packages (Debian:
#      apt-get install postgresql).
#   2. manage.py migrate, then manage.py seed_scale --size $SIZE (province by default; a
#      database given by DATABASE_URL is seeded only if it has no seed_scale accounts yet,
#      SEED=1 forces it, SEED=0 skips it).
#   3. bench/load.py: the table on screen, the JSON in bench/results/<size>-<time>.json;
#      with BENCH=soak, bench/soak.py instead (`make soak`: simulated people for minutes,
#      with a Celery worker and beat on a Redis of its own; bench/results/soak-<time>.json).
#
# Environment: PY (the Python with the requirements; default .venv/bin/python), SIZE
# (province | national | tiny), BENCH_USERS (scale | demo: the accounts load.py logs in
# with), SEED (auto | 1 | 0). Arguments are passed on to bench/load.py (--requests,
# --seconds, --concurrency, --pages …). See docs/performance.md, "Pages at scale (HTTP)".
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."
PY=${PY:-.venv/bin/python}
SIZE=${SIZE:-province}
BENCH_USERS=${BENCH_USERS:-scale}
SEED=${SEED:-auto}
BENCH=${BENCH:-load}
export DJANGO_SETTINGS_MODULE=bench.settings

log() { printf '\n==> %s\n' "$*"; }

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ -z "${DATABASE_URL:-}" ]; then
  pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null \
    | sort -V | tail -n 1)
  if [ -z "$pg_bin" ] && command -v pg_ctl >/dev/null; then
    pg_bin=$(dirname "$(command -v pg_ctl)")
  fi
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "error: DATABASE_URL is not set and PostgreSQL's server is not installed" \
      "(initdb, pg_ctl). On Debian: apt-get install postgresql; or set DATABASE_URL." >&2
    exit 1
  fi
  work=$(mktemp -d /tmp/danvan-bench.XXXXXX)
  pg_data="$work/pgdata"
  as_owner=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root.
    chown postgres:postgres "$work"
    as_owner=(runuser -u postgres --)
  fi
  cleanup() {
    local rc=$?
    set +e
    if [ -f "$pg_data/postmaster.pid" ]; then
      "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
    fi
    # 1 is load.py's "some requests went wrong": the server's log says nothing then.
    if [ "$rc" -gt 1 ] && [ -s "$work/postgres.log" ]; then
      echo "--- last lines of $work/postgres.log"
      tail -n 20 "$work/postgres.log"
    fi
    rm -rf "$work"
    exit "$rc"
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_port=$(free_port)
  log "A throw-away PostgreSQL cluster on 127.0.0.1:$pg_port ($pg_data)"
  "${as_owner[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$work/initdb.log" || { cat "$work/initdb.log"; exit 1; }
  # The server's defaults otherwise (fsync and synchronous commits on, as in production).
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/postgres.log" -w -t 60 start \
    -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" >/dev/null
  "${as_owner[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres danvan
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/danvan"
  export STATIC_ROOT="${STATIC_ROOT:-$work/static}" MEDIA_ROOT="${MEDIA_ROOT:-$work/media}"
  [ "$SEED" = auto ] && SEED=1
fi

log "$PY manage.py migrate"
"$PY" manage.py migrate --noinput -v 0

if [ "$SEED" = auto ]; then
  account=$([ "$BENCH_USERS" = demo ] && echo lanhdao || echo scale.lanhdao)
  if "$PY" manage.py shell -c "import sys; from danvan.models import User
sys.exit(0 if User.objects.filter(username='$account').exists() else 1)" 2>/dev/null; then
    SEED=0
    log "The database already has the accounts ($account): not seeded (SEED=1 forces it)"
  else
    SEED=1
  fi
fi
if [ "$SEED" = 1 ]; then
  if [ "$BENCH_USERS" = demo ]; then
    log "$PY manage.py seed_demo"
    "$PY" manage.py seed_demo
  else
    log "$PY manage.py seed_scale --size $SIZE"
    started=$SECONDS
    "$PY" manage.py seed_scale --size "$SIZE"
    echo "seeded in $((SECONDS - started)) s"
  fi
fi

size_label=$([ "$BENCH_USERS" = demo ] && echo demo || echo "$SIZE")
log "$PY bench/$BENCH.py --users $BENCH_USERS --size $size_label $*"
"$PY" "bench/$BENCH.py" --users "$BENCH_USERS" --size "$size_label" "$@"
