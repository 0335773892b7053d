# shellcheck shell=bash
# tests/respaldo/disco_lleno.sh -- full disks under load (sourced by
# respaldo.sh). Root only (mounts).
#
# The stack's data directory, its pg_wal and the daemons' log directory are
# moved onto three small tmpfs volumes, and the daemons log at debug level
# (a line per batch). Then, while fichas stream in:
#   1. the log volume is filled to the last byte and stays full until the
#      end: no daemon may stop (every log write fails with ENOSPC);
#   2. pg_wal is filled (a few MB left): PostgreSQL cannot write WAL
#      (PANIC), ingestd answers "ocupado" and issues no receipt, pmm enviar
#      keeps the fichas and retries; the space is freed (and PostgreSQL
#      started again if it stopped), and the stream finishes;
#   3. the data directory is filled: PostgreSQL cannot extend a table
#      (SQLSTATE 53100), the same;
#   4. ingestd's standard error is a pipe whose reader has gone (EPIPE on
#      every log line), and PostgreSQL crashes meanwhile (ingestd logs a
#      warning per attempt): ingestd keeps running.
# Each time `pmm estado` must flag the full volume. At the end every ficha
# has a receipt, is stored exactly once, and the totals equal a GROUP BY.

home_hash_here() { printf '%s' "$PMM_HOME" | sha256sum | cut -c1-16; }

# Mount points of this test (also the leftovers of an interrupted run).
montajes() {
# (-l prints a target as it is, spaces included; -r would escape them)
    findmnt -ln -o TARGET | grep -F -e "$PMM_HOME/" -e "/var/lib/pmm-pilas/$(home_hash_here)/" |
        sort -r
}

desmontar() {
    local m
    while IFS= read -r m; do
        [ -n "$m" ] || continue
        umount "$m" 2>/dev/null || umount -l "$m"
    done < <(montajes)
}

antes_de_arrancar() {
    [ "$(id -u)" = 0 ] || skip "necesita root (monta volúmenes tmpfs pequeños)"
    command -v findmnt >/dev/null || skip "falta findmnt (util-linux)"
    desmontar
}
limpieza_extra() { desmontar; }

libre() { df -B1 --output=avail "$1" | tail -n 1 | tr -d ' '; }

# Leaves $2 bytes free on the volume of $1 (a filler file, $1/relleno).
llenar() {
    local dir=$1 deja=$2 n
    n=$(($(libre "$dir") - deja))
    [ "$n" -gt 0 ] || return 0
    fallocate -l "$n" "$dir/relleno" 2>/dev/null ||
        dd if=/dev/zero of="$dir/relleno" bs=1M count=$((n / 1048576)) status=none 2>/dev/null
    return 0
}

# A tmpfs of $2 at $1 holding what $1 held (owner and mode kept).
a_tmpfs() {
    local dir=$1 size=$2 own mode
    own=$(stat -c %U:%G "$dir")
    mode=$(stat -c %a "$dir")
    mv "$dir" "$dir.disco"
    mkdir "$dir"
    mount -t tmpfs -o "size=$size,mode=$mode" tmpfs "$dir"
    chown "$own" "$dir"
    cp -a "$dir.disco/." "$dir/"
    rm -rf "$dir.disco"
}

pid_de() { cat "$PMM_HOME/run/$1.pid"; }
vivos() {
    local d
    for d in ingestd clasificd aggregd; do
        kill -0 "$(pid_de "$d")" 2>/dev/null || fail "$d terminó ($1)"
    done
}

# Waits until the stream in $1 stalls: no new receipt for 4 s while the
# client still runs, and PostgreSQL's log says why ($2, a pattern).
esperar_atasco() {
    local dir=$1 patron=$2 antes=-1 ahora quieto=0
    for _ in $(seq 1 240); do
        ahora=$(con_recibo "$dir" | wc -l)
        if [ "$ahora" = "$antes" ]; then quieto=$((quieto + 1)); else quieto=0; fi
        antes=$ahora
        if [ $quieto -ge 8 ] && grep -q -E "$patron" "$PGLOG"; then
            ATASCO=$ahora
            return 0
        fi
        kill -0 "$STREAM_PID" 2>/dev/null || fail "el envío terminó sin que se llenara el disco"
        sleep 0.5
    done
    fail "el envío no se detuvo con el disco lleno"
}

# pmm estado flags volume $1 (datos, wal, respaldos) as short of space
# (without the read-only connection: through PgBouncer it waits for
# PostgreSQL up to query_wait_timeout).
estado_avisa() {
    local out
    out=$(PMM_ESTADO_ESPACIO_MINIMO_MB=24 PMM_POSTGRESQL_LECTURA='' pmm estado 2>&1)
    echo "$out" | grep -E "^(PostgreSQL|Espacio| +(datos|wal|respaldos) |AVISO)" |
        sed 's/^/    /'
    grep -q -E "^ *(Espacio)? +$1 .*POCO ESPACIO" <<<"$out" ||
        fail "pmm estado no avisa de poco espacio en $1"
}

# Frees the filler; starts PostgreSQL again if it stopped; waits for the
# stream to end.
liberar() {
    local dir=$1 t=$EPOCHREALTIME
    rm -f "$dir/relleno"
    if ! q "SELECT 1" >/dev/null 2>&1; then
        say "PostgreSQL se detuvo: se arranca de nuevo (deploy/stack.sh start)"
        stack start >>"$W/stack.log" 2>&1 || fail "deploy/stack.sh start falló tras liberar espacio"
    fi
    wait "$STREAM_PID"
    STREAM_PID=
    say "espacio liberado; envío terminado $(awk -v a="$EPOCHREALTIME" -v b="$t" 'BEGIN{printf "%.1f", a - b}') s después"
}

fase() {
    local nombre=$1 desde=$2 n=$3 pausa=${4:-0.05}
    sed -n "$desde,$((desde + n - 1))p" "$W/fichas.jsonl" >"$W/$nombre.jsonl"
    enviar_lotes "$W/$nombre.jsonl" "$W/$nombre" 250 "$pausa" &
    STREAM_PID=$!
}

prueba_disco_lleno() {
    local pg area
    pg=$(pgdata)
    area=$(dirname "$pg")
    PGLOG=$area/postgresql.log
    pmm muestra --n 10000 --semilla 53 >"$W/fichas.jsonl"
    stack stop >/dev/null
    a_tmpfs "$pg" 192m
    mkdir "$area/wal"
    chown postgres "$area/wal"
    chmod 0700 "$area/wal"
    a_tmpfs "$area/wal" 112m
    cp -a "$pg/pg_wal/." "$area/wal/"
    rm -rf "$pg/pg_wal"
    ln -s "$area/wal" "$pg/pg_wal"
    chown -h postgres "$pg/pg_wal"
    a_tmpfs "$PMM_HOME/log" 4m
    # every batch logged (the log volume will be full)
    PMM_GENERAL_LOG=debug stack start >"$W/stack.log" 2>&1 ||
        { cat "$W/stack.log" >&2; fail "la pila no arrancó sobre tmpfs"; }
    say "datos (192 MB), pg_wal (112 MB) y registros (4 MB) en tmpfs; registros en nivel debug"
    local pids0
    pids0="$(pid_de clasificd) $(pid_de aggregd)"

    # 1. the log volume, full until the end
    llenar "$PMM_HOME/log" 0
    dd if=/dev/zero of="$PMM_HOME/log/relleno2" bs=4k status=none 2>/dev/null
    # (a log file may still end within a page: what it appends up to the
    # page's end goes in, then every write fails)
    if echo x >"$PMM_HOME/log/prueba" 2>/dev/null; then
        fail "el volumen de registros no quedó lleno"
    fi
    say "1. volumen de registros lleno (las escrituras fallan con ENOSPC)"

    # 2. pg_wal full. PostgreSQL writes into segments it created before
    # (16 MB each) and renames old ones into future ones: without
    # recycling, two switches and a checkpoint leave none in advance, so
    # the stream needs a new one once the current one is full or when
    # archive_timeout switches (10 s: the stream lasts longer)
    q "ALTER SYSTEM SET wal_recycle = off" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    for _ in 1 2; do
        q "SELECT pg_logical_emit_message(false, 'pmm-prueba', 'x')" >/dev/null
        q "SELECT pg_switch_wal()" >/dev/null
    done
    for _ in $(seq 1 50); do
        compgen -G "$area/wal/archive_status/*.ready" >/dev/null || break
        sleep 0.2
    done
    q "CHECKPOINT" >/dev/null
    say "   pg_wal antes de llenarlo: $(find "$area/wal" -maxdepth 1 -regex '.*/[0-9A-F]\{24\}' | wc -l) segmentos"
    llenar "$area/wal" $((2 * 1048576))
    fase wal 1 6000 0.6
    esperar_atasco "$W/wal" "No space left on device"
    say "2. pg_wal lleno: envío detenido con $ATASCO recibos de 6000; ingestd responde «ocupado»"
    estado_avisa wal
    vivos "pg_wal lleno"
    liberar "$area/wal"

    # 3. the data directory full
    llenar "$pg" $((1 * 1048576))
    fase datos 6001 3000
    esperar_atasco "$W/datos" "could not extend file|No space left on device"
    say "3. directorio de datos lleno: envío detenido con $ATASCO recibos de 3000"
    estado_avisa datos
    vivos "directorio de datos lleno"
    liberar "$pg"

    # 4. EPIPE: ingestd's stderr a pipe nobody reads, PostgreSQL crashing
    (
        . "$PMM_SRC/deploy/stack.sh"
        daemon_stop ingestd
        mkfifo "$W/fifo"
        head -c 1 <"$W/fifo" >/dev/null &
        PMM_GENERAL_LOG=debug nohup "$BIN/ingestd" --config "$CONF" >/dev/null 2>"$W/fifo" &
        echo $! >"$RUN/ingestd.pid"
    )
    sleep 1
    fase tuberia 9001 1000
    sleep 1
    "$PMM_SRC/tests/faults/pg.sh" caida
    say "4. ingestd escribe sus registros en una tubería sin lector (EPIPE) y PostgreSQL cae"
    sleep 3
    "$PMM_SRC/tests/faults/pg.sh" arranque
    wait "$STREAM_PID"
    STREAM_PID=
    vivos "EPIPE"
    [ "$pids0" = "$(pid_de clasificd) $(pid_de aggregd)" ] ||
        fail "clasificd o aggregd se reiniciaron"
    rm -f "$PMM_HOME/log/relleno" "$PMM_HOME/log/relleno2" "$PMM_HOME/log/prueba"
    say "los tres servicios siguieron en marcha todo el tiempo"
    # with space again, the log lines come back (SIGHUP: aggregd logs it)
    kill -HUP "$(pid_de aggregd)"
    for _ in $(seq 1 25); do
        grep -q "SIGHUP" "$PMM_HOME/log/aggregd.log" && break
        sleep 0.2
    done
    grep -q "SIGHUP" "$PMM_HOME/log/aggregd.log" ||
        fail "aggregd no volvió a escribir su registro tras liberar espacio"
    say "con espacio de nuevo, los registros se reanudan"

    # the count
    esperar_colas
    local acked dist dup fallidas
    acked=$(for f in wal datos tuberia; do con_recibo "$W/$f"; done | cut -d' ' -f2 | sort -u | wc -l)
    read -r dist dup <<<"$(fichas_guardadas)"
    fallidas=$(cat "$W"/{wal,datos,tuberia}/lote-*.recibos | grep -c -v -E '"estado":"(aceptada|repetida)"')
    echo
    echo "== disco lleno: pg_wal, datos y registros llenos bajo carga =="
    printf '%-40s %s\n' "fichas enviadas" 10000 \
        "con recibo (aceptada o repetida)" "$acked" \
        "sin recibo" "$fallidas" \
        "fichas distintas guardadas" "$dist" \
        "duplicadas" "$dup" \
        "perdidas" "$((10000 - dist))"
    [ "$acked" = 10000 ] && [ "$fallidas" = 0 ] || fail "no todas las fichas obtuvieron recibo"
    [ "$dist" = 10000 ] && [ "$dup" = 0 ] || fail "$dist fichas distintas y $dup duplicadas"
    comprobar_totales
}
