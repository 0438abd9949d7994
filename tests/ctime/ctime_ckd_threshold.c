/*
 * Constant-time check of the CKD threshold math's secret paths (in the style of libsecp256k1's
 * ctime_tests): the master key, the polynomial coefficients (through the shares they produce)
 * and every share are marked undefined for valgrind's memcheck, then Shamir split and
 * combine, polynomial evaluation and commitment, a node's partial, the DKG share check and the
 * share combination run on them. Any branch or memory index that depends on a secret makes
 * memcheck report "conditional jump depends on uninitialised value(s)" and the run fails.
 * Only public-by-design values are declassified: the partials and commitments (they are sent)
 * and whether a DKG share matched (it is published as a complaint). The run also checks the
 * results, so the secret paths are known to compute the right thing.
 * Run: valgrind --error-exitcode=42 ctime_ckd_threshold
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "teekeys/ckd_threshold.h"

#define N 5
#define T 3

int main(void)
{
    static const char dst[] = "ctime ckd threshold";
    const uint32_t ids[T] = {1, 3, 5};
    tk_bls_scalar *sec, msk, shares[N], sub[T], back, lambda, x;
    tk_bls_g1 h, g1, a1, y, c, sig, want;
    tk_bls_g2 g2, a2, commits[T], xs[T];
    tk_ckd_partial parts[T];
    tk_ckd_poly *f = NULL;
    size_t bad;
    int ok = 1;

    if (tk_init() != TK_OK || (sec = tk_secure_alloc(2 * sizeof *sec)) == NULL) {
        return 1;
    }
    tk_bls_scalar_from_u64(&sec[0], 0x1234567890abcdefULL); /* msk */
    tk_bls_scalar_from_u64(&sec[1], 0x0fedcba987654321ULL); /* the app's a (public here) */
    msk = sec[0];
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_g1_mul_var(&a1, &g1, &sec[1]);
    tk_bls_g2_mul_var(&a2, &g2, &sec[1]);
    if (tk_bls_hash_to_g1(&h, "m", 1, dst, sizeof dst - 1) != TK_OK) {
        return 1;
    }

    /* Shamir split and combine with a secret master key */
    VALGRIND_MAKE_MEM_UNDEFINED(&msk, sizeof msk);
    if (tk_ckd_shamir_split(shares, N, &msk, T) != TK_OK) {
        return 1;
    }
    for (size_t i = 0; i < T; i++) {
        sub[i] = shares[ids[i] - 1];
    }
    VALGRIND_MAKE_MEM_UNDEFINED(sub, sizeof sub);
    if (tk_ckd_shamir_combine(&back, ids, sub, T) != TK_OK) {
        return 1;
    }
    VALGRIND_MAKE_MEM_DEFINED(&back, sizeof back); /* only to check the result below */
    VALGRIND_MAKE_MEM_DEFINED(&msk, sizeof msk);
    ok &= tk_bls_scalar_eq(&back, &msk);

    /* each node's partial with a secret share */
    VALGRIND_MAKE_MEM_UNDEFINED(shares, sizeof shares);
    for (size_t i = 0; i < T; i++) {
        if (tk_ckd_lagrange_at_zero(&lambda, ids, T, ids[i]) != TK_OK ||
            tk_ckd_partial_compute(&parts[i], &shares[ids[i] - 1], &lambda, &h, &a1) != TK_OK) {
            return 1;
        }
    }
    VALGRIND_MAKE_MEM_DEFINED(parts, sizeof parts); /* partials are sent to the coordinator */
    VALGRIND_MAKE_MEM_DEFINED(shares, sizeof shares);
    for (size_t i = 0; i < T; i++) {
        tk_bls_g2_mul_var(&xs[i], &g2, &shares[ids[i] - 1]);
    }
    ok &= tk_ckd_partials_verify_var(&bad, parts, xs, ids, T, &h, &a2) == TK_OK;
    ok &= tk_ckd_partial_sum(&y, &c, parts, T) == TK_OK;
    tk_bls_g1_mul_var(&sig, &y, &sec[1]);
    tk_bls_g1_sub(&sig, &c, &sig);
    tk_bls_g1_mul_var(&want, &h, &msk);
    ok &= tk_bls_g1_eq(&sig, &want);

    /* a dealer: secret polynomial (a_0 = msk, marked secret), its commitments and shares; a
     * receiver's check and sum */
    VALGRIND_MAKE_MEM_UNDEFINED(&msk, sizeof msk);
    if (tk_ckd_poly_new(&f, T, &msk) != TK_OK) {
        return 1;
    }
    if (tk_ckd_poly_commit(commits, T, f) != TK_OK) {
        return 1;
    }
    VALGRIND_MAKE_MEM_DEFINED(commits, sizeof commits); /* broadcast */
    for (uint32_t j = 1; j <= N; j++) {
        if (tk_ckd_poly_eval(&x, f, j) != TK_OK) {
            return 1;
        }
        VALGRIND_MAKE_MEM_UNDEFINED(&x, sizeof x);
        ok &= tk_ckd_dkg_share_verify(&x, j, commits, T) == TK_OK;
        shares[j - 1] = x;
    }
    VALGRIND_MAKE_MEM_UNDEFINED(shares, sizeof shares);
    if (tk_ckd_dkg_share_combine(&x, shares, N, (const unsigned char *)"\1\0\1\1\0") != TK_OK) {
        return 1;
    }
    tk_ckd_poly_free(f);
    tk_wipe(shares, sizeof shares);
    tk_wipe(&msk, sizeof msk);
    tk_wipe(&x, sizeof x);
    tk_secure_free(sec);
    printf("ctime_ckd_threshold: %s\n", ok ? "done" : "WRONG RESULT");
    return ok ? 0 : 1;
}
