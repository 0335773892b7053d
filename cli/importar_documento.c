/* importar_documento.c -- the fichas of a Word or OpenDocument text.
 *
 * Each table row is read as label + value: the first cell whose text
 * begins with a field's label (importar_campos.h) is the label, and the
 * non-empty cells after it, joined, are the value. A row with only a
 * section's label opens the section (its short sub-labels then count); in
 * the older form the section's row carries one free-text value instead. A
 * label with nothing beside it takes the next row when that row has no
 * label ("label above value"), and a label cell "Etiqueta: valor" gives its
 * own value. A field seen a second time starts the next ficha, so one
 * document may hold several forms, and a form may be split over tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importar_int.h"
#include "importar_valores.h"
#include "strbuf.h"

typedef struct {
    const imp_opciones *o;
    imp_lista *out;
    pmm_error *err;
    imp_valores cur;
    int abierta;            /* cur holds something */
    size_t tabla;           /* where cur started */
    imp_seccion seccion;
    /* a label waiting for its value in the next row */
    const imp_campo *pendiente;
    imp_seccion pendiente_sec;
    int periodo_doc;        /* from paragraphs outside tables */
} estado;

static char **slot_libre(imp_valores *v, imp_seccion s)
{
    switch (s) {
    case SEC_DESCRIPCION: return &v->descripcion_libre;
    case SEC_RESULTADOS: return &v->resultados_libre;
    case SEC_CONTACTO: return &v->contacto_libre;
    default: return NULL;
    }
}

static size_t indice(const imp_campo *c)
{
    for (size_t i = 0; i < imp_campos_n(); i++)
        if (imp_campo_at(i) == c)
            return i;
    return 0;
}

static int cerrar(estado *e)
{
    int rc = 0;
    if (e->abierta && !imp_valores_vacio(&e->cur)) {
        if (!e->cur.periodo)
            e->cur.periodo = e->periodo_doc;
        rc = imp_lista_agregar(e->out, &e->cur, e->o, "tabla", e->tabla, NULL, e->err);
    }
    imp_valores_liberar(&e->cur);
    e->abierta = 0;
    e->seccion = SEC_NINGUNA;
    e->pendiente = NULL;
    e->pendiente_sec = SEC_NINGUNA;
    return rc;
}

static int abrir(estado *e, size_t tabla)
{
    if (!e->abierta) {
        e->abierta = 1;
        e->tabla = tabla;
    }
    return 0;
}

static int poner_campo(estado *e, const imp_campo *c, const char *valor, size_t tabla)
{
    size_t i = indice(c);
    if (e->cur.valor[i] && *e->cur.valor[i] && *valor) {
        if (cerrar(e))
            return -1;
    }
    abrir(e, tabla);
    if (*valor && imp_valores_poner(&e->cur, &e->cur.valor[i], valor))
        return -1;
    if (!*valor && !e->cur.valor[i] && imp_valores_poner(&e->cur, &e->cur.valor[i], ""))
        return -1;
    return 0;
}

static int poner_libre(estado *e, imp_seccion s, const char *valor, size_t tabla)
{
    char **slot = slot_libre(&e->cur, s);
    if (!slot || !*valor)
        return 0;
    if (*slot) {
        if (cerrar(e))
            return -1;
        slot = slot_libre(&e->cur, s);
    }
    abrir(e, tabla);
    return imp_valores_poner(&e->cur, slot, valor);
}

/* The value of "Etiqueta: valor" in the label cell itself, or NULL. */
static const char *en_la_etiqueta(const char *texto, size_t largo_etiqueta)
{
    const char *dos = strchr(texto, ':');
    const char *nl = strchr(texto, '\n');
    if (!dos || (nl && nl < dos))
        return NULL;
    char antes[256], norm[256];
    snprintf(antes, sizeof antes, "%.*s", (int)(dos - texto), texto);
    if (imp_normalizar(antes, norm, sizeof norm) != largo_etiqueta)
        return NULL;
    dos++;
    while (*dos == ' ' || *dos == '\t')
        dos++;
    return *dos ? dos : NULL;
}

static int fila(estado *e, const ooxml_fila *f, size_t tabla)
{
    char norm[1024];
    const imp_campo *campo = NULL;
    imp_seccion sec_fila = SEC_NINGUNA;
    size_t desde = f->n, etiqueta_len = 0, etiqueta_i = 0;
    int hay_etiqueta = 0;
    for (size_t i = 0; i < f->n; i++) {
        const char *t = f->celdas[i].texto;
        if (!*t)
            continue;
        imp_normalizar(t, norm, sizeof norm);
        const imp_campo *c;
        imp_seccion s;
        imp_seccion ctx = sec_fila != SEC_NINGUNA ? sec_fila : e->seccion;
        size_t len = imp_etiqueta(norm, ctx, &c, &s);
        if (len == 0) {
            desde = i;
            break;
        }
        if (sec_fila != SEC_NINGUNA && (!c || c->seccion != sec_fila)) {
            desde = i;   /* after a section's label only its sub-labels count */
            break;
        }
        hay_etiqueta = 1;
        etiqueta_len = len;
        etiqueta_i = i;
        if (c) {
            campo = c;
            desde = i + 1;
            break;
        }
        sec_fila = s;
        desde = i + 1;
        if (s == SEC_RESULTADOS) {
            int p = val_periodo(t);
            if (p) {
                abrir(e, tabla);
                e->cur.periodo = p;
            }
        }
    }
    /* the value: non-empty cells after the label, repeats (merged cells)
     * once */
    strbuf v;
    strbuf_init(&v);
    const char *prev = NULL;
    for (size_t i = desde; i < f->n; i++) {
        const char *t = f->celdas[i].texto;
        if (!*t || (prev && !strcmp(prev, t)))
            continue;
        if (v.len)
            strbuf_puts(&v, "\n");
        strbuf_puts(&v, t);
        prev = t;
    }
    if (strbuf_failed(&v))
        return -1;
    const char *valor = v.data ? v.data : "";
    int rc = 0;
    if (!hay_etiqueta) {
        /* a row without a label: the value of a label in the row above */
        if (*valor && e->pendiente)
            rc = poner_campo(e, e->pendiente, valor, tabla);
        else if (*valor && e->pendiente_sec != SEC_NINGUNA)
            rc = poner_libre(e, e->pendiente_sec, valor, tabla);
        e->pendiente = NULL;
        e->pendiente_sec = SEC_NINGUNA;
        strbuf_free(&v);
        return rc;
    }
    e->pendiente = NULL;
    e->pendiente_sec = SEC_NINGUNA;
    if (!*valor) {
        const char *propio = en_la_etiqueta(f->celdas[etiqueta_i].texto, etiqueta_len);
        if (propio)
            valor = propio;
    }
    if (campo) {
        e->seccion = campo->seccion;
        rc = poner_campo(e, campo, valor, tabla);
        if (!rc && !*valor)
            e->pendiente = campo;
    } else {
        e->seccion = sec_fila;
        abrir(e, tabla);
        if (*valor)
            rc = poner_libre(e, sec_fila, valor, tabla);
        else
            e->pendiente_sec = sec_fila;
    }
    strbuf_free(&v);
    return rc;
}

int importar_documento(const ooxml_documento *doc, const imp_opciones *o, imp_lista *out,
                       pmm_error *err)
{
    estado e = {.o = o, .out = out, .err = err};
    for (size_t i = 0; i < doc->nparrafos && !e.periodo_doc; i++)
        e.periodo_doc = val_periodo(doc->parrafos[i]);
    int rc = 0;
    for (size_t t = 0; t < doc->ntablas && !rc; t++) {
        for (size_t r = 0; r < doc->tablas[t].n && !rc; r++)
            if (fila(&e, &doc->tablas[t].filas[r], t + 1) != 0)
                rc = err->regla[0] ? -1 : pmm_error_set(err, 7, "", "memoria", "sin memoria");
        e.pendiente = NULL;
        e.pendiente_sec = SEC_NINGUNA;
    }
    if (!rc && cerrar(&e) != 0)
        rc = err->regla[0] ? -1 : pmm_error_set(err, 7, "", "memoria", "sin memoria");
    imp_valores_liberar(&e.cur);
    if (!rc && out->n == 0)
        rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "", "formato",
                           "no se encontró ninguna ficha: el documento no tiene la tabla del "
                           "formulario (filas con etiquetas como «Nombre del programa»; vea "
                           "pmm plantilla)");
    return rc;
}
