/* informe_varios_anios.c -- see informe_varios_anios.h. */
#include "informe_varios_anios.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "diagnostico.h"
#include "informe_datos.h"
#include "opciones.h"
#include "refdata.h"

/* "2018-2022" or "2021": 0, or -1 when not a range of years from 2018. */
static int parse_years(const char *s, int *desde, int *hasta)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10), b = a;
    if (errno || end == s)
        return -1;
    if (*end == '-') {
        const char *s2 = end + 1;
        b = strtol(s2, &end, 10);
        if (errno || end == s2)
            return -1;
    }
    if (*end || a < 2018 || b > 2100 || b < a)
        return -1;
    *desde = (int)a;
    *hasta = (int)b;
    return 0;
}

/* Writes through a temporary file and a rename: a reader never sees half
 * a document. */
static int write_file(const char *path, const char *data, size_t len, pmm_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return pmm_error_set(err, 7, "-o", "escritura", "no se pudo crear %s: %s", path,
                             strerror(errno));
    int rc = fwrite(data, 1, len, f) != len;
    rc |= fclose(f) != 0;
    if (rc || rename(tmp, path) != 0) {
        unlink(tmp);
        return pmm_error_set(err, 7, "-o", "escritura", "no se pudo escribir %s", path);
    }
    return 0;
}

/* The years' datasets, the taxonomies they name (each once, in order)
 * into tax. Returns 0, or an exit code with the message printed. */
static int leer_anios(const informe_varios_anios *m, pmm_conf *conf, int desde, size_t n,
                      bool desde_cierre, json_t **datos, strbuf *tax)
{
    pmm_error err;
    pmm_error_clear(&err);
    char appname[64];
    snprintf(appname, sizeof appname, "pmm-%s", m->cmd);
    PGconn *db = db_connect(conf_conninfo(conf, NULL), appname, &err);
    if (!db) {
        fprintf(stderr, "pmm %s: %s\n", m->cmd, err.mensaje);
        return EXIT_USO;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        int y = desde + (int)i;
        char hash[65];
        datos[i] = desde_cierre ? informe_datos_cierre(db, y, hash, &err)
                                : informe_datos_build(db, y, cli_ejemplos_por_objetivo(conf), &err);
        if (!datos[i]) {
            fprintf(stderr, "pmm %s: ejercicio %d: %s\n", m->cmd, y, err.mensaje);
            rc = !strcmp(err.regla, "sin_cierre") ? EXIT_RECHAZO : EXIT_USO;
            break;
        }
        const char *t = json_string_value(json_object_get(datos[i], "taxonomia"));
        if (t && *t && !(tax->data && strstr(tax->data, t)))
            strbuf_printf(tax, "%s%s", tax->len ? "," : "", t);
    }
    PQfinish(db);
    return rc;
}

int informe_varios_anios_run(const informe_varios_anios *m, int argc, char **argv,
                             pmm_conf *conf)
{
    int desde = 0, hasta = 0, opt;
    bool desde_cierre = false;
    informe_formato formato = m->predeterminado;
    const char *salida = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", m->opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (parse_years(optarg, &desde, &hasta)) {
                fprintf(stderr, "pmm %s: --ejercicio debe ser un año o un rango AÑO-AÑO desde "
                                "2018, no «%s»\n", m->cmd, optarg);
                return EXIT_USO;
            }
            if (hasta - desde + 1 > DIAGNOSTICO_MAX_ANIOS) {
                fprintf(stderr, "pmm %s: --ejercicio abarca como máximo %d ejercicios, no %d\n",
                        m->cmd, DIAGNOSTICO_MAX_ANIOS, hasta - desde + 1);
                return EXIT_USO;
            }
            break;
        case 'f':
            if (informe_formato_parse(optarg, &formato) ||
                (formato == INFORME_CSV && !m->admite_csv)) {
                fprintf(stderr, "pmm %s: --formato debe ser %s, no «%s»\n", m->cmd, m->formatos,
                        optarg);
                return EXIT_USO;
            }
            break;
        case 'o': salida = optarg; break;
        case 'c': desde_cierre = true; break;
        case 'h': m->usage(stdout); return 0;
        default: return cli_opcion_mala(m->cmd, opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante(m->cmd, argv[optind]);
    if (!desde) {
        fprintf(stderr, "pmm %s: indique --ejercicio AÑO-AÑO; vea pmm %s --help\n", m->cmd,
                m->cmd);
        return EXIT_USO;
    }
    if (formato == INFORME_DOCX && !salida) {
        fprintf(stderr, "pmm %s: --formato docx necesita -o ARCHIVO.docx (un documento de "
                        "Word no se escribe en la terminal)\n", m->cmd);
        return EXIT_USO;
    }

    pmm_error err;
    pmm_error_clear(&err);
    size_t n = (size_t)(hasta - desde + 1);
    json_t *datos[DIAGNOSTICO_MAX_ANIOS] = {0};
    refdata *rd = NULL;
    informe_ref *ref = NULL;
    strbuf out, tax;
    strbuf_init(&out);
    strbuf_init(&tax);
    int rc = leer_anios(m, conf, desde, n, desde_cierre, datos, &tax);
    if (rc)
        goto out;
    rc = EXIT_USO;
    rd = refdata_load(cli_data_dir(conf), &err);
    if (rd)
        ref = informe_ref_new(rd, tax.data ? tax.data : "", &err);
    if (!ref) {
        fprintf(stderr, "pmm %s: datos de referencia: %s\n", m->cmd, err.mensaje);
        goto out;
    }
    informe_ref_zona(ref, conf_zona_horaria(conf));
    if (m->render(datos, n, ref, formato, desde_cierre, &out, &err)) {
        fprintf(stderr, "pmm %s: %s\n", m->cmd, err.mensaje);
        goto out;
    }
    if (salida) {
        if (write_file(salida, out.data, out.len, &err)) {
            fprintf(stderr, "pmm %s: %s\n", m->cmd, err.mensaje);
            goto out;
        }
        printf(m->escrito, desde, hasta, salida,
               desde_cierre ? "desde los cierres" : "datos en vivo");
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, "pmm %s: no se pudo escribir la salida\n", m->cmd);
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        json_decref(datos[i]);
    informe_ref_destroy(&ref);
    refdata_destroy(&rd);
    strbuf_free(&out);
    strbuf_free(&tax);
    return rc;
}
