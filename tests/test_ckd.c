/*
 * CKD client tests (src/ckd): the 16 app_id vectors and the hash-to-curve anchor of
 * ../shared/vectors/ckd.json, the four official NEAR CKD vectors through tk_ckd_unmask (V3 has
 * a == msk), every rejection (identity, wrong length, bad base58, wrong prefix, points outside
 * the subgroup, wrong MPC key / app_id / key pair -> TK_ERR_CRYPTO, malformed JSON of every
 * form, extra and duplicate keys), the key pair and its key file, the request JSON round trip
 * through the parser, and the `ckd` master secret source.
 */
#include <jansson.h>
#include <sys/stat.h>

#include "teekeys/ckd.h"
#include "teekeys/hash.h"
#include "teekeys/master.h"
#include "util_json.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir(dir, sizeof dir, "ckd");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmdir(dir);
}

/* The NEAR key string of a hex field ("bls12381g1:..." or "bls12381g2:..."). */
static void near_field(char *out, size_t cap, json_t *v, const char *key, tk_nearkey_type type)
{
    unsigned char raw[96];
    size_t n = tk_nearkey_len(type);
    test_json_unhex(raw, n, v, key);
    assert_int_equal(tk_nearkey_encode(out, cap, type, raw, n), TK_OK);
}

/* Copies `tmpl` with its first "%s" replaced by a and the second by b (no printf: the
 * templates are data). */
static void fill(char *out, size_t cap, const char *tmpl, const char *a, const char *b)
{
    size_t n = 0;
    int k = 0;
    for (const char *p = tmpl; *p != '\0'; p++) {
        if (p[0] == '%' && p[1] == 's') {
            const char *arg = k++ == 0 ? a : b;
            size_t l = strlen(arg);
            assert_true(n + l < cap);
            memcpy(out + n, arg, l);
            n += l;
            p++;
        } else {
            assert_true(n + 1 < cap);
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

static void g1_string(char *out, size_t cap, const unsigned char *raw48)
{
    assert_int_equal(tk_nearkey_encode(out, cap, TK_NEARKEY_BLS12381_G1, raw48, 48), TK_OK);
}

static void g2_string(char *out, size_t cap, const unsigned char *raw96)
{
    assert_int_equal(tk_nearkey_encode(out, cap, TK_NEARKEY_BLS12381_G2, raw96, 96), TK_OK);
}

static void test_app_id_vectors(void **state)
{
    json_t *doc = test_shared_json("ckd.json"), *v;
    size_t i, count = 0;
    unsigned char got[32], want[32];
    (void)state;
    json_array_foreach(json_object_get(doc, "app_id"), i, v)
    {
        test_json_unhex(want, 32, v, "app_id");
        assert_int_equal(tk_ckd_app_id(got, json_string_value(json_object_get(v, "predecessor")),
                                       json_string_value(json_object_get(v, "derivation_path"))),
                         TK_OK);
        assert_memory_equal(got, want, 32);
        count++;
    }
    json_decref(doc);
    assert_int_equal(count, 16);
}

static void test_app_id_rules(void **state)
{
    static const char prefix[] = TK_CKD_APP_ID_PREFIX;
    unsigned char got[32], want[32];
    char msg[200], longpath[TK_CKD_PATH_MAX + 2];
    (void)state;
    /* the empty path is valid: the message ends with the comma */
    snprintf(msg, sizeof msg, "%salice.near,", prefix);
    tk_sha3_256(want, msg, strlen(msg));
    assert_int_equal(tk_ckd_app_id(got, "alice.near", ""), TK_OK);
    assert_memory_equal(got, want, 32);
    /* the DESIGN 2.3 master paths */
    snprintf(msg, sizeof msg, "%sdao.teekeys.near,teekeys/master/v1", prefix);
    tk_sha3_256(want, msg, strlen(msg));
    assert_int_equal(tk_ckd_app_id(got, "dao.teekeys.near", "teekeys/master/v1"), TK_OK);
    assert_memory_equal(got, want, 32);
    assert_int_equal(tk_ckd_app_id(got, "dao.near", "bob.near:keystore"), TK_OK);
    assert_int_equal(tk_ckd_app_id(got, "dao.near", "caf\xc3\xa9 \xe2\x82\xac"), TK_OK);
    /* refusals */
    assert_int_equal(tk_ckd_app_id(got, "Alice.near", ""), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "predecessor"));
    assert_int_equal(tk_ckd_app_id(got, "a", "x"), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_app_id(got, "alice.near", "a\nb"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "control character"));
    assert_int_equal(tk_ckd_app_id(got, "alice.near", "a\x7f"), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_app_id(got, "alice.near", "\xc2\x85"), TK_ERR_INPUT); /* C1 NEL */
    assert_int_equal(tk_ckd_app_id(got, "alice.near", "\xff"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "UTF-8"));
    assert_int_equal(tk_ckd_app_id(got, "alice.near", "\xc3"), TK_ERR_INPUT);
    memset(longpath, 'p', sizeof longpath);
    longpath[TK_CKD_PATH_MAX] = '\0';
    assert_int_equal(tk_ckd_app_id(got, "alice.near", longpath), TK_OK);
    longpath[TK_CKD_PATH_MAX] = 'p';
    longpath[TK_CKD_PATH_MAX + 1] = '\0';
    assert_int_equal(tk_ckd_app_id(got, "alice.near", longpath), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_app_id(NULL, "alice.near", ""), TK_ERR_ARG);
    assert_int_equal(tk_ckd_app_id(got, "alice.near", NULL), TK_ERR_ARG);
}

static void test_hash_anchor(void **state)
{
    json_t *doc = test_shared_json("ckd.json"), *v;
    unsigned char app_id[32] = {0}, want[48], got[48];
    tk_bls_g2 g2;
    tk_bls_g1 h;
    size_t i;
    (void)state;
    test_json_unhex(want, 48, json_object_get(doc, "hash_to_curve_anchor"), "g1");
    tk_bls_g2_generator(&g2);
    assert_int_equal(tk_ckd_hash_point(&h, &g2, app_id), TK_OK);
    tk_bls_g1_compress(got, &h);
    assert_memory_equal(got, want, 48);
    /* and the hash point of every official vector */
    json_array_foreach(json_object_get(doc, "ckd"), i, v)
    {
        char pk[TK_CKD_POINT_STRING_MAX];
        near_field(pk, sizeof pk, v, "pk", TK_NEARKEY_BLS12381_G2);
        assert_int_equal(tk_ckd_g2_parse(&g2, pk, strlen(pk)), TK_OK);
        test_json_unhex(app_id, 32, v, "app_id");
        test_json_unhex(want, 48, v, "hash_point");
        assert_int_equal(tk_ckd_hash_point(&h, &g2, app_id), TK_OK);
        tk_bls_g1_compress(got, &h);
        assert_memory_equal(got, want, 48);
    }
    tk_bls_g2_identity(&g2);
    assert_int_equal(tk_ckd_hash_point(&h, &g2, app_id), TK_ERR_INPUT);
    json_decref(doc);
}

/* The official vectors: key pair from a, public parts, unmasking to s, and the wrong-input
 * cases that must fail with TK_ERR_CRYPTO. */
static void test_official_vectors(void **state)
{
    json_t *doc = test_shared_json("ckd.json"), *v;
    size_t i, count = 0;
    (void)state;
    json_array_foreach(json_object_get(doc, "ckd"), i, v)
    {
        unsigned char a[32], msk[32], app_id[32], s[32], out[32], c1[48], c2[96], want[96];
        char pk_s[TK_CKD_POINT_STRING_MAX], y_s[TK_CKD_POINT_STRING_MAX],
            c_s[TK_CKD_POINT_STRING_MAX], resp[TK_CKD_RESPONSE_JSON_MAX];
        tk_ckd_keypair *kp = NULL, *other = NULL;
        tk_bls_g1 y, c, pk1, y2, c2p;
        tk_bls_g2 pk, pk2, wrong;
        tk_bls_scalar ka;
        size_t len;

        test_json_unhex(a, 32, v, "a");
        test_json_unhex(msk, 32, v, "msk");
        test_json_unhex(app_id, 32, v, "app_id");
        test_json_unhex(s, 32, v, "s");
        near_field(pk_s, sizeof pk_s, v, "pk", TK_NEARKEY_BLS12381_G2);
        near_field(y_s, sizeof y_s, v, "big_y", TK_NEARKEY_BLS12381_G1);
        near_field(c_s, sizeof c_s, v, "big_c", TK_NEARKEY_BLS12381_G1);
        assert_int_equal(tk_ckd_g2_parse(&pk, pk_s, strlen(pk_s)), TK_OK);
        assert_int_equal(tk_ckd_g1_parse(&y, y_s, strlen(y_s)), TK_OK);
        assert_int_equal(tk_ckd_g1_parse(&c, c_s, strlen(c_s)), TK_OK);

        assert_int_equal(tk_ckd_keypair_from_scalar(&kp, a), TK_OK);
        tk_ckd_keypair_public(&pk1, &pk2, kp);
        tk_bls_g1_compress(c1, &pk1);
        test_json_unhex(want, 48, v, "app_pk1");
        assert_memory_equal(c1, want, 48);
        tk_bls_g2_compress(c2, &pk2);
        test_json_unhex(want, 96, v, "app_pk2");
        assert_memory_equal(c2, want, 96);

        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y, &c), TK_OK);
        assert_memory_equal(out, s, 32);
        /* V3 uses a == msk: its app key a·G2 is the MPC key itself */
        assert_int_equal(tk_bls_g2_eq(&pk2, &pk),
                         strcmp(json_string_value(json_object_get(v, "name")), "V3") == 0);

        /* the same through the response JSON */
        assert_int_equal(tk_ckd_response_json(resp, sizeof resp, &len, &y, &c), TK_OK);
        assert_int_equal(len, strlen(resp));
        assert_int_equal(tk_ckd_response_parse(&y2, &c2p, resp, len), TK_OK);
        assert_true(tk_bls_g1_eq(&y2, &y) && tk_bls_g1_eq(&c2p, &c));
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y2, &c2p), TK_OK);
        assert_memory_equal(out, s, 32);

        /* wrong MPC key: 2·pk (V4's pk is -G2, so pk + G2 would be the identity; V3 has
         * a == msk, so a·G2 would be the right key there) */
        tk_bls_g2_dbl(&wrong, &pk);
        memset(out, 0xaa, sizeof out);
        assert_int_equal(tk_ckd_unmask(out, kp, &wrong, app_id, &y, &c), TK_ERR_CRYPTO);
        assert_non_null(strstr(tk_errmsg(), "pairing check failed"));
        for (size_t j = 0; j < 32; j++) {
            assert_int_equal(out[j], 0); /* wiped on failure */
        }
        /* wrong app_id */
        app_id[0] ^= 1;
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y, &c), TK_ERR_CRYPTO);
        app_id[0] ^= 1;
        /* wrong key pair: a + 1 */
        assert_int_equal(tk_bls_scalar_from_bytes(&ka, a), TK_OK);
        {
            tk_bls_scalar one;
            tk_bls_scalar_from_u64(&one, 1);
            tk_bls_scalar_add(&ka, &ka, &one);
        }
        tk_bls_scalar_to_bytes(a, &ka);
        assert_int_equal(tk_ckd_keypair_from_scalar(&other, a), TK_OK);
        assert_int_equal(tk_ckd_unmask(out, other, &pk, app_id, &y, &c), TK_ERR_CRYPTO);
        tk_ckd_keypair_free(other);
        /* swapped Y and C, and C tampered */
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &c, &y), TK_ERR_CRYPTO);
        tk_bls_g1_add(&c2p, &c, &y);
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y, &c2p), TK_ERR_CRYPTO);
        /* C = a·Y: the unmasked value is the identity */
        test_json_unhex(a, 32, v, "a");
        assert_int_equal(tk_bls_scalar_from_bytes(&ka, a), TK_OK);
        tk_bls_g1_mul(&c2p, &y, &ka);
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y, &c2p), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "identity"));
        /* identity inputs */
        tk_bls_g1_identity(&y2);
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y2, &c), TK_ERR_INPUT);
        assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y, &y2), TK_ERR_INPUT);
        tk_bls_g2_identity(&wrong);
        assert_int_equal(tk_ckd_unmask(out, kp, &wrong, app_id, &y, &c), TK_ERR_INPUT);
        /* points of the curves outside G1 / G2 (as a caller that skipped the parsers' subgroup
         * check might pass them) */
        {
            unsigned char enc[96] = {0};
            tk_bls_g1 off1;
            tk_bls_g2 off2;
            int found = 0;
            for (unsigned x = 1; !found; x++) {
                memset(enc, 0, 48);
                enc[0] = 0x80;
                enc[47] = (unsigned char)x;
                found = tk_bls_g1_decode_curve(&off1, enc, 48) == TK_OK &&
                        !tk_bls_g1_in_subgroup_var(&off1);
            }
            assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &off1, &c), TK_ERR_INPUT);
            assert_non_null(strstr(tk_errmsg(), "subgroup"));
            assert_int_equal(tk_ckd_unmask(out, kp, &pk, app_id, &y, &off1), TK_ERR_INPUT);
            found = 0;
            for (unsigned x = 1; !found; x++) {
                memset(enc, 0, 96);
                enc[0] = 0x80;
                enc[95] = (unsigned char)x;
                found = tk_bls_g2_decode_curve(&off2, enc, 96) == TK_OK &&
                        !tk_bls_g2_in_subgroup_var(&off2);
            }
            assert_int_equal(tk_ckd_unmask(out, kp, &off2, app_id, &y, &c), TK_ERR_INPUT);
        }
        assert_int_equal(tk_ckd_unmask(out, NULL, &pk, app_id, &y, &c), TK_ERR_ARG);
        tk_ckd_keypair_free(kp);
        tk_wipe(msk, sizeof msk);
        count++;
    }
    json_decref(doc);
    assert_int_equal(count, 4);
}

/* Finds a compressed encoding with x = k that is on the curve but outside the subgroup. */
static void non_subgroup_g1(unsigned char out[48])
{
    tk_bls_g1 p;
    for (unsigned k = 1; k < 1000; k++) {
        memset(out, 0, 48);
        out[0] = 0x80;
        out[46] = (unsigned char)(k >> 8);
        out[47] = (unsigned char)k;
        if (tk_bls_g1_decode(&p, out, 48) != TK_OK &&
            strstr(tk_errmsg(), "not in the prime-order subgroup") != NULL) {
            return;
        }
    }
    fail_msg("no non-subgroup G1 point found");
}

static void non_subgroup_g2(unsigned char out[96])
{
    tk_bls_g2 p;
    for (unsigned k = 1; k < 1000; k++) {
        memset(out, 0, 96);
        out[0] = 0x80;
        out[94] = (unsigned char)(k >> 8);
        out[95] = (unsigned char)k;
        if (tk_bls_g2_decode(&p, out, 96) != TK_OK &&
            strstr(tk_errmsg(), "not in the prime-order subgroup") != NULL) {
            return;
        }
    }
    fail_msg("no non-subgroup G2 point found");
}

static void test_point_strings(void **state)
{
    unsigned char raw[96] = {0};
    char s[TK_CKD_POINT_STRING_MAX], s2[TK_CKD_POINT_STRING_MAX];
    tk_bls_g1 p, g;
    tk_bls_g2 q, h;
    size_t len;
    (void)state;

    tk_bls_g1_generator(&g);
    tk_bls_g2_generator(&h);
    assert_int_equal(tk_ckd_g1_format(s, sizeof s, &g), TK_OK);
    assert_int_equal(strncmp(s, "bls12381g1:", 11), 0);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_OK);
    assert_true(tk_bls_g1_eq(&p, &g));
    assert_int_equal(tk_ckd_g2_format(s2, sizeof s2, &h), TK_OK);
    assert_int_equal(tk_ckd_g2_parse(&q, s2, strlen(s2)), TK_OK);
    assert_true(tk_bls_g2_eq(&q, &h));
    assert_int_equal(tk_ckd_g1_format(s, 20, &g), TK_ERR_BUFFER);

    /* wrong prefix either way, and no prefix */
    assert_int_equal(tk_ckd_g1_parse(&p, s2, strlen(s2)), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_g1_format(s, sizeof s, &g), TK_OK);
    assert_int_equal(tk_ckd_g2_parse(&q, s, strlen(s)), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_g1_parse(&p, s + 11, strlen(s + 11)), TK_ERR_INPUT);
    /* bad base58 characters (0, O, I, l) */
    s[12] = '0';
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "base58"));
    s[12] = 'l';
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    /* a truncated string: wrong length */
    assert_int_equal(tk_ckd_g1_format(s, sizeof s, &g), TK_OK);
    len = strlen(s);
    assert_int_equal(tk_ckd_g1_parse(&p, s, len - 1), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_g1_parse(&p, s, 11), TK_ERR_INPUT);
    /* 47 and 49 bytes */
    memset(raw, 0x11, sizeof raw);
    assert_int_equal(tk_base58_encode(s + 11, sizeof s - 11, &len, raw, 47), TK_OK);
    memcpy(s, "bls12381g1:", 11);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    assert_int_equal(tk_base58_encode(s + 11, sizeof s - 11, &len, raw, 49), TK_OK);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    /* the identity, in its one valid encoding */
    memset(raw, 0, sizeof raw);
    raw[0] = 0xc0;
    g1_string(s, sizeof s, raw);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "identity"));
    g2_string(s, sizeof s, raw);
    assert_int_equal(tk_ckd_g2_parse(&q, s, strlen(s)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "identity"));
    /* uncompressed flag in 48 bytes, x >= p */
    tk_bls_g1_compress(raw, &g);
    raw[0] &= 0x7f;
    g1_string(s, sizeof s, raw);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    memset(raw, 0xff, 48);
    raw[0] = 0x9f;
    g1_string(s, sizeof s, raw);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    /* on the curve, outside the subgroup */
    non_subgroup_g1(raw);
    g1_string(s, sizeof s, raw);
    assert_int_equal(tk_ckd_g1_parse(&p, s, strlen(s)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "subgroup"));
    non_subgroup_g2(raw);
    g2_string(s, sizeof s, raw);
    assert_int_equal(tk_ckd_g2_parse(&q, s, strlen(s)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "subgroup"));
}

static void test_keypair(void **state)
{
    static const char r_hex[] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
    static const char rm1_hex[] =
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000";
    unsigned char sc[32], back[32];
    char path[128], text[80];
    tk_ckd_keypair *kp = NULL, *kp2 = NULL;
    tk_bls_g1 p1, q1;
    tk_bls_g2 p2, q2;
    tk_bls_scalar k;
    FILE *f;
    struct stat st;
    (void)state;

    memset(sc, 0, sizeof sc);
    assert_int_equal(tk_ckd_keypair_from_scalar(&kp, sc), TK_ERR_RANGE);
    assert_null(kp);
    assert_non_null(strstr(tk_errmsg(), "zero"));
    test_unhex(sc, 32, r_hex);
    assert_int_equal(tk_ckd_keypair_from_scalar(&kp, sc), TK_ERR_RANGE);
    memset(sc, 0xff, sizeof sc);
    assert_int_equal(tk_ckd_keypair_from_scalar(&kp, sc), TK_ERR_RANGE);
    test_unhex(sc, 32, rm1_hex);
    assert_int_equal(tk_ckd_keypair_from_scalar(&kp, sc), TK_OK);
    /* (r-1)·G = -G */
    tk_ckd_keypair_public(&p1, &p2, kp);
    tk_bls_g1_generator(&q1);
    tk_bls_g1_neg(&q1, &q1);
    tk_bls_g2_generator(&q2);
    tk_bls_g2_neg(&q2, &q2);
    assert_true(tk_bls_g1_eq(&p1, &q1) && tk_bls_g2_eq(&p2, &q2));
    tk_ckd_keypair_free(kp);
    kp = NULL;

    /* hex text form */
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, rm1_hex, 64), TK_OK);
    tk_ckd_keypair_free(kp);
    snprintf(text, sizeof text, "%s\n", rm1_hex);
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, text, 65), TK_OK);
    tk_ckd_keypair_free(kp);
    snprintf(text, sizeof text, "%s\n\n", rm1_hex);
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, text, 66), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, rm1_hex, 63), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "got 63 characters"));
    snprintf(text, sizeof text, "%sx", rm1_hex);
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, text, 65), TK_ERR_INPUT);
    snprintf(text, sizeof text, "0x%.62s", rm1_hex);
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, text, 64), TK_ERR_INPUT);
    assert_null(strstr(tk_errmsg(), "73eda7")); /* never echoes the key */
    assert_int_equal(tk_ckd_keypair_from_hex(&kp,
                                             "73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFE"
                                             "FFFFFFFF00000000",
                                             64),
                     TK_OK); /* either case */
    tk_ckd_keypair_free(kp);
    assert_int_equal(tk_ckd_keypair_from_hex(&kp, r_hex, 64), TK_ERR_RANGE);

    /* random key pairs: public parts are a·G1, a·G2; the key file round-trips */
    assert_int_equal(tk_ckd_keypair_new(&kp), TK_OK);
    tk_ckd_keypair_export(sc, kp);
    assert_int_equal(tk_bls_scalar_from_bytes(&k, sc), TK_OK);
    tk_bls_g1_generator(&q1);
    tk_bls_g1_mul(&q1, &q1, &k);
    tk_bls_g2_generator(&q2);
    tk_bls_g2_mul(&q2, &q2, &k);
    tk_ckd_keypair_public(&p1, &p2, kp);
    assert_true(tk_bls_g1_eq(&p1, &q1) && tk_bls_g2_eq(&p2, &q2));
    snprintf(path, sizeof path, "%s/a.key", dir);
    assert_int_equal(tk_ckd_keypair_write_file(path, kp), TK_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_int_equal(tk_ckd_keypair_write_file(path, kp), TK_ERR_PERM); /* never overwritten */
    assert_int_equal(tk_ckd_keypair_read_file(&kp2, path), TK_OK);
    tk_ckd_keypair_export(back, kp2);
    assert_memory_equal(back, sc, 32);
    tk_ckd_keypair_free(kp2);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(tk_ckd_keypair_read_file(&kp2, path), TK_ERR_PERM);
    assert_null(kp2);
    /* a key file that is too long, and one that is missing */
    snprintf(path, sizeof path, "%s/long.key", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s\n\n\n", rm1_hex);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(tk_ckd_keypair_read_file(&kp2, path), TK_ERR_INPUT);
    snprintf(path, sizeof path, "%s/none.key", dir);
    assert_int_not_equal(tk_ckd_keypair_read_file(&kp2, path), TK_OK);
    tk_ckd_keypair_free(kp);
    tk_wipe(sc, sizeof sc);
    tk_wipe(back, sizeof back);
    tk_ckd_keypair_free(NULL);
}

/* JSON strings of a key pair's public parts. */
typedef struct {
    char pk1[TK_CKD_POINT_STRING_MAX], pk2[TK_CKD_POINT_STRING_MAX];
} pubstr;

static void pub_strings(pubstr *o, const tk_ckd_keypair *kp)
{
    tk_bls_g1 p1;
    tk_bls_g2 p2;
    tk_ckd_keypair_public(&p1, &p2, kp);
    assert_int_equal(tk_ckd_g1_format(o->pk1, sizeof o->pk1, &p1), TK_OK);
    assert_int_equal(tk_ckd_g2_format(o->pk2, sizeof o->pk2, &p2), TK_OK);
}

static int app_key_rc(const char *fmt, const char *a, const char *b)
{
    char json[1024];
    tk_ckd_app_key k;
    fill(json, sizeof json, fmt, a, b);
    return tk_ckd_app_key_parse(&k, json, strlen(json));
}

static void test_app_key_forms(void **state)
{
    tk_ckd_keypair *kp = NULL, *other = NULL;
    tk_ckd_app_key k;
    pubstr ps, po;
    char json[1024];
    tk_bls_g1 p1;
    tk_bls_g2 p2;
    (void)state;
    assert_int_equal(tk_ckd_keypair_new(&kp), TK_OK);
    assert_int_equal(tk_ckd_keypair_new(&other), TK_OK);
    pub_strings(&ps, kp);
    pub_strings(&po, other);
    tk_ckd_keypair_public(&p1, &p2, kp);

    snprintf(json, sizeof json, "\"%s\"", ps.pk1);
    assert_int_equal(tk_ckd_app_key_parse(&k, json, strlen(json)), TK_OK);
    assert_int_equal(k.form, TK_CKD_APP_KEY_PLAIN);
    assert_true(tk_bls_g1_eq(&k.pk1, &p1) && tk_bls_g2_is_identity(&k.pk2));
    snprintf(json, sizeof json, " {\"AppPublicKey\" : \"%s\"} ", ps.pk1);
    assert_int_equal(tk_ckd_app_key_parse(&k, json, strlen(json)), TK_OK);
    assert_int_equal(k.form, TK_CKD_APP_KEY_TAGGED);
    assert_true(tk_bls_g1_eq(&k.pk1, &p1));
    snprintf(json, sizeof json, "{\"AppPublicKeyPV\":{\"pk2\":\"%s\",\"pk1\":\"%s\"}}", ps.pk2,
             ps.pk1);
    assert_int_equal(tk_ckd_app_key_parse(&k, json, strlen(json)), TK_OK);
    assert_int_equal(k.form, TK_CKD_APP_KEY_PV);
    assert_true(tk_bls_g1_eq(&k.pk1, &p1) && tk_bls_g2_eq(&k.pk2, &p2));

    /* PV with the halves of two different keys */
    assert_int_equal(
        app_key_rc("{\"AppPublicKeyPV\":{\"pk1\":\"%s\",\"pk2\":\"%s\"}}", ps.pk1, po.pk2),
        TK_ERR_CRYPTO);
    assert_non_null(strstr(tk_errmsg(), "not the same key"));
    /* malformed forms */
    assert_int_equal(
        app_key_rc("{\"AppPublicKeyPV\":{\"pk1\":\"%s\",\"pk2\":\"%s\",\"x\":1}}", ps.pk1, ps.pk2),
        TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "unexpected key"));
    assert_int_equal(app_key_rc("{\"AppPublicKeyPV\":{\"pk1\":\"%s\"}}%s", ps.pk1, ""),
                     TK_ERR_INPUT);
    assert_int_equal(
        app_key_rc("{\"AppPublicKeyPV\":{\"pk1\":\"%s\",\"pk2\":\"%s\"}}", ps.pk2, ps.pk1),
        TK_ERR_INPUT); /* swapped groups */
    assert_int_equal(
        app_key_rc("{\"AppPublicKeyPV\":{\"pk1\":\"%s\",\"pk1\":\"%s\"}}", ps.pk1, ps.pk1),
        TK_ERR_INPUT); /* duplicate key */
    assert_int_equal(app_key_rc("{\"AppPublicKeyPV\":\"%s\"}%s", ps.pk1, ""), TK_ERR_INPUT);
    assert_int_equal(
        app_key_rc("{\"AppPublicKey\":\"%s\",\"AppPublicKeyPV\":\"%s\"}", ps.pk1, ps.pk1),
        TK_ERR_INPUT);
    assert_int_equal(app_key_rc("{\"AppPublicKey\":\"%s\"}%s", ps.pk2, ""), TK_ERR_INPUT);
    assert_int_equal(app_key_rc("{\"AppPublicKey\":[\"%s\"]}%s", ps.pk1, ""), TK_ERR_INPUT);
    assert_int_equal(app_key_rc("{\"appPublicKey\":\"%s\"}%s", ps.pk1, ""), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "unknown form"));
    assert_int_equal(app_key_rc("{}%s%s", "", ""), TK_ERR_INPUT);
    assert_int_equal(app_key_rc("\"%s\" \"%s\"", ps.pk1, ps.pk1), TK_ERR_INPUT);
    assert_int_equal(app_key_rc("\"%s\"x%s", ps.pk1, ""), TK_ERR_INPUT);
    assert_int_equal(app_key_rc("42%s%s", "", ""), TK_ERR_INPUT);
    assert_int_equal(app_key_rc("\"ed25519:%s%s\"", "11111111111111111111111111111111", ""),
                     TK_ERR_INPUT);
    assert_int_equal(app_key_rc("\"%s\\u0000\"%s", ps.pk1, ""), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_app_key_parse(&k, NULL, 0), TK_ERR_ARG);
    tk_ckd_keypair_free(kp);
    tk_ckd_keypair_free(other);
}

static void test_request_json(void **state)
{
    static const char *paths[] = {"", "teekeys/master/v1", "bob.near:keystore",
                                  "quote\" back\\slash / caf\xc3\xa9"};
    static const uint64_t domains[] = {0, 2, 7, (uint64_t)INT64_MAX};
    tk_ckd_keypair *kp = NULL;
    tk_ckd_request req;
    char json[TK_CKD_REQUEST_JSON_MAX], bad[2048], longpath[TK_CKD_PATH_MAX + 2];
    size_t len, i;
    tk_bls_g1 p1;
    tk_bls_g2 p2;
    pubstr ps;
    (void)state;
    assert_int_equal(tk_ckd_keypair_new(&kp), TK_OK);
    tk_ckd_keypair_public(&p1, &p2, kp);
    pub_strings(&ps, kp);
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        assert_int_equal(tk_ckd_request_json(json, sizeof json, &len, kp, paths[i], domains[i]),
                         TK_OK);
        assert_int_equal(len, strlen(json));
        assert_int_equal(tk_ckd_request_parse(&req, json, len), TK_OK);
        assert_string_equal(req.derivation_path, paths[i]);
        assert_int_equal(req.derivation_path_len, strlen(paths[i]));
        assert_true(req.domain_id == domains[i]);
        assert_int_equal(req.app_key.form, TK_CKD_APP_KEY_PV);
        assert_true(tk_bls_g1_eq(&req.app_key.pk1, &p1) && tk_bls_g2_eq(&req.app_key.pk2, &p2));
    }
    /* the exact shape NEAR's contract documents */
    assert_int_equal(tk_ckd_request_json(json, sizeof json, &len, kp, "mykey", 2), TK_OK);
    snprintf(bad, sizeof bad,
             "{\"request\":{\"derivation_path\":\"mykey\",\"app_public_key\":{\"AppPublicKeyPV\":"
             "{\"pk1\":\"%s\",\"pk2\":\"%s\"}},\"domain_id\":2}}",
             ps.pk1, ps.pk2);
    assert_string_equal(json, bad);
    /* the legacy forms parse too */
    snprintf(bad, sizeof bad,
             "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":1}}",
             ps.pk1);
    assert_int_equal(tk_ckd_request_parse(&req, bad, strlen(bad)), TK_OK);
    assert_int_equal(req.app_key.form, TK_CKD_APP_KEY_PLAIN);
    snprintf(bad, sizeof bad,
             "{\"request\":{\"app_public_key\":{\"AppPublicKey\":\"%s\"},\"derivation_path\":\"\","
             "\"domain_id\":1}}",
             ps.pk1);
    assert_int_equal(tk_ckd_request_parse(&req, bad, strlen(bad)), TK_OK);
    assert_int_equal(req.app_key.form, TK_CKD_APP_KEY_TAGGED);
    /* refusals */
    assert_int_equal(tk_ckd_request_json(json, 100, &len, kp, "mykey", 2), TK_ERR_BUFFER);
    assert_int_equal(tk_ckd_request_json(json, sizeof json, &len, kp, "a\tb", 2), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_request_json(json, sizeof json, &len, kp, "x", (uint64_t)INT64_MAX + 1),
                     TK_ERR_RANGE);
    memset(longpath, 'p', sizeof longpath);
    longpath[TK_CKD_PATH_MAX + 1] = '\0';
    assert_int_equal(tk_ckd_request_json(json, sizeof json, &len, kp, longpath, 2), TK_ERR_INPUT);
    {
        static const char *const forms[] = {
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":1,"
            "\"x\":0}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\"}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":-1}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":1.0}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":\"1\"}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":5,\"domain_id\":1}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"\\u0001\",\"domain_id\":"
            "1}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"path\":\"p\",\"domain_id\":1}}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":1},"
            "\"deposit\":1}",
            "{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":1}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":1,"
            "\"domain_id\":2}}",
            "{\"request\":[\"%s\"]}",
            "{\"request\":{\"app_public_key\":\"%s\",\"derivation_path\":\"p\",\"domain_id\":"
            "99999999999999999999}}",
        };
        for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
            fill(bad, sizeof bad, forms[i], ps.pk1, "");
            assert_int_equal(tk_ckd_request_parse(&req, bad, strlen(bad)), TK_ERR_INPUT);
            assert_int_equal(req.app_key.form, 0); /* cleared on failure */
        }
    }
    tk_ckd_keypair_free(kp);
}

static void test_response_json(void **state)
{
    tk_bls_g1 g, y, c;
    char gs[TK_CKD_POINT_STRING_MAX], hs[TK_CKD_POINT_STRING_MAX], json[1024], out[16];
    unsigned char raw[48] = {0xc0};
    size_t len, i;
    (void)state;
    tk_bls_g1_generator(&g);
    assert_int_equal(tk_ckd_g1_format(gs, sizeof gs, &g), TK_OK);
    tk_bls_g1_dbl(&y, &g);
    assert_int_equal(tk_ckd_g1_format(hs, sizeof hs, &y), TK_OK);
    snprintf(json, sizeof json, "{\"big_c\":\"%s\",\"big_y\":\"%s\"}", hs, gs);
    assert_int_equal(tk_ckd_response_parse(&y, &c, json, strlen(json)), TK_OK);
    assert_true(tk_bls_g1_eq(&y, &g) && !tk_bls_g1_eq(&c, &g));
    {
        const char *forms[] = {
            "{\"big_y\":\"%s\",\"big_c\":\"%s\",\"extra\":null}",
            "{\"big_y\":\"%s\",\"big_y\":\"%s\"}",
            "{\"big_y\":\"%s\",\"bigc\":\"%s\"}",
            "[\"%s\",\"%s\"]",
            "{\"big_y\":\"%s\",\"big_c\":\"%s\"",
            "{\"big_y\":\"%s\",\"big_c\":\"%s\"} x",
            "{\"big_y\":\"%s\",\"big_c\":\"%s\"}{}",
            "{\"big_y\":\"%s\",\"big_c\":[\"%s\"]}",
            "{\"big_y\":\" %s\",\"big_c\":\"%s\"}",
            "{\"Big_y\":\"%s\",\"big_c\":\"%s\"}",
        };
        for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
            fill(json, sizeof json, forms[i], gs, hs);
            assert_int_equal(tk_ckd_response_parse(&y, &c, json, strlen(json)), TK_ERR_INPUT);
        }
    }
    snprintf(json, sizeof json, "{\"big_y\":\"%.40s\",\"big_c\":\"%s\"}", gs, hs);
    assert_int_equal(tk_ckd_response_parse(&y, &c, json, strlen(json)), TK_ERR_INPUT);
    snprintf(json, sizeof json, "{\"big_y\":\"%s\",\"big_c\":\"%s\"}", gs, "bls12381g1:");
    assert_int_equal(tk_ckd_response_parse(&y, &c, json, strlen(json)), TK_ERR_INPUT);
    g1_string(hs, sizeof hs, raw); /* the identity */
    snprintf(json, sizeof json, "{\"big_y\":\"%s\",\"big_c\":\"%s\"}", gs, hs);
    assert_int_equal(tk_ckd_response_parse(&y, &c, json, strlen(json)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "big_c"));
    assert_non_null(strstr(tk_errmsg(), "identity"));
    non_subgroup_g1(raw);
    g1_string(hs, sizeof hs, raw);
    snprintf(json, sizeof json, "{\"big_y\":\"%s\",\"big_c\":\"%s\"}", hs, gs);
    assert_int_equal(tk_ckd_response_parse(&y, &c, json, strlen(json)), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "subgroup"));
    assert_int_equal(tk_ckd_response_parse(&y, &c, "", 0), TK_ERR_INPUT);
    assert_int_equal(tk_ckd_response_parse(&y, &c, NULL, 0), TK_ERR_ARG);
    /* writer */
    assert_int_equal(tk_ckd_response_json(out, sizeof out, &len, &g, &g), TK_ERR_BUFFER);
    tk_bls_g1_identity(&c);
    assert_int_equal(tk_ckd_response_json(json, sizeof json, &len, &g, &c), TK_ERR_INPUT);
}

/* The ckd master source, with an answer computed here as an MPC network would:
 * Y = y·G1, C = msk·H + y·A for app_id(predecessor, path). */
static void test_master_source(void **state)
{
    json_t *doc = test_shared_json("ckd.json"), *v = json_array_get(json_object_get(doc, "ckd"), 0);
    unsigned char msk_b[32], app_id[32], sig_c[48], want[32];
    char pk_s[TK_CKD_POINT_STRING_MAX], resp[TK_CKD_RESPONSE_JSON_MAX], keyfile[128];
    tk_bls_scalar msk, y;
    tk_bls_g1 h, big_y, big_c, t, a1;
    tk_bls_g2 pk;
    tk_ckd_keypair *kp = NULL;
    tk_master m;
    tk_master_options opt = {0};
    size_t len;
    (void)state;

    test_json_unhex(msk_b, 32, v, "msk");
    assert_int_equal(tk_bls_scalar_from_bytes(&msk, msk_b), TK_OK);
    near_field(pk_s, sizeof pk_s, v, "pk", TK_NEARKEY_BLS12381_G2);
    assert_int_equal(tk_ckd_g2_parse(&pk, pk_s, strlen(pk_s)), TK_OK);
    assert_int_equal(tk_ckd_keypair_new(&kp), TK_OK);
    snprintf(keyfile, sizeof keyfile, "%s/master.key", dir);
    assert_int_equal(tk_ckd_keypair_write_file(keyfile, kp), TK_OK);
    tk_ckd_keypair_public(&a1, NULL, kp);
    tk_ckd_keypair_free(kp);

    assert_int_equal(tk_ckd_app_id(app_id, "dao.teekeys.near", "teekeys/master/v1"), TK_OK);
    assert_int_equal(tk_ckd_hash_point(&h, &pk, app_id), TK_OK);
    tk_bls_scalar_random(&y);
    tk_bls_g1_generator(&big_y);
    tk_bls_g1_mul(&big_y, &big_y, &y);
    tk_bls_g1_mul(&t, &h, &msk);
    tk_bls_g1_compress(sig_c, &t);
    assert_int_equal(tk_hkdf_sha256(want, 32, NULL, 0, sig_c, 48, "", 0), TK_OK);
    tk_bls_g1_mul(&big_c, &a1, &y);
    tk_bls_g1_add(&big_c, &big_c, &t);
    assert_int_equal(tk_ckd_response_json(resp, sizeof resp, &len, &big_y, &big_c), TK_OK);

    assert_int_equal(tk_master_init(&m), TK_OK);
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_ERR_ARG);
    opt.ckd_key_file = keyfile;
    opt.ckd_response = resp;
    opt.ckd_pk = pk_s;
    opt.ckd_predecessor = "dao.teekeys.near";
    opt.ckd_path = "teekeys/master/v1";
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_OK);
    assert_string_equal(m.source, "ckd");
    assert_memory_equal(m.bytes, want, 32);
    /* another path or predecessor does not decrypt */
    opt.ckd_path = "";
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_ERR_CRYPTO);
    opt.ckd_path = "teekeys/master/v1";
    opt.ckd_predecessor = "other.near";
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_ERR_CRYPTO);
    opt.ckd_predecessor = "Bad";
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_ERR_INPUT);
    opt.ckd_predecessor = "dao.teekeys.near";
    opt.ckd_response = "{\"big_y\":1}";
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_ERR_INPUT);
    opt.ckd_response = resp;
    opt.ckd_pk = "bls12381g2:1111";
    assert_int_equal(tk_master_load(&m, "ckd", &opt), TK_ERR_INPUT);
    tk_master_free(&m);
    tk_wipe(msk_b, sizeof msk_b);
    tk_wipe(&msk, sizeof msk);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_app_id_vectors),
        cmocka_unit_test(test_app_id_rules),
        cmocka_unit_test(test_hash_anchor),
        cmocka_unit_test(test_official_vectors),
        cmocka_unit_test(test_point_strings),
        cmocka_unit_test_setup_teardown(test_keypair, setup, teardown),
        cmocka_unit_test(test_app_key_forms),
        cmocka_unit_test(test_request_json),
        cmocka_unit_test(test_response_json),
        cmocka_unit_test_setup_teardown(test_master_source, setup, teardown),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
