# ayuda2roff.awk: the text of `pmm COMANDO --help` as a roff fragment for
# pmm(1) (docs/man/pmm-man.sh), so that the manual says what --help says.
#   pmm enviar --help | awk -v titulo="pmm enviar" -f ayuda2roff.awk
# The help texts follow one layout (cli/cmd_*.c):
#   Uso: pmm CMD ...            usage, continued on lines indented 4+ spaces
#   (blank line)
#   Paragraphs at column 0.     filled
#   Opciones:                   a heading: a short line ending in ':'
#     --opción ARG   text       indented items, the text in one column,
#                    more text  continued at that column
#     pmm CMD ...               indented lines without that shape: verbatim
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    return s
}
function text(s) {
    s = esc(s)
    if (s ~ /^[.']/)
        s = "\\&" s
    print s
}
function indent(s) {
    match(s, /^ */)
    return RLENGTH
}
# Column (1-based) where the text of an item starts, in a block of indented
# lines l[from..to] at base indentation b: just after the indentation of
# its continuation lines if any, else the most common column that follows
# a gap of 2+ spaces.
function text_column(from, to, b,    i, c, best, count, k, rest) {
    for (i = from; i <= to; i++) {
        c = indent(l[i])
        if (c > b && (best == 0 || c < best))
            best = c
    }
    if (best)
        return best + 1
    for (i = from; i <= to; i++) {
        rest = substr(l[i], b + 1)
        if (match(rest, /[^ ]  +[^ ]/))
            count[b + RSTART + RLENGTH - 1]++
    }
    best = 0
    for (k in count)
        if (best == 0 || count[k] > count[best])
            best = k
    return best + 0
}
# Splits item line s (base indentation b) where its text starts, column p:
# sets term and desc.
function split_item(s, b, p,    t) {
    if (p > b + 1 && substr(s, p - 1, 1) == " " && substr(s, p, 1) != " ") {
        t = substr(s, b + 1, p - 1 - b)
        sub(/ +$/, "", t)
        term = t
        desc = substr(s, p)
        return
    }
    # the term runs past the column: split at the first gap of 2+ spaces
    t = substr(s, b + 1)
    if (match(t, /  +/)) {
        term = substr(t, 1, RSTART - 1)
        desc = substr(t, RSTART + RLENGTH)
    } else {
        term = t
        desc = ""
    }
}
function is_item(s, b,    t) {
    t = substr(s, b + 1)
    return t ~ /^-/ || t ~ /^[a-záéíóúñ][a-záéíóúñ_|]* *( [A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ_|0-9-]*)* *  [^ ]/
}
{ l[++n] = $0 }
END {
    print ".SS \"" esc(titulo) "\""
    i = 1
    # usage: the first line and its continuation lines
    if (l[1] ~ /^Uso: /) {
        print ".nf"
        text(substr(l[1], 6))
        for (i = 2; i <= n && l[i] != "" && indent(l[i]) >= 4; i++)
            text(substr(l[i], 6))
        print ".fi"
    }
    while (i <= n) {
        if (l[i] ~ /^ *$/) {
            i++
            continue
        }
        if (indent(l[i]) == 0) {
            if (l[i] ~ /:$/ && length(l[i]) <= 30 && split(l[i], w, " ") <= 3) {
                print ".PP"
                print "\\fB" esc(l[i]) "\\fR"
                i++
                continue
            }
            print ".PP"
            for (; i <= n && l[i] !~ /^ *$/ && indent(l[i]) == 0; i++)
                text(l[i])
            continue
        }
        # an indented block, up to a blank or unindented line
        from = i
        for (to = i; to + 1 <= n && l[to + 1] !~ /^ *$/ && indent(l[to + 1]) > 0; to++)
            ;
        b = indent(l[from])
        items = 1
        for (k = from; k <= to; k++)
            if (indent(l[k]) == b && !is_item(l[k], b))
                items = 0
        if (items) {
            c = text_column(from, to, b)
            for (k = from; k <= to; k++) {
                if (indent(l[k]) == b) {
                    split_item(l[k], b, c)
                    print ".TP"
                    print "\\fB" esc(term) "\\fR"
                    if (desc != "")
                        text(desc)
                } else {
                    t = l[k]
                    sub(/^ +/, "", t)
                    text(t)
                }
            }
        } else {
            print ".PP"
            print ".RS"
            print ".nf"
            for (k = from; k <= to; k++) {
                t = substr(l[k], b + 1)
                text(t)
            }
            print ".fi"
            print ".RE"
        }
        i = to + 1
    }
}
