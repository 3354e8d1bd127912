#!/usr/bin/env bash
# A throwaway PostgreSQL server for sitroom's tests, on 127.0.0.1 with its data in a temp dir.
#
#   scripts/start_postgres.sh [DATA_DIR [PORT]]   start; prints the DSN on stdout (logs on stderr)
#   scripts/start_postgres.sh stop DATA_DIR       stop it and remove DATA_DIR
#
# Installs the Debian package `postgresql` when initdb is missing and we are root with apt-get.
# Runs initdb/pg_ctl as the `postgres` user when started as root (PostgreSQL refuses to run as root).
# fsync is off: the cluster is thrown away after the tests.
set -euo pipefail

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
  data=${2:?usage: start_postgres.sh stop DATA_DIR}
  bin=$(find_bin)
  as_owner "$bin/pg_ctl" -D "$data/db" -m immediate -w stop >&2 || true
  rm -rf -- "$data"
  exit 0
fi

data=${1:-$(mktemp -d "${TMPDIR:-/tmp}/sitroom-pg.XXXXXX")}
port=${2:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

if ! bin=$(find_bin); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing postgresql (apt-get)..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
    bin=$(find_bin)
  else
    echo "PostgreSQL is not installed (no initdb) and cannot be installed here (needs root and apt-get)" >&2
    exit 3
  fi
fi

mkdir -p "$data"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown -R postgres "$data"
fi
as_owner "$bin/initdb" -D "$data/db" -A trust -U postgres --no-sync -E UTF8 --locale=C >&2
as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $data -F -c max_connections=40" start >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
