/*
 * The four official NEAR CKD vectors (../shared/vectors/ckd.json, from near/mpc's
 * threshold-signatures tests) reproduced with teekeys' BLS12-381: pk = msk·G2, the app keys
 * a·G1 and a·G2, the hash point H(pk || app_id) with NEAR's DST, unmasking big_c − a·big_y,
 * the pairing check e(H, pk) == e(sig, G2), and the final secret HKDF-SHA256(compress48(sig)).
 * The CKD client module builds on exactly these steps.
 */
#include "teekeys/bls12_381.h"
#include "teekeys/hash.h"
#include "util_json.h"

static const char dst[] = "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_";

static void test_ckd_vectors(void **state)
{
    json_t *doc, *v;
    size_t i, count = 0;
    (void)state;
    doc = test_shared_json("ckd.json");
    json_array_foreach(json_object_get(doc, "ckd"), i, v)
    {
        unsigned char msk[32], a[32], app_id[32], pk[96], pk1[48], pk2[96], hp[48], by[48];
        unsigned char bc[48], sig[48], s[32], msg[128], out[96], okm[32];
        tk_bls_scalar kmsk, ka;
        tk_bls_g1 h, y, c, sg, t, g1[2];
        tk_bls_g2 g2gen, pkp, a2, g2[2];
        test_json_unhex(msk, 32, v, "msk");
        test_json_unhex(a, 32, v, "a");
        test_json_unhex(app_id, 32, v, "app_id");
        test_json_unhex(pk, 96, v, "pk");
        test_json_unhex(pk1, 48, v, "app_pk1");
        test_json_unhex(pk2, 96, v, "app_pk2");
        test_json_unhex(hp, 48, v, "hash_point");
        test_json_unhex(by, 48, v, "big_y");
        test_json_unhex(bc, 48, v, "big_c");
        test_json_unhex(sig, 48, v, "sig");
        test_json_unhex(s, 32, v, "s");
        assert_int_equal(tk_bls_scalar_from_bytes(&kmsk, msk), TK_OK);
        assert_int_equal(tk_bls_scalar_from_bytes(&ka, a), TK_OK);
        tk_bls_g2_generator(&g2gen);
        tk_bls_g2_mul(&pkp, &g2gen, &kmsk);
        tk_bls_g2_compress(out, &pkp);
        assert_memory_equal(out, pk, 96);
        tk_bls_g1_generator(&t);
        tk_bls_g1_mul(&t, &t, &ka);
        tk_bls_g1_compress(out, &t);
        assert_memory_equal(out, pk1, 48);
        tk_bls_g2_mul(&a2, &g2gen, &ka);
        tk_bls_g2_compress(out, &a2);
        assert_memory_equal(out, pk2, 96);
        memcpy(msg, pk, 96);
        memcpy(msg + 96, app_id, 32);
        assert_int_equal(tk_bls_hash_to_g1(&h, msg, sizeof msg, dst, strlen(dst)), TK_OK);
        tk_bls_g1_compress(out, &h);
        assert_memory_equal(out, hp, 48);
        assert_int_equal(tk_bls_g1_decode(&y, by, 48), TK_OK);
        assert_int_equal(tk_bls_g1_decode(&c, bc, 48), TK_OK);
        tk_bls_g1_mul(&t, &y, &ka);
        tk_bls_g1_sub(&sg, &c, &t);
        tk_bls_g1_compress(out, &sg);
        assert_memory_equal(out, sig, 48);
        g1[0] = h;
        tk_bls_g1_neg(&g1[1], &sg);
        g2[0] = pkp;
        g2[1] = g2gen;
        assert_int_equal(tk_bls_pairing_check(g1, g2, 2), 1);
        tk_bls_g2_add(&g2[0], &pkp, &g2gen); /* another key (V3 has a == msk, so not a·G2) */
        assert_int_equal(tk_bls_pairing_check(g1, g2, 2), 0);
        assert_int_equal(tk_hkdf_sha256(okm, 32, NULL, 0, out, 48, "", 0), TK_OK);
        assert_memory_equal(okm, s, 32);
        count++;
    }
    json_decref(doc);
    assert_int_equal(count, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_ckd_vectors)};
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
