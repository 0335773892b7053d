/* pmm evaluar -- leave-one-year-out evaluation of the classifier on a
 * labelled corpus: for every year, a model is trained on the other years
 * and scored on that one, so no score is measured on training text. The
 * lexicon is the same for every fold (hand-written, not learned). */
#include <jansson.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasificador.h"
#include "commands.h"
#include "opciones.h"
#include "corpus.h"
#include "entrenar.h"
#include "evaluar_anio.h"

#define MAXC 32

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm evaluar --corpus ARCHIVO [--formato tabla|json]\n"
            "                 [--predicciones SALIDA]\n"
            "       pmm evaluar --corpus ARCHIVO --revision-activa [--lote 0.1]"
            " [--hasta 0.5]\n"
            "                 [--formato tabla|json]\n\n"
            "Valida el clasificador dejando un año fuera: para cada año del "
            "corpus entrena\ncon los demás años y mide sobre ése. Informa "
            "exactitud por subtema y por eje,\nF1 macro, precisión y "
            "exhaustividad por subtema, la matriz de confusión y la\n"
            "precisión de los ODS frente al grupo de ODS de cada registro.\n"
            "Con --predicciones escribe en SALIDA (JSON Lines) la predicción "
            "de cada\nregistro en su año dejado fuera, para revisar errores.\n"
            "Para cada año dejado fuera, los pesos de los años y de las "
            "decisiones, los\nhiperparámetros y la calibración de la confianza "
            "se eligen sólo con los demás\naños, y la memoria de programas usa "
            "las decisiones de los años anteriores.\n\n"
            "Opciones:\n"
            "  --corpus ARCHIVO     corpus etiquetado (JSON Lines)\n"
            "  --formato F          tabla (por omisión) o json\n"
            "  --predicciones SAL   escribe la predicción de cada registro\n"
            "  --revision-activa    simula la revisión del año: clasifica, los "
            "analistas revisan\n"
            "                       la parte menos segura, se reentrena con sus "
            "decisiones y\n"
            "                       se reclasifica el resto; imprime la curva "
            "por ronda, la\n"
            "                       exactitud del 30/50/70 %% más seguro y la "
            "calibración\n"
            "  --lote P             parte del año revisada en cada ronda (0 a 1; "
            "0.1)\n"
            "  --hasta P            parte del año revisada al terminar (0 a 1; "
            "0.5)\n"
            "  -h, --help           muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm evaluar --corpus programas_etiquetados.jsonl\n"
            "  pmm evaluar --corpus programas_etiquetados.jsonl "
            "--revision-activa --lote 0.1 --hasta 0.5\n");
}

typedef struct {
    int gold, pred;             /* taxonomy indices */
    int gold_eje, pred_eje;
    int year;
    int ods_ok, ods_n;          /* predicted SDGs in the group / predicted */
    int ods10_ok, ods10_n;      /* same, SDGs other than 10 */
    bool grupo_no10;            /* the group has an SDG other than 10 */
    bool acierto_no10;          /* one correct non-10 SDG predicted */
    bool ods_eje;               /* the group's SDG list is per axis */
} prediccion;

/* SDG counts over a set of records. */
typedef struct {
    long ok, n, ok10, n10, con_no10, cubre, registros;
} ods_cuenta;

static void ods_sumar(ods_cuenta *c, const prediccion *p)
{
    c->registros++;
    c->ok += p->ods_ok;
    c->n += p->ods_n;
    c->ok10 += p->ods10_ok;
    c->n10 += p->ods10_n;
    if (p->grupo_no10) {
        c->con_no10++;
        c->cubre += p->acierto_no10;
    }
}

static int idx_of(const char **codes, size_t n, const char *c)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(codes[i], c))
            return (int)i;
    return -1;
}

static double safe_div(double a, double b)
{
    return b > 0 ? a / b : 0;
}

int cmd_evaluar(int argc, char **argv, pmm_conf *conf)
{
    const char *corpus_path = NULL, *formato = "tabla", *pred_path = NULL;
    evaluar_revision_op rop = {0.1, 0.5, false};
    bool activa = false;
    static const struct option opts[] = {{"corpus", required_argument, NULL, 'c'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"predicciones", required_argument, NULL, 'p'},
                                         {"revision-activa", no_argument, NULL, 'r'},
                                         {"lote", required_argument, NULL, 'l'},
                                         {"hasta", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': corpus_path = optarg; break;
        case 'f': formato = optarg; break;
        case 'p': pred_path = optarg; break;
        case 'r': activa = true; break;
        case 'l':
        case 't': {
            char *end;
            double v = strtod(optarg, &end);
            if (!*optarg || *end || !(v > 0 && v <= 1)) {
                fprintf(stderr, "pmm evaluar: --%s debe ser una proporción mayor "
                                "que 0 y no mayor que 1 (p. ej. 0.1), no «%s»\n",
                        opt == 'l' ? "lote" : "hasta", optarg);
                return EXIT_USO;
            }
            if (opt == 'l')
                rop.lote = v;
            else
                rop.hasta = v;
            break;
        }
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("evaluar", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("evaluar", argv[optind]);
    if (!corpus_path) {
        fprintf(stderr, "pmm evaluar: falta --corpus ARCHIVO; vea pmm evaluar --help\n");
        return EXIT_USO;
    }
    if (strcmp(formato, "tabla") && strcmp(formato, "json")) {
        fprintf(stderr, "pmm evaluar: --formato admite «tabla» o «json», no «%s»\n",
                formato);
        return EXIT_USO;
    }
    if (rop.lote > rop.hasta) {
        fprintf(stderr, "pmm evaluar: --lote no puede ser mayor que --hasta\n");
        return EXIT_USO;
    }
    rop.json = !strcmp(formato, "json");
    pmm_error err;
    pmm_error_clear(&err);
    clasificador *c = clasificador_new(cli_data_dir(conf), &err);
    if (!c) {
        fprintf(stderr, "pmm evaluar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    corpus cp;
    if (corpus_leer(corpus_path, &cp, &err) != 0) {
        fprintf(stderr, "pmm evaluar: %s\n", err.mensaje);
        clasificador_destroy(&c);
        return EXIT_RECHAZO;
    }
    const char *codes[MAXC];
    int ejes[MAXC];
    size_t K = clasificador_subtemas(c, CLASIF_TAXONOMIA_DEF, codes, ejes, MAXC);
    int years[64];
    size_t nyears = 0;
    for (size_t i = 0; i < cp.n; i++) {
        bool seen = false;
        for (size_t y = 0; y < nyears; y++)
            seen |= years[y] == cp.r[i].year;
        if (!seen && nyears < 64)
            years[nyears++] = cp.r[i].year;
    }
    for (size_t a = 0; a < nyears; a++)     /* ascending */
        for (size_t b = a + 1; b < nyears; b++)
            if (years[b] < years[a]) {
                int t = years[a];
                years[a] = years[b];
                years[b] = t;
            }
    prediccion *pr = calloc(cp.n ? cp.n : 1, sizeof *pr);
    clasif_ejemplo *ej = calloc(cp.n ? cp.n : 1, sizeof *ej);
    int rc = 0;
    FILE *pf = NULL;
    if (pred_path && !(pf = fopen(pred_path, "w"))) {
        fprintf(stderr, "pmm evaluar: no se puede escribir %s\n", pred_path);
        rc = EXIT_USO;
        goto done;
    }
    if (!pr || !ej) {
        fprintf(stderr, "pmm evaluar: sin memoria\n");
        rc = EXIT_USO;
        goto done;
    }
    if (nyears < 2) {
        fprintf(stderr, "pmm evaluar: el corpus necesita al menos dos años "
                        "para dejar uno fuera\n");
        rc = EXIT_RECHAZO;
        goto done;
    }
    for (size_t i = 0; i < cp.n; i++) {
        if (idx_of(codes, K, cp.r[i].subtema) < 0) {
            fprintf(stderr, "pmm evaluar: registro %s: subtema «%s» fuera de "
                            "la taxonomía %s\n",
                    cp.r[i].id ? cp.r[i].id : "?", cp.r[i].subtema,
                    CLASIF_TAXONOMIA_DEF);
            rc = EXIT_RECHAZO;
            goto done;
        }
    }
    if (activa) {
        if (evaluar_revision(c, &cp, years, nyears, &rop, &err) != 0) {
            fprintf(stderr, "pmm evaluar: %s\n", err.mensaje);
            rc = EXIT_RECHAZO;
        }
        goto done;
    }
    for (size_t y = 0; y < nyears; y++) {
        evaluar_anio st;
        if (evaluar_anio_preparar(c, &cp, years[y], &st, &err) != 0) {
            evaluar_anio_liberar(&st);
            fprintf(stderr, "pmm evaluar: %s\n", err.mensaje);
            rc = EXIT_RECHAZO;
            goto done;
        }
        for (size_t i = 0; i < cp.n; i++) {
            const corpus_registro *r = &cp.r[i];
            if (r->year != years[y])
                continue;
            clasif_resultado res;
            if (evaluar_anio_clasificar(c, &st, r, &res, NULL, &err) != 0) {
                evaluar_anio_liberar(&st);
                fprintf(stderr, "pmm evaluar: %s\n", err.mensaje);
                rc = EXIT_RECHAZO;
                goto done;
            }
            prediccion *p = &pr[i];
            if (pf) {
                json_t *o = json_pack(
                    "{s:s?,s:i,s:s,s:s,s:i,s:f,s:f,s:[],s:[]}", "id", r->id,
                    "year", r->year, "subtema", r->subtema, "predicho",
                    res.subtema.codigo, "eje", res.eje, "confianza",
                    res.subtema.confianza, "confianza_eje", res.confianza_eje,
                    "ods", "secundarios");
                for (size_t o2 = 0; o && o2 < res.nods; o2++)
                    json_array_append_new(json_object_get(o, "ods"),
                                          json_integer(res.ods[o2].numero));
                for (size_t o2 = 0; o && o2 < res.nsecundarios; o2++)
                    json_array_append_new(
                        json_object_get(o, "secundarios"),
                        json_string(res.secundarios[o2].codigo));
                char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
                if (line)
                    fprintf(pf, "%s\n", line);
                free(line);
                json_decref(o);
            }
            p->year = r->year;
            p->gold = idx_of(codes, K, r->subtema);
            p->pred = idx_of(codes, K, res.subtema.codigo);
            p->gold_eje = ejes[p->gold];
            p->pred_eje = res.eje;
            p->ods_eje = r->ods_eje;
            for (size_t g = 0; g < r->nods; g++)
                if (r->ods[g] != 10)
                    p->grupo_no10 = true;
            for (size_t o = 0; o < res.nods; o++) {
                int s = res.ods[o].numero;
                bool ok = false;
                for (size_t g = 0; g < r->nods; g++)
                    ok |= r->ods[g] == s;
                p->ods_n++;
                p->ods_ok += ok;
                if (s != 10) {
                    p->ods10_n++;
                    p->ods10_ok += ok;
                    if (ok)
                        p->acierto_no10 = true;
                }
            }
        }
        evaluar_anio_liberar(&st);
    }

    /* metrics */
    long conf_m[MAXC][MAXC] = {{0}};
    long ok = 0, ok_eje = 0, ods_ok = 0, ods_n = 0, o10_ok = 0, o10_n = 0,
         con_no10 = 0, cubre = 0;
    long y_n[64] = {0}, y_ok[64] = {0}, y_eje[64] = {0};
    /* SDG scores apart for records whose list was given per sub-topic and
     * per axis (axis 4): the second are scored against a list that no
     * sub-topic owns, and behave differently */
    ods_cuenta alcance[2] = {{0}};
    for (size_t i = 0; i < cp.n; i++) {
        prediccion *p = &pr[i];
        ods_sumar(&alcance[p->ods_eje], p);
        if (p->pred >= 0)
            conf_m[p->gold][p->pred]++;
        ok += p->gold == p->pred;
        ok_eje += p->gold_eje == p->pred_eje;
        ods_ok += p->ods_ok;
        ods_n += p->ods_n;
        o10_ok += p->ods10_ok;
        o10_n += p->ods10_n;
        if (p->grupo_no10) {
            con_no10++;
            cubre += p->acierto_no10;
        }
        for (size_t y = 0; y < nyears; y++)
            if (years[y] == p->year) {
                y_n[y]++;
                y_ok[y] += p->gold == p->pred;
                y_eje[y] += p->gold_eje == p->pred_eje;
            }
    }
    double prec[MAXC], rec[MAXC], f1[MAXC];
    long sup[MAXC], npred[MAXC];
    double f1_sum = 0;
    int f1_n = 0;
    for (size_t k = 0; k < K; k++) {
        long tp = conf_m[k][k], g = 0, pp = 0;
        for (size_t j = 0; j < K; j++) {
            g += conf_m[k][j];
            pp += conf_m[j][k];
        }
        sup[k] = g;
        npred[k] = pp;
        prec[k] = safe_div((double)tp, (double)pp);
        rec[k] = safe_div((double)tp, (double)g);
        f1[k] = safe_div(2 * prec[k] * rec[k], prec[k] + rec[k]);
        if (g > 0 || pp > 0) {
            f1_sum += f1[k];
            f1_n++;
        }
    }
    double n = (double)cp.n;
    double acc = safe_div((double)ok, n), acc_eje = safe_div((double)ok_eje, n);
    double macro = safe_div(f1_sum, f1_n);
    double p_ods = safe_div((double)ods_ok, (double)ods_n);
    double p_o10 = safe_div((double)o10_ok, (double)o10_n);
    double cob = safe_div((double)cubre, (double)con_no10);

    corpus_consistencia cons;
    if (corpus_medir_consistencia(&cp, &cons) != 0) {
        fprintf(stderr, "pmm evaluar: sin memoria\n");
        rc = 1;
        goto done;
    }

    if (!strcmp(formato, "json")) {
        json_t *o = json_object();
        json_object_set_new(o, "registros", json_integer((json_int_t)cp.n));
        json_object_set_new(o, "validacion", json_string("dejar un año fuera"));
        json_object_set_new(o, "version", json_string(clasificador_version(c)));
        json_object_set_new(o, "exactitud_subtema", json_real(acc));
        json_object_set_new(o, "f1_macro", json_real(macro));
        json_object_set_new(o, "exactitud_eje", json_real(acc_eje));
        json_object_set_new(o, "precision_ods", json_real(p_ods));
        json_object_set_new(o, "precision_ods_no10", json_real(p_o10));
        json_object_set_new(o, "cobertura_ods_no10", json_real(cob));
        json_object_set_new(o, "ods_asignados", json_integer(ods_n));
        json_t *pa = json_object();
        for (int a = 0; a < 2; a++) {
            const ods_cuenta *q = &alcance[a];
            json_object_set_new(
                pa, a ? "eje" : "subtema",
                json_pack("{s:I,s:f,s:f,s:f}", "registros",
                          (json_int_t)q->registros, "precision_ods",
                          safe_div((double)q->ok, (double)q->n),
                          "precision_ods_no10",
                          safe_div((double)q->ok10, (double)q->n10),
                          "cobertura_ods_no10",
                          safe_div((double)q->cubre, (double)q->con_no10)));
        }
        json_object_set_new(o, "ods_por_alcance", pa);
        json_t *py = json_object();
        for (size_t y = 0; y < nyears; y++) {
            char yk[16];
            snprintf(yk, sizeof yk, "%d", years[y]);
            json_object_set_new(
                py, yk,
                json_pack("{s:I,s:f,s:f}", "registros", (json_int_t)y_n[y],
                          "exactitud_subtema",
                          safe_div((double)y_ok[y], (double)y_n[y]),
                          "exactitud_eje",
                          safe_div((double)y_eje[y], (double)y_n[y])));
        }
        json_object_set_new(o, "por_anio", py);
        json_object_set_new(
            o, "consistencia_entre_anios",
            json_pack("{s:I,s:f,s:f,s:f}", "pares", (json_int_t)cons.pares, "mismo_eje",
                      safe_div((double)cons.mismo_eje, (double)cons.pares),
                      "mismo_subtema",
                      safe_div((double)cons.mismo_subtema, (double)cons.pares),
                      "mismos_ods", safe_div((double)cons.mismos_ods, (double)cons.pares)));
        json_t *pc = json_object();
        json_t *cm = json_object();
        for (size_t k = 0; k < K; k++) {
            json_object_set_new(pc, codes[k],
                                json_pack("{s:f,s:f,s:f,s:I,s:I}", "precision",
                                          prec[k], "exhaustividad", rec[k],
                                          "f1", f1[k], "soporte",
                                          (json_int_t)sup[k], "predichos",
                                          (json_int_t)npred[k]));
            json_t *row = json_object();
            for (size_t j = 0; j < K; j++)
                if (conf_m[k][j])
                    json_object_set_new(row, codes[j],
                                        json_integer(conf_m[k][j]));
            json_object_set_new(cm, codes[k], row);
        }
        json_object_set_new(o, "por_subtema", pc);
        json_object_set_new(o, "confusion", cm);
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(4));
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(o);
    } else {
        printf("Evaluación dejando un año fuera (%zu registros, %zu años)\n",
               cp.n, nyears);
        printf("Clasificador: %s\n\n", clasificador_version(c));
        printf("  Exactitud por subtema              %6.3f\n", acc);
        printf("  F1 macro por subtema               %6.3f\n", macro);
        printf("  Exactitud por eje                  %6.3f\n", acc_eje);
        printf("  Precisión de ODS                   %6.3f  (%ld de %ld "
               "asignados están en el grupo)\n", p_ods, ods_ok, ods_n);
        printf("  Precisión de ODS distintos del 10  %6.3f  (%ld de %ld)\n",
               p_o10, o10_ok, o10_n);
        printf("  Con un ODS distinto del 10 bien    %6.3f  (%ld de %ld "
               "registros cuyo grupo tiene uno)\n", cob, cubre, con_no10);
        for (int a = 0; a < 2; a++) {
            const ods_cuenta *q = &alcance[a];
            printf("  ODS, lista del %-7s %4ld registros  precisión %.3f  "
                   "distintos del 10 %.3f  con uno bien %.3f\n",
                   a ? "eje:" : "subtema:", q->registros,
                   safe_div((double)q->ok, (double)q->n),
                   safe_div((double)q->ok10, (double)q->n10),
                   safe_div((double)q->cubre, (double)q->con_no10));
        }
        printf("\n");
        printf("Por año evaluado:\n");
        for (size_t y = 0; y < nyears; y++)
            printf("  %d  %4ld registros  subtema %.3f  eje %.3f\n", years[y],
                   y_n[y], safe_div((double)y_ok[y], (double)y_n[y]),
                   safe_div((double)y_eje[y], (double)y_n[y]));
        printf("\nConsistencia de las etiquetas entre años: %ld pares de registros de\n"
               "años distintos con el mismo programa; comparten el eje %.3f, el\n"
               "subtema %.3f y la lista de ODS %.3f. En un par que discrepa,\n"
               "ningún clasificador acierta en los dos registros.\n",
               cons.pares, safe_div((double)cons.mismo_eje, (double)cons.pares),
               safe_div((double)cons.mismo_subtema, (double)cons.pares),
               safe_div((double)cons.mismos_ods, (double)cons.pares));
        printf("\nPor subtema:\n  %-4s %-26s %9s %13s %6s %8s\n", "eje",
               "subtema", "precisión", "exhaustividad", "F1", "soporte");
        for (size_t k = 0; k < K; k++)
            printf("  %-4d %-26s %9.3f %13.3f %6.3f %8ld\n", ejes[k], codes[k],
                   prec[k], rec[k], f1[k], sup[k]);
        printf("\nMatriz de confusión (filas: subtema real; columnas: "
               "predicho):\n%-27s", "");
        for (size_t j = 0; j < K; j++)
            printf(" %4.4s", codes[j]);
        printf("\n");
        for (size_t k = 0; k < K; k++) {
            printf("  %-25s", codes[k]);
            for (size_t j = 0; j < K; j++)
                printf(" %4ld", conf_m[k][j]);
            printf("\n");
        }
    }
done:
    if (pf)
        fclose(pf);
    free(pr);
    free(ej);
    corpus_liberar(&cp);
    clasificador_destroy(&c);
    return rc;
}
