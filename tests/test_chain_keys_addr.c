/*
 * Native unit test of the chain-keys contract's pure parts: the addresses it derives on-chain
 * (EVM through the keccak256 host function, BIP-86 Taproot through nearcore's ecrecover,
 * Solana, NEAR) compared with teekeys' address module on many random keys; its small mod-n /
 * mod-p arithmetic against OpenSSL and libsecp256k1; the SDK codecs (base58, bech32/bech32m,
 * account ids, key strings) against teekeys' encoders; and the argument parsers and policy
 * validator on good and bad inputs. The host functions those paths call (registers, sha256,
 * keccak256, ecrecover with nearcore's semantics) are implemented here; every other host
 * function aborts (tests/contracts/stub_host.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "chain_keys.h"
#include "near_host.h"
#include "teekeys/address.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/near.h"
#include "util.h"

/* ---- test host: registers, hashing, ecrecover, panics ---- */
static struct {
    unsigned char data[128];
    size_t len;
    int set;
} regs[4];
static jmp_buf *panic_jump;
static char panic_msg[512];

static void *ptr(near_u64 p)
{
    return (void *)(uintptr_t)p;
}

static void set_reg(near_u64 id, const void *data, size_t len)
{
    assert_true(id < 4 && len <= sizeof regs[0].data);
    memcpy(regs[id].data, data, len);
    regs[id].len = len;
    regs[id].set = 1;
}

near_u64 near_host_register_len(near_u64 id)
{
    return id < 4 && regs[id].set ? regs[id].len : UINT64_MAX;
}

void near_host_read_register(near_u64 id, near_u64 p)
{
    assert_true(id < 4 && regs[id].set);
    memcpy(ptr(p), regs[id].data, regs[id].len);
}

void near_host_sha256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    tk_sha256(h, ptr(p), len);
    set_reg(id, h, 32);
}

void near_host_keccak256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    tk_keccak256(h, ptr(p), len);
    set_reg(id, h, 32);
}

static int ecrecover_calls;

/* nearcore's ecrecover: hash 32, r || s 64, v 0..3, optional high-S refusal; the recovered
 * uncompressed key without its 0x04 prefix, or 0 */
near_u64 near_host_ecrecover(near_u64 hash_len, near_u64 hash_ptr, near_u64 sig_len,
                             near_u64 sig_ptr, near_u64 v, near_u64 malleability_flag, near_u64 id)
{
    const secp256k1_context *secp = tk_secp256k1_ctx();
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    unsigned char out[65];
    size_t out_len = sizeof out;
    ecrecover_calls++;
    assert_int_equal(hash_len, 32);
    assert_int_equal(sig_len, 64);
    assert_true(v <= 3);
    assert_int_equal(malleability_flag, 0);
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp, &sig, ptr(sig_ptr), (int)v) ||
        !secp256k1_ecdsa_recover(secp, &pk, &sig, ptr(hash_ptr)) ||
        !secp256k1_ec_pubkey_serialize(secp, out, &out_len, &pk, SECP256K1_EC_UNCOMPRESSED)) {
        return 0;
    }
    set_reg(id, out + 1, 64);
    return 1;
}

void near_host_panic_utf8(near_u64 len, near_u64 p)
{
    snprintf(panic_msg, sizeof panic_msg, "%.*s", (int)len, (const char *)ptr(p));
    if (panic_jump == NULL) {
        fail_msg("unexpected contract panic: %s", panic_msg);
    }
    longjmp(*panic_jump, 1);
}

/* ---- helpers ---- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* a random secp256k1 key pair's public key x || y */
static void random_pub(unsigned char pub[64])
{
    const secp256k1_context *secp = tk_secp256k1_ctx();
    unsigned char sk[32], ser[65];
    size_t len = sizeof ser;
    secp256k1_pubkey pk;
    do {
        test_rand_bytes(&rng_state, sk, 32);
    } while (!secp256k1_ec_pubkey_create(secp, &pk, sk));
    assert_true(secp256k1_ec_pubkey_serialize(secp, ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED));
    memcpy(pub, ser + 1, 64);
}

static const near_json *parse(const char *json)
{
    const char *err = NULL;
    const near_json *doc = near_json_parse(json, strlen(json), &err);
    if (doc == NULL) {
        fail_msg("test JSON does not parse: %s: %s", err, json);
    }
    return doc;
}

#define N_KEYS 200

/* ---- addresses ---- */
static void test_evm_addresses(void **state)
{
    (void)state;
    for (int i = 0; i < N_KEYS; i++) {
        unsigned char pub[64];
        char want[TK_ADDRESS_MAX];
        const char *err = NULL, *got;
        random_pub(pub);
        assert_int_equal(tk_address_evm(want, sizeof want, pub), TK_OK);
        got = ck_address(CK_EVM, NULL, pub, 64, &err);
        assert_non_null(got);
        assert_string_equal(got, want);
        near_arena_reset();
    }
}

static void test_taproot_addresses(void **state)
{
    static const struct {
        ck_family family;
        const char *network;
        tk_network tk_net;
    } nets[] = {{CK_BITCOIN, "mainnet", TK_NETWORK_MAINNET},
                {CK_BITCOIN_TEST, "testnet", TK_NETWORK_TESTNET},
                {CK_BITCOIN_TEST, "signet", TK_NETWORK_SIGNET},
                {CK_BITCOIN_TEST, "regtest", TK_NETWORK_REGTEST}};
    int odd = 0;
    (void)state;
    ecrecover_calls = 0;
    for (int i = 0; i < N_KEYS; i++) {
        unsigned char pub[64];
        random_pub(pub);
        odd += pub[63] & 1;
        for (size_t k = 0; k < sizeof nets / sizeof nets[0]; k++) {
            char want[TK_ADDRESS_MAX];
            const char *err = NULL, *got;
            assert_int_equal(tk_address_from_public_key(want, sizeof want,
                                                        (tk_family)nets[k].family, nets[k].tk_net,
                                                        pub, 64),
                             TK_OK);
            got = ck_address(nets[k].family, nets[k].network, pub, 64, &err);
            assert_non_null(got);
            assert_string_equal(got, want);
        }
        near_arena_reset();
    }
    /* both y parities were exercised, and every address went through ecrecover */
    assert_true(odd > N_KEYS / 4 && odd < 3 * N_KEYS / 4);
    assert_int_equal(ecrecover_calls, 4 * N_KEYS);
}

static void test_ed25519_addresses(void **state)
{
    (void)state;
    for (int i = 0; i < N_KEYS; i++) {
        unsigned char pk[32];
        char want[TK_ADDRESS_MAX];
        const char *err = NULL, *got;
        test_rand_bytes(&rng_state, pk, 32);
        if (i < 3) {
            memset(pk, 0, (size_t)(i + 1) * 8); /* leading zero bytes: base58 '1's */
        }
        assert_int_equal(tk_address_from_public_key(want, sizeof want, TK_FAMILY_SOLANA,
                                                    TK_NETWORK_NONE, pk, 32),
                         TK_OK);
        got = ck_address(CK_SOLANA, NULL, pk, 32, &err);
        assert_string_equal(got, want);
        assert_int_equal(
            tk_address_from_public_key(want, sizeof want, TK_FAMILY_NEAR, TK_NETWORK_NONE, pk, 32),
            TK_OK);
        got = ck_address(CK_NEAR, NULL, pk, 32, &err);
        assert_string_equal(got, want);
        near_arena_reset();
    }
}

/* points whose x lies in [n, p): the recovery id's overflow bit path, which no real key can be
 * expected to hit; y from a modular square root, compared with tk_address */
static void test_taproot_x_above_n(void **state)
{
    BN_CTX *bn = BN_CTX_new();
    BIGNUM *p = NULL, *n = NULL, *x = BN_new(), *rhs = BN_new(), *y = BN_new(), *seven = NULL;
    int found = 0;
    (void)state;
    assert_true(BN_hex2bn(&p, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F"));
    assert_true(BN_hex2bn(&n, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"));
    assert_true(BN_dec2bn(&seven, "7"));
    for (unsigned k = 0; k < 200 && found < 8; k++) {
        unsigned char pub[64], want[32], got[32];
        assert_true(BN_copy(x, n) && BN_add_word(x, k * 7919u + 1));
        assert_true(BN_mod_sqr(rhs, x, p, bn) && BN_mod_mul(rhs, rhs, x, p, bn) &&
                    BN_mod_add(rhs, rhs, seven, p, bn));
        ERR_set_mark();
        if (BN_mod_sqrt(y, rhs, p, bn) == NULL) {
            ERR_pop_to_mark();
            continue; /* no point with this x */
        }
        ERR_pop_to_mark();
        assert_int_equal(BN_bn2binpad(x, pub, 32), 32);
        assert_int_equal(BN_bn2binpad(y, pub + 32, 32), 32);
        assert_true(ck_secp256k1_on_curve(pub));
        assert_int_equal(tk_address_taproot_output_key(want, pub), TK_OK);
        assert_true(ck_taproot_output_key(got, pub));
        assert_memory_equal(got, want, 32);
        found++;
        near_arena_reset();
    }
    assert_int_equal(found, 8);
    BN_free(p), BN_free(n), BN_free(x), BN_free(rhs), BN_free(y), BN_free(seven);
    BN_CTX_free(bn);
}

static void test_taproot_refuses_bad_x(void **state)
{
    unsigned char x[32], xq[32], pub[64];
    int off_curve = 0;
    (void)state;
    memset(x, 0xff, 32); /* >= p */
    assert_false(ck_taproot_output_key(xq, x));
    for (int i = 0; i < 64; i++) {
        test_rand_bytes(&rng_state, pub, 64);
        if (!ck_secp256k1_on_curve(pub)) {
            /* roughly half of all x have no point; ecrecover then recovers nothing */
            off_curve += !ck_taproot_output_key(xq, pub);
        }
        near_arena_reset();
    }
    assert_true(off_curve > 10);
}

/* ---- arithmetic ---- */
static void check_mod(BN_CTX *bn, const BIGNUM *m, int which_p, const unsigned char a[32],
                      const unsigned char b[32])
{
    BIGNUM *x = BN_bin2bn(a, 32, NULL), *y = BN_bin2bn(b, 32, NULL), *r = BN_new();
    unsigned char want[32], got[32];
    assert_true(BN_nnmod(x, x, m, bn) && BN_nnmod(y, y, m, bn));
    assert_true(BN_mod_mul(r, x, y, m, bn));
    assert_int_equal(BN_bn2binpad(r, want, 32), 32);
    ck_mulmod(got, a, b, which_p);
    assert_memory_equal(got, want, 32);
    assert_true(BN_mod_sub(r, m, x, m, bn));
    assert_int_equal(BN_bn2binpad(r, want, 32), 32);
    ck_negmod(got, a, which_p);
    assert_memory_equal(got, want, 32);
    BN_free(x), BN_free(y), BN_free(r);
}

static void test_mulmod_against_openssl(void **state)
{
    static const char *const mods[2] = {
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F"};
    BN_CTX *bn = BN_CTX_new();
    (void)state;
    for (int which = 0; which < 2; which++) {
        BIGNUM *m = NULL, *e = BN_new();
        unsigned char edges[6][32], a[32], b[32];
        assert_true(BN_hex2bn(&m, mods[which]));
        /* 0, 1, 2, m-1, m-2, m (reduced to 0 by the callee) */
        memset(edges, 0, sizeof edges);
        edges[1][31] = 1;
        edges[2][31] = 2;
        for (int k = 3; k < 6; k++) {
            assert_true(BN_copy(e, m) && BN_sub_word(e, (BN_ULONG)(5 - k)));
            assert_int_equal(BN_bn2binpad(e, edges[k], 32), 32);
        }
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                check_mod(bn, m, which, edges[i], edges[j]);
            }
        }
        for (int i = 0; i < 500; i++) {
            test_rand_bytes(&rng_state, a, 32);
            test_rand_bytes(&rng_state, b, 32);
            if (i % 5 == 0) {
                memset(a, 0xff, 16); /* values near and above the modulus */
            }
            check_mod(bn, m, which, a, b);
        }
        BN_free(m), BN_free(e);
    }
    BN_CTX_free(bn);
}

/* mod-n product and negation against libsecp256k1's own scalar arithmetic */
static void test_mulmod_against_libsecp256k1(void **state)
{
    const secp256k1_context *secp = tk_secp256k1_ctx();
    (void)state;
    for (int i = 0; i < 500; i++) {
        unsigned char a[32], b[32], want[32], got[32];
        do {
            test_rand_bytes(&rng_state, a, 32);
            test_rand_bytes(&rng_state, b, 32);
        } while (!secp256k1_ec_seckey_verify(secp, a) || !secp256k1_ec_seckey_verify(secp, b));
        memcpy(want, a, 32);
        assert_true(secp256k1_ec_seckey_tweak_mul(secp, want, b));
        ck_mulmod(got, a, b, 0);
        assert_memory_equal(got, want, 32);
        memcpy(want, a, 32);
        assert_true(secp256k1_ec_seckey_negate(secp, want));
        ck_negmod(got, a, 0);
        assert_memory_equal(got, want, 32);
    }
}

static void test_on_curve(void **state)
{
    (void)state;
    for (int i = 0; i < 100; i++) {
        unsigned char pub[64], neg[64];
        random_pub(pub);
        assert_true(ck_secp256k1_on_curve(pub));
        memcpy(neg, pub, 32);
        ck_negmod(neg + 32, pub + 32, 1); /* (x, p - y) is on the curve too */
        assert_true(ck_secp256k1_on_curve(neg));
        pub[63] ^= 1;
        assert_false(ck_secp256k1_on_curve(pub));
        pub[63] ^= 1;
        pub[5] ^= 0x10;
        assert_false(ck_secp256k1_on_curve(pub));
    }
    {
        unsigned char pub[64];
        const char *err = NULL;
        memset(pub, 0xff, 64);
        assert_false(ck_secp256k1_on_curve(pub));
        assert_null(ck_address(CK_EVM, NULL, pub, 64, &err));
        assert_string_equal(err, "public key is not a point on secp256k1");
        near_arena_reset();
    }
}

/* ---- codecs ---- */
static void test_base58(void **state)
{
    (void)state;
    for (int i = 0; i < 400; i++) {
        unsigned char in[80], back[80];
        char want[200];
        size_t len = (size_t)(test_rng_next(&rng_state) % 70), want_len;
        const char *got;
        test_rand_bytes(&rng_state, in, len);
        if (i % 7 == 0 && len > 0) {
            memset(in, 0, (size_t)(test_rng_next(&rng_state) % len) + 1);
        }
        assert_int_equal(tk_base58_encode(want, sizeof want, &want_len, in, len), TK_OK);
        got = near_base58(in, len);
        assert_string_equal(got, want);
        if (len > 0) {
            assert_true(near_unbase58(back, len, got, strlen(got)));
            assert_memory_equal(back, in, len);
            assert_false(near_unbase58(back, len - 1, got, strlen(got)));
            if (len < 80) {
                assert_false(near_unbase58(back, len + 1, got, strlen(got)));
            }
        }
        near_arena_reset();
    }
    {
        unsigned char out[4];
        assert_false(near_unbase58(out, 4, "0OIl", 4));
        assert_false(near_unbase58(out, 4, "", 0));
        assert_true(near_unbase58(out, 4, "1111", 4));
        assert_false(near_unbase58(out, 4, "11111", 5));
    }
}

static void test_segwit(void **state)
{
    static const char *const hrps[] = {"bc", "tb", "bcrt"};
    (void)state;
    for (int i = 0; i < 300; i++) {
        unsigned char prog[40], back[40];
        unsigned version = (unsigned)(test_rng_next(&rng_state) % 3), got_version;
        size_t len = version == 0 ? (test_rng_next(&rng_state) & 1 ? 20 : 32)
                                  : 2 + (size_t)(test_rng_next(&rng_state) % 39),
               got_len;
        const char *hrp = hrps[test_rng_next(&rng_state) % 3];
        char want[100], *got, mutated[100];
        int tk_ver;
        size_t tk_len;
        test_rand_bytes(&rng_state, prog, len);
        assert_int_equal(tk_segwit_encode(want, sizeof want, hrp, (int)version, prog, len), TK_OK);
        got = near_segwit_address(hrp, version, prog, len);
        assert_non_null(got);
        assert_string_equal(got, want);
        assert_true(near_segwit_decode(&got_version, back, &got_len, hrp, got, strlen(got)));
        assert_int_equal(got_version, version);
        assert_int_equal(got_len, len);
        assert_memory_equal(back, prog, len);
        /* one flipped character: both decoders must agree (and almost always refuse) */
        strcpy(mutated, got);
        mutated[test_rng_next(&rng_state) % strlen(mutated)] =
            "qpzry9x8gf2tvdw0s3jn54khce6mua7lQ1A"[test_rng_next(&rng_state) % 35];
        assert_int_equal(
            near_segwit_decode(&got_version, back, &got_len, hrp, mutated, strlen(mutated)),
            tk_segwit_decode(&tk_ver, back, sizeof back, &tk_len, hrp, mutated, strlen(mutated)) ==
                TK_OK);
        near_arena_reset();
    }
    {
        unsigned char prog[40];
        unsigned v;
        size_t n;
        /* BIP-350 test vectors: valid v1 (bech32m), v1 with a bech32 checksum, mixed case */
        const char *ok = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
        const char *bad_variant = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd";
        assert_true(near_segwit_decode(&v, prog, &n, "bc", ok, strlen(ok)));
        assert_int_equal(v, 1);
        assert_int_equal(n, 32);
        assert_false(near_segwit_decode(&v, prog, &n, "bc", bad_variant, strlen(bad_variant)));
        assert_false(near_segwit_decode(&v, prog, &n, "tb", ok, strlen(ok)));
        assert_false(near_segwit_decode(
            &v, prog, &n, "bc", "bc1P0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            62));
        assert_true(near_segwit_decode(
            &v, prog, &n, "bc", "BC1P0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQZK5JJ0",
            62));
        assert_null(near_segwit_address("bc", 0, prog, 31));
        assert_null(near_segwit_address("bc", 17, prog, 32));
    }
}

static void test_account_ids(void **state)
{
    static const char *const ids[] = {
        "alice.near",
        "a1",
        "ab",
        "a",
        "",
        "a-b_c.d",
        "-ab",
        "ab-",
        "a..b",
        "a.-b",
        "A.near",
        "dao.teekeys.test.near",
        "x_",
        "0x00",
        "a b",
        "alice@near",
        "0123456789012345678901234567890123456789012345678901234567890123",
        "01234567890123456789012345678901234567890123456789012345678901234"};
    const char alphabet[] = "ab0.-_A";
    (void)state;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        assert_int_equal(near_account_id_valid(ids[i], strlen(ids[i])),
                         tk_near_account_check(ids[i], strlen(ids[i])) == TK_OK);
    }
    for (int i = 0; i < 2000; i++) {
        char id[8];
        size_t len = (size_t)(test_rng_next(&rng_state) % 7) + 1;
        for (size_t k = 0; k < len; k++) {
            id[k] = alphabet[test_rng_next(&rng_state) % (sizeof alphabet - 1)];
        }
        assert_int_equal(near_account_id_valid(id, len), tk_near_account_check(id, len) == TK_OK);
    }
}

static void test_public_keys(void **state)
{
    unsigned char pub[64], key[64];
    char s[200];
    size_t len;
    unsigned curve;
    (void)state;
    random_pub(pub);
    assert_int_equal(tk_address_public_key_string(s, sizeof s, pub, 64), TK_OK);
    assert_true(near_public_key_parse(&curve, key, &len, s, strlen(s)));
    assert_int_equal(curve, NEAR_CURVE_SECP256K1);
    assert_int_equal(len, 64);
    assert_memory_equal(key, pub, 64);
    assert_string_equal(near_public_key_string(curve, key), s);
    assert_int_equal(tk_address_public_key_string(s, sizeof s, pub, 32), TK_OK);
    assert_true(near_public_key_parse(&curve, key, &len, s, strlen(s)));
    assert_int_equal(curve, NEAR_CURVE_ED25519);
    assert_int_equal(len, 32);
    assert_false(near_public_key_parse(&curve, key, &len, s + 1, strlen(s) - 1));
    assert_false(near_public_key_parse(&curve, key, &len, "ed25519:", 8));
    assert_false(near_public_key_parse(&curve, key, &len, "ed25519:1", 9));
    s[strlen(s) - 1] = '0';
    assert_false(near_public_key_parse(&curve, key, &len, s, strlen(s)));
    near_arena_reset();
}

/* ---- parsers ---- */
#define ATT                                                                                        \
    "{\"tee_type\":\"tdx\",\"attestation_contract\":\"verifier.test.near\",\"measurements\":{"     \
    "\"mrtd\":\"" H96 "\",\"rtmr0\":\"" H96 "\",\"rtmr1\":\"" H96 "\",\"rtmr2\":\"" H96            \
    "\",\"rtmr3\":\"" H96 "\"},\"worker\":\"ed25519:11111111111111111111111111111111\","           \
    "\"verified_at\":\"1700000000000000000\"}"
#define H96                                                                                        \
    "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c"   \
    "0d0e0f"

static const char *register_json(const char *family, const char *extra, const char *key)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"account_id\":\"alice.test.near\",\"family\":\"%s\",\"path\":\"p/1\",%s"
             "\"public_key\":\"%s\",\"tee_attestation\":" ATT "}",
             family, extra, key);
    return buf;
}

static void test_parse_register(void **state)
{
    unsigned char pub[64];
    char secp[200], ed[200];
    ck_register_args a;
    static const struct {
        const char *family, *extra;
        int ed;
        const char *err; /* NULL: accepted */
    } cases[] = {
        {"evm", "", 0, NULL},
        {"bitcoin", "", 0, NULL},
        {"bitcoin", "\"network\":\"mainnet\",", 0, NULL},
        {"bitcoin", "\"network\":\"testnet\",", 0, "family bitcoin has only the network mainnet"},
        {"bitcoin-test", "\"network\":\"regtest\",", 0, NULL},
        {"bitcoin-test", "\"network\":\"mainnet\",", 0, "testnet, signet or regtest"},
        {"bitcoin-test", "\"network\":null,", 0, NULL},
        {"evm", "\"network\":\"mainnet\",", 0, "this family takes no network"},
        {"solana", "", 1, NULL},
        {"near", "", 1, NULL},
        {"near", "", 0, "needs an ed25519: public key"},
        {"evm", "", 1, "needs a secp256k1: public key"},
        {"tron", "", 0, "unknown family"},
        {"evm", "\"extra\":1,", 0, "unknown field extra"},
        {"evm", "\"network\":5,", 0, "network must be a string"},
    };
    (void)state;
    random_pub(pub);
    assert_int_equal(tk_address_public_key_string(secp, sizeof secp, pub, 64), TK_OK);
    assert_int_equal(tk_address_public_key_string(ed, sizeof ed, pub, 32), TK_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *err = ck_parse_register(
            &a, parse(register_json(cases[i].family, cases[i].extra, cases[i].ed ? ed : secp)));
        if (cases[i].err == NULL) {
            if (err != NULL) {
                fail_msg("case %zu refused: %s", i, err);
            }
        } else {
            assert_non_null(err);
            if (strstr(err, cases[i].err) == NULL) {
                fail_msg("case %zu: %s", i, err);
            }
        }
        near_arena_reset();
    }
    assert_null(ck_parse_register(&a, parse(register_json("bitcoin-test", "", secp))));
    assert_string_equal(a.network, "testnet");
    assert_string_equal(a.account_id, "alice.test.near");
    assert_int_equal(a.path_len, 3);
    assert_int_equal(a.att.verified_at, 1700000000000000000ull);
    assert_string_equal(a.public_key, secp);
    near_arena_reset();
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *json, *err;
    } cases[] = {
        {"{\"account_id\":\"Alice\",\"family\":\"evm\"}", "invalid NEAR account id"},
        {"{\"account_id\":\"alice.near\",\"family\":\"evm\",\"path\":\"a|b\"}", "invalid path"},
        {"{\"account_id\":\"alice.near\",\"family\":\"evm\",\"path\":\"a\\u0000\"}",
         "invalid path"},
        {"{\"account_id\":\"alice.near\",\"family\":\"evm\",\"path\":\"\\u0085\"}", "invalid path"},
        {"{\"account_id\":\"alice.near\",\"family\":\"evm\",\"path\":7}", "path must be a string"},
        {"{\"account_id\":\"alice.near\",\"family\":\"evm\"}",
         "missing string argument: public_key"},
        {"{\"account_id\":\"alice.near\",\"family\":\"evm\",\"public_key\":\"secp256k1:abc\"}",
         "must be a NEAR key string"},
        {"[]", "arguments must be an object"},
    };
    ck_register_args a;
    ck_slot_args s;
    const char *acct;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *err = ck_parse_register(&a, parse(cases[i].json));
        assert_non_null(err);
        if (strstr(err, cases[i].err) == NULL) {
            fail_msg("case %zu: %s", i, err);
        }
    }
    assert_null(ck_parse_slot(&s, &acct, parse("{\"account_id\":\"bob.near\",\"family\":\"near\"}"),
                              1, NULL));
    assert_int_equal(s.path_len, 0);
    assert_non_null(
        ck_parse_slot(&s, NULL, parse("{\"family\":\"near\",\"account_id\":\"b.near\"}"), 0, NULL));
    assert_true(ck_path_valid("über/\xe2\x82\xac", strlen("über/\xe2\x82\xac")));
    near_arena_reset();
}

static void test_policy(void **state)
{
    static const struct {
        ck_family family;
        const char *policy, *err;
    } cases[] = {
        {CK_EVM,
         "{\"version\":1,\"kinds\":[\"eth_transaction\",\"eth_personal\"],\"chains\":[{\"chain\":"
         "\"*\",\"max_value_per_tx\":\"10000000000000000000\",\"max_value_per_window\":{"
         "\"amount\":\"100000000000000000000\",\"window_s\":86400}}],\"rate_limit\":{"
         "\"max_requests\":600,\"window_s\":60}}",
         NULL},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"allow_raw_digest\":true,\"chains\":[{\"chain\":\"1\","
         "\"allow\":[\"0x52908400098527886E0F7030069857D2E4169EE7\",\"0xde709f2102306220921060314715"
         "629080e2fb77\"],\"deny\":[\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"]},{\"chain\":"
         "\"137\"}],\"valid_from\":\"1\",\"valid_until\":1800000000000000000}",
         NULL},
        {CK_BITCOIN,
         "{\"version\":1,\"kinds\":[\"btc_psbt\"],\"chains\":[{\"chain\":\"*\",\"allow\":["
         "\"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0\","
         "\"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\",\"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy\"]}]}",
         NULL},
        {CK_BITCOIN_TEST,
         "{\"version\":1,\"kinds\":[\"btc_psbt\"],\"chains\":[{\"chain\":\"*\",\"allow\":["
         "\"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0\"]}]}",
         "not a valid destination"},
        {CK_SOLANA,
         "{\"version\":1,\"kinds\":[\"sol_transaction\"],\"chains\":[{\"chain\":\"*\",\"deny\":["
         "\"11111111111111111111111111111111\"]}]}",
         NULL},
        {CK_NEAR,
         "{\"version\":1,\"kinds\":[\"near_transaction\",\"nep413\"],\"chains\":[{\"chain\":\"*\","
         "\"allow\":[\"wrap.near\",\"usdt.tether-token.near\"]}]}",
         NULL},
        {CK_EVM, "{\"version\":2,\"kinds\":[]}", "unsupported policy version: 2"},
        {CK_EVM, "{\"version\":\"1\",\"kinds\":[]}", "policy.version must be the number 1"},
        {CK_EVM, "{\"kinds\":[]}", "policy.version must be the number 1"},
        {CK_EVM, "{\"version\":1}", "policy.kinds must be an array"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"colour\":\"red\"}", "unknown field colour"},
        {CK_EVM, "{\"version\":1,\"kinds\":[\"raw_digest\"]}", "enabled by allow_raw_digest"},
        {CK_EVM, "{\"version\":1,\"kinds\":[\"btc_psbt\"]}", "does not apply to the family"},
        {CK_EVM, "{\"version\":1,\"kinds\":[\"eth_personal\",\"eth_personal\"]}", "duplicate kind"},
        {CK_EVM, "{\"version\":1,\"kinds\":[\"eth_sign\"]}", "unknown signing kind"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"allow_raw_digest\":1}", "must be a boolean"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"chains\":{}}", "policy.chains must be an array"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"01\"}]}",
         "decimal EVM chain id"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"0\"}]}",
         "decimal EVM chain id"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":1}]}", "must be a string"},
        {CK_SOLANA, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"101\"}]}",
         "must be \"*\" for this family"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\"},{\"chain\":\"*\"}]}",
         "duplicate chain"},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"allow\":[\"0x52908400098527886"
         "E0F7030069857D2E4169Ee7\"]}]}",
         "not a valid destination"},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"allow\":[\"0xde709f21023062209"
         "21060314715629080e2fb77\",\"0xDE709F2102306220921060314715629080E2FB77\"]}]}",
         "duplicate entry"},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"max_value_per_tx\":10}]}",
         "max_value_per_tx must be a decimal string"},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"max_value_per_window\":{"
         "\"amount\":\"1\",\"window_s\":0}}]}",
         "window_s must be an integer"},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"max_value_per_window\":{"
         "\"amount\":\"1\",\"window_s\":60,\"x\":1}}]}",
         "unknown field x"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"limit\":1}]}",
         "unknown field limit"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"rate_limit\":{\"max_requests\":0,\"window_s\":60}}",
         "max_requests must be an integer"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"rate_limit\":{\"max_requests\":5}}",
         "window_s must be an integer"},
        {CK_EVM,
         "{\"version\":1,\"kinds\":[],\"rate_limit\":{\"max_requests\":5.5,\"window_s\":1}}",
         "max_requests must be an integer"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"valid_from\":\"5\",\"valid_until\":\"5\"}",
         "valid_from must be before"},
        {CK_EVM, "{\"version\":1,\"kinds\":[],\"valid_until\":-1}", "valid_until must be a u64"},
        {CK_NEAR,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"allow\":[\"A.near\"]}]}",
         "not a valid destination"},
        {CK_SOLANA, "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"allow\":[\"1\"]}]}",
         "not a valid destination"},
        {CK_BITCOIN,
         "{\"version\":1,\"kinds\":[],\"chains\":[{\"chain\":\"*\",\"allow\":["
         "\"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3\"]}]}",
         "not a valid destination"},
        {CK_EVM, "[]", "policy must be an object"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *compact = NULL;
        const char *err = ck_policy_check(&compact, parse(cases[i].policy), cases[i].family);
        if (cases[i].err == NULL) {
            if (err != NULL) {
                fail_msg("policy case %zu refused: %s", i, err);
            }
            assert_string_equal(compact, cases[i].policy); /* already compact */
        } else if (err == NULL || strstr(err, cases[i].err) == NULL) {
            fail_msg("policy case %zu: got %s, want %s", i, err ? err : "(accepted)", cases[i].err);
        }
        near_arena_reset();
    }
}

static void test_automation(void **state)
{
    static const struct {
        const char *json, *err;
    } cases[] = {
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\",\"near\"],\"kinds\":[\"eth_personal\",\"nep413\",\"raw_digest\"],\"paths\":[\"\","
         "\"a\"]},\"expires_at\":\"2000\"}",
         NULL},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\"],\"kinds\":[\"eth_personal\"]},\"expires_at\":1000}",
         "not in the future"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\"],\"kinds\":[\"nep413\"]},\"expires_at\":2000}",
         "does not apply"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":[]"
         ",\"kinds\":[\"nep413\"]},\"expires_at\":2000}",
         "scopes.families must be a non-empty array"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\",\"evm\"],\"kinds\":[\"eth_personal\"]},\"expires_at\":2000}",
         "duplicate family"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\"],\"kinds\":[]},\"expires_at\":2000}",
         "must list 1..16 kinds"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\"],\"kinds\":[\"eth_personal\"],\"paths\":[\"a\",\"a\"]},\"expires_at\":2000}",
         "duplicate path"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"scopes\":{\"families\":["
         "\"evm\"],\"kinds\":[\"eth_personal\"],\"chains\":[]},\"expires_at\":2000}",
         "unknown field chains"},
        {"{\"public_key\":\"ed25519:1\",\"scopes\":{},\"expires_at\":2000}", "NEAR key string"},
        {"{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"expires_at\":2000}",
         "missing argument: scopes"},
    };
    ck_automation_args a;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *err = ck_parse_automation(&a, parse(cases[i].json), 1000);
        if (cases[i].err == NULL) {
            if (err != NULL) {
                fail_msg("automation case %zu refused: %s", i, err);
            }
            assert_int_equal(a.expires_at, 2000);
        } else if (err == NULL || strstr(err, cases[i].err) == NULL) {
            fail_msg("automation case %zu: got %s", i, err ? err : "(accepted)");
        }
        near_arena_reset();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evm_addresses),
        cmocka_unit_test(test_taproot_addresses),
        cmocka_unit_test(test_ed25519_addresses),
        cmocka_unit_test(test_taproot_x_above_n),
        cmocka_unit_test(test_taproot_refuses_bad_x),
        cmocka_unit_test(test_mulmod_against_openssl),
        cmocka_unit_test(test_mulmod_against_libsecp256k1),
        cmocka_unit_test(test_on_curve),
        cmocka_unit_test(test_base58),
        cmocka_unit_test(test_segwit),
        cmocka_unit_test(test_account_ids),
        cmocka_unit_test(test_public_keys),
        cmocka_unit_test(test_parse_register),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_automation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
