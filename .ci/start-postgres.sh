#!/usr/bin/env bash
# Start a throw-away PostgreSQL on loopback for the storage tests and print its URL.
# Installs Debian's postgresql when missing (CI runs as root on a fresh machine).
set -euo pipefail
PORT="${PG_PORT:-55432}"
DATA="${PG_DATA:-/tmp/prioritization-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$BIN" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
if ! su postgres -c "$BIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  rm -rf "$DATA" && mkdir -p "$DATA" && chown postgres "$DATA"
  su postgres -c "$BIN/initdb -D $DATA -A trust -U postgres --no-locale -E UTF8" >/dev/null
  su postgres -c "$BIN/pg_ctl -D $DATA -l $DATA/server.log -o '-c listen_addresses=127.0.0.1 -p $PORT -k /tmp' -w start" >/dev/null
fi
su postgres -c "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='prioritization_test'\"" | grep -q 1 \
  || su postgres -c "$BIN/createdb -h 127.0.0.1 -p $PORT -U postgres prioritization_test"
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/prioritization_test"
