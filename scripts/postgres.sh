#!/usr/bin/env bash
# A throwaway PostgreSQL for the ledger's tests: a cluster in a directory of
# your choosing, listening on 127.0.0.1 only, run as a non-root user, with
# trust authentication (it is for tests). Installs Debian's `postgresql`
# when no server is found and apt-get can.
#
#   bash scripts/postgres.sh start DIR [PORT]   # prints the URL to export
#   bash scripts/postgres.sh stop DIR
#
#   export PORTONE_LEDGER_POSTGRES_URL=$(bash scripts/postgres.sh start /tmp/pg 55432)
#   cargo test --workspace --all-features
#   bash scripts/postgres.sh stop /tmp/pg
set -euo pipefail

command=${1:?usage: postgres.sh start DIR [PORT] | stop DIR}
dir=${2:?the directory of the cluster}
port=${3:-55432}
user=portone_pg_test

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && command -v pg_ctl > /dev/null; then
    found=$(dirname "$(command -v pg_ctl)")
  fi
  echo "$found"
}

# as CMD...: runs CMD as the cluster's user (PostgreSQL refuses to run as
# root), or as is when not root.
as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

case "$command" in
  start)
    bin=$(bindir)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "installing Debian's postgresql" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bin=$(bindir)
      fi
    fi
    [ -x "$bin/initdb" ] || { echo "no PostgreSQL server found (initdb)" >&2; exit 1; }
    if [ "$(id -u)" = 0 ] && ! id "$user" > /dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown "$user" "$dir"
    as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale > "$dir/initdb.log"
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off" start > /dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(bindir)
    if [ -d "$dir/data" ]; then
      as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null || true
    fi
    ;;
  *)
    echo "usage: postgres.sh start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
