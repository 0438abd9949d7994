/*
 * Benchmark: native DCAP verification (parse + chain + CRLs + QE report + quote signature + TCB
 * walk) per second, against raw OpenSSL P-256 signature verification in the same run (a cold
 * verification needs about ten of them). Three cases: the published v4 TDX quote with the
 * verification memo off (cold: every certificate parsed and every signature checked), the same
 * quote again with the memo on, and fresh quotes (each verified once) from one SIMULATED
 * platform with the memo on: what a client verifying many workers' quotes against the same
 * collateral pays. Then the portable (wasm) verifier on the published quote, natively built.
 * The JavaScript baseline (Phala's dcap-qvl as wasm) is bench/node_attest.mjs.
 * Usage: bench_attest [seconds] (repo root)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "bench.h"
#include "teekeys/attest_sim.h"
#include "teekeys/attest_verify.h"
#include "teekeys/portable.h"
#include "teekeys/portable_dcap.h"

static unsigned char *quote, *coll;
static size_t quote_len, coll_len;
static tk_attest_quote parsed;

static void verify_one(void *ctx, unsigned long i)
{
    tk_attest_verdict v;
    (void)ctx, (void)i;
    if (tk_attest_verify_quote(&v, quote, quote_len, (const char *)coll, coll_len, 1751000000, NULL,
                               0, 0) != TK_OK) {
        abort();
    }
}

static void verify_cold(void *ctx, unsigned long i)
{
    tk_attest_verify_cache(0);
    verify_one(ctx, i);
}

#define FRESH 1500

/* Verifies FRESH distinct simulated quotes once each; returns quotes per second. */
static double fresh_quotes(void)
{
    char dir[] = "/tmp/tk-bench-sim-XXXXXX", sub[64], *sim_coll = NULL;
    unsigned char *root = NULL, rd[TK_ATTEST_REPORT_DATA_LEN] = {0};
    size_t root_len = 0;
    int64_t now = (int64_t)time(NULL);
    static tk_attest_evidence ev[FRESH];
    double start, rate = 0;
    if (mkdtemp(dir) == NULL) {
        return 0;
    }
    snprintf(sub, sizeof sub, "%s/pki", dir);
    if (tk_attest_sim_init(sub) != TK_OK ||
        tk_attest_sim_collateral(&sim_coll, sub, now) != TK_OK ||
        tk_attest_sim_root(&root, &root_len, sub) != TK_OK) {
        abort();
    }
    for (int i = 0; i < FRESH; i++) {
        memcpy(rd, &i, sizeof i);
        if (tk_attest_sim_quote(&ev[i], sub, rd) != TK_OK) {
            abort();
        }
    }
    start = bench_now();
    for (int i = 0; i < FRESH; i++) {
        tk_attest_verdict v;
        if (tk_attest_verify_quote(&v, ev[i].quote, ev[i].quote_len, sim_coll, strlen(sim_coll),
                                   now, root, root_len, 0) != TK_OK) {
            abort();
        }
    }
    rate = FRESH / (bench_now() - start);
    for (int i = 0; i < FRESH; i++) {
        tk_attest_evidence_free(&ev[i]);
    }
    free(sim_coll);
    free(root);
    (void)!system((snprintf(sub, sizeof sub, "rm -rf %s", dir), sub));
    return rate;
}

/* The portable (freestanding, wasm) verifier on the same quote: no memo, every step done. */
static tk_pc_dcap_work pc_work;

static void verify_portable(void *ctx, unsigned long i)
{
    tk_pc_dcap_verdict v;
    (void)ctx, (void)i;
    if (tk_pc_dcap_verify_json_var(&pc_work, &v, quote, quote_len, (const char *)coll, coll_len,
                                   1751000000, NULL, 0, 0) != TK_PC_OK) {
        abort();
    }
}

static void openssl_p256(void *ctx, unsigned long i)
{
    EVP_PKEY *key = ctx;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
    unsigned char digest[32] = {(unsigned char)i},
                  der[80] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
    (void)!EVP_PKEY_verify_init(c);
    (void)!EVP_PKEY_verify(c, der, 8, digest, 32); /* fails, but does the full work */
    EVP_PKEY_CTX_free(c);
}

static void portable_p256(void *ctx, unsigned long i)
{
    unsigned char digest[32];
    (void)ctx;
    tk_pc_sha256(digest, parsed.signed_data, parsed.signed_len);
    digest[31] ^= (unsigned char)(i & 0); /* keep the signature valid */
    if (!tk_pc_p256_verify_var(parsed.signature, digest, parsed.attestation_key)) {
        abort();
    }
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0, cold, native, fresh, ossl, port, pdcap;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (tk_init() != TK_OK || key == NULL ||
        tk_file_read(&quote, &quote_len, "../shared/vectors/tdx/tdx_quote", 1 << 20, 0) != TK_OK ||
        tk_file_read(&coll, &coll_len, "../shared/vectors/tdx/tdx_quote_collateral.json", 1 << 20,
                     0) != TK_OK ||
        tk_attest_quote_parse(&parsed, quote, quote_len) != TK_OK) {
        fprintf(stderr, "run from the repository root with ../shared beside it\n");
        return 1;
    }
    cold = bench_run(verify_cold, NULL, secs);
    tk_attest_verify_cache(1);
    native = bench_run(verify_one, NULL, secs);
    fresh = fresh_quotes();
    ossl = bench_run(openssl_p256, key, secs);
    port = bench_run(portable_p256, NULL, secs);
    pdcap = bench_run(verify_portable, NULL, secs);
    printf(
        "native DCAP verify, memo off (cold) : %8.0f quotes/s  %.2f ms/quote (%.1f P-256 verifies)\n",
        cold, 1000.0 / cold, ossl / cold);
    printf("native DCAP verify, same quote again: %8.0f quotes/s  %.2f ms/quote\n", native,
           1000.0 / native);
    printf(
        "native DCAP verify, fresh sim quotes: %8.0f quotes/s  %.2f ms/quote (%.1f P-256 verifies)\n",
        fresh, 1000.0 / fresh, ossl / fresh);
    printf("OpenSSL P-256 verify (baseline)     : %8.0f ops/s\n", ossl);
    printf("portable P-256 verify (native build): %8.0f ops/s     %.2fx OpenSSL's time\n", port,
           ossl / port);
    printf("portable DCAP verify (native build)  : %8.0f quotes/s  %.2f ms/quote (%.1fx native "
           "cold)\n",
           pdcap, 1000.0 / pdcap, cold / pdcap);
    EVP_PKEY_free(key);
    free(quote);
    free(coll);
    return 0;
}
