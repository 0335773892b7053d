#include "idem.h"

#include <string.h>

#include "pmm.pb-c.h"

idem_decision idem_decide(const idem_current *cur, const uint8_t hash[32],
                          bool has_reemplaza, int64_t reemplaza, bool retiro,
                          int64_t *new_version, pmm_error *err)
{
    if (!cur->exists) {
        if (has_reemplaza) {
            pmm_error_set(err, PMM__ERROR_CODE__ERR_CONFLICT, "reemplaza",
                          "sin_version",
                          "reemplaza indica la versión %lld, pero no hay "
                          "ninguna ficha guardada con esta clave",
                          (long long)reemplaza);
            return IDEM_NO_VERSION;
        }
        *new_version = 1;
        return IDEM_NEW;
    }
    if (memcmp(cur->hash, hash, 32) == 0)
        return IDEM_REPEAT;
    if (!has_reemplaza) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_CONFLICT, "clave", "conflicto",
                      "ya existe la versión %lld de esta clave con otro "
                      "contenido; para corregirla envíe \"reemplaza\": %lld",
                      (long long)cur->version, (long long)cur->version);
        return IDEM_CONFLICT;
    }
    if (retiro && cur->retirada) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_CONFLICT, "retirada", "ya_retirada",
                      "la versión vigente (%lld) de esta clave ya es un retiro: la ficha "
                      "no cuenta; para restaurarla envíe la ficha completa con "
                      "\"reemplaza\": %lld",
                      (long long)cur->version, (long long)cur->version);
        return IDEM_WITHDRAWN;
    }
    if (reemplaza != cur->version) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_CONFLICT, "reemplaza",
                      "version_vigente",
                      "reemplaza indica la versión %lld, pero la vigente es "
                      "la %lld",
                      (long long)reemplaza, (long long)cur->version);
        return IDEM_STALE;
    }
    *new_version = cur->version + 1;
    return IDEM_NEW;
}
