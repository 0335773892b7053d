/* revision_propuesta.c -- see revision_propuesta.h. */
#include "revision_propuesta.h"

#include <stdlib.h>

#include "clasif_db.h"

int revision_propuesta(clasificador *clf, const PGresult *res, int row, int ejercicio,
                       const char *taxonomia, const char *subtema, strbuf *ods,
                       strbuf *metas, pmm_error *err)
{
    clasif_entrada in;
    clasif_db_entrada(res, row, &in);
    in.ejercicio = ejercicio;
    clasif_resultado *out = malloc(sizeof *out);
    if (!out)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    int rc = clasificador_ods_para_subtema(clf, &in, taxonomia, subtema, out, err);
    if (rc == 0) {
        strbuf_puts(ods, "{");
        for (size_t i = 0; i < out->nods; i++)
            strbuf_printf(ods, "%s%d", i ? "," : "", out->ods[i].numero);
        strbuf_puts(ods, "}");
        strbuf_puts(metas, "{");
        for (size_t i = 0; i < out->nmetas; i++)
            strbuf_printf(metas, "%s\"%s\"", i ? "," : "", out->metas[i].meta);
        strbuf_puts(metas, "}");
    }
    free(out);
    return rc;
}
