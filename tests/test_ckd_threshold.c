/*
 * Tests for the CKD threshold math (include/teekeys/ckd_threshold.h): Shamir t-of-n for
 * several (t, n) over every subset of shares, Lagrange coefficients (known values and
 * interpolation identities), full CKD runs whose unmasked answer must equal msk·H (and the
 * official NEAR vectors' sig when msk is split), corrupted partials detected with the right
 * node named, the contract's two pairing checks on good and bad inputs (including the official
 * vectors' big_y/big_c), a DKG with a cheating dealer that is caught and excluded, and the wire
 * form of the commitments. Test-chosen values come from a fixed-seed generator; the library's
 * own randomness (polynomials, y_i) is fresh, so the checks are on relations, not bytes.
 */
#include "teekeys/bls12_381.h"
#include "teekeys/ckd_threshold.h"
#include "util_json.h"

static const char dst[] = "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_";

static uint64_t rng_state = 0x6a09e667f3bcc908ULL;

static void rand_scalar(tk_bls_scalar *k)
{
    unsigned char b[64];
    test_rand_bytes(&rng_state, b, sizeof b);
    assert_int_equal(tk_bls_scalar_from_wide(k, b, sizeof b), TK_OK);
}

static int popcount(unsigned v)
{
    int c = 0;
    for (; v != 0; v &= v - 1) {
        c++;
    }
    return c;
}

/* The public side of one CKD request: pk = msk·G2, H = H(pk || app_id), A = a·G1, a·G2. */
typedef struct {
    tk_bls_scalar msk, a;
    tk_bls_g2 pk, a2;
    tk_bls_g1 h, a1;
} ckd_case;

static void case_make(ckd_case *c, const tk_bls_scalar *msk, const tk_bls_scalar *a,
                      const unsigned char app_id[32])
{
    unsigned char msg[128];
    tk_bls_g1 g1;
    tk_bls_g2 g2;
    c->msk = *msk;
    c->a = *a;
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_g2_mul(&c->pk, &g2, msk);
    tk_bls_g2_mul(&c->a2, &g2, a);
    tk_bls_g1_mul(&c->a1, &g1, a);
    tk_bls_g2_compress(msg, &c->pk);
    memcpy(msg + 96, app_id, 32);
    assert_int_equal(tk_bls_hash_to_g1(&c->h, msg, sizeof msg, dst, strlen(dst)), TK_OK);
}

static void case_random(ckd_case *c)
{
    tk_bls_scalar msk, a;
    unsigned char app_id[32];
    rand_scalar(&msk);
    rand_scalar(&a);
    test_rand_bytes(&rng_state, app_id, sizeof app_id);
    case_make(c, &msk, &a, app_id);
}

/* Each signer ids[i] (share shares[ids[i]-1]) answers; returns the partials in parts. */
static void run_partials(tk_ckd_partial *parts, const ckd_case *c, const tk_bls_scalar *shares,
                         const uint32_t *ids, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        tk_bls_scalar lambda;
        assert_int_equal(tk_ckd_lagrange_at_zero(&lambda, ids, count, ids[i]), TK_OK);
        assert_int_equal(
            tk_ckd_partial_compute(&parts[i], &shares[ids[i] - 1], &lambda, &c->h, &c->a1), TK_OK);
    }
}

/* The app's side: sig = C − a·Y, and it must pass e(H, pk) == e(sig, G2). */
static void unmask(tk_bls_g1 *sig, const ckd_case *c, const tk_bls_g1 *y, const tk_bls_g1 *cc)
{
    tk_bls_g1 t, p[2];
    tk_bls_g2 q[2];
    tk_bls_g1_mul(&t, y, &c->a);
    tk_bls_g1_sub(sig, cc, &t);
    p[0] = c->h;
    q[0] = c->pk;
    tk_bls_g1_neg(&p[1], sig);
    tk_bls_g2_generator(&q[1]);
    assert_int_equal(tk_bls_pairing_check(p, q, 2), 1);
}

static void public_shares(tk_bls_g2 *xs, const tk_bls_scalar *shares, size_t n)
{
    tk_bls_g2 g;
    tk_bls_g2_generator(&g);
    for (size_t i = 0; i < n; i++) {
        tk_bls_g2_mul(&xs[i], &g, &shares[i]);
    }
}

static const size_t tn[][2] = {{1, 1}, {2, 3}, {3, 5}, {5, 9}};

static void test_shamir(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof tn / sizeof tn[0]; c++) {
        size_t t = tn[c][0], n = tn[c][1];
        tk_bls_scalar secret, shares[9], got;
        unsigned checked_ok = 0, checked_bad = 0;
        rand_scalar(&secret);
        assert_int_equal(tk_ckd_shamir_split(shares, n, &secret, t), TK_OK);
        /* every non-empty subset: >= t shares give the secret, fewer give something else */
        for (unsigned mask = 1; mask < (1u << n); mask++) {
            uint32_t ids[9];
            tk_bls_scalar sub[9];
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                if (mask & (1u << i)) {
                    ids[k] = (uint32_t)(i + 1);
                    sub[k++] = shares[i];
                }
            }
            assert_int_equal(tk_ckd_shamir_combine(&got, ids, sub, k), TK_OK);
            if ((size_t)popcount(mask) >= t) {
                assert_true(tk_bls_scalar_eq(&got, &secret));
                checked_ok++;
            } else {
                assert_false(tk_bls_scalar_eq(&got, &secret));
                checked_bad++;
            }
        }
        assert_int_equal(checked_ok + checked_bad, (1u << n) - 1);
        /* the polynomial is fresh each time: splitting again gives other shares (t > 1) */
        if (t > 1) {
            tk_bls_scalar again[9];
            size_t same = 0;
            assert_int_equal(tk_ckd_shamir_split(again, n, &secret, t), TK_OK);
            for (size_t i = 0; i < n; i++) {
                same += (size_t)tk_bls_scalar_eq(&again[i], &shares[i]);
                assert_false(tk_bls_scalar_eq(&shares[i], &secret));
            }
            assert_int_equal(same, 0);
            tk_wipe(again, sizeof again);
        }
        /* a share off by one no longer reconstructs */
        if (t < n) {
            uint32_t ids[9];
            tk_bls_scalar one;
            for (size_t i = 0; i < t; i++) {
                ids[i] = (uint32_t)(i + 1);
            }
            tk_bls_scalar_from_u64(&one, 1);
            tk_bls_scalar_add(&shares[0], &shares[0], &one);
            assert_int_equal(tk_ckd_shamir_combine(&got, ids, shares, t), TK_OK);
            assert_false(tk_bls_scalar_eq(&got, &secret));
        }
        tk_wipe(shares, sizeof shares);
    }
}

static void test_lagrange(void **state)
{
    tk_bls_scalar l, want, sum, one, zero;
    const uint32_t s2[] = {1, 2}, s3[] = {1, 2, 3};
    (void)state;
    tk_bls_scalar_from_u64(&one, 1);
    memset(&zero, 0, sizeof zero);
    /* {1, 2}: lambda_1 = 2, lambda_2 = -1; {1, 2, 3}: 3, -3, 1 */
    assert_int_equal(tk_ckd_lagrange_at_zero(&l, s2, 2, 1), TK_OK);
    tk_bls_scalar_from_u64(&want, 2);
    assert_true(tk_bls_scalar_eq(&l, &want));
    assert_int_equal(tk_ckd_lagrange_at_zero(&l, s2, 2, 2), TK_OK);
    tk_bls_scalar_neg(&want, &one);
    assert_true(tk_bls_scalar_eq(&l, &want));
    assert_int_equal(tk_ckd_lagrange_at_zero(&l, s3, 3, 1), TK_OK);
    tk_bls_scalar_from_u64(&want, 3);
    assert_true(tk_bls_scalar_eq(&l, &want));
    assert_int_equal(tk_ckd_lagrange_at_zero(&l, s3, 3, 2), TK_OK);
    tk_bls_scalar_neg(&want, &want);
    assert_true(tk_bls_scalar_eq(&l, &want));
    assert_int_equal(tk_ckd_lagrange_at_zero(&l, s3, 3, 3), TK_OK);
    assert_true(tk_bls_scalar_eq(&l, &one));
    assert_int_equal(tk_ckd_lagrange_at_zero(&l, s2, 1, 1), TK_OK); /* a set of one */
    assert_true(tk_bls_scalar_eq(&l, &one));

    /* random id sets: sum lambda_i x_i^k is 1 for k = 0 and 0 for 0 < k < count */
    for (int round = 0; round < 20; round++) {
        uint32_t ids[12];
        size_t count = 1 + (size_t)(test_rng_next(&rng_state) % 12);
        for (size_t i = 0; i < count; i++) {
            int dup;
            do {
                ids[i] = (uint32_t)test_rng_next(&rng_state);
                dup = ids[i] == 0;
                for (size_t j = 0; j < i; j++) {
                    dup |= ids[j] == ids[i];
                }
            } while (dup);
        }
        for (size_t k = 0; k < count; k++) {
            sum = zero;
            for (size_t i = 0; i < count; i++) {
                tk_bls_scalar x, pw = one;
                tk_bls_scalar_from_u64(&x, ids[i]);
                for (size_t e = 0; e < k; e++) {
                    tk_bls_scalar_mul(&pw, &pw, &x);
                }
                assert_int_equal(tk_ckd_lagrange_at_zero(&l, ids, count, ids[i]), TK_OK);
                tk_bls_scalar_mul(&pw, &pw, &l);
                tk_bls_scalar_add(&sum, &sum, &pw);
            }
            assert_true(tk_bls_scalar_eq(&sum, k == 0 ? &one : &zero));
        }
    }
}

static void test_misuse(void **state)
{
    tk_bls_scalar s, shares[4];
    tk_ckd_poly *p = NULL;
    const uint32_t dup[] = {1, 2, 1}, zid[] = {1, 0}, ok[] = {1, 2, 3};
    uint32_t many[TK_CKD_MAX_PARTICIPANTS + 1];
    (void)state;
    rand_scalar(&s);
    assert_int_equal(tk_ckd_shamir_split(shares, 3, &s, 4), TK_ERR_RANGE);
    assert_int_equal(tk_ckd_shamir_split(shares, 3, &s, 0), TK_ERR_RANGE);
    assert_int_equal(tk_ckd_shamir_split(shares, 0, &s, 0), TK_ERR_RANGE);
    assert_int_equal(tk_ckd_shamir_split(NULL, 3, &s, 2), TK_ERR_ARG);
    assert_int_equal(tk_ckd_shamir_split(shares, 3, NULL, 2), TK_ERR_ARG);
    assert_int_equal(tk_ckd_lagrange_at_zero(&s, dup, 3, 2), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_lagrange_at_zero(&s, zid, 2, 1), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_lagrange_at_zero(&s, ok, 3, 4), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_lagrange_at_zero(&s, ok, 0, 1), TK_ERR_RANGE);
    assert_int_equal(tk_ckd_lagrange_at_zero(NULL, ok, 3, 1), TK_ERR_ARG);
    for (size_t i = 0; i < sizeof many / sizeof many[0]; i++) {
        many[i] = (uint32_t)(i + 1);
    }
    assert_int_equal(tk_ckd_lagrange_at_zero(&s, many, TK_CKD_MAX_PARTICIPANTS + 1, 1),
                     TK_ERR_RANGE);
    assert_int_equal(tk_ckd_lagrange_at_zero(&s, many, TK_CKD_MAX_PARTICIPANTS, 1), TK_OK);
    assert_int_equal(tk_ckd_shamir_combine(&s, dup, shares, 3), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_shamir_combine(&s, ok, NULL, 3), TK_ERR_ARG);
    assert_int_equal(tk_ckd_poly_new(&p, 0, NULL), TK_ERR_RANGE);
    assert_null(p);
    assert_int_equal(tk_ckd_poly_new(&p, TK_CKD_MAX_PARTICIPANTS + 1, NULL), TK_ERR_RANGE);
    assert_int_equal(tk_ckd_poly_new(&p, 2, &s), TK_OK);
    assert_int_equal(tk_ckd_poly_threshold(p), 2);
    assert_int_equal(tk_ckd_poly_eval(&s, p, 0), TK_ERR_ARG); /* would reveal f(0) */
    {
        tk_bls_g2 c[3];
        assert_int_equal(tk_ckd_poly_commit(c, 3, p), TK_ERR_ARG);
        assert_int_equal(tk_ckd_dkg_commit_eval_var(c, c, 0, 1), TK_ERR_ARG);
        assert_int_equal(tk_ckd_dkg_aggregate_var(c, c, 1, 1, (const unsigned char *)"\0"),
                         TK_ERR_RANGE);
    }
    tk_ckd_poly_free(p);
    tk_ckd_poly_free(NULL);
    assert_int_equal(tk_ckd_dkg_share_combine(&s, shares, 0, NULL), TK_ERR_RANGE);
    {
        tk_ckd_partial part;
        tk_bls_g1 id1, g1;
        tk_bls_g2 id2;
        size_t bad;
        tk_bls_g1_identity(&id1);
        tk_bls_g1_generator(&g1);
        tk_bls_g2_identity(&id2);
        assert_int_equal(tk_ckd_partial_compute(&part, &s, &s, &id1, &g1), TK_ERR_INPUT);
        assert_int_equal(tk_ckd_partial_compute(&part, &s, &s, &g1, &id1), TK_ERR_INPUT);
        assert_int_equal(tk_ckd_partial_compute(&part, NULL, &s, &g1, &g1), TK_ERR_ARG);
        assert_int_equal(tk_ckd_partial_sum(&g1, &g1, &part, 0), TK_ERR_ARG);
        assert_int_equal(tk_ckd_partials_verify_var(&bad, &part, &id2, dup, 3, &g1, &id2),
                         TK_ERR_INPUT);
        assert_int_equal(tk_ckd_pv_check_app_key_var(NULL, &id2), TK_ERR_ARG);
        assert_int_equal(tk_ckd_pv_check_response_var(&g1, &g1, &g1, NULL, &id2), TK_ERR_ARG);
    }
}

/* A full run for every (t, n): split msk, let a t-subset and the whole set answer, check the
 * partials, sum, run the contract's check, unmask. */
static void test_ckd_runs(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof tn / sizeof tn[0]; c++) {
        size_t t = tn[c][0], n = tn[c][1];
        tk_bls_scalar shares[9];
        tk_bls_g2 xs[9], xsub[9];
        tk_ckd_partial parts[9];
        tk_bls_g1 y, cc, sig, want;
        ckd_case k;
        case_random(&k);
        assert_int_equal(tk_ckd_shamir_split(shares, n, &k.msk, t), TK_OK);
        public_shares(xs, shares, n);
        for (int pass = 0; pass < 2; pass++) {
            uint32_t ids[9];
            size_t count = pass == 0 ? t : n, bad = 99;
            /* pass 0: a t-subset starting at a random node; pass 1: everyone */
            size_t start = (size_t)(test_rng_next(&rng_state) % n);
            for (size_t i = 0; i < count; i++) {
                ids[i] = (uint32_t)((start + i) % n + 1);
                xsub[i] = xs[ids[i] - 1];
            }
            run_partials(parts, &k, shares, ids, count);
            assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, xsub, ids, count, &k.h, &k.a2),
                             TK_OK);
            assert_int_equal(bad, count);
            assert_int_equal(tk_ckd_partial_sum(&y, &cc, parts, count), TK_OK);
            assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &k.pk, &k.a2), TK_OK);
            unmask(&sig, &k, &y, &cc);
            tk_bls_g1_mul(&want, &k.h, &k.msk);
            assert_true(tk_bls_g1_eq(&sig, &want));
        }
        /* t - 1 nodes alone do not get msk·H */
        if (t > 1) {
            uint32_t ids[9];
            for (size_t i = 0; i < t - 1; i++) {
                ids[i] = (uint32_t)(i + 1);
            }
            run_partials(parts, &k, shares, ids, t - 1);
            assert_int_equal(tk_ckd_partial_sum(&y, &cc, parts, t - 1), TK_OK);
            assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &k.pk, &k.a2),
                             TK_ERR_CRYPTO);
            tk_bls_g1_mul(&want, &y, &k.a);
            tk_bls_g1_sub(&sig, &cc, &want);
            tk_bls_g1_mul(&want, &k.h, &k.msk);
            assert_false(tk_bls_g1_eq(&sig, &want));
        }
        tk_wipe(shares, sizeof shares);
    }
}

/* The official NEAR vectors: a 3-of-5 network holding shares of their msk must produce their
 * sig, and the contract checks accept their app keys and (big_y, big_c). */
static void test_official_vectors(void **state)
{
    json_t *doc, *v;
    size_t i, count = 0;
    (void)state;
    doc = test_shared_json("ckd.json");
    json_array_foreach(json_object_get(doc, "ckd"), i, v)
    {
        unsigned char msk[32], a[32], app_id[32], hp[48], sig_b[48], by[48], bc[48], b1[48], b2[96],
            out[48];
        const uint32_t ids[] = {5, 2, 4};
        tk_bls_scalar kmsk, ka, shares[5];
        tk_bls_g2 xs[5], xsub[3], pk2;
        tk_bls_g1 y, cc, sig, vy, vc, pk1;
        tk_ckd_partial parts[3];
        ckd_case k;
        size_t bad;
        test_json_unhex(msk, 32, v, "msk");
        test_json_unhex(a, 32, v, "a");
        test_json_unhex(app_id, 32, v, "app_id");
        test_json_unhex(hp, 48, v, "hash_point");
        test_json_unhex(sig_b, 48, v, "sig");
        test_json_unhex(by, 48, v, "big_y");
        test_json_unhex(bc, 48, v, "big_c");
        test_json_unhex(b1, 48, v, "app_pk1");
        test_json_unhex(b2, 96, v, "app_pk2");
        assert_int_equal(tk_bls_scalar_from_bytes(&kmsk, msk), TK_OK);
        assert_int_equal(tk_bls_scalar_from_bytes(&ka, a), TK_OK);
        case_make(&k, &kmsk, &ka, app_id);
        tk_bls_g1_compress(out, &k.h);
        assert_memory_equal(out, hp, 48);
        assert_int_equal(tk_ckd_shamir_split(shares, 5, &kmsk, 3), TK_OK);
        public_shares(xs, shares, 5);
        for (size_t j = 0; j < 3; j++) {
            xsub[j] = xs[ids[j] - 1];
        }
        run_partials(parts, &k, shares, ids, 3);
        assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, xsub, ids, 3, &k.h, &k.a2), TK_OK);
        assert_int_equal(tk_ckd_partial_sum(&y, &cc, parts, 3), TK_OK);
        unmask(&sig, &k, &y, &cc);
        tk_bls_g1_compress(out, &sig);
        assert_memory_equal(out, sig_b, 48);
        /* the contract's checks on the vectors' own values */
        assert_int_equal(tk_bls_g1_decode(&pk1, b1, 48), TK_OK);
        assert_int_equal(tk_bls_g2_decode(&pk2, b2, 96), TK_OK);
        assert_int_equal(tk_ckd_pv_check_app_key_var(&pk1, &pk2), TK_OK);
        assert_int_equal(tk_bls_g1_decode(&vy, by, 48), TK_OK);
        assert_int_equal(tk_bls_g1_decode(&vc, bc, 48), TK_OK);
        assert_int_equal(tk_ckd_pv_check_response_var(&vy, &vc, &k.h, &k.pk, &pk2), TK_OK);
        assert_int_equal(tk_ckd_pv_check_response_var(&vc, &vy, &k.h, &k.pk, &pk2), TK_ERR_CRYPTO);
        tk_wipe(shares, sizeof shares);
        count++;
    }
    json_decref(doc);
    assert_int_equal(count, 4);
}

/* Every way one node can cheat is caught, and the partial named is that node's. */
static void test_corrupt_partials(void **state)
{
    const uint32_t ids[] = {4, 1, 5, 2}; /* 4 signers of a 3-of-5 network */
    const size_t count = 4;
    tk_bls_scalar shares[5], one;
    tk_bls_g2 xs[5], xsub[4];
    tk_ckd_partial good[4], parts[4];
    tk_bls_g1 g, y, cc;
    ckd_case k;
    size_t bad;
    (void)state;
    case_random(&k);
    tk_bls_g1_generator(&g);
    tk_bls_scalar_from_u64(&one, 1);
    assert_int_equal(tk_ckd_shamir_split(shares, 5, &k.msk, 3), TK_OK);
    public_shares(xs, shares, 5);
    for (size_t i = 0; i < count; i++) {
        xsub[i] = xs[ids[i] - 1];
    }
    run_partials(good, &k, shares, ids, count);
    for (size_t victim = 0; victim < count; victim++) {
        for (int what = 0; what < 4; what++) {
            tk_bls_scalar lambda, wrong;
            memcpy(parts, good, sizeof parts);
            switch (what) {
            case 0: /* Y_i moved */
                tk_bls_g1_add(&parts[victim].big_y, &parts[victim].big_y, &g);
                break;
            case 1: /* C_i moved */
                tk_bls_g1_add(&parts[victim].big_c, &parts[victim].big_c, &g);
                break;
            case 2: /* the node uses a wrong share */
                assert_int_equal(tk_ckd_lagrange_at_zero(&lambda, ids, count, ids[victim]), TK_OK);
                tk_bls_scalar_add(&wrong, &shares[ids[victim] - 1], &one);
                assert_int_equal(
                    tk_ckd_partial_compute(&parts[victim], &wrong, &lambda, &k.h, &k.a1), TK_OK);
                break;
            default: /* the node ignores its Lagrange coefficient */
                assert_int_equal(tk_ckd_partial_compute(&parts[victim], &shares[ids[victim] - 1],
                                                        &one, &k.h, &k.a1),
                                 TK_OK);
                break;
            }
            bad = 99;
            assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, xsub, ids, count, &k.h, &k.a2),
                             TK_ERR_CRYPTO);
            assert_int_equal(bad, victim);
            assert_int_equal(tk_ckd_partial_sum(&y, &cc, parts, count), TK_OK);
            assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &k.pk, &k.a2),
                             TK_ERR_CRYPTO);
        }
    }
    /* two bad nodes: the first one is named */
    memcpy(parts, good, sizeof parts);
    tk_bls_g1_add(&parts[3].big_c, &parts[3].big_c, &g);
    tk_bls_g1_add(&parts[1].big_y, &parts[1].big_y, &g);
    assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, xsub, ids, count, &k.h, &k.a2),
                     TK_ERR_CRYPTO);
    assert_int_equal(bad, 1);
    /* the checker needs the right public shares: swapping two is caught */
    {
        tk_bls_g2 sw[4];
        memcpy(sw, xsub, sizeof sw);
        sw[0] = xsub[2];
        sw[2] = xsub[0];
        assert_int_equal(tk_ckd_partials_verify_var(&bad, good, sw, ids, count, &k.h, &k.a2),
                         TK_ERR_CRYPTO);
        assert_int_equal(bad, 0);
    }
    /* a single partial is checked directly */
    {
        tk_bls_scalar lambda;
        const uint32_t solo[] = {3};
        assert_int_equal(tk_ckd_lagrange_at_zero(&lambda, solo, 1, 3), TK_OK);
        assert_int_equal(tk_ckd_partial_compute(&parts[0], &k.msk, &lambda, &k.h, &k.a1), TK_OK);
        assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, &k.pk, solo, 1, &k.h, &k.a2),
                         TK_OK);
        tk_bls_g1_add(&parts[0].big_c, &parts[0].big_c, &g);
        assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, &k.pk, solo, 1, &k.h, &k.a2),
                         TK_ERR_CRYPTO);
        assert_int_equal(bad, 0);
    }
    tk_wipe(shares, sizeof shares);
}

static void test_contract_checks(void **state)
{
    ckd_case k, other;
    tk_bls_g1 id1, g1, y, cc, t;
    tk_bls_g2 id2, g2;
    tk_bls_scalar r;
    (void)state;
    case_random(&k);
    case_random(&other);
    tk_bls_g1_identity(&id1);
    tk_bls_g2_identity(&id2);
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    /* e(pk1, G2) == e(G1, pk2) */
    assert_int_equal(tk_ckd_pv_check_app_key_var(&k.a1, &k.a2), TK_OK);
    assert_int_equal(tk_ckd_pv_check_app_key_var(&g1, &g2), TK_OK);
    assert_int_equal(tk_ckd_pv_check_app_key_var(&k.a1, &other.a2), TK_ERR_CRYPTO);
    assert_int_equal(tk_ckd_pv_check_app_key_var(&other.a1, &k.a2), TK_ERR_CRYPTO);
    assert_int_equal(tk_ckd_pv_check_app_key_var(&id1, &id2), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_pv_check_app_key_var(&k.a1, &id2), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_pv_check_app_key_var(&id1, &k.a2), TK_ERR_INPUT);

    /* e(C, G2) == e(Y, pk2)·e(H, pk) for an answer built directly: Y = r·G1,
     * C = msk·H + r·A */
    rand_scalar(&r);
    tk_bls_g1_mul(&y, &g1, &r);
    tk_bls_g1_mul(&cc, &k.h, &k.msk);
    tk_bls_g1_mul(&t, &k.a1, &r);
    tk_bls_g1_add(&cc, &cc, &t);
    assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &k.pk, &k.a2), TK_OK);
    assert_int_equal(tk_ckd_pv_check_response_var(&cc, &y, &k.h, &k.pk, &k.a2), TK_ERR_CRYPTO);
    assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &other.pk, &k.a2), TK_ERR_CRYPTO);
    assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &k.pk, &other.a2), TK_ERR_CRYPTO);
    assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &other.h, &k.pk, &k.a2), TK_ERR_CRYPTO);
    tk_bls_g1_add(&t, &cc, &g1);
    assert_int_equal(tk_ckd_pv_check_response_var(&y, &t, &k.h, &k.pk, &k.a2), TK_ERR_CRYPTO);
    tk_bls_g1_add(&t, &y, &g1);
    assert_int_equal(tk_ckd_pv_check_response_var(&t, &cc, &k.h, &k.pk, &k.a2), TK_ERR_CRYPTO);
}

enum { DKG_N = 5, DKG_T = 3 };

/* A dealerless 3-of-5 DKG in which dealer 3 sends participant 2 a bad share. */
static void test_dkg(void **state)
{
    tk_ckd_poly *f[DKG_N] = {NULL};
    tk_bls_g2 commits[DKG_N * DKG_T], agg[DKG_T], all[DKG_T], pk, x, g2;
    tk_bls_scalar sent[DKG_N][DKG_N]; /* sent[i][j] = share from dealer i to participant j+1 */
    tk_bls_scalar final[DKG_N], one, secret;
    unsigned char qualified[DKG_N], wire[DKG_T * TK_CKD_COMMITMENT_LEN];
    const size_t cheater = 2, victim = 1;
    size_t complaints = 0, wlen, t;
    (void)state;
    tk_bls_scalar_from_u64(&one, 1);
    tk_bls_g2_generator(&g2);
    /* round 1: deal; commitments travel in their wire form */
    for (size_t i = 0; i < DKG_N; i++) {
        tk_bls_g2 mine[DKG_T];
        assert_int_equal(tk_ckd_poly_new(&f[i], DKG_T, NULL), TK_OK);
        assert_int_equal(tk_ckd_poly_commit(mine, DKG_T, f[i]), TK_OK);
        assert_int_equal(tk_ckd_dkg_commitments_encode(wire, sizeof wire, &wlen, mine, DKG_T),
                         TK_OK);
        assert_int_equal(wlen, sizeof wire);
        assert_int_equal(tk_ckd_dkg_commitments_decode(&commits[i * DKG_T], DKG_T, &t, wire, wlen),
                         TK_OK);
        assert_int_equal(t, DKG_T);
        for (size_t k = 0; k < DKG_T; k++) {
            assert_true(tk_bls_g2_eq(&commits[i * DKG_T + k], &mine[k]));
        }
        for (size_t j = 0; j < DKG_N; j++) {
            assert_int_equal(tk_ckd_poly_eval(&sent[i][j], f[i], (uint32_t)(j + 1)), TK_OK);
        }
    }
    tk_bls_scalar_add(&sent[cheater][victim], &sent[cheater][victim], &one);
    /* round 2: everyone checks what they got; only the victim complains, about the cheater */
    for (size_t i = 0; i < DKG_N; i++) {
        qualified[i] = 1;
        for (size_t j = 0; j < DKG_N; j++) {
            int rc =
                tk_ckd_dkg_share_verify(&sent[i][j], (uint32_t)(j + 1), &commits[i * DKG_T], DKG_T);
            if (rc != TK_OK) {
                tk_ckd_fault fault = 0;
                assert_int_equal(rc, TK_ERR_CRYPTO);
                assert_int_equal(i, cheater);
                assert_int_equal(j, victim);
                complaints++;
                /* the dealer reveals the share it sent: it does not match, the dealer is out */
                assert_int_equal(tk_ckd_dkg_complaint_resolve_var(&fault, &sent[i][j],
                                                                  (uint32_t)(j + 1),
                                                                  &commits[i * DKG_T], DKG_T),
                                 TK_OK);
                assert_int_equal(fault, TK_CKD_FAULT_DEALER);
                /* silence is the dealer's fault too */
                assert_int_equal(tk_ckd_dkg_complaint_resolve_var(&fault, NULL, (uint32_t)(j + 1),
                                                                  &commits[i * DKG_T], DKG_T),
                                 TK_OK);
                assert_int_equal(fault, TK_CKD_FAULT_DEALER);
                qualified[i] = 0;
            }
        }
    }
    assert_int_equal(complaints, 1);
    /* a false complaint (participant 4 against honest dealer 1) blames the complainer */
    {
        tk_ckd_fault fault = 0;
        assert_int_equal(
            tk_ckd_dkg_complaint_resolve_var(&fault, &sent[0][3], 4, &commits[0], DKG_T), TK_OK);
        assert_int_equal(fault, TK_CKD_FAULT_COMPLAINER);
        /* ... but the same share revealed for another complainer does not match */
        assert_int_equal(
            tk_ckd_dkg_complaint_resolve_var(&fault, &sent[0][3], 5, &commits[0], DKG_T), TK_OK);
        assert_int_equal(fault, TK_CKD_FAULT_DEALER);
    }
    /* results over the qualified dealers */
    assert_int_equal(tk_ckd_dkg_aggregate_var(agg, commits, DKG_N, DKG_T, qualified), TK_OK);
    tk_bls_g2_identity(&pk);
    for (size_t i = 0; i < DKG_N; i++) {
        if (qualified[i]) {
            tk_bls_g2_add(&pk, &pk, &commits[i * DKG_T]);
        }
    }
    assert_true(tk_bls_g2_eq(&agg[0], &pk));
    assert_int_equal(tk_ckd_dkg_aggregate_var(all, commits, DKG_N, DKG_T, NULL), TK_OK);
    assert_false(tk_bls_g2_eq(&all[0], &pk)); /* the excluded dealer mattered */
    for (size_t j = 0; j < DKG_N; j++) {
        tk_bls_scalar col[DKG_N];
        tk_bls_g2 want;
        for (size_t i = 0; i < DKG_N; i++) {
            col[i] = sent[i][j];
        }
        assert_int_equal(tk_ckd_dkg_share_combine(&final[j], col, DKG_N, qualified), TK_OK);
        assert_int_equal(tk_ckd_dkg_commit_eval_var(&x, agg, DKG_T, (uint32_t)(j + 1)), TK_OK);
        tk_bls_g2_mul(&want, &g2, &final[j]);
        assert_true(tk_bls_g2_eq(&x, &want)); /* X_j = x_j·G2 */
        assert_int_equal(tk_ckd_dkg_share_verify(&final[j], (uint32_t)(j + 1), agg, DKG_T), TK_OK);
        tk_wipe(col, sizeof col);
    }
    /* every t-subset reconstructs pk's discrete log, no (t-1)-subset does */
    for (unsigned mask = 1; mask < (1u << DKG_N); mask++) {
        uint32_t ids[DKG_N];
        tk_bls_scalar sub[DKG_N];
        tk_bls_g2 got;
        size_t k = 0;
        if (popcount(mask) != DKG_T && popcount(mask) != DKG_T - 1) {
            continue;
        }
        for (size_t j = 0; j < DKG_N; j++) {
            if (mask & (1u << j)) {
                ids[k] = (uint32_t)(j + 1);
                sub[k++] = final[j];
            }
        }
        assert_int_equal(tk_ckd_shamir_combine(&secret, ids, sub, k), TK_OK);
        tk_bls_g2_mul(&got, &g2, &secret);
        assert_int_equal(tk_bls_g2_eq(&got, &pk), k == DKG_T);
        tk_wipe(sub, sizeof sub);
    }
    /* and the DKG's output serves a CKD request: partials check against X_j, sum unmasks */
    {
        const uint32_t ids[] = {2, 3, 5};
        tk_ckd_partial parts[3];
        tk_bls_g2 xs[3];
        tk_bls_g1 y, cc, sig;
        unsigned char app_id[32];
        ckd_case k;
        size_t bad;
        test_rand_bytes(&rng_state, app_id, sizeof app_id);
        assert_int_equal(
            tk_ckd_shamir_combine(&secret, ids, (tk_bls_scalar[]){final[1], final[2], final[4]}, 3),
            TK_OK);
        rand_scalar(&k.a);
        case_make(&k, &secret, &k.a, app_id);
        assert_true(tk_bls_g2_eq(&k.pk, &pk));
        for (size_t i = 0; i < 3; i++) {
            assert_int_equal(tk_ckd_dkg_commit_eval_var(&xs[i], agg, DKG_T, ids[i]), TK_OK);
        }
        run_partials(parts, &k, final, ids, 3);
        assert_int_equal(tk_ckd_partials_verify_var(&bad, parts, xs, ids, 3, &k.h, &k.a2), TK_OK);
        assert_int_equal(tk_ckd_partial_sum(&y, &cc, parts, 3), TK_OK);
        assert_int_equal(tk_ckd_pv_check_response_var(&y, &cc, &k.h, &pk, &k.a2), TK_OK);
        unmask(&sig, &k, &y, &cc);
        tk_wipe(&k, sizeof k);
    }
    tk_wipe(&secret, sizeof secret);
    tk_wipe(sent, sizeof sent);
    tk_wipe(final, sizeof final);
    for (size_t i = 0; i < DKG_N; i++) {
        tk_ckd_poly_free(f[i]);
    }
}

static void test_commitments_wire(void **state)
{
    tk_ckd_poly *f = NULL;
    tk_bls_g2 c[4], back[4];
    unsigned char wire[4 * 96], bad[4 * 96];
    size_t len, t;
    (void)state;
    assert_int_equal(tk_ckd_poly_new(&f, 4, NULL), TK_OK);
    assert_int_equal(tk_ckd_poly_commit(c, 4, f), TK_OK);
    tk_ckd_poly_free(f);
    assert_int_equal(tk_ckd_dkg_commitments_encode(wire, sizeof wire - 1, &len, c, 4),
                     TK_ERR_BUFFER);
    assert_int_equal(tk_ckd_dkg_commitments_encode(wire, sizeof wire, &len, c, 4), TK_OK);
    assert_int_equal(len, 4 * 96);
    for (size_t k = 0; k < 4; k++) {
        unsigned char one[96];
        tk_bls_g2_compress(one, &c[k]);
        assert_memory_equal(wire + 96 * k, one, 96);
    }
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, wire, len), TK_OK);
    assert_int_equal(t, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_true(tk_bls_g2_eq(&back[k], &c[k]));
    }
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 3, &t, wire, len), TK_ERR_BUFFER);
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, wire, 0), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, wire, 95), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, wire, 97), TK_ERR_INPUT);
    assert_int_equal(t, 0);
    /* the identity, an uncompressed-flag byte, a flipped x bit: all refused */
    memcpy(bad, wire, sizeof bad);
    memset(bad + 96, 0, 96);
    bad[96] = 0xc0;
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, bad, len), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "commitment 1"));
    memcpy(bad, wire, sizeof bad);
    bad[2 * 96] &= 0x7f;
    assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, bad, len), TK_ERR_INPUT);
    for (int bit = 0; bit < 8; bit++) {
        memcpy(bad, wire, sizeof bad);
        bad[3 * 96 + 50] ^= (unsigned char)(1u << bit);
        assert_int_equal(tk_ckd_dkg_commitments_decode(back, 4, &t, bad, len), TK_ERR_INPUT);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shamir),           cmocka_unit_test(test_lagrange),
        cmocka_unit_test(test_misuse),           cmocka_unit_test(test_ckd_runs),
        cmocka_unit_test(test_official_vectors), cmocka_unit_test(test_corrupt_partials),
        cmocka_unit_test(test_contract_checks),  cmocka_unit_test(test_dkg),
        cmocka_unit_test(test_commitments_wire),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
