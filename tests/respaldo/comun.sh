# shellcheck shell=bash
# tests/respaldo/comun.sh -- helpers of the backup and restore tests
# (sourced by respaldo.sh). Needs PMM_HOME, PMM_SRC, PMM_BIN, PRUEBA.

T0=$SECONDS
say() { printf 'respaldo.%s [%3ds]: %s\n' "$PRUEBA" $((SECONDS - T0)) "$*"; }
fail() { echo "FALLO (respaldo.$PRUEBA): $*" >&2; exit 1; }
skip() { echo "respaldo.$PRUEBA: SE OMITE: $*"; exit 77; }
pmm() { "$PMM_BIN/pmm" "$@"; }
stack() { "$PMM_SRC/deploy/stack.sh" "$@"; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/psql" ] || PGBIN=$(dirname "$(command -v psql)")
# the unit's zone, for `deploy/restaurar.sh --hasta` and the times printed
export TZ=${TZ:-America/Mexico_City}

as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The PostgreSQL socket directory the stack's pmm.conf points at (read at
# each call: the standby test points the stack at another cluster).
pgsock() {
    sed -n 's/^conninfo = host=\([^ ]*\) dbname=pmm user=pmm$/\1/p' "$PMM_HOME/pmm.conf" |
        head -n 1
}
q() { "$PGBIN/psql" -h "$(pgsock)" -U pmm -d pmm -v ON_ERROR_STOP=1 -Atqc "$1"; }

pgdata() { readlink -m "$PMM_HOME/pg"; }

# Sends the fichas of $1 in chunks of $3 lines, one `pmm enviar --json` per
# chunk, pausing $4 s between chunks. Each receipt line is written to
# $2/lote-NNNN.recibos as "<epoch seconds><TAB><json>" the moment pmm
# enviar prints it (line-buffered; lines come out in input order, so a
# time is at most a chunk's duration later than its receipt). The clients
# retry for minutes ([cliente] espera_ms and intentos): long enough to
# outlast a restore.
enviar_lotes() {
    local fichas=$1 dir=$2 lote=$3 pausa=$4 c
    mkdir -p "$dir"
    split -l "$lote" -d -a 4 "$fichas" "$dir/lote-"
    for c in "$dir"/lote-[0-9][0-9][0-9][0-9]; do
        # stdbuf works by LD_PRELOAD, which puts its library before the
        # ASan runtime of the sanitizer build: tell ASan that is expected
        PMM_CLIENTE_ESPERA_MS=2000 PMM_CLIENTE_INTENTOS=150 \
            ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
            stdbuf -oL "$PMM_BIN/pmm" enviar --json "$c" 2>>"$dir/enviar.err" |
            while IFS= read -r line; do
                printf '%s\t%s\n' "$EPOCHREALTIME" "$line"
            done >"$c.recibos" || true
        touch "$c.hecho"
        sleep "$pausa"
    done
}

# Chunks finished so far in $1.
lotes_hechos() { find "$1" -name 'lote-*.hecho' 2>/dev/null | wc -l; }

# "<epoch> <clave>" of every ficha answered with a receipt in $1.
con_recibo() {
    cat "$1"/lote-*.recibos 2>/dev/null | grep -E '"estado":"(aceptada|repetida)"' |
        sed -E 's/^([0-9.]+)\t.*"clave":"([^"]*)".*$/\1 \2/'
}

# Waits until nothing is queued between the stages (and the daemons run).
esperar_colas() {
    local limit=${1:-180} pend=
    for _ in $(seq 1 $((limit * 5))); do
        pend=$(q "SELECT (SELECT count(*) FROM cola_clasificar) + (SELECT count(*) FROM cola_agregar)" 2>/dev/null) || pend=
        [ "$pend" = 0 ] && return 0
        sleep 0.2
    done
    fail "las colas no se vaciaron en $limit s (pendientes: ${pend:-?})"
}

# "<cells> <differences>": the maintained totals against a GROUP BY over
# the contributions (every filter, dimension and measure; a missing cell
# counts as zero), as in tests/multihost.
totales_vs_group_by() {
    # each contribution expanded into its cells here, independently of
    # aggregd's rule (aggregd/celdas.c), as tests/multihost does
    q "WITH f AS (
  SELECT a.*, '' AS filtro FROM v_contribuciones a
  UNION ALL SELECT a.*, 'D:' || a.dependencia FROM v_contribuciones a
   WHERE a.ambito = 'federal' AND a.dependencia IS NOT NULL
  UNION ALL SELECT a.*, 'E:' || lpad(a.entidad::text, 2, '0') FROM v_contribuciones a
   WHERE a.entidad IS NOT NULL),
c AS (
  SELECT DISTINCT f.emisor, f.ejercicio, f.clave, f.filtro, x.dimension, x.valor,
         f.acciones, f.personas, f.mujeres, f.hombres
    FROM f CROSS JOIN LATERAL (
         SELECT 'total', ''
         UNION ALL SELECT 'ambito', f.ambito
         UNION ALL SELECT 'objetivo', f.objetivo::text
         UNION ALL SELECT 'eje', f.eje::text
         UNION ALL SELECT 'subtema', f.subtema
         UNION ALL SELECT 'ods', o::text FROM unnest(f.ods) o
         UNION ALL SELECT 'ods_total', '' WHERE cardinality(f.ods) > 0
         UNION ALL SELECT 'meta', m FROM unnest(f.metas) m
         UNION ALL SELECT 'reto', r FROM unnest(f.retos) r
         UNION ALL SELECT 'dependencia', f.dependencia
          WHERE f.ambito = 'federal' AND f.dependencia IS NOT NULL
         UNION ALL SELECT 'entidad', lpad(f.entidad::text, 2, '0') WHERE f.entidad IS NOT NULL
         UNION ALL SELECT 'emisor', f.emisor) x(dimension, valor)),
n AS (
  SELECT ejercicio, filtro, dimension, valor, count(*) AS fichas,
         sum(coalesce(acciones, 0)) AS acciones, sum(coalesce(personas, 0)) AS personas,
         sum(coalesce(mujeres, 0)) AS mujeres, sum(coalesce(hombres, 0)) AS hombres
    FROM c GROUP BY 1, 2, 3, 4),
t AS (SELECT * FROM totales WHERE (fichas, acciones, personas, mujeres, hombres)
                                  <> (0, 0, 0, 0, 0))
SELECT count(*),
       count(*) FILTER (WHERE (coalesce(n.fichas, 0), coalesce(n.acciones, 0),
                               coalesce(n.personas, 0), coalesce(n.mujeres, 0),
                               coalesce(n.hombres, 0))
                              IS DISTINCT FROM
                              (coalesce(t.fichas, 0), coalesce(t.acciones, 0),
                               coalesce(t.personas, 0), coalesce(t.mujeres, 0),
                               coalesce(t.hombres, 0)))
  FROM n FULL JOIN t USING (ejercicio, filtro, dimension, valor)" | tr '|' ' '
}

# Checks the totals against the GROUP BY; prints the line.
comprobar_totales() {
    local celdas dif
    read -r celdas dif <<<"$(totales_vs_group_by)"
    say "totales vs GROUP BY: $celdas celdas, $dif diferencias"
    [ "${celdas:-0}" -gt 0 ] || fail "no se comparó ninguna celda de totales"
    [ "$dif" = 0 ] || fail "$dif celdas de totales difieren del GROUP BY"
}

# Stored fichas: "<distinct> <duplicated>" (duplicates: more than one row
# for one emisor, ejercicio, clave and version).
fichas_guardadas() {
    q "SELECT count(DISTINCT clave), count(*) - count(DISTINCT (emisor, ejercicio, clave, version)) FROM fichas" |
        tr '|' ' '
}

# A clock instant with whole seconds clear of commits on both sides, for
# --hasta: waits past the next second boundary, notes the time, waits more.
instante_entre_lotes() {
    sleep 1.2
    date '+%Y-%m-%d %H:%M:%S'
    sleep 1.2
}
