/*
 * Line-oriented bridge to the solana module for tests/oracle/sol_check.mjs (test only, never
 * installed). One request per stdin line, one answer per stdout line:
 *   sign <seed hex> <wire tx base64>   -> ok <signature base58> <signed tx base64>
 *   msg <seed hex> <text hex>          -> ok <signature base58>
 * Failures answer `err <status> <detail>`. Keys come from test seeds and are wiped after use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/solana.h"

static char line[1 << 18];

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

static void answer(int rc)
{
    if (rc != TK_OK) {
        printf("err %d %s\n", rc, tk_errmsg());
    }
}

int main(void)
{
    if (sodium_init() < 0) {
        return 1;
    }
    while (fgets(line, sizeof line, stdin) != NULL) {
        char *save = NULL, *cmd, *a, *b;
        unsigned char sk[64];
        int rc;
        line[strcspn(line, "\r\n")] = '\0';
        cmd = strtok_r(line, " ", &save);
        a = strtok_r(NULL, " ", &save);
        b = strtok_r(NULL, " ", &save);
        if (cmd == NULL || a == NULL || b == NULL) {
            printf("err %d bad request\n", TK_ERR_ARG);
            continue;
        }
        if ((rc = key_from_hex(sk, a)) != TK_OK) {
            answer(rc);
            continue;
        }
        if (strcmp(cmd, "sign") == 0) {
            char sig[TK_SOL_SIGNATURE_B58_MAX], tx[TK_SOL_TX_B64_MAX];
            rc = tk_sol_sign_transaction_b64(sig, sizeof sig, tx, sizeof tx, sk, b, strlen(b));
            if (rc == TK_OK) {
                printf("ok %s %s\n", sig, tx);
            }
        } else if (strcmp(cmd, "msg") == 0) {
            static unsigned char text[TK_SOL_TEXT_MAX + 1];
            unsigned char sig[64];
            char sig58[TK_SOL_SIGNATURE_B58_MAX];
            size_t n = 0, m;
            rc = strcmp(b, "-") == 0 ? TK_OK : tk_hex_decode(text, sizeof text, &n, b, strlen(b));
            if (rc == TK_OK &&
                (rc = tk_sol_sign_message(sig, sk, (const char *)text, n)) == TK_OK &&
                (rc = tk_base58_encode(sig58, sizeof sig58, &m, sig, sizeof sig)) == TK_OK) {
                printf("ok %s\n", sig58);
            }
        } else {
            rc = tk_fail(TK_ERR_ARG, "unknown command %s", cmd);
        }
        tk_wipe(sk, sizeof sk);
        answer(rc);
        fflush(stdout);
    }
    return 0;
}
