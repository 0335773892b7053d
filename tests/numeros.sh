# tests/numeros.sh -- sourced by the tests that compare the figures of a
# report's HTML edition with the text of a PDF made from its Word edition
# (tests/ooxml/informe_docx.sh, tests/integration/it_tabla.sh).

# numeros FILE [pdf]: the numbers of a text, one a line, sorted, each once
# ("21 191" with a no-break or narrow space is one number). pdftotext writes
# those spaces as plain ones, so with "pdf" a single space between digit
# groups joins them too, and the groups are listed alone as well.
numeros() {
    PDF=${2:-} perl -0777 -ne '
        s/\xC2\xA0|\xE2\x80\xAF|\xE2\x80\x89/\x01/g;    # spaces inside numbers
        s/(?<=\d) (?=\d{3}(?!\d))/\x01/g if $ENV{PDF};
        while (/(?<![\d\x01])(\d+(?:\x01\d{3}(?!\d))*(?:\.\d+)?)/g) {
            my $m = $1; (my $n = $m) =~ s/\x01//g; print "$n\n";
            if ($ENV{PDF}) { print "$_\n" for split /\x01/, $m } }' "$1" | sort -u
}

# texto_html HTML OUT: the visible text of an HTML report, without its style
# sheet and its charts (pictures in Word: their numbers are not text there)
texto_html() {
    perl -0777 -pe 's/<style.*?<\/style>//gs; s/<svg.*?<\/svg>//gs; s/<head.*?<\/head>//gs;
                    s/<[^>]+>/ | /g; s/&nbsp;/\xC2\xA0/g; s/&amp;/&/g' "$1" >"$2"
}

# faltan_numeros HTML PDF: the numbers of the HTML's text the PDF's text
# lacks, on one line ("" when none)
faltan_numeros() {
    local dir
    dir=$(mktemp -d)
    texto_html "$1" "$dir/html.txt"
    pdftotext -layout "$2" "$dir/pdf.txt"
    numeros "$dir/html.txt" >"$dir/html.num"
    numeros "$dir/pdf.txt" pdf >"$dir/pdf.num"
    comm -23 "$dir/html.num" "$dir/pdf.num" | tr '\n' ' '
    rm -rf "$dir"
}
