#!/usr/bin/env bash
# Conformance tests: the PostgreSQL and Redis behaviours racecheck's semantics rest on
# (docs/semantics.md), checked against real servers. Starts throwaway servers on loopback in
# a temporary folder, runs the scenarios, stops the servers. Exits 77 (skipped) when the
# servers or the Python drivers are not installed (.ci/run installs them).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
python=/usr/bin/python3
if [ -z "$pg_bin" ] || ! command -v redis-server >/dev/null || ! "$python" -c "import psycopg2, redis" 2>/dev/null; then
  echo "conformance: PostgreSQL, redis-server or python3-psycopg2/python3-redis missing; skipped"
  exit 77
fi

work=$(mktemp -d /tmp/racecheck-conformance.XXXXXX)
chmod 755 "$work"
pg_port=$((20000 + RANDOM % 20000))
redis_port=$((pg_port + 1))
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$work"
  as_postgres=(runuser -u postgres --)
fi

cleanup() {
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U racecheck >/dev/null || exit 1
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 30 \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c deadlock_timeout=100ms" start >/dev/null || {
  cat "$work/pg.log"; exit 1; }
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --dir "$work" --logfile "$work/redis.log" >/dev/null || exit 1
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

RACECHECK_PG_PORT=$pg_port RACECHECK_REDIS_PORT=$redis_port timeout 300 "$python" "$here/scenarios.py"
