/* pmm claves -- CURVE keys of the people and services that connect over TCP.
 *
 *   pmm claves emitir (--dependencia SIGLA | --entidad CLAVE | --rol analista|admin
 *                      | --servicio NOMBRE) [--nombre TEXTO] [--vence AAAA-MM-DD] -o DIR
 *   pmm claves revocar ID
 *   pmm claves listar [--formato tabla|json]
 *
 * emitir writes DIR/<base>.key (public) and DIR/<base>.key_secret (0600) in
 * the ZeroMQ certificate format and registers the public key; revocar (and
 * an expiry) takes effect at once on new connections (the ZAP handlers read
 * the table on every handshake) and on open ones (ingestd re-checks the keys
 * of every batch inside its transaction; aggregd within a second). Needs
 * the administrator's database connection.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "commands.h"
#include "db.h"
#include "opciones.h"
#include "refdata.h"
#include "utf8.h"

static PGconn *admin_db(pmm_conf *conf, const char *who)
{
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conf_conninfo(conf, "admin"), who, &err);
    if (!db)
        fprintf(stderr, "pmm claves: %s\n", err.mensaje);
    return db;
}

/* AAAA-MM-DD naming a real day. */
static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static int emitir(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"dependencia", required_argument, NULL, 'd'},
                                         {"entidad", required_argument, NULL, 'e'},
                                         {"rol", required_argument, NULL, 'r'},
                                         {"servicio", required_argument, NULL, 's'},
                                         {"nombre", required_argument, NULL, 'n'},
                                         {"vence", required_argument, NULL, 'v'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dep = NULL, *ent = NULL, *rol = NULL, *svc = NULL, *nombre = NULL,
               *dir = NULL, *vence = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd': dep = optarg; break;
        case 'e': ent = optarg; break;
        case 'r': rol = optarg; break;
        case 's': svc = optarg; break;
        case 'n': nombre = optarg; break;
        case 'v': vence = optarg; break;
        case 'o': dir = optarg; break;
        case 'h':
            printf("Uso: pmm claves emitir (--dependencia SIGLA|NOMBRE | --entidad CLAVE|NOMBRE\n"
                   "                         | --rol analista|admin | --servicio NOMBRE)\n"
                   "                         [--nombre TEXTO] [--vence AAAA-MM-DD] -o DIRECTORIO\n\n"
                   "Genera un par de claves CURVE (DIRECTORIO/<nombre>.key, la pública, y\n"
                   "DIRECTORIO/<nombre>.key_secret, la secreta, modo 0600) y registra la clave\n"
                   "pública con su rol. Entregue el archivo secreto solo a su titular.\n\n"
                   "Opciones:\n"
                   "  --dependencia SIGLA|NOMBRE  clave de remitente de una dependencia federal\n"
                   "  --entidad CLAVE|NOMBRE      clave de remitente de una entidad (clave\n"
                   "                              INEGI o nombre)\n"
                   "  --rol analista|admin        clave de una persona de la unidad\n"
                   "  --servicio NOMBRE           clave de un servicio (colector, trabajador)\n"
                   "  --nombre TEXTO              nombre del titular (por omisión, el de la\n"
                   "                              lista)\n"
                   "  --vence AAAA-MM-DD          la clave deja de valer ese día a las 00:00\n"
                   "                              (hora de la unidad), también en conexiones\n"
                   "                              abiertas\n"
                   "  -o, --salida DIRECTORIO     dónde escribir los dos archivos\n"
                   "  -h, --help                  muestra esta ayuda\n\n"
                   "Ejemplo:\n  pmm claves emitir --dependencia SRE --vence 2027-07-31 -o claves/\n");
            return 0;
        default: return cli_opcion_mala("claves emitir", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("claves emitir", argv[optind]);
    int kinds = !!dep + !!ent + !!rol + !!svc;
    if (kinds != 1 || !dir) {
        fprintf(stderr, "pmm claves emitir: indique exactamente una de --dependencia, "
                        "--entidad, --rol o --servicio, y -o DIRECTORIO; vea pmm claves "
                        "emitir --help\n");
        return EXIT_USO;
    }
    if (vence && !valid_date(vence)) {
        fprintf(stderr, "pmm claves emitir: --vence «%s» no es una fecha AAAA-MM-DD "
                        "válida\n", vence);
        return EXIT_USO;
    }
    if (rol && strcmp(rol, "analista") && strcmp(rol, "admin")) {
        fprintf(stderr, "pmm claves emitir: --rol admite «analista» o «admin» (para "
                        "una dependencia o entidad use --dependencia o --entidad)\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    char emisor[80] = "", base[160];
    const char *role = rol ? rol : svc ? "servicio" : "remitente";
    if (dep || ent) {
        refdata *ref = refdata_load(conf_data_dir(conf), &err);
        if (!ref) {
            fprintf(stderr, "pmm claves emitir: %s\n", err.mensaje);
            return EXIT_USO;
        }
        if (dep) {
            const ref_dependencia *d = refdata_pedir_dependencia(ref, "--dependencia", dep,
                                                                 &err);
            if (!d) {
                fprintf(stderr, "pmm claves emitir: %s\n", err.mensaje);
                refdata_destroy(&ref);
                return EXIT_USO;
            }
            snprintf(emisor, sizeof emisor, "D:%s", d->sigla);
            char folded[64];
            utf8_fold(d->sigla, strlen(d->sigla), folded, sizeof folded);
            snprintf(base, sizeof base, "dependencia-%s", folded);
            if (!nombre)
                nombre = d->nombre;
        } else {
            int code = refdata_pedir_entidad(ref, "--entidad", ent, &err);
            if (!code) {
                fprintf(stderr, "pmm claves emitir: %s\n", err.mensaje);
                refdata_destroy(&ref);
                return EXIT_USO;
            }
            snprintf(emisor, sizeof emisor, "E:%02d", code);
            snprintf(base, sizeof base, "entidad-%02d", code);
            if (!nombre)
                nombre = refdata_entidad_nombre(ref, code);
        }
        char *keep = strdup(nombre);
        refdata_destroy(&ref);
        nombre = keep;
    } else {
        const char *who = svc ? svc : nombre ? nombre : role;
        snprintf(base, sizeof base, "%s-%s", role, who);
        for (char *p = base; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
                *p = '_';
        nombre = strdup(nombre ? nombre : who);
    }
    int rc = EXIT_USO;
    pmm_cert cert;
    PGconn *db = admin_db(conf, "pmm-claves");
    if (!db)
        goto out;
    if (cert_generate(&cert, nombre, &err) != 0) {
        fprintf(stderr, "pmm claves emitir: %s\n", err.mensaje);
        goto out;
    }
    const char *creator = getenv("USER") ? getenv("USER") : "desconocido";
    const char *params[] = {cert.public_key, role, emisor[0] ? emisor : NULL, nombre, creator,
                            vence, conf_zona_horaria(conf)};
    PGresult *res = PQexecParams(db,
                                 "INSERT INTO claves (clave_publica, rol, emisor, nombre,"
                                 " creada_por, vence) VALUES ($1, $2, $3, $4, $5,"
                                 " ($6::date)::timestamp AT TIME ZONE $7) RETURNING id",
                                 7, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo registrar la clave", &err);
        fprintf(stderr, "pmm claves emitir: %s\n", err.mensaje);
        PQclear(res);
        goto out;
    }
    /* files only once the key is registered: no orphan certificates */
    if (cert_save(&cert, dir, base, &err) != 0) {
        fprintf(stderr, "pmm claves emitir: %s (la clave %s quedó registrada: "
                        "revóquela)\n", err.mensaje, PQgetvalue(res, 0, 0));
        PQclear(res);
        goto out;
    }
    printf("Clave %s emitida (rol %s%s%s) para %s\n  pública: %s/%s.key\n"
           "  secreta: %s/%s.key_secret (entréguela solo a su titular)\n",
           PQgetvalue(res, 0, 0), role, emisor[0] ? ", " : "", emisor, nombre, dir, base,
           dir, base);
    if (vence)
        printf("  vence: %s (desde ese día se rechazan sus envíos)\n", vence);
    PQclear(res);
    rc = 0;
out:
    free((char *)nombre);
    if (db)
        PQfinish(db);
    return rc;
}

static int revocar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt != 'h')
            return cli_opcion_mala("claves revocar", opt, argv);
        printf("Uso: pmm claves revocar ID\n\n"
               "Revoca la clave ID (vea pmm claves listar): desde ahora se rechazan sus\n"
               "conexiones nuevas y lo que envíe por las que ya tenga abiertas.\n\n"
               "Opciones:\n"
               "  -h, --help   muestra esta ayuda\n\n"
               "Ejemplo:\n  pmm claves revocar 12\n");
        return 0;
    }
    if (optind >= argc) {
        fprintf(stderr, "pmm claves revocar: indique el ID de la clave (vea pmm claves "
                        "listar)\n");
        return EXIT_USO;
    }
    if (optind + 1 < argc)
        return cli_argumento_sobrante("claves revocar", argv[optind + 1]);
    argv += optind - 1;
    char *end;
    long long id = strtoll(argv[1], &end, 10);
    if (*end || id <= 0) {
        fprintf(stderr, "pmm claves revocar: ID debe ser el número de una clave "
                        "(vea pmm claves listar)\n");
        return EXIT_USO;
    }
    PGconn *db = admin_db(conf, "pmm-claves");
    if (!db)
        return EXIT_USO;
    const char *who = getenv("USER") ? getenv("USER") : "desconocido";
    const char *params[] = {argv[1], who};
    PGresult *res = PQexecParams(db,
                                 "UPDATE claves SET revocada = now(), revocada_por = $2"
                                 " WHERE id = $1::bigint AND revocada IS NULL",
                                 2, NULL, params, NULL, NULL, 0);
    int rc = EXIT_USO;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        pmm_error err;
        db_error(db, res, "no se pudo revocar", &err);
        fprintf(stderr, "pmm claves revocar: %s\n", err.mensaje);
    } else if (atoi(PQcmdTuples(res)) == 0) {
        fprintf(stderr, "pmm claves revocar: no hay una clave vigente con ID %lld\n", id);
        rc = EXIT_RECHAZO;
    } else {
        printf("Clave %lld revocada: desde ahora se rechazan sus conexiones nuevas y lo "
               "que envíe por las abiertas.\n", id);
        rc = 0;
    }
    PQclear(res);
    PQfinish(db);
    return rc;
}

static int listar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "tabla"))) {
            json = !strcmp(optarg, "json");
        } else if (opt == 'f') {
            fprintf(stderr, "pmm claves listar: --formato admite «tabla» o «json», no «%s»\n",
                    optarg);
            return EXIT_USO;
        } else if (opt == 'h') {
            printf("Uso: pmm claves listar [--formato tabla|json]\n\n"
                   "Muestra cada clave registrada: rol, emisor, titular, estado (vigente,\n"
                   "revocada o vencida), vencimiento y último uso, en la hora de la unidad.\n"
                   "Con --formato json, un objeto por línea con las fechas en ISO 8601.\n\n"
                   "Opciones:\n"
                   "  --formato F   tabla (por omisión) o json\n"
                   "  -h, --help    muestra esta ayuda\n\n"
                   "Ejemplo:\n  pmm claves listar\n");
            return 0;
        } else {
            return cli_opcion_mala("claves listar", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("claves listar", argv[optind]);
    PGconn *db = admin_db(conf, "pmm-claves");
    if (!db)
        return EXIT_USO;
    const char *params[] = {conf_zona_horaria(conf)};
    /* human columns in the unit's time zone; JSON in ISO 8601 with offset */
    PGresult *res = PQexecParams(
        db,
        "SELECT id, rol, coalesce(emisor, ''), nombre, clave_publica,"
        "       to_char(creada AT TIME ZONE $1, 'YYYY-MM-DD'),"
        "       CASE WHEN revocada IS NOT NULL THEN 'revocada'"
        "            WHEN vence IS NOT NULL AND vence <= now() THEN 'vencida'"
        "            ELSE 'vigente' END,"
        "       coalesce(to_char(vence AT TIME ZONE $1, 'YYYY-MM-DD'), ''),"
        "       coalesce(to_char(ultimo_uso AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI'), ''),"
        "       to_char(creada, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'),"
        "       coalesce(to_char(vence, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), ''),"
        "       coalesce(to_char(ultimo_uso, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), ''),"
        "       coalesce(to_char(revocada, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), '')"
        "  FROM claves ORDER BY id",
        1, NULL, params, NULL, NULL, 0);
    int rc = EXIT_USO;
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
        if (!json)
            printf("%-5s %-10s %-10s %-40s %-10s %-9s %-10s %s\n", "ID", "ROL", "EMISOR",
                   "CLAVE PÚBLICA", "CREADA", "ESTADO", "VENCE", "ÚLTIMO USO");
        for (int r = 0; r < PQntuples(res); r++) {
            if (json) {
                json_t *o = json_pack(
                    "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id",
                    (json_int_t)atoll(PQgetvalue(res, r, 0)), "rol", PQgetvalue(res, r, 1),
                    "emisor", PQgetvalue(res, r, 2), "nombre", PQgetvalue(res, r, 3),
                    "clave_publica", PQgetvalue(res, r, 4), "creada", PQgetvalue(res, r, 9),
                    "estado", PQgetvalue(res, r, 6), "revocada",
                    PQgetvalue(res, r, 12)[0] != '\0');
                const int cols[] = {10, 11, 12};
                const char *names[] = {"vence", "ultimo_uso", "fecha_revocacion"};
                for (int k = 0; o && k < 3; k++) {
                    const char *v = PQgetvalue(res, r, cols[k]);
                    json_object_set_new(o, names[k], v[0] ? json_string(v) : json_null());
                }
                char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
                if (text)
                    puts(text);
                free(text);
                json_decref(o);
            } else {
                const char *v = PQgetvalue(res, r, 7), *u = PQgetvalue(res, r, 8);
                printf("%-5s %-10s %-10s %-40s %-10s %-9s %-10s %s\n", PQgetvalue(res, r, 0),
                       PQgetvalue(res, r, 1), PQgetvalue(res, r, 2), PQgetvalue(res, r, 4),
                       PQgetvalue(res, r, 5), PQgetvalue(res, r, 6), v[0] ? v : "—",
                       u[0] ? u : "nunca");
            }
        }
        rc = 0;
    } else {
        pmm_error err;
        db_error(db, res, "no se pudo leer la lista de claves", &err);
        fprintf(stderr, "pmm claves listar: %s\n", err.mensaje);
    }
    PQclear(res);
    PQfinish(db);
    return rc;
}

int cmd_claves(int argc, char **argv, pmm_conf *conf)
{
    if (argc >= 2 && !strcmp(argv[1], "emitir"))
        return emitir(argc - 1, argv + 1, conf);
    if (argc >= 2 && !strcmp(argv[1], "revocar"))
        return revocar(argc - 1, argv + 1, conf);
    if (argc >= 2 && !strcmp(argv[1], "listar"))
        return listar(argc - 1, argv + 1, conf);
    int ayuda = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
    if (!ayuda) {
        if (argc < 2)
            fprintf(stderr, "pmm claves: indique un subcomando: emitir, revocar o listar");
        else if (argv[1][0] == '-')
            fprintf(stderr, "pmm claves: opción desconocida «%s»", argv[1]);
        else
            fprintf(stderr, "pmm claves: subcomando desconocido «%s» (emitir, revocar o "
                            "listar)", argv[1]);
        fprintf(stderr, "; vea pmm claves --help\n");
        return EXIT_USO;
    }
    fprintf(stdout, "Uso: pmm claves emitir|revocar|listar [OPCIONES]\n\n"
                 "Las claves CURVE de quienes se conectan por TCP: remitentes (una\n"
                 "dependencia o una entidad), analistas, administradores y servicios.\n"
                 "Usa la conexión de administración ([admin] conninfo).\n\n"
                 "Subcomandos:\n"
                 "  emitir    genera y registra un par de claves (--dependencia, --entidad,\n"
                 "            --rol, --servicio, --nombre, --vence, -o)\n"
                 "  revocar   revoca una clave (efecto inmediato, también en conexiones\n"
                 "            abiertas)\n"
                 "  listar    muestra las claves registradas (--formato)\n\n"
                 "Opciones:\n"
                 "  -h, --help   muestra esta ayuda; pmm claves SUBCOMANDO --help, la de cada\n"
                 "               subcomando\n\n"
                 "Ejemplos:\n"
                 "  pmm claves emitir --dependencia SRE --vence 2027-07-31 -o claves/\n"
                 "  pmm claves listar --formato json\n"
                 "  pmm claves revocar 12\n");
    return 0;
}
