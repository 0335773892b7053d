/* evaluar_anio.c -- see evaluar_anio.h. */
#include "evaluar_anio.h"

#include <stdlib.h>
#include <string.h>

int evaluar_anio_preparar(clasificador *c, const corpus *cp, int anio,
                          evaluar_anio *st, pmm_error *err)
{
    memset(st, 0, sizeof *st);
    st->anio = anio;
    st->ej = calloc(cp->n ? cp->n : 1, sizeof *st->ej);
    st->mem = clasif_memoria_nueva();
    if (!st->ej || !st->mem)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    for (size_t i = 0; i < cp->n; i++) {
        const corpus_registro *r = &cp->r[i];
        if (r->year == anio)
            continue;
        corpus_ejemplo(r, &st->ej[st->nej++]);
        /* every label of the corpus is an analyst's decision; the memory
         * holds those of earlier years only */
        if (r->year < anio &&
            clasif_memoria_agregar(st->mem, r->year, r->dependencia,
                                   r->programa, r->texto, r->subtema,
                                   r->id ? r->id : "") != 0)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    if (clasif_pesos_elegir(c, st->ej, st->nej, &st->pesos, err) != 0)
        return -1;
    clasif_pesos_aplicar(st->ej, st->nej, anio, &st->pesos);
    clasif_modelo *m = clasif_modelo_entrenar(c, st->ej, st->nej, err);
    if (!m)
        return -1;
    clasif_modelo_anotar_pesos(m, st->pesos.reciente, st->pesos.decisiones,
                               st->pesos.como);
    /* retraining between review rounds reuses these settings */
    st->base = clasif_modelo_ajustes(m);
    clasificador_usar_modelo(c, m);
    if (!st->base)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}

void evaluar_anio_liberar(evaluar_anio *st)
{
    free(st->ej);
    clasif_modelo_destroy(&st->base);
    clasif_memoria_destroy(&st->mem);
    memset(st, 0, sizeof *st);
}

int evaluar_anio_clasificar(clasificador *c, const evaluar_anio *st,
                            const corpus_registro *r, clasif_resultado *res,
                            bool *memoria, pmm_error *err)
{
    clasif_ejemplo e;
    corpus_ejemplo(r, &e);
    if (clasificador_classify(c, &e.entrada, NULL, res, err) != 0)
        return -1;
    clasif_recuerdo rec;
    bool usada = clasif_memoria_buscar(st->mem, r->year, r->dependencia,
                                       r->programa, r->texto, &rec) &&
                 clasif_memoria_aplicar(c, &rec, res);
    if (memoria)
        *memoria = usada;
    return 0;
}
