#!/usr/bin/env bash
# tests/multihost/run.sh -- the whole system spread over nine "hosts".
#
# Each host is a network namespace with one veth link to a bridge that lives
# in a tenth namespace (the switch); only 10.77.0.0/24 addresses, and only
# inside these namespaces: the machine's own interfaces, addresses and
# routes are never touched.
#
#   10.77.0.11 pg1   PostgreSQL primary (TCP, scram-sha-256 passwords, pg_hba
#                    restricted to 10.77.0.0/24)
#   10.77.0.12 pg2   streaming replica made with pg_basebackup
#   10.77.0.21 in1   ingestd          remoto tcp:7001, trabajo tcp:7002 (CURVE)
#   10.77.0.22 in2   ingestd          same key pair as in1
#   10.77.0.31 cl1   clasificd        connects to both trabajo and to eventos
#   10.77.0.32 cl2   clasificd
#   10.77.0.41 ag    aggregd          endpoint tcp:7003, eventos tcp:7004 (CURVE)
#   10.77.0.51 c1    client: pmm enviar to both collectors (analyst key)
#   10.77.0.52 c2    client
#
# 10,000 sample fichas: c1 sends 1-6,000 and c2 4,001-10,000 (the 2,000 in
# between are sent by both at once, through different collectors); midway
# one classifier worker and one collector are killed (SIGKILL). Then, ON THE
# REPLICA: 10,000 fichas, no duplicates, every one classified and counted,
# and the maintained totals equal a GROUP BY over the fichas. Prints the
# figures; tears everything down on exit, failure included.
#
# Needs root, iproute2 (ip netns) and PostgreSQL (deploy/deps.sh). Without
# root or network namespaces it says why and exits 77, which ctest reports
# as "Skipped" (SKIP_RETURN_CODE in tests/multihost/CMakeLists.txt).
# Environment: PMM_BIN (binaries; default <repo>/build/bin), PMM_DATOS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
BIN=${PMM_BIN:-$repo/build/bin}
DATA=${PMM_DATOS:-$repo/data}
N_FICHAS=${MH_FICHAS:-10000}
LIMIT_S=${MH_LIMITE:-280}          # the whole test, set-up and teardown included
T0=$SECONDS

say() { printf 'multihost [%3ds]: %s\n' $((SECONDS - T0)) "$*"; }
skip() { echo "multihost: SE OMITE (skipped): $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "necesita root (espacios de nombres de red y PostgreSQL como postgres)"
command -v ip >/dev/null 2>&1 || skip "no hay iproute2 (ip); instálelo con deploy/deps.sh"
probe=pmmmh-probe-$$
if ! ip netns add "$probe" 2>/dev/null; then
    skip "ip netns no está disponible aquí (¿contenedor sin CAP_SYS_ADMIN?)"
fi
ip netns del "$probe"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/pg_ctl" ] || { echo "multihost: falta PostgreSQL (deploy/deps.sh)" >&2; exit 1; }
id postgres >/dev/null 2>&1 || { echo "multihost: falta el usuario postgres" >&2; exit 1; }
for b in ingestd clasificd aggregd pmm; do
    [ -x "$BIN/$b" ] || { echo "multihost: falta $BIN/$b (compile primero)" >&2; exit 1; }
done

# No stray configuration from the caller: every process gets its own file.
for v in $(env | grep -o '^PMM_[A-Z0-9_]*' || true); do
    case $v in PMM_BIN | PMM_DATOS) ;; *) unset "$v" ;; esac
done
export PMM_SIN_PROGRESO=1

TAG=$$
exec 7>&1 8>&2   # the test's own outputs, for teardown
W=$(mktemp -d /tmp/pmm-mh.XXXXXX)
chmod 0711 "$W"
LOG=$W/log
mkdir -p "$LOG" "$W/conf" "$W/keys" "$W/out"
NETNS_ALL=()
failed=1

ns() { echo "pmmmh$TAG-$1"; }
in_ns() { local h=$1; shift; ip netns exec "$(ns "$h")" "$@"; }

teardown() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    # a trap may fire inside a redirected command: back to the real outputs
    exec 1>&7 2>&8
    say "desmontando (procesos, PostgreSQL, espacios de nombres, $W)"
    for h in pg2 pg1; do
        [ -f "$W/$h/data/postmaster.pid" ] &&
            in_ns $h runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/$h/data" -m immediate \
                -w -t 20 stop >/dev/null 2>&1
    done
    # everything still running in our namespaces was started by this test
    for n in "${NETNS_ALL[@]}"; do
        for pid in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    done
    sleep 0.2
    for n in "${NETNS_ALL[@]}"; do ip netns del "$n" 2>/dev/null; done
    if [ $failed -ne 0 ] && [ -d "$LOG" ]; then
        for f in "$LOG"/*.log; do
            [ -f "$f" ] || continue
            echo "---- $(basename "$f") (últimas líneas)"
            tail -n 15 "$f"
        done
    fi
    rm -rf "$W"
    if [ $failed -ne 0 ]; then
        echo "multihost: FALLÓ" >&2
        [ $rc -ne 0 ] || rc=1
    fi
    exit $rc
}
trap teardown EXIT
trap 'echo "multihost: interrumpido" >&8; exit 130' INT
trap 'echo "multihost: límite de tiempo alcanzado (${LIMIT_S} s)" >&8; exit 124' TERM
# the whole run is bounded: the watchdog ends it (teardown included); it
# goes away by itself within a second of this script
(
    exec >/dev/null 2>&1 </dev/null
    while [ $((SECONDS - T0)) -lt "$LIMIT_S" ]; do
        sleep 1
        kill -0 $$ || exit 0
    done
    kill -TERM $$
) &
WATCHDOG_PID=$!

die() { echo "multihost: error: $*" >&2; exit 1; }

# --- the network ------------------------------------------------------------
declare -A ADDR=([pg1]=10.77.0.11 [pg2]=10.77.0.12 [in1]=10.77.0.21 [in2]=10.77.0.22
                 [cl1]=10.77.0.31 [cl2]=10.77.0.32 [ag]=10.77.0.41 [c1]=10.77.0.51
                 [c2]=10.77.0.52)
HOSTS="pg1 pg2 in1 in2 cl1 cl2 ag c1 c2"

say "red: 9 hosts en 10.77.0.0/24 detrás de un puente en su propio espacio de nombres"
SW=$(ns sw)
ip netns add "$SW"
NETNS_ALL+=("$SW")
ip -n "$SW" link set lo up
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for h in $HOSTS; do
    n=$(ns $h)
    ip netns add "$n"
    NETNS_ALL+=("$n")
    ip link add eth0 netns "$n" type veth peer name "v$h" netns "$SW"
    ip -n "$SW" link set "v$h" master br0 up
    ip -n "$n" link set lo up
    ip -n "$n" addr add "${ADDR[$h]}/24" dev eth0
    ip -n "$n" link set eth0 up
done
# every link up with carrier (the bridge runs no STP: ports forward at once)
for h in $HOSTS; do
    for _ in $(seq 1 50); do
        ip -n "$(ns $h)" link show eth0 | grep -q LOWER_UP && break
        sleep 0.1
    done
    ip -n "$(ns $h)" link show eth0 | grep -q LOWER_UP || die "el enlace de $h no subió"
done

# --- PostgreSQL primary -------------------------------------------------------
PW_PMM=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
PW_SVC=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
PW_REPL=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
# passwords: a pgpass file for the daemons and clients (root), one for the
# replica's postgres
{
    echo "*:5432:*:pmm:$PW_PMM"
    for r in pmm_ingestd pmm_clasificd pmm_aggregd pmm_consulta; do
        echo "*:5432:*:$r:$PW_SVC"
    done
} >"$W/pgpass"
chmod 0600 "$W/pgpass"

say "PostgreSQL primario en ${ADDR[pg1]}"
install -d -o postgres -m 0700 "$W/pg1" "$W/pg2"
install -d -o postgres -m 0700 "$W/pg1/sock" "$W/pg2/sock"
touch "$LOG/pg1.log" "$LOG/pg2.log"
chown postgres "$LOG/pg1.log" "$LOG/pg2.log"
in_ns pg1 runuser -u postgres -- "$PGBIN/initdb" -D "$W/pg1/data" -U pmm -E UTF8 \
    --locale=C --auth-local=trust --auth-host=scram-sha-256 >"$LOG/initdb.log" 2>&1 ||
    die "initdb falló"
runuser -u postgres -- tee -a "$W/pg1/data/postgresql.conf" >/dev/null <<EOF
# tests/multihost
listen_addresses = '${ADDR[pg1]}'
unix_socket_directories = '$W/pg1/sock'
wal_level = replica
max_wal_senders = 5
password_encryption = scram-sha-256
max_connections = 100
EOF
runuser -u postgres -- tee "$W/pg1/data/pg_hba.conf" >/dev/null <<EOF
# tests/multihost: the local socket for the test's set-up, passwords over
# TCP, and only from the test's subnet
local   all          all                     trust
host    all          all          10.77.0.0/24     scram-sha-256
host    replication  pmm_replica  ${ADDR[pg2]}/32   scram-sha-256
EOF
in_ns pg1 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg1/data" -l "$LOG/pg1.log" \
    -w -t 60 start >/dev/null || die "el primario no arrancó"
psql_local() { in_ns pg1 "$PGBIN/psql" -h "$W/pg1/sock" -U pmm -v ON_ERROR_STOP=1 -Atq "$@"; }
psql_local -d postgres <<EOF
ALTER ROLE pmm PASSWORD '$PW_PMM';
CREATE ROLE pmm_replica REPLICATION LOGIN PASSWORD '$PW_REPL';
CREATE DATABASE pmm;
EOF

# configuration of the administrator (any host of the subnet)
cat >"$W/conf/admin.conf" <<EOF
[general]
datos = $DATA
[postgresql]
conninfo = host=${ADDR[pg1]} dbname=pmm user=pmm passfile=$W/pgpass connect_timeout=5
lectura = host=${ADDR[pg2]} dbname=pmm user=pmm_consulta passfile=$W/pgpass connect_timeout=5
[ingestd]
endpoint = tcp://${ADDR[in1]}:7001, tcp://${ADDR[in2]}:7001
clave_servidor = $W/keys/servicio-ingestd.key
[aggregd]
endpoint = tcp://${ADDR[ag]}:7003
clave_servidor = $W/keys/servicio-aggregd.key
[cliente]
clave = $W/keys/admin-admin.key_secret
EOF
pmm_admin() { in_ns c1 "$BIN/pmm" --config "$W/conf/admin.conf" "$@"; }

say "esquema (pmm migrar), roles de acceso y claves CURVE"
pmm_admin migrar >"$LOG/migrar.log" 2>&1 || die "pmm migrar falló"
psql_local -d pmm <<EOF
CREATE ROLE pmm_ingestd LOGIN PASSWORD '$PW_SVC' IN ROLE pmm_ingesta;
CREATE ROLE pmm_clasificd LOGIN PASSWORD '$PW_SVC' IN ROLE pmm_clasificador;
CREATE ROLE pmm_aggregd LOGIN PASSWORD '$PW_SVC' IN ROLE pmm_agregador;
CREATE ROLE pmm_consulta LOGIN PASSWORD '$PW_SVC' IN ROLE pmm_lectura;
EOF
for k in "--servicio ingestd" "--servicio aggregd" "--servicio clasificd-1" \
         "--servicio clasificd-2" "--rol analista --nombre cliente1" \
         "--rol analista --nombre cliente2" "--rol admin --nombre admin"; do
    # shellcheck disable=SC2086
    pmm_admin claves emitir $k -o "$W/keys" >>"$LOG/claves.log" 2>&1 ||
        die "pmm claves emitir $k falló"
done

# --- the replica ----------------------------------------------------------------
say "réplica en ${ADDR[pg2]} (pg_basebackup -R, streaming)"
echo "${ADDR[pg1]}:5432:*:pmm_replica:$PW_REPL" >"$W/pg2/pgpass"
chown postgres "$W/pg2/pgpass"
chmod 0600 "$W/pg2/pgpass"
in_ns pg2 runuser -u postgres -- env PGPASSFILE="$W/pg2/pgpass" "$PGBIN/pg_basebackup" \
    -h "${ADDR[pg1]}" -U pmm_replica -D "$W/pg2/data" -R -X stream -C -S replica_pg2 \
    -c fast >"$LOG/basebackup.log" 2>&1 || die "pg_basebackup falló"
runuser -u postgres -- tee -a "$W/pg2/data/postgresql.conf" >/dev/null <<EOF
# the replica's own addresses (after the primary's, copied by pg_basebackup)
listen_addresses = '${ADDR[pg2]}'
unix_socket_directories = '$W/pg2/sock'
hot_standby = on
EOF
grep -q passfile "$W/pg2/data/postgresql.auto.conf" ||
    echo "primary_conninfo = 'host=${ADDR[pg1]} user=pmm_replica passfile=$W/pg2/pgpass application_name=pg2'" |
    runuser -u postgres -- tee -a "$W/pg2/data/postgresql.auto.conf" >/dev/null
in_ns pg2 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg2/data" -l "$LOG/pg2.log" \
    -w -t 60 start >/dev/null || die "la réplica no arrancó"

# --- the daemons ------------------------------------------------------------------
conninfo() { echo "host=${ADDR[pg1]} dbname=pmm user=$1 passfile=$W/pgpass connect_timeout=5"; }
TRABAJO="tcp://${ADDR[in1]}:7002, tcp://${ADDR[in2]}:7002"
for i in 1 2; do
    h=in$i
    cat >"$W/conf/$h.conf" <<EOF
[general]
datos = $DATA
[ingestd]
conninfo = $(conninfo pmm_ingestd)
remoto = tcp://${ADDR[$h]}:7001
trabajo = tcp://${ADDR[$h]}:7002
certificado = $W/keys/servicio-ingestd.key_secret
lote = 512
EOF
    cat >"$W/conf/cl$i.conf" <<EOF
[general]
datos = $DATA
[clasificador]
conninfo = $(conninfo pmm_clasificd)
clave = $W/keys/servicio-clasificd-$i.key_secret
lote = 128
[ingestd]
trabajo = $TRABAJO
clave_servidor = $W/keys/servicio-ingestd.key
[aggregd]
eventos = tcp://${ADDR[ag]}:7004
clave_servidor = $W/keys/servicio-aggregd.key
EOF
    cat >"$W/conf/c$i.conf" <<EOF
[general]
datos = $DATA
[ingestd]
endpoint = tcp://${ADDR[in1]}:7001, tcp://${ADDR[in2]}:7001
clave_servidor = $W/keys/servicio-ingestd.key
[cliente]
clave = $W/keys/analista-cliente$i.key_secret
ventana = 256
espera_ms = 2000
intentos = 10
EOF
done
cat >"$W/conf/ag.conf" <<EOF
[general]
datos = $DATA
[aggregd]
conninfo = $(conninfo pmm_aggregd)
endpoint = tcp://${ADDR[ag]}:7003
eventos = tcp://${ADDR[ag]}:7004
certificado = $W/keys/servicio-aggregd.key_secret
recalculo = no
EOF

declare -A PID
start_daemon() {   # host binary
    local h=$1 b=$2
    # a simple command, so $! is the daemon itself (ip netns exec execs it)
    ip netns exec "$(ns "$h")" "$BIN/$b" --config "$W/conf/$h.conf" \
        >"$LOG/$h-$b.log" 2>&1 &
    PID[$h]=$!
    disown "${PID[$h]}"
}
say "demonios: aggregd (ag), ingestd (in1, in2), clasificd (cl1, cl2)"
start_daemon ag aggregd
start_daemon in1 ingestd
start_daemon in2 ingestd
start_daemon cl1 clasificd
start_daemon cl2 clasificd
ready=0
for _ in $(seq 1 100); do
    for h in ag in1 in2 cl1 cl2; do
        kill -0 "${PID[$h]}" 2>/dev/null || die "el demonio de $h terminó al arrancar"
    done
    if pmm_admin estado >"$W/out/estado0.txt" 2>&1; then ready=1; break; fi
    sleep 0.2
done
[ $ready = 1 ] || { cat "$W/out/estado0.txt" >&2; die "la pila no respondió a tiempo"; }
sed 's/^/    /' "$W/out/estado0.txt"

# --- the fichas -------------------------------------------------------------------
"$BIN/pmm" --config "$W/conf/admin.conf" muestra --n "$N_FICHAS" --semilla 77 \
    >"$W/fichas.jsonl"
total=$(wc -l <"$W/fichas.jsonl")
[ "$total" = "$N_FICHAS" ] || die "pmm muestra dio $total fichas"
a_end=$((N_FICHAS * 6 / 10))
b_start=$((N_FICHAS * 4 / 10 + 1))
# both clients start with the shared fichas, so the same ficha often
# reaches both collectors at once (before the collector is killed)
{ sed -n "${b_start},${a_end}p" "$W/fichas.jsonl"
  sed -n "1,$((b_start - 1))p" "$W/fichas.jsonl"; } >"$W/c1.jsonl"
sed -n "${b_start},${N_FICHAS}p" "$W/fichas.jsonl" >"$W/c2.jsonl"
say "envío: c1 manda $(wc -l <"$W/c1.jsonl") fichas y c2 $(wc -l <"$W/c2.jsonl") (las $((a_end - b_start + 1)) del medio, ambos), cada uno a los dos colectores"

q_primary() { in_ns pg1 "$PGBIN/psql" -h "$W/pg1/sock" -U pmm -d pmm -Atqc "$1"; }
q_replica() {
    in_ns c1 env PGPASSFILE="$W/pgpass" "$PGBIN/psql" -h "${ADDR[pg2]}" -U "${2:-pmm}" \
        -d pmm -v ON_ERROR_STOP=1 -Atqc "$1"
}

ip netns exec "$(ns c1)" "$BIN/pmm" --config "$W/conf/c1.conf" enviar --json \
    "$W/c1.jsonl" >"$W/out/c1.jsonl" 2>"$LOG/c1-enviar.log" &
PID_C1=$!
ip netns exec "$(ns c2)" "$BIN/pmm" --config "$W/conf/c2.conf" enviar --json \
    "$W/c2.jsonl" >"$W/out/c2.jsonl" 2>"$LOG/c2-enviar.log" &
PID_C2=$!

# midway: kill one worker and one collector
kill_at=$((N_FICHAS * 3 / 10))
for _ in $(seq 1 600); do
    n=$(q_primary "SELECT count(*) FROM fichas")
    [ "$n" -ge "$kill_at" ] && break
    kill -0 $PID_C1 2>/dev/null || kill -0 $PID_C2 2>/dev/null || break
    sleep 0.1
done
cls=$(q_primary "SELECT count(DISTINCT ficha_id) FROM clasificaciones")
kill -KILL "${PID[cl2]}" "${PID[in2]}"
for _ in $(seq 1 50); do
    kill -0 "${PID[cl2]}" 2>/dev/null || kill -0 "${PID[in2]}" 2>/dev/null || break
    sleep 0.1
done
say "a mitad del envío ($n fichas guardadas, $cls clasificadas): SIGKILL a clasificd en cl2 y a ingestd en in2"

rc1=0 rc2=0
wait $PID_C1 || rc1=$?
wait $PID_C2 || rc2=$?
say "c1: $(tail -n 1 "$LOG/c1-enviar.log") (salida $rc1)"
say "c2: $(tail -n 1 "$LOG/c2-enviar.log") (salida $rc2)"
[ $rc1 = 0 ] && [ $rc2 = 0 ] || die "pmm enviar no terminó bien en algún cliente"

# --- the pipeline drains, the replica catches up ---------------------------------------
for _ in $(seq 1 1200); do
    pend=$(q_primary "SELECT (SELECT count(*) FROM cola_clasificar) + (SELECT count(*) FROM cola_agregar)")
    [ "$pend" = 0 ] && break
    kill -0 "${PID[cl1]}" 2>/dev/null || die "clasificd de cl1 terminó"
    kill -0 "${PID[ag]}" 2>/dev/null || die "aggregd terminó"
    sleep 0.1
done
[ "$pend" = 0 ] || die "las colas no se vaciaron: $pend pendientes"
lsn=$(q_primary "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 300); do
    caught=$(q_replica "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")
    [ "$caught" = t ] && break
    sleep 0.1
done
[ "$caught" = t ] || die "la réplica no alcanzó al primario ($lsn)"
say "colas vacías; la réplica reprodujo el WAL hasta $lsn"

# --- checks, on the replica ------------------------------------------------------------
[ "$(q_replica "SELECT pg_is_in_recovery()")" = t ] || die "pg2 no es una réplica"
fichas=$(q_replica "SELECT count(*) FROM fichas_vigentes")
versiones=$(q_replica "SELECT count(*) FROM fichas")
duplicadas=$(q_replica "SELECT count(*) - count(DISTINCT (emisor, ejercicio, clave)) FROM fichas")
clasificadas=$(q_replica "SELECT count(DISTINCT ficha_id) FROM clasificaciones")
clasif_dup=$(q_replica "SELECT count(*) - count(DISTINCT ficha_id) FROM clasificaciones")
agregadas=$(q_replica "SELECT count(*) FROM agregados")
total_tot=$(q_replica "SELECT coalesce(sum(fichas), 0) FROM totales WHERE filtro = '' AND dimension = 'total'")
# The totals against a brute-force GROUP BY straight from the fichas and
# their classifications (no decisions in this test), read as the reports'
# own role: for every year, the whole country (filtro '') and each
# dimension that comes from a single column, each measure. A cell missing
# on one side counts as zero.
read -r celdas_gb dif_gb <<<"$(q_replica "
WITH c AS (SELECT DISTINCT ON (ficha_id) * FROM clasificaciones ORDER BY ficha_id, id DESC),
v AS (SELECT f.*, c.eje, c.subtema FROM fichas_vigentes f JOIN c ON c.ficha_id = f.id),
bf AS (
  SELECT ejercicio, d.dimension, d.valor, count(*) AS fichas,
         sum(coalesce(acciones, 0)) AS acciones, sum(coalesce(personas, 0)) AS personas,
         sum(coalesce(mujeres, 0)) AS mujeres, sum(coalesce(hombres, 0)) AS hombres
    FROM v, LATERAL (VALUES ('total', ''), ('ambito', ambito),
                            ('objetivo', objetivo_pmm::text), ('eje', eje::text),
                            ('subtema', subtema), ('emisor', emisor),
                            ('dependencia', CASE WHEN ambito = 'federal' THEN dependencia END),
                            ('entidad', lpad(entidad::text, 2, '0'))) d(dimension, valor)
   WHERE d.valor IS NOT NULL
   GROUP BY 1, 2, 3),
t AS (SELECT * FROM totales WHERE filtro = ''
        AND dimension IN ('total', 'ambito', 'objetivo', 'eje', 'subtema', 'emisor',
                          'dependencia', 'entidad'))
SELECT count(*),
       count(*) FILTER (WHERE (coalesce(bf.fichas, 0), coalesce(bf.acciones, 0),
                               coalesce(bf.personas, 0), coalesce(bf.mujeres, 0),
                               coalesce(bf.hombres, 0))
                              IS DISTINCT FROM
                              (coalesce(t.fichas, 0), coalesce(t.acciones, 0),
                               coalesce(t.personas, 0), coalesce(t.mujeres, 0),
                               coalesce(t.hombres, 0)))
  FROM bf FULL JOIN t USING (ejercicio, dimension, valor)" pmm_consulta | tr '|' ' ')"
# And every cell of every filter (bodies, states) and dimension (SDGs,
# targets, challenges too), against a GROUP BY over the contributions that
# expands each into its cells here, independently of aggregd's rule
# (aggregd/celdas.c).
read -r celdas_all dif_all <<<"$(q_replica "
WITH f AS (
  SELECT a.*, '' AS filtro FROM v_contribuciones a WHERE NOT a.absorbida
  UNION ALL SELECT a.*, 'D:' || a.dependencia FROM v_contribuciones a
   WHERE a.ambito = 'federal' AND a.dependencia IS NOT NULL AND NOT a.absorbida
  UNION ALL SELECT a.*, 'E:' || lpad(a.entidad::text, 2, '0') FROM v_contribuciones a
   WHERE a.entidad IS NOT NULL AND NOT a.absorbida),
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
    FROM c GROUP BY 1, 2, 3, 4)
SELECT count(*),
       count(*) FILTER (WHERE (coalesce(n.fichas, 0), coalesce(n.acciones, 0),
                               coalesce(n.personas, 0), coalesce(n.mujeres, 0),
                               coalesce(n.hombres, 0))
                              IS DISTINCT FROM
                              (coalesce(t.fichas, 0), coalesce(t.acciones, 0),
                               coalesce(t.personas, 0), coalesce(t.mujeres, 0),
                               coalesce(t.hombres, 0)))
  FROM n FULL JOIN totales t USING (ejercicio, filtro, dimension, valor)" | tr '|' ' ')"
enviadas=$(cat "$W/c1.jsonl" "$W/c2.jsonl" | wc -l)
# batches that met the same ficha committed by the other collector first
# (unique violation): retried, and answered "repetida"
carreras=$(cat "$LOG"/in?-ingestd.log | grep -c 'SQLSTATE 23505' || true)
aceptadas=$(cat "$W/out/c1.jsonl" "$W/out/c2.jsonl" | grep -c '"estado":"aceptada"' || true)
repetidas=$(cat "$W/out/c1.jsonl" "$W/out/c2.jsonl" | grep -c '"estado":"repetida"' || true)

say "estado visto por el administrador (colectores, réplica y su retraso):"
pmm_admin estado 2>&1 | sed 's/^/    /' || true

cat <<EOF

== multihost: resultados, leídos en la RÉPLICA (${ADDR[pg2]}) ==
fichas distintas / envíos          $N_FICHAS / $enviadas
recibos: aceptadas + repetidas     $aceptadas + $repetidas
lotes reintentados (23505)         $carreras
fichas guardadas (vigentes)        $fichas
versiones guardadas                $versiones
duplicadas                         $duplicadas
clasificadas (clasificaciones dup) $clasificadas ($clasif_dup)
contribuciones en agregados        $agregadas
totales: fichas del país           $total_tot
totales vs GROUP BY (fichas)       $celdas_gb celdas, $dif_gb diferencias
totales vs GROUP BY (todo)         $celdas_all celdas, $dif_all diferencias
duración                           $((SECONDS - T0)) s
EOF

ok=1
check() { [ "$2" = "$3" ] || { echo "multihost: $1: $2, se esperaba $3" >&2; ok=0; }; }
check "fichas" "$fichas" "$N_FICHAS"
check "versiones" "$versiones" "$N_FICHAS"
check "duplicadas" "$duplicadas" 0
check "clasificadas" "$clasificadas" "$N_FICHAS"
check "clasificaciones duplicadas" "$clasif_dup" 0
check "agregados" "$agregadas" "$N_FICHAS"
check "total del país" "$total_tot" "$N_FICHAS"
# every line answered with a receipt (a ficha stored by the collector that
# died, resent to the other, is "repetida": so are the shared ones)
check "recibos" "$((aceptadas + repetidas))" "$enviadas"
[ "$aceptadas" -le "$N_FICHAS" ] || { echo "multihost: $aceptadas aceptadas > $N_FICHAS" >&2; ok=0; }
check "diferencias (GROUP BY por columnas)" "$dif_gb" 0
check "diferencias (GROUP BY completo)" "$dif_all" 0
[ "${celdas_gb:-0}" -gt 0 ] || { echo "multihost: no se comparó ninguna celda" >&2; ok=0; }
[ $ok = 1 ] || exit 1
kill "$WATCHDOG_PID" 2>/dev/null || true
failed=0
echo "multihost: OK"
