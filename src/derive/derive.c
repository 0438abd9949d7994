/*
 * Key derivation v1 (DESIGN 2.2): HKDF-SHA256 from the master secret, secp256k1 retry
 * counter, ed25519 seeds. Secrets only ever live in the key's guarded buffer and in stack
 * buffers wiped before return; nothing here logs.
 */
#include <stdio.h>
#include <string.h>

#include <secp256k1.h>
#include <sodium.h>

#include "teekeys/derive.h"
#include "teekeys/hash.h"
#include "teekeys/near.h"

#define INFO_PREFIX "teekeys/v1|"
#define MAX_COUNTER 1000 /* the chance of needing even one retry is below 2^-127 */

int tk_derive_info(char *info, size_t info_cap, size_t *info_len, const char *account_id,
                   tk_family family, const char *path, unsigned counter)
{
    const char *fam = tk_derive_family_name(family);
    int rc, n;

    if (info == NULL || info_len == NULL || account_id == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_derive_info: NULL argument");
    }
    *info_len = 0;
    if (fam == NULL) {
        return tk_fail(TK_ERR_ARG, "invalid family value %d", (int)family);
    }
    if ((rc = tk_near_account_check(account_id, strlen(account_id))) != TK_OK) {
        return rc;
    }
    if ((rc = tk_derive_path_check(path, strlen(path))) != TK_OK) {
        return rc;
    }
    if (counter == 0) {
        n = snprintf(info, info_cap, INFO_PREFIX "%s|%s|%s", account_id, fam, path);
    } else {
        n = snprintf(info, info_cap, INFO_PREFIX "%s|%s|%s|%u", account_id, fam, path, counter);
    }
    if (n < 0 || (size_t)n >= info_cap) {
        return tk_fail(TK_ERR_BUFFER, "derivation info needs %d bytes", n + 1);
    }
    *info_len = (size_t)n;
    return TK_OK;
}

int tk_key_init(tk_key *key)
{
    if (key == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_key_init: NULL key");
    }
    memset(key, 0, sizeof *key);
    key->secret = tk_secure_alloc(TK_KEY_SECRET_LEN);
    if (key->secret == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot allocate guarded memory for a key");
    }
    return TK_OK;
}

void tk_key_free(tk_key *key)
{
    if (key == NULL) {
        return;
    }
    tk_secure_free(key->secret); /* wipes */
    memset(key, 0, sizeof *key);
}

static int derive_secp256k1(tk_key *key, const unsigned char *master, const char *account_id,
                            const char *path)
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    char info[TK_DERIVE_INFO_MAX];
    unsigned char ser[65];
    size_t info_len = 0, ser_len = sizeof ser;
    secp256k1_pubkey pub;
    unsigned counter;
    int rc, valid, ok;

    for (counter = 0; counter <= MAX_COUNTER; counter++) {
        rc = tk_derive_info(info, sizeof info, &info_len, account_id, key->family, path, counter);
        if (rc == TK_OK) {
            rc = tk_hkdf_sha256(key->secret, 32, NULL, 0, master, TK_MASTER_LEN, info, info_len);
        }
        if (rc != TK_OK) {
            return rc;
        }
        valid = secp256k1_ec_seckey_verify(ctx, key->secret);
        tk_declassify(&valid, sizeof valid); /* a retry is public (and has p < 2^-127) */
        if (valid) {
            break;
        }
    }
    if (counter > MAX_COUNTER) {
        return tk_fail(TK_ERR_INTERNAL, "no valid secp256k1 key after %d retries", MAX_COUNTER);
    }
    ok = secp256k1_ec_pubkey_create(ctx, &pub, key->secret);
    tk_declassify(&ok, sizeof ok);
    tk_declassify(&pub, sizeof pub); /* the public key is public */
    if (!ok ||
        !secp256k1_ec_pubkey_serialize(ctx, ser, &ser_len, &pub, SECP256K1_EC_UNCOMPRESSED)) {
        return tk_fail(TK_ERR_INTERNAL, "libsecp256k1 failed to compute a public key");
    }
    memcpy(key->public_key, ser + 1, TK_SECP256K1_PUB_LEN);
    key->public_key_len = TK_SECP256K1_PUB_LEN;
    key->counter = counter;
    return TK_OK;
}

static int derive_ed25519(tk_key *key, const unsigned char *master, const char *account_id,
                          const char *path)
{
    char info[TK_DERIVE_INFO_MAX];
    unsigned char seed[32];
    size_t info_len;
    int rc;

    rc = tk_derive_info(info, sizeof info, &info_len, account_id, key->family, path, 0);
    if (rc == TK_OK) {
        rc = tk_hkdf_sha256(seed, sizeof seed, NULL, 0, master, TK_MASTER_LEN, info, info_len);
    }
    if (rc == TK_OK && crypto_sign_seed_keypair(key->public_key, key->secret, seed) != 0) {
        rc = tk_fail(TK_ERR_INTERNAL, "libsodium failed to derive an ed25519 key pair");
    }
    tk_wipe(seed, sizeof seed);
    if (rc == TK_OK) {
        key->public_key_len = TK_ED25519_PUB_LEN;
        key->counter = 0;
    }
    return rc;
}

int tk_derive_key(tk_key *key, const unsigned char *master, const char *account_id,
                  tk_family family, const char *path)
{
    int rc;

    if (key == NULL || key->secret == NULL || master == NULL || account_id == NULL ||
        path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_derive_key: NULL argument or uninitialised key");
    }
    tk_wipe(key->secret, TK_KEY_SECRET_LEN);
    memset(key->public_key, 0, sizeof key->public_key);
    key->public_key_len = 0;
    key->family = family;
    key->curve = tk_derive_family_curve(family);
    switch (key->curve) {
    case TK_CURVE_SECP256K1:
        rc = derive_secp256k1(key, master, account_id, path);
        break;
    case TK_CURVE_ED25519:
        rc = derive_ed25519(key, master, account_id, path);
        break;
    default:
        rc = tk_fail(TK_ERR_ARG, "invalid family value %d", (int)family);
        break;
    }
    if (rc != TK_OK) {
        tk_wipe(key->secret, TK_KEY_SECRET_LEN);
        key->public_key_len = 0;
    }
    return rc;
}
