# shellcheck shell=bash
# tests/respaldo/simulacro.sh -- the restore drill (sourced by respaldo.sh).
#
# Short form (CI): 6,000 fichas streamed in chunks of 200 with pmm enviar
# --json (receipts recorded with their time), a full backup (pmm respaldo
# crear) once a third is sent, and at a random instant later the cluster's
# data directory destroyed: `rm -rf` while PostgreSQL runs (simulacro_rm),
# or SIGKILL of every PostgreSQL process and then the deletion
# (simulacro_kill9). deploy/restaurar.sh --ultimo brings the stack back
# while the client keeps retrying; then every ficha is counted: sent,
# acknowledged, present, lost (acknowledged but absent) and duplicated,
# and the totals are compared with a GROUP BY. Asynchronous archiving may
# lose what was acknowledged in the last archive_timeout seconds before
# the destruction (and, with rm -rf, what PostgreSQL acknowledged after it
# while still running on deleted files): the test fails if a lost ficha
# was acknowledged earlier than that, or if anything is duplicated. Last,
# every ficha is sent again (what a sender does after a restore): then
# nothing may be missing.
#
# espejo: the same stream with a synchronous standby (a second local
# cluster replicating over a Unix socket, synchronous_standby_names): the
# primary's processes are killed and its data directory deleted, the
# standby is promoted (pg_ctl promote), the daemons are pointed at it and
# restarted; lost must be 0 with no resend.
#
# PMM_RESPALDO_LARGO=1: 100,000 fichas in chunks of 500 and three
# destructions and restores (rm -rf, SIGKILL, rm -rf) at random instants
# after the backup. PMM_SIMULACRO_FICHAS overrides the number of fichas.

largo() { [ "${PMM_RESPALDO_LARGO:-0}" != 0 ]; }

# Destroys the cluster's data directory: "rm" while it runs, "kill9" after
# SIGKILL of the postmaster and all its children. Appends the instant to
# D_T (epoch seconds).
destruir() {
    local modo=$1 dir pid
    dir=$(pgdata)
    if [ "$modo" = kill9 ]; then
        pid=$(head -n 1 "$dir/postmaster.pid")
        kill -KILL "$pid" $(pgrep -P "$pid") 2>/dev/null
    fi
    # a running server may still create files while they go
    for _ in 1 2 3 4 5; do rm -rf "$dir" 2>/dev/null && break; sleep 0.1; done
    [ ! -e "$dir" ] || fail "no se pudo borrar $dir"
    D_T+=("$EPOCHREALTIME")
}

# Waits until $1 chunks are done, or the streamer ends.
esperar_lotes() {
    while [ "$(lotes_hechos "$W/envio")" -lt "$1" ] && kill -0 "$STREAM_PID" 2>/dev/null; do
        sleep 0.2
    done
}

preparar_envio() {
    N=${PMM_SIMULACRO_FICHAS:-$(largo && echo 100000 || echo 6000)}
    LOTE=$(largo && echo 500 || echo 200)
    pmm muestra --n "$N" --semilla 2022 >"$W/fichas.jsonl" || fail "pmm muestra falló"
    NLOTES=$(((N + LOTE - 1) / LOTE))
    D_T=() D_R=()
    enviar_lotes "$W/fichas.jsonl" "$W/envio" "$LOTE" 0.2 &
    STREAM_PID=$!
    say "envío de $N fichas en $NLOTES lotes de $LOTE (pmm enviar --json, recibos con su hora)"
}

# The figures once the stream ended and the pipeline drained. $2: how many
# seconds before a destruction a lost ficha may have been acknowledged (0:
# nothing may be lost). A lost ficha acknowledged after a destruction and
# before restaurar.sh stopped PostgreSQL (still running on deleted files)
# is within that destruction's window too.
contar() {
    local titulo=$1 limite=$2
    con_recibo "$W/envio" | sort -k2,2 -u >"$W/recibos.txt"
    q "SELECT clave FROM fichas" | sort -u >"$W/presentes.txt"
    cut -d' ' -f2 "$W/recibos.txt" | sort >"$W/con_recibo.txt"
    comm -23 "$W/con_recibo.txt" "$W/presentes.txt" >"$W/perdidas.txt"
    local enviadas acked presentes dup distintas
    enviadas=$(wc -l <"$W/fichas.jsonl")
    acked=$(wc -l <"$W/con_recibo.txt")
    read -r distintas dup <<<"$(fichas_guardadas)"
    presentes=$(comm -12 "$W/con_recibo.txt" "$W/presentes.txt" | wc -l)
    LOST=$(wc -l <"$W/perdidas.txt")
    # when each lost ficha was acknowledged
    awk 'NR == FNR { lost[$1]; next } ($2 in lost) { print $1 }' \
        "$W/perdidas.txt" "$W/recibos.txt" | sort -n >"$W/perdidas_t.txt"
    echo
    echo "== $titulo =="
    printf '%-48s %s\n' "fichas enviadas" "$enviadas" \
        "con recibo (aceptada o repetida)" "$acked" \
        "presentes tras restaurar (de las con recibo)" "$presentes" \
        "perdidas (con recibo y ausentes)" "$LOST" \
        "duplicadas" "$dup" \
        "fichas distintas guardadas" "$distintas"
    local d fuera=0
    for d in "${!D_T[@]}"; do
        # per destruction: acknowledged after it (until the restore), lost
        # in its window, and the oldest lost receipt (the measured RPO)
        awk -v t="${D_T[$d]}" -v r="${D_R[$d]}" -v l="$limite" -v n=$((d + 1)) \
            -v rs="${D_RS[$d]:-?}" '
            FILENAME == ARGV[1] { if ($1 > t && $1 <= r) tras++; next }
            { if ($1 >= t - l && $1 <= r) { perd++; if (!viejo) viejo = $1 } }
            END {
                printf "%-48s %d\n", "destrucción " n ": recibidas tras ella (PostgreSQL aún en marcha)", tras
                printf "%-48s %d\n", "destrucción " n ": perdidas en su ventana", perd
                if (viejo) printf "%-48s %.1f s antes de la destrucción\n", "destrucción " n ": RPO medido (recibo perdido más antiguo)", t - viejo
                else printf "%-48s 0 (nada con recibo perdido)\n", "destrucción " n ": RPO medido"
                printf "%-48s %s s\n", "destrucción " n ": vuelta al servicio (restauración o promoción)", rs
            }' "$W/recibos.txt" "$W/perdidas_t.txt"
    done
    # lost fichas outside every window: a violation of the stated RPO
    fuera=$(awk -v ts="${D_T[*]}" -v rs="${D_R[*]}" -v l="$limite" '
        BEGIN { n = split(ts, T, " "); split(rs, R, " ") }
        { ok = 0; for (i = 1; i <= n; i++) if ($1 >= T[i] - l && $1 <= R[i]) ok = 1
          if (!ok) bad++ }
        END { print bad + 0 }' "$W/perdidas_t.txt")
    [ "$dup" = 0 ] || fail "$dup fichas duplicadas"
    if [ "$limite" = 0 ]; then
        [ "$LOST" = 0 ] || fail "$LOST fichas con recibo perdidas; se esperaba 0"
    fi
    [ "$fuera" = 0 ] ||
        fail "$fuera fichas con recibo perdidas fuera de la ventana de $limite s antes de una destrucción"
    [ "$distintas" -le "$enviadas" ] || fail "hay $distintas fichas distintas y se enviaron $enviadas"
}

reenviar_todo() {
    say "reenvío de todas las fichas (lo que hace un remitente tras una restauración)"
    PMM_CLIENTE_INTENTOS=30 pmm enviar --json "$W/fichas.jsonl" >"$W/reenvio.jsonl" 2>/dev/null
    local acept rep
    acept=$(grep -c '"estado":"aceptada"' "$W/reenvio.jsonl")
    rep=$(grep -c '"estado":"repetida"' "$W/reenvio.jsonl")
    esperar_colas
    local distintas dup
    read -r distintas dup <<<"$(fichas_guardadas)"
    printf '%-46s %s\n' "reenvío: aceptadas + repetidas" "$acept + $rep" \
        "tras reenviar: fichas distintas / duplicadas" "$distintas / $dup"
    [ "$((acept + rep))" = "$N" ] || fail "el reenvío no obtuvo recibo para todas"
    [ "$distintas" = "$N" ] && [ "$dup" = 0 ] ||
        fail "tras reenviar: $distintas fichas distintas y $dup duplicadas (se esperaban $N y 0)"
    comprobar_totales
}

simulacro() {
    local modos=("$@")
    preparar_envio
    esperar_lotes $((NLOTES / 3))
    say "respaldo completo a mitad del envío ($(lotes_hechos "$W/envio") de $NLOTES lotes)"
    pmm respaldo crear || fail "pmm respaldo crear falló"
    local i=0 modo desde hasta
    D_RS=()
    for modo in "${modos[@]}"; do
        # a random instant in the rest of the stream
        desde=$(lotes_hechos "$W/envio")
        hasta=$((desde + (NLOTES - desde) * 2 / (${#modos[@]} - i + 2)))
        esperar_lotes $((desde + 1 + RANDOM % (hasta - desde + 1)))
        sleep "0.$((RANDOM % 10))"
        destruir "$modo"
        say "destrucción $((i + 1)) ($modo) tras $(lotes_hechos "$W/envio") lotes; $(con_recibo "$W/envio" | wc -l) fichas con recibo"
        sleep $((1 + RANDOM % 3))
        local t=$EPOCHREALTIME
        # its lines timed: PostgreSQL is stopped once the data directory is
        # named (renamed, or found missing)
        "$PMM_SRC/deploy/restaurar.sh" --ultimo 2>&1 |
            while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done \
            >"$W/restaurar-$i.log"
        [ "${PIPESTATUS[0]}" = 0 ] || {
            cat "$W/restaurar-$i.log" >&2
            fail "deploy/restaurar.sh --ultimo falló"
        }
        D_R+=("$(grep -m1 -E 'directorio de datos' "$W/restaurar-$i.log" | cut -d' ' -f1)")
        D_RS+=("$(awk -v a="$EPOCHREALTIME" -v b="$t" 'BEGIN{printf "%.1f", a - b}')")
        say "restaurada en ${D_RS[$i]} s: $(grep -o 'PostgreSQL recuperado.*' "$W/restaurar-$i.log")"
        i=$((i + 1))
    done
    wait "$STREAM_PID"
    STREAM_PID=
    say "envío terminado; esperando a que se vacíen las colas"
    esperar_colas
}

# The window a lost ficha may fall in: archive_timeout, plus the archiving
# of a segment and the printing delay of a chunk (a receipt line is timed
# when printed, in input order).
VENTANA_EXTRA=5

prueba_simulacro_rm() {
    if largo; then simulacro rm kill9 rm; else simulacro rm; fi
    contar "simulacro: rm -rf del clúster en marcha ($N fichas, ${#D_T[@]} restauración(es))" \
        $((PMM_ARCHIVE_TIMEOUT + VENTANA_EXTRA))
    comprobar_totales
    reenviar_todo
}

prueba_simulacro_kill9() {
    simulacro kill9
    contar "simulacro: SIGKILL de PostgreSQL y borrado del clúster ($N fichas)" \
        $((PMM_ARCHIVE_TIMEOUT + VENTANA_EXTRA))
    comprobar_totales
    reenviar_todo
}

# --- the synchronous standby -------------------------------------------------
prueba_espejo() {
    # beside the primary's cluster and sockets (the postgres user reaches
    # them; deploy/stack.sh start --limpio removes them)
    local old sb sbsock
    old=$(pgsock)
    sb=$(dirname "$(pgdata)")/espejo
    sbsock=$(readlink -m "$PMM_HOME/run")/pge
    install -d -m 0700 "$sb" "$sbsock"
    [ "$(id -u)" != 0 ] || chown postgres "$sb" "$sbsock"
    ESPEJO=$sb
    limpieza_extra() {
        as_pg "$PGBIN/pg_ctl" -D "$ESPEJO" -m immediate -w stop >/dev/null 2>&1
    }
    say "espejo síncrono: pg_basebackup del primario por su socket Unix"
    as_pg "$PGBIN/pg_basebackup" -h "$old" -U pmm -D "$sb" -X stream -R -c fast \
        >"$W/basebackup.log" 2>&1 || { cat "$W/basebackup.log" >&2; fail "pg_basebackup falló"; }
    as_pg tee -a "$sb/postgresql.conf" >/dev/null <<EOF
# tests/respaldo: the synchronous standby
unix_socket_directories = '$sbsock'
archive_mode = off
hot_standby = on
EOF
    echo "primary_conninfo = 'host=$old user=pmm application_name=espejo'" |
        as_pg tee -a "$sb/postgresql.auto.conf" >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$sb" -l "$sb.log" -w -t 60 start >/dev/null ||
        fail "el espejo no arrancó"
    q "ALTER SYSTEM SET synchronous_standby_names = 'espejo'" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    local estado=
    for _ in $(seq 1 100); do
        estado=$(q "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'espejo'")
        [ "$estado" = sync ] && break
        sleep 0.2
    done
    [ "$estado" = sync ] || fail "el espejo no quedó síncrono (sync_state «$estado»)"
    say "espejo en marcha, síncrono (synchronous_commit = on: cada COMMIT espera su WAL en el espejo)"

    preparar_envio
    esperar_lotes $((NLOTES / 3 + 1 + RANDOM % (NLOTES / 3)))
    sleep "0.$((RANDOM % 10))"
    destruir kill9
    say "primario destruido (SIGKILL y borrado) tras $(lotes_hechos "$W/envio") lotes"
    local t=$EPOCHREALTIME
    D_RS=()
    as_pg "$PGBIN/pg_ctl" -D "$sb" -w -t 60 promote >/dev/null || fail "pg_ctl promote falló"
    # the daemons to the promoted standby: conninfo rewritten, restarted
    sed -i "s|host=$old |host=$sbsock |g; s|^lectura = .*|lectura = host=$sbsock dbname=pmm user=pmm_consulta|; s|^directorio_datos = .*|directorio_datos = $sb|" \
        "$PMM_HOME/pmm.conf"
    (
        . "$PMM_SRC/deploy/stack.sh"
        for d in $DAEMONS; do daemon_stop "$d"; done
        for d in $DAEMONS; do daemon_start "$d"; done
        wait_ready
    ) || fail "los servicios no arrancaron contra el espejo promovido"
    D_R+=("$t")   # no primary from then on: nothing acknowledged but on the standby
    D_RS+=("$(awk -v a="$EPOCHREALTIME" -v b="$t" 'BEGIN{printf "%.1f", a - b}')")
    say "espejo promovido y servicios reiniciados contra él en ${D_RS[0]} s"
    wait "$STREAM_PID"
    STREAM_PID=
    esperar_colas
    contar "simulacro con espejo síncrono: primario destruido, espejo promovido ($N fichas)" 0
    comprobar_totales
}
