/*
 * Sealing-key providers: dstack (GetKey from the guest agent, bound to the measured app) and
 * sim (a development key file, NOT hardware-bound, announced as such on stderr every time).
 * Provider keys are expanded with HKDF so the AES key is never the raw provider key.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teekeys/dstack.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/seal.h"

#define DSTACK_KEY_PATH    "teekeys/seal/v1"
#define DSTACK_KEY_PURPOSE "teekeys-master-sealing"
#define HKDF_INFO          "teekeys/seal/v1 aes-256-gcm"

int tk_seal_provider_parse(tk_seal_provider_id *id, const char *name)
{
    if (id == NULL || name == NULL) {
        return tk_fail(TK_ERR_ARG, "sealing provider is missing");
    }
    if (strcmp(name, "dstack") == 0) {
        *id = TK_SEAL_PROVIDER_DSTACK;
    } else if (strcmp(name, "sim") == 0) {
        *id = TK_SEAL_PROVIDER_SIM;
    } else {
        return tk_fail(TK_ERR_INPUT, "unknown sealing provider '%.32s' (expected dstack or sim)",
                       name);
    }
    return TK_OK;
}

const char *tk_seal_provider_name(tk_seal_provider_id id)
{
    switch (id) {
    case TK_SEAL_PROVIDER_DSTACK:
        return "dstack";
    case TK_SEAL_PROVIDER_SIM:
        return "sim";
    }
    return NULL;
}

int tk_seal_provider_hardware_bound(tk_seal_provider_id id)
{
    return id == TK_SEAL_PROVIDER_DSTACK;
}

/* Reads (or creates) the sim key file: 64 hex characters, one trailing newline allowed. */
static int sim_raw_key(unsigned char *raw, const tk_seal_config *config)
{
    unsigned char *text = tk_secure_alloc(80);
    size_t len = 0;
    int rc;

    if (text == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    if (config->sim_create && access(config->sim_key_file, F_OK) != 0 && errno == ENOENT) {
        tk_random(raw, 32);
        rc = tk_hex_encode((char *)text, 80, raw, 32);
        if (rc == TK_OK) {
            text[64] = '\n';
            rc = tk_file_write_atomic(config->sim_key_file, text, 65, 0600, 1);
        }
        if (rc == TK_OK) {
            fprintf(stderr,
                    "teekeys: created SIMULATED sealing key file %s (NOT hardware-bound: "
                    "anyone who reads it can unseal; development only)\n",
                    config->sim_key_file);
        }
        goto done;
    }
    fprintf(stderr,
            "teekeys: WARNING: sealing key from the SIMULATED provider (%s): NOT "
            "hardware-bound, development only\n",
            config->sim_key_file);
    rc = tk_file_read_into(text, 80, &len, config->sim_key_file, TK_FILE_PRIVATE);
    if (rc == TK_ERR_RANGE) {
        rc = tk_fail(TK_ERR_INPUT, "sim sealing key file %s is too long", config->sim_key_file);
    }
    if (rc == TK_OK) {
        if (len == 65 && text[64] == '\n') {
            len = 64;
        }
        rc = tk_hex_decode_exact(raw, 32, (const char *)text, len, 0);
        if (rc != TK_OK) {
            rc = tk_fail(TK_ERR_INPUT, "sim sealing key file %s must hold 64 hex characters",
                         config->sim_key_file);
        }
    }
done:
    tk_secure_free(text);
    return rc;
}

int tk_seal_key(unsigned char *key, tk_seal_provider_id id, const tk_seal_config *config)
{
    unsigned char *raw = tk_secure_alloc(64);
    size_t raw_len = 0;
    int rc;

    if (key == NULL || config == NULL || raw == NULL) {
        tk_secure_free(raw);
        return tk_fail(raw == NULL ? TK_ERR_NOMEM : TK_ERR_ARG, "tk_seal_key: invalid argument");
    }
    switch (id) {
    case TK_SEAL_PROVIDER_DSTACK:
        rc = tk_dstack_get_key(raw, 64, &raw_len, config->dstack_socket, DSTACK_KEY_PATH,
                               DSTACK_KEY_PURPOSE);
        break;
    case TK_SEAL_PROVIDER_SIM:
        if (config->sim_key_file == NULL) {
            rc = tk_fail(TK_ERR_ARG, "the sim sealing provider needs a key file");
            break;
        }
        rc = sim_raw_key(raw, config);
        raw_len = 32;
        break;
    default:
        rc = tk_fail(TK_ERR_ARG, "unknown sealing provider %d", (int)id);
        break;
    }
    if (rc == TK_OK) {
        rc = tk_hkdf_sha256(key, TK_SEAL_KEY_LEN, NULL, 0, raw, raw_len, HKDF_INFO,
                            sizeof HKDF_INFO - 1);
    }
    if (rc != TK_OK) {
        tk_wipe(key, TK_SEAL_KEY_LEN);
    }
    tk_secure_free(raw);
    return rc;
}
