/*
 * Address tests against published vectors: EIP-55's checksum examples and BIP-86's first
 * receiving address (m/86'/0'/0'/0/0 of the "abandon ... about" mnemonic), plus the
 * network/hrp mapping and argument checks.
 */
#include <secp256k1.h>

#include "teekeys/address.h"
#include "util.h"

static void test_eip55(void **state)
{
    static const char *const examples[] = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    };
    unsigned char a[20];
    char out[43];
    (void)state;
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        assert_int_equal(tk_hex_decode_exact(a, 20, examples[i], 42, TK_HEX_ALLOW_0X), TK_OK);
        assert_int_equal(tk_address_eip55(out, sizeof out, a), TK_OK);
        assert_string_equal(out, examples[i]);
    }
    assert_int_equal(tk_address_eip55(out, 42, a), TK_ERR_BUFFER);
}

/* x-only key -> 64-byte x || y with even y, via libsecp256k1. */
static void lift_x(unsigned char pub64[64], const char *xhex)
{
    unsigned char c[33], u[65];
    size_t ulen = sizeof u;
    secp256k1_pubkey pk;
    c[0] = 0x02;
    assert_int_equal(test_unhex(c + 1, 32, xhex), 32);
    assert_true(secp256k1_ec_pubkey_parse(tk_secp256k1_ctx(), &pk, c, 33));
    assert_true(secp256k1_ec_pubkey_serialize(tk_secp256k1_ctx(), u, &ulen, &pk,
                                              SECP256K1_EC_UNCOMPRESSED));
    memcpy(pub64, u + 1, 64);
}

static void test_bip86(void **state)
{
    unsigned char pub[64], q[32];
    char out[TK_ADDRESS_MAX];
    (void)state;
    lift_x(pub, "cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115");
    assert_int_equal(tk_address_taproot_output_key(q, pub), TK_OK);
    assert_hex_equal(q, 32, "a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c");
    assert_int_equal(tk_address_p2tr(out, sizeof out, "bc", pub), TK_OK);
    assert_string_equal(out, "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr");
    /* only x(P) matters: the odd-y twin gives the same address */
    for (int i = 32; i < 64; i++) {
        pub[i] = 0;
    }
    assert_int_equal(tk_address_p2tr(out, sizeof out, "bc", pub), TK_ERR_INPUT);
    /* BIP-86 second vector: m/86'/0'/0'/0/1 */
    lift_x(pub, "83dfe85a3151d2517290da461fe2815591ef69f2b18a2ce63f01697a8b313145");
    assert_int_equal(tk_address_p2tr(out, sizeof out, "bc", pub), TK_OK);
    assert_string_equal(out, "bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh");
}

static void test_networks(void **state)
{
    unsigned char pub[64];
    char out[TK_ADDRESS_MAX];
    (void)state;
    assert_string_equal(tk_address_btc_hrp(TK_NETWORK_MAINNET), "bc");
    assert_string_equal(tk_address_btc_hrp(TK_NETWORK_TESTNET), "tb");
    assert_string_equal(tk_address_btc_hrp(TK_NETWORK_SIGNET), "tb");
    assert_string_equal(tk_address_btc_hrp(TK_NETWORK_REGTEST), "bcrt");
    assert_null(tk_address_btc_hrp(TK_NETWORK_NONE));
    lift_x(pub, "cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115");
    assert_int_equal(tk_address_from_public_key(out, sizeof out, TK_FAMILY_BITCOIN_TEST,
                                                TK_NETWORK_REGTEST, pub, 64),
                     TK_OK);
    assert_true(strncmp(out, "bcrt1p", 6) == 0);
    assert_int_equal(
        tk_address_from_public_key(out, sizeof out, TK_FAMILY_BITCOIN, TK_NETWORK_TESTNET, pub, 64),
        TK_ERR_ARG);
    assert_int_equal(tk_address_from_public_key(out, sizeof out, TK_FAMILY_BITCOIN_TEST,
                                                TK_NETWORK_MAINNET, pub, 64),
                     TK_ERR_ARG);
    assert_int_equal(
        tk_address_from_public_key(out, sizeof out, TK_FAMILY_EVM, TK_NETWORK_NONE, pub, 32),
        TK_ERR_ARG);
    assert_int_equal(
        tk_address_from_public_key(out, sizeof out, TK_FAMILY_NEAR, TK_NETWORK_NONE, pub, 32),
        TK_OK);
    assert_int_equal(strlen(out), 64);
    assert_int_equal(tk_address_public_key_string(out, sizeof out, pub, 33), TK_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eip55),
        cmocka_unit_test(test_bip86),
        cmocka_unit_test(test_networks),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
