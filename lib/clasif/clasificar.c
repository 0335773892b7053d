/* clasificar.c -- clasificador_classify: a ficha's sub-topic, axis,
 * SDGs and targets, challenge categories and the evidence for them. */
#include "clasificador.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clasif_interno.h"
#include "clasif_lexico.h"
#include "clasif_modelo.h"
#include "clasif_rasgos.h"
#include "clasif_ref.h"

/* lexicon evidence for an SDG that breaks ties between equally likely ones */
#define ODS_LEXICO_MIN 1.0
/* A sub-topic other than the first is reported from this probability. */
#define SECUNDARIO_MIN 0.2

static void add_evid(clasif_resultado *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_evid(clasif_resultado *out, const char *fmt, ...)
{
    if (out->nevidencia >= CLASIF_MAX_EVID)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->evidencia[out->nevidencia++], CLASIF_EVID_LEN, fmt, ap);
    va_end(ap);
}

/* Appends "<a><b><c><d> (+1.25)" as evidence without printf (this runs
 * for every ficha). dec is 1 or 2 decimals. */
static void add_evid_peso(clasif_resultado *out, const char *a, const char *b,
                          const char *c, const char *d, double v, int dec)
{
    if (out->nevidencia >= CLASIF_MAX_EVID)
        return;
    char *o = out->evidencia[out->nevidencia++];
    size_t n = 0, cap = CLASIF_EVID_LEN - 16;
    const char *parts[] = {a, b, c, d};
    for (size_t i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        size_t l = strlen(parts[i]);
        if (l > cap - n)
            l = cap - n;
        memcpy(o + n, parts[i], l);
        n += l;
    }
    int scale = dec == 2 ? 100 : 10;
    long q = lround(fabs(v) * scale);
    if (q > 99999999)
        q = 99999999;
    char num[24];
    int k = 0;
    for (int i = 0; i < dec; i++) {
        num[k++] = (char)('0' + q % 10);
        q /= 10;
    }
    num[k++] = '.';
    do {
        num[k++] = (char)('0' + q % 10);
        q /= 10;
    } while (q);
    num[k++] = v < 0 ? '-' : '+';
    o[n++] = ' ';
    o[n++] = '(';
    while (k > 0)
        o[n++] = num[--k];
    o[n++] = ')';
    o[n] = '\0';
}

typedef struct {
    int row;
    double v;
} contrib;

int clasificador_classify(clasificador *self, const clasif_entrada *in,
                          const char *taxonomia_nombre, clasif_resultado *out,
                          pmm_error *err)
{
    memset(out, 0, sizeof *out);
    const tax_def *t = clasif_ref_taxonomia(self, taxonomia_nombre);
    if (!t)
        return pmm_error_set(err, 1, "taxonomia", "desconocida",
                             "taxonomía «%s» desconocida",
                             taxonomia_nombre ? taxonomia_nombre : "");
    copy_str(out->taxonomia, sizeof out->taxonomia, t->nombre);
    copy_str(out->version, sizeof out->version, self->version);
    worker *w = clasif_worker_tomar(self, err);
    if (!w)
        return -1;
    const clasif_modelo *m = self->modelo;
    w->llamada++;
    if (w->llamada == 0) {          /* stamp wrapped: clear */
        memset(w->marca, 0, w->marca_cap * sizeof *w->marca);
        w->llamada = 1;
    }
    rasgos_ctx x = {.w = w, .m = m};
    if (clasif_rasgos_ficha(self, w, in, m ? &x : NULL, err) != 0 || x.fallo) {
        clasif_worker_devolver(self, w);
        return x.fallo ? pmm_error_set(err, 7, "", "memoria", "sin memoria")
                       : -1;
    }

    /* model scores per model class */
    double ms[MAX_CLASES] = {0};
    int morig[MAX_CLASES];              /* taxonomy class -> model class */
    size_t K = t->n;
    if (m)
        clasif_modelo_puntuar(m, w->filas, w->vals, w->nfilas, ms);
    for (size_t k = 0; k < K; k++)
        morig[k] = m ? t->morig[k] : -1;
    /* taxonomy class scores: model (through `origen`) + lexicon */
    double sc[MAX_CLASES], lexs[MAX_CLASES] = {0}, lex_ods[NODS + 1] = {0};
    for (size_t h = 0; h < w->nhits; h++) {
        size_t i = (size_t)w->hits[h];
        const lex_entry *e = &self->lex[i];
        bool hit = w->lex_hit[i] ||
                   (e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero) ||
                   (e->tipo == LEX_DEPENDENCIA && !strcmp(w->dep, e->clave));
        if (!hit)
            continue;
        if (e->tipo == LEX_SUBTEMA || e->tipo == LEX_OBJETIVO ||
            e->tipo == LEX_DEPENDENCIA) {
            int k = clasif_ref_subtema(t, e->destino);
            if (k >= 0)
                lexs[k] += e->peso * lexico_peso_cabeza(w->lex_hit[i]) *
                           (m ? m->lexico_directo : 1.0);
        } else if (e->tipo == LEX_ODS) {
            lex_ods[e->numero] += e->peso;
        }
    }
    for (size_t k = 0; k < K; k++) {
        double base = 0;
        if (m)
            base = (morig[k] >= 0 ? ms[morig[k]] : -30.0) - t->lsib[k];
        sc[k] = base + lexs[k];
    }
    double p[MAX_CLASES] = {0}, mx = -1e300, z = 0;
    for (size_t k = 0; k < K; k++)
        if (sc[k] > mx)
            mx = sc[k];
    for (size_t k = 0; k < K; k++) {
        p[k] = exp(sc[k] - mx);
        z += p[k];
    }
    size_t best = 0;
    for (size_t k = 0; k < K; k++) {
        p[k] /= z;
        if (p[k] > p[best])
            best = k;
    }
    if (!m && lexs[best] <= 0) {        /* nothing at all: "otros" */
        int o = clasif_ref_subtema(t, "otros");
        if (o >= 0)
            best = (size_t)o;
    }
    copy_str(out->subtema.codigo, CLASIF_COD, t->codigo[best]);
    out->subtema.eje = t->eje[best];
    out->subtema.confianza = m ? clasif_modelo_calibrar(m, p[best]) : p[best];
    out->eje = t->eje[best];
    for (size_t k = 0; k < K; k++)
        if (t->eje[k] == out->eje)
            out->confianza_eje += p[k];
    /* secondary sub-topics, most likely first */
    for (size_t r = 0; r < CLASIF_MAX_SEC; r++) {
        int pick = -1;
        for (size_t k = 0; k < K; k++) {
            if (k == best || p[k] < SECUNDARIO_MIN)
                continue;
            bool taken = false;
            for (size_t q = 0; q < out->nsecundarios; q++)
                if (!strcmp(out->secundarios[q].codigo, t->codigo[k]))
                    taken = true;
            if (!taken && (pick < 0 || p[k] > p[pick]))
                pick = (int)k;
        }
        if (pick < 0)
            break;
        clasif_subtema *s = &out->secundarios[out->nsecundarios++];
        copy_str(s->codigo, CLASIF_COD, t->codigo[pick]);
        s->eje = t->eje[pick];
        s->confianza = p[pick];
    }

    /* evidence: lexicon hits for the chosen class, then model features */
    for (size_t h = 0; h < w->nhits; h++) {
        size_t i = (size_t)w->hits[h];
        const lex_entry *e = &self->lex[i];
        if (e->tipo == LEX_SUBTEMA && w->lex_hit[i] &&
            !strcmp(e->destino, t->codigo[best]))
            add_evid_peso(out, "léxico «", e->termino, "» → ", e->destino,
                          e->peso, 1);
        if (e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero &&
            !strcmp(e->destino, t->codigo[best]))
            add_evid(out, "objetivo PMM %d → %s (%+.1f)", e->numero,
                     e->destino, e->peso);
        if (e->tipo == LEX_DEPENDENCIA && !strcmp(w->dep, e->clave) &&
            !strcmp(e->destino, t->codigo[best]))
            add_evid(out, "dependencia %s → %s (%+.1f)", e->termino,
                     e->destino, e->peso);
    }
    if (m && morig[best] >= 0 && w->nfilas) {
        /* the five largest pulls towards the chosen class (rows are
         * centred, so the weight itself is the pull) */
        contrib top[5];
        size_t ntop = 0;
        size_t bk = (size_t)morig[best];
        for (size_t f = 0; f < w->nfilas; f++) {
            double v = w->vals[f] * m->w[(size_t)w->filas[f] * MAX_CLASES + bk];
            if (v <= 0.02 || (ntop == 5 && v <= top[4].v))
                continue;
            size_t pos = ntop < 5 ? ntop++ : 4;
            while (pos > 0 && top[pos - 1].v < v) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = (contrib){w->filas[f], v};
        }
        for (size_t q = 0; q < ntop; q++)
            add_evid_peso(out, "rasgo «", m->rasgos[top[q].row], "»", NULL,
                          top[q].v, 2);
    }

    /* SDGs, only for fichas with results */
    bool hay_cifras = (in->hay_acciones && in->acciones > 0) ||
                      (in->hay_personas && in->personas > 0) ||
                      (in->hay_mujeres && in->mujeres > 0) ||
                      (in->hay_hombres && in->hombres > 0);
    /* the text is folded and searched only when the figures do not
     * settle it: that scan was a tenth of the classifier's time */
    out->con_resultados =
        hay_cifras ||
        (!blank(in->resultados) &&
         !clasif_lexico_sin_resultados(self, w, in->resultados));
    if (!out->con_resultados) {
        add_evid(out, "regla: la ficha no reporta resultados, no se "
                      "asignan ODS");
    } else {
        double ps[NODS + 1] = {0};
        for (int s = 1; s <= NODS; s++)
            for (size_t k = 0; m && k < K; k++)
                if (morig[k] >= 0)
                    ps[s] += p[k] * m->ods[morig[k]][s];
        /* the likeliest SDG other than 10 (lexicon evidence breaks ties)
         * when it is sure enough; others only when nearly certain; 10
         * when more likely than not */
        int mejor = 0;
        for (int s = 1; s <= NODS; s++) {
            if (s == 10 || ps[s] <= 0)
                continue;
            double a = ps[s] + 0.01 * (lex_ods[s] >= ODS_LEXICO_MIN);
            double b = mejor ? ps[mejor] + 0.01 * (lex_ods[mejor] >=
                                                  ODS_LEXICO_MIN)
                             : -1;
            if (a > b)
                mejor = s;
        }
        double u1 = m ? m->ods_umbral : 1, u2 = m ? m->ods_umbral_otros : 1;
        for (int s = 1; s <= NODS; s++) {
            bool lex = lex_ods[s] >= ODS_LEXICO_MIN;
            bool asignar;
            if (!m)
                asignar = lex;
            else if (s == 10)
                asignar = ps[s] >= 0.5;
            else
                asignar = ps[s] >= (s == mejor ? u1 : u2);
            if (asignar) {
                clasif_ods *o = &out->ods[out->nods++];
                o->numero = s;
                o->confianza = m ? ps[s] : 0.5;
            }
        }
        /* targets: lexicon hits whose SDG was assigned, else the default */
        for (size_t o = 0; o < out->nods; o++) {
            int s = out->ods[o].numero;
            size_t before = out->nmetas;
            for (size_t h = 0; h < w->nhits; h++) {
                const lex_entry *e = &self->lex[w->hits[h]];
                if (e->tipo != LEX_META || e->numero != s ||
                    e->peso < 1.0)
                    continue;
                bool dup = false;
                for (size_t q = before; q < out->nmetas; q++)
                    if (!strcmp(out->metas[q].meta, e->destino))
                        dup = true;
                if (dup || out->nmetas >= CLASIF_MAX_METAS)
                    continue;
                clasif_meta *mt = &out->metas[out->nmetas++];
                copy_str(mt->meta, sizeof mt->meta, e->destino);
                mt->confianza = out->ods[o].confianza * 0.9;
            }
            if (out->nmetas == before) {
                for (size_t i = 0; i < self->nmetas; i++)
                    if (self->metas[i].ods == s &&
                        self->metas[i].predeterminada &&
                        out->nmetas < CLASIF_MAX_METAS) {
                        clasif_meta *mt = &out->metas[out->nmetas++];
                        copy_str(mt->meta, sizeof mt->meta,
                                 self->metas[i].meta);
                        mt->confianza = out->ods[o].confianza * 0.6;
                        break;
                    }
            }
        }
    }

    /* challenge categories from the retos text */
    if (!blank(in->retos)) {
        double rs[64] = {0};
        for (size_t h = 0; h < w->nhits; h++) {
            const lex_entry *e = &self->lex[w->hits[h]];
            if (e->tipo != LEX_RETO)
                continue;
            for (size_t r = 0; r < self->nretos && r < 64; r++)
                if (!strcmp(self->retos[r], e->destino))
                    rs[r] += e->peso;
        }
        for (size_t r = 0; r < self->nretos && r < 64; r++) {
            if (rs[r] >= 1.0 && out->nretos < CLASIF_MAX_RETOS) {
                clasif_reto *cr = &out->retos[out->nretos++];
                copy_str(cr->codigo, CLASIF_COD, self->retos[r]);
                cr->confianza = 1.0 - exp(-rs[r]);
            }
        }
        if (out->nretos == 0 && clasif_ref_reto(self, "otro")) {
            copy_str(out->retos[0].codigo, CLASIF_COD, "otro");
            out->retos[0].confianza = 0.3;
            out->nretos = 1;
        }
    }
    clasif_worker_devolver(self, w);
    return 0;
}
