/*
 * Line-oriented bridge to the near module for tests/oracle/near_check.mjs (test only, never
 * installed). One request per stdin line, one answer per stdout line:
 *   sign <seed hex> <Transaction base64>      -> ok <SignedTransaction base64> <hash base58>
 *   roundtrip <Transaction base64>            -> ok <decoded and re-encoded, base64>
 *   nep413 <seed hex> <payload base64>        -> ok <signature base64>  (payload: tag || borsh)
 *   nep413v <pubkey hex> <sig base64> <payload base64> -> ok | err
 * Failures answer `err <status> <detail>`. Keys come from test seeds and are wiped after use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/near.h"

#define LINE_MAX_LEN (6 << 20)

static int key_from_hex(unsigned char sk[64], const char *hex)
{
    unsigned char seed[32], pk[32];
    int rc = tk_hex_decode_exact(seed, sizeof seed, hex, strlen(hex), 0);
    if (rc == TK_OK && crypto_sign_seed_keypair(pk, sk, seed) != 0) {
        rc = tk_fail(TK_ERR_INTERNAL, "keypair");
    }
    tk_wipe(seed, sizeof seed);
    return rc;
}

static int b64_decode_alloc(unsigned char **out, size_t *out_len, const char *in)
{
    size_t len = strlen(in);
    *out = malloc(len / 4 * 3 + 1);
    if (*out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "oom");
    }
    return tk_base64_decode(*out, len / 4 * 3 + 1, out_len, in, len);
}

static int do_request(char *cmd, char *a, char *b, char *c)
{
    unsigned char sk[64], *bytes = NULL, *re = NULL;
    size_t n = 0, w = 0;
    int rc;

    if (strcmp(cmd, "sign") == 0 && b != NULL) {
        size_t cap = tk_base64_encoded_len(strlen(b) + 65) + 1;
        char *out = malloc(cap), hash[TK_NEAR_HASH_B58_MAX];
        if (out == NULL) {
            return tk_fail(TK_ERR_NOMEM, "oom");
        }
        if ((rc = key_from_hex(sk, a)) == TK_OK &&
            (rc = tk_near_sign_transaction_b64(out, cap, hash, sizeof hash, sk, b, strlen(b))) ==
                TK_OK) {
            printf("ok %s %s\n", out, hash);
        }
        tk_wipe(sk, sizeof sk);
        free(out);
        return rc;
    }
    if (strcmp(cmd, "roundtrip") == 0) {
        tk_near_tx *tx = NULL;
        char *text = NULL;
        if ((rc = b64_decode_alloc(&bytes, &n, a)) == TK_OK &&
            (rc = tk_near_tx_decode_var(&tx, bytes, n)) == TK_OK) {
            re = malloc(n + 1);
            text = malloc(tk_base64_encoded_len(n) + 1);
            if (re == NULL || text == NULL) {
                rc = tk_fail(TK_ERR_NOMEM, "oom");
            } else if ((rc = tk_near_tx_encode_var(re, n + 1, &w, tx)) == TK_OK &&
                       (rc = tk_base64_encode(text, tk_base64_encoded_len(n) + 1, &n, re, w)) ==
                           TK_OK) {
                printf("ok %s\n", text);
            }
        }
        tk_near_tx_free(tx);
        free(text);
        free(re);
        free(bytes);
        return rc;
    }
    if ((strcmp(cmd, "nep413") == 0 && b != NULL) || (strcmp(cmd, "nep413v") == 0 && c != NULL)) {
        tk_near_nep413 msg;
        unsigned char sig[64];
        char sig64[100];
        int verify = cmd[6] == 'v';
        if ((rc = b64_decode_alloc(&bytes, &n, verify ? c : b)) == TK_OK &&
            (rc = tk_near_nep413_decode_var(&msg, bytes, n)) == TK_OK) {
            if (verify) {
                unsigned char pk[32];
                if ((rc = tk_hex_decode_exact(pk, 32, a, strlen(a), 0)) == TK_OK &&
                    (rc = tk_base64_decode(sig, sizeof sig, &n, b, strlen(b))) == TK_OK) {
                    rc = n != 64 ? tk_fail(TK_ERR_INPUT, "signature length")
                                 : tk_near_nep413_verify_var(sig, pk, &msg);
                }
                if (rc == TK_OK) {
                    printf("ok\n");
                }
            } else if ((rc = key_from_hex(sk, a)) == TK_OK &&
                       (rc = tk_near_nep413_sign(sig, sk, &msg)) == TK_OK &&
                       (rc = tk_base64_encode(sig64, sizeof sig64, &n, sig, 64)) == TK_OK) {
                printf("ok %s\n", sig64);
            }
        }
        tk_wipe(sk, sizeof sk);
        free(bytes);
        return rc;
    }
    return tk_fail(TK_ERR_ARG, "bad request %s", cmd);
}

int main(void)
{
    char *line = malloc(LINE_MAX_LEN);
    if (line == NULL || sodium_init() < 0) {
        return 1;
    }
    while (fgets(line, LINE_MAX_LEN, stdin) != NULL) {
        char *save = NULL, *cmd, *a, *b, *c;
        int rc;
        line[strcspn(line, "\r\n")] = '\0';
        cmd = strtok_r(line, " ", &save);
        a = strtok_r(NULL, " ", &save);
        b = strtok_r(NULL, " ", &save);
        c = strtok_r(NULL, " ", &save);
        rc = cmd == NULL || a == NULL ? tk_fail(TK_ERR_ARG, "bad request")
                                      : do_request(cmd, a, b, c);
        if (rc != TK_OK) {
            printf("err %d %s\n", rc, tk_errmsg());
        }
        fflush(stdout);
    }
    free(line);
    return 0;
}
