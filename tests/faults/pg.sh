#!/usr/bin/env bash
# tests/faults/pg.sh caida|arranque: crashes (pg_ctl stop -m immediate) or
# starts again the PostgreSQL cluster of the stack in $PMM_HOME, as its
# owner (the postgres system user when run as root, like deploy/stack.sh).
set -euo pipefail
: "${PMM_HOME:?}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || bindir=$(dirname "$(command -v pg_ctl)")
pgdata=$(readlink -f "$PMM_HOME/pg")
pglog=$(dirname "$pgdata")/postgresql.log
as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
case "${1:-}" in
caida) as_pg "$bindir/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null ;;
arranque) as_pg "$bindir/pg_ctl" -D "$pgdata" -l "$pglog" -w -t 120 start >/dev/null ;;
*) echo "uso: pg.sh caida|arranque" >&2; exit 2 ;;
esac
