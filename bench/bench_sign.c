/*
 * Benchmark: signatures per second per signing kind through tk_sign_payload (codec + signing,
 * the same path the CLI and the API take), against raw libsecp256k1 ECDSA / BIP-340 and
 * libsodium ed25519 signing measured in the same run. Payloads are docs/examples/<kind>.json.
 * Usage: bench_sign [seconds-per-case]   (default 1.0; run from the repository root)
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include "bench.h"
#include "teekeys/sign.h"

static struct {
    const char *kind;
    tk_family family;
} cases[] = {
    {"eth_transaction", TK_FAMILY_EVM},    {"eth_authorization", TK_FAMILY_EVM},
    {"eth_personal", TK_FAMILY_EVM},       {"eth_typed_data", TK_FAMILY_EVM},
    {"raw_digest", TK_FAMILY_EVM},         {"btc_psbt", TK_FAMILY_BITCOIN_TEST},
    {"sol_transaction", TK_FAMILY_SOLANA}, {"sol_message", TK_FAMILY_SOLANA},
    {"near_transaction", TK_FAMILY_NEAR},  {"nep413", TK_FAMILY_NEAR},
};

static tk_key key;
static tk_sign_kind kind;
static json_t *payload;
static unsigned char sk[32] = {1, 2, 3}, msg[32], ed_sk[64], ed_pk[32];
static secp256k1_keypair keypair;

static void one_sign(void *ctx, unsigned long i)
{
    json_t *result;
    (void)ctx, (void)i;
    if (tk_sign_payload(&result, &key, kind, payload) != TK_OK) {
        abort();
    }
    json_decref(result);
}

static void raw_ecdsa(void *ctx, unsigned long i)
{
    secp256k1_ecdsa_signature sig;
    (void)ctx;
    msg[0] = (unsigned char)i;
    if (!secp256k1_ecdsa_sign(tk_secp256k1_ctx(), &sig, msg, sk, NULL, NULL)) {
        abort();
    }
}

static void raw_schnorr(void *ctx, unsigned long i)
{
    unsigned char sig[64], aux[32] = {0};
    (void)ctx;
    msg[0] = (unsigned char)i;
    if (!secp256k1_schnorrsig_sign32(tk_secp256k1_ctx(), sig, msg, &keypair, aux)) {
        abort();
    }
}

static void raw_ed25519(void *ctx, unsigned long i)
{
    unsigned char sig[64];
    (void)ctx;
    msg[0] = (unsigned char)i;
    crypto_sign_detached(sig, NULL, msg, sizeof msg, ed_sk);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0, ecdsa, schnorr, ed;
    unsigned char master[32];
    char path[256];
    json_error_t err;

    if (tk_init() != TK_OK || tk_key_init(&key) != TK_OK ||
        !secp256k1_keypair_create(tk_secp256k1_ctx(), &keypair, sk)) {
        return 1;
    }
    crypto_sign_seed_keypair(ed_pk, ed_sk, sk);
    memset(master, 0x42, sizeof master);
    ecdsa = bench_run(raw_ecdsa, NULL, secs);
    schnorr = bench_run(raw_schnorr, NULL, secs);
    ed = bench_run(raw_ed25519, NULL, secs);
    printf("baseline libsecp256k1 ecdsa_sign                          : %9.0f sig/s\n", ecdsa);
    printf("baseline libsecp256k1 schnorrsig_sign32                   : %9.0f sig/s\n", schnorr);
    printf("baseline libsodium ed25519 sign                           : %9.0f sig/s\n", ed);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double rate, base;
        snprintf(path, sizeof path, "docs/examples/%s.json", cases[c].kind);
        payload = json_load_file(path, JSON_DECODE_ANY, &err);
        if (payload == NULL || tk_sign_kind_parse(&kind, cases[c].kind) != TK_OK ||
            tk_derive_key(&key, master, "alice.near", cases[c].family, "") != TK_OK) {
            fprintf(stderr, "cannot load %s (run from the repository root)\n", path);
            return 1;
        }
        rate = bench_run(one_sign, NULL, secs);
        base = cases[c].family == TK_FAMILY_EVM                                ? ecdsa
               : tk_derive_family_curve(cases[c].family) == TK_CURVE_SECP256K1 ? schnorr
                                                                               : ed;
        printf("%-17s %9.0f sig/s  %.2fx the raw signature cost\n", cases[c].kind, rate,
               base / rate);
        json_decref(payload);
    }
    tk_key_free(&key);
    return 0;
}
