/* pmm convocatoria -- the yearly call (issue 18).
 *
 *   pmm convocatoria [--ejercicio AÑO] [--formato tabla|json]   (convocatoria_ver.c)
 *   pmm convocatoria abrir --ejercicio AÑO --limite AAAA-MM-DD [--gracia DÍAS]
 *                   [--cuerpos T,T | --lista ARCHIVO] [--contar-revision R]
 *   pmm convocatoria ajustar --ejercicio AÑO [--limite F] [--gracia N]
 *                   [--contar-revision R]
 *   pmm convocatoria cerrar --ejercicio AÑO
 *   pmm convocatoria agregar|quitar --ejercicio AÑO (--dependencia S | --entidad E)
 *
 * Opening fixes who is expected that year: a snapshot of the roster (the
 * bodies of the given types active on the deadline, or a list), editable
 * while the call is open. Closing ends it; deliveries after that are
 * still recorded, as late. Every change needs the administrator's
 * connection and is audited (seguimiento_bitacora) with who made it.
 */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "convocatoria.h"
#include "cuerpos.h"
#include "opciones.h"
#include "db.h"
#include "strbuf.h"

#define TIPOS_PREDETERMINADOS "federal,autonomo,legislativo,judicial,estatal"

typedef struct {
    const char *sub;
    int anio;
    const char *limite, *gracia, *cuerpos, *lista, *contar, *dep, *ent, *analista;
} pedido;

static void ayuda(const char *sub)
{
    if (!strcmp(sub, "abrir"))
        printf("Uso: pmm convocatoria abrir --ejercicio AÑO --limite AAAA-MM-DD [--gracia DÍAS]\n"
               "          [--cuerpos TIPO,TIPO | --lista ARCHIVO] [--contar-revision R]\n"
               "          [--analista NOMBRE]\n\n"
               "Abre la convocatoria del ejercicio (administrador): fija quién debe "
               "informar (una\ncopia del padrón, que se puede editar mientras la "
               "convocatoria esté abierta), la\nfecha límite y los días de gracia.\n\n"
               "  --ejercicio AÑO        ejercicio que se informa\n"
               "  --limite AAAA-MM-DD    fecha límite de entrega\n"
               "  --gracia DÍAS          días después del límite en que una entrega aún es "
               "a tiempo\n"
               "                         (0 a 365; predeterminado 0)\n"
               "  --cuerpos TIPO,TIPO    los cuerpos del padrón de esos tipos vigentes en la "
               "fecha\n"
               "                         límite (predeterminado: " TIPOS_PREDETERMINADOS ")\n"
               "  --lista ARCHIVO        o los de una lista: una sigla, clave INEGI, D:SIGLA o "
               "E:NN\n"
               "                         por línea (# inicia un comentario); un cuerpo que\n"
               "                         cambió de nombre cuenta como el que estaba vigente\n"
               "                         en la fecha límite (su antecesor o su sucesor)\n"
               "  --contar-revision R    qué fichas cuentan en los totales del ejercicio: "
               "todas\n"
               "                         (predeterminado), sin_observaciones o aprobadas\n"
               "  --analista NOMBRE      quién abre (si no, $PMM_ANALISTA o su clave)\n\n"
               "Una entrega es a tiempo si la primera llega antes de que termine el día "
               "límite más\nlos días de gracia, en la zona horaria de la unidad "
               "([general] zona_horaria).\n\n"
               "Ejemplo:\n  pmm convocatoria abrir --ejercicio 2022 --limite 2022-07-31 "
               "--gracia 15 --cuerpos federal,estatal\n");
    else if (!strcmp(sub, "ajustar"))
        printf("Uso: pmm convocatoria ajustar --ejercicio AÑO [--limite AAAA-MM-DD] "
               "[--gracia DÍAS]\n"
               "          [--contar-revision todas|sin_observaciones|aprobadas] "
               "[--analista NOMBRE]\n\n"
               "Cambia la fecha límite, los días de gracia o qué fichas cuentan en los "
               "totales\n(administrador). Cambiar --contar-revision vuelve a agregar las "
               "fichas del\nejercicio: los totales se actualizan en segundos.\n\n"
               "  --ejercicio AÑO        el ejercicio de la convocatoria\n"
               "  --limite AAAA-MM-DD    nueva fecha límite\n"
               "  --gracia DÍAS          nuevos días de gracia (0 a 365)\n"
               "  --contar-revision R    todas: cuentan todas las fichas (predeterminado);\n"
               "                         sin_observaciones: no cuentan las observadas;\n"
               "                         aprobadas: solo las aprobadas por un analista\n"
               "  --analista NOMBRE      quién hace el cambio\n\n"
               "Ejemplo:\n  pmm convocatoria ajustar --ejercicio 2022 --gracia 30\n");
    else if (!strcmp(sub, "cerrar"))
        printf("Uso: pmm convocatoria cerrar --ejercicio AÑO [--analista NOMBRE]\n\n"
               "Cierra la convocatoria (administrador): la lista de convocados ya no "
               "cambia. Las\nentregas posteriores se siguen registrando, como tardías; "
               "nunca se pierden.\n\n"
               "  --ejercicio AÑO    el ejercicio de la convocatoria\n"
               "  --analista NOMBRE  quién la cierra\n\n"
               "Ejemplo:\n  pmm convocatoria cerrar --ejercicio 2022\n");
    else
        printf("Uso: pmm convocatoria %s --ejercicio AÑO (--dependencia SIGLA | --entidad "
               "CLAVE)\n          [--analista NOMBRE]\n\n"
               "%s un cuerpo del padrón %s la lista de convocados mientras la convocatoria "
               "está\nabierta (administrador).\n\n"
               "  --ejercicio AÑO      el ejercicio de la convocatoria\n"
               "  --dependencia SIGLA  un cuerpo por su sigla\n"
               "  --entidad CLAVE      un gobierno estatal (clave INEGI o nombre)\n"
               "  --analista NOMBRE    quién hace el cambio\n\n"
               "Ejemplo:\n  pmm convocatoria %s --ejercicio 2022 --dependencia SECTUR\n",
               sub, !strcmp(sub, "agregar") ? "Agrega" : "Quita",
               !strcmp(sub, "agregar") ? "a" : "de", sub);
}

static int leer(int argc, char **argv, pedido *p)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"limite", required_argument, NULL, 'l'},
                                         {"gracia", required_argument, NULL, 'g'},
                                         {"cuerpos", required_argument, NULL, 'c'},
                                         {"lista", required_argument, NULL, 'L'},
                                         {"contar-revision", required_argument, NULL, 'r'},
                                         {"dependencia", required_argument, NULL, 'd'},
                                         {"entidad", required_argument, NULL, 'n'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *acepta = !strcmp(p->sub, "abrir")     ? "elgcLra"
                         : !strcmp(p->sub, "ajustar") ? "elgra"
                         : !strcmp(p->sub, "cerrar")  ? "ea"
                                                      : "edna";
    char cmd[40];
    snprintf(cmd, sizeof cmd, "convocatoria %s", p->sub);
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'h') {
            ayuda(p->sub);
            return 0;
        }
        if (opt == ':' || opt == '?')
            return cli_opcion_mala(cmd, opt, argv);
        if (!strchr(acepta, opt)) {
            return cli_opcion_ajena(cmd, argv);
        }
        switch (opt) {
        case 'e':
            if (cuerpos_anio(optarg, &p->anio)) {
                fprintf(stderr, "pmm %s: --ejercicio debe ser un año de 2018 a 2100\n", cmd);
                return EXIT_USO;
            }
            break;
        case 'l': p->limite = optarg; break;
        case 'g': p->gracia = optarg; break;
        case 'c': p->cuerpos = optarg; break;
        case 'L': p->lista = optarg; break;
        case 'r': p->contar = optarg; break;
        case 'd': p->dep = optarg; break;
        case 'n': p->ent = optarg; break;
        case 'a': p->analista = optarg; break;
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante(cmd, argv[optind]);
    if (!p->anio) {
        fprintf(stderr, "pmm %s: indique --ejercicio AÑO\n", cmd);
        return EXIT_USO;
    }
    if (!strcmp(p->sub, "abrir") && !p->limite) {
        fprintf(stderr, "pmm %s: indique la fecha límite con --limite AAAA-MM-DD\n", cmd);
        return EXIT_USO;
    }
    if (p->limite && !cuerpos_fecha_valida(p->limite)) {
        fprintf(stderr, "pmm %s: --limite «%s» no es una fecha AAAA-MM-DD válida\n", cmd,
                p->limite);
        return EXIT_USO;
    }
    if (p->gracia) {
        char *end;
        long g = strtol(p->gracia, &end, 10);
        if (!*p->gracia || *end || g < 0 || g > 365) {
            fprintf(stderr, "pmm %s: --gracia debe ser un número de días de 0 a 365\n", cmd);
            return EXIT_USO;
        }
    }
    if (p->contar && strcmp(p->contar, "todas") && strcmp(p->contar, "sin_observaciones") &&
        strcmp(p->contar, "aprobadas")) {
        fprintf(stderr, "pmm %s: --contar-revision admite todas, sin_observaciones o "
                        "aprobadas\n", cmd);
        return EXIT_USO;
    }
    if (p->cuerpos && p->lista) {
        fprintf(stderr, "pmm %s: --cuerpos y --lista se excluyen: use una de las dos\n", cmd);
        return EXIT_USO;
    }
    if (p->cuerpos) {
        char *copy = strdup(p->cuerpos), *save = NULL;
        int bad = !copy;
        for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !bad;
             t = strtok_r(NULL, ",", &save))
            bad = !cuerpos_tipo_valido(t);
        free(copy);
        if (bad) {
            fprintf(stderr, "pmm %s: --cuerpos es una lista de tipos separados por comas: "
                            "federal, estatal, autonomo, legislativo, judicial, "
                            "sociedad_civil\n", cmd);
            return EXIT_USO;
        }
    }
    if (!strcmp(p->sub, "ajustar") && !p->limite && !p->gracia && !p->contar) {
        fprintf(stderr, "pmm %s: indique qué cambia: --limite, --gracia o "
                        "--contar-revision\n", cmd);
        return EXIT_USO;
    }
    if ((!strcmp(p->sub, "agregar") || !strcmp(p->sub, "quitar")) && !!p->dep + !!p->ent != 1) {
        fprintf(stderr, "pmm %s: indique el cuerpo con --dependencia SIGLA o --entidad CLAVE "
                        "(una de las dos)\n", cmd);
        return EXIT_USO;
    }
    return -1;
}

/* "{E:01,D:SRE}" from a list file: one body per line. */
static int leer_lista(const char *path, const refdata *ref, strbuf *arr, pmm_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return pmm_error_set(err, 2, "--lista", "archivo", "no se puede leer %s", path);
    char line[512];
    size_t n = 0, k = 0;
    int rc = 0;
    strbuf_puts(arr, "{");
    while (rc == 0 && fgets(line, sizeof line, f)) {
        n++;
        char *h = strchr(line, '#');
        if (h)
            *h = '\0';
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        size_t len = strlen(s);
        while (len && isspace((unsigned char)s[len - 1]))
            s[--len] = '\0';
        if (!len)
            continue;
        char emisor[CUERPO_MAX];
        bool digits = strspn(s, "0123456789") == len;
        const char *ent = !strncmp(s, "E:", 2) ? s + 2 : digits ? s : NULL;
        const char *dep = ent ? NULL : !strncmp(s, "D:", 2) ? s + 2 : s;
        if (dep && dep == s && !refdata_dependencia(ref, s, len) && refdata_entidad(ref, s, len))
            ent = s, dep = NULL;   /* a state's name */
        if (cuerpo_emisor(ref, dep, ent, emisor, sizeof emisor, err) != 0) {
            rc = pmm_error_set(err, 2, "--lista", "linea", "%s, línea %zu: %s", path, n,
                               err->mensaje);
            break;
        }
        strbuf_puts(arr, k++ ? "," : "");
        strbuf_array_elem(arr, emisor, strlen(emisor));
    }
    strbuf_puts(arr, "}");
    fclose(f);
    if (rc == 0 && k == 0)
        rc = pmm_error_set(err, 2, "--lista", "vacia", "%s no nombra ningún cuerpo", path);
    return rc;
}

int cmd_convocatoria(int argc, char **argv, pmm_conf *conf)
{
    static const char *const subs[] = {"abrir", "ajustar", "cerrar", "agregar", "quitar"};
    const char *sub = NULL;
    for (size_t i = 0; argc > 1 && i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(argv[1], subs[i]))
            sub = subs[i];
    if (!sub)
        return convocatoria_ver(argc, argv, conf);
    pedido p = {.sub = sub};
    int rc = leer(argc - 1, argv + 1, &p);
    if (rc >= 0)
        return rc;
    char cmd[40];
    snprintf(cmd, sizeof cmd, "convocatoria %s", sub);
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, p.analista, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        return EXIT_USO;
    }
    convocatoria_cambio c = {.sub = sub, .anio = p.anio, .limite = p.limite,
                             .gracia = p.gracia, .contar = p.contar, .analista = analista,
                             .zona = conf_zona_horaria(conf)};
    strbuf lista;
    strbuf_init(&lista);
    if (p.lista || p.dep || p.ent) {
        refdata *ref = refdata_load(conf_data_dir(conf), &err);
        rc = !ref ? -1
             : p.lista ? leer_lista(p.lista, ref, &lista, &err)
                       : cuerpo_emisor(ref, p.dep, p.ent, c.emisor, sizeof c.emisor, &err);
        refdata_destroy(&ref);
        if (rc != 0) {
            fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
            strbuf_free(&lista);
            return EXIT_USO;
        }
        c.lista = p.lista ? lista.data : NULL;
    }
    strbuf tipos;
    strbuf_init(&tipos);
    strbuf_printf(&tipos, "{%s}", p.cuerpos ? p.cuerpos : TIPOS_PREDETERMINADOS);
    c.tipos = tipos.data;
    PGconn *db = cuerpos_admin(conf, "pmm-convocatoria", &err);
    rc = -1;
    if (db) {
        strbuf resumen;
        strbuf_init(&resumen);
        rc = convocatoria_cambiar(db, &c, &resumen, &err);
        if (rc == 0)
            fputs(resumen.data ? resumen.data : "", stdout);
        strbuf_free(&resumen);
        PQfinish(db);
    }
    if (rc != 0)
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
    strbuf_free(&lista);
    strbuf_free(&tipos);
    return rc == 0 ? 0 : err.code == 1 ? EXIT_RECHAZO : EXIT_USO;
}
