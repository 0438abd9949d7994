/*
 * Benchmark: teekeys' BLS12-381 (src/bls12_381) per operation: G1/G2 scalar multiplication,
 * hash_to_curve for G1 and G2, one pairing, a two-pairing check, Eth2-style sign (hash to G2 +
 * constant-time G2 multiplication) and verify (hash to G2 + two-pairing check, pk in G1), and
 * NEAR CKD unmask + verify (sig = C - a Y, H = hash_to_g1(pk || app_id) with NEAR's DST,
 * e(H, pk) == e(sig, G2), HKDF-SHA256 of compress(sig)), also with the decoding of the inputs,
 * and, built from the same primitives, the multi-signature checks blst exposes: fast aggregate
 * verify (16 keys, one message), aggregate verify (8 messages) and the randomized batch
 * verification of 8 signatures (64-bit random coefficients, one 9-pairing check).
 * The baselines (@noble/curves, blst through @chainsafe/blst) are measured by
 * bench/node_bls.mjs, which runs this program with --json in the same run and prints ratios.
 * Usage: bench_bls [seconds-per-case] [--json] [--cpu]
 * --cpu measures process CPU time instead of wall-clock time (bench/node_bls.mjs uses it on
 * both sides: on a loaded shared machine, wall-clock time mostly measures the other processes).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "teekeys/bls12_381.h"
#include "teekeys/hash.h"

static const char near_dst[] = "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_";
static const char pop_dst[] = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

static tk_bls_scalar k1, sk, ka;
static tk_bls_g1 g1, p1, eth_pk, neg_g1, ckd_y, ckd_c;
static tk_bls_g2 g2, p2, eth_sig, ckd_pk;
static unsigned char msg[32], ckd_msg[96 + 32], enc_y[48], enc_c[48], enc_pk[96];

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench_bls: %s failed\n", what);
        abort();
    }
}

static void op_g1_mul(void *ctx, unsigned long i)
{
    tk_bls_g1 r;
    (void)ctx, (void)i;
    tk_bls_g1_mul(&r, &p1, &k1);
}

static void op_g1_mul_var(void *ctx, unsigned long i)
{
    tk_bls_g1 r;
    (void)ctx, (void)i;
    tk_bls_g1_mul_var(&r, &p1, &k1);
}

static void op_g2_mul(void *ctx, unsigned long i)
{
    tk_bls_g2 r;
    (void)ctx, (void)i;
    tk_bls_g2_mul(&r, &p2, &k1);
}

static void op_hash_to_g1(void *ctx, unsigned long i)
{
    tk_bls_g1 r;
    (void)ctx;
    memcpy(msg, &i, sizeof i);
    check(tk_bls_hash_to_g1(&r, msg, sizeof msg, near_dst, strlen(near_dst)) == TK_OK, "h2g1");
}

static void op_hash_to_g2(void *ctx, unsigned long i)
{
    tk_bls_g2 r;
    (void)ctx;
    memcpy(msg, &i, sizeof i);
    check(tk_bls_hash_to_g2(&r, msg, sizeof msg, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
}

static void op_pairing(void *ctx, unsigned long i)
{
    tk_bls_gt e;
    (void)ctx, (void)i;
    tk_bls_pairing(&e, &p1, &p2);
}

static void op_pairing_check2(void *ctx, unsigned long i)
{
    tk_bls_g1 ps[2] = {p1, neg_g1};
    tk_bls_g2 qs[2] = {g2, p2};
    (void)ctx, (void)i;
    tk_bls_pairing_check(ps, qs, 2); /* e(p1, G2) e(-G1, p2): generally not 1; cost is the same */
}

static void op_eth_sign(void *ctx, unsigned long i)
{
    tk_bls_g2 h, sig;
    (void)ctx;
    memcpy(msg, &i, sizeof i);
    check(tk_bls_hash_to_g2(&h, msg, sizeof msg, pop_dst, strlen(pop_dst)) == TK_OK, "sign");
    tk_bls_g2_mul(&sig, &h, &sk);
}

static void op_eth_verify(void *ctx, unsigned long i)
{
    tk_bls_g1 ps[2] = {eth_pk, neg_g1};
    tk_bls_g2 qs[2];
    (void)ctx, (void)i;
    memset(msg, 0, sizeof msg); /* the message eth_sig signs */
    check(tk_bls_hash_to_g2(&qs[0], msg, sizeof msg, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
    qs[1] = eth_sig;
    check(tk_bls_pairing_check(ps, qs, 2) == 1, "verify");
}

#define AGG_KEYS 16
#define AGG_MSGS 8
static tk_bls_g1 agg_pk[AGG_KEYS];
static tk_bls_g2 agg_sig_one, agg_sig_many, batch_sig[AGG_MSGS];
static unsigned char agg_msg[AGG_MSGS][32];

static void op_fast_aggregate_verify(void *ctx, unsigned long i)
{
    tk_bls_g1 ps[2];
    tk_bls_g2 qs[2];
    (void)ctx, (void)i;
    ps[0] = agg_pk[0];
    for (int k = 1; k < AGG_KEYS; k++) {
        tk_bls_g1_add(&ps[0], &ps[0], &agg_pk[k]);
    }
    ps[1] = neg_g1;
    check(tk_bls_hash_to_g2(&qs[0], agg_msg[0], 32, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
    qs[1] = agg_sig_one;
    check(tk_bls_pairing_check(ps, qs, 2) == 1, "fast aggregate verify");
}

static void op_aggregate_verify(void *ctx, unsigned long i)
{
    tk_bls_g1 ps[AGG_MSGS + 1];
    tk_bls_g2 qs[AGG_MSGS + 1];
    (void)ctx, (void)i;
    for (int k = 0; k < AGG_MSGS; k++) {
        ps[k] = agg_pk[k];
        check(tk_bls_hash_to_g2(&qs[k], agg_msg[k], 32, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
    }
    ps[AGG_MSGS] = neg_g1;
    qs[AGG_MSGS] = agg_sig_many;
    check(tk_bls_pairing_check(ps, qs, AGG_MSGS + 1) == 1, "aggregate verify");
}

/* prod e(r_k pk_k, H(m_k)) * e(-G1, sum r_k sig_k) == 1 with random 64-bit r_k */
static void op_batch_verify(void *ctx, unsigned long i)
{
    tk_bls_g1 ps[AGG_MSGS + 1];
    tk_bls_g2 qs[AGG_MSGS + 1], t;
    tk_bls_scalar r;
    (void)ctx, (void)i;
    tk_bls_g2_identity(&qs[AGG_MSGS]);
    for (int k = 0; k < AGG_MSGS; k++) {
        tk_bls_scalar_random(&r);
        r.v[1] = r.v[2] = r.v[3] = 0;
        r.v[0] |= 1;
        tk_bls_g1_mul_var(&ps[k], &agg_pk[k], &r);
        tk_bls_g2_mul_var(&t, &batch_sig[k], &r);
        tk_bls_g2_add(&qs[AGG_MSGS], &qs[AGG_MSGS], &t);
        check(tk_bls_hash_to_g2(&qs[k], agg_msg[k], 32, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
    }
    ps[AGG_MSGS] = neg_g1;
    check(tk_bls_pairing_check(ps, qs, AGG_MSGS + 1) == 1, "batch verify");
}

/* The CKD client's work once the inputs are decoded. */
static void ckd_unmask_verify(const tk_bls_g1 *y, const tk_bls_g1 *c, const tk_bls_g2 *pk)
{
    tk_bls_g1 t, sig, h, ps[2];
    tk_bls_g2 qs[2];
    unsigned char comp[48], secret[32];
    tk_bls_g1_mul(&t, y, &ka);
    tk_bls_g1_sub(&sig, c, &t);
    check(tk_bls_hash_to_g1(&h, ckd_msg, sizeof ckd_msg, near_dst, strlen(near_dst)) == TK_OK,
          "ckd hash");
    ps[0] = h;
    tk_bls_g1_neg(&ps[1], &sig);
    qs[0] = *pk;
    qs[1] = g2;
    check(tk_bls_pairing_check(ps, qs, 2) == 1, "ckd pairing check");
    tk_bls_g1_compress(comp, &sig);
    check(tk_hkdf_sha256(secret, sizeof secret, NULL, 0, comp, sizeof comp, "", 0) == TK_OK,
          "hkdf");
}

static void op_ckd(void *ctx, unsigned long i)
{
    (void)ctx, (void)i;
    ckd_unmask_verify(&ckd_y, &ckd_c, &ckd_pk);
}

static void op_ckd_decode(void *ctx, unsigned long i)
{
    tk_bls_g1 y, c;
    tk_bls_g2 pk;
    (void)ctx, (void)i;
    check(tk_bls_g1_decode(&y, enc_y, 48) == TK_OK && tk_bls_g1_decode(&c, enc_c, 48) == TK_OK &&
              tk_bls_g2_decode(&pk, enc_pk, 96) == TK_OK,
          "decode");
    ckd_unmask_verify(&y, &c, &pk);
}

/* A CKD response as the MPC network would produce it: pk = msk G2, H = hash(pk || app_id),
 * Y = y G1, C = msk H + y A with A = a G1 the client's ephemeral key. */
static void setup(void)
{
    tk_bls_scalar msk, y;
    tk_bls_g1 h, t;
    tk_bls_g2 hm, t2;
    tk_bls_scalar_random(&k1);
    tk_bls_scalar_random(&sk);
    tk_bls_scalar_random(&ka);
    tk_bls_scalar_random(&msk);
    tk_bls_scalar_random(&y);
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_g1_neg(&neg_g1, &g1);
    tk_bls_g1_mul(&p1, &g1, &k1);
    tk_bls_g2_mul(&p2, &g2, &k1);
    tk_bls_g1_mul(&eth_pk, &g1, &sk);
    memset(msg, 0, sizeof msg);
    check(tk_bls_hash_to_g2(&hm, msg, sizeof msg, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
    tk_bls_g2_mul(&eth_sig, &hm, &sk);
    tk_bls_g2_mul(&ckd_pk, &g2, &msk);
    tk_bls_g2_compress(enc_pk, &ckd_pk);
    memcpy(ckd_msg, enc_pk, 96);
    memset(ckd_msg + 96, 0x5a, 32); /* app_id */
    check(tk_bls_hash_to_g1(&h, ckd_msg, sizeof ckd_msg, near_dst, strlen(near_dst)) == TK_OK,
          "h2g1");
    tk_bls_g1_mul(&ckd_y, &g1, &y);
    tk_bls_g1_mul(&t, &g1, &ka);
    tk_bls_g1_mul(&t, &t, &y);
    tk_bls_g1_mul(&ckd_c, &h, &msk);
    tk_bls_g1_add(&ckd_c, &ckd_c, &t);
    tk_bls_g1_compress(enc_y, &ckd_y);
    tk_bls_g1_compress(enc_c, &ckd_c);
    tk_bls_g2_identity(&agg_sig_one);
    tk_bls_g2_identity(&agg_sig_many);
    for (int k = 0; k < AGG_KEYS; k++) {
        tk_bls_scalar key;
        tk_bls_scalar_random(&key);
        tk_bls_g1_mul(&agg_pk[k], &g1, &key);
        if (k < AGG_MSGS) {
            memset(agg_msg[k], 'a' + k, 32);
        }
        check(tk_bls_hash_to_g2(&hm, agg_msg[0], 32, pop_dst, strlen(pop_dst)) == TK_OK, "h2g2");
        tk_bls_g2_mul(&t2, &hm, &key);
        tk_bls_g2_add(&agg_sig_one, &agg_sig_one, &t2);
        if (k < AGG_MSGS) {
            check(tk_bls_hash_to_g2(&hm, agg_msg[k], 32, pop_dst, strlen(pop_dst)) == TK_OK,
                  "h2g2");
            tk_bls_g2_mul(&batch_sig[k], &hm, &key);
            tk_bls_g2_add(&agg_sig_many, &agg_sig_many, &batch_sig[k]);
        }
    }
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* bench_run on the process CPU-time clock. */
static double cpu_run(void (*fn)(void *ctx, unsigned long i), void *ctx, double seconds)
{
    unsigned long n = 0, batch = 4;
    double start = cpu_now(), elapsed;
    do {
        for (unsigned long k = 0; k < batch; k++) {
            fn(ctx, n + k);
        }
        n += batch;
        elapsed = cpu_now() - start;
        if (elapsed < seconds / 10) {
            batch *= 2;
        }
    } while (elapsed < seconds);
    return (double)n / elapsed;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void *, unsigned long);
    } cases[] = {
        {"g1_mul", op_g1_mul},
        {"g1_mul_var", op_g1_mul_var},
        {"g2_mul", op_g2_mul},
        {"hash_to_g1", op_hash_to_g1},
        {"hash_to_g2", op_hash_to_g2},
        {"pairing", op_pairing},
        {"pairing_check2", op_pairing_check2},
        {"eth_sign", op_eth_sign},
        {"eth_verify", op_eth_verify},
        {"ckd_unmask_verify", op_ckd},
        {"ckd_decode_unmask_verify", op_ckd_decode},
        {"eth_fast_aggregate_verify16", op_fast_aggregate_verify},
        {"eth_aggregate_verify8", op_aggregate_verify},
        {"eth_batch_verify8", op_batch_verify},
    };
    double secs = 1.0;
    int json = 0, cpu = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--cpu") == 0) {
            cpu = 1;
        } else {
            secs = atof(argv[i]);
        }
    }
    if (tk_init() != TK_OK) {
        return 1;
    }
    setup();
    if (json) {
        printf("{");
    }
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double rate = (cpu ? cpu_run : bench_run)(cases[c].fn, NULL, secs);
        if (json) {
            printf("%s\"%s\": %.3f", c ? ", " : "", cases[c].name, 1e6 / rate);
        } else {
            printf("%-28s %9.0f op/s  %9.1f us/op\n", cases[c].name, rate, 1e6 / rate);
        }
        fflush(stdout);
    }
    if (json) {
        printf("}\n");
    }
    return 0;
}
