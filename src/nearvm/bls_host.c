/*
 * nearcore's nine BLS12-381 host functions (NEP-488) for teekeys' C NEAR runtime, on teekeys'
 * own BLS12-381 library. The pure functions here (tk_nearvm_bls_*, bls_host.h) map input bytes
 * to nearcore's return value, register bytes or host error; the near_host_bls12381_* bindings
 * (bls_bind.c) read the input and write the register through the runtime. tests/oracle/
 * near_bls_host.mjs implements the same semantics in JavaScript for the wasm runtime.
 *
 * What nearcore does, established from its source (near/nearcore, 2026):
 * runtime/near-vm-runner/src/logic/bls12381.rs (the functions), logic/logic.rs (the host
 * wrappers: gas, input from memory or register, register write, return value), logic/errors.rs
 * (HostError Display), logic/tests/bls12381.rs and logic/tests/bls12381_test_vectors/ (tests and
 * EIP-2537-derived vectors), core/parameters (the `bls12381_not_in_group_fix` gate, PR 14550),
 * and blst (supranational/blst src/e1.c, e2.c, pairing.c; bindings/rust), which nearcore calls.
 *
 * Encodings
 * - Fp element: 48 bytes big-endian, must be < p (canonical). Fp2 = c1 || c0 (96 bytes).
 * - Uncompressed point ("P1" 96 bytes, "P2" 192 bytes): x || y (G2: x.c1 x.c0 y.c1 y.c0), the
 *   ZCash format as blst_p*_deserialize reads it: first byte & 0x80 (compressed) refused up
 *   front; first byte & 0xe0 == 0: x < p, y < p, (x, y) on the curve; first byte & 0x40
 *   (infinity): the first byte must be exactly 0x40 and every other byte 0; any other flag
 *   combination (0x20 alone, 0x60, ...) is refused. No subgroup check in decoding.
 * - Compressed point (48 / 96 bytes, decompress only): first byte & 0x80 must be set; 0x40
 *   infinity: first byte exactly 0xc0 and the rest 0; else 0x20 = sign (y lexicographically
 *   largest, i.e. y > (p-1)/2, for G2 decided on y.c1 unless y.c1 == 0), x (top 3 bits masked)
 *   < p, x^3 + b must be a square. No subgroup check.
 * - Output points are always uncompressed with no flag bits; the identity is 0x40 then zeros.
 * - Scalars (multiexp): 32 bytes LITTLE-endian, all 256 bits used (not reduced, not checked
 *   against r; k*P for P in the subgroup equals (k mod r)*P).
 *
 * Functions (input = concatenation of items; output to register_id)
 * - p1_sum / p2_sum: items sign(1 byte) || P (97 / 193 bytes). sign 0 adds P, 1 adds -P, any
 *   other value -> return 1. Points may lie outside the subgroup (whole curve). Empty input ->
 *   identity. Output: one point.
 * - g1_multiexp / g2_multiexp: items P || scalar (128 / 224 bytes). P must also be in G1/G2.
 *   Output sum k_i * P_i (empty -> identity).
 * - map_fp_to_g1 / map_fp2_to_g2: items Fp (48) / Fp2 (96); each element >= p -> return 1.
 *   Each maps with RFC 9380 map_to_curve (simplified SWU onto the isogenous curve, then the
 *   11- / 3-isogeny) followed by clear_cofactor (blst_map_to_g1/g2 with no second element),
 *   no hash_to_field. Output: the concatenated points (empty input -> empty register).
 * - pairing_check: items P1 || P2 (288 bytes), each decoded strictly (compressed flag ->
 *   return 1; decode error, including (0, +-2) -> 1; not in G1/G2 -> 1). Pairs containing an
 *   identity contribute 1. Returns 0 if prod e(P1_i, P2_i) == 1 (empty input -> 0), else 2.
 *   Writes no register.
 * - p1_decompress / p2_decompress: items compressed points (48 / 96); output the uncompressed
 *   points concatenated (empty input -> empty register).
 * Return values: 0 success (register written), 1 any invalid item (register untouched; nearcore
 * stops at the first invalid item, which is not observable), 2 pairing check false.
 * (0, +-2), the only G1 points with x == 0 (none exist on the G2 twist: 4(1+u) is not a square
 * because p = 3 mod 8), are refused with return 1 by p1_sum and p1_decompress unless
 * `bls12381_not_in_group_fix` is on (TK_NEARVM_BLS_NOT_IN_GROUP_FIX; off in the stable protocol of
 * PR 14550's time). multiexp and pairing_check refuse them either way (not in G1).
 *
 * Host error (the call aborts): input length not a multiple of the item size, checked before
 * anything else is decoded (after gas and reading memory), HostError::BLS12381InvalidInput
 * displayed "BLS12-381 invalid input: Incorrect input length for NAME: LEN is not divisible by
 * ITEM" with NAME = bls12381_p1_sum, bls12381_p2_sum, bls12381_p1_multiexp (sic, not g1),
 * bls12381_p2_multiexp, bls12381_map_fp_to_g1, bls12381_map_fp2_to_g2, bls12381_pairing_check,
 * bls12381_p1_decompress, bls12381_p2_decompress. The wrappers in logic.rs pay gas (base, then
 * per element: (value_len / item) * cost with checked_mul, HostError::IntegerOverflow "Integer
 * overflow." on overflow), read the input with get_memory_or_register, call the function, and
 * write the register when it returned 0. value_len == u64::MAX (get_memory_or_register's
 * "read register value_ptr") therefore always fails with "Integer overflow." before any register
 * is read (elements >= 2^64 / 288 times a cost of billions of gas); bls_bind.c does the same.
 * Gas itself follows teekeys' simplified model (docs/nearvm.md), not these costs.
 */
#include "bls_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/bls12_381.h"

#define P1_LEN   TK_BLS_G1_UNCOMPRESSED
#define P2_LEN   TK_BLS_G2_UNCOMPRESSED
#define P1C_LEN  TK_BLS_G1_COMPRESSED
#define P2C_LEN  TK_BLS_G2_COMPRESSED
#define FP_LEN   TK_BLS_FP_LEN
#define FP2_LEN  (2 * TK_BLS_FP_LEN)
#define SCALAR   32
#define FLAG_CMP 0x80

static const struct {
    const char *name;     /* import name */
    const char *err_name; /* the name nearcore's length error uses */
    size_t item;
} fns[TK_NEARVM_BLS_COUNT] = {
    [TK_NEARVM_BLS_P1_SUM] = {"bls12381_p1_sum", "bls12381_p1_sum", 1 + P1_LEN},
    [TK_NEARVM_BLS_P2_SUM] = {"bls12381_p2_sum", "bls12381_p2_sum", 1 + P2_LEN},
    [TK_NEARVM_BLS_G1_MULTIEXP] = {"bls12381_g1_multiexp", "bls12381_p1_multiexp", P1_LEN + SCALAR},
    [TK_NEARVM_BLS_G2_MULTIEXP] = {"bls12381_g2_multiexp", "bls12381_p2_multiexp", P2_LEN + SCALAR},
    [TK_NEARVM_BLS_MAP_FP_TO_G1] = {"bls12381_map_fp_to_g1", "bls12381_map_fp_to_g1", FP_LEN},
    [TK_NEARVM_BLS_MAP_FP2_TO_G2] = {"bls12381_map_fp2_to_g2", "bls12381_map_fp2_to_g2", FP2_LEN},
    [TK_NEARVM_BLS_PAIRING_CHECK] = {"bls12381_pairing_check", "bls12381_pairing_check",
                                     P1_LEN + P2_LEN},
    [TK_NEARVM_BLS_P1_DECOMPRESS] = {"bls12381_p1_decompress", "bls12381_p1_decompress", P1C_LEN},
    [TK_NEARVM_BLS_P2_DECOMPRESS] = {"bls12381_p2_decompress", "bls12381_p2_decompress", P2C_LEN},
};

const char *tk_nearvm_bls_name(tk_nearvm_bls_fn fn)
{
    return (unsigned)fn < TK_NEARVM_BLS_COUNT ? fns[fn].name : NULL;
}

int tk_nearvm_bls_lookup(const char *name)
{
    for (int i = 0; name != NULL && i < TK_NEARVM_BLS_COUNT; i++) {
        if (strcmp(fns[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

void tk_nearvm_bls_result_free(tk_nearvm_bls_result *res)
{
    if (res != NULL) {
        free(res->out);
        res->out = NULL;
        res->out_len = 0;
    }
}

/* ---- decoding as blst does it ---- */

/* 1 if the non-infinity encoding starting at `x` has x == 0 once the flag bits are masked: the
 * points (0, +-2) that blst reports as BLST_POINT_NOT_IN_GROUP while decoding. */
static int x_is_zero(const unsigned char *x)
{
    unsigned char acc = (unsigned char)(x[0] & 0x1f);
    for (size_t i = 1; i < FP_LEN; i++) {
        acc |= x[i];
    }
    return acc == 0 && (x[0] & 0x40) == 0;
}

/* nearcore's parse_p1 (sum): uncompressed, on the curve, no subgroup check. */
static int parse_p1(tk_bls_g1 *p, const unsigned char *in, unsigned flags)
{
    if ((in[0] & FLAG_CMP) != 0 || tk_bls_g1_decode_curve(p, in, P1_LEN) != TK_OK) {
        return 0;
    }
    return (flags & TK_NEARVM_BLS_NOT_IN_GROUP_FIX) != 0 || !x_is_zero(in);
}

static int parse_p2(tk_bls_g2 *p, const unsigned char *in, unsigned flags)
{
    (void)flags; /* no point of the twist has x == 0 */
    return (in[0] & FLAG_CMP) == 0 && tk_bls_g2_decode_curve(p, in, P2_LEN) == TK_OK;
}

/* Uncompressed and in G1 / G2 (multiexp, pairing_check). */
static int parse_g1(tk_bls_g1 *p, const unsigned char *in)
{
    return (in[0] & FLAG_CMP) == 0 && tk_bls_g1_decode(p, in, P1_LEN) == TK_OK;
}

static int parse_g2(tk_bls_g2 *p, const unsigned char *in)
{
    return (in[0] & FLAG_CMP) == 0 && tk_bls_g2_decode(p, in, P2_LEN) == TK_OK;
}

/* A 32-byte little-endian scalar reduced mod r. */
static void read_scalar(tk_bls_scalar *k, const unsigned char *in)
{
    unsigned char be[SCALAR];
    for (size_t i = 0; i < SCALAR; i++) {
        be[i] = in[SCALAR - 1 - i];
    }
    if (tk_bls_scalar_from_wide(k, be, SCALAR) != TK_OK) {
        tk_bls_scalar_from_u64(k, 0); /* unreachable: 32 <= 64 bytes */
    }
}

/* ---- the functions; each returns TK_OK with res->ret set, or TK_ERR_NOMEM ---- */

static int set_out(tk_nearvm_bls_result *res, size_t len)
{
    res->out = malloc(len > 0 ? len : 1);
    if (res->out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "bls host: out of memory");
    }
    res->out_len = len;
    return TK_OK;
}

static int p1_sum(tk_nearvm_bls_result *res, const unsigned char *in, size_t n, unsigned flags)
{
    tk_bls_g1 acc, p;
    tk_bls_g1_identity(&acc);
    for (size_t i = 0; i < n; i++, in += 1 + P1_LEN) {
        if (!parse_p1(&p, in + 1, flags) || in[0] > 1) {
            res->ret = 1;
            return TK_OK;
        }
        if (in[0] == 1) {
            tk_bls_g1_neg(&p, &p);
        }
        tk_bls_g1_add(&acc, &acc, &p);
    }
    if (set_out(res, P1_LEN) != TK_OK) {
        return TK_ERR_NOMEM;
    }
    tk_bls_g1_serialize(res->out, &acc);
    return TK_OK;
}

static int p2_sum(tk_nearvm_bls_result *res, const unsigned char *in, size_t n, unsigned flags)
{
    tk_bls_g2 acc, p;
    tk_bls_g2_identity(&acc);
    for (size_t i = 0; i < n; i++, in += 1 + P2_LEN) {
        if (!parse_p2(&p, in + 1, flags) || in[0] > 1) {
            res->ret = 1;
            return TK_OK;
        }
        if (in[0] == 1) {
            tk_bls_g2_neg(&p, &p);
        }
        tk_bls_g2_add(&acc, &acc, &p);
    }
    if (set_out(res, P2_LEN) != TK_OK) {
        return TK_ERR_NOMEM;
    }
    tk_bls_g2_serialize(res->out, &acc);
    return TK_OK;
}

static int g1_multiexp(tk_nearvm_bls_result *res, const unsigned char *in, size_t n)
{
    tk_bls_g1 *p = calloc(n > 0 ? n : 1, sizeof *p), acc;
    tk_bls_scalar *k = calloc(n > 0 ? n : 1, sizeof *k);
    int rc = TK_ERR_NOMEM;
    if (p == NULL || k == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "bls host: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++, in += P1_LEN + SCALAR) {
        if (!parse_g1(&p[i], in)) {
            res->ret = 1;
            rc = TK_OK;
            goto done;
        }
        read_scalar(&k[i], in + P1_LEN);
    }
    if ((rc = tk_bls_g1_msm_var(&acc, p, k, n)) != TK_OK || (rc = set_out(res, P1_LEN)) != TK_OK) {
        goto done;
    }
    tk_bls_g1_serialize(res->out, &acc);
done:
    free(p);
    free(k);
    return rc;
}

static int g2_multiexp(tk_nearvm_bls_result *res, const unsigned char *in, size_t n)
{
    tk_bls_g2 *p = calloc(n > 0 ? n : 1, sizeof *p), acc;
    tk_bls_scalar *k = calloc(n > 0 ? n : 1, sizeof *k);
    int rc = TK_ERR_NOMEM;
    if (p == NULL || k == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "bls host: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++, in += P2_LEN + SCALAR) {
        if (!parse_g2(&p[i], in)) {
            res->ret = 1;
            rc = TK_OK;
            goto done;
        }
        read_scalar(&k[i], in + P2_LEN);
    }
    if ((rc = tk_bls_g2_msm_var(&acc, p, k, n)) != TK_OK || (rc = set_out(res, P2_LEN)) != TK_OK) {
        goto done;
    }
    tk_bls_g2_serialize(res->out, &acc);
done:
    free(p);
    free(k);
    return rc;
}

static int map_fp_to_g1(tk_nearvm_bls_result *res, const unsigned char *in, size_t n)
{
    tk_bls_g1 p;
    if (set_out(res, n * P1_LEN) != TK_OK) {
        return TK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (tk_bls_map_fp_to_g1(&p, in + i * FP_LEN) != TK_OK) {
            tk_nearvm_bls_result_free(res);
            res->ret = 1;
            return TK_OK;
        }
        tk_bls_g1_serialize(res->out + i * P1_LEN, &p);
    }
    return TK_OK;
}

static int map_fp2_to_g2(tk_nearvm_bls_result *res, const unsigned char *in, size_t n)
{
    tk_bls_g2 p;
    if (set_out(res, n * P2_LEN) != TK_OK) {
        return TK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (tk_bls_map_fp2_to_g2(&p, in + i * FP2_LEN) != TK_OK) {
            tk_nearvm_bls_result_free(res);
            res->ret = 1;
            return TK_OK;
        }
        tk_bls_g2_serialize(res->out + i * P2_LEN, &p);
    }
    return TK_OK;
}

static int pairing_check(tk_nearvm_bls_result *res, const unsigned char *in, size_t n)
{
    tk_bls_g1 *p = calloc(n > 0 ? n : 1, sizeof *p);
    tk_bls_g2 *q = calloc(n > 0 ? n : 1, sizeof *q);
    int rc = TK_OK;
    if (p == NULL || q == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "bls host: out of memory");
        goto done;
    }
    res->ret = 1;
    for (size_t i = 0; i < n; i++, in += P1_LEN + P2_LEN) {
        if (!parse_g1(&p[i], in) || !parse_g2(&q[i], in + P1_LEN)) {
            goto done;
        }
    }
    switch (tk_bls_pairing_check(p, q, n)) {
    case 1:
        res->ret = 0;
        break;
    case 0:
        res->ret = 2;
        break;
    default:
        rc = tk_fail(TK_ERR_INTERNAL, "bls host: pairing check failed");
    }
done:
    free(p);
    free(q);
    return rc;
}

static int p1_decompress(tk_nearvm_bls_result *res, const unsigned char *in, size_t n,
                         unsigned flags)
{
    tk_bls_g1 p;
    if (set_out(res, n * P1_LEN) != TK_OK) {
        return TK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++, in += P1C_LEN) {
        if ((in[0] & FLAG_CMP) == 0 || tk_bls_g1_decode_curve(&p, in, P1C_LEN) != TK_OK ||
            ((flags & TK_NEARVM_BLS_NOT_IN_GROUP_FIX) == 0 && x_is_zero(in))) {
            tk_nearvm_bls_result_free(res);
            res->ret = 1;
            return TK_OK;
        }
        tk_bls_g1_serialize(res->out + i * P1_LEN, &p);
    }
    return TK_OK;
}

static int p2_decompress(tk_nearvm_bls_result *res, const unsigned char *in, size_t n)
{
    tk_bls_g2 p;
    if (set_out(res, n * P2_LEN) != TK_OK) {
        return TK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++, in += P2C_LEN) {
        if ((in[0] & FLAG_CMP) == 0 || tk_bls_g2_decode_curve(&p, in, P2C_LEN) != TK_OK) {
            tk_nearvm_bls_result_free(res);
            res->ret = 1;
            return TK_OK;
        }
        tk_bls_g2_serialize(res->out + i * P2_LEN, &p);
    }
    return TK_OK;
}

int tk_nearvm_bls_call(tk_nearvm_bls_result *res, tk_nearvm_bls_fn fn, const unsigned char *in,
                       size_t in_len, unsigned flags)
{
    size_t n;
    if (res == NULL) {
        return tk_fail(TK_ERR_ARG, "bls host: NULL result");
    }
    memset(res, 0, sizeof *res);
    if ((unsigned)fn >= TK_NEARVM_BLS_COUNT || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "bls host: bad function or NULL input");
    }
    if (in_len % fns[fn].item != 0) {
        snprintf(res->error, sizeof res->error,
                 TK_NEARVM_BLS_ERROR_PREFIX "Incorrect input length for %s: %zu is not divisible "
                                            "by %zu",
                 fns[fn].err_name, in_len, fns[fn].item);
        return tk_fail(TK_ERR_INPUT, "%s", res->error);
    }
    n = in_len / fns[fn].item;
    switch (fn) {
    case TK_NEARVM_BLS_P1_SUM:
        return p1_sum(res, in, n, flags);
    case TK_NEARVM_BLS_P2_SUM:
        return p2_sum(res, in, n, flags);
    case TK_NEARVM_BLS_G1_MULTIEXP:
        return g1_multiexp(res, in, n);
    case TK_NEARVM_BLS_G2_MULTIEXP:
        return g2_multiexp(res, in, n);
    case TK_NEARVM_BLS_MAP_FP_TO_G1:
        return map_fp_to_g1(res, in, n);
    case TK_NEARVM_BLS_MAP_FP2_TO_G2:
        return map_fp2_to_g2(res, in, n);
    case TK_NEARVM_BLS_PAIRING_CHECK:
        return pairing_check(res, in, n);
    case TK_NEARVM_BLS_P1_DECOMPRESS:
        return p1_decompress(res, in, n, flags);
    case TK_NEARVM_BLS_P2_DECOMPRESS:
        return p2_decompress(res, in, n);
    default:
        return tk_fail(TK_ERR_ARG, "bls host: bad function");
    }
}
