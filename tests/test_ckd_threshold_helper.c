/*
 * Test helper for tests/oracle/ckd_threshold.mjs: reads one JSON request per line on stdin and
 * writes one JSON answer per line, so that an independent implementation (@noble/curves) can
 * drive the bls12_381 group operations and the ckd threshold math. Scalars are 32-byte
 * big-endian hex, points compressed ZCash hex. Requests ("op"):
 *   g1 / g2        {p, q, k}                → {mul, mul_var, add, sub, dbl, neg}
 *   pairing_check  {g1: [..], g2: [..]}     → {result: bool}
 *   lagrange       {ids: [..]}              → {lambdas: [..]}
 *   ckd_run        {msk, a, app_id, t, n, signers: [ids], corrupt?: {index, what: "Y"|"C"}}
 *                  → {pk, h, a1, a2, shares, public_shares, lambdas, partials: [{y, c}],
 *                     verify: {ok, bad}, big_y, big_c, response_ok, app_key_ok, sig, combined}
 *   ckd_verify     {h, pk, a2, ids, public_shares, partials} → {verify: {ok, bad}, big_y,
 *                     big_c, response_ok}
 *   dkg            {t, n}                   → {commitments: [hex of 96·t bytes], sent: [[..]],
 *                     shares, pk, public_shares}
 * Failures answer {"ok": false, "error": "<detail>"}. Test values only: never a real key.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/bls12_381.h"
#include "teekeys/ckd_threshold.h"
#include "teekeys/encoding.h"
#include "util_jsonl.h"

#define MAXN 32 /* the oracle's sets stay small */

static const char dst[] = "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_";

static json_t *hexj(const unsigned char *b, size_t n)
{
    char h[2 * TK_CKD_COMMITMENT_LEN * MAXN + 1];
    if (tk_hex_encode(h, sizeof h, b, n) != TK_OK) {
        return NULL;
    }
    return json_string(h);
}

static json_t *scalar_j(const tk_bls_scalar *k)
{
    unsigned char b[32];
    tk_bls_scalar_to_bytes(b, k);
    return hexj(b, sizeof b);
}

static json_t *g1_j(const tk_bls_g1 *p)
{
    unsigned char b[48];
    tk_bls_g1_compress(b, p);
    return hexj(b, sizeof b);
}

static json_t *g2_j(const tk_bls_g2 *p)
{
    unsigned char b[96];
    tk_bls_g2_compress(b, p);
    return hexj(b, sizeof b);
}

static int get_bytes(unsigned char *out, size_t n, const json_t *v)
{
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "expected a hex string");
    }
    return tk_hex_decode_exact(out, n, json_string_value(v), json_string_length(v), 0);
}

static int get_scalar(tk_bls_scalar *k, const json_t *v)
{
    unsigned char b[32];
    int rc = get_bytes(b, sizeof b, v);
    return rc != TK_OK ? rc : tk_bls_scalar_from_bytes(k, b);
}

static int get_g1(tk_bls_g1 *p, const json_t *v)
{
    unsigned char b[48];
    int rc = get_bytes(b, sizeof b, v);
    return rc != TK_OK ? rc : tk_bls_g1_decode(p, b, sizeof b);
}

static int get_g2(tk_bls_g2 *p, const json_t *v)
{
    unsigned char b[96];
    int rc = get_bytes(b, sizeof b, v);
    return rc != TK_OK ? rc : tk_bls_g2_decode(p, b, sizeof b);
}

static int get_ids(uint32_t *ids, size_t *count, const json_t *v)
{
    size_t i;
    const json_t *e;
    if (!json_is_array(v) || json_array_size(v) > MAXN) {
        return tk_fail(TK_ERR_INPUT, "ids: expected an array of at most %d", MAXN);
    }
    json_array_foreach(v, i, e)
    {
        if (!json_is_integer(e) || json_integer_value(e) < 0 ||
            json_integer_value(e) > (json_int_t)UINT32_MAX) {
            return tk_fail(TK_ERR_INPUT, "ids: expected u32 integers");
        }
        ids[i] = (uint32_t)json_integer_value(e);
    }
    *count = json_array_size(v);
    return TK_OK;
}

static json_t *ok_with(json_t *result)
{
    if (result == NULL) {
        return NULL;
    }
    return json_pack("{s:b, s:o}", "ok", 1, "result", result);
}

static json_t *do_g1(const json_t *req)
{
    tk_bls_g1 p, q, r;
    tk_bls_scalar k;
    json_t *o;
    int rc;
    if ((rc = get_g1(&p, json_object_get(req, "p"))) != TK_OK ||
        (rc = get_g1(&q, json_object_get(req, "q"))) != TK_OK ||
        (rc = get_scalar(&k, json_object_get(req, "k"))) != TK_OK) {
        return test_jsonl_fail(rc);
    }
    o = json_object();
    tk_bls_g1_mul(&r, &p, &k);
    json_object_set_new(o, "mul", g1_j(&r));
    tk_bls_g1_mul_var(&r, &p, &k);
    json_object_set_new(o, "mul_var", g1_j(&r));
    tk_bls_g1_add(&r, &p, &q);
    json_object_set_new(o, "add", g1_j(&r));
    tk_bls_g1_sub(&r, &p, &q);
    json_object_set_new(o, "sub", g1_j(&r));
    tk_bls_g1_dbl(&r, &p);
    json_object_set_new(o, "dbl", g1_j(&r));
    tk_bls_g1_neg(&r, &p);
    json_object_set_new(o, "neg", g1_j(&r));
    return ok_with(o);
}

static json_t *do_g2(const json_t *req)
{
    tk_bls_g2 p, q, r;
    tk_bls_scalar k;
    json_t *o;
    int rc;
    if ((rc = get_g2(&p, json_object_get(req, "p"))) != TK_OK ||
        (rc = get_g2(&q, json_object_get(req, "q"))) != TK_OK ||
        (rc = get_scalar(&k, json_object_get(req, "k"))) != TK_OK) {
        return test_jsonl_fail(rc);
    }
    o = json_object();
    tk_bls_g2_mul(&r, &p, &k);
    json_object_set_new(o, "mul", g2_j(&r));
    tk_bls_g2_mul_var(&r, &p, &k);
    json_object_set_new(o, "mul_var", g2_j(&r));
    tk_bls_g2_add(&r, &p, &q);
    json_object_set_new(o, "add", g2_j(&r));
    tk_bls_g2_sub(&r, &p, &q);
    json_object_set_new(o, "sub", g2_j(&r));
    tk_bls_g2_dbl(&r, &p);
    json_object_set_new(o, "dbl", g2_j(&r));
    tk_bls_g2_neg(&r, &p);
    json_object_set_new(o, "neg", g2_j(&r));
    return ok_with(o);
}

static json_t *do_pairing_check(const json_t *req)
{
    tk_bls_g1 p[8];
    tk_bls_g2 q[8];
    const json_t *a = json_object_get(req, "g1"), *b = json_object_get(req, "g2");
    size_t n = json_array_size(a);
    int rc, res;
    if (!json_is_array(a) || !json_is_array(b) || n != json_array_size(b) || n > 8) {
        return test_jsonl_fail_msg(
            "pairing_check: g1 and g2 must be arrays of the same length <= 8");
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = get_g1(&p[i], json_array_get(a, i))) != TK_OK ||
            (rc = get_g2(&q[i], json_array_get(b, i))) != TK_OK) {
            return test_jsonl_fail(rc);
        }
    }
    res = tk_bls_pairing_check(p, q, n);
    if (res < 0) {
        return test_jsonl_fail(res);
    }
    return ok_with(json_pack("{s:b}", "result", res));
}

static json_t *do_lagrange(const json_t *req)
{
    uint32_t ids[MAXN];
    size_t count;
    json_t *arr;
    int rc;
    if ((rc = get_ids(ids, &count, json_object_get(req, "ids"))) != TK_OK) {
        return test_jsonl_fail(rc);
    }
    arr = json_array();
    for (size_t i = 0; i < count; i++) {
        tk_bls_scalar l;
        if ((rc = tk_ckd_lagrange_at_zero(&l, ids, count, ids[i])) != TK_OK) {
            json_decref(arr);
            return test_jsonl_fail(rc);
        }
        json_array_append_new(arr, scalar_j(&l));
    }
    return ok_with(json_pack("{s:o}", "lambdas", arr));
}

/* Partials and their check, shared by ckd_run and ckd_verify. */
static void verify_into(json_t *o, const tk_ckd_partial *parts, const tk_bls_g2 *xs,
                        const uint32_t *ids, size_t count, const tk_bls_g1 *h, const tk_bls_g2 *pk,
                        const tk_bls_g2 *a2, tk_bls_g1 *y, tk_bls_g1 *c)
{
    size_t bad = 0;
    int rc = tk_ckd_partials_verify_var(&bad, parts, xs, ids, count, h, a2);
    json_object_set_new(
        o, "verify",
        json_pack("{s:b, s:I, s:i}", "ok", rc == TK_OK, "bad", (json_int_t)bad, "rc", rc));
    if (tk_ckd_partial_sum(y, c, parts, count) != TK_OK) {
        return;
    }
    json_object_set_new(o, "big_y", g1_j(y));
    json_object_set_new(o, "big_c", g1_j(c));
    json_object_set_new(o, "response_ok",
                        json_boolean(tk_ckd_pv_check_response_var(y, c, h, pk, a2) == TK_OK));
}

static json_t *do_ckd_run(const json_t *req)
{
    tk_bls_scalar msk, a, shares[MAXN], lambda, sub[MAXN], comb;
    tk_bls_g1 g1, h, a1, y, c, t1;
    tk_bls_g2 g2, pk, a2, xs[MAXN], xsub[MAXN];
    tk_ckd_partial parts[MAXN];
    unsigned char app_id[32], msg[128];
    uint32_t ids[MAXN];
    size_t count, t, n;
    const json_t *corrupt = json_object_get(req, "corrupt");
    json_t *o = NULL, *arr, *parr = NULL;
    tk_bls_g1 *target;
    int rc;
    t = (size_t)json_integer_value(json_object_get(req, "t"));
    n = (size_t)json_integer_value(json_object_get(req, "n"));
    if (n > MAXN) {
        return test_jsonl_fail_msg("ckd_run: n too large");
    }
    if ((rc = get_scalar(&msk, json_object_get(req, "msk"))) != TK_OK ||
        (rc = get_scalar(&a, json_object_get(req, "a"))) != TK_OK ||
        (rc = get_bytes(app_id, sizeof app_id, json_object_get(req, "app_id"))) != TK_OK ||
        (rc = get_ids(ids, &count, json_object_get(req, "signers"))) != TK_OK ||
        (rc = tk_ckd_shamir_split(shares, n, &msk, t)) != TK_OK) {
        return test_jsonl_fail(rc);
    }
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_g2_mul(&pk, &g2, &msk);
    tk_bls_g1_mul(&a1, &g1, &a);
    tk_bls_g2_mul(&a2, &g2, &a);
    tk_bls_g2_compress(msg, &pk);
    memcpy(msg + 96, app_id, 32);
    if ((rc = tk_bls_hash_to_g1(&h, msg, sizeof msg, dst, strlen(dst))) != TK_OK) {
        return test_jsonl_fail(rc);
    }
    o = json_object();
    json_object_set_new(o, "pk", g2_j(&pk));
    json_object_set_new(o, "h", g1_j(&h));
    json_object_set_new(o, "a1", g1_j(&a1));
    json_object_set_new(o, "a2", g2_j(&a2));
    json_object_set_new(o, "app_key_ok",
                        json_boolean(tk_ckd_pv_check_app_key_var(&a1, &a2) == TK_OK));
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, scalar_j(&shares[i]));
    }
    json_object_set_new(o, "shares", arr);
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        tk_bls_g2_mul(&xs[i], &g2, &shares[i]);
        json_array_append_new(arr, g2_j(&xs[i]));
    }
    json_object_set_new(o, "public_shares", arr);
    arr = json_array();
    parr = json_array();
    for (size_t i = 0; i < count; i++) {
        if (ids[i] == 0 || ids[i] > n) {
            rc = tk_fail(TK_ERR_INPUT, "signer %u is not a participant", (unsigned)ids[i]);
            goto out;
        }
        if ((rc = tk_ckd_lagrange_at_zero(&lambda, ids, count, ids[i])) != TK_OK ||
            (rc = tk_ckd_partial_compute(&parts[i], &shares[ids[i] - 1], &lambda, &h, &a1)) !=
                TK_OK) {
            goto out;
        }
        xsub[i] = xs[ids[i] - 1];
        sub[i] = shares[ids[i] - 1];
        json_array_append_new(arr, scalar_j(&lambda));
    }
    if ((rc = tk_ckd_shamir_combine(&comb, ids, sub, count)) != TK_OK) {
        goto out;
    }
    json_object_set_new(o, "combined", scalar_j(&comb));
    if (json_is_object(corrupt)) {
        size_t k = (size_t)json_integer_value(json_object_get(corrupt, "index"));
        const char *what = json_string_value(json_object_get(corrupt, "what"));
        if (k >= count || what == NULL) {
            rc = tk_fail(TK_ERR_INPUT, "corrupt: bad index or what");
            goto out;
        }
        target = strcmp(what, "Y") == 0 ? &parts[k].big_y : &parts[k].big_c;
        tk_bls_g1_add(target, target, &g1);
    }
    for (size_t i = 0; i < count; i++) {
        json_array_append_new(
            parr, json_pack("{s:o, s:o}", "y", g1_j(&parts[i].big_y), "c", g1_j(&parts[i].big_c)));
    }
    json_object_set_new(o, "lambdas", arr);
    arr = NULL;
    json_object_set_new(o, "partials", parr);
    parr = NULL;
    verify_into(o, parts, xsub, ids, count, &h, &pk, &a2, &y, &c);
    tk_bls_g1_mul(&t1, &y, &a);
    tk_bls_g1_sub(&t1, &c, &t1);
    json_object_set_new(o, "sig", g1_j(&t1));
    rc = TK_OK;
out:
    json_decref(arr);
    json_decref(parr);
    if (rc != TK_OK) {
        json_decref(o);
        return test_jsonl_fail(rc);
    }
    return ok_with(o);
}

static json_t *do_ckd_verify(const json_t *req)
{
    tk_bls_g1 h, y, c;
    tk_bls_g2 pk, a2, xs[MAXN];
    tk_ckd_partial parts[MAXN];
    uint32_t ids[MAXN];
    size_t count;
    const json_t *px = json_object_get(req, "public_shares"),
                 *pp = json_object_get(req, "partials");
    json_t *o;
    int rc;
    if ((rc = get_g1(&h, json_object_get(req, "h"))) != TK_OK ||
        (rc = get_g2(&pk, json_object_get(req, "pk"))) != TK_OK ||
        (rc = get_g2(&a2, json_object_get(req, "a2"))) != TK_OK ||
        (rc = get_ids(ids, &count, json_object_get(req, "ids"))) != TK_OK) {
        return test_jsonl_fail(rc);
    }
    if (json_array_size(px) != count || json_array_size(pp) != count) {
        return test_jsonl_fail_msg("ckd_verify: public_shares and partials must match ids");
    }
    for (size_t i = 0; i < count; i++) {
        const json_t *e = json_array_get(pp, i);
        if ((rc = get_g2(&xs[i], json_array_get(px, i))) != TK_OK ||
            (rc = get_g1(&parts[i].big_y, json_object_get(e, "y"))) != TK_OK ||
            (rc = get_g1(&parts[i].big_c, json_object_get(e, "c"))) != TK_OK) {
            return test_jsonl_fail(rc);
        }
    }
    o = json_object();
    verify_into(o, parts, xs, ids, count, &h, &pk, &a2, &y, &c);
    return ok_with(o);
}

static json_t *do_dkg(const json_t *req)
{
    size_t t = (size_t)json_integer_value(json_object_get(req, "t"));
    size_t n = (size_t)json_integer_value(json_object_get(req, "n"));
    tk_bls_g2 commits[MAXN * 8], agg[8], x;
    tk_bls_scalar sent[MAXN][MAXN], col[MAXN], share;
    unsigned char wire[8 * TK_CKD_COMMITMENT_LEN];
    json_t *o, *carr, *sarr, *farr, *xarr;
    size_t wlen;
    int rc = TK_OK;
    if (t == 0 || t > 8 || n < t || n > MAXN) {
        return test_jsonl_fail_msg("dkg: need 1 <= t <= 8, t <= n <= 32");
    }
    o = json_object();
    carr = json_array();
    sarr = json_array();
    for (size_t i = 0; i < n && rc == TK_OK; i++) {
        tk_ckd_poly *f = NULL;
        json_t *row = json_array();
        if ((rc = tk_ckd_poly_new(&f, t, NULL)) == TK_OK &&
            (rc = tk_ckd_poly_commit(&commits[i * t], t, f)) == TK_OK &&
            (rc = tk_ckd_dkg_commitments_encode(wire, sizeof wire, &wlen, &commits[i * t], t)) ==
                TK_OK) {
            json_array_append_new(carr, hexj(wire, wlen));
            for (size_t j = 0; j < n && rc == TK_OK; j++) {
                if ((rc = tk_ckd_poly_eval(&sent[i][j], f, (uint32_t)(j + 1))) == TK_OK &&
                    (rc = tk_ckd_dkg_share_verify(&sent[i][j], (uint32_t)(j + 1), &commits[i * t],
                                                  t)) == TK_OK) {
                    json_array_append_new(row, scalar_j(&sent[i][j]));
                }
            }
        }
        json_array_append_new(sarr, row);
        tk_ckd_poly_free(f);
    }
    json_object_set_new(o, "commitments", carr);
    json_object_set_new(o, "sent", sarr);
    if (rc == TK_OK) {
        rc = tk_ckd_dkg_aggregate_var(agg, commits, n, t, NULL);
    }
    farr = json_array();
    xarr = json_array();
    for (size_t j = 0; j < n && rc == TK_OK; j++) {
        for (size_t i = 0; i < n; i++) {
            col[i] = sent[i][j];
        }
        if ((rc = tk_ckd_dkg_share_combine(&share, col, n, NULL)) == TK_OK &&
            (rc = tk_ckd_dkg_commit_eval_var(&x, agg, t, (uint32_t)(j + 1))) == TK_OK) {
            json_array_append_new(farr, scalar_j(&share));
            json_array_append_new(xarr, g2_j(&x));
        }
    }
    json_object_set_new(o, "shares", farr);
    json_object_set_new(o, "public_shares", xarr);
    if (rc != TK_OK) {
        json_decref(o);
        return test_jsonl_fail(rc);
    }
    json_object_set_new(o, "pk", g2_j(&agg[0]));
    return ok_with(o);
}

static json_t *handle(const json_t *req)
{
    const char *op = json_string_value(json_object_get(req, "op"));
    if (op == NULL) {
        return test_jsonl_fail_msg("request needs op");
    }
    if (strcmp(op, "g1") == 0) {
        return do_g1(req);
    }
    if (strcmp(op, "g2") == 0) {
        return do_g2(req);
    }
    if (strcmp(op, "pairing_check") == 0) {
        return do_pairing_check(req);
    }
    if (strcmp(op, "lagrange") == 0) {
        return do_lagrange(req);
    }
    if (strcmp(op, "ckd_run") == 0) {
        return do_ckd_run(req);
    }
    if (strcmp(op, "ckd_verify") == 0) {
        return do_ckd_verify(req);
    }
    if (strcmp(op, "dkg") == 0) {
        return do_dkg(req);
    }
    return test_jsonl_fail_msg("unknown op");
}

int main(void)
{
    return test_jsonl_serve(handle);
}
