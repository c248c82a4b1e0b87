#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a fresh cluster in a temporary folder, listening only on a Unix
# socket in that folder (no TCP port, so several can run side by side and none is reachable from the
# network). Used by .ci/run and by developers (README "Developing with PostgreSQL").
#
#   eval "$(bash scripts/pg-test-server.sh start)"   # prints the shell exports below, logs go to stderr
#   bash scripts/pg-test-server.sh stop "$REFUNDS_TEST_PG_DIR"
#
# start exports REFUNDS_TEST_PG (a superuser URL of database refunds_test), REFUNDS_TEST_PG_DIR (the
# folder: socket, data, logs), REFUNDS_TEST_PG_BIN (the server's bin/) and REFUNDS_TEST_PG_PASSWORD_URL
# (role refunds_pw, which must give its password: the bad-password tests). Every other local role is
# trusted. With PG_BENCH=1 the cluster keeps fsync and synchronous commit (benchmarks); without it they
# are off, which is only right for throwaway data.
#
# The binaries are found under /usr/lib/postgresql/<version>/bin, never on PATH (Debian puts only psql
# there). When they are missing and we are root, the Debian package `postgresql` is installed first,
# told not to create and start its own "main" cluster.
set -euo pipefail

PG_LIB=/usr/lib/postgresql

pg_bin() { ls -d "$PG_LIB"/*/bin 2>/dev/null | sort -V | tail -1 || true; }   # || true: pipefail + no match

install_postgresql() {
  [ "$(id -u)" = 0 ] || { echo "PostgreSQL is missing (no $PG_LIB/*/bin/initdb): sudo apt-get install postgresql" >&2; exit 1; }
  command -v apt-get >/dev/null 2>&1 || { echo "PostgreSQL is missing and this is not a Debian-like system (no apt-get): install PostgreSQL's server binaries under $PG_LIB/<version>/bin" >&2; exit 1; }
  # The package would create a cluster "main" and start it on port 5432: we want none. postgresql-common
  # reads create_main_cluster from createcluster.conf; a file already there is kept (ucf and dpkg: confold).
  local conf=/etc/postgresql-common/createcluster.conf
  mkdir -p /etc/postgresql-common
  grep -qs '^[[:space:]]*create_main_cluster' "$conf" || echo 'create_main_cluster = false' >> "$conf"
  echo "installing the Debian package postgresql (apt-get)…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-confdef postgresql >&2
}

ensure() {
  local bin; bin=$(pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    install_postgresql
    bin=$(pg_bin)
  fi
  local tool
  for tool in initdb pg_ctl postgres createdb psql; do
    [ -n "$bin" ] && [ -x "$bin/$tool" ] || { echo "no $tool in ${bin:-$PG_LIB/*/bin} (is the postgresql package complete?)" >&2; exit 1; }
  done
  echo "$bin"
}

# initdb and the server refuse to run as root: as root, run them as the postgres user (the package creates it).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  # Globals, not locals: the EXIT trap below runs after set -e has unwound the function.
  started=0 bin=$(ensure)
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then echo "no user postgres to run the server as" >&2; exit 1; fi
  dir=$(mktemp -d /tmp/refunds-pg.XXXXXX)   # short: a socket path may not exceed 107 bytes
  # A failed start leaves nothing behind: no server, no folder.
  trap 'if [ $? != 0 ]; then if [ $started = 1 ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi; rm -rf "$dir"; fi' EXIT
  # Other local users may reach the socket (the data folder itself stays 0700, initdb sees to it).
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { echo "initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
  # refunds_pw must give its password (scram-sha-256); every other local role is trusted.
  as_pg sh -c "printf 'local all refunds_pw scram-sha-256\nlocal all all trust\n' > '$dir/data/pg_hba.conf'"
  local opts="-c listen_addresses='' -k $dir -c max_connections=80"
  [ "${PG_BENCH:-}" = 1 ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  started=1
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >&2 \
    || { echo "the server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }
  as_pg "$bin/createdb" -h "$dir" -U postgres refunds_test
  # A fresh password each start (hex: nothing to escape in a URL or in SQL).
  local pw; pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  as_pg "$bin/psql" -h "$dir" -U postgres -d refunds_test -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE refunds_pw LOGIN PASSWORD 'pw$pw'" >&2
  echo "export REFUNDS_TEST_PG='postgresql://postgres@/refunds_test?host=$dir' REFUNDS_TEST_PG_DIR='$dir' REFUNDS_TEST_PG_BIN='$bin' REFUNDS_TEST_PG_PASSWORD_URL='postgresql://refunds_pw:pw$pw@/refunds_test?host=$dir'"
}

stop() {
  local dir=${1:-} bin
  case "$dir" in /tmp/refunds-pg.*) ;; *) echo "not a test cluster: '$dir' (expected /tmp/refunds-pg.*)" >&2; exit 2 ;; esac
  [ -d "$dir" ] || { echo "no test cluster at $dir (already stopped?)" >&2; return 0; }
  bin=$(pg_bin)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2 || as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
