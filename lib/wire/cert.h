/* cert.h -- CURVE key pairs in the ZeroMQ certificate text format.
 *
 * The format is the one CZMQ's zcert writes (a "metadata" section and a
 * "curve" section with Z85 keys), so keys interoperate with CZMQ tools. It
 * is written by hand here instead of linking CZMQ because that would bring
 * a whole framework (and its process-wide zsys state) for two small files.
 * Keys come from libzmq (zmq_curve_keypair, backed by libsodium).
 */
#ifndef PMM_CERT_H
#define PMM_CERT_H

#include <stdbool.h>

#include "error.h"

#define CERT_KEY_Z85 41   /* 40 Z85 characters + NUL */

typedef struct {
    char public_key[CERT_KEY_Z85];
    char secret_key[CERT_KEY_Z85];   /* "" for a public-only certificate */
    char name[128];                  /* metadata "nombre": who it belongs to */
} pmm_cert;

/* A new key pair. */
int cert_generate(pmm_cert *c, const char *name, pmm_error *err);

/* Writes <dir>/<base>.key (public) and <dir>/<base>.key_secret (mode 0600). */
int cert_save(const pmm_cert *c, const char *dir, const char *base, pmm_error *err);

/* Reads a certificate file (public or secret). */
int cert_load(pmm_cert *c, const char *path, pmm_error *err);

/* True for a well-formed Z85 CURVE key. */
bool cert_key_valid(const char *z85);

#endif
