/* compendio.c -- the Compendio General (see informe.h): every counted ficha
 * of the year under its PMM objective, federal bodies first and, from 2022
 * or whenever there are any, state governments in a part of their own.
 * Written through the document model (informe_doc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe.h"
#include "informe_doc.h"
#include "informe_formato.h"
#include "informe_ref.h"

#define NOBJ REF_OBJETIVOS
#define NENT REF_ENTIDADES

static int oom(pmm_error *err)
{
    return pmm_error_set(err, 7, "", "memoria", "sin memoria");
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && *s ? s : NULL;
}

static bool jnum(const json_t *o, const char *k, long long *v)
{
    json_t *x = json_object_get(o, k);
    if (!json_is_integer(x))
        return false;
    *v = json_integer_value(x);
    return true;
}

typedef struct {
    const json_t *f;
    int objetivo;
    bool estatal;
    char orden[160];    /* body or state, then clave */
} ficha_ref;

static int cmp_ficha(const void *a, const void *b)
{
    const ficha_ref *x = a, *y = b;
    if (x->estatal != y->estatal)
        return x->estatal ? 1 : -1;
    if (x->objetivo != y->objetivo)
        return x->objetivo < y->objetivo ? -1 : 1;
    int c = strcmp(x->orden, y->orden);
    if (c)
        return c;
    const char *px = jstr(x->f, "programa"), *py = jstr(y->f, "programa");
    c = strcmp(px ? px : "", py ? py : "");
    if (c)
        return c;
    const char *cx = jstr(x->f, "clave"), *cy = jstr(y->f, "clave");
    return strcmp(cx ? cx : "", cy ? cy : "");
}

static void compendio_ficha(doc *d, const informe_ref *ref, const json_t *f)
{
    strbuf s;
    strbuf_init(&s);
    char a[48];
    const char *programa = jstr(f, "programa");
    long long id = 0, ver = 0;
    const char *clave = jstr(f, "clave");
    if (jnum(f, "id", &id))
        strbuf_printf(&s, "Ficha %lld", id);
    if (jnum(f, "version", &ver) && ver > 1)
        strbuf_printf(&s, ", versión %lld", ver);
    if (clave)
        strbuf_printf(&s, "%sclave %s", s.len ? " · " : "", clave);
    char ancla[40];
    snprintf(ancla, sizeof ancla, "ficha-%lld", id);
    doc_ficha_id(d, id ? ancla : NULL, programa ? programa : "(sin nombre)",
                 s.len ? s.data : NULL);
    strbuf_reset(&s);
    /* who */
    const char *amb = jstr(f, "ambito");
    long long ent = 0;
    bool hay_ent = jnum(f, "entidad", &ent) && ent >= 1 && ent <= NENT;
    if (amb && !strcmp(amb, "estatal")) {
        if (hay_ent)
            informe_ref_gobierno(ref, (int)ent, &s);
        else
            strbuf_puts(&s, "Gobierno estatal");
    } else {
        const char *sig = jstr(f, "dependencia");
        const char *nm = sig ? informe_ref_dependencia(ref, sig) : NULL;
        if (sig && nm)
            strbuf_printf(&s, "%s (%s)", nm, sig);
        else
            strbuf_puts(&s, sig ? sig : "Sin dependencia");
    }
    doc_campo(d, "Institución", s.data);
    /* the same action reported by others too ("misma acción"): they
     * participate, the action counts once, here */
    strbuf_reset(&s);
    size_t k;
    json_t *p;
    json_array_foreach(json_object_get(f, "participantes"), k, p) {
        const char *e = json_string_value(p);
        const char *nm = NULL;
        if (e && !strncmp(e, "D:", 2))
            nm = informe_ref_dependencia(ref, e + 2);
        else if (e && !strncmp(e, "E:", 2))
            nm = informe_ref_entidad(ref, atoi(e + 2));
        strbuf_printf(&s, "%s%s", k ? "; " : "", nm ? nm : e ? e : "");
    }
    if (s.len)
        doc_campo(d, "También la reportó", s.data);
    doc_campo(d, "Unidad responsable", jstr(f, "unidad"));
    if (hay_ent && !(amb && !strcmp(amb, "estatal")))
        doc_campo(d, "Entidad donde se realizó", informe_ref_entidad(ref, (int)ent));
    doc_campo(d, "Objetivo del programa", jstr(f, "proposito"));
    doc_campo(d, "Población objetivo", jstr(f, "poblacion_objetivo"));
    /* period */
    strbuf_reset(&s);
    const char *ini = jstr(f, "inicio"), *fin = jstr(f, "fin"), *tmp = jstr(f, "temporalidad");
    if (ini)
        strbuf_printf(&s, "Inicio: %s", ini);
    if (fin)
        strbuf_printf(&s, "%sFin: %s", s.len ? "; " : "", fin);
    if (tmp)
        strbuf_printf(&s, "%s%s", s.len ? "; " : "",
                      !strcmp(tmp, "permanente") ? "permanente" : "temporal");
    doc_campo(d, "Periodo", s.len ? s.data : "Sin dato");
    /* results */
    strbuf_reset(&s);
    long long v;
    if (jnum(f, "acciones", &v))
        strbuf_printf(&s, "%s %s", informe_numero(v, a, sizeof a),
                      informe_plural(v, "actividad reportada", "actividades reportadas"));
    if (jnum(f, "personas", &v))
        strbuf_printf(&s, "%s%s %s", s.len ? "; " : "", informe_numero(v, a, sizeof a),
                      informe_plural(v, "persona atendida", "personas atendidas"));
    long long m, h;
    bool hm = jnum(f, "mujeres", &m), hh = jnum(f, "hombres", &h);
    if (hm)
        strbuf_printf(&s, "%s%s %s", s.len ? "; " : "", informe_numero(m, a, sizeof a),
                      informe_plural(m, "mujer", "mujeres"));
    if (hh)
        strbuf_printf(&s, "%s%s %s", s.len ? "; " : "", informe_numero(h, a, sizeof a),
                      informe_plural(h, "hombre", "hombres"));
    if (s.len)
        doc_campo(d, "Cifras reportadas", s.data);
    doc_campo(d, "Zona de atención", jstr(f, "zona"));
    const char *rt = jstr(f, "resultados_texto");
    doc_campo(d, "Resultados", rt ? rt : (s.len ? NULL : "No se reportaron resultados."));
    doc_campo(d, "Retos", jstr(f, "retos"));
    strbuf_reset(&s);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(f, "retos_cat"), i, x) {
        const char *cod = json_string_value(x);
        const char *nm = cod ? informe_ref_reto(ref, cod) : NULL;
        strbuf_printf(&s, "%s%s", i ? "; " : "", nm ? nm : cod ? cod : "");
    }
    if (s.len)
        doc_campo(d, "Categorías de retos", s.data);
    /* classification */
    strbuf_reset(&s);
    long long eje;
    const char *sub = jstr(f, "subtema");
    if (jnum(f, "eje", &eje)) {
        const char *en = informe_ref_eje(ref, (int)eje);
        strbuf_printf(&s, "%lld. %s", eje, en ? en : "");
    }
    if (sub) {
        const ref_subtema *sr = informe_ref_subtema(ref, sub);
        strbuf_printf(&s, "%s%s", s.len ? " — " : "", sr ? sr->nombre : sub);
    }
    if (s.len)
        doc_campo(d, "Eje y subtema", s.data);
    strbuf_reset(&s);
    json_array_foreach(json_object_get(f, "ods"), i, x) {
        int k = (int)json_integer_value(x);
        strbuf_printf(&s, "%s%d. %s", i ? "; " : "", k, informe_ref_ods(ref, k));
    }
    doc_campo(d, "ODS", s.len ? s.data : "Sin alineación (la acción no reportó resultados "
                                     "o no se asoció a un ODS)");
    doc_fin_ficha(d);
    strbuf_free(&s);
}

int informe_compendio(const json_t *fichas_arr, int ejercicio, const char *corte,
                      const informe_ref *ref, informe_formato formato, strbuf *out,
                      pmm_error *err)
{
    if (formato == INFORME_CSV)
        return pmm_error_set(err, 3, "--formato", "valor",
                             "el compendio se genera en html o md");
    if (!json_is_array(fichas_arr))
        return pmm_error_set(err, 3, "fichas", "formato", "se esperaba una lista de fichas");
    size_t n = json_array_size(fichas_arr);
    ficha_ref *fr = calloc(n + 1, sizeof *fr);
    if (!fr)
        return oom(err);
    size_t nest = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(fichas_arr, i);
        long long o = 0, e = 0;
        jnum(f, "objetivo", &o);
        fr[i].f = f;
        fr[i].objetivo = o >= 1 && o <= NOBJ ? (int)o : NOBJ + 1;
        const char *amb = jstr(f, "ambito");
        fr[i].estatal = amb && !strcmp(amb, "estatal");
        if (fr[i].estatal) {
            jnum(f, "entidad", &e);
            snprintf(fr[i].orden, sizeof fr[i].orden, "E%02lld", e);
            nest++;
        } else {
            const char *sig = jstr(f, "dependencia");
            snprintf(fr[i].orden, sizeof fr[i].orden, "D%s", sig ? sig : "");
        }
    }
    if (n > 1)
        qsort(fr, n, sizeof *fr, cmp_ficha);
    bool partes = ejercicio >= 2022 || nest > 0;

    doc dd;
    doc_init(&dd, formato, out, NULL, NULL, err);
    doc *d = &dd;
    char titulo[64], periodo[64], a[48];
    snprintf(titulo, sizeof titulo, "Compendio General %d", ejercicio);
    informe_periodo(ejercicio, periodo, sizeof periodo);
    strbuf datos_t;
    strbuf_init(&datos_t);
    strbuf_printf(&datos_t, "Periodo que se informa: %s. Corte de los datos: ", periodo);
    informe_fecha_zona(&datos_t, corte && *corte ? corte : NULL, informe_ref_zona_de(ref));
    strbuf_printf(&datos_t, ". %s %s.", informe_numero((long long)n, a, sizeof a),
                  informe_plural((long long)n, "ficha", "fichas"));
    static const char *const parte_titulo[2] = {"Dependencias y organismos federales",
                                                "Gobiernos estatales"};
    static const char *const parte_id[2] = {"federal", "estatal"};
    doc_entrada indice[2];
    for (int p = 0; p < 2; p++)
        indice[p] = (doc_entrada){parte_id[p], partes ? parte_titulo[p] : "Acciones por objetivo"};
    doc_portada(d, titulo, datos_t.data ? datos_t.data : "");
    doc_indice(d, indice, partes ? 2 : 1, false);
    strbuf_free(&datos_t);
    doc_p(d, "Este compendio reúne todas las acciones registradas en el ejercicio, ordenadas "
             "por objetivo del Pacto, del 1 al 23. Cada acción aparece una sola vez, bajo el "
             "objetivo al que se alineó. Para cada una se presentan, tal como se reportaron "
             "en la ficha técnica, la institución y la unidad responsables, el objetivo del "
             "programa, la población a la que se dirige, su periodo, los resultados del año y "
             "los retos, junto con su clasificación por eje temático y ODS.%s",
          partes ? " Desde 2022 las acciones de los gobiernos estatales se presentan en una "
                   "parte propia, después de las federales." : "");

    size_t i = 0;
    bool ancla_puesta[NOBJ + 2] = {false};
    size_t estatales[NOBJ + 2] = {0};
    for (size_t q = 0; q < n; q++)
        if (fr[q].estatal)
            estatales[fr[q].objetivo]++;
    for (int p = 0; p < (partes ? 2 : 1); p++) {
        if (partes) {
            doc_seccion(d, p + 1, parte_id[p], parte_titulo[p]);
        } else {
            doc_seccion(d, 1, parte_id[0], "Acciones por objetivo");
        }
        for (int o = 1; o <= NOBJ + 1; o++) {
            size_t cnt = 0;
            size_t j = i;
            while (j < n && (partes ? fr[j].estatal == (p == 1) : true) && fr[j].objetivo == o) {
                j++;
                cnt++;
            }
            if (o > NOBJ && cnt == 0)
                continue;
            strbuf h;
            strbuf_init(&h);
            if (o <= NOBJ)
                strbuf_printf(&h, "Objetivo %d. %s", o, informe_ref_objetivo(ref, o));
            else
                strbuf_puts(&h, "Sin objetivo válido");
            char id[32];
            snprintf(id, sizeof id, "%s-o%d", parte_id[p], o);
            if (o <= NOBJ && !ancla_puesta[o] && (cnt > 0 || p == (partes ? 1 : 0))) {
                /* where the Informe's count of objective o opens */
                char ao[16];
                snprintf(ao, sizeof ao, "o%d", o);
                doc_ancla(d, ao);
                ancla_puesta[o] = true;
            }
            doc_h3(d, id, h.data ? h.data : "");
            strbuf_free(&h);
            if (cnt == 0)
                doc_p(d, "No se registraron acciones para este objetivo en el ejercicio.");
            else
                doc_p(d, "%zu %s.", cnt, informe_plural((long long)cnt, "acción", "acciones"));
            if (partes && p == 0 && o <= NOBJ && estatales[o] > 0)
                doc_p(d, "%s %zu %s de gobiernos estatales de este objetivo %s en la parte "
                         "«Gobiernos estatales».", estatales[o] == 1 ? "La" : "Las",
                      estatales[o], informe_plural((long long)estatales[o], "acción", "acciones"),
                      estatales[o] == 1 ? "está" : "están");
            for (; i < j; i++)
                compendio_ficha(d, ref, fr[i].f);
        }
    }
    doc_fin_seccion(d);
    char pie[200];
    snprintf(pie, sizeof pie, "%s. Los datos de contacto de las fichas son de uso interno y "
                              "no se publican.", titulo);
    doc_pie(d, pie, "Los datos de contacto de las fichas son de uso interno y no se "
                    "publican.");
    free(fr);
    int fallo = d->rc;
    doc_liberar(d);
    if (fallo)
        return -1;
    return strbuf_failed(out) ? oom(err) : 0;
}
