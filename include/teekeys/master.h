/*
 * teekeys master: the one 32-byte master secret every user key derives from, and the sources
 * it is recovered from at boot, behind one interface:
 *   backup  64 hex characters from TEEKEYS_MASTER_SECRET or from a private (0600) file
 *   sealed  an AES-256-GCM blob (see seal.h) opened with a provider's sealing key
 *   ckd     NEAR MPC Confidential Key Derivation (ckd.h): unmasks the network's answer with
 *           the ephemeral key (the transport that fetches the answer is not part of this)
 * The secret lives in guarded memory; the environment variable is wiped in place once read.
 */
#ifndef TEEKEYS_MASTER_H
#define TEEKEYS_MASTER_H

#include <stddef.h>

#include "teekeys/common.h"
#include "teekeys/derive.h"
#include "teekeys/seal.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_MASTER_ENV     "TEEKEYS_MASTER_SECRET"
#define TK_MASTER_HEX_LEN 64

typedef struct {
    unsigned char *bytes; /* TK_MASTER_LEN bytes of guarded memory */
    const char *source;   /* static name of the source it came from */
} tk_master;

/* Options for every source; each reads the fields it needs. */
typedef struct {
    const char *backup_file;      /* backup: a file instead of the environment variable */
    const char *sealed_blob;      /* sealed: the blob file */
    tk_seal_provider_id provider; /* sealed: who holds the sealing key */
    tk_seal_config seal;          /* sealed: provider settings */
    const char *ckd_key_file;     /* ckd: the ephemeral scalar a (64 hex, mode 0600 file) */
    const char *ckd_response;     /* ckd: the answer {"big_y":..,"big_c":..} (NUL-terminated) */
    const char *ckd_pk;           /* ckd: the pinned MPC public key "bls12381g2:..." */
    const char *ckd_predecessor;  /* ckd: the account that called request_app_private_key */
    const char *ckd_path;         /* ckd: the derivation path (DESIGN 2.3); "" is valid */
} tk_master_options;

/* A master secret source. */
typedef struct {
    const char *name;
    int (*load)(tk_master *master, const tk_master_options *options);
} tk_master_source;

/* Returns: the source named `name` ("backup", "sealed", "ckd"), or NULL. */
const tk_master_source *tk_master_source_find(const char *name);

/* Allocates guarded memory for a master secret. */
int tk_master_init(tk_master *master) TK_MUST_CHECK;

/* Wipes and frees the secret (safe to call twice). */
void tk_master_free(tk_master *master);

/* Fills the master with 32 fresh random bytes (source "generated"). */
int tk_master_generate(tk_master *master) TK_MUST_CHECK;

/* Parses the backup text form: exactly 64 hex characters, optionally followed by one "\n".
 * Errors name the problem (length, character) and never echo the input. */
int tk_master_from_hex(tk_master *master, const char *text, size_t text_len) TK_MUST_CHECK;

/* Loads the master from the named source. */
int tk_master_load(tk_master *master, const char *source,
                   const tk_master_options *options) TK_MUST_CHECK;

/* Seals the master for `options->provider` and writes the blob to `options->sealed_blob`
 * atomically with mode 0600 (an existing blob is replaced only if `replace` is set). */
int tk_master_seal(const tk_master *master, const tk_master_options *options,
                   int replace) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_MASTER_H */
