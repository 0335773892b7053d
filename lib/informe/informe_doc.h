/* informe_doc.h -- the document model the reports are written in: a
 * sequence of blocks (cover, contents, sections, headings, paragraphs, key
 * figures, tables, charts, field lists, quotes) written through a writer
 * that knows the output format. The markup of each block is in
 * informe_marcas.c, the page frame in informe_html.c, the charts in
 * informe_svg.c and the CSV form of tables in informe_csv.c.
 *
 * In CSV only tables are written (every other block writes nothing): into
 * the output with each row led by the table id, or, with a table callback,
 * one document per table. Charts and the side-by-side layout exist in HTML
 * only. In DOCX (informe_docx.h) the blocks go to a Word document whose
 * bytes doc_pie appends to the output; charts become pictures.
 */
#ifndef PMM_INFORME_DOC_H
#define PMM_INFORME_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "informe.h"
#include "informe_svg.h"
#include "informe_tabla.h"
#include "strbuf.h"

/* The Compact's title, after every document's own title. */
extern const char INFORME_TITULO_PACTO[];

typedef struct {
    informe_formato f;
    strbuf *out;
    informe_tabla_fn fn;   /* CSV: receives each table, when set */
    void *user;
    pmm_error *err;        /* set by fn */
    int rc;                /* -1 once fn failed */
    int ntabla, ngrafica;  /* numbers of the last table and chart */
    bool en_seccion;
    bool en_ficha;         /* fields belong to a ficha of the Compendio */
    struct docx *dx;       /* DOCX: the Word document being written */
} doc;

void doc_init(doc *d, informe_formato f, strbuf *out, informe_tabla_fn fn,
              void *user, pmm_error *err);
/* The format holds tables only (CSV). */
bool doc_solo_tablas(const doc *d);

/* Text escaped for the format. */
void doc_texto(doc *d, const char *s);

/* The document's opening: "<titulo> — <the Compact>" and a line of data. */
void doc_portada(doc *d, const char *titulo, const char *datos);
/* Contents: entry i links to section e[i].id. In Markdown only when
 * en_md (a numbered list). */
typedef struct {
    const char *id, *titulo;
} doc_entrada;
void doc_indice(doc *d, const doc_entrada *e, size_t n, bool en_md);
/* The document's end: pie_html is the HTML footer, pie_md (may be NULL) a
 * last line in Markdown. */
void doc_pie(doc *d, const char *pie_html, const char *pie_md);
/* Frees what an unfinished document holds (a DOCX one ended by doc_pie
 * needs nothing); safe to call twice. */
void doc_liberar(doc *d);

/* Section "<num>. <titulo>" (closing the previous one). */
void doc_seccion(doc *d, int num, const char *id, const char *titulo);
void doc_fin_seccion(doc *d);
/* A heading of the third level; id (may be NULL) anchors it in HTML. */
void doc_h3(doc *d, const char *id, const char *titulo);

void doc_p(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_nota(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Key figures: value and label pairs. */
typedef struct {
    char valor[64];
    char rotulo[160];
} doc_cifra;
void doc_cifras(doc *d, const doc_cifra *c, size_t n);

/* A table ("Tabla <n>. <titulo>"), then its note. */
void doc_tabla(doc *d, const tabla *t);

/* Charts (HTML only), numbered "Gráfica <n>". */
void doc_barras(doc *d, const char *titulo, const barra *b, size_t n,
                long long total, const char *color);
/* The tile map of the states, then nota under it. */
void doc_mapa(doc *d, const char *titulo,
              const char *const nombres[REF_ENTIDADES + 1],
              const long long por_entidad[REF_ENTIDADES + 1], const char *nota);

/* A list of labelled fields: doc_lista, doc_campo..., doc_fin_lista. */
void doc_lista(doc *d);
/* A field; nothing when texto is NULL. */
void doc_campo(doc *d, const char *rotulo, const char *texto);
void doc_fin_lista(doc *d);

/* A ficha of the Compendio: its title and identifier line, then
 * doc_campo..., doc_fin_ficha. Its fields flow as short paragraphs. */
void doc_ficha(doc *d, const char *titulo, const char *id);
/* The same with an anchor (HTML: the article's id) a link elsewhere opens. */
void doc_ficha_id(doc *d, const char *ancla, const char *titulo, const char *id);
/* An anchor alone (HTML only): a place a link elsewhere opens at. */
void doc_ancla(doc *d, const char *id);
void doc_fin_ficha(doc *d);

/* A group of quotes under "<titulo> (<cuenta>)": doc_cita..., doc_fin_grupo. */
void doc_grupo(doc *d, const char *titulo, const char *cuenta);
void doc_cita(doc *d, const char *texto);
void doc_fin_grupo(doc *d);

/* Two blocks side by side (HTML): doc_columnas, the first block,
 * doc_columna, the second, doc_fin_columnas. */
void doc_columnas(doc *d);
void doc_columna(doc *d);
void doc_fin_columnas(doc *d);

#endif
