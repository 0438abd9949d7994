/*
 * Dealerless DKG math for teekeys' MPC nodes (include/teekeys/ckd_threshold.h): joint Feldman
 * VSS with commitments C_k = a_k·G2 — evaluating commitments at a participant id, checking a
 * received share, deciding complaints, aggregating the qualified dealers into the group key
 * and public shares, combining a receiver's final share, and the compressed wire form of the
 * commitments. Received shares are secret: they are only added and multiplied in constant time
 * and never leave through an error detail. The round protocol (who sends what when) is not here.
 */
#include <string.h>

#include "teekeys/ckd_threshold.h"

static int check_t(const tk_bls_g2 *commits, size_t t, const char *what)
{
    if (commits == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg %s: NULL commitments", what);
    }
    if (t == 0 || t > TK_CKD_MAX_PARTICIPANTS) {
        return tk_fail(TK_ERR_ARG, "ckd dkg %s: threshold %zu outside 1..%d", what, t,
                       TK_CKD_MAX_PARTICIPANTS);
    }
    return TK_OK;
}

int tk_ckd_dkg_commit_eval_var(tk_bls_g2 *out, const tk_bls_g2 *commits, size_t t, uint32_t id)
{
    tk_bls_scalar pw[TK_CKD_MAX_PARTICIPANTS], x;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg eval: NULL argument");
    }
    if ((rc = check_t(commits, t, "eval")) != TK_OK) {
        return rc;
    }
    if (id == 0) {
        return tk_fail(TK_ERR_ARG, "ckd dkg eval: participant id 0 is not allowed");
    }
    tk_bls_scalar_from_u64(&x, id);
    tk_bls_scalar_from_u64(&pw[0], 1);
    for (size_t k = 1; k < t; k++) {
        tk_bls_scalar_mul(&pw[k], &pw[k - 1], &x);
    }
    return tk_bls_g2_msm_var(out, commits, pw, t);
}

int tk_ckd_dkg_share_verify(const tk_bls_scalar *share, uint32_t receiver, const tk_bls_g2 *commits,
                            size_t t)
{
    tk_bls_g2 expect, got;
    int rc, ok;
    if (share == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg share verify: NULL argument");
    }
    if ((rc = tk_ckd_dkg_commit_eval_var(&expect, commits, t, receiver)) != TK_OK) {
        return rc;
    }
    tk_bls_g2_generator(&got);
    tk_bls_g2_mul(&got, &got, share); /* constant-time in the share */
    ok = tk_bls_g2_eq(&got, &expect);
    tk_declassify(&ok, sizeof ok); /* whether a share matches is published as a complaint */
    tk_wipe(&got, sizeof got);
    if (!ok) {
        return tk_fail(TK_ERR_CRYPTO,
                       "ckd dkg: the share for participant %u does not match the "
                       "dealer's commitments",
                       (unsigned)receiver);
    }
    return TK_OK;
}

int tk_ckd_dkg_complaint_resolve_var(tk_ckd_fault *fault, const tk_bls_scalar *revealed,
                                     uint32_t complainer, const tk_bls_g2 *commits, size_t t)
{
    tk_bls_g2 expect, got;
    int rc;
    if (fault == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg complaint: NULL argument");
    }
    if ((rc = tk_ckd_dkg_commit_eval_var(&expect, commits, t, complainer)) != TK_OK) {
        return rc;
    }
    if (revealed == NULL) { /* a dealer that does not answer a complaint is disqualified */
        *fault = TK_CKD_FAULT_DEALER;
        return TK_OK;
    }
    tk_bls_g2_generator(&got);
    tk_bls_g2_mul_var(&got, &got, revealed); /* the revealed share is public now */
    *fault = tk_bls_g2_eq(&got, &expect) ? TK_CKD_FAULT_COMPLAINER : TK_CKD_FAULT_DEALER;
    return TK_OK;
}

int tk_ckd_dkg_aggregate_var(tk_bls_g2 *agg, const tk_bls_g2 *commits, size_t dealers, size_t t,
                             const unsigned char *qualified)
{
    size_t used = 0;
    int rc;
    if (agg == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg aggregate: NULL argument");
    }
    if ((rc = check_t(commits, t, "aggregate")) != TK_OK) {
        return rc;
    }
    if (dealers > TK_CKD_MAX_PARTICIPANTS) {
        return tk_fail(TK_ERR_RANGE, "ckd dkg aggregate: %zu dealers, at most %d", dealers,
                       TK_CKD_MAX_PARTICIPANTS);
    }
    for (size_t k = 0; k < t; k++) {
        tk_bls_g2_identity(&agg[k]);
    }
    for (size_t i = 0; i < dealers; i++) {
        if (qualified != NULL && !qualified[i]) {
            continue;
        }
        for (size_t k = 0; k < t; k++) {
            tk_bls_g2_add(&agg[k], &agg[k], &commits[i * t + k]);
        }
        used++;
    }
    if (used == 0) {
        return tk_fail(TK_ERR_RANGE, "ckd dkg aggregate: no qualified dealer");
    }
    return TK_OK;
}

int tk_ckd_dkg_share_combine(tk_bls_scalar *share, const tk_bls_scalar *received, size_t dealers,
                             const unsigned char *qualified)
{
    tk_bls_scalar acc;
    size_t used = 0;
    if (share == NULL || received == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg combine: NULL argument");
    }
    memset(&acc, 0, sizeof acc);
    for (size_t i = 0; i < dealers; i++) {
        if (qualified != NULL && !qualified[i]) { /* the qualified set is public */
            continue;
        }
        tk_bls_scalar_add(&acc, &acc, &received[i]);
        used++;
    }
    if (used == 0) {
        tk_wipe(&acc, sizeof acc);
        return tk_fail(TK_ERR_RANGE, "ckd dkg combine: no qualified dealer");
    }
    *share = acc;
    tk_wipe(&acc, sizeof acc);
    return TK_OK;
}

int tk_ckd_dkg_commitments_encode(unsigned char *out, size_t out_cap, size_t *out_len,
                                  const tk_bls_g2 *commits, size_t t)
{
    int rc;
    if (out == NULL || out_len == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg encode: NULL argument");
    }
    *out_len = 0;
    if ((rc = check_t(commits, t, "encode")) != TK_OK) {
        return rc;
    }
    if (out_cap < t * TK_CKD_COMMITMENT_LEN) {
        return tk_fail(TK_ERR_BUFFER, "ckd dkg encode: %zu bytes needed",
                       t * TK_CKD_COMMITMENT_LEN);
    }
    for (size_t k = 0; k < t; k++) {
        tk_bls_g2_compress(out + k * TK_CKD_COMMITMENT_LEN, &commits[k]);
    }
    *out_len = t * TK_CKD_COMMITMENT_LEN;
    return TK_OK;
}

int tk_ckd_dkg_commitments_decode(tk_bls_g2 *commits, size_t cap, size_t *t,
                                  const unsigned char *in, size_t in_len)
{
    size_t n;
    if (commits == NULL || t == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd dkg decode: NULL argument");
    }
    *t = 0;
    n = in_len / TK_CKD_COMMITMENT_LEN;
    if (in_len % TK_CKD_COMMITMENT_LEN != 0 || n == 0 || n > TK_CKD_MAX_PARTICIPANTS) {
        return tk_fail(TK_ERR_INPUT, "ckd dkg decode: %zu bytes is not 96·t with 1 <= t <= %d",
                       in_len, TK_CKD_MAX_PARTICIPANTS);
    }
    if (n > cap) {
        return tk_fail(TK_ERR_BUFFER, "ckd dkg decode: %zu commitments, room for %zu", n, cap);
    }
    for (size_t k = 0; k < n; k++) {
        if (tk_bls_g2_decode(&commits[k], in + k * TK_CKD_COMMITMENT_LEN, TK_CKD_COMMITMENT_LEN) !=
            TK_OK) {
            return tk_fail(TK_ERR_INPUT, "ckd dkg decode: commitment %zu: %s", k, tk_errmsg());
        }
        if (tk_bls_g2_is_identity(&commits[k])) {
            return tk_fail(TK_ERR_INPUT, "ckd dkg decode: commitment %zu is the identity", k);
        }
    }
    *t = n;
    return TK_OK;
}
