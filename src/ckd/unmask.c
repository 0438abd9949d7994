/*
 * CKD unmasking: sig = C - a·Y, the pairing check e(H, pk) == e(sig, G2) and the secret
 * HKDF-SHA256(compress48(sig)). Constant-time in a and sig: the only facts about them that
 * leave this file are whether sig is the identity and whether the pairing check passed (both
 * reported to the caller anyway, and declassified for the valgrind ctime test). Everything
 * derived from a, and sig, is wiped on every path.
 */
#include <string.h>

#include "internal.h"
#include "teekeys/hash.h"

int tk_ckd_unmask(unsigned char out[TK_CKD_SECRET_LEN], const tk_ckd_keypair *kp,
                  const tk_bls_g2 *pk, const unsigned char app_id[TK_CKD_APP_ID_LEN],
                  const tk_bls_g1 *big_y, const tk_bls_g1 *big_c)
{
    unsigned char ikm[TK_BLS_G1_COMPRESSED];
    tk_bls_g1 h, ay, sig, p[2];
    tk_bls_g2 q[2];
    int rc, inf, ok;

    if (out == NULL || kp == NULL || pk == NULL || app_id == NULL || big_y == NULL ||
        big_c == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_unmask: NULL argument");
    }
    memset(out, 0, TK_CKD_SECRET_LEN);
    /* public inputs, checked here as well as by the parsers: the GLV multiplication below is
     * only right for points of G1, and the pairing check only means something in G1 x G2 */
    if (tk_bls_g1_is_identity(big_y) || tk_bls_g1_is_identity(big_c) || tk_bls_g2_is_identity(pk)) {
        return tk_fail(TK_ERR_INPUT, "ckd: identity point in the MPC key or the response");
    }
    if (!tk_bls_g1_is_on_curve(big_y) || !tk_bls_g1_is_on_curve(big_c) ||
        !tk_bls_g2_is_on_curve(pk)) {
        return tk_fail(TK_ERR_INPUT, "ckd: a point is not on the curve");
    }
    if (!tk_bls_g1_in_subgroup_var(big_y) || !tk_bls_g1_in_subgroup_var(big_c) ||
        !tk_bls_g2_in_subgroup_var(pk)) {
        return tk_fail(TK_ERR_INPUT, "ckd: a point is not in the prime-order subgroup");
    }
    if ((rc = tk_ckd_hash_point(&h, pk, app_id)) != TK_OK) {
        return rc;
    }

    /* secret part: sig = C - a·Y */
    tk_bls_g1_mul(&ay, big_y, &kp->a);
    tk_bls_g1_sub(&sig, big_c, &ay);
    tk_wipe(&ay, sizeof ay);
    inf = tk_bls_g1_is_identity(&sig);
    tk_declassify(&inf, sizeof inf); /* refused below, and the caller learns it */
    if (inf) {
        rc = tk_fail(TK_ERR_INPUT, "ckd: the unmasked value is the identity (C = a·Y): a "
                                   "degenerate or forged response");
        goto done;
    }

    /* e(H, pk) · e(-sig, G2) == 1 */
    p[0] = h;
    q[0] = *pk;
    tk_bls_g1_neg(&p[1], &sig);
    tk_bls_g2_generator(&q[1]);
    ok = tk_bls_pairing_check(p, q, 2);
    tk_declassify(&ok, sizeof ok); /* pass or fail is the public outcome */
    if (ok != 1) {
        rc = ok < 0 ? ok
                    : tk_fail(TK_ERR_CRYPTO,
                              "ckd: pairing check failed: the response does not decrypt to "
                              "msk·H(pk, app_id) for this key pair (wrong MPC public key, "
                              "predecessor, path or ephemeral key, or a forged response)");
        goto done;
    }

    tk_bls_g1_compress(ikm, &sig);
    rc = tk_hkdf_sha256(out, TK_CKD_SECRET_LEN, NULL, 0, ikm, sizeof ikm, "", 0);
done:
    tk_wipe(ikm, sizeof ikm);
    tk_wipe(&sig, sizeof sig);
    tk_wipe(p, sizeof p);
    if (rc != TK_OK) {
        tk_wipe(out, TK_CKD_SECRET_LEN);
    }
    return rc;
}
