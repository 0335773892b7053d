#include "json_errores.h"

#include <stdio.h>
#include <string.h>

#include "pmm.pb-c.h"
#include "utf8.h"

#define ERR_MALFORMED PMM__ERROR_CODE__ERR_MALFORMED

/* What jansson expected, in the words of someone editing a ficha. */
static const char *expected_es(const char *en, size_t n)
{
    static const struct {
        const char *en, *es;
    } map[] = {
        {"string or '}'", "un nombre de campo entre comillas dobles o «}»"},
        {"'}'", "«}» o una coma entre campos"},
        {"']'", "«]» o una coma entre valores"},
        {"':'", "«:» después del nombre del campo"},
        {"'[' or '{'", "«{» al comienzo de la ficha"},
        {"string", "un nombre de campo entre comillas dobles"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i].en) == n && !memcmp(map[i].en, en, n))
            return map[i].es;
    return NULL;
}

/* The token jansson quotes after "near '...'" ("" at the end of input). */
static void near_token(const char *text, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = strstr(text, "near '");
    if (!p)
        return;
    p += 6;
    size_t n = strlen(p);
    if (n && p[n - 1] == '\'')
        n--;
    /* jansson echoes the raw input: keep it short and whole characters */
    if (!utf8_valid(p, n))
        return;
    size_t cut = utf8_cut(p, n, 40);
    snprintf(out, cap, "%.*s%s", (int)cut, p, cut < n ? "…" : "");
}

void json_errores_sintaxis(const json_error_t *jerr, size_t first_line, pmm_error *err)
{
    const char *t = jerr->text;
    char near[64], why[320];
    near_token(t, near, sizeof near);
    int at_end = strstr(t, "near end of file") != NULL;
    const char *exp = strstr(t, " expected near ");
    enum json_error_code code = json_error_code(jerr);
    if (code == json_error_duplicate_key || strstr(t, "duplicate object key")) {
        snprintf(why, sizeof why, "un campo aparece dos veces");
    } else if (code == json_error_numeric_overflow || strstr(t, "too big")) {
        snprintf(why, sizeof why, "un número excede el rango admitido");
    } else if (code == json_error_null_character || strstr(t, "NUL")) {
        snprintf(why, sizeof why, "un texto contiene el carácter nulo (\\u0000)");
    } else if (code == json_error_premature_end_of_input || at_end) {
        snprintf(why, sizeof why,
                 "el texto termina antes de cerrar la ficha: falta «}» (o «]», o una "
                 "comilla de cierre)");
    } else if (code == json_error_end_of_input_expected || strstr(t, "end of file expected")) {
        snprintf(why, sizeof why,
                 "sobra texto después del final de la ficha, cerca de «%s» (¿dos fichas "
                 "en una línea, o un «}» de más?)",
                 near);
    } else if (strstr(t, "unexpected newline")) {
        snprintf(why, sizeof why,
                 "un texto entre comillas no puede partirse en varias líneas: escriba el "
                 "salto de línea como \\n");
    } else if (strstr(t, "control character")) {
        snprintf(why, sizeof why,
                 "un texto contiene un carácter de control (tabulador u otro): quítelo o "
                 "escríbalo como \\t");
    } else if (strstr(t, "invalid escape") || strstr(t, "Unicode") ||
               strstr(t, "surrogate")) {
        snprintf(why, sizeof why,
                 "secuencia de escape no válida en un texto: una barra invertida se "
                 "escribe «\\\\»");
    } else if (strstr(t, "invalid token near")) {
        if (near[0] == '\'')
            snprintf(why, sizeof why,
                     "los textos van entre comillas dobles (\"), no simples (')");
        else
            snprintf(why, sizeof why,
                     "valor no válido «%s»: los textos van entre comillas dobles, los "
                     "números sin comillas, y true, false y null en minúsculas",
                     near);
    } else if (exp) {
        const char *es = expected_es(t, (size_t)(exp - t));
        if (!strncmp(t, "string or '}'", 13) && !strcmp(near, "}"))
            snprintf(why, sizeof why, "sobra una coma antes de «}»");
        else if (!strncmp(t, "string or '}'", 13) && near[0] != '"')
            snprintf(why, sizeof why,
                     "los nombres de campo van entre comillas dobles: «\"%s\"»", near);
        else if (!strncmp(t, "'}'", 3) && near[0] == '"')
            snprintf(why, sizeof why, "falta una coma antes de «%s»", near);
        else if (!strncmp(t, "']'", 3) && !strcmp(near, "}"))
            snprintf(why, sizeof why, "falta «]» para cerrar una lista antes de «}»");
        else
            snprintf(why, sizeof why, "se esperaba %s cerca de «%s»",
                     es ? es : "otra cosa", near);
    } else {
        snprintf(why, sizeof why, "sintaxis JSON no válida%s%s%s", near[0] ? " cerca de «" : "",
                 near, near[0] ? "»" : "");
    }
    size_t line = first_line + (jerr->line > 0 ? (size_t)jerr->line - 1 : 0);
    if (jerr->line > 0)
        pmm_error_set(err, ERR_MALFORMED, "", "json",
                      "JSON mal formado en la línea %zu, columna %d: %s", line,
                      jerr->column > 0 ? jerr->column : 1, why);
    else
        pmm_error_set(err, ERR_MALFORMED, "", "json", "JSON mal formado: %s", why);
}

/* Windows-1252 bytes that stand for Spanish text: accented vowels, ñ, ü,
 * ¿ ¡ º ª ° and the typographic quotes, dashes and ellipsis Word inserts. */
static bool spanish_cp1252(unsigned char c)
{
    switch (c) {
    case 0xE1: case 0xE9: case 0xED: case 0xF3: case 0xFA:   /* á é í ó ú */
    case 0xC1: case 0xC9: case 0xCD: case 0xD3: case 0xDA:   /* Á É Í Ó Ú */
    case 0xF1: case 0xD1: case 0xFC: case 0xDC:              /* ñ Ñ ü Ü */
    case 0xA1: case 0xBF: case 0xBA: case 0xAA: case 0xB0:   /* ¡ ¿ º ª ° */
    case 0x91: case 0x92: case 0x93: case 0x94:              /* ‘ ’ “ ” */
    case 0x96: case 0x97: case 0x85:                         /* – — … */
        return true;
    default:
        return false;
    }
}

bool json_errores_parece_latin1(const char *s, size_t n)
{
    size_t latin = 0, other = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t valid = utf8_first_invalid((const char *)p, (size_t)(end - p));
        if (valid > 0) {   /* a run of valid multi-byte characters */
            p += valid;
            continue;
        }
        if (spanish_cp1252(*p))
            latin++;
        else
            other++;
        p++;
    }
    return latin > 0 && other * 10 <= latin;
}

/* The JSON field whose value holds offset `at`: the last «"name" :»
 * before it. Heuristic (a text value could contain «":»), only to point a
 * person to the place. */
static void field_before(const char *s, size_t at, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = at; i-- > 0;) {
        if (s[i] != ':')
            continue;
        size_t j = i;
        while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
            j--;
        if (j == 0 || s[j - 1] != '"')
            continue;
        size_t end = j - 1, k = end;
        while (k > 0 && s[k - 1] != '"' && end - k < 40)
            k--;
        if (k == 0 || s[k - 1] != '"' || k == end)
            continue;
        if (!utf8_valid(s + k, end - k))
            continue;
        snprintf(out, cap, "%.*s", (int)(end - k), s + k);
        return;
    }
}

void json_errores_utf8(const char *s, size_t n, size_t at, size_t first_line,
                       pmm_error *err)
{
    size_t line = first_line, col = 1;
    for (size_t i = 0; i < at && i < n; i++) {
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    char field[48];
    field_before(s, at, field, sizeof field);
    unsigned char bad = at < n ? (unsigned char)s[at] : 0;
    if (json_errores_parece_latin1(s, n))
        pmm_error_set(err, ERR_MALFORMED, field, "codificacion",
                      "el archivo no está en UTF-8: en la línea %zu, columna %zu%s%s%s hay "
                      "el byte 0x%02X, que en Latin-1/Windows-1252 es «%s». Guarde el "
                      "archivo como UTF-8 o envíelo con --codificacion latin1",
                      line, col, field[0] ? " (campo «" : "", field, field[0] ? "»)" : "", bad,
                      bad == 0xE1 ? "á" : bad == 0xE9 ? "é" : bad == 0xED ? "í"
                      : bad == 0xF3 ? "ó" : bad == 0xFA ? "ú" : bad == 0xF1 ? "ñ"
                      : bad == 0xD1 ? "Ñ" : "una letra acentuada");
    else
        pmm_error_set(err, ERR_MALFORMED, field, "utf8",
                      "texto que no es UTF-8 válido en la línea %zu, columna %zu%s%s%s "
                      "(byte 0x%02X): guarde el archivo como UTF-8",
                      line, col, field[0] ? " (campo «" : "", field, field[0] ? "»)" : "", bad);
}

bool json_errores_clave(const char *s, size_t n, char *out, size_t cap)
{
    static const char key[] = "\"clave\"";
    for (size_t i = 0; i + sizeof key - 1 <= n; i++) {
        if (memcmp(s + i, key, sizeof key - 1))
            continue;
        size_t p = i + sizeof key - 1;
        while (p < n && (s[p] == ' ' || s[p] == '\t'))
            p++;
        if (p >= n || s[p] != ':')
            continue;
        p++;
        while (p < n && (s[p] == ' ' || s[p] == '\t'))
            p++;
        if (p >= n || s[p] != '"')
            return false;
        size_t start = ++p;
        while (p < n && s[p] != '"' && s[p] != '\\' && (unsigned char)s[p] >= 0x20)
            p++;
        if (p >= n || s[p] != '"' || p - start >= cap || !utf8_valid(s + start, p - start))
            return false;
        memcpy(out, s + start, p - start);
        out[p - start] = '\0';
        return p > start;
    }
    return false;
}
