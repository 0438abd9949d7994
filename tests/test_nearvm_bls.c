/*
 * The C runtime's bls12381_* host functions (src/nearvm/bls_host.c) as pure functions: nearcore's
 * EIP-2537-derived vectors (tests/vectors/nearvm_bls/), every error path (lengths, flags, x >= p,
 * off the curve, outside the subgroup, the (0, +-2) points with and without nearcore's
 * not-in-group fix, bad sign bytes), the empty inputs, identities, agreement with teekeys'
 * high-level BLS12-381 API, and the pairing checks teekeys' contracts make on the NEAR CKD vectors
 * (../shared/vectors/ckd.json): e(H, pk) == e(sig, G2) and e(app_pk1, G2) == e(G1, app_pk2).
 */
#include <stdint.h>

#include "../src/nearvm/bls_host.h"
#include "teekeys/bls12_381.h"
#include "util_json.h"

#define NOFIX 0u
#define FIX   TK_NEARVM_BLS_NOT_IN_GROUP_FIX

static const char p_hex[] =
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";

/* Runs fn and returns its return value; the call must not raise a host error. */
static uint64_t run(tk_nearvm_bls_result *res, tk_nearvm_bls_fn fn, const unsigned char *in,
                    size_t len, unsigned flags)
{
    assert_int_equal(tk_nearvm_bls_call(res, fn, in, len, flags), TK_OK);
    if (res->ret != 0 || fn == TK_NEARVM_BLS_PAIRING_CHECK) {
        assert_null(res->out);
    } else {
        assert_non_null(res->out);
    }
    return res->ret;
}

/* Return value only (output freed). */
static uint64_t ret_of(tk_nearvm_bls_fn fn, const unsigned char *in, size_t len, unsigned flags)
{
    tk_nearvm_bls_result res;
    uint64_t r = run(&res, fn, in, len, flags);
    tk_nearvm_bls_result_free(&res);
    return r;
}

static void g1_random(tk_bls_g1 *p)
{
    tk_bls_scalar k;
    tk_bls_g1 g;
    tk_bls_scalar_random(&k);
    tk_bls_g1_generator(&g);
    tk_bls_g1_mul_var(p, &g, &k);
}

static void g2_random(tk_bls_g2 *p)
{
    tk_bls_scalar k;
    tk_bls_g2 g;
    tk_bls_scalar_random(&k);
    tk_bls_g2_generator(&g);
    tk_bls_g2_mul_var(p, &g, &k);
}

/* An uncompressed point of E(Fp) outside G1: x counts up from `start` until x^3 + 4 is a square
 * (found by asking the compressed decoder) and the point is not in G1. */
static void g1_off_subgroup(unsigned char out[96], unsigned start)
{
    unsigned char c[48] = {0};
    tk_bls_g1 p;
    for (unsigned x = start;; x++) {
        c[0] = 0x80;
        c[46] = (unsigned char)(x >> 8);
        c[47] = (unsigned char)x;
        if (tk_bls_g1_decode_curve(&p, c, 48) == TK_OK && !tk_bls_g1_in_subgroup_var(&p)) {
            tk_bls_g1_serialize(out, &p);
            return;
        }
    }
}

static void g2_off_subgroup(unsigned char out[192])
{
    unsigned char c[96] = {0};
    tk_bls_g2 p;
    for (unsigned x = 1;; x++) {
        c[0] = 0x80;
        c[95] = (unsigned char)x;
        if (tk_bls_g2_decode_curve(&p, c, 96) == TK_OK && !tk_bls_g2_in_subgroup_var(&p)) {
            tk_bls_g2_serialize(out, &p);
            return;
        }
    }
}

static void le_scalar(unsigned char out[32], const tk_bls_scalar *k)
{
    unsigned char be[32];
    tk_bls_scalar_to_bytes(be, k);
    for (int i = 0; i < 32; i++) {
        out[i] = be[31 - i];
    }
}

/* ---- nearcore's vectors ---- */

static void test_nearcore_vectors(void **state)
{
    FILE *f = fopen("tests/vectors/nearvm_bls/nearcore_eip2537.txt", "r");
    char line[8192], name[64], in_hex[4096], out_hex[1024];
    unsigned long long want;
    unsigned char in[2048], out[512];
    int count = 0;
    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        tk_nearvm_bls_result res;
        size_t in_len, out_len = 0;
        int fn;
        if (line[0] == '#') {
            continue;
        }
        assert_int_equal(sscanf(line, "%63s %llu %4095s %1023s", name, &want, in_hex, out_hex), 4);
        assert_true((fn = tk_nearvm_bls_lookup(name)) >= 0);
        in_len = test_unhex(in, sizeof in, in_hex);
        if (strcmp(out_hex, "-") != 0) {
            out_len = test_unhex(out, sizeof out, out_hex);
        }
        assert_int_equal(run(&res, (tk_nearvm_bls_fn)fn, in, in_len, NOFIX), want);
        if (out_len > 0) {
            assert_int_equal(res.out_len, out_len);
            assert_memory_equal(res.out, out, out_len);
        }
        tk_nearvm_bls_result_free(&res);
        count++;
    }
    fclose(f);
    assert_int_equal(count, 8);
}

/* ---- host errors: input length ---- */

static void test_lengths(void **state)
{
    static const struct {
        tk_nearvm_bls_fn fn;
        size_t len;
        const char *msg;
    } cases[] = {
        {TK_NEARVM_BLS_P1_SUM, 96, "bls12381_p1_sum: 96 is not divisible by 97"},
        {TK_NEARVM_BLS_P2_SUM, 194, "bls12381_p2_sum: 194 is not divisible by 193"},
        {TK_NEARVM_BLS_G1_MULTIEXP, 1, "bls12381_p1_multiexp: 1 is not divisible by 128"},
        {TK_NEARVM_BLS_G2_MULTIEXP, 449, "bls12381_p2_multiexp: 449 is not divisible by 224"},
        {TK_NEARVM_BLS_MAP_FP_TO_G1, 47, "bls12381_map_fp_to_g1: 47 is not divisible by 48"},
        {TK_NEARVM_BLS_MAP_FP2_TO_G2, 48, "bls12381_map_fp2_to_g2: 48 is not divisible by 96"},
        {TK_NEARVM_BLS_PAIRING_CHECK, 96, "bls12381_pairing_check: 96 is not divisible by 288"},
        {TK_NEARVM_BLS_P1_DECOMPRESS, 96 + 1, "bls12381_p1_decompress: 97 is not divisible by 48"},
        {TK_NEARVM_BLS_P2_DECOMPRESS, 48, "bls12381_p2_decompress: 48 is not divisible by 96"},
    };
    static unsigned char junk[512];
    char want[200];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tk_nearvm_bls_result res;
        snprintf(want, sizeof want, "BLS12-381 invalid input: Incorrect input length for %s",
                 cases[i].msg);
        assert_int_equal(tk_nearvm_bls_call(&res, cases[i].fn, junk, cases[i].len, NOFIX),
                         TK_ERR_INPUT);
        assert_string_equal(res.error, want);
        assert_null(res.out);
        tk_nearvm_bls_result_free(&res);
    }
    /* names and lookups */
    for (int fn = 0; fn < TK_NEARVM_BLS_COUNT; fn++) {
        assert_int_equal(tk_nearvm_bls_lookup(tk_nearvm_bls_name((tk_nearvm_bls_fn)fn)), fn);
    }
    assert_int_equal(tk_nearvm_bls_lookup("bls12381_p1_multiexp"), -1);
    assert_null(tk_nearvm_bls_name(TK_NEARVM_BLS_COUNT));
}

/* ---- empty input ---- */

static void test_empty(void **state)
{
    tk_nearvm_bls_result res;
    unsigned char id1[96] = {0x40}, id2[192] = {0x40};
    (void)state;
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, NULL, 0, NOFIX), 0);
    assert_int_equal(res.out_len, 96);
    assert_memory_equal(res.out, id1, 96);
    tk_nearvm_bls_result_free(&res);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P2_SUM, NULL, 0, NOFIX), 0);
    assert_memory_equal(res.out, id2, 192);
    tk_nearvm_bls_result_free(&res);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, NULL, 0, NOFIX), 0);
    assert_memory_equal(res.out, id1, 96);
    tk_nearvm_bls_result_free(&res);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G2_MULTIEXP, NULL, 0, NOFIX), 0);
    assert_int_equal(res.out_len, 192);
    assert_memory_equal(res.out, id2, 192);
    tk_nearvm_bls_result_free(&res);
    static const tk_nearvm_bls_fn empty_out[] = {
        TK_NEARVM_BLS_MAP_FP_TO_G1, TK_NEARVM_BLS_MAP_FP2_TO_G2, TK_NEARVM_BLS_P1_DECOMPRESS,
        TK_NEARVM_BLS_P2_DECOMPRESS};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(run(&res, empty_out[i], NULL, 0, NOFIX), 0);
        assert_int_equal(res.out_len, 0);
        tk_nearvm_bls_result_free(&res);
    }
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, NULL, 0, NOFIX), 0);
}

/* ---- sums ---- */

static void test_sum(void **state)
{
    tk_bls_g1 a, b, sum, diff;
    tk_bls_g2 c, d, sum2;
    unsigned char in[3 * 193], want[192];
    tk_nearvm_bls_result res;
    (void)state;
    g1_random(&a);
    g1_random(&b);
    /* a + b - a + b = 2b, in one call, compared with the library */
    in[0] = 0;
    tk_bls_g1_serialize(in + 1, &a);
    in[97] = 0;
    tk_bls_g1_serialize(in + 98, &b);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 194, NOFIX), 0);
    tk_bls_g1_add(&sum, &a, &b);
    tk_bls_g1_serialize(want, &sum);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    in[0] = 1; /* -a + b */
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 194, NOFIX), 0);
    tk_bls_g1_sub(&diff, &b, &a);
    tk_bls_g1_serialize(want, &diff);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    in[97] = 1; /* -a - b */
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 194, NOFIX), 0);
    tk_bls_g1_neg(&sum, &sum);
    tk_bls_g1_serialize(want, &sum);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    /* P - P = identity, serialised 0x40 00.. */
    in[0] = 0;
    in[97] = 1;
    memcpy(in + 98, in + 1, 96);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 194, NOFIX), 0);
    memset(want, 0, 96);
    want[0] = 0x40;
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    /* sign bytes other than 0 and 1 */
    for (unsigned s = 2; s < 256; s += 51) {
        in[97] = (unsigned char)s;
        assert_int_equal(ret_of(TK_NEARVM_BLS_P1_SUM, in, 194, NOFIX), 1);
    }
    /* G2 */
    g2_random(&c);
    g2_random(&d);
    in[0] = 0;
    tk_bls_g2_serialize(in + 1, &c);
    in[193] = 0;
    tk_bls_g2_serialize(in + 194, &d);
    in[386] = 1;
    tk_bls_g2_serialize(in + 387, &c);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P2_SUM, in, 579, NOFIX), 0);
    tk_bls_g2_serialize(want, &d); /* c + d - c */
    assert_memory_equal(res.out, want, 192);
    tk_nearvm_bls_result_free(&res);
    in[386] = 0;
    assert_int_equal(run(&res, TK_NEARVM_BLS_P2_SUM, in, 386, NOFIX), 0);
    tk_bls_g2_add(&sum2, &c, &d);
    tk_bls_g2_serialize(want, &sum2);
    assert_memory_equal(res.out, want, 192);
    tk_nearvm_bls_result_free(&res);
    in[193] = 3;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P2_SUM, in, 386, NOFIX), 1);
}

/* Points outside the subgroups: accepted by sum and decompress, refused by multiexp and the
 * pairing check. */
static void test_off_subgroup(void **state)
{
    unsigned char in[1 + 192 + 192 + 32], comp[96], want[192];
    tk_nearvm_bls_result res;
    tk_bls_g1 p;
    tk_bls_g2 q;
    (void)state;
    in[0] = 0;
    g1_off_subgroup(in + 1, 1);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 97, NOFIX), 0);
    assert_memory_equal(res.out, in + 1, 96); /* 0 + P = P */
    tk_nearvm_bls_result_free(&res);
    /* compressed form decompresses back */
    assert_int_equal(tk_bls_g1_decode_curve(&p, in + 1, 96), TK_OK);
    tk_bls_g1_compress(comp, &p);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 0);
    assert_memory_equal(res.out, in + 1, 96);
    tk_nearvm_bls_result_free(&res);
    memset(in + 97, 0, 32);
    in[97] = 1;
    assert_int_equal(ret_of(TK_NEARVM_BLS_G1_MULTIEXP, in + 1, 128, FIX), 1);
    tk_bls_g2_generator(&q);
    tk_bls_g2_serialize(in + 97, &q);
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in + 1, 288, FIX), 1);

    in[0] = 1;
    g2_off_subgroup(in + 1);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P2_SUM, in, 193, NOFIX), 0);
    assert_int_equal(tk_bls_g2_decode_curve(&q, in + 1, 192), TK_OK);
    tk_bls_g2_neg(&q, &q);
    tk_bls_g2_serialize(want, &q);
    assert_memory_equal(res.out, want, 192);
    tk_nearvm_bls_result_free(&res);
    tk_bls_g2_compress(comp, &q);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P2_DECOMPRESS, comp, 96, NOFIX), 0);
    assert_memory_equal(res.out, want, 192);
    tk_nearvm_bls_result_free(&res);
    memset(in + 193, 0, 32);
    assert_int_equal(ret_of(TK_NEARVM_BLS_G2_MULTIEXP, in + 1, 224, NOFIX), 1);
    tk_bls_g1_generator(&p);
    tk_bls_g1_serialize(in, &p);
    tk_bls_g2_serialize(in + 96, &q);
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 288, NOFIX), 1);
}

/* (0, +-2): refused by p1_sum / p1_decompress before nearcore's not-in-group fix, accepted
 * after; refused by multiexp and the pairing check either way. */
static void test_x_zero(void **state)
{
    unsigned char in[1 + 96 + 192], comp[48];
    tk_nearvm_bls_result res;
    tk_bls_g2 g2;
    (void)state;
    for (int neg = 0; neg < 2; neg++) {
        memset(in, 0, sizeof in);
        in[96] = 2; /* y = 2 */
        if (neg) {  /* y = p - 2 */
            test_unhex(in + 49, 48, p_hex);
            in[96] = 0xa9;
        }
        assert_int_equal(ret_of(TK_NEARVM_BLS_P1_SUM, in, 97, NOFIX), 1);
        assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 97, FIX), 0);
        assert_memory_equal(res.out, in + 1, 96);
        tk_nearvm_bls_result_free(&res);
        memset(comp, 0, sizeof comp);
        comp[0] = (unsigned char)(0x80 | (neg ? 0x20 : 0)); /* p - 2 is the larger root */
        assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 1);
        assert_int_equal(run(&res, TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, FIX), 0);
        assert_memory_equal(res.out, in + 1, 96);
        tk_nearvm_bls_result_free(&res);
        memset(in + 97, 0, 32);
        assert_int_equal(ret_of(TK_NEARVM_BLS_G1_MULTIEXP, in + 1, 128, FIX), 1);
        tk_bls_g2_generator(&g2);
        tk_bls_g2_serialize(in + 97, &g2);
        assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in + 1, 288, FIX), 1);
    }
}

/* Encodings that nearcore refuses, in each function that reads them. */
static void test_bad_encodings(void **state)
{
    unsigned char pt[192], item[1 + 192 + 32], comp[96];
    tk_bls_g1 p;
    tk_bls_g2 q;
    tk_nearvm_bls_result res;
    (void)state;
    g1_random(&p);
    tk_bls_g1_serialize(pt, &p);
    /* G1: the same mutations through p1_sum (item[0] = sign 0) and g1_multiexp */
    for (int m = 0; m < 10; m++) {
        item[0] = 0;
        memcpy(item + 1, pt, 96);
        switch (m) {
        case 0:
            item[1] |= 0x80;
            break; /* compressed flag on an uncompressed point */
        case 1:
            item[1] |= 0x20;
            break; /* sign flag */
        case 2:
            item[1] |= 0x40;
            break; /* infinity flag with coordinates */
        case 3:
            item[96] ^= 1;
            break; /* y + 1: off the curve */
        case 4:
            test_unhex(item + 1, 48, p_hex);
            break; /* x = p */
        case 5:
            memset(item + 1, 0, 96);
            break; /* (0, 0) without the infinity flag */
        case 6:
            memset(item + 1, 0, 96);
            item[1] = 0x40;
            item[96] = 1;
            break; /* bad infinity */
        case 7:
            memset(item + 1, 0, 96);
            item[1] = 0x60;
            break; /* infinity with the sign */
        case 8:
            memset(item + 1, 0, 96);
            item[1] = 0xc0;
            break; /* compressed infinity */
        default:
            memset(item + 49, 0xff, 48);
            break; /* y >= p */
        }
        assert_int_equal(ret_of(TK_NEARVM_BLS_P1_SUM, item, 97, FIX), 1);
        memset(item + 97, 0, 32);
        assert_int_equal(ret_of(TK_NEARVM_BLS_G1_MULTIEXP, item + 1, 128, FIX), 1);
    }
    /* y + p where it still fits in 48 bytes: refused although y + p = y (mod p) */
    {
        tk_bls_g1 g;
        tk_bls_g1_generator(&g);
        tk_bls_g1_serialize(pt, &g); /* the generator's y starts with 0x08: y + p < 2^384 */
        unsigned carry = 0;
        unsigned char pb[48];
        test_unhex(pb, 48, p_hex);
        for (int i = 47; i >= 0; i--) {
            unsigned s = pt[48 + i] + pb[i] + carry;
            pt[48 + i] = (unsigned char)s;
            carry = s >> 8;
        }
        assert_int_equal(carry, 0);
        item[0] = 0;
        memcpy(item + 1, pt, 96);
        assert_int_equal(ret_of(TK_NEARVM_BLS_P1_SUM, item, 97, FIX), 1);
    }
    /* G2: off the curve, x.c0 = p, sign flag */
    g2_random(&q);
    tk_bls_g2_serialize(pt, &q);
    for (int m = 0; m < 4; m++) {
        item[0] = 1;
        memcpy(item + 1, pt, 192);
        switch (m) {
        case 0:
            item[192] ^= 2;
            break;
        case 1:
            test_unhex(item + 49, 48, p_hex);
            break;
        case 2:
            item[1] |= 0x20;
            break;
        default:
            item[1] |= 0x80;
            break;
        }
        assert_int_equal(ret_of(TK_NEARVM_BLS_P2_SUM, item, 193, FIX), 1);
        memset(item + 193, 0, 32);
        assert_int_equal(ret_of(TK_NEARVM_BLS_G2_MULTIEXP, item + 1, 224, FIX), 1);
    }
    /* decompress: no compressed flag, bad infinity, x >= p, x not on the curve */
    tk_bls_g1_compress(comp, &p);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 0);
    tk_bls_g1_serialize(pt, &p);
    assert_memory_equal(res.out, pt, 96);
    tk_nearvm_bls_result_free(&res);
    comp[0] &= 0x7f;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 1);
    memset(comp, 0, 48);
    comp[0] = 0xc0;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 0);
    comp[47] = 1;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 1);
    comp[47] = 0;
    comp[0] = 0xe0;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, NOFIX), 1);
    test_unhex(comp, 48, p_hex);
    comp[0] |= 0x80;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, FIX), 1);
    memset(comp, 0, 48);
    comp[0] = 0x80;
    comp[47] = 3; /* 3^3 + 4 = 31 is not a square mod p */
    {
        tk_bls_g1 t;
        int on = tk_bls_g1_decode_curve(&t, comp, 48) == TK_OK;
        assert_int_equal(ret_of(TK_NEARVM_BLS_P1_DECOMPRESS, comp, 48, FIX), on ? 0 : 1);
    }
    tk_bls_g2_compress(comp, &q);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P2_DECOMPRESS, comp, 96, NOFIX), 0);
    tk_bls_g2_serialize(pt, &q);
    assert_memory_equal(res.out, pt, 192);
    tk_nearvm_bls_result_free(&res);
    test_unhex(comp + 48, 48, p_hex); /* x.c0 = p */
    assert_int_equal(ret_of(TK_NEARVM_BLS_P2_DECOMPRESS, comp, 96, NOFIX), 1);
    /* a valid point after an invalid one: still 1, nothing written */
    tk_bls_g2_compress(comp, &q);
    unsigned char two[192];
    memcpy(two, comp, 96);
    memcpy(two + 96, comp, 96);
    two[0] &= 0x7f;
    assert_int_equal(ret_of(TK_NEARVM_BLS_P2_DECOMPRESS, two, 192, NOFIX), 1);
}

/* ---- multiexp ---- */

static void test_multiexp(void **state)
{
    unsigned char in[3 * 224], want[192], r_le[32];
    tk_bls_scalar k1, k2, r_minus_1;
    tk_bls_g1 p1, p2, t1, t2;
    tk_bls_g2 q1, q2, u1, u2;
    tk_nearvm_bls_result res;
    (void)state;
    g1_random(&p1);
    g1_random(&p2);
    tk_bls_scalar_random(&k1);
    tk_bls_scalar_random(&k2);
    tk_bls_g1_serialize(in, &p1);
    le_scalar(in + 96, &k1);
    tk_bls_g1_serialize(in + 128, &p2);
    le_scalar(in + 224, &k2);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 256, NOFIX), 0);
    tk_bls_g1_mul(&t1, &p1, &k1);
    tk_bls_g1_mul(&t2, &p2, &k2);
    tk_bls_g1_add(&t1, &t1, &t2);
    tk_bls_g1_serialize(want, &t1);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    /* the scalar is little-endian: bytes 02 00 .. 00 mean 2 */
    memset(in + 96, 0, 32);
    in[96] = 2;
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 128, NOFIX), 0);
    tk_bls_g1_dbl(&t1, &p1);
    tk_bls_g1_serialize(want, &t1);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    /* r * P = identity; (k + r) * P = k * P; (2^256 - 1) * P = ((2^256 - 1) mod r) * P */
    static const char r_hex[] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
    unsigned char rb[32];
    test_unhex(rb, 32, r_hex);
    for (int i = 0; i < 32; i++) {
        r_le[i] = rb[31 - i];
    }
    memcpy(in + 96, r_le, 32);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 128, NOFIX), 0);
    memset(want, 0, 96);
    want[0] = 0x40;
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    in[96] = 0x03; /* r + 2 */
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 128, NOFIX), 0);
    tk_bls_g1_serialize(want, &t1);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    memset(in + 96, 0xff, 32);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 128, NOFIX), 0);
    {
        unsigned char ones[32];
        tk_bls_scalar k;
        memset(ones, 0xff, 32);
        assert_int_equal(tk_bls_scalar_from_wide(&k, ones, 32), TK_OK);
        tk_bls_g1_mul_var(&t2, &p1, &k);
        tk_bls_g1_serialize(want, &t2);
        assert_memory_equal(res.out, want, 96);
    }
    tk_nearvm_bls_result_free(&res);
    /* r - 1 = -1: P * (r - 1) == -P, as the sum with sign 1 */
    tk_bls_scalar_from_u64(&r_minus_1, 1);
    tk_bls_scalar_neg(&r_minus_1, &r_minus_1);
    le_scalar(in + 96, &r_minus_1);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 128, NOFIX), 0);
    tk_bls_g1_neg(&t2, &p1);
    tk_bls_g1_serialize(want, &t2);
    assert_memory_equal(res.out, want, 96);
    tk_nearvm_bls_result_free(&res);
    /* the identity point with any scalar */
    memset(in, 0, 96);
    in[0] = 0x40;
    assert_int_equal(run(&res, TK_NEARVM_BLS_G1_MULTIEXP, in, 128, NOFIX), 0);
    assert_memory_equal(res.out, in, 96);
    tk_nearvm_bls_result_free(&res);

    /* G2 */
    g2_random(&q1);
    g2_random(&q2);
    tk_bls_g2_serialize(in, &q1);
    le_scalar(in + 192, &k1);
    tk_bls_g2_serialize(in + 224, &q2);
    le_scalar(in + 416, &k2);
    assert_int_equal(run(&res, TK_NEARVM_BLS_G2_MULTIEXP, in, 448, NOFIX), 0);
    tk_bls_g2_mul(&u1, &q1, &k1);
    tk_bls_g2_mul(&u2, &q2, &k2);
    tk_bls_g2_add(&u1, &u1, &u2);
    tk_bls_g2_serialize(want, &u1);
    assert_memory_equal(res.out, want, 192);
    tk_nearvm_bls_result_free(&res);
}

/* ---- map to curve ---- */

static void test_map(void **state)
{
    unsigned char in[2 * 96], want[192];
    tk_nearvm_bls_result res;
    tk_bls_g1 p;
    tk_bls_g2 q;
    (void)state;
    /* 0 and p - 1 map into G1; the output equals the library's map */
    memset(in, 0, 48);
    test_unhex(in + 48, 48, p_hex);
    in[95] -= 1;
    assert_int_equal(run(&res, TK_NEARVM_BLS_MAP_FP_TO_G1, in, 96, NOFIX), 0);
    assert_int_equal(res.out_len, 192);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(tk_bls_map_fp_to_g1(&p, in + 48 * i), TK_OK);
        tk_bls_g1_serialize(want, &p);
        assert_memory_equal(res.out + 96 * i, want, 96);
        assert_int_equal(tk_bls_g1_decode(&p, res.out + 96 * i, 96), TK_OK); /* in G1 */
    }
    tk_nearvm_bls_result_free(&res);
    in[95] += 1; /* p */
    assert_int_equal(ret_of(TK_NEARVM_BLS_MAP_FP_TO_G1, in, 96, NOFIX), 1);
    memset(in + 48, 0xff, 48);
    assert_int_equal(ret_of(TK_NEARVM_BLS_MAP_FP_TO_G1, in + 48, 48, NOFIX), 1);
    /* Fp2 = c1 || c0; either >= p is refused */
    memset(in, 0, 96);
    in[95] = 7;
    assert_int_equal(run(&res, TK_NEARVM_BLS_MAP_FP2_TO_G2, in, 96, NOFIX), 0);
    assert_int_equal(tk_bls_g2_decode(&q, res.out, 192), TK_OK);
    assert_int_equal(tk_bls_map_fp2_to_g2(&q, in), TK_OK);
    tk_bls_g2_serialize(want, &q);
    assert_memory_equal(res.out, want, 192);
    tk_nearvm_bls_result_free(&res);
    test_unhex(in, 48, p_hex);
    assert_int_equal(ret_of(TK_NEARVM_BLS_MAP_FP2_TO_G2, in, 96, NOFIX), 1);
    memset(in, 0, 48);
    test_unhex(in + 48, 48, p_hex);
    assert_int_equal(ret_of(TK_NEARVM_BLS_MAP_FP2_TO_G2, in, 96, NOFIX), 1);
}

/* ---- pairing ---- */

static void test_pairing(void **state)
{
    unsigned char in[2 * 288];
    tk_bls_scalar a, b, ab;
    tk_bls_g1 g1, p;
    tk_bls_g2 g2, q;
    (void)state;
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_scalar_random(&a);
    tk_bls_scalar_random(&b);
    tk_bls_scalar_mul(&ab, &a, &b);
    /* e(aG1, bG2) * e(-abG1, G2) == 1 */
    tk_bls_g1_mul(&p, &g1, &a);
    tk_bls_g1_serialize(in, &p);
    tk_bls_g2_mul(&q, &g2, &b);
    tk_bls_g2_serialize(in + 96, &q);
    tk_bls_g1_mul(&p, &g1, &ab);
    tk_bls_g1_neg(&p, &p);
    tk_bls_g1_serialize(in + 288, &p);
    tk_bls_g2_serialize(in + 384, &g2);
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 576, NOFIX), 0);
    tk_bls_g1_neg(&p, &p); /* e(aG1, bG2) * e(abG1, G2) != 1 */
    tk_bls_g1_serialize(in + 288, &p);
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 576, NOFIX), 2);
    /* a single pair: 2 unless one side is the identity */
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 288, NOFIX), 2);
    memset(in, 0, 96);
    in[0] = 0x40;
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 288, NOFIX), 0);
    tk_bls_g1_serialize(in, &g1);
    memset(in + 96, 0, 192);
    in[96] = 0x40;
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 288, NOFIX), 0);
    /* decoding failures give 1 even when a later pair is fine */
    in[96] = 0xc0;
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 288, NOFIX), 1);
    in[96] = 0x40;
    in[0] |= 0x80;
    assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 288, NOFIX), 1);
}

/* The checks teekeys' contracts make, on the NEAR CKD vectors, through the host functions only:
 * decompress the points, negate with p1_sum, then pairing_check. */
static void decompress_into(unsigned char *out, json_t *v, const char *key, int g2)
{
    unsigned char c[96];
    tk_nearvm_bls_result res;
    const char *h = json_string_value(json_object_get(v, key));
    size_t n;
    assert_non_null(h);
    n = test_unhex(c, sizeof c, h);
    assert_int_equal(n, g2 ? 96u : 48u);
    assert_int_equal(
        run(&res, g2 ? TK_NEARVM_BLS_P2_DECOMPRESS : TK_NEARVM_BLS_P1_DECOMPRESS, c, n, NOFIX), 0);
    memcpy(out, res.out, res.out_len);
    tk_nearvm_bls_result_free(&res);
}

static void negate_g1(unsigned char pt[96])
{
    unsigned char in[97];
    tk_nearvm_bls_result res;
    in[0] = 1;
    memcpy(in + 1, pt, 96);
    assert_int_equal(run(&res, TK_NEARVM_BLS_P1_SUM, in, 97, NOFIX), 0);
    memcpy(pt, res.out, 96);
    tk_nearvm_bls_result_free(&res);
}

static void test_ckd_relations(void **state)
{
    json_t *doc, *v;
    size_t i;
    unsigned char in[2 * 288];
    tk_bls_g1 g1;
    tk_bls_g2 g2;
    (void)state;
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    doc = test_shared_json("ckd.json");
    json_array_foreach(json_object_get(doc, "ckd"), i, v)
    {
        /* e(H, pk) == e(sig, G2): (H, pk), (-sig, G2) */
        decompress_into(in, v, "hash_point", 0);
        decompress_into(in + 96, v, "pk", 1);
        decompress_into(in + 288, v, "sig", 0);
        negate_g1(in + 288);
        tk_bls_g2_serialize(in + 384, &g2);
        assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 576, NOFIX), 0);
        /* a wrong signature (sig instead of -sig) fails with 2 */
        negate_g1(in + 288);
        assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 576, NOFIX), 2);
        /* the app key pair: e(app_pk1, G2) == e(G1, app_pk2) */
        decompress_into(in, v, "app_pk1", 0);
        tk_bls_g2_serialize(in + 96, &g2);
        tk_bls_g1_serialize(in + 288, &g1);
        negate_g1(in + 288);
        decompress_into(in + 384, v, "app_pk2", 1);
        assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 576, NOFIX), 0);
        /* -app_pk2 in place of app_pk2 (negated with p2_sum): 2 */
        {
            unsigned char neg[193];
            tk_nearvm_bls_result res;
            neg[0] = 1;
            memcpy(neg + 1, in + 384, 192);
            assert_int_equal(run(&res, TK_NEARVM_BLS_P2_SUM, neg, 193, NOFIX), 0);
            memcpy(in + 384, res.out, 192);
            tk_nearvm_bls_result_free(&res);
        }
        assert_int_equal(ret_of(TK_NEARVM_BLS_PAIRING_CHECK, in, 576, NOFIX), 2);
    }
    assert_int_equal(i, 4);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nearcore_vectors),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_sum),
        cmocka_unit_test(test_off_subgroup),
        cmocka_unit_test(test_x_zero),
        cmocka_unit_test(test_bad_encodings),
        cmocka_unit_test(test_multiexp),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_pairing),
        cmocka_unit_test(test_ckd_relations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
