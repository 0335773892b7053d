# shellcheck shell=bash
# tests/respaldo/pitr.sh -- `pmm respaldo`, point-in-time recovery and
# operator mistakes (sourced by respaldo.sh).

# Sends $1 (a JSON Lines file) and checks that every line was accepted.
enviar_todas() {
    local out n ok
    out=$W/$(basename "$1" .jsonl).recibos
    pmm enviar --json "$1" >"$out" 2>/dev/null || fail "pmm enviar $1 falló"
    n=$(wc -l <"$1")
    ok=$(grep -c '"estado":"aceptada"' "$out")
    [ "$ok" = "$n" ] || fail "$1: $ok de $n fichas aceptadas"
}

claves() { grep -o '"clave":"[^"]*"' "$@" | cut -d'"' -f4 | sort; }

# No English from pgBackRest (or anything else) in what a user reads.
sin_ingles() {
    if grep -E -i "\b(unable|error:|warn:|stanza '|does not|invalid|missing|option)\b" "$1"; then
        fail "texto en inglés en la salida de $2 (arriba)"
    fi
}

prueba_verificar() {
    local out=$W/salida.txt rc
    pmm respaldo --help >"$out" || fail "pmm respaldo --help falló"
    for w in iniciar crear listar verificar --tipo --formato --help Ejemplo retencion compresion; do
        grep -q -- "$w" "$out" || fail "pmm respaldo --help no menciona «$w»"
    done
    pmm respaldo listar >"$out" || fail "pmm respaldo listar falló"
    grep -q "sin respaldos válidos" "$out" || fail "listar sin respaldos: $(cat "$out")"
    # the archive works from the first start; with no backup, verificar says so
    pmm respaldo verificar >"$out" 2>&1 && fail "verificar sin respaldos terminó bien"
    grep -q "archivado continuo: correcto" "$out" || fail "pgbackrest check falló: $(cat "$out")"
    grep -q "SIN RESPALDOS" "$out" || fail "verificar no avisó de la falta de respaldos"
    say "sin respaldos: pgbackrest check correcto y verificar avisa (salida 1)"

    pmm muestra --n 300 --semilla 11 >"$W/f.jsonl"
    pmm enviar --json "$W/f.jsonl" >/dev/null 2>&1 ||
        fail "pmm enviar falló"
    pmm respaldo crear >"$out" 2>&1 || { cat "$out" >&2; fail "pmm respaldo crear falló"; }
    grep -q "^respaldo completo .* creado" "$out" || fail "crear: $(cat "$out")"
    pmm respaldo crear --tipo incremental >"$out" 2>&1 || fail "crear --tipo incremental falló"
    grep -q "^respaldo incremental" "$out" || fail "crear incremental: $(cat "$out")"
    pmm respaldo verificar >"$out" 2>&1 || { cat "$out" >&2; fail "pmm respaldo verificar falló"; }
    grep -q "2 respaldos y su WAL verificados, sin errores" "$out" ||
        fail "verificar: $(cat "$out")"
    cat "$out"
    # retention: [respaldo] retencion = 2 full backups (with what depends on them)
    pmm respaldo crear >/dev/null 2>&1 && pmm respaldo crear >/dev/null 2>&1 ||
        fail "pmm respaldo crear (retención) falló"
    pmm respaldo listar --formato json >"$out" || fail "listar --formato json falló"
    local completos
    completos=$(grep -o '"tipo":"completo"' "$out" | wc -l)
    [ "$completos" = 2 ] || fail "se conservan $completos respaldos completos; retencion = 2"
    grep -q '"incremental"' "$out" && fail "el incremental del completo caducado sigue"
    grep -q '"estado":{"codigo":0,"mensaje":"correcto"}' "$out" || fail "listar json: $(cat "$out")"
    pmm respaldo listar
    say "crear (completo, incremental), retención de 2 completos, verificar y listar: correctos"

    # errors in Spanish, with where to look, never pgBackRest's English
    PMM_RESPALDO_STANZA=otra pmm respaldo crear >"$out" 2>&1
    rc=$?
    [ $rc = 1 ] || fail "crear con otra stanza: salida $rc"
    grep -q "no describe esta stanza" "$out" && grep -q -- "--stanza=otra check" "$out" ||
        fail "crear con otra stanza: $(cat "$out")"
    sin_ingles "$out" "crear con otra stanza"
    cat "$out"
    # a repository without the stanza: pgBackRest's own error, with its log
    # (a directory the cluster's user can reach: the build tree may sit
    # under a private parent)
    local vacio
    vacio=$(mktemp -d /tmp/pmm-repo-vacio.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$vacio"
    PMM_RESPALDO_REPOSITORIO=$vacio pmm respaldo crear >"$out" 2>&1
    rc=$?
    rm -rf "$vacio"
    [ $rc = 1 ] && grep -q "le falta la stanza" "$out" && grep -q "pmm-backup.log" "$out" ||
        fail "crear en un repositorio vacío (salida $rc): $(cat "$out")"
    sin_ingles "$out" "crear en un repositorio vacío"
    cat "$out"
    PMM_RESPALDO_COMPRESION=rar pmm respaldo crear >"$out" 2>&1
    [ $? = 2 ] && grep -q "\[respaldo\] compresion: «rar» no es un valor admitido" "$out" ||
        fail "compresión inválida: $(cat "$out")"
    pmm respaldo borrar >"$out" 2>&1
    [ $? = 2 ] && grep -q "acción desconocida" "$out" || fail "acción desconocida: $(cat "$out")"
    if [ "$(id -u)" = 0 ]; then
        # nobody cannot traverse a clone in a 0700 directory (/root, mktemp
        # -d): the binary and the configuration go where it can read them
        local otro
        otro=$(mktemp -d)
        chmod 755 "$otro"
        cp "$PMM_BIN/pmm" "$PMM_HOME/pmm.conf" "$otro/"
        chmod 755 "$otro/pmm"
        chmod 644 "$otro/pmm.conf"
        runuser -u nobody -- "$otro/pmm" --config "$otro/pmm.conf" respaldo listar \
            >"$out" 2>&1
        rc=$?
        rm -rf "$otro"
        [ $rc = 2 ] && grep -q "se ejecuta como root o como «postgres»" "$out" ||
            fail "un usuario cualquiera: $(cat "$out")"
        cat "$out"
    fi
    say "errores en español con el registro de pgBackRest; solo root o postgres"
}

prueba_pitr() {
    pmm muestra --n 1200 --semilla 31 >"$W/todas.jsonl"
    sed -n 1,400p "$W/todas.jsonl" >"$W/a.jsonl"
    sed -n 401,800p "$W/todas.jsonl" >"$W/b.jsonl"
    sed -n 801,1200p "$W/todas.jsonl" >"$W/c.jsonl"
    enviar_todas "$W/a.jsonl"
    pmm respaldo crear >/dev/null || fail "pmm respaldo crear falló"
    enviar_todas "$W/b.jsonl"
    local t
    t=$(instante_entre_lotes)
    enviar_todas "$W/c.jsonl"
    esperar_colas
    say "lotes A y B (800 fichas) antes de $t, lote C (400) después"

    # instants that cannot be restored are refused before anything stops
    local out=$W/salida.txt
    "$PMM_SRC/deploy/restaurar.sh" --hasta '2020-01-01 00:00:00' >"$out" 2>&1 &&
        fail "se aceptó --hasta anterior al primer respaldo"
    grep -q "anterior al fin del respaldo más antiguo" "$out" || fail "$(cat "$out")"
    "$PMM_SRC/deploy/restaurar.sh" --hasta '2999-01-01 00:00:00' >"$out" 2>&1 &&
        fail "se aceptó --hasta en el futuro"
    grep -q "en el futuro" "$out" || fail "$(cat "$out")"
    "$PMM_SRC/deploy/restaurar.sh" --hasta 'ayer' >"$out" 2>&1 && fail "se aceptó --hasta ayer"
    [ "$(q "SELECT count(*) FROM fichas")" = 1200 ] || fail "un rechazo de --hasta tocó la pila"

    "$PMM_SRC/deploy/restaurar.sh" --hasta "$t" >"$W/restaurar.log" 2>&1 || {
        cat "$W/restaurar.log" >&2
        fail "deploy/restaurar.sh --hasta falló"
    }
    sed 's/^/    /' "$W/restaurar.log"
    q "SELECT clave FROM fichas" | sort >"$W/presentes.txt"
    claves "$W/a.jsonl" "$W/b.jsonl" >"$W/antes.txt"
    local sobran faltan dup
    sobran=$(comm -13 "$W/antes.txt" "$W/presentes.txt" | wc -l)
    faltan=$(comm -23 "$W/antes.txt" "$W/presentes.txt" | wc -l)
    dup=$(q "SELECT count(*) - count(DISTINCT (emisor, ejercicio, clave, version)) FROM fichas")
    printf '%-40s %s\n' "instante pedido" "$t ($TZ)" \
        "fichas confirmadas antes (A + B)" "$(wc -l <"$W/antes.txt")" \
        "presentes tras restaurar" "$(wc -l <"$W/presentes.txt")" \
        "de A + B ausentes" "$faltan" \
        "posteriores (C) presentes" "$sobran" \
        "duplicadas" "$dup"
    [ "$faltan" = 0 ] && [ "$sobran" = 0 ] && [ "$dup" = 0 ] ||
        fail "la restauración a $t no dejó exactamente las fichas confirmadas antes"
    [ -n "$(ls -d "$(pgdata)".roto-* 2>/dev/null)" ] || fail "no se conservó el directorio anterior"
    esperar_colas
    comprobar_totales
    # C was lost with the restore: sent again, it is accepted (not repetida)
    enviar_todas "$W/c.jsonl"
    esperar_colas
    [ "$(q "SELECT count(*) FROM fichas")" = 1200 ] || fail "tras reenviar C no hay 1200 fichas"
    comprobar_totales
    # and the archive goes on on the new timeline
    pmm respaldo verificar >/dev/null 2>&1 || fail "pmm respaldo verificar tras restaurar falló"
    say "restauración a un instante: exactamente las fichas confirmadas antes; C reenviado"
}

# md5 of a table's content in a stable order (totals: non-zero cells).
huella_totales() {
    q "SELECT md5(string_agg(t::text, ',' ORDER BY ejercicio, filtro, dimension, valor)) FROM totales t WHERE (fichas, acciones, personas, mujeres, hombres) <> (0, 0, 0, 0, 0)"
}
huella_clasif() { q "SELECT md5(string_agg(c::text, ',' ORDER BY id)) || count(*) FROM clasificaciones c"; }

prueba_errores() {
    pmm muestra --n 600 --semilla 41 >"$W/f.jsonl"
    enviar_todas "$W/f.jsonl"
    esperar_colas
    pmm agregar --ahora >/dev/null || fail "pmm agregar --ahora falló"
    local tot cls out=$W/salida.txt dif
    tot=$(huella_totales)
    cls=$(huella_clasif)
    pmm respaldo crear >/dev/null || fail "pmm respaldo crear falló"

    # totales: derived data, rebuilt by the recompute (nightly, or now)
    q "DELETE FROM totales WHERE dimension IN ('ods', 'eje', 'dependencia')" >/dev/null ||
        fail "el propietario no pudo borrar de totales"
    read -r _ dif <<<"$(totales_vs_group_by)"
    [ "$dif" -gt 0 ] || fail "el DELETE en totales no cambió nada"
    pmm agregar --ahora >"$out" || fail "pmm agregar --ahora falló"
    say "DELETE en totales ($dif celdas distintas del GROUP BY); pmm agregar --ahora: $(cat "$out")"
    [ "$(huella_totales)" = "$tot" ] || fail "el recálculo no dejó totales como estaban"
    q "TRUNCATE totales" >/dev/null || fail "el propietario no pudo vaciar totales"
    pmm agregar --ahora >"$out" || fail "pmm agregar --ahora falló"
    say "TRUNCATE totales; pmm agregar --ahora: $(cat "$out")"
    [ "$(huella_totales)" = "$tot" ] || fail "el recálculo no reconstruyó totales"
    comprobar_totales

    # clasificaciones: primary data (the classifier's output at the time);
    # the recompute only follows it, a restore brings it back
    local t
    t=$(instante_entre_lotes)
    q "DELETE FROM clasificaciones WHERE eje IN (1, 2)" >/dev/null ||
        fail "el propietario no pudo borrar de clasificaciones"
    q "TRUNCATE clasificaciones" >/dev/null || fail "el propietario no pudo vaciar clasificaciones"
    pmm agregar --ahora >"$out" || fail "pmm agregar --ahora falló"
    say "DELETE y TRUNCATE en clasificaciones; pmm agregar --ahora: $(cat "$out")"
    [ "$(huella_totales)" != "$tot" ] ||
        fail "sin clasificaciones los totales no cambiaron: la prueba no prueba nada"
    [ "$(q "SELECT count(*) FROM clasificaciones")" = 0 ] || fail "TRUNCATE no vació la tabla"
    say "el recálculo NO repara clasificaciones (los totales siguen a la tabla vacía)"
    "$PMM_SRC/deploy/restaurar.sh" --hasta "$t" >"$W/restaurar.log" 2>&1 || {
        cat "$W/restaurar.log" >&2
        fail "deploy/restaurar.sh --hasta falló"
    }
    [ "$(huella_clasif)" = "$cls" ] || fail "la restauración no devolvió las clasificaciones"
    [ "$(huella_totales)" = "$tot" ] || fail "la restauración no devolvió los totales"
    esperar_colas
    comprobar_totales
    say "restaurar.sh --hasta $t (antes del error): clasificaciones y totales como estaban"
}
