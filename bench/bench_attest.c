/*
 * Benchmark: native DCAP verification of the published v4 TDX quote (parse + chain + CRLs +
 * QE report + quote signature + TCB walk) per second, against raw OpenSSL P-256 signature
 * verification in the same run (each quote needs about ten of them). The JavaScript baseline
 * (Phala's dcap-qvl as wasm) is bench/node_attest.mjs. Usage: bench_attest [seconds] (repo root)
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bench.h"
#include "teekeys/attest_verify.h"
#include "teekeys/portable.h"

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
    double secs = argc > 1 ? atof(argv[1]) : 1.0, native, ossl, port;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (tk_init() != TK_OK || key == NULL ||
        tk_file_read(&quote, &quote_len, "../shared/vectors/tdx/tdx_quote", 1 << 20, 0) != TK_OK ||
        tk_file_read(&coll, &coll_len, "../shared/vectors/tdx/tdx_quote_collateral.json", 1 << 20,
                     0) != TK_OK ||
        tk_attest_quote_parse(&parsed, quote, quote_len) != TK_OK) {
        fprintf(stderr, "run from the repository root with ../shared beside it\n");
        return 1;
    }
    native = bench_run(verify_one, NULL, secs);
    ossl = bench_run(openssl_p256, key, secs);
    port = bench_run(portable_p256, NULL, secs);
    printf("native DCAP verify (tdx_quote)      : %8.0f quotes/s  %.2f ms/quote\n", native,
           1000.0 / native);
    printf("OpenSSL P-256 verify (baseline)     : %8.0f ops/s     (%.1f per quote's time)\n", ossl,
           ossl / native);
    printf("portable P-256 verify (native build): %8.0f ops/s     %.2fx OpenSSL's time\n", port,
           ossl / port);
    EVP_PKEY_free(key);
    free(quote);
    free(coll);
    return 0;
}
