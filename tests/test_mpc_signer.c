/*
 * The MPC signer contract's pure helpers, natively: the freestanding SHA3-256 against teekeys'
 * tk_sha3_256 (every length around the 136-byte rate) and the official app_id vectors; the SDK's
 * BLS byte helpers (near_bls.c: generators, r, reduction mod p, compression, negation) against
 * teekeys' BLS12-381; expand_message_xmd and hash_to_curve G1 as the contract runs them, over
 * the real host semantics (src/nearvm/bls_host.c, sha256 by tk_sha256), against
 * tk_bls_hash_to_g1, tk_ckd_hash_point and the official hash points of ckd.json; and the
 * argument parsers' acceptance and refusals. The scenario tests (contract_mpc_signer.mjs) run
 * the contract itself in both runtimes.
 */
#include <jansson.h>
#include <stdlib.h>

#include "bls_host.h"
#include "mpc_signer.h"
#include "near_host.h"
#include "teekeys/bls12_381.h"
#include "teekeys/ckd.h"
#include "teekeys/hash.h"
#include "util_json.h"

/* ---- the host functions these helpers call: register 0, sha256, two bls12381 functions ---- */
static unsigned char *reg;
static size_t reg_len;
static int reg_set;

static void set_reg(const unsigned char *data, size_t len)
{
    free(reg);
    reg = malloc(len + 1);
    assert_non_null(reg);
    if (len > 0) {
        memcpy(reg, data, len);
    }
    reg_len = len;
    reg_set = 1;
}

near_u64 near_host_register_len(near_u64 id)
{
    return id == 0 && reg_set ? reg_len : UINT64_MAX;
}

void near_host_read_register(near_u64 id, near_u64 p)
{
    if (id != 0 || !reg_set) {
        abort();
    }
    memcpy((void *)(uintptr_t)p, reg, reg_len);
}

void near_host_sha256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    if (id != 0) {
        abort();
    }
    tk_sha256(h, (const void *)(uintptr_t)p, len);
    set_reg(h, 32);
}

static near_u64 bls_call(tk_nearvm_bls_fn fn, near_u64 len, near_u64 p, near_u64 id)
{
    tk_nearvm_bls_result res;
    near_u64 ret;
    if (id != 0 ||
        tk_nearvm_bls_call(&res, fn, (const unsigned char *)(uintptr_t)p, len, 0) != TK_OK) {
        abort();
    }
    ret = res.ret;
    if (ret == 0) {
        set_reg(res.out, res.out_len);
    }
    tk_nearvm_bls_result_free(&res);
    return ret;
}

near_u64 near_host_bls12381_map_fp_to_g1(near_u64 len, near_u64 p, near_u64 id)
{
    return bls_call(TK_NEARVM_BLS_MAP_FP_TO_G1, len, p, id);
}

near_u64 near_host_bls12381_p1_sum(near_u64 len, near_u64 p, near_u64 id)
{
    return bls_call(TK_NEARVM_BLS_P1_SUM, len, p, id);
}

static void fill(unsigned char *buf, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (unsigned char)(seed >> 16);
    }
}

/* ---- SHA3-256 and app_id ---- */
static void test_sha3_lengths(void **state)
{
    unsigned char data[600], want[32], got[32];
    (void)state;
    fill(data, sizeof data, 7);
    for (size_t len = 0; len <= sizeof data; len++) {
        tk_sha3_256(want, data, len);
        ms_sha3_256(got, data, len);
        assert_memory_equal(got, want, 32);
    }
    /* FIPS 202 example: SHA3-256("abc") */
    ms_sha3_256(got, "abc", 3);
    assert_hex_equal(got, 32, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

static void test_app_id_vectors(void **state)
{
    json_t *doc = test_shared_json("ckd.json"), *v;
    size_t i, n = 0;
    (void)state;
    json_array_foreach(json_object_get(doc, "app_id"), i, v)
    {
        const char *pred = json_string_value(json_object_get(v, "predecessor"));
        const char *path = json_string_value(json_object_get(v, "derivation_path"));
        unsigned char want[32], got[32], ref[32];
        test_json_unhex(want, 32, v, "app_id");
        ms_app_id(got, pred, strlen(pred), path, strlen(path));
        assert_memory_equal(got, want, 32);
        assert_int_equal(tk_ckd_app_id(ref, pred, path), TK_OK);
        assert_memory_equal(got, ref, 32);
        n++;
        near_arena_reset();
    }
    assert_int_equal(n, 16);
    json_decref(doc);
}

/* ---- BLS byte helpers ---- */
static void test_constants(void **state)
{
    tk_bls_g1 g1;
    tk_bls_g2 g2;
    unsigned char b1[96], b2[192], r[32];
    tk_bls_scalar minus_one, one;
    (void)state;
    tk_bls_g1_generator(&g1);
    tk_bls_g1_serialize(b1, &g1);
    assert_memory_equal(near_bls_g1_generator, b1, 96);
    tk_bls_g2_generator(&g2);
    tk_bls_g2_serialize(b2, &g2);
    assert_memory_equal(near_bls_g2_generator, b2, 192);
    /* r - 1 is the largest scalar: r is canonical-out, r - 1 canonical */
    tk_bls_scalar_from_u64(&one, 1);
    tk_bls_scalar_neg(&minus_one, &one);
    tk_bls_scalar_to_bytes(r, &minus_one);
    assert_true(near_bls_scalar_canonical(r));
    assert_false(near_bls_scalar_canonical(near_bls_r));
    r[31]++; /* r - 1 + 1 = r (the last byte of r - 1 is 0x00) */
    assert_memory_equal(r, near_bls_r, 32);
}

static void test_fp_reduce(void **state)
{
    unsigned char in[64], out[48];
    (void)state;
    memset(in, 0xff, 64);
    near_bls_fp_reduce64(out, in);
    assert_hex_equal(out, 48,
                     "02cb5d3a884e56c4fab7cd07ee4e16bc15efebb5d396d7cf82383087033108464532383fa8"
                     "eaff4e967d3988a62b6c9c");
    /* 123456789·p + 987654321 */
    test_unhex(in, 64,
               "00000000000000000000000000bf5ab3c343f807540ded37e832b37772eda297402ddcba6fc9d37"
               "2d5a2b4626d4cb8aa367d48c0cde0de9074eafd8c4e4b57b8");
    near_bls_fp_reduce64(out, in);
    assert_hex_equal(out, 48,
                     "0000000000000000000000000000000000000000000000000000000000000000000000000000"
                     "0000000000003ade68b1");
    memset(in, 0, 64);
    near_bls_fp_reduce64(out, in);
    for (int i = 0; i < 48; i++) {
        assert_int_equal(out[i], 0);
    }
}

static void test_compress_negate(void **state)
{
    (void)state;
    for (uint64_t k = 0; k < 40; k++) {
        tk_bls_g1 p, np;
        tk_bls_g2 q;
        tk_bls_scalar s;
        unsigned char seed[64], u1[96], c1[48], want1[48], n1[96], wantn[96], u2[192], c2[96],
            want2[96];
        fill(seed, sizeof seed, (uint32_t)k + 100);
        assert_int_equal(tk_bls_scalar_from_wide(&s, seed, sizeof seed), TK_OK);
        if (k == 0) {
            tk_bls_scalar_from_u64(&s, 0); /* the identity */
        }
        tk_bls_g1_generator(&p);
        tk_bls_g1_mul(&p, &p, &s);
        tk_bls_g1_serialize(u1, &p);
        tk_bls_g1_compress(want1, &p);
        near_bls_g1_compress(c1, u1);
        assert_memory_equal(c1, want1, 48);
        tk_bls_g1_neg(&np, &p);
        tk_bls_g1_serialize(wantn, &np);
        near_bls_g1_negate(n1, u1);
        assert_memory_equal(n1, wantn, 96);
        tk_bls_g2_generator(&q);
        tk_bls_g2_mul(&q, &q, &s);
        tk_bls_g2_serialize(u2, &q);
        tk_bls_g2_compress(want2, &q);
        near_bls_g2_compress(c2, u2);
        assert_memory_equal(c2, want2, 96);
    }
}

/* ---- RFC 9380 on the host functions ---- */
static void test_expand_message(void **state)
{
    unsigned char msg[200], want[255], got[255];
    static const char dst[] = "QUUX-V01-CS02-with-expander-SHA256-128";
    (void)state;
    fill(msg, sizeof msg, 3);
    for (size_t out_len = 1; out_len <= sizeof got; out_len += 17) {
        assert_int_equal(
            tk_bls_expand_message_xmd(want, out_len, msg, out_len % 200, dst, sizeof dst - 1),
            TK_OK);
        near_bls_expand_message_xmd(got, out_len, msg, out_len % 200, dst, sizeof dst - 1);
        assert_memory_equal(got, want, out_len);
        near_arena_reset();
    }
    /* RFC 9380 K.1: expand_message_xmd(SHA-256), msg "", len_in_bytes 0x20 */
    near_bls_expand_message_xmd(got, 32, "", 0, dst, sizeof dst - 1);
    assert_hex_equal(got, 32, "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235");
    near_arena_reset();
}

static void hash_point_of(unsigned char out[48], const unsigned char pk[96],
                          const unsigned char app_id[32])
{
    unsigned char msg[128], h[96];
    memcpy(msg, pk, 96);
    memcpy(msg + 96, app_id, 32);
    near_bls_hash_to_g1(h, msg, sizeof msg, MS_DST, sizeof MS_DST - 1);
    near_bls_g1_compress(out, h);
    near_arena_reset();
}

static void test_hash_to_g1_vectors(void **state)
{
    json_t *doc = test_shared_json("ckd.json"), *v;
    size_t i, n = 0;
    unsigned char pk[96], app_id[32], want[48], got[48];
    tk_bls_g2 g2;
    (void)state;
    json_array_foreach(json_object_get(doc, "ckd"), i, v)
    {
        tk_bls_g2 pkp;
        tk_bls_g1 ref;
        unsigned char refc[48];
        test_json_unhex(pk, 96, v, "pk");
        test_json_unhex(app_id, 32, v, "app_id");
        test_json_unhex(want, 48, v, "hash_point");
        hash_point_of(got, pk, app_id);
        assert_memory_equal(got, want, 48);
        assert_int_equal(tk_bls_g2_decode(&pkp, pk, 96), TK_OK);
        assert_int_equal(tk_ckd_hash_point(&ref, &pkp, app_id), TK_OK);
        tk_bls_g1_compress(refc, &ref);
        assert_memory_equal(got, refc, 48);
        n++;
    }
    assert_int_equal(n, 4);
    /* the anchor: H(compress96(G2) || 32 zero bytes) */
    tk_bls_g2_generator(&g2);
    tk_bls_g2_compress(pk, &g2);
    memset(app_id, 0, 32);
    test_json_unhex(want, 48, json_object_get(doc, "hash_to_curve_anchor"), "g1");
    hash_point_of(got, pk, app_id);
    assert_memory_equal(got, want, 48);
    /* arbitrary messages against tk_bls_hash_to_g1 */
    for (uint32_t k = 0; k < 20; k++) {
        unsigned char msg[100], h[96], refc[48];
        tk_bls_g1 ref;
        fill(msg, sizeof msg, k);
        near_bls_hash_to_g1(h, msg, k * 5, MS_DST, sizeof MS_DST - 1);
        near_bls_g1_compress(got, h);
        assert_int_equal(tk_bls_hash_to_g1(&ref, msg, k * 5, MS_DST, sizeof MS_DST - 1), TK_OK);
        tk_bls_g1_compress(refc, &ref);
        assert_memory_equal(got, refc, 48);
        near_arena_reset();
    }
    json_decref(doc);
}

/* ---- argument parsers ---- */
static const near_json *parse(const char *text)
{
    const char *err = NULL;
    const near_json *doc = near_json_parse(text, strlen(text), &err);
    assert_non_null(doc);
    return doc;
}

#define G1S "bls12381g1:6aGxBiDyBZxEL9RKJz8W2h7VQUUKv9BPqHbC2DNWKExVRM7GWtLk6mTQBYXbpgRHwp"
#define G2S                                                                                        \
    "bls12381g2:swVJmkrgSeVKhyDHqRXbDhToeQtR2JPTTnD6fp9Jty9jfLDqDh7sAhgbHBZTfXDFh3kvZxMCwe5w4R7F"  \
    "XbHNt6PUkyJEsuvJ8bsqFocwyuygsJMpjaFYB8914BoaiNFsUiK"

static void test_parse_g1_g2(void **state)
{
    unsigned char c1[48], c2[96];
    tk_bls_g1 p;
    tk_bls_g2 q;
    const char *err;
    (void)state;
    /* the strings above are G1 and G2 generators: they round-trip */
    err = ms_parse_g1(c1, parse("\"" G1S "\""), "x");
    assert_null(err);
    assert_int_equal(tk_bls_g1_decode(&p, c1, 48), TK_OK);
    tk_bls_g1_generator(&p);
    {
        unsigned char want[48];
        tk_bls_g1_compress(want, &p);
        assert_memory_equal(c1, want, 48);
    }
    assert_string_equal(ms_g1_string(c1), G1S);
    assert_null(ms_parse_g2(c2, parse("\"" G2S "\""), "x"));
    assert_int_equal(tk_bls_g2_decode(&q, c2, 96), TK_OK);
    assert_string_equal(ms_g2_string(c2), G2S);
    assert_string_equal(ms_parse_g1(c1, parse("\"" G2S "\""), "pk"),
                        "pk must start with bls12381g1:");
    assert_string_equal(ms_parse_g2(c2, parse("\"" G1S "\""), "pk"),
                        "pk must start with bls12381g2:");
    assert_string_equal(ms_parse_g1(c1, parse("\"bls12381g1:abc0\""), "pk"),
                        "pk must be base58 of 48 bytes");
    assert_string_equal(ms_parse_g1(c1, parse("7"), "pk"), "pk must be a string");
    assert_non_null(ms_parse_g1(c1, NULL, "pk"));
    near_arena_reset();
}

static void test_parse_request(void **state)
{
    ms_request_args a;
    (void)state;
    assert_null(ms_parse_request(
        &a, parse("{\"request\":{\"derivation_path\":\"p/1\",\"app_public_key\":\"" G1S
                  "\",\"domain_id\":7}}")));
    assert_int_equal(a.key.form, MS_KEY_PLAIN);
    assert_int_equal(a.domain_id, 7);
    assert_int_equal(a.path_len, 3);
    assert_string_equal(a.key.json, "\"" G1S "\"");
    assert_null(
        ms_parse_request(&a, parse("{\"request\":{\"app_public_key\":{\"AppPublicKey\":\"" G1S
                                   "\"},\"domain_id\":\"0\"}}")));
    assert_int_equal(a.key.form, MS_KEY_TAGGED);
    assert_int_equal(a.path_len, 0);
    assert_string_equal(a.key.json, "{\"AppPublicKey\":\"" G1S "\"}");
    assert_null(ms_parse_request(
        &a, parse("{\"request\":{\"derivation_path\":\"\",\"app_public_key\":{\"AppPublicKeyPV\":"
                  "{\"pk2\":\"" G2S "\",\"pk1\":\"" G1S "\"}},\"domain_id\":0}}")));
    assert_int_equal(a.key.form, MS_KEY_PV);
    assert_string_equal(a.key.json,
                        "{\"AppPublicKeyPV\":{\"pk1\":\"" G1S "\",\"pk2\":\"" G2S "\"}}");
    assert_string_equal(ms_parse_request(&a, parse("{}")), "missing argument: request");
    assert_string_equal(ms_parse_request(&a, parse("{\"req\":1}")), "unknown argument: req");
    assert_string_equal(
        ms_parse_request(&a, parse("{\"request\":{\"app_public_key\":\"" G1S "\"}}")),
        "missing argument: domain_id");
    assert_string_equal(ms_parse_request(&a, parse("{\"request\":{\"app_public_key\":\"" G1S
                                                   "\",\"domain_id\":-1}}")),
                        "domain_id must be an unsigned 64-bit integer");
    assert_string_equal(
        ms_parse_request(&a, parse("{\"request\":{\"derivation_path\":\"a\\nb\","
                                   "\"app_public_key\":\"" G1S "\",\"domain_id\":0}}")),
        "derivation_path must not contain control characters");
    assert_string_equal(
        ms_parse_request(&a, parse("{\"request\":{\"app_public_key\":{"
                                   "\"AppPublicKeyPV\":{\"pk1\":\"" G1S "\"}},\"domain_id\":0}}")),
        "AppPublicKeyPV.pk2 must be a string");
    assert_string_equal(ms_parse_request(&a, parse("{\"request\":{\"app_public_key\":{"
                                                   "\"AppPublicKeyPV\":{\"pk1\":\"" G1S
                                                   "\",\"pk2\":\"" G2S "\",\"pk3\":1}},"
                                                   "\"domain_id\":0}}")),
                        "unknown argument: pk3");
    assert_non_null(ms_parse_request(
        &a, parse("{\"request\":{\"app_public_key\":{\"Other\":\"" G1S "\"},\"domain_id\":0}}")));
    {
        /* a path of 1025 bytes is refused, 1024 accepted */
        char text[1200];
        for (int len = 1024; len <= 1025; len++) {
            int n = snprintf(text, sizeof text, "{\"request\":{\"derivation_path\":\"");
            memset(text + n, 'a', (size_t)len);
            snprintf(text + n + len, sizeof text - (size_t)(n + len),
                     "\",\"app_public_key\":\"%s\",\"domain_id\":0}}", G1S);
            if (len == 1024) {
                assert_null(ms_parse_request(&a, parse(text)));
            } else {
                assert_string_equal(ms_parse_request(&a, parse(text)),
                                    "derivation_path is longer than 1024 bytes");
            }
        }
    }
    near_arena_reset();
}

static void test_parse_respond(void **state)
{
    ms_respond_args a;
    (void)state;
    assert_null(ms_parse_respond(&a, parse("{\"request_id\":3,\"response\":{\"big_y\":\"" G1S
                                           "\",\"big_c\":\"" G1S "\"}}")));
    assert_false(a.by_data_id);
    assert_int_equal(a.request_id, 3);
    assert_null(ms_parse_respond(&a, parse("{\"data_id\":\"00112233445566778899aabbccddeeff0011"
                                           "2233445566778899aabbccddeeff\",\"response\":{"
                                           "\"big_y\":\"" G1S "\",\"big_c\":\"" G1S "\"}}")));
    assert_true(a.by_data_id);
    assert_int_equal(a.data_id[31], 0xff);
    assert_string_equal(ms_parse_respond(&a, parse("{\"response\":{}}")),
                        "give exactly one of request_id and data_id");
    assert_string_equal(
        ms_parse_respond(&a, parse("{\"request_id\":1,\"data_id\":\"00\",\"response\":{}}")),
        "give exactly one of request_id and data_id");
    assert_string_equal(ms_parse_respond(&a, parse("{\"data_id\":\"00\",\"response\":{}}")),
                        "data_id must be 64 lowercase hex digits");
    assert_string_equal(ms_parse_respond(&a, parse("{\"request_id\":1}")),
                        "missing argument: response");
    assert_string_equal(
        ms_parse_respond(&a, parse("{\"request_id\":1,\"response\":{\"big_y\":\"" G1S "\"}}")),
        "big_c must be a string");
    assert_string_equal(
        ms_parse_respond(&a, parse("{\"request_id\":1,\"response\":{\"big_y\":\"" G1S
                                   "\",\"big_c\":\"" G1S "\",\"x\":0}}")),
        "unknown argument: x");
    near_arena_reset();
}

static void test_parse_init_and_dkg(void **state)
{
    ms_init_args *a = malloc(sizeof *a);
    ms_dkg_start_args d;
    (void)state;
    assert_non_null(a);
    assert_null(ms_parse_init(
        a, parse("{\"participants\":[{\"account_id\":\"n1.test.near\",\"public_share\":\"" G2S
                 "\"},\"n2.test.near\"],\"threshold\":2,\"domains\":[{\"domain_id\":0,"
                 "\"public_key\":\"" G2S "\"}]}")));
    assert_int_equal(a->n, 2);
    assert_int_equal(a->threshold, 2);
    assert_int_equal(a->domains, 1);
    assert_true(a->participants[0].has_share);
    assert_false(a->participants[1].has_share);
    assert_null(ms_parse_init(a, parse("{\"participants\":[\"n1.test.near\"],\"threshold\":1}")));
    assert_int_equal(a->domains, 0);
    assert_string_equal(
        ms_parse_init(a, parse("{\"participants\":[\"n1.test.near\"],\"threshold\":2}")),
        "threshold must be between 1 and the number of participants");
    assert_string_equal(
        ms_parse_init(a, parse("{\"participants\":[\"a.near\",\"a.near\"],\"threshold\":1}")),
        "duplicate participant: a.near");
    assert_string_equal(ms_parse_init(a, parse("{\"participants\":[],\"threshold\":1}")),
                        "participants must be an array of 1 to 32 participants");
    assert_string_equal(ms_parse_init(a, parse("{\"participants\":[\"A\"],\"threshold\":1}")),
                        "participant account_id must be a valid NEAR account id");
    assert_string_equal(
        ms_parse_init(a, parse("{\"participants\":[{\"account_id\":\"n1.near\",\"public_share\":"
                               "\"" G2S "\"}],\"threshold\":1}")),
        "public_share needs domains (a share belongs to the keys of domains)");
    assert_string_equal(
        ms_parse_init(a, parse("{\"participants\":[\"n1.near\"],\"threshold\":1,"
                               "\"domains\":[{\"domain_id\":1,\"public_key\":\"" G2S
                               "\"},{\"domain_id\":1,\"public_key\":\"" G2S "\"}]}")),
        "duplicate domain_id");
    assert_null(ms_parse_dkg_start(
        &d, parse("{\"domain_id\":2,\"participants\":[\"a.near\",\"b.near\",\"c.near\"],"
                  "\"threshold\":2}")));
    assert_int_equal(d.n, 3);
    assert_int_equal(d.threshold, 2);
    assert_int_equal(d.domain_id, 2);
    assert_string_equal(ms_parse_dkg_start(&d, parse("{\"domain_id\":2,\"participants\":[\"a.near\""
                                                     "],\"threshold\":0}")),
                        "threshold must be between 1 and the number of participants");
    assert_string_equal(
        ms_parse_dkg_start(&d, parse("{\"participants\":[\"a.near\"],\"threshold\":1}")),
        "missing argument: domain_id");
    free(a);
    near_arena_reset();
}

static void test_participants_and_powers(void **state)
{
    const char *ids[] = {"a.near", "bb.near", "c.near"};
    const char *back[MS_MAX_PARTICIPANTS];
    near_buf blob = ms_participants_blob(ids, 3);
    unsigned char le[32];
    (void)state;
    assert_int_equal(ms_participants_split(back, (const uint8_t *)blob.data, blob.len), 3);
    assert_string_equal(back[1], "bb.near");
    assert_int_equal(ms_participant_index(ids, 3, "c.near"), 2);
    assert_int_equal(ms_participant_index(ids, 3, "d.near"), -1);
    ms_pow_le(le, 5, 0);
    assert_hex_equal(le, 4, "01000000");
    ms_pow_le(le, 3, 4); /* 81 */
    assert_hex_equal(le, 4, "51000000");
    ms_pow_le(le, 32, 31); /* 2^155: bit 3 of byte 19 */
    for (int i = 0; i < 32; i++) {
        assert_int_equal(le[i], i == 19 ? 0x08 : 0);
    }
    near_arena_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha3_lengths),       cmocka_unit_test(test_app_id_vectors),
        cmocka_unit_test(test_constants),          cmocka_unit_test(test_fp_reduce),
        cmocka_unit_test(test_compress_negate),    cmocka_unit_test(test_expand_message),
        cmocka_unit_test(test_hash_to_g1_vectors), cmocka_unit_test(test_parse_g1_g2),
        cmocka_unit_test(test_parse_request),      cmocka_unit_test(test_parse_respond),
        cmocka_unit_test(test_parse_init_and_dkg), cmocka_unit_test(test_participants_and_powers),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(reg);
    return rc;
}
