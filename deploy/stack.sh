#!/usr/bin/env bash
# deploy/stack.sh start [--limpio] | stop | status | borrar
#
# The embedded stack: a private PostgreSQL cluster (with PgBouncer in front
# of its read-only role when pgbouncer is installed, and continuous WAL
# archiving to a pgBackRest repository of its own), ingestd, clasificd and
# aggregd, all under $PMM_HOME (default ./.pmm). PostgreSQL and PgBouncer
# listen on Unix sockets only and the daemons on ipc:// sockets, each in a
# 0700 directory, so several homes run side by side without clashing.
# Writes $PMM_HOME/pmm.conf, which `pmm` reads whenever PMM_HOME is set.
#
# Environment: PMM_HOME, PMM_BIN (binaries; default <repo>/build/bin),
# PMM_DATOS (data directory; default <repo>/data), PMM_DAEMON_PREFIX (a
# command the daemons are started under, e.g. "valgrind --leak-check=full";
# for tests/faults/valgrind.sh), PMM_ARCHIVE_TIMEOUT (seconds, default 60:
# PostgreSQL's archive_timeout, written when archiving is first configured;
# it bounds what the asynchronous archive can lose).
# --limpio (with start): remove an existing home first (for tests).
# borrar: stop and remove the stack whole: the home, and as root its
# cluster, backups and sockets under /var/lib/pmm-pilas and /run/pmm-pilas.
# deploy/restaurar.sh sources this file for its functions (no command runs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
PMM_HOME=${PMM_HOME:-./.pmm}
mkdir -p "$PMM_HOME"
PMM_HOME=$(cd "$PMM_HOME" && pwd)
BIN=${PMM_BIN:-$repo/build/bin}
DATA=${PMM_DATOS:-$repo/data}
CONF=$PMM_HOME/pmm.conf
LOG=$PMM_HOME/log

say() { echo "stack: $*" >&2; }
die() { echo "stack: error: $*" >&2; exit 1; }

pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] || d=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")
    [ -x "$d/pg_ctl" ] || die "no se encontró PostgreSQL (pg_ctl); ejecute deploy/deps.sh"
    echo "$d"
}

# Where a stack's pieces live. The home ($PMM_HOME) holds what the user
# owns and reads: pmm.conf, keys, the daemons' logs. What PostgreSQL and
# PgBouncer must reach lives where their system user can always reach it,
# never inside the user's tree (a 0700 parent such as /root or a mktemp -d
# directory stops the "postgres" user from traversing it):
#   run   sockets (PostgreSQL, PgBouncer, ipc://) and pid files: as root
#         /run/pmm-pilas/<h>; as a user $PMM_HOME/run when that path is
#         short (Unix socket paths are limited to ~107 bytes) and made of
#         plain characters, else ${XDG_RUNTIME_DIR:-/tmp}/pmm-<uid>-<h>.
#         $PMM_HOME/run is then a symbolic link to it.
#   pg    the cluster's data: $PMM_HOME/pg for a user; as root
#         /var/lib/pmm-pilas/<h>/pg (owned by postgres, the PostgreSQL log
#         and PgBouncer's files beside it), $PMM_HOME/pg a link to it.
#   respaldo  the pgBackRest repository (backups and archived WAL), beside
#         pg: /var/lib/pmm-pilas/<h>/respaldo as root, $PMM_HOME/respaldo
#         for a user; pgBackRest's configuration, log and lock files in
#         pgbackrest/ beside it. One stanza and repository per home.
# <h> is derived from the home's absolute path, so homes run side by side.
# A stack started by an older stack.sh keeps the places it has: the links
# (or directories) $PMM_HOME/run and $PMM_HOME/pg are followed first.
home_hash() { printf '%s' "$PMM_HOME" | sha256sum | cut -c1-16; }

# A path PostgreSQL's configuration, libpq's conninfo and PgBouncer's ini
# take without quoting, and short enough for a socket under it.
plain_short_path() {
    [ ${#1} -le 80 ] && [[ "$1" =~ ^[A-Za-z0-9_./-]+$ ]]
}

run_dir() {
    local d=$PMM_HOME/run
    if [ -L "$d" ] || [ -d "$d" ]; then
        readlink -m "$d"
        return
    fi
    # an older stack.sh put a long home's sockets here without a link
    local legacy
    legacy=/tmp/pmm-$(home_hash)
    if [ ${#d} -gt 80 ] && [ -d "$legacy" ]; then
        echo "$legacy"
        return
    fi
    if [ "$(id -u)" != 0 ] && plain_short_path "$d"; then
        echo "$d"
        return
    fi
    if [ "$(id -u)" = 0 ]; then
        echo "/run/pmm-pilas/$(home_hash)"
    else
        echo "${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/pmm-$(id -u)-$(home_hash)"
    fi
}

pg_data_dir() {
    local d=$PMM_HOME/pg
    if [ -L "$d" ] || [ -d "$d" ]; then
        readlink -m "$d"
        return
    fi
    if [ "$(id -u)" = 0 ]; then
        echo "/var/lib/pmm-pilas/$(home_hash)/pg"
    else
        echo "$d"
    fi
}

# Refuses, before anything is created, a place where the stack cannot work,
# saying in Spanish what to do.
check_places() {
    case "$PMM_HOME" in
    *$'\n'*|*\'*|*\"*|*\\*)
        die "la ruta de PMM_HOME ($PMM_HOME) contiene un salto de línea, una comilla o una barra invertida, que la configuración de PostgreSQL no admite: elija otra" ;;
    esac
    [ -w "$PMM_HOME" ] ||
        die "no se puede escribir en $PMM_HOME: elija un PMM_HOME propio (por ejemplo PMM_HOME=\$HOME/pmm)"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 ||
            die "como root, PostgreSQL se ejecuta con el usuario del sistema postgres, que no existe: instale PostgreSQL con deploy/deps.sh"
        local base
        for base in /run /var/lib; do
            [ -d "$base" ] && [ -w "$base" ] ||
                die "como root, la pila guarda sus sockets y su clúster bajo $base, donde no se puede escribir"
        done
    else
        local r
        r=$(run_dir)
        [ -d "$r" ] || [ -w "$(dirname "$r")" ] ||
            die "no se puede crear el directorio de sockets $r: defina XDG_RUNTIME_DIR o TMPDIR con un directorio propio"
    fi
}

set_places() {
    RUN=$(run_dir)
    PGSOCK=$RUN/pg      # PostgreSQL's socket directory
    PGBSOCK=$RUN/pgb    # PgBouncer's socket directory (read-only queries)
    ZDIR=$RUN/zmq       # the daemons' ipc:// sockets, 0700
}
set_places
PGB_PORT=6432

# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# "postgres" system user (created by Debian's postgresql package).
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        # from /: postgres may not be allowed into the current directory
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}


# A pid file names a live process (not a zombie awaiting its reaper, not a
# recycled pid of some other program).
pid_alive() {
    [ -f "$1" ] || return 1
    local pid state
    pid=$(cat "$1")
    kill -0 "$pid" 2>/dev/null || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] || return 1
    grep -q "$(basename "$1" .pid)" "/proc/$pid/cmdline" 2>/dev/null
}

pg_start() {
    local bindir pgdata
    bindir=$(pg_bindir)
    pgdata=$(pg_data_dir)
    PGLOG=$(dirname "$pgdata")/postgresql.log
    mkdir -p "$RUN" "$LOG" "$PGSOCK" "$(dirname "$pgdata")"
    chmod 0700 "$RUN"
    [ "$RUN" = "$PMM_HOME/run" ] || [ -e "$PMM_HOME/run" ] || ln -sfn "$RUN" "$PMM_HOME/run"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PGSOCK" "$(dirname "$pgdata")"
        chmod 0711 "$RUN"   # postgres must reach its socket directory
    fi
    chmod 0700 "$PGSOCK"
    if [ "$(id -u)" = 0 ] && ! as_pg test -w "$PGSOCK"; then
        die "el usuario postgres no puede entrar en $PGSOCK: revise los permisos de sus directorios superiores"
    fi
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        say "creando el clúster de PostgreSQL en $pgdata"
        as_pg mkdir -p "$pgdata"
        as_pg "$bindir/initdb" -D "$pgdata" -U pmm --auth=trust -E UTF8 \
            --locale=C >"$LOG/initdb.log" 2>&1 || { cat "$LOG/initdb.log" >&2; die "initdb falló"; }
        as_pg tee -a "$pgdata/postgresql.conf" >/dev/null <<EOF
# pmm embedded stack
listen_addresses = ''
unix_socket_directories = '$PGSOCK'
unix_socket_permissions = 0700
synchronous_commit = on
fsync = on
max_connections = 100
EOF
    fi
    respaldo_configure "$pgdata"
    [ "$pgdata" = "$PMM_HOME/pg" ] || [ -e "$PMM_HOME/pg" ] || ln -sfn "$pgdata" "$PMM_HOME/pg"
    if as_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        return 0
    fi
    # the socket directory may have moved (home renamed): keep it current
    as_pg sed -i "s|^unix_socket_directories = .*|unix_socket_directories = '$PGSOCK'|" \
        "$pgdata/postgresql.conf"
    as_pg "$bindir/pg_ctl" -D "$pgdata" -l "$PGLOG" -w -t 60 start \
        >/dev/null || { tail -n 20 "$PGLOG" >&2; die "PostgreSQL no arrancó"; }
    if ! "$bindir/psql" -h "$PGSOCK" -U pmm -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = 'pmm'" | grep -q 1; then
        "$bindir/createdb" -h "$PGSOCK" -U pmm pmm
    fi
}

pg_stop() {
    local bindir pgdata
    bindir=$(pg_bindir)
    pgdata=$(pg_data_dir)
    if [ -f "$pgdata/PG_VERSION" ] &&
        as_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        as_pg "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
        return
    fi
    pg_stop_orphan "$pgdata"
}

# A postmaster whose data directory was deleted under it (or lost its
# postmaster.pid) still runs and holds the socket: pg_ctl cannot see it.
# Its pid is in the socket's lock file; it is ours if it runs postgres from
# this data directory (deleted or not). Immediate shutdown, then SIGKILL.
pg_stop_orphan() {
    local pgdata=$1 lock pid cwd
    lock=$PGSOCK/.s.PGSQL.5432.lock
    [ -f "$lock" ] || return 0
    pid=$(head -n 1 "$lock" 2>/dev/null) || return 0
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] || return 0
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 0
    [ "$cwd" = "$pgdata" ] || [ "$cwd" = "$pgdata (deleted)" ] || return 0
    say "PostgreSQL (pid $pid) sigue en marcha sin su directorio de datos: se detiene"
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    # its children leave when they notice; the lock names a dead pid now,
    # which the next postmaster ignores
    for _ in $(seq 1 50); do
        pgrep -P "$pid" >/dev/null 2>&1 || break
        sleep 0.1
    done
}

# --- Continuous archiving and backups (pgBackRest) -------------------------
# Every stack has its own pgBackRest configuration, repository, log and
# lock directories beside its cluster, and one stanza: PostgreSQL archives
# each WAL segment there (archive_command = pgbackrest archive-push) as soon
# as it is full, and at the latest archive_timeout seconds after a write.
# `pmm respaldo` (backups, listing, checks) finds the same places in
# pmm.conf [respaldo]; deploy/restaurar.sh restores from them. What the
# asynchronous archive can lose is the WAL not yet archived: at most
# archive_timeout seconds of commits (deploy/README.md, "RPO").
STANZA=pmm
RETENCION=2       # full backups kept (older ones expire with their WAL)
COMPRESION=zst

respaldo_places() {
    local area
    area=$(dirname "$(pg_data_dir)")
    REPO=$area/respaldo
    BRDIR=$area/pgbackrest
    BRCONF=$BRDIR/pgbackrest.conf
}
respaldo_places

pgbr() { as_pg pgbackrest --config="$BRCONF" --stanza="$STANZA" "$@"; }

# pgBackRest's configuration (rewritten at every start: the socket
# directory may move) and the archiving lines of postgresql.conf. A cluster
# made by an older stack.sh gets them here too; PostgreSQL applies
# archive_mode at its next start (respaldo_start says so).
respaldo_configure() {
    local pgdata=$1 conf
    command -v pgbackrest >/dev/null 2>&1 ||
        die "falta pgBackRest (paquete pgbackrest), con el que la pila archiva su WAL y hace respaldos: ejecute deploy/deps.sh"
    # made as ourselves, then given to postgres: the area may be a home
    # that postgres cannot write (a stack of an older stack.sh)
    mkdir -p "$REPO" "$BRDIR/log" "$BRDIR/lock"
    [ "$(id -u)" != 0 ] || chown postgres "$REPO" "$BRDIR" "$BRDIR/log" "$BRDIR/lock"
    chmod 0750 "$REPO" "$BRDIR"
    as_pg tee "$BRCONF" >/dev/null <<INI
# Written by deploy/stack.sh for the stack in $PMM_HOME, at every start.
# pmm respaldo (pmm.conf [respaldo]) and deploy/restaurar.sh use it.
[global]
repo1-path=$REPO
repo1-retention-full=$RETENCION
compress-type=$COMPRESION
log-path=$BRDIR/log
lock-path=$BRDIR/lock
log-level-console=warn
log-level-file=info
start-fast=y
# many small files in few bundles: far fewer fsyncs (a 30 MB cluster: 12 s -> 3 s)
repo1-bundle=y

[$STANZA]
pg1-path=$pgdata
pg1-socket-path=$PGSOCK
pg1-user=pmm
INI
    conf=$pgdata/postgresql.conf
    # '' is a quote inside a postgresql.conf string: the shell that runs
    # the command sees the path quoted (it may hold spaces)
    local cmd="'pgbackrest --config=''$BRCONF'' --stanza=$STANZA archive-push %p'"
    if ! as_pg grep -q '^# pmm: archivado continuo' "$conf"; then
        as_pg tee -a "$conf" >/dev/null <<EOF
# pmm: archivado continuo (pgBackRest; deploy/stack.sh)
wal_level = replica
archive_mode = on
archive_command = $cmd
archive_timeout = ${PMM_ARCHIVE_TIMEOUT:-60}
EOF
    elif ! as_pg "$(pg_bindir)/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        # the configuration file may have moved with the home
        as_pg env L="archive_command = $cmd" awk \
            '$1 == "archive_command" && $2 == "=" { print ENVIRON["L"]; next } { print }' \
            "$conf" | as_pg tee "$conf.pmm-tmp" >/dev/null
        as_pg mv "$conf.pmm-tmp" "$conf"
    fi
}

# Once PostgreSQL runs with archiving: the stanza and a first check (the
# WAL reaches the repository) when the repository is new.
respaldo_start() {
    local mode
    mode=$("$(pg_bindir)/psql" -h "$PGSOCK" -U pmm -d postgres -Atqc "SHOW archive_mode")
    if [ "$mode" != on ]; then
        say "aviso: el archivado continuo (respaldos) quedó configurado, pero PostgreSQL lo activa al reiniciarse: ejecute deploy/stack.sh stop y luego deploy/stack.sh start"
        return 0
    fi
    [ -f "$REPO/backup/$STANZA/backup.info" ] && return 0
    say "creando el repositorio de respaldos en $REPO (pgBackRest, stanza $STANZA)"
    pgbr stanza-create >>"$LOG/respaldo.log" 2>&1 ||
        die "pgBackRest no pudo crear la stanza $STANZA (detalles en $LOG/respaldo.log y $BRDIR/log)"
    pgbr check >>"$LOG/respaldo.log" 2>&1 ||
        die "el WAL no llega al repositorio de respaldos (pgbackrest check; detalles en $LOG/respaldo.log y $BRDIR/log)"
}

# PgBouncer in front of the read-only role: a `pmm totales` then connects
# to a process that is already running instead of starting a PostgreSQL
# backend, which was about a third of the command's time. Session pooling:
# a server connection serves one client from connect to disconnect, so
# nothing about a session's state changes for the CLI. Optional: without
# pgbouncer installed, queries connect to PostgreSQL directly.
pgb_conf_dir() { echo "$(dirname "$(pg_data_dir)")/pgbouncer"; }

pgb_start() {
    command -v pgbouncer >/dev/null 2>&1 || return 0
    local dir
    dir=$(pgb_conf_dir)
    pid_alive "$dir/pgbouncer.pid" && return 0
    as_pg mkdir -p "$dir"
    mkdir -p "$PGBSOCK"
    [ "$(id -u)" = 0 ] && chown postgres "$PGBSOCK"
    chmod 0700 "$PGBSOCK"
    echo '"pmm_consulta" ""' | as_pg tee "$dir/usuarios.txt" >/dev/null
    as_pg tee "$dir/pgbouncer.ini" >/dev/null <<INI
; Written by deploy/stack.sh: PgBouncer for the read-only role only.
[databases]
pmm = host=$PGSOCK dbname=pmm
[pgbouncer]
listen_addr =
unix_socket_dir = $PGBSOCK
unix_socket_mode = 0700
listen_port = $PGB_PORT
; trust, as PostgreSQL's: the socket directory is private (0700)
auth_type = trust
auth_file = $dir/usuarios.txt
pool_mode = session
default_pool_size = 10
max_client_conn = 200
server_idle_timeout = 600
; while PostgreSQL is down (a crash, a full disk) a query waits this long
; for a server, not the default 120 s (pmm estado would hang that long)
query_wait_timeout = 15
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    as_pg pgbouncer -d -q "$dir/pgbouncer.ini" ||
        die "PgBouncer no arrancó (vea $dir/pgbouncer.log)"
}

pgb_stop() {
    local pidf
    pidf=$(pgb_conf_dir)/pgbouncer.pid
    pid_alive "$pidf" || return 0
    kill -INT "$(cat "$pidf")" 2>/dev/null || true
    for _ in $(seq 1 50); do
        pid_alive "$pidf" || return 0
        sleep 0.1
    done
}

# The read-only conninfo: through PgBouncer when it runs.
lectura_conninfo() {
    if pid_alive "$(pgb_conf_dir)/pgbouncer.pid"; then
        echo "host=$PGBSOCK port=$PGB_PORT dbname=pmm user=pmm_consulta"
    else
        echo "host=$PGSOCK dbname=pmm user=pmm_consulta"
    fi
}

# A loopback TCP port for the CURVE endpoint: chosen once per home (derived
# from its path, the next free one if taken) and kept in $PMM_HOME/puerto.
remote_port() {
    if [ -f "$PMM_HOME/puerto" ]; then
        cat "$PMM_HOME/puerto"
        return
    fi
    local p
    p=$((20000 + $(printf '%s' "$PMM_HOME" | cksum | cut -d' ' -f1) % 20000))
    while (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; do
        p=$((p + 1))
    done
    echo $p >"$PMM_HOME/puerto"
    echo $p
}

# Schema, least-privilege login roles and the server's CURVE keys.
prepare_db() {
    local bindir
    bindir=$(pg_bindir)
    PMM_CONF=$CONF "$BIN/pmm" migrar >/dev/null
    "$bindir/psql" -h "$PGSOCK" -U pmm -d pmm -v ON_ERROR_STOP=1 -Atq <<'SQL'
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('pmm_ingestd', 'pmm_ingesta'),
                                   ('pmm_clasificd', 'pmm_clasificador'),
                                   ('pmm_aggregd', 'pmm_agregador'),
                                   ('pmm_consulta', 'pmm_lectura')) AS v(login, grp) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', r.login, r.grp);
        END IF;
    END LOOP;
END
$$;
SQL
    if [ ! -f "$PMM_HOME/claves/ingestd.key_secret" ]; then
        PMM_CONF=$CONF "$BIN/pmm" claves emitir --servicio ingestd -o "$PMM_HOME/claves" >/dev/null
        mv "$PMM_HOME/claves/servicio-ingestd.key" "$PMM_HOME/claves/ingestd.key"
        mv "$PMM_HOME/claves/servicio-ingestd.key_secret" "$PMM_HOME/claves/ingestd.key_secret"
    fi
}

write_conf() {
    local port
    port=$(remote_port)
    # written aside and renamed: a client starting meanwhile (pmm enviar
    # retrying through a restart) reads the old file or the new one, whole
    cat >"$CONF.tmp" <<EOF
# Written by deploy/stack.sh for the stack in $PMM_HOME.
# Any value can be overridden by PMM_<SECTION>_<KEY> in the environment.
[general]
datos = $DATA
log = info

[postgresql]
# owner of the schema: migrations and administration (keys, contact data)
conninfo = host=$PGSOCK dbname=pmm user=pmm
# read-only role for queries and reports (through PgBouncer if it runs)
lectura = $(lectura_conninfo)
# the cluster's data directory: pmm estado measures its free space (and
# its WAL's) even while PostgreSQL is down
directorio_datos = $(pg_data_dir)

[ingestd]
conninfo = host=$PGSOCK dbname=pmm user=pmm_ingestd
endpoint = ipc://$ZDIR/ingestd.sock
trabajo = ipc://$ZDIR/trabajo.sock
lote = 512
# TCP endpoint for remote senders: CURVE only, keys from pmm claves emitir
remoto = tcp://127.0.0.1:$port
certificado = $PMM_HOME/claves/ingestd.key_secret
clave_servidor = $PMM_HOME/claves/ingestd.key

[clasificador]
conninfo = host=$PGSOCK dbname=pmm user=pmm_clasificd
lote = 256

[aggregd]
conninfo = host=$PGSOCK dbname=pmm user=pmm_aggregd
endpoint = ipc://$ZDIR/aggregd.sock
eventos = ipc://$ZDIR/eventos.sock
recalculo = 03:00

[cliente]
ventana = 256
espera_ms = 5000
intentos = 5

[respaldo]
# pgBackRest: pmm respaldo crear|listar|verificar and deploy/restaurar.sh
stanza = $STANZA
repositorio = $REPO
retencion = $RETENCION
compresion = $COMPRESION
configuracion = $BRCONF
registros = $BRDIR/log
$([ "$(id -u)" = 0 ] && echo "usuario = postgres")
EOF
    mv -f "$CONF.tmp" "$CONF"
}

DAEMONS="ingestd clasificd aggregd"

daemon_start() {
    local name=$1
    local pidf=$RUN/$name.pid
    pid_alive "$pidf" && return 0
    [ -x "$BIN/$name" ] || die "no existe $BIN/$name: compile primero (cmake --build build)"
    # shellcheck disable=SC2086 # the prefix is a command line, split on purpose
    nohup ${PMM_DAEMON_PREFIX:-} "$BIN/$name" --config "$CONF" >>"$LOG/$name.log" 2>&1 &
    echo $! >"$pidf"
}

daemon_stop() {
    local pidf=$RUN/$1.pid
    pid_alive "$pidf" || { rm -f "$pidf"; return 0; }
    local pid
    pid=$(cat "$pidf")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidf"
}

wait_ready() {
    for _ in $(seq 1 100); do
        if PMM_HOME=$PMM_HOME "$BIN/pmm" estado >/dev/null 2>&1; then
            return 0
        fi
        for d in $DAEMONS; do
            pid_alive "$RUN/$d.pid" || { tail -n 20 "$LOG/$d.log" >&2; die "$d terminó al arrancar"; }
        done
        sleep 0.2
    done
    PMM_HOME=$PMM_HOME "$BIN/pmm" estado >&2 || true
    die "la pila no respondió a tiempo"
}

# Stops the stack and removes all of it: the home and the places outside it
# (cluster, backup repository, sockets). For tests and for starting over;
# a deleted clone otherwise leaves its cluster in /var/lib/pmm-pilas.
remove_stack() {
    cmd_stop 2>/dev/null || true
    local pgdata
    pgdata=$(pg_data_dir)
    rm -rf "$PMM_HOME" "$RUN"
    # only a place this script made: never a cluster pg links to elsewhere
    case "$pgdata" in
    /var/lib/pmm-pilas/?*/pg) rm -rf "$(dirname "$pgdata")" ;;
    esac
}

cmd_start() {
    if [ "${1:-}" = "--limpio" ]; then
        remove_stack
        mkdir -p "$PMM_HOME"
        set_places
        respaldo_places
    fi
    check_places
    pg_start
    respaldo_start
    mkdir -p "$ZDIR"
    chmod 0700 "$ZDIR"
    pgb_start
    write_conf
    prepare_db
    for d in $DAEMONS; do daemon_start "$d"; done
    wait_ready
    say "pila en marcha en $PMM_HOME (configuración: $CONF)"
}

cmd_stop() {
    for d in $DAEMONS; do daemon_stop "$d"; done
    pgb_stop
    pg_stop
    say "pila detenida ($PMM_HOME)"
}

cmd_status() {
    local rc=0
    for d in $DAEMONS; do
        if pid_alive "$RUN/$d.pid"; then
            echo "$d: en marcha (pid $(cat "$RUN/$d.pid"))"
        else
            echo "$d: detenido"
            rc=1
        fi
    done
    if pid_alive "$(pgb_conf_dir)/pgbouncer.pid"; then
        echo "pgbouncer: en marcha (pid $(cat "$(pgb_conf_dir)/pgbouncer.pid"))"
    fi
    if [ -f "$CONF" ] && [ -x "$BIN/pmm" ]; then
        PMM_HOME=$PMM_HOME "$BIN/pmm" estado || rc=1
    fi
    return $rc
}

[ "${BASH_SOURCE[0]}" = "$0" ] || return 0   # sourced (deploy/restaurar.sh)
case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) cmd_stop ;;
status) cmd_status ;;
borrar) remove_stack; say "pila borrada ($PMM_HOME)" ;;
*) echo "uso: deploy/stack.sh start [--limpio] | stop | status | borrar" >&2; exit 2 ;;
esac
