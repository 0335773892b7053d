#!/usr/bin/env bash
# deploy/restaurar.sh --ultimo | --hasta 'AAAA-MM-DD HH:MM:SS' [--conjunto ETIQUETA]
#
# Restores the embedded stack in $PMM_HOME (deploy/stack.sh) from its
# pgBackRest repository: archives the current WAL first if PostgreSQL still
# answers, stops the daemons, PgBouncer and PostgreSQL (a postmaster whose
# data directory was deleted under it too), renames the data directory to
# pg.roto-<date> (kept, never deleted), restores the newest suitable full
# backup into a new, empty data directory, lets PostgreSQL replay the
# archived WAL up to the end (--ultimo) or to the given instant (--hasta,
# in the unit's time zone: $TZ, else [general] zona_horaria, else
# America/Mexico_City), promotes it, and starts the stack again.
#
# Environment: PMM_HOME, PMM_BIN, PMM_DATOS (as deploy/stack.sh),
# PMM_RESTAURAR_LIMITE (seconds the WAL replay may take; default 3600).
# Exit status: 0 restored and running, 1 failed (the old directory is kept),
# 2 usage.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/stack.sh
. "$here/stack.sh"

usage() {
    cat <<'EOF'
Uso: deploy/restaurar.sh --ultimo | --hasta 'AAAA-MM-DD HH:MM:SS' [--conjunto ETIQUETA]

Restaura la pila de $PMM_HOME desde su repositorio de respaldos (pgBackRest):
detiene la pila, conserva el directorio de datos actual con otro nombre
(pg.roto-FECHA), restaura el respaldo completo adecuado en un directorio nuevo,
reproduce el WAL archivado hasta el final o hasta el instante pedido, promueve
el clúster y arranca de nuevo los servicios.

  --ultimo        hasta el último WAL archivado (lo más reciente posible)
  --hasta FECHA   hasta ese instante (hora de la unidad: $TZ, o [general]
                  zona_horaria, o America/Mexico_City); quedan las transacciones
                  confirmadas hasta ese instante inclusive
  --conjunto E    desde el respaldo de etiqueta E (pmm respaldo listar); por
                  omisión el más reciente que sirva
  --help          esta ayuda

Ejemplos:
  deploy/restaurar.sh --ultimo
  deploy/restaurar.sh --hasta '2026-11-27 10:00:00'
EOF
}

mode='' hasta='' conjunto=''
while [ $# -gt 0 ]; do
    case "$1" in
    --ultimo) mode=ultimo; shift ;;
    --hasta) [ $# -ge 2 ] || { usage >&2; exit 2; }; mode=hasta; hasta=$2; shift 2 ;;
    --conjunto) [ $# -ge 2 ] || { usage >&2; exit 2; }; conjunto=$2; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    *) echo "restaurar: opción desconocida: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[ -n "$mode" ] || { echo "restaurar: indique --ultimo o --hasta" >&2; usage >&2; exit 2; }

say() { echo "restaurar: $*" >&2; }
die() { echo "restaurar: error: $*" >&2; exit 1; }
T0=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) $T0" | awk '{printf "%.1f", $1 - $2}'; }

[ -f "$CONF" ] || die "no hay una pila en $PMM_HOME (falta $CONF)"
command -v pgbackrest >/dev/null 2>&1 ||
    die "falta pgBackRest (paquete pgbackrest): ejecute deploy/deps.sh"
[ -f "$BRCONF" ] ||
    die "la pila de $PMM_HOME no tiene respaldos configurados (falta $BRCONF)"
mkdir -p "$LOG"
BRLOG=$LOG/respaldo.log
bindir=$(pg_bindir)
pgdata=$(pg_data_dir)
PGLOG=$(dirname "$pgdata")/postgresql.log
psql_pmm() { "$bindir/psql" -h "$PGSOCK" -U pmm -d "${2:-pmm}" -v ON_ERROR_STOP=1 -Atqc "$1"; }

# --- what the repository holds -------------------------------------------
info=$(pgbr --log-level-console=off info --output=json 2>>"$BRLOG") ||
    die "no se pudo leer el repositorio $REPO (detalles en $BRDIR/log)"
# the backups' end times (timestamp.stop, epoch seconds)
mapfile -t fines < <(grep -o '"timestamp":{"start":[0-9]*,"stop":[0-9]*}' <<<"$info" |
                     sed 's/.*"stop"://; s/}//')
[ ${#fines[@]} -gt 0 ] ||
    die "el repositorio $REPO no tiene ningún respaldo completo: no hay nada que restaurar (los respaldos se crean con pmm respaldo crear)"
if [ -n "$conjunto" ] && ! grep -q "\"label\":\"$conjunto\"" <<<"$info"; then
    die "no hay ningún respaldo con la etiqueta «$conjunto» (pmm respaldo listar)"
fi

target=
if [ "$mode" = hasta ]; then
    [[ "$hasta" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}$ ]] ||
        die "--hasta espera 'AAAA-MM-DD HH:MM:SS' (es «$hasta»)"
    zona=${TZ:-}
    [ -n "$zona" ] || zona=$(awk -F' *= *' '/^\[/{s=$0} s=="[general]" && $1=="zona_horaria"{print $2}' "$CONF")
    zona=${zona:-America/Mexico_City}
    epoch=$(TZ=$zona date -d "$hasta" +%s 2>/dev/null) || die "--hasta no es una fecha válida: «$hasta»"
    target=$(TZ=$zona date -d "@$epoch" '+%Y-%m-%d %H:%M:%S%z')
    [ "$epoch" -le "$(date +%s)" ] || die "--hasta ($hasta, $zona) está en el futuro"
    oldest=$(printf '%s\n' "${fines[@]}" | sort -n | head -n 1)
    [ "$epoch" -ge "$oldest" ] ||
        die "--hasta ($hasta) es anterior al fin del respaldo más antiguo ($(TZ=$zona date -d "@$oldest" '+%Y-%m-%d %H:%M:%S')): no se puede restaurar a ese instante"
fi

# --- archive what PostgreSQL still has -----------------------------------
if psql_pmm "SELECT 1" postgres >/dev/null 2>&1; then
    say "PostgreSQL responde: se archiva su WAL en curso antes de detenerlo"
    pgbr check >>"$BRLOG" 2>&1 ||
        say "aviso: no se pudo archivar el WAL en curso (lo no archivado se perderá; detalles en $BRDIR/log)"
fi

# --- stop the stack ------------------------------------------------------
say "deteniendo la pila de $PMM_HOME"
for d in $DAEMONS; do daemon_stop "$d"; done
pgb_stop
if ! pg_stop 2>>"$BRLOG"; then
    as_pg "$bindir/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
fi
pg_stop_orphan "$pgdata"
if as_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    die "PostgreSQL sigue en marcha en $pgdata: deténgalo y vuelva a intentarlo"
fi

# --- a new data directory ------------------------------------------------
old=
if [ -e "$pgdata" ]; then
    old=$pgdata.roto-$(date +%Y%m%d-%H%M%S)
    mv "$pgdata" "$old"
    say "el directorio de datos anterior queda en $old"
else
    say "el directorio de datos $pgdata no existe (perdido): se restaura en uno nuevo"
fi
as_pg mkdir -m 0700 "$pgdata"

args=()
if [ "$mode" = hasta ]; then
    args+=(--type=time "--target=$target" --target-action=promote)
    say "restaurando hasta $target"
else
    args+=(--type=default)
    say "restaurando hasta el último WAL archivado"
fi
[ -z "$conjunto" ] || args+=("--set=$conjunto")
T_RESTORE=$(date +%s.%N)
pgbr restore "${args[@]}" >>"$BRLOG" 2>&1 || {
    rc=$?
    die "pgBackRest no pudo restaurar el respaldo (código $rc; detalles en $BRDIR/log/$STANZA-restore.log). El directorio anterior sigue en ${old:-(no existía)}"
}
say "respaldo copiado en $(echo "$(date +%s.%N) $T_RESTORE" | awk '{printf "%.1f", $1 - $2}') s; reproduciendo el WAL archivado"

# --- replay, promote -----------------------------------------------------
T_REPLAY=$(date +%s.%N)
limit=${PMM_RESTAURAR_LIMITE:-3600}
mkdir -p "$PGSOCK"
[ "$(id -u)" = 0 ] && chown postgres "$PGSOCK"
: | as_pg tee -a "$PGLOG" >/dev/null
as_pg "$bindir/pg_ctl" -D "$pgdata" -l "$PGLOG" -w -t "$limit" start >/dev/null 2>&1 || true
promoted=
for _ in $(seq 1 $((limit * 5))); do
    if ! as_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        break   # PostgreSQL stopped: recovery failed
    fi
    if [ "$(psql_pmm "SELECT pg_is_in_recovery()" postgres 2>/dev/null)" = f ]; then
        promoted=1
        break
    fi
    sleep 0.2
done
if [ -z "$promoted" ]; then
    if tail -n 50 "$PGLOG" | grep -q "recovery ended before configured recovery target"; then
        die "el WAL archivado no llega hasta $target: no se puede restaurar a ese instante (vea $PGLOG). El directorio anterior sigue en ${old:-(no existía)}"
    fi
    die "PostgreSQL no terminó la recuperación (vea $PGLOG). El directorio anterior sigue en ${old:-(no existía)}"
fi
replay_s=$(echo "$(date +%s.%N) $T_REPLAY" | awk '{printf "%.1f", $1 - $2}')
# pgBackRest wrote the recovery target into postgresql.auto.conf: done with
# it (restore_command stays: harmless outside recovery)
psql_pmm "ALTER SYSTEM RESET recovery_target_time" postgres >/dev/null 2>&1 || true
psql_pmm "ALTER SYSTEM RESET recovery_target_action" postgres >/dev/null 2>&1 || true
timeline=$(psql_pmm "SELECT timeline_id FROM pg_control_checkpoint()" postgres 2>/dev/null || echo "?")
say "PostgreSQL recuperado y promovido en $replay_s s (línea temporal $timeline)"
pgbr check >>"$BRLOG" 2>&1 ||
    say "aviso: el WAL de la nueva línea temporal no llega al repositorio (detalles en $BRDIR/log)"

# --- the stack again -----------------------------------------------------
cmd_start
fichas=$(psql_pmm "SELECT count(*) FROM fichas" 2>/dev/null || echo "?")
zona=${TZ:-}
[ -n "$zona" ] || zona=$(awk -F' *= *' '/^\[/{s=$0} s=="[general]" && $1=="zona_horaria"{print $2}' "$CONF")
zona=${zona:-America/Mexico_City}
ultima=$(psql_pmm "SELECT coalesce(to_char(max(recibida) AT TIME ZONE '$zona', 'YYYY-MM-DD HH24:MI:SS'), '(ninguna)') FROM fichas" 2>/dev/null || echo "?")
say "restauración terminada en $(elapsed) s: $fichas versiones de fichas, la última recibida el $ultima ($zona)"
[ -z "$old" ] || say "el directorio anterior ($old) puede borrarse cuando ya no haga falta"
say "se recomienda un respaldo completo nuevo: pmm respaldo crear"
