/*
 * Constant-time check of the BLS12-381 secret paths and of CKD unmasking (in the style of
 * libsecp256k1's ctime_tests): secret scalars are marked undefined for valgrind's memcheck, then
 * tk_bls_scalar_from_bytes, tk_bls_g1_mul, tk_bls_g2_mul, point compression, key pair creation
 * and tk_ckd_unmask (sig = C - a·Y, the pairing check on sig, compress48(sig), HKDF) run on
 * them. Any branch or memory index that depends on a secret makes memcheck report
 * "conditional jump depends on uninitialised value(s)" and the run fails. Only facts that are
 * public by design are declassified, by the library itself (tk_declassify): whether a scalar is
 * in range or zero, the public key encodings, whether sig is the identity and whether the
 * pairing check passed. The official NEAR vector V1 is the data, so the run also proves the
 * secret paths computed the right answer. Run: valgrind --error-exitcode=42 ctime_bls
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "teekeys/ckd.h"
#include "teekeys/encoding.h"

/* ../shared/vectors/ckd.json, V1 */
static const char v1_a[] = "03eb678530e40762c0e94bad392207830268e73379c460f09ae7a621c9120bfd";
static const char v1_msk[] = "13e0c575c3ac888bf8815e0ed50166ed3560ffbe9fcf5917551d3bd56be291f8";
static const char v1_app_id[] = "c7dba29ba7ae16fd28796c2f508bc11d571c38341ce55d243b3c72cf02e0a2fd";
static const char v1_pk[] =
    "acd353f38a555fa11a929f391a19240d6b24d4f721db16db3fad73a3d29ce7220142cd69b8665d510af239b91f8c9"
    "8140f651de3bd6be6061f03c9b21438f444f965fd6e1d0afdc44b66f16cd217fb02ad2f0409b51b98af54551781a4"
    "8a6707";
static const char v1_big_y[] =
    "8c17ae06c27665ea865ab90226fa869c442238451f3cfc8e15ed49e8843c0a69a9949"
    "faecd0291c2849893b386ae2d12";
static const char v1_big_c[] =
    "8967b5a379290b42c371a312d5c824f47c4c1b0ab09cc09da60fe4155448e6fbd77f1"
    "34c5f66ca7545e4457baffd269e";
static const char v1_s[] = "33822e831b341a7ea0d87eb08db77155327776e9ec7dd569d52fd202fe0f9c27";

static int unhex(unsigned char *out, size_t n, const char *hex)
{
    return tk_hex_decode_exact(out, n, hex, strlen(hex), 0) == TK_OK;
}

int main(void)
{
    unsigned char *a, *msk, app_id[32], raw[96], s[32], out[32], c1[48], c2[96];
    tk_bls_scalar *k;
    tk_bls_g1 g1, p1, y, c;
    tk_bls_g2 g2, p2, pk;
    tk_ckd_keypair *kp = NULL;

    if (tk_init() != TK_OK) {
        return 1;
    }
    a = tk_secure_alloc(32);
    msk = tk_secure_alloc(32);
    k = tk_secure_alloc(sizeof *k);
    if (a == NULL || msk == NULL || k == NULL || !unhex(a, 32, v1_a) || !unhex(msk, 32, v1_msk) ||
        !unhex(app_id, 32, v1_app_id) || !unhex(s, 32, v1_s)) {
        return 1;
    }
    if (!unhex(raw, 96, v1_pk) || tk_bls_g2_decode(&pk, raw, 96) != TK_OK ||
        !unhex(raw, 48, v1_big_y) || tk_bls_g1_decode(&y, raw, 48) != TK_OK ||
        !unhex(raw, 48, v1_big_c) || tk_bls_g1_decode(&c, raw, 48) != TK_OK) {
        return 1;
    }

    /* the group primitives on a secret scalar: decode, G1 and G2 multiplication, compression */
    VALGRIND_MAKE_MEM_UNDEFINED(a, 32);
    VALGRIND_MAKE_MEM_UNDEFINED(msk, 32);
    if (tk_bls_scalar_from_bytes(k, a) != TK_OK) {
        return 1;
    }
    tk_bls_g1_generator(&g1);
    tk_bls_g1_mul(&p1, &g1, k);
    tk_bls_g1_compress(c1, &p1);
    if (tk_bls_scalar_from_bytes(k, msk) != TK_OK) {
        return 1;
    }
    tk_bls_g2_generator(&g2);
    tk_bls_g2_mul(&p2, &g2, k);
    tk_bls_g2_compress(c2, &p2);
    /* msk·G2 is the public pk: check it (declassified here, in the test, after the fact) */
    VALGRIND_MAKE_MEM_DEFINED(c2, sizeof c2);
    tk_bls_g2_compress(raw, &pk);
    if (memcmp(c2, raw, 96) != 0) {
        fprintf(stderr, "ctime_bls: msk·G2 != pk\n");
        return 1;
    }
    VALGRIND_MAKE_MEM_DEFINED(c1, sizeof c1);

    /* CKD: key pair from the secret a, then the whole unmasking */
    VALGRIND_MAKE_MEM_UNDEFINED(a, 32);
    if (tk_ckd_keypair_from_scalar(&kp, a) != TK_OK) {
        return 1;
    }
    tk_ckd_keypair_public(&p1, NULL, kp);
    tk_bls_g1_compress(raw, &p1); /* public: must not carry undefined bits */
    if (memcmp(raw, c1, 48) != 0) {
        fprintf(stderr, "ctime_bls: key pair public key != a·G1\n");
        return 1;
    }
    if (tk_ckd_unmask(out, kp, &pk, app_id, &y, &c) != TK_OK) {
        fprintf(stderr, "ctime_bls: unmask failed: %s\n", tk_errmsg());
        return 1;
    }
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof out);
    if (memcmp(out, s, 32) != 0) {
        fprintf(stderr, "ctime_bls: wrong CKD secret\n");
        return 1;
    }
    /* a failing pairing check (C and Y swapped) must not branch on sig either */
    if (tk_ckd_unmask(out, kp, &pk, app_id, &c, &y) != TK_ERR_CRYPTO) {
        return 1;
    }
    tk_ckd_keypair_free(kp);
    tk_secure_free(a);
    tk_secure_free(msk);
    tk_secure_free(k);
    printf("ctime_bls: done\n");
    return 0;
}
