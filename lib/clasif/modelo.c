/* modelo.c -- the classifier's model (data/modelo.txt): reading and
 * writing the file, and the scores of a ficha's features. */
#include "clasif_modelo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

clasif_modelo *clasif_modelo_nuevo(void)
{
    clasif_modelo *m = calloc(1, sizeof(clasif_modelo));
    if (m) {
        hashmap_init(&m->vocab, sizeof(int));
        m->peso_reciente = 1.0;
        m->peso_decisiones = 1.0;
    }
    return m;
}

void clasif_modelo_destroy(clasif_modelo **m_p)
{
    if (!m_p || !*m_p)
        return;
    clasif_modelo *m = *m_p;
    hashmap_free(&m->vocab);
    for (size_t i = 0; i < m->nfeat; i++)
        free(m->rasgos[i]);
    free(m->rasgos);
    free(m->w);
    free(m->idf);
    free(m);
    *m_p = NULL;
}

size_t clasif_modelo_rasgos(const clasif_modelo *m)
{
    return m ? m->nfeat : 0;
}

int clasif_modelo_rasgo(clasif_modelo *m, const char *f, size_t n)
{
    if (m->nfeat == m->feat_cap) {
        size_t ncap = m->feat_cap ? m->feat_cap * 2 : 4096;
        char **nr = realloc(m->rasgos, ncap * sizeof *nr);
        if (!nr)
            return -1;
        m->rasgos = nr;
        float *nw = realloc(m->w, ncap * MAX_CLASES * sizeof *nw);
        if (!nw)
            return -1;
        m->w = nw;
        float *ni = realloc(m->idf, ncap * sizeof *ni);
        if (!ni)
            return -1;
        m->idf = ni;
        m->feat_cap = ncap;
    }
    int row = dict_put(&m->vocab, f, n, (int)m->nfeat);
    if (row == -2)
        return -1;
    if ((size_t)row != m->nfeat)
        return row;
    m->rasgos[m->nfeat] = strndup(f, n);
    if (!m->rasgos[m->nfeat])
        return -1;
    memset(&m->w[m->nfeat * MAX_CLASES], 0, MAX_CLASES * sizeof(float));
    m->idf[m->nfeat] = 1.0f;
    return (int)m->nfeat++;
}

/* Subtracts each feature's mean weight: softmax does not change, and a
 * feature's weight for a class is then its pull towards that class. */
void clasif_modelo_centrar(clasif_modelo *m)
{
    for (size_t r = 0; r < m->nfeat; r++) {
        float *row = &m->w[r * MAX_CLASES];
        double mean = 0;
        for (size_t k = 0; k < m->ncls; k++)
            mean += row[k];
        mean /= (double)m->ncls;
        for (size_t k = 0; k < m->ncls; k++)
            row[k] -= (float)mean;
    }
}

/* Splits a tab-separated line in place. */
static size_t split_tabs(char *line, char **out, size_t cap)
{
    size_t n = 0;
    char *p = line;
    while (n < cap) {
        out[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

clasif_modelo *clasif_modelo_cargar(const char *path, pmm_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        pmm_error_set(err, 7, "", "archivo", "no se puede abrir %s: %s", path,
                      strerror(errno));
        return NULL;
    }
    clasif_modelo *m = clasif_modelo_nuevo();
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t lineno = 0;
    int rc = 0;
    if (!m) {
        fclose(f);
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    m->huella = 2166136261u;
    m->lexico_directo = 1.0;        /* formato 1 */
    m->ods_umbral = ODS_UMBRAL_UNO;
    m->ods_umbral_otros = ODS_UMBRAL;
    int formato = 1;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        m->huella = fnv32(line, (size_t)len, m->huella);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *col[MAX_CLASES + 3];
        size_t nc = split_tabs(line, col, MAX_CLASES + 3);
        if (!strcmp(col[0], "formato")) {
            formato = nc >= 2 ? atoi(col[1]) : 0;
            if (formato < 1 || formato > 3)
                rc = pmm_error_set(err, 7, "formato", "modelo",
                                   "%s: formato de modelo no soportado", path);
        } else if (!strcmp(col[0], "algoritmo") && nc >= 2) {
            copy_str(m->algoritmo, sizeof m->algoritmo, col[1]);
        } else if (!strcmp(col[0], "normalizacion") && nc >= 2) {
            m->normalizar = !strcmp(col[1], "raiz") || !strcmp(col[1], "l2");
        } else if (!strcmp(col[0], "escala_lexico") && nc >= 2) {
            m->escala_lexico = strtod(col[1], NULL);
        } else if (!strcmp(col[0], "lexico_directo") && nc >= 2) {
            m->lexico_directo = strtod(col[1], NULL);
        } else if (!strcmp(col[0], "hiperparametros") && nc >= 2) {
            copy_str(m->hiper, sizeof m->hiper, col[1]);
        } else if (!strcmp(col[0], "ods_umbral") && nc >= 3) {
            m->ods_umbral = strtod(col[1], NULL);
            m->ods_umbral_otros = strtod(col[2], NULL);
        } else if (!strcmp(col[0], "calibracion")) {
            m->ncal = 0;
            for (size_t i = 1; i < nc && m->ncal < CLASIF_MAX_CAL; i++) {
                double x, y;
                if (sscanf(col[i], "%lf:%lf", &x, &y) != 2 || x < 0 ||
                    x > 1 || y < 0 || y > 1 ||
                    (m->ncal && x < m->cal_x[m->ncal - 1])) {
                    rc = pmm_error_set(err, 7, "calibracion", "modelo",
                                       "%s, línea %zu: se esperan puntos "
                                       "probabilidad:acierto crecientes "
                                       "entre 0 y 1", path, lineno);
                    break;
                }
                m->cal_x[m->ncal] = x;
                m->cal_y[m->ncal++] = y;
            }
        } else if (!strcmp(col[0], "hiper") && nc >= 4) {
            m->con_hiper = true;
            m->h_l2 = strtod(col[1], NULL);
            m->h_nb = strtod(col[2], NULL);
            m->h_extra = strtod(col[3], NULL);
        } else if (!strcmp(col[0], "memoria") && nc >= 3) {
            m->memoria_acuerdo = strtod(col[1], NULL);
            m->memoria_pares = (size_t)strtoul(col[2], NULL, 10);
        } else if (!strcmp(col[0], "pesos") && nc >= 3) {
            m->peso_reciente = strtod(col[1], NULL);
            m->peso_decisiones = strtod(col[2], NULL);
            copy_str(m->pesos_como, sizeof m->pesos_como,
                     nc >= 4 ? col[3] : "");
        } else if (!strcmp(col[0], "fuente") && nc >= 2) {
            if (m->nfuentes < CLASIF_MAX_FUENTES) {
                /* the rest of the line, tabs included */
                char *o = m->fuentes[m->nfuentes++];
                size_t k = 0;
                for (size_t i = 1; i < nc; i++) {
                    size_t l = strlen(col[i]);
                    if (k + l + 2 >= CLASIF_FUENTE_LEN)
                        l = CLASIF_FUENTE_LEN - k - 2;
                    if (i > 1 && k + 1 < CLASIF_FUENTE_LEN)
                        o[k++] = '\t';
                    memcpy(o + k, col[i], l);
                    k += l;
                }
                o[k] = '\0';
            }
        } else if (!strcmp(col[0], "entrenador") && nc >= 2) {
            /* which `pmm entrenar` wrote it: informative */
        } else if (!strcmp(col[0], "ejemplos") && nc >= 2) {
            m->ejemplos = (size_t)strtoul(col[1], NULL, 10);
        } else if (!strcmp(col[0], "clases")) {
            m->ncls = nc - 1;
            if (m->ncls == 0 || m->ncls > MAX_CLASES)
                rc = pmm_error_set(err, 7, "clases", "modelo",
                                   "%s, línea %zu: número de clases no válido",
                                   path, lineno);
            for (size_t i = 1; rc == 0 && i < nc; i++)
                copy_str(m->cls[i - 1], CLASIF_COD, col[i]);
        } else if (!strcmp(col[0], "sesgo")) {
            if (nc != m->ncls + 1)
                rc = pmm_error_set(err, 7, "sesgo", "modelo",
                                   "%s, línea %zu: se esperan %zu valores",
                                   path, lineno, m->ncls);
            for (size_t i = 1; rc == 0 && i < nc; i++)
                m->sesgo[i - 1] = strtod(col[i], NULL);
        } else if (!strcmp(col[0], "ods")) {
            int k = -1;
            for (size_t i = 0; nc > 1 && i < m->ncls; i++)
                if (!strcmp(m->cls[i], col[1]))
                    k = (int)i;
            if (k < 0 || nc != NODS + 2) {
                rc = pmm_error_set(err, 7, "ods", "modelo",
                                   "%s, línea %zu: fila de ODS no válida",
                                   path, lineno);
                break;
            }
            for (size_t s = 1; s <= NODS; s++)
                m->ods[k][s] = strtod(col[s + 1], NULL);
        } else if (!strcmp(col[0], "rasgo")) {
            /* formato 2: rasgo, idf, one weight per class */
            size_t pre = formato >= 2 ? 3 : 2;
            if (nc != m->ncls + pre || !*col[1]) {
                rc = pmm_error_set(err, 7, "rasgo", "modelo",
                                   "%s, línea %zu: se esperan el rasgo%s y "
                                   "%zu pesos", path, lineno,
                                   pre == 3 ? ", su idf" : "", m->ncls);
                break;
            }
            int row = clasif_modelo_rasgo(m, col[1], strlen(col[1]));
            if (row < 0) {
                rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
                break;
            }
            if (pre == 3)
                m->idf[row] = (float)strtod(col[2], NULL);
            for (size_t i = 0; i < m->ncls; i++)
                m->w[(size_t)row * MAX_CLASES + i] =
                    (float)strtod(col[i + pre], NULL);
        } else {
            rc = pmm_error_set(err, 7, "", "modelo",
                               "%s, línea %zu: fila «%s» desconocida", path,
                               lineno, col[0]);
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && m->ncls == 0)
        rc = pmm_error_set(err, 7, "clases", "modelo",
                           "%s: el modelo no declara clases", path);
    if (rc != 0) {
        clasif_modelo_destroy(&m);
        return NULL;
    }
    clasif_modelo_centrar(m);
    return m;
}

int clasif_modelo_guardar(const clasif_modelo *m, const char *path,
                          pmm_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    snprintf(tmp, plen + 8, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        pmm_error_set(err, 7, "", "archivo", "no se puede escribir %s: %s",
                      tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    fprintf(f, "# Modelo del clasificador de pmm-seguimiento, generado por "
               "`pmm entrenar`.\n"
               "# Filas: clases (subtemas), sesgo por clase, ods (proporción "
               "de fichas del subtema cuyo grupo incluye cada ODS 1-17) y un\n"
               "# rasgo por fila con su idf y su peso para cada clase. Un peso "
               "positivo acerca la ficha a la clase.\n");
    fprintf(f, "# Fuentes: con qué se entrenó (corpus y decisiones de "
               "analistas); pesos: peso por año de distancia al ejercicio\n"
               "# y factor de las decisiones del ejercicio; calibracion: "
               "probabilidad:acierto (confianza calibrada).\n");
    fprintf(f, "formato\t3\nentrenador\t%s\nalgoritmo\t%s\n"
               "normalizacion\t%s\n"
               "escala_lexico\t%g\nlexico_directo\t%g\nods_umbral\t%g\t%g\n"
               "ejemplos\t%zu\n",
            CLASIF_ENTRENADOR, m->algoritmo, m->normalizar ? "l2" : "ninguna",
            m->escala_lexico, m->lexico_directo, m->ods_umbral,
            m->ods_umbral_otros, m->ejemplos);
    if (m->ncal) {
        fprintf(f, "calibracion");
        for (size_t i = 0; i < m->ncal; i++)
            fprintf(f, "\t%.4f:%.4f", m->cal_x[i], m->cal_y[i]);
        fprintf(f, "\n");
    }
    for (size_t i = 0; i < m->nfuentes; i++)
        fprintf(f, "fuente\t%s\n", m->fuentes[i]);
    fprintf(f, "pesos\t%g\t%g\t%s\n", m->peso_reciente, m->peso_decisiones,
            m->pesos_como[0] ? m->pesos_como : "por omisión");
    if (m->con_hiper)
        fprintf(f, "hiper\t%g\t%g\t%g\n", m->h_l2, m->h_nb, m->h_extra);
    fprintf(f, "memoria\t%.4g\t%zu\n", m->memoria_acuerdo, m->memoria_pares);
    if (m->hiper[0])
        fprintf(f, "hiperparametros\t%s\n", m->hiper);
    fprintf(f, "clases");
    for (size_t i = 0; i < m->ncls; i++)
        fprintf(f, "\t%s", m->cls[i]);
    fprintf(f, "\nsesgo");
    for (size_t i = 0; i < m->ncls; i++)
        fprintf(f, "\t%.5g", m->sesgo[i]);
    fprintf(f, "\n");
    for (size_t i = 0; i < m->ncls; i++) {
        fprintf(f, "ods\t%s", m->cls[i]);
        for (size_t s = 1; s <= NODS; s++)
            fprintf(f, "\t%.3g", m->ods[i][s]);
        fprintf(f, "\n");
    }
    for (size_t r = 0; r < m->nfeat; r++) {
        fprintf(f, "rasgo\t%s\t%.4g", m->rasgos[r], (double)m->idf[r]);
        for (size_t i = 0; i < m->ncls; i++)
            fprintf(f, "\t%.4g", (double)m->w[r * MAX_CLASES + i]);
        fprintf(f, "\n");
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        pmm_error_set(err, 7, "", "archivo", "no se pudo escribir %s", path);
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

void clasif_modelo_puntuar(const clasif_modelo *m, const int *filas,
                           const double *vals, size_t n,
                           double ms[MAX_CLASES])
{
    for (size_t k = 0; k < MAX_CLASES; k++)
        ms[k] = k < m->ncls ? m->sesgo[k] : 0;
    for (size_t f = 0; f < n; f++) {
        const float *row = &m->w[(size_t)filas[f] * MAX_CLASES];
        double v = vals[f];
        /* every column, not just ncls: a fixed trip count that the
         * compiler vectorises (the columns past ncls are zero, and
         * their sums are never read) */
        for (size_t k = 0; k < MAX_CLASES; k++)
            ms[k] += v * row[k];
    }
}

/* A thousandth of p is added so that equal calibrated values keep the
 * probabilities' order (the review lists the least confident first). */
double clasif_modelo_calibrar(const clasif_modelo *m, double p)
{
    size_t n = m->ncal;
    if (n == 0)
        return p;
    double c;
    if (p <= m->cal_x[0]) {
        c = m->cal_y[0];
    } else if (p >= m->cal_x[n - 1]) {
        c = m->cal_y[n - 1];
    } else {
        size_t i = 1;
        while (i < n && m->cal_x[i] < p)
            i++;
        double dx = m->cal_x[i] - m->cal_x[i - 1];
        double t = dx > 0 ? (p - m->cal_x[i - 1]) / dx : 1;
        c = m->cal_y[i - 1] + t * (m->cal_y[i] - m->cal_y[i - 1]);
    }
    c += 0.001 * (p - 0.5);
    return c < 0 ? 0 : c > 1 ? 1 : c;
}
