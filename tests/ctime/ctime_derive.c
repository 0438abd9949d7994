/*
 * Constant-time check (in the style of libsecp256k1's ctime_tests): the master secret is
 * marked undefined for valgrind's memcheck, then derivation runs for every family and the hex
 * codec handles the secret. Any branch or memory index that depends on the secret makes
 * memcheck report "conditional jump depends on uninitialised value(s)" and the run fails.
 * Values that are public by design (the public key, whether a secp256k1 scalar was in range)
 * are declassified explicitly. Run: valgrind --error-exitcode=42 ctime_derive
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "teekeys/derive.h"
#include "teekeys/encoding.h"

int main(void)
{
    static const tk_family fams[] = {TK_FAMILY_EVM, TK_FAMILY_BITCOIN, TK_FAMILY_BITCOIN_TEST,
                                     TK_FAMILY_SOLANA, TK_FAMILY_NEAR};
    unsigned char *master, back[32];
    char hex[65];
    tk_key key;
    size_t i;

    if (tk_init() != TK_OK || tk_key_init(&key) != TK_OK) {
        return 1;
    }
    master = tk_secure_alloc(32);
    if (master == NULL) {
        return 1;
    }
    memset(master, 0x42, 32);
    for (i = 0; i < sizeof fams / sizeof fams[0]; i++) {
        VALGRIND_MAKE_MEM_UNDEFINED(master, 32);
        if (tk_derive_key(&key, master, "alice.near", fams[i], "ctime") != TK_OK) {
            return 1;
        }
        VALGRIND_MAKE_MEM_DEFINED(key.public_key, sizeof key.public_key);
    }
    /* the hex codec carries master secrets in backup files */
    VALGRIND_MAKE_MEM_UNDEFINED(master, 32);
    if (tk_hex_encode(hex, sizeof hex, master, 32) != TK_OK ||
        tk_hex_decode_exact(back, 32, hex, 64, 0) != TK_OK) {
        return 1;
    }
    tk_key_free(&key);
    tk_secure_free(master);
    printf("ctime_derive: done\n");
    return 0;
}
