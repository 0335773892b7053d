/* clasificar.c -- clasificador_classify: a ficha's sub-topic, axis,
 * SDGs and targets, challenge categories and the evidence for them. */
#include "clasificador.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clasif_evidencia.h"
#include "clasif_interno.h"
#include "clasif_lexico.h"
#include "clasif_modelo.h"
#include "clasif_rasgos.h"
#include "clasif_ref.h"

/* lexicon evidence for an SDG that breaks ties between equally likely ones */
#define ODS_LEXICO_MIN 1.0
/* A sub-topic other than the first is reported from this probability. */
#define SECUNDARIO_MIN 0.2

typedef struct {
    int row;
    double v;
} contrib;

const char *clasificador_taxonomia_de(const clasificador *self, int ejercicio)
{
    return clasif_ref_taxonomia_ejercicio(self, ejercicio);
}

/* clasificador_classify, or with forzar >= 0 the result for that class of
 * the taxonomy (its SDGs as if the model were sure of it). */
static int clasificar(clasificador *self, const clasif_entrada *in,
                      const char *taxonomia_nombre, const char *forzar,
                      clasif_resultado *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    if (!taxonomia_nombre && in->ejercicio)
        taxonomia_nombre = clasif_ref_taxonomia_ejercicio(self, in->ejercicio);
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
    if (forzar) {
        int k = clasif_ref_subtema(t, forzar);
        if (k < 0) {
            clasif_worker_devolver(self, w);
            return pmm_error_set(err, 1, "--subtema", "desconocido",
                                 "el subtema «%s» no está en la taxonomía %s", forzar,
                                 t->nombre);
        }
        best = (size_t)k;
        for (size_t q = 0; q < K; q++)
            p[q] = q == best ? 1.0 : 0.0;
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

    /* evidence, in words an analyst reads (issue 23): the lexicon's terms
     * for the chosen sub-topic, then the ficha's words behind the model's
     * strongest pulls; names, not codes; no weights */
    const char *nombre_best = clasif_evid_subtema(self, t, t->codigo[best]);
    char lex_t[CLASIF_EVID_LEN * 2];
    size_t lex_n = 0, lex_len = 0;
    for (size_t h = 0; h < w->nhits; h++) {
        size_t i = (size_t)w->hits[h];
        const lex_entry *e = &self->lex[i];
        if (e->tipo == LEX_SUBTEMA && w->lex_hit[i] &&
            !strcmp(e->destino, t->codigo[best]) && lex_len + 8 < sizeof lex_t) {
            int k = snprintf(lex_t + lex_len, sizeof lex_t - lex_len, "%s«%s»",
                             lex_n ? ", " : "", e->termino);
            if (k > 0)
                lex_len += (size_t)k;
            lex_n++;
        }
        if (e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero &&
            !strcmp(e->destino, t->codigo[best]))
            clasif_evid(out, "alineada al objetivo %d del Pacto, que el léxico asocia a «%s»",
                        e->numero, nombre_best);
        if (e->tipo == LEX_DEPENDENCIA && !strcmp(w->dep, e->clave) &&
            !strcmp(e->destino, t->codigo[best]))
            clasif_evid(out, "la reporta %s, que el léxico asocia a «%s»", e->termino,
                        nombre_best);
    }
    if (lex_n)
        clasif_evid(out, "%s del léxico de «%s» en el texto: %s",
                    lex_n == 1 ? "término" : "términos", nombre_best, lex_t);
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
        const char *rasgos[5];
        for (size_t q = 0; q < ntop; q++)
            rasgos[q] = m->rasgos[top[q].row];
        clasif_evid_terminos(w, in, rasgos, ntop, out);
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
        clasif_evid(out, "la ficha no reporta resultados: no se le asignan ODS "
                         "(regla del método)");
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

int clasificador_classify(clasificador *self, const clasif_entrada *in,
                          const char *taxonomia, clasif_resultado *out,
                          pmm_error *err)
{
    return clasificar(self, in, taxonomia, NULL, out, err);
}

int clasificador_ods_para_subtema(clasificador *self, const clasif_entrada *in,
                                  const char *taxonomia, const char *subtema,
                                  clasif_resultado *out, pmm_error *err)
{
    return clasificar(self, in, taxonomia, subtema, out, err);
}
