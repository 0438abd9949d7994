/*
 * Benchmark: key derivation v1 + address per family (keys per second), against raw
 * libsecp256k1 and libsodium operations measured in the same run (public-key creation,
 * ECDSA and ed25519 signing). The later API benchmarks compare against the same baselines.
 * Usage: bench_derive [seconds-per-case]   (default 1.0)
 */
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>
#include <sodium.h>

#include "bench.h"
#include "teekeys/address.h"
#include "teekeys/derive.h"

static unsigned char master[32];
static tk_key key;
static tk_family family;
static tk_network network;
static unsigned char sk[32], ed_sk[64], ed_pk[32], msg[32];
static char accounts[64][32];

static void derive_one(void *ctx, unsigned long i)
{
    char addr[TK_ADDRESS_MAX];
    (void)ctx;
    if (tk_derive_key(&key, master, accounts[i % 64], family, "") != TK_OK ||
        tk_address_from_public_key(addr, sizeof addr, family, network, key.public_key,
                                   key.public_key_len) != TK_OK) {
        abort();
    }
}

static void secp_pubkey(void *ctx, unsigned long i)
{
    secp256k1_pubkey pk;
    (void)ctx;
    sk[0] = (unsigned char)(i | 1);
    if (!secp256k1_ec_pubkey_create(tk_secp256k1_ctx(), &pk, sk)) {
        abort();
    }
}

static void secp_sign(void *ctx, unsigned long i)
{
    secp256k1_ecdsa_signature sig;
    (void)ctx;
    msg[0] = (unsigned char)i;
    if (!secp256k1_ecdsa_sign(tk_secp256k1_ctx(), &sig, msg, sk, NULL, NULL)) {
        abort();
    }
}

static void ed_sign(void *ctx, unsigned long i)
{
    unsigned char sig[64];
    (void)ctx;
    msg[0] = (unsigned char)i;
    crypto_sign_detached(sig, NULL, msg, sizeof msg, ed_sk);
}

static void ed_keypair(void *ctx, unsigned long i)
{
    unsigned char seed[32] = {(unsigned char)i};
    (void)ctx;
    crypto_sign_seed_keypair(ed_pk, ed_sk, seed);
}

int main(int argc, char **argv)
{
    static const tk_family fams[] = {TK_FAMILY_EVM, TK_FAMILY_BITCOIN, TK_FAMILY_BITCOIN_TEST,
                                     TK_FAMILY_SOLANA, TK_FAMILY_NEAR};
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    double base_secp_pub, base_secp_sign, base_ed_kp, base_ed_sign;

    if (tk_init() != TK_OK || tk_key_init(&key) != TK_OK) {
        return 1;
    }
    memset(master, 0x42, sizeof master);
    memset(sk, 0x11, sizeof sk);
    crypto_sign_seed_keypair(ed_pk, ed_sk, sk);
    for (int i = 0; i < 64; i++) {
        snprintf(accounts[i], sizeof accounts[i], "user%d.near", i);
    }
    base_secp_pub = bench_run(secp_pubkey, NULL, secs);
    base_secp_sign = bench_run(secp_sign, NULL, secs);
    base_ed_kp = bench_run(ed_keypair, NULL, secs);
    base_ed_sign = bench_run(ed_sign, NULL, secs);
    printf("baseline libsecp256k1 pubkey_create : %10.0f ops/s\n", base_secp_pub);
    printf("baseline libsecp256k1 ecdsa_sign    : %10.0f ops/s\n", base_secp_sign);
    printf("baseline libsodium ed25519 keypair  : %10.0f ops/s\n", base_ed_kp);
    printf("baseline libsodium ed25519 sign     : %10.0f ops/s\n", base_ed_sign);
    for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
        double rate, base;
        family = fams[f];
        if (tk_derive_network_resolve(&network, family, NULL) != TK_OK) {
            return 1;
        }
        rate = bench_run(derive_one, NULL, secs);
        base = tk_derive_family_curve(family) == TK_CURVE_SECP256K1 ? base_secp_pub : base_ed_kp;
        printf("derive+address %-13s       : %10.0f keys/s  (%.2fx the raw %s key-pair cost)\n",
               tk_derive_family_name(family), rate, base / rate,
               tk_derive_family_curve(family) == TK_CURVE_SECP256K1 ? "secp256k1" : "ed25519");
    }
    tk_key_free(&key);
    return 0;
}
