/* importar_hoja.c -- the fichas of a spreadsheet or CSV file: one per row
 * under a header row.
 *
 * The header row is the first with at least three cells naming contract
 * paths ("descripcion.objetivo", as `pmm plantilla` writes it) or, failing
 * that, with at least three of the form's labels ("Objetivo del
 * programa"); the template's Spanish label row above the paths is passed
 * over. Every later non-empty row is a ficha (its row number is the
 * spreadsheet's). Columns under a header that names no field are ignored,
 * with a notice on standard error. A sheet without a header row is
 * skipped (the template's instructions sheet); a file without any is
 * refused. */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importar_int.h"
#include "importar_valores.h"
#include "ooxml_zip.h"
#include "utf8.h"

#define MAX_CABECERA 10   /* rows searched for the header */

struct imp_hoja {
    const imp_opciones *o;
    imp_lista *out;
    char hoja[128];
    int con_nombre;         /* a sheet name to report (workbooks) */
    int cabecera;           /* header found in this sheet */
    int alguna_cabecera;    /* in any sheet */
    int col[OOXML_MAX_COLUMNAS];   /* field index per column, -1 none */
    size_t ncol;
    int provisional;        /* header by labels; a paths row may follow */
    size_t filas_leidas;    /* before the header, this sheet */
    size_t fichas;
};

imp_hoja *imp_hoja_new(const imp_opciones *o, imp_lista *out)
{
    imp_hoja *h = calloc(1, sizeof *h);
    if (h) {
        h->o = o;
        h->out = out;
    }
    return h;
}

void imp_hoja_destroy(imp_hoja **h_p)
{
    free(*h_p);
    *h_p = NULL;
}

/* Field index of a header cell by contract path, or -1. */
static int por_ruta(const char *t)
{
    char s[96];
    snprintf(s, sizeof s, "%s", t);
    val_recortar(s);
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    for (size_t i = 0; i < imp_campos_n(); i++)
        if (!strcmp(imp_campo_at(i)->ruta, s))
            return (int)i;
    return -1;
}

static int por_etiqueta(const char *t)
{
    char norm[512];
    imp_normalizar(t, norm, sizeof norm);
    const imp_campo *c;
    imp_seccion s;
    if (!imp_etiqueta(norm, SEC_NINGUNA, &c, &s) || !c)
        return -1;
    for (size_t i = 0; i < imp_campos_n(); i++)
        if (imp_campo_at(i) == c)
            return (int)i;
    return -1;
}

/* How many distinct fields the cells of a row name (a row naming one
 * field three times, as the instructions sheet does, is no header). */
static size_t contar(char *const *celdas, size_t n, int (*fn)(const char *), int *col)
{
    size_t k = 0;
    unsigned char visto[64] = {0};
    for (size_t i = 0; i < n && i < OOXML_MAX_COLUMNAS; i++) {
        int c = *celdas[i] ? fn(celdas[i]) : -1;
        if (col)
            col[i] = c;
        if (c >= 0 && c < 64 && !visto[c]++)
            k++;
    }
    return k;
}

static void avisar_columnas(const imp_hoja *h, char *const *celdas, size_t n)
{
    for (size_t i = 0; i < n && i < OOXML_MAX_COLUMNAS; i++)
        if (h->col[i] < 0 && *celdas[i])
            fprintf(stderr, "pmm importar: aviso: %s%s%sse ignora la columna «%.60s»: no es un "
                            "campo de la ficha\n",
                    h->con_nombre ? "hoja «" : "", h->con_nombre ? h->hoja : "",
                    h->con_nombre ? "», " : "", celdas[i]);
}

int imp_hoja_fila(void *user, const char *hoja, size_t fila, char *const *celdas, size_t n,
                  pmm_error *err)
{
    imp_hoja *h = user;
    if (strcmp(h->hoja, hoja ? hoja : "")) {
        snprintf(h->hoja, sizeof h->hoja, "%s", hoja ? hoja : "");
        h->cabecera = h->provisional = 0;
        h->filas_leidas = 0;
    }
    h->con_nombre = hoja != NULL;
    if (!h->cabecera || h->provisional) {
        int col[OOXML_MAX_COLUMNAS];
        if (contar(celdas, n, por_ruta, col) >= 3) {
            memcpy(h->col, col, sizeof col);
            h->ncol = n;
            h->cabecera = h->alguna_cabecera = 1;
            h->provisional = 0;
            avisar_columnas(h, celdas, n);
            return 0;
        }
        if (!h->cabecera && contar(celdas, n, por_etiqueta, col) >= 3) {
            memcpy(h->col, col, sizeof col);
            h->ncol = n;
            h->cabecera = h->alguna_cabecera = h->provisional = 1;
            return 0;
        }
        if (!h->cabecera) {
            /* a sheet whose first rows name no field is not a list of fichas */
            return ++h->filas_leidas >= MAX_CABECERA ? 1 : 0;
        }
        h->provisional = 0;
    }
    if (++h->fichas > IMP_MAX_FICHAS)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "", "max_filas",
                             "%s%s%sla fila %zu pasa de %d fichas por archivo: divida el "
                             "archivo",
                             hoja ? "hoja «" : "", hoja ? hoja : "", hoja ? "», " : "", fila,
                             IMP_MAX_FICHAS);
    imp_valores v;
    memset(&v, 0, sizeof v);
    int rc = 0;
    for (size_t i = 0; i < n && i < h->ncol && !rc; i++) {
        if (h->col[i] < 0 || !*celdas[i])
            continue;
        if (imp_valores_poner(&v, &v.valor[h->col[i]], celdas[i]))
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    if (!rc && !imp_valores_vacio(&v))
        rc = imp_lista_agregar(h->out, &v, h->o, "fila", fila, hoja, err);
    imp_valores_liberar(&v);
    return rc;
}

int imp_hoja_fin(imp_hoja *h, pmm_error *err)
{
    if (!h->alguna_cabecera)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "", "formato",
                             "no se encontró la fila de encabezados: una fila con los nombres "
                             "de los campos (clave, ejercicio, programa, "
                             "descripcion.objetivo...; vea pmm plantilla --formato xlsx)");
    return 0;
}

/* ---- CSV -------------------------------------------------------------------- */

typedef struct {
    char **campos;
    size_t n, cap;
    size_t fila;
    ooxml_fila_fn fn;
    void *user;
    pmm_error *err;
    int fallo;
} csv_estado;

static void csv_campo(void *data, size_t len, void *priv)
{
    csv_estado *st = priv;
    if (st->fallo)
        return;
    size_t col = st->n + 1;
    if (memchr(data, '\0', len)) {
        pmm_error_set(st->err, PMM__ERROR_CODE__ERR_MALFORMED, "", "caracter_control",
                      "fila %zu, columna %zu: la celda contiene el carácter nulo", st->fila + 1,
                      col);
        st->fallo = 1;
        return;
    }
    size_t bad = utf8_first_invalid(data, len);
    if (bad < len) {
        pmm_error_set(st->err, PMM__ERROR_CODE__ERR_MALFORMED, "", "utf8",
                      "fila %zu, columna %zu: texto que no es UTF-8 válido (byte 0x%02X): "
                      "guarde el archivo como «CSV UTF-8»",
                      st->fila + 1, col, ((const unsigned char *)data)[bad]);
        st->fallo = 1;
        return;
    }
    if (st->n == OOXML_MAX_COLUMNAS) {
        pmm_error_set(st->err, PMM__ERROR_CODE__ERR_INVALID, "", "max_columnas",
                      "fila %zu: más de %d columnas", st->fila + 1, OOXML_MAX_COLUMNAS);
        st->fallo = 1;
        return;
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 32;
        char **v = realloc(st->campos, cap * sizeof *v);
        if (!v) {
            pmm_error_set(st->err, 7, "", "memoria", "sin memoria");
            st->fallo = 1;
            return;
        }
        st->campos = v;
        st->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c) {
        pmm_error_set(st->err, 7, "", "memoria", "sin memoria");
        st->fallo = 1;
        return;
    }
    memcpy(c, data, len);
    c[len] = '\0';
    st->campos[st->n++] = c;
}

static void csv_fila(int term, void *priv)
{
    (void)term;
    csv_estado *st = priv;
    st->fila++;
    if (!st->fallo) {
        size_t n = st->n;
        while (n && !*st->campos[n - 1])
            n--;
        if (n) {
            int rc = st->fn(st->user, NULL, st->fila, st->campos, n, st->err);
            if (rc < 0)
                st->fallo = 1;
        }
    }
    for (size_t i = 0; i < st->n; i++)
        free(st->campos[i]);
    st->n = 0;
}

int importar_csv(const char *path, ooxml_fila_fn fn, void *user, pmm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pmm_error_set(err, 7, "", "archivo", "no se puede abrir: %s",
                             ooxml_errno_texto(errno));
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    /* the delimiter: ';' when the first line has more of them than commas
     * (Excel in some regional settings) */
    size_t comas = 0, puntoycoma = 0;
    for (size_t i = 0; i < n && buf[i] != '\n'; i++) {
        comas += buf[i] == ',';
        puntoycoma += buf[i] == ';';
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(f);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    csv_set_delim(&p, puntoycoma > comas ? ';' : ',');
    csv_estado st = {.fn = fn, .user = user, .err = err};
    size_t off = n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    uint64_t total = 0;
    while (n > 0 && !st.fallo) {
        total += n;
        if (total > OOXML_MAX_ARCHIVO) {
            pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "", "max_tamano",
                          "el archivo pasa de %u MB", OOXML_MAX_ARCHIVO >> 20);
            st.fallo = 1;
            break;
        }
        if (csv_parse(&p, buf + off, n - off, csv_campo, csv_fila, &st) != n - off && !st.fallo) {
            pmm_error_set(err, PMM__ERROR_CODE__ERR_MALFORMED, "", "csv",
                          "fila %zu: CSV mal formado (comillas sin cerrar)", st.fila + 1);
            st.fallo = 1;
        }
        off = 0;
        n = fread(buf, 1, sizeof buf, f);
    }
    if (!st.fallo && ferror(f)) {
        pmm_error_set(err, 7, "", "archivo", "error de lectura");
        st.fallo = 1;
    }
    if (!st.fallo)
        csv_fini(&p, csv_campo, csv_fila, &st);
    for (size_t i = 0; i < st.n; i++)
        free(st.campos[i]);
    free(st.campos);
    csv_free(&p);
    fclose(f);
    return st.fallo ? -1 : 0;
}
