/*
 * Threshold math of NEAR CKD for teekeys' MPC nodes (include/teekeys/ckd_threshold.h):
 * secret polynomials in guarded memory, Shamir split/combine, Lagrange coefficients at 0, a
 * node's partial (Y_i, C_i), the coordinator's sum, the PV per-partial check and the two
 * pairing checks of the MPC contract. Shares, coefficients and the nonces y_i are secret: only
 * constant-time scalar and point operations touch them, and every temporary holding them is
 * wiped. Nothing here may branch on, index by or report a secret value.
 */
#include <stdlib.h>
#include <string.h>

#include "teekeys/ckd_threshold.h"

struct tk_ckd_poly {
    size_t t;
    tk_bls_scalar a[]; /* a[0] = f(0) */
};

/* ---- polynomials ---- */

int tk_ckd_poly_new(tk_ckd_poly **out, size_t t, const tk_bls_scalar *secret)
{
    tk_ckd_poly *p;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd poly: NULL argument");
    }
    *out = NULL;
    if (t == 0 || t > TK_CKD_MAX_PARTICIPANTS) {
        return tk_fail(TK_ERR_RANGE, "ckd poly: threshold %zu outside 1..%d", t,
                       TK_CKD_MAX_PARTICIPANTS);
    }
    p = tk_secure_alloc(sizeof *p + t * sizeof p->a[0]);
    if (p == NULL) {
        return tk_fail(TK_ERR_NOMEM, "ckd poly: out of guarded memory");
    }
    p->t = t;
    if (secret != NULL) {
        p->a[0] = *secret;
    } else {
        tk_bls_scalar_random(&p->a[0]);
    }
    for (size_t k = 1; k < t; k++) {
        tk_bls_scalar_random(&p->a[k]);
    }
    *out = p;
    return TK_OK;
}

void tk_ckd_poly_free(tk_ckd_poly *p)
{
    tk_secure_free(p); /* wipes */
}

size_t tk_ckd_poly_threshold(const tk_ckd_poly *p)
{
    return p == NULL ? 0 : p->t;
}

int tk_ckd_poly_eval(tk_bls_scalar *out, const tk_ckd_poly *p, uint32_t id)
{
    tk_bls_scalar x, acc;
    if (out == NULL || p == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd poly eval: NULL argument");
    }
    if (id == 0) {
        return tk_fail(TK_ERR_ARG, "ckd poly eval: participant id 0 is not allowed");
    }
    tk_bls_scalar_from_u64(&x, id);
    acc = p->a[p->t - 1];
    for (size_t k = p->t - 1; k-- > 0;) { /* Horner: acc = acc·x + a_k */
        tk_bls_scalar_mul(&acc, &acc, &x);
        tk_bls_scalar_add(&acc, &acc, &p->a[k]);
    }
    *out = acc;
    tk_wipe(&acc, sizeof acc);
    return TK_OK;
}

int tk_ckd_poly_commit(tk_bls_g2 *commits, size_t t, const tk_ckd_poly *p)
{
    tk_bls_g2 g;
    if (commits == NULL || p == NULL || t != p->t) {
        return tk_fail(TK_ERR_ARG, "ckd poly commit: NULL argument or wrong threshold");
    }
    tk_bls_g2_generator(&g);
    for (size_t k = 0; k < t; k++) {
        tk_bls_g2_mul(&commits[k], &g, &p->a[k]);
    }
    return TK_OK;
}

/* ---- Shamir and Lagrange ---- */

/* Ids are public: 1..TK_CKD_MAX_PARTICIPANTS of them, non-zero and distinct. */
static int check_ids(const uint32_t *ids, size_t count)
{
    if (count == 0 || count > TK_CKD_MAX_PARTICIPANTS) {
        return tk_fail(TK_ERR_RANGE, "ckd: %zu participants, expected 1..%d", count,
                       TK_CKD_MAX_PARTICIPANTS);
    }
    for (size_t i = 0; i < count; i++) {
        if (ids[i] == 0) {
            return tk_fail(TK_ERR_INPUT, "ckd: participant id 0 at index %zu", i);
        }
        for (size_t j = 0; j < i; j++) {
            if (ids[j] == ids[i]) {
                return tk_fail(TK_ERR_INPUT, "ckd: participant id %u repeated (index %zu)",
                               (unsigned)ids[i], i);
            }
        }
    }
    return TK_OK;
}

/* lambda of ids[idx] in the (already checked) set. */
static int lagrange_checked(tk_bls_scalar *lambda, const uint32_t *ids, size_t count, size_t idx)
{
    tk_bls_scalar num, den, xi, xj, d;
    tk_bls_scalar_from_u64(&num, 1);
    tk_bls_scalar_from_u64(&den, 1);
    tk_bls_scalar_from_u64(&xi, ids[idx]);
    for (size_t j = 0; j < count; j++) {
        if (j == idx) {
            continue;
        }
        tk_bls_scalar_from_u64(&xj, ids[j]);
        tk_bls_scalar_mul(&num, &num, &xj);
        tk_bls_scalar_sub(&d, &xj, &xi);
        tk_bls_scalar_mul(&den, &den, &d);
    }
    if (tk_bls_scalar_inv(&den, &den) != TK_OK) { /* distinct ids below r: impossible */
        return tk_fail(TK_ERR_INTERNAL, "ckd lagrange: zero denominator");
    }
    tk_bls_scalar_mul(lambda, &num, &den);
    return TK_OK;
}

int tk_ckd_lagrange_at_zero(tk_bls_scalar *lambda, const uint32_t *ids, size_t count, uint32_t id)
{
    int rc;
    if (lambda == NULL || ids == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd lagrange: NULL argument");
    }
    if ((rc = check_ids(ids, count)) != TK_OK) {
        return rc;
    }
    for (size_t i = 0; i < count; i++) {
        if (ids[i] == id) {
            return lagrange_checked(lambda, ids, count, i);
        }
    }
    return tk_fail(TK_ERR_INPUT, "ckd lagrange: participant %u is not in the set", (unsigned)id);
}

int tk_ckd_shamir_split(tk_bls_scalar *shares, size_t n, const tk_bls_scalar *secret, size_t t)
{
    tk_ckd_poly *f = NULL;
    int rc;
    if (shares == NULL || secret == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd shamir split: NULL argument");
    }
    if (n == 0 || n > TK_CKD_MAX_PARTICIPANTS || t == 0 || t > n) {
        return tk_fail(TK_ERR_RANGE, "ckd shamir split: need 1 <= t <= n <= %d (t %zu, n %zu)",
                       TK_CKD_MAX_PARTICIPANTS, t, n);
    }
    if ((rc = tk_ckd_poly_new(&f, t, secret)) != TK_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = tk_ckd_poly_eval(&shares[i], f, (uint32_t)(i + 1))) != TK_OK) {
            goto cleanup;
        }
    }
cleanup:
    tk_ckd_poly_free(f);
    if (rc != TK_OK) {
        tk_wipe(shares, n * sizeof shares[0]);
    }
    return rc;
}

int tk_ckd_shamir_combine(tk_bls_scalar *secret, const uint32_t *ids, const tk_bls_scalar *shares,
                          size_t count)
{
    tk_bls_scalar acc, lambda, term;
    int rc;
    if (secret == NULL || ids == NULL || shares == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd shamir combine: NULL argument");
    }
    if ((rc = check_ids(ids, count)) != TK_OK) {
        return rc;
    }
    memset(&acc, 0, sizeof acc);
    for (size_t i = 0; i < count; i++) {
        if ((rc = lagrange_checked(&lambda, ids, count, i)) != TK_OK) {
            goto cleanup;
        }
        tk_bls_scalar_mul(&term, &lambda, &shares[i]);
        tk_bls_scalar_add(&acc, &acc, &term);
    }
    *secret = acc;
cleanup:
    tk_wipe(&acc, sizeof acc);
    tk_wipe(&term, sizeof term);
    return rc;
}

/* ---- partials ---- */

static int check_g1_input(const tk_bls_g1 *p, const char *what)
{
    if (tk_bls_g1_is_identity(p) || !tk_bls_g1_is_on_curve(p) || !tk_bls_g1_in_subgroup_var(p)) {
        return tk_fail(TK_ERR_INPUT, "ckd partial: %s is the identity or not in G1", what);
    }
    return TK_OK;
}

int tk_ckd_partial_compute(tk_ckd_partial *out, const tk_bls_scalar *share,
                           const tk_bls_scalar *lambda, const tk_bls_g1 *hash_point,
                           const tk_bls_g1 *app_pk)
{
    tk_bls_scalar y, ly, lx;
    tk_bls_g1 g, t1, t2;
    int rc;
    if (out == NULL || share == NULL || lambda == NULL || hash_point == NULL || app_pk == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd partial: NULL argument");
    }
    if ((rc = check_g1_input(hash_point, "hash point")) != TK_OK ||
        (rc = check_g1_input(app_pk, "app public key")) != TK_OK) {
        return rc;
    }
    tk_bls_scalar_random(&y);
    tk_bls_scalar_mul(&ly, lambda, &y);
    tk_bls_scalar_mul(&lx, lambda, share);
    tk_bls_g1_generator(&g);
    tk_bls_g1_mul(&out->big_y, &g, &ly);  /* lambda·y·G1 */
    tk_bls_g1_mul(&t1, hash_point, &lx);  /* lambda·x·H */
    tk_bls_g1_mul(&t2, app_pk, &ly);      /* lambda·y·A */
    tk_bls_g1_add(&out->big_c, &t1, &t2); /* lambda·(x·H + y·A) */
    tk_wipe(&y, sizeof y);
    tk_wipe(&ly, sizeof ly);
    tk_wipe(&lx, sizeof lx);
    tk_wipe(&t1, sizeof t1);
    tk_wipe(&t2, sizeof t2);
    return TK_OK;
}

int tk_ckd_partial_sum(tk_bls_g1 *big_y, tk_bls_g1 *big_c, const tk_ckd_partial *parts,
                       size_t count)
{
    tk_bls_g1 y, c;
    if (big_y == NULL || big_c == NULL || parts == NULL || count == 0) {
        return tk_fail(TK_ERR_ARG, "ckd partial sum: NULL argument or no partials");
    }
    y = parts[0].big_y;
    c = parts[0].big_c;
    for (size_t i = 1; i < count; i++) {
        tk_bls_g1_add(&y, &y, &parts[i].big_y);
        tk_bls_g1_add(&c, &c, &parts[i].big_c);
    }
    *big_y = y;
    *big_c = c;
    return TK_OK;
}

/* 1 if e(C, G2) == e(Y, pk2)·e(H, X) (X already carries lambda), else 0. */
static int pv_equation(const tk_bls_g1 *c, const tk_bls_g1 *y, const tk_bls_g1 *h,
                       const tk_bls_g2 *pk2, const tk_bls_g2 *x)
{
    tk_bls_g1 p[3];
    tk_bls_g2 q[3];
    tk_bls_g1_neg(&p[0], c);
    tk_bls_g2_generator(&q[0]);
    p[1] = *y;
    q[1] = *pk2;
    p[2] = *h;
    q[2] = *x;
    return tk_bls_pairing_check(p, q, 3) == 1;
}

int tk_ckd_partials_verify_var(size_t *bad_index, const tk_ckd_partial *parts,
                               const tk_bls_g2 *public_shares, const uint32_t *ids, size_t count,
                               const tk_bls_g1 *hash_point, const tk_bls_g2 *app_pk2)
{
    tk_bls_scalar *lambda = NULL, *r = NULL, *rl = NULL;
    tk_bls_g1 *ys = NULL, *cs = NULL, ysum, csum;
    tk_bls_g2 xsum;
    int rc;
    if (bad_index == NULL || parts == NULL || public_shares == NULL || ids == NULL ||
        hash_point == NULL || app_pk2 == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd partials verify: NULL argument");
    }
    *bad_index = count;
    if ((rc = check_ids(ids, count)) != TK_OK) {
        return rc;
    }
    lambda = calloc(count, sizeof *lambda);
    r = calloc(count, sizeof *r);
    rl = calloc(count, sizeof *rl);
    ys = calloc(count, sizeof *ys);
    cs = calloc(count, sizeof *cs);
    if (lambda == NULL || r == NULL || rl == NULL || ys == NULL || cs == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "ckd partials verify: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < count; i++) {
        unsigned char rb[16];
        if ((rc = lagrange_checked(&lambda[i], ids, count, i)) != TK_OK) {
            goto cleanup;
        }
        /* 128-bit random weights: a wrong partial passes the batch with probability 2^-128 */
        tk_random(rb, sizeof rb);
        if ((rc = tk_bls_scalar_from_wide(&r[i], rb, sizeof rb)) != TK_OK) {
            goto cleanup;
        }
        tk_bls_scalar_mul(&rl[i], &r[i], &lambda[i]);
        ys[i] = parts[i].big_y;
        cs[i] = parts[i].big_c;
    }
    if (count > 1) {
        if ((rc = tk_bls_g1_msm_var(&ysum, ys, r, count)) != TK_OK ||
            (rc = tk_bls_g1_msm_var(&csum, cs, r, count)) != TK_OK ||
            (rc = tk_bls_g2_msm_var(&xsum, public_shares, rl, count)) != TK_OK) {
            goto cleanup;
        }
        if (pv_equation(&csum, &ysum, hash_point, app_pk2, &xsum)) {
            rc = TK_OK;
            goto cleanup;
        }
    }
    for (size_t i = 0; i < count; i++) {
        tk_bls_g2 lx;
        tk_bls_g2_mul_var(&lx, &public_shares[i], &lambda[i]);
        if (!pv_equation(&parts[i].big_c, &parts[i].big_y, hash_point, app_pk2, &lx)) {
            *bad_index = i;
            rc = tk_fail(TK_ERR_CRYPTO, "ckd: partial %zu (participant %u) is wrong", i,
                         (unsigned)ids[i]);
            goto cleanup;
        }
    }
    if (count > 1) { /* the batch failed but every partial passed: points outside G1/G2 */
        rc = tk_fail(TK_ERR_CRYPTO, "ckd: partials fail together but not one by one");
        goto cleanup;
    }
    rc = TK_OK;
cleanup:
    free(lambda);
    free(r);
    free(rl);
    free(ys);
    free(cs);
    return rc;
}

int tk_ckd_pv_check_app_key_var(const tk_bls_g1 *pk1, const tk_bls_g2 *pk2)
{
    tk_bls_g1 p[2];
    tk_bls_g2 q[2];
    if (pk1 == NULL || pk2 == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd app key check: NULL argument");
    }
    if (tk_bls_g1_is_identity(pk1) || tk_bls_g2_is_identity(pk2)) {
        return tk_fail(TK_ERR_INPUT, "ckd app key check: identity point");
    }
    tk_bls_g1_neg(&p[0], pk1);
    tk_bls_g2_generator(&q[0]);
    tk_bls_g1_generator(&p[1]);
    q[1] = *pk2;
    if (tk_bls_pairing_check(p, q, 2) != 1) {
        return tk_fail(TK_ERR_CRYPTO, "ckd app key check: pk1 and pk2 have different scalars");
    }
    return TK_OK;
}

int tk_ckd_pv_check_response_var(const tk_bls_g1 *big_y, const tk_bls_g1 *big_c,
                                 const tk_bls_g1 *hash_point, const tk_bls_g2 *pk,
                                 const tk_bls_g2 *app_pk2)
{
    if (big_y == NULL || big_c == NULL || hash_point == NULL || pk == NULL || app_pk2 == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd response check: NULL argument");
    }
    if (!pv_equation(big_c, big_y, hash_point, app_pk2, pk)) {
        return tk_fail(TK_ERR_CRYPTO, "ckd response check: e(C, G2) != e(Y, pk2)·e(H, pk)");
    }
    return TK_OK;
}
