/* envio.c -- results in input order for pmm enviar and pmm importar (see
 * envio.h). Factored out of cmd_enviar.c; the text and JSON forms of a
 * result are those of docs/contrato-ficha.md §6. */
#include "envio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    envio_origen o;         /* o.hoja points to hoja_propia */
    char *hoja_propia;      /* the sheet's name, copied: the input's list of
                             * a file is freed before its replies arrive */
    char clave[FICHA_MAX_CLAVE + 1];
    int done;
    int valida;             /* dry run: valid, not sent */
    sender_result r;
    pmm_error *faults;      /* every fault found before sending (heap) */
    size_t nfaults, more;
} outcome;

struct envio {
    int json;
    const char *programa;
    outcome *out;           /* [head, count) not yet printed */
    size_t count, cap, head;
    uint64_t base_seq;      /* seq of out[0] */
    size_t n_ok, n_rep, n_bad, n_unknown, n_valid;
    size_t n_files_bad;     /* pmm importar: files refused as a whole */
    size_t total;           /* for the progress bar; 0 if unknown */
    int progress;
};

envio *envio_new(int json, const char *programa)
{
    envio *e = calloc(1, sizeof *e);
    if (e) {
        e->json = json;
        e->programa = programa;
    }
    return e;
}

static void outcome_free(outcome *o)
{
    free(o->hoja_propia);
    o->hoja_propia = NULL;
    o->o.hoja = NULL;
    free(o->faults);
    json_decref(o->o.extra);
    free(o->o.nota);
    o->faults = NULL;
    o->o.extra = NULL;
    o->o.nota = NULL;
}

void envio_destroy(envio **e_p)
{
    if (!e_p || !*e_p)
        return;
    envio *e = *e_p;
    for (size_t i = e->head; i < e->count; i++)
        outcome_free(&e->out[i]);
    free(e->out);
    free(e);
    *e_p = NULL;
}

void envio_progreso(envio *e, size_t total)
{
    e->progress = 1;
    e->total = total;
}

static json_t *error_json(const pmm_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "campo", json_string(err->campo));
    json_object_set_new(o, "regla", json_string(err->regla));
    json_object_set_new(o, "mensaje", json_string(err->mensaje));
    return o;
}

static const char *estado_name(const outcome *o)
{
    if (o->valida)
        return "valida";
    switch (o->r.estado) {
    case PMM__ESTADO__ESTADO_ACEPTADA: return "aceptada";
    case PMM__ESTADO__ESTADO_REPETIDA: return "repetida";
    case PMM__ESTADO__ESTADO_RECHAZADA: return "rechazada";
    default: return "desconocido";
    }
}

/* "línea 3" or "ficha.docx, tabla 1" or "libro.xlsx, hoja «fichas», fila 4" */
static void donde(const outcome *o, char *buf, size_t cap)
{
    if (!o->o.archivo)
        snprintf(buf, cap, "línea %zu", o->o.posicion);
    else if (!o->o.unidad)
        snprintf(buf, cap, "%s", o->o.archivo);   /* the file as a whole */
    else if (o->o.hoja)
        snprintf(buf, cap, "%s, hoja «%s», %s %zu", o->o.archivo, o->o.hoja, o->o.unidad,
                 o->o.posicion);
    else
        snprintf(buf, cap, "%s, %s %zu", o->o.archivo, o->o.unidad, o->o.posicion);
}

static void print_outcome(envio *e, const outcome *o)
{
    const sender_result *r = &o->r;
    if (o->valida)
        e->n_valid++;
    else if (o->o.archivo && !o->o.unidad)
        e->n_files_bad++;
    else
        switch (r->estado) {
        case PMM__ESTADO__ESTADO_ACEPTADA: e->n_ok++; break;
        case PMM__ESTADO__ESTADO_REPETIDA: e->n_rep++; break;
        case PMM__ESTADO__ESTADO_RECHAZADA: e->n_bad++; break;
        default: e->n_unknown++;
        }
    int has_receipt = !o->valida && (r->estado == PMM__ESTADO__ESTADO_ACEPTADA ||
                                     r->estado == PMM__ESTADO__ESTADO_REPETIDA);
    if (e->json) {
        json_t *j = json_object();
        if (o->o.archivo) {
            json_object_set_new(j, "archivo", json_string(o->o.archivo));
            if (o->o.hoja)
                json_object_set_new(j, "hoja", json_string(o->o.hoja));
            if (o->o.unidad)
                json_object_set_new(j, o->o.unidad, json_integer((json_int_t)o->o.posicion));
        } else {
            json_object_set_new(j, "linea", json_integer((json_int_t)o->o.posicion));
        }
        json_object_set_new(j, "clave", o->clave[0] ? json_string(o->clave) : json_null());
        json_object_set_new(j, "estado", json_string(estado_name(o)));
        if (has_receipt) {
            json_object_set_new(j, "id", json_integer(r->id));
            json_object_set_new(j, "version", json_integer(r->version));
        } else if (!o->valida) {
            json_object_set_new(j, "error", error_json(&r->err));
            if (o->nfaults > 1) {
                json_t *all = json_array();
                for (size_t i = 0; i < o->nfaults; i++)
                    json_array_append_new(all, error_json(&o->faults[i]));
                json_object_set_new(j, "errores", all);
            }
        }
        if (o->o.extra)
            json_object_update(j, o->o.extra);
        char *s = json_dumps(j, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
        json_decref(j);
        return;
    }
    char lugar[512];
    donde(o, lugar, sizeof lugar);
    const char *clave = o->clave[0] ? o->clave : "(sin clave)";
    if (o->o.archivo && !o->o.unidad)
        printf("%s: archivo rechazado entero: %s (%s)\n", lugar, r->err.mensaje, r->err.regla);
    else if (o->valida)
        printf("%s: %s válida (no enviada)\n", lugar, clave);
    else if (has_receipt)
        printf("%s: %s %s (id %lld, versión %lld)\n", lugar, clave, estado_name(o),
               (long long)r->id, (long long)r->version);
    else if (o->nfaults > 1) {
        printf("%s: %s %s: %zu problemas\n", lugar, clave, estado_name(o),
               o->nfaults + o->more);
        for (size_t i = 0; i < o->nfaults; i++) {
            const pmm_error *f = &o->faults[i];
            if (f->campo[0])
                printf("  - campo %s, regla %s: %s\n", f->campo, f->regla, f->mensaje);
            else
                printf("  - regla %s: %s\n", f->regla, f->mensaje);
        }
        if (o->more)
            printf("  - y %zu más\n", o->more);
    } else if (r->err.campo[0])
        printf("%s: %s %s: campo %s, regla %s: %s\n", lugar, clave, estado_name(o),
               r->err.campo, r->err.regla, r->err.mensaje);
    else
        printf("%s: %s %s: %s (%s)\n", lugar, clave, estado_name(o), r->err.mensaje,
               r->err.regla);
    if (o->o.nota)
        fputs(o->o.nota, stdout);
}

static void show_progress(envio *e, int final)
{
    if (!e->progress)
        return;
    size_t done = e->n_ok + e->n_rep + e->n_bad + e->n_unknown + e->n_valid;
    if (!final && done % 50 != 0)
        return;
    if (e->total) {
        int width = 30;
        size_t filled = done * (size_t)width / e->total;
        if (filled > (size_t)width)
            filled = (size_t)width;
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu fichas", (int)filled,
                "##############################", width - (int)filled, "", done, e->total);
    } else {
        fprintf(stderr, "\r%zu fichas", done);
    }
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Prints every finished outcome at the head, in input order. */
static void flush_ready(envio *e)
{
    while (e->head < e->count && e->out[e->head].done) {
        print_outcome(e, &e->out[e->head]);
        outcome_free(&e->out[e->head]);
        e->head++;
        show_progress(e, 0);
    }
    if (e->head > 1024 && e->head * 2 > e->count) {
        memmove(e->out, e->out + e->head, (e->count - e->head) * sizeof *e->out);
        e->count -= e->head;
        e->base_seq += e->head;
        e->head = 0;
    }
}

int envio_registrar(envio *e, envio_origen *o, uint64_t *seq)
{
    if (e->count == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 1024;
        outcome *n = realloc(e->out, cap * sizeof *n);
        if (!n)
            return -1;
        e->out = n;
        e->cap = cap;
    }
    outcome *oc = &e->out[e->count];
    memset(oc, 0, sizeof *oc);
    if (o->hoja && !(oc->hoja_propia = strdup(o->hoja)))
        return -1;
    oc->o = *o;
    oc->o.hoja = oc->hoja_propia;
    oc->o.clave = NULL;
    snprintf(oc->clave, sizeof oc->clave, "%s", o->clave ? o->clave : "");
    o->extra = NULL;
    o->nota = NULL;
    *seq = e->base_seq + e->count;
    e->count++;
    return 0;
}

void envio_rechazar(envio *e, uint64_t seq, const pmm_error *errs, size_t n)
{
    outcome *o = &e->out[seq - e->base_seq];
    size_t kept = n < FICHA_MAX_ERRORES ? n : FICHA_MAX_ERRORES;
    o->r.seq = seq;
    o->r.estado = PMM__ESTADO__ESTADO_RECHAZADA;
    o->r.err = errs[0];
    if (kept > 1 && (o->faults = malloc(kept * sizeof *o->faults))) {
        memcpy(o->faults, errs, kept * sizeof *o->faults);
        o->nfaults = kept;
        o->more = n - kept;
    }
    o->done = 1;
    flush_ready(e);
}

void envio_valida(envio *e, uint64_t seq)
{
    outcome *o = &e->out[seq - e->base_seq];
    o->valida = 1;
    o->done = 1;
    flush_ready(e);
}

void envio_resultado(void *user, const sender_result *r)
{
    envio *e = user;
    outcome *o = &e->out[r->seq - e->base_seq];
    o->r = *r;
    o->done = 1;
    flush_ready(e);
}

static const char *plural(size_t n, const char *uno, const char *varios)
{
    return n == 1 ? uno : varios;
}

int envio_terminar(envio *e, int rc_sender, int abortado, int simulacro)
{
    flush_ready(e);
    fflush(stdout);   /* the summary after the results, also when both go to one file */
    show_progress(e, 1);
    size_t total = e->n_ok + e->n_rep + e->n_bad + e->n_unknown + e->n_valid;
    if (simulacro)
        fprintf(stderr, "%zu %s: %zu %s, %zu %s", total, plural(total, "ficha", "fichas"),
                e->n_valid, plural(e->n_valid, "válida", "válidas"), e->n_bad,
                plural(e->n_bad, "rechazada", "rechazadas"));
    else
        fprintf(stderr, "%zu %s: %zu %s, %zu %s, %zu %s", total,
                plural(total, "ficha", "fichas"), e->n_ok,
                plural(e->n_ok, "aceptada", "aceptadas"), e->n_rep,
                plural(e->n_rep, "repetida", "repetidas"), e->n_bad,
                plural(e->n_bad, "rechazada", "rechazadas"));
    if (e->n_files_bad)
        fprintf(stderr, "; %zu %s", e->n_files_bad,
                plural(e->n_files_bad, "archivo rechazado entero", "archivos rechazados enteros"));
    if (e->n_unknown)
        fprintf(stderr, ", %zu sin respuesta del colector", e->n_unknown);
    if (simulacro)
        fprintf(stderr, " (simulacro: no se envió nada; use --enviar)");
    fputc('\n', stderr);
    if (rc_sender != 0 || abortado || e->n_unknown)
        return 2;
    return e->n_bad || e->n_files_bad ? 1 : 0;
}
