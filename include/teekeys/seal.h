/*
 * teekeys seal: the master secret at rest, as an AES-256-GCM blob under a sealing key that a
 * provider hands out only to this code on this machine.
 *
 * Blob (TK_SEAL_BLOB_LEN = 68 bytes):
 *   "TKSEAL" | version (1) | provider id (1) | nonce (12, random) | ciphertext (32) | tag (16)
 * The associated data is "teekeys/sealed-master/v1" followed by the 8 header bytes, so a blob
 * cannot be replayed for another purpose, version or provider.
 *
 * Providers:
 *   dstack  the dstack guest agent's GetKey (path "teekeys/seal/v1"), bound to the application
 *           measured in the TDX quote — the production provider.
 *   sim     a key file, SIMULATED, NOT hardware-bound: anyone who can read the file can unseal.
 *           For development only; every use logs a line saying so.
 * The AES key is HKDF-SHA256(provider key, info "teekeys/seal/v1 aes-256-gcm").
 */
#ifndef TEEKEYS_SEAL_H
#define TEEKEYS_SEAL_H

#include <stddef.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_SEAL_BLOB_LEN   68
#define TK_SEAL_KEY_LEN    32
#define TK_SEAL_SECRET_LEN 32
#define TK_SEAL_VERSION    1

typedef enum { TK_SEAL_PROVIDER_DSTACK = 1, TK_SEAL_PROVIDER_SIM = 2 } tk_seal_provider_id;

/* Where providers find their key material. */
typedef struct {
    const char *dstack_socket; /* NULL: the agent's default socket */
    const char *sim_key_file;  /* the sim provider's key file */
    int sim_create;            /* sim: create the key file (0600) if it does not exist */
} tk_seal_config;

/* Parses "dstack" or "sim". */
int tk_seal_provider_parse(tk_seal_provider_id *id, const char *name) TK_MUST_CHECK;

/* Returns: "dstack" / "sim", or NULL. */
const char *tk_seal_provider_name(tk_seal_provider_id id);

/* Returns: 1 if the provider's key is bound to the TEE (dstack), 0 if simulated. */
int tk_seal_provider_hardware_bound(tk_seal_provider_id id);

/* Obtains the AES-256 sealing key from a provider. Out: key (TK_SEAL_KEY_LEN, use guarded
 * memory). The sim provider writes a warning line to stderr. */
int tk_seal_key(unsigned char *key, tk_seal_provider_id id,
                const tk_seal_config *config) TK_MUST_CHECK;

/* Seals a 32-byte secret. Out: blob (TK_SEAL_BLOB_LEN). In: key, provider id (recorded in the
 * header and bound by the associated data), secret. */
int tk_seal_encrypt(unsigned char *blob, const unsigned char *key, tk_seal_provider_id id,
                    const unsigned char *secret) TK_MUST_CHECK;

/* Opens a blob. Fails with TK_ERR_INPUT for a wrong size, magic or version, TK_ERR_RANGE for
 * a blob of another provider, TK_ERR_CRYPTO for a wrong key or any tampering. The output is
 * wiped on failure. Out: secret (TK_SEAL_SECRET_LEN). */
int tk_seal_decrypt(unsigned char *secret, const unsigned char *key, tk_seal_provider_id id,
                    const unsigned char *blob, size_t blob_len) TK_MUST_CHECK;

/* Reads just the provider id from a blob header (public information). */
int tk_seal_blob_provider(tk_seal_provider_id *id, const unsigned char *blob,
                          size_t blob_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_SEAL_H */
