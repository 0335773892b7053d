/* pmm pendientes -- the bodies still missing in a year's call (issue 18),
 * ready for a mail merge of reminders.
 *
 *   pmm pendientes --ejercicio AÑO [--con-contactos] [--formato tabla|csv|json]
 *
 * Missing: expected (in the call, active on its deadline) and not
 * delivered, or reopened (cobertura.h). With --con-contactos (an
 * administrator: contact data is private), each body's contact: the one of
 * its most recently stored ficha version that has a contact, of this year
 * or an earlier one (its own fichas or those of the bodies it succeeds);
 * the read leaves one audit row per body shown (seguimiento_bitacora,
 * accion contactos_leidos), in the same transaction.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "consulta_db.h"
#include "consulta_opciones.h"
#include "consulta_salida.h"
#include "cuerpos.h"
#include "opciones.h"
#include "db.h"

#define CMD "pendientes"

static void ayuda(void)
{
    printf("Uso: pmm pendientes --ejercicio AÑO [--con-contactos] [--formato tabla|csv|json]\n"
           "                    [--analista NOMBRE]\n\n"
           "Los cuerpos que aún faltan en la convocatoria del ejercicio: convocados, "
           "vigentes\nen la fecha límite y sin entregar (o con la entrega reabierta porque "
           "enviaron\nfichas después). En CSV sirve para una combinación de correspondencia "
           "de\nrecordatorios.\n\n"
           "  --ejercicio AÑO   el ejercicio de la convocatoria\n"
           "  --con-contactos   agrega el contacto de cada cuerpo: el de su ficha más "
           "reciente\n"
           "                    con contacto (de este año o de uno anterior). Solo para un\n"
           "                    administrador; cada lectura queda en la bitácora\n"
           "  --formato F       tabla (predeterminado), csv o json\n"
           "  --analista NOMBRE quién lee los contactos (si no, $PMM_ANALISTA o su clave)\n"
           "  -h, --help        muestra esta ayuda\n\n"
           "Ejemplos:\n  pmm pendientes --ejercicio 2022\n"
           "  pmm pendientes --ejercicio 2022 --con-contactos --formato csv > "
           "recordatorios.csv\n");
}

/* The missing bodies (and, with contacts, each one's contact). */
static const char SQL[] =
    "WITH s AS (SELECT * FROM pmm_seguimiento($1::int)"
    "            WHERE esperado AND estado IN ('sin_iniciar', 'en_captura'))"
    " SELECT s.emisor, coalesce(s.nombre, ''), coalesce(s.tipo, ''),"
    "        coalesce(s.sector, ''), s.estado, s.reabierta, s.fichas,"
    "        coalesce(to_char(s.ultima_actividad, 'DD/MM/YYYY HH24:MI'), '')%s"
    "   FROM s%s"
    "  ORDER BY s.tipo = 'estatal', s.emisor";

static const char SQL_CONTACTO_COLS[] =
    ", c.ejercicio, c.nombre, c.cargo, c.correo, c.telefono";
/* contacts of the body and of the bodies it succeeds, newest version first */
static const char SQL_CONTACTO_JOIN[] =
    " LEFT JOIN LATERAL"
    " (SELECT f.ejercicio, k.nombre, k.cargo, k.correo, k.telefono"
    "    FROM fichas f JOIN contactos k ON k.ficha_id = f.id"
    "   WHERE f.emisor = ANY (pmm_linaje(s.emisor, 'infinity'))"
    "     AND f.ejercicio <= $1::int"
    "   ORDER BY f.ejercicio DESC, f.id DESC LIMIT 1) c ON true";

int cmd_pendientes(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"con-contactos", no_argument, NULL, 'c'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int anio = 0, opt;
    bool contactos = false;
    const char *analista_opc = NULL;
    consulta_formato formato = CONSULTA_TABLA;
    pmm_error err;
    pmm_error_clear(&err);
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (cuerpos_anio(optarg, &anio)) {
                fprintf(stderr, "pmm pendientes: --ejercicio debe ser un año de 2018 a 2100\n");
                return EXIT_USO;
            }
            break;
        case 'c': contactos = true; break;
        case 'a': analista_opc = optarg; break;
        case 'f':
            if (consulta_formato_parse(optarg, &formato, &err)) {
                fprintf(stderr, "pmm pendientes: --formato admite tabla, csv o json\n");
                return EXIT_USO;
            }
            break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc || !anio) {
        fprintf(stderr, "pmm pendientes: indique --ejercicio AÑO (pmm pendientes --help)\n");
        return EXIT_USO;
    }
    char analista[160] = "";
    if (contactos && analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm pendientes: %s\n", err.mensaje);
        return EXIT_USO;
    }
    /* contacts: the administrator's connection, read and audit in one
     * transaction; else the read-only one */
    PGconn *db = contactos ? cuerpos_admin(conf, "pmm-pendientes", &err)
                           : consulta_conectar(conf, "pmm-pendientes", &err);
    if (!db) {
        fprintf(stderr, "pmm pendientes: %s\n", err.mensaje);
        return EXIT_USO;
    }
    int rc = EXIT_USO;
    PGresult *res = NULL;
    if (contactos && db_exec(db, "BEGIN", &err) != 0)
        goto fin;
    char y[16], sql[2048];
    snprintf(y, sizeof y, "%d", anio);
    const char *p[] = {y};
    res = PQexecParams(db, "SELECT 1 FROM convocatorias WHERE ejercicio = $1::int", 1, NULL, p,
                       NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "leer la convocatoria", &err);
        goto fin;
    }
    if (PQntuples(res) == 0) {
        pmm_error_set(&err, 1, "--ejercicio", "sin_convocatoria",
                      "no hay convocatoria del ejercicio %d", anio);
        rc = EXIT_RECHAZO;
        goto fin;
    }
    PQclear(res);
    snprintf(sql, sizeof sql, SQL, contactos ? SQL_CONTACTO_COLS : "",
             contactos ? SQL_CONTACTO_JOIN : "");
    res = PQexecParams(db, sql, 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, contactos ? "leer los contactos" : "leer quién falta", &err);
        rc = err.code == 1 ? EXIT_RECHAZO : EXIT_USO;
        goto fin;
    }
    int n = PQntuples(res);
    /* the audit rows, before anything is shown */
    for (int r = 0; contactos && r < n; r++) {
        if (PQgetisnull(res, r, 8))
            continue;
        char det[96];
        snprintf(det, sizeof det, "{\"comando\":\"pendientes\",\"ejercicio_contacto\":%s}",
                 PQgetvalue(res, r, 8));
        if (cuerpos_bitacora(db, analista, "contactos_leidos", anio, PQgetvalue(res, r, 0), det,
                             &err) != 0)
            goto fin;
    }
    if (contactos && db_exec(db, "COMMIT", &err) != 0)
        goto fin;
    static const char *const cols[] = {"emisor", "nombre", "tipo", "sector", "estado",
                                       "reabierta", "fichas", "ultima_actividad",
                                       "contacto_ejercicio", "contacto_nombre",
                                       "contacto_cargo", "contacto_correo",
                                       "contacto_telefono"};
    int ncols = contactos ? 13 : 8;
    if (formato == CONSULTA_CSV) {
        for (int c = 0; c < ncols; c++)
            printf("%s%s", c ? "," : "", cols[c]);
        putchar('\n');
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < ncols; c++) {
                if (c)
                    putchar(',');
                if (c == 5)
                    fputs(PQgetvalue(res, r, c)[0] == 't' ? "si" : "no", stdout);
                else
                    consulta_csv_campo(stdout, PQgetvalue(res, r, c));
            }
            putchar('\n');
        }
    } else if (formato == CONSULTA_JSON) {
        json_t *arr = json_array();
        for (int r = 0; r < n; r++) {
            json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:I}", "emisor",
                                  PQgetvalue(res, r, 0), "nombre", PQgetvalue(res, r, 1),
                                  "tipo", PQgetvalue(res, r, 2), "sector",
                                  PQgetvalue(res, r, 3), "estado", PQgetvalue(res, r, 4),
                                  "reabierta", PQgetvalue(res, r, 5)[0] == 't', "fichas",
                                  (json_int_t)atoll(PQgetvalue(res, r, 6)));
            if (contactos)
                json_object_set_new(
                    o, "contacto",
                    PQgetisnull(res, r, 8)
                        ? json_null()
                        : json_pack("{s:i,s:s?,s:s?,s:s?,s:s?}", "ejercicio",
                                    atoi(PQgetvalue(res, r, 8)), "nombre",
                                    PQgetisnull(res, r, 9) ? NULL : PQgetvalue(res, r, 9),
                                    "cargo", PQgetisnull(res, r, 10) ? NULL : PQgetvalue(res, r, 10),
                                    "correo", PQgetisnull(res, r, 11) ? NULL : PQgetvalue(res, r, 11),
                                    "telefono",
                                    PQgetisnull(res, r, 12) ? NULL : PQgetvalue(res, r, 12)));
            json_array_append_new(arr, o);
        }
        consulta_json(stdout, json_pack("{s:i,s:i,s:o}", "ejercicio", anio, "pendientes", n,
                                        "cuerpos", arr));
    } else {
        printf("Pendientes de la convocatoria %d: %d %s\n\n", anio, n,
               n == 1 ? "cuerpo" : "cuerpos");
        consulta_grilla g;
        consulta_grilla_init(&g, contactos ? 7 : 5);
        consulta_grilla_derecha(&g, 4);
        const char *head[] = {"Clave", "Nombre", "Tipo", "Estado", "Fichas", "Contacto",
                              "Correo"};
        consulta_grilla_fila(&g, head);
        consulta_grilla_linea(&g);
        for (int r = 0; r < n; r++) {
            char estado[64], contacto[400];
            snprintf(estado, sizeof estado, "%s%s", cuerpos_estado_texto(PQgetvalue(res, r, 4)),
                     PQgetvalue(res, r, 5)[0] == 't' ? " (reabierta)" : "");
            snprintf(contacto, sizeof contacto, "%s%s%s%s%s",
                     contactos ? PQgetvalue(res, r, 9) : "",
                     contactos && *PQgetvalue(res, r, 10) ? ", " : "",
                     contactos ? PQgetvalue(res, r, 10) : "",
                     contactos && !PQgetisnull(res, r, 8) ? " — " : "",
                     contactos ? PQgetvalue(res, r, 8) : "");
            const char *row[] = {PQgetvalue(res, r, 0),
                                 PQgetvalue(res, r, 1),
                                 cuerpos_tipo_texto(PQgetvalue(res, r, 2)),
                                 estado,
                                 PQgetvalue(res, r, 6),
                                 contacto,
                                 contactos ? PQgetvalue(res, r, 11) : ""};
            consulta_grilla_fila(&g, row);
        }
        consulta_grilla_imprimir(&g, stdout);
        consulta_grilla_free(&g);
        if (contactos)
            printf("\nContactos de la ficha más reciente de cada cuerpo (el año tras la "
                   "raya); la\nlectura quedó en la bitácora.\n");
    }
    rc = consulta_fin_salida(CMD);
fin:
    if (rc != 0 && err.mensaje[0])
        fprintf(stderr, "pmm pendientes: %s\n", err.mensaje);
    PQclear(res);
    if (contactos) {
        pmm_error ignored;
        if (PQtransactionStatus(db) != PQTRANS_IDLE)
            db_exec(db, "ROLLBACK", &ignored);
        PQfinish(db);
    } else {
        consulta_desconectar(db);
    }
    return rc;
}
