# claves2roff.awk: the keys of pmm.conf (claves.tsv: pmm configuracion --formato tsv) as a
# roff definition list, grouped by section, for the manual pages.
#   awk -F'\t' -v programa=ingestd -v datos=/usr/share/pmm -f claves2roff.awk claves.tsv
# programa: only the keys that program reads (ingestd, clasificd, aggregd,
# pmm); empty: every key, each with the programs that read it (pmm.conf(5)).
# Columns: section key type default range sighup programs help.
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    return s
}
function line(s) {
    # a text line must not start a roff request
    if (s ~ /^[.']/)
        s = "\\&" s
    print s
}
BEGIN { FS = "\t"; n = 0 }
/^#/ || NF == 0 { next }
NF != 8 {
    printf "claves2roff: %s:%d: %d columnas, se esperaban 8\n", FILENAME, FNR, NF > "/dev/stderr"
    error = 1
    exit 1
}
{
    if (programa != "" && index("," $7 ",", "," programa ",") == 0)
        next
    n++
    if ($1 != last) {
        print ".SS [" $1 "]"
        last = $1
    }
    def = $4
    gsub(/@DATOS@/, datos, def)
    print ".TP"
    term = "\\fB" esc($2) "\\fR"
    if (def != "")
        term = term " = \\fI" esc(def) "\\fR"
    print term
    line(esc($8))
    extra = "Tipo: " $3
    if ($5 != "")
        extra = extra "; " $5
    extra = extra "."
    if ($6 == 1)
        extra = extra " SIGHUP la aplica sin reiniciar."
    if (programa == "") {
        progs = $7
        gsub(/,/, ", ", progs)
        extra = extra " La leen: " progs "."
    }
    print ".br"
    line(esc(extra))
}
END {
    if (error)
        exit 1
    if (n == 0) {
        printf "claves2roff: ninguna clave para «%s»\n", programa > "/dev/stderr"
        exit 1
    }
}
