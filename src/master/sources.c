/*
 * Master secret sources behind tk_master_source: backup (environment or private file),
 * sealed (blob + sealing provider) and ckd (NEAR MPC answer + ephemeral key file). Secrets
 * pass only through guarded buffers; the environment copy is overwritten in place after reading
 * so it does not linger in /proc/<pid>/environ.
 */
#include <stdlib.h>
#include <string.h>

#include "teekeys/ckd.h"
#include "teekeys/master.h"

#define BACKUP_FILE_MAX 128

static int load_backup(tk_master *master, const tk_master_options *options)
{
    unsigned char *text;
    size_t len = 0;
    int rc;

    if (options->backup_file == NULL) {
        char *env = getenv(TK_MASTER_ENV);
        if (env == NULL || env[0] == '\0') {
            return tk_fail(TK_ERR_NOT_FOUND, "no master secret: set " TK_MASTER_ENV
                                             " (64 hex characters) or give a backup file");
        }
        rc = tk_master_from_hex(master, env, strlen(env));
        tk_wipe(env, strlen(env));
        unsetenv(TK_MASTER_ENV);
        if (rc != TK_OK) {
            return tk_fail(rc, TK_MASTER_ENV ": %s", tk_errmsg());
        }
        master->source = "backup";
        return TK_OK;
    }
    text = tk_secure_alloc(BACKUP_FILE_MAX);
    if (text == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_file_read_into(text, BACKUP_FILE_MAX, &len, options->backup_file, TK_FILE_PRIVATE);
    if (rc == TK_ERR_RANGE) {
        rc = tk_fail(TK_ERR_INPUT, "backup file %s is too long for a master secret",
                     options->backup_file);
    } else if (rc == TK_OK) {
        rc = tk_master_from_hex(master, (const char *)text, len);
        if (rc != TK_OK) {
            rc = tk_fail(rc, "backup file %s: %s", options->backup_file, tk_errmsg());
        }
    }
    tk_secure_free(text);
    if (rc == TK_OK) {
        master->source = "backup";
    }
    return rc;
}

static int load_sealed(tk_master *master, const tk_master_options *options)
{
    unsigned char blob[TK_SEAL_BLOB_LEN + 1], *key;
    size_t len = 0;
    int rc;

    if (options->sealed_blob == NULL) {
        return tk_fail(TK_ERR_ARG, "the sealed source needs a blob file");
    }
    rc = tk_file_read_into(blob, sizeof blob, &len, options->sealed_blob, 0);
    if (rc == TK_ERR_RANGE) {
        return tk_fail(TK_ERR_INPUT, "%s is larger than a sealed blob (%d bytes)",
                       options->sealed_blob, TK_SEAL_BLOB_LEN);
    }
    if (rc != TK_OK) {
        return rc;
    }
    key = tk_secure_alloc(TK_SEAL_KEY_LEN);
    if (key == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    /* check the header before asking a provider for a key */
    {
        tk_seal_provider_id id;
        rc = tk_seal_blob_provider(&id, blob, len);
        if (rc == TK_OK && id != options->provider) {
            rc = tk_fail(TK_ERR_RANGE, "%s was sealed with provider %s, not %s",
                         options->sealed_blob, tk_seal_provider_name(id),
                         tk_seal_provider_name(options->provider)
                             ? tk_seal_provider_name(options->provider)
                             : "?");
        }
    }
    if (rc == TK_OK) {
        tk_seal_config config = options->seal;
        config.sim_create = 0; /* unsealing never invents a key */
        rc = tk_seal_key(key, options->provider, &config);
    }
    if (rc == TK_OK) {
        rc = tk_seal_decrypt(master->bytes, key, options->provider, blob, len);
    }
    tk_secure_free(key);
    if (rc == TK_OK) {
        master->source = "sealed";
    }
    return rc;
}

/* The CKD answer unmasked with the ephemeral key file; the master is the CKD secret. */
static int load_ckd(tk_master *master, const tk_master_options *options)
{
    unsigned char app_id[TK_CKD_APP_ID_LEN];
    tk_ckd_keypair *kp = NULL;
    tk_bls_g1 big_y, big_c;
    tk_bls_g2 pk;
    int rc;

    if (options->ckd_key_file == NULL || options->ckd_response == NULL || options->ckd_pk == NULL ||
        options->ckd_predecessor == NULL || options->ckd_path == NULL) {
        return tk_fail(TK_ERR_ARG, "the ckd source needs the key file, the response, the MPC "
                                   "public key, the predecessor and the path");
    }
    if ((rc = tk_ckd_g2_parse(&pk, options->ckd_pk, strlen(options->ckd_pk))) != TK_OK) {
        return tk_fail(rc, "MPC public key: %s", tk_errmsg());
    }
    if ((rc = tk_ckd_app_id(app_id, options->ckd_predecessor, options->ckd_path)) != TK_OK ||
        (rc = tk_ckd_response_parse(&big_y, &big_c, options->ckd_response,
                                    strlen(options->ckd_response))) != TK_OK ||
        (rc = tk_ckd_keypair_read_file(&kp, options->ckd_key_file)) != TK_OK) {
        return rc;
    }
    rc = tk_ckd_unmask(master->bytes, kp, &pk, app_id, &big_y, &big_c);
    tk_ckd_keypair_free(kp);
    if (rc == TK_OK) {
        master->source = "ckd";
    }
    return rc;
}

static const tk_master_source sources[] = {
    {"backup", load_backup},
    {"sealed", load_sealed},
    {"ckd", load_ckd},
};

const tk_master_source *tk_master_source_find(const char *name)
{
    size_t i;
    for (i = 0; name != NULL && i < sizeof sources / sizeof sources[0]; i++) {
        if (strcmp(sources[i].name, name) == 0) {
            return &sources[i];
        }
    }
    return NULL;
}

int tk_master_load(tk_master *master, const char *source, const tk_master_options *options)
{
    const tk_master_source *s = tk_master_source_find(source);
    if (master == NULL || master->bytes == NULL || options == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_master_load: invalid argument");
    }
    if (s == NULL) {
        return tk_fail(TK_ERR_INPUT,
                       "unknown master source '%.32s' (expected backup, sealed or ckd)",
                       source ? source : "");
    }
    return s->load(master, options);
}

int tk_master_seal(const tk_master *master, const tk_master_options *options, int replace)
{
    unsigned char blob[TK_SEAL_BLOB_LEN], *key;
    int rc;

    if (master == NULL || master->bytes == NULL || options == NULL ||
        options->sealed_blob == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_master_seal: invalid argument");
    }
    key = tk_secure_alloc(TK_SEAL_KEY_LEN);
    if (key == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_seal_key(key, options->provider, &options->seal);
    if (rc == TK_OK) {
        rc = tk_seal_encrypt(blob, key, options->provider, master->bytes);
    }
    tk_secure_free(key);
    if (rc == TK_OK) {
        rc = tk_file_write_atomic(options->sealed_blob, blob, sizeof blob, 0600, !replace);
    }
    return rc;
}
