/*
 * Encoding tests against published vectors: Bitcoin Core's base58 encode/decode cases,
 * RFC 4648 base64, BIP-173 and BIP-350 valid/invalid bech32, bech32m and segwit addresses,
 * plus NEAR key strings (lengths, prefixes, public/secret confusion) and hex edge cases.
 */
#include "teekeys/encoding.h"
#include <ctype.h>
#include <strings.h>

#include "guard.h"
#include "util.h"

static void test_hex(void **state)
{
    unsigned char b[8];
    char s[17];
    size_t n;
    (void)state;
    assert_int_equal(tk_hex_encode(s, sizeof s, (const unsigned char *)"\x00\xab\xff", 3), TK_OK);
    assert_string_equal(s, "00abff");
    assert_int_equal(tk_hex_encode(s, 6, (const unsigned char *)"\x00\xab\xff", 3), TK_ERR_BUFFER);
    assert_int_equal(tk_hex_decode(b, sizeof b, &n, "00ABff", 6), TK_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(b, "\x00\xab\xff", 3);
    assert_int_equal(tk_hex_decode(b, sizeof b, &n, "abc", 3), TK_ERR_INPUT);
    assert_int_equal(tk_hex_decode(b, sizeof b, &n, "0g", 2), TK_ERR_INPUT);
    assert_int_equal(tk_hex_decode(b, sizeof b, &n, "zz00", 4), TK_ERR_INPUT);
    assert_string_equal(tk_errmsg(), "invalid hex character near offset 0");
    assert_int_equal(tk_hex_decode(b, sizeof b, &n, "0000g0", 6), TK_ERR_INPUT);
    assert_string_equal(tk_errmsg(), "invalid hex character near offset 4");
    assert_int_equal(tk_hex_decode(b, 1, &n, "0000", 4), TK_ERR_BUFFER);
    assert_int_equal(tk_hex_decode(b, sizeof b, &n, " 00", 3), TK_ERR_INPUT);
    assert_int_equal(tk_hex_decode_exact(b, 2, "0xbeef", 6, TK_HEX_ALLOW_0X), TK_OK);
    assert_memory_equal(b, "\xbe\xef", 2);
    assert_int_equal(tk_hex_decode_exact(b, 2, "0xbeef", 6, 0), TK_ERR_INPUT);
    assert_int_equal(tk_hex_decode_exact(b, 2, "beef00", 6, 0), TK_ERR_INPUT);
    assert_int_equal(tk_hex_decode_exact(b, 2, "be", 2, 0), TK_ERR_INPUT);
    /* every byte value round-trips */
    for (int v = 0; v < 256; v++) {
        unsigned char x = (unsigned char)v, y;
        assert_int_equal(tk_hex_encode(s, sizeof s, &x, 1), TK_OK);
        assert_int_equal(tk_hex_decode_exact(&y, 1, s, 2, 0), TK_OK);
        assert_int_equal(x, y);
    }
    /* every non-hex character is refused */
    for (int c = 0; c < 256; c++) {
        char in[2] = {'0', (char)c};
        int is_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        assert_int_equal(tk_hex_decode_exact(b, 1, in, 2, 0) == TK_OK, is_hex);
    }
}

/* Bitcoin Core src/test/data/base58_encode_decode.json */
static const char *const base58_vectors[][2] = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
    {"00000000000000000000", "1111111111"},
};

static void test_base58(void **state)
{
    unsigned char bytes[64], back[64];
    char text[128];
    size_t n, m;
    (void)state;
    for (size_t i = 0; i < sizeof base58_vectors / sizeof base58_vectors[0]; i++) {
        n = test_unhex(bytes, sizeof bytes, base58_vectors[i][0]);
        assert_int_equal(tk_base58_encode(text, sizeof text, &m, bytes, n), TK_OK);
        assert_string_equal(text, base58_vectors[i][1]);
        assert_int_equal(tk_base58_decode(back, sizeof back, &m, text, strlen(text)), TK_OK);
        assert_int_equal(m, n);
        assert_memory_equal(back, bytes, n);
    }
    /* characters outside the alphabet: 0, O, I, l, '+', space */
    static const char *const bad[] = {"0", "O", "I", "l", "3yZ+", " 3yZ", "3yZ\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tk_base58_decode(back, sizeof back, &m, bad[i], strlen(bad[i])),
                         TK_ERR_INPUT);
    }
    assert_int_equal(tk_base58_decode(back, 2, &m, "a3gV", 4), TK_ERR_BUFFER);
    assert_int_equal(tk_base58_encode(text, 4, &m, (const unsigned char *)"bbb", 3), TK_ERR_BUFFER);
}

static void test_base64(void **state)
{
    static const char *const rfc4648[][2] = {{"", ""},
                                             {"f", "Zg=="},
                                             {"fo", "Zm8="},
                                             {"foo", "Zm9v"},
                                             {"foob", "Zm9vYg=="},
                                             {"fooba", "Zm9vYmE="},
                                             {"foobar", "Zm9vYmFy"}};
    static const char *const bad[] = {"Zg=",  "Zh==",     "Zm9=", "Zm9v\n", "Z===", "Zm-v",
                                      "Zm_v", "Zg==Zg==", "=Zg=", "Zm9vY",  "Zg",   "A==="};
    unsigned char out[16];
    char text[80];
    size_t n;
    (void)state;
    for (size_t i = 0; i < 7; i++) {
        size_t len = strlen(rfc4648[i][0]);
        assert_int_equal(
            tk_base64_encode(text, sizeof text, &n, (const unsigned char *)rfc4648[i][0], len),
            TK_OK);
        assert_string_equal(text, rfc4648[i][1]);
        assert_int_equal(tk_base64_decode(out, sizeof out, &n, text, strlen(text)), TK_OK);
        assert_int_equal(n, len);
        assert_memory_equal(out, rfc4648[i][0], len);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(tk_base64_decode(out, sizeof out, &n, bad[i], strlen(bad[i])), TK_OK);
    }
    /* all 64 digits decode and re-encode */
    {
        const char *all = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        unsigned char raw[48];
        assert_int_equal(tk_base64_decode(raw, sizeof raw, &n, all, 64), TK_OK);
        assert_int_equal(tk_base64_encode(text, sizeof text, &n, raw, 24), TK_OK);
        assert_memory_equal(text, all, 32);
    }
}

/* BIP-173 and BIP-350 valid checksums. */
static const char *const bech32_valid[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};
static const char *const bech32m_valid[] = {
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
};
static const char *const bech32_invalid[] = {
    " 1nwldj5",
    "\1771axkwrx",
    "\2001eym55h",
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "pzry9x0s0muk",
    "1pzry9x0s0muk",
    "x1b4n0q5v",
    "li1dgmt3",
    "de1lg7wt\xff",
    "A1G7SGD8",
    "10a06t8",
    "1qzzfhee",
    " 1xj0phk",
    "\1771g6xzxy",
    "\2001vctc34",
    "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    "qyrz8wqd2c9m",
    "1qyrz8wqd2c9m",
    "y1b0jsk6g",
    "lt1igcx5c0",
    "in1muywd",
    "mm1crxm3i",
    "au1s5cgom",
    "M1VUXWEZ",
    "16plkw9",
    "1p2gdwpf",
};

static void test_bech32(void **state)
{
    char hrp[91], back[100];
    unsigned char data[90];
    size_t n;
    tk_bech32_variant v;
    (void)state;
    for (size_t i = 0; i < 7; i++) {
        const char *s = bech32_valid[i];
        if (tk_bech32_decode(hrp, sizeof hrp, data, sizeof data, &n, &v, s, strlen(s)) != TK_OK) {
            fail_msg("%s: %s", s, tk_errmsg());
        }
        assert_int_equal(v, TK_BECH32);
        assert_int_equal(tk_bech32_encode(back, sizeof back, hrp, data, n, v), TK_OK);
        assert_true(strcasecmp(back, s) == 0);
        s = bech32m_valid[i];
        assert_int_equal(tk_bech32_decode(hrp, sizeof hrp, data, sizeof data, &n, &v, s, strlen(s)),
                         TK_OK);
        assert_int_equal(v, TK_BECH32M);
        assert_int_equal(tk_bech32_encode(back, sizeof back, hrp, data, n, v), TK_OK);
        assert_true(strcasecmp(back, s) == 0);
    }
    for (size_t i = 0; i < sizeof bech32_invalid / sizeof bech32_invalid[0]; i++) {
        const char *s = bech32_invalid[i];
        assert_int_not_equal(
            tk_bech32_decode(hrp, sizeof hrp, data, sizeof data, &n, &v, s, strlen(s)), TK_OK);
    }
}

/* BIP-350 segwit address vectors (address, hrp, scriptPubKey). */
static const char *const segwit_valid[][3] = {
    {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc",
     "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "tb",
     "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
    {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "bc",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"BC1SW50QGDZ25J", "bc", "6002751e"},
    {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc", "5210751e76e8199196d454941c45d1b3a323"},
    {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "tb",
     "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "tb",
     "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc",
     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
};
static const char *const segwit_invalid[][2] = {
    {"tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "bc"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "bc"},
    {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "tb"},
    {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "bc"},
    {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "bc"},
    {"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "tb"},
    {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "bc"},
    {"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "bc"},
    {"bc1pw5dgrnzv", "bc"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", "bc"},
    {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "bc"},
    {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "tb"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "bc"},
    {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "tb"},
    {"bc1gmk9yu", "bc"},
};

static void test_segwit(void **state)
{
    unsigned char prog[40], spk[42];
    char back[100], lower[100];
    size_t plen;
    int ver;
    (void)state;
    for (size_t i = 0; i < sizeof segwit_valid / sizeof segwit_valid[0]; i++) {
        const char *addr = segwit_valid[i][0];
        size_t spk_len = test_unhex(spk, sizeof spk, segwit_valid[i][2]);
        assert_int_equal(tk_segwit_decode(&ver, prog, sizeof prog, &plen, segwit_valid[i][1], addr,
                                          strlen(addr)),
                         TK_OK);
        assert_int_equal(ver == 0 ? 0 : ver + 0x50, spk[0]);
        assert_int_equal(plen, spk[1]);
        assert_int_equal(plen + 2, spk_len);
        assert_memory_equal(prog, spk + 2, plen);
        assert_int_equal(tk_segwit_encode(back, sizeof back, segwit_valid[i][1], ver, prog, plen),
                         TK_OK);
        for (size_t k = 0; k <= strlen(addr); k++) {
            lower[k] = (char)tolower((unsigned char)addr[k]);
        }
        assert_string_equal(back, lower);
    }
    for (size_t i = 0; i < sizeof segwit_invalid / sizeof segwit_invalid[0]; i++) {
        const char *addr = segwit_invalid[i][0];
        assert_int_not_equal(tk_segwit_decode(&ver, prog, sizeof prog, &plen, segwit_invalid[i][1],
                                              addr, strlen(addr)),
                             TK_OK);
    }
}

static void test_nearkey(void **state)
{
    unsigned char key[96], back[96];
    char s[TK_NEARKEY_MAX_LEN];
    static const tk_nearkey_type types[] = {TK_NEARKEY_ED25519_PUBLIC, TK_NEARKEY_SECP256K1_PUBLIC,
                                            TK_NEARKEY_BLS12381_G1, TK_NEARKEY_BLS12381_G2,
                                            TK_NEARKEY_ED25519_SECRET};
    static const size_t lens[] = {32, 64, 48, 96, 64};
    (void)state;
    memset(key, 0, sizeof key);
    assert_int_equal(tk_nearkey_encode(s, sizeof s, TK_NEARKEY_ED25519_PUBLIC, key, 32), TK_OK);
    assert_string_equal(s, "ed25519:11111111111111111111111111111111");
    for (size_t t = 0; t < 5; t++) {
        assert_int_equal(tk_nearkey_len(types[t]), lens[t]);
        for (size_t i = 0; i < lens[t]; i++) {
            key[i] = (unsigned char)(0xff - i * 3);
        }
        assert_int_equal(tk_nearkey_encode(s, sizeof s, types[t], key, lens[t]), TK_OK);
        assert_int_equal(tk_nearkey_decode(back, lens[t], types[t], s, strlen(s)), TK_OK);
        assert_memory_equal(back, key, lens[t]);
        /* wrong length for the type */
        assert_int_equal(tk_nearkey_encode(s, sizeof s, types[t], key, lens[t] - 1), TK_ERR_ARG);
    }
    /* a public key string is not a secret key string and vice versa */
    assert_int_equal(tk_nearkey_encode(s, sizeof s, TK_NEARKEY_ED25519_PUBLIC, key, 32), TK_OK);
    assert_int_equal(tk_nearkey_decode(back, 64, TK_NEARKEY_ED25519_SECRET, s, strlen(s)),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "holds 32 bytes, expected 64"));
    assert_int_equal(tk_nearkey_decode(back, 32, TK_NEARKEY_SECP256K1_PUBLIC, s, strlen(s)),
                     TK_ERR_ARG);
    assert_int_equal(tk_nearkey_decode(back, 64, TK_NEARKEY_SECP256K1_PUBLIC, s, strlen(s)),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "must start with 'secp256k1:'"));
    /* bad base58, empty body, uppercase prefix, too long */
    assert_int_equal(tk_nearkey_decode(back, 32, TK_NEARKEY_ED25519_PUBLIC, "ed25519:0OIl", 12),
                     TK_ERR_INPUT);
    assert_int_equal(tk_nearkey_decode(back, 32, TK_NEARKEY_ED25519_PUBLIC, "ed25519:", 8),
                     TK_ERR_INPUT);
    assert_int_equal(tk_nearkey_decode(back, 32, TK_NEARKEY_ED25519_PUBLIC,
                                       "ED25519:11111111111111111111111111111111", 40),
                     TK_ERR_INPUT);
    memset(s, 'z', sizeof s);
    memcpy(s, "ed25519:", 8);
    assert_int_equal(tk_nearkey_decode(back, 32, TK_NEARKEY_ED25519_PUBLIC, s, 100), TK_ERR_INPUT);
}

/* Strict UTF-8: the cases every text decoder in teekeys relies on. */
static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        size_t len, bad;
    } cases[] = {
        {"plain", 5, 5},
        {"\xc3\xa9", 2, 2},             /* é */
        {"\xe2\x9c\x93", 3, 3},         /* ✓ */
        {"\xf0\x9f\x98\x80", 4, 4},     /* U+1F600 */
        {"\xf4\x8f\xbf\xbf", 4, 4},     /* U+10FFFF */
        {"a\xc0\xaf", 3, 1},            /* overlong '/' */
        {"\xe0\x80\xaf", 3, 0},         /* overlong, 3 bytes */
        {"\xed\xa0\x80", 3, 0},         /* surrogate */
        {"\xf4\x90\x80\x80", 4, 0},     /* above U+10FFFF */
        {"\xf8\x88\x80\x80\x80", 5, 0}, /* 5-byte form */
        {"ab\xe2\x9c", 4, 2},           /* truncated */
        {"\x80", 1, 0},                 /* lone continuation */
        {"\xc3\x28", 2, 0},             /* bad continuation */
    };
    uint32_t cp;
    (void)state;
    assert_int_equal(tk_utf8_next(&cp, (const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(tk_utf8_next(&cp, (const unsigned char *)"\xc3", 1), 0);
    assert_int_equal(tk_utf8_next(&cp, (const unsigned char *)"", 0), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(tk_utf8_bad_offset((const unsigned char *)cases[i].s, cases[i].len),
                         cases[i].bad);
    }
}

/* Every prefix of valid inputs, placed right before an unmapped page, through every decoder:
 * a read past the given length would fault. */
static void test_no_over_read(void **state)
{
    static const char *const inputs[] = {
        "00abff42",
        "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
        "Zm9vYmE=",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "ed25519:11111111111111111111111111111111",
        "secp256k1:2JnMLu1xsz9oVPjRZaPMhHodRTVrknrJnbHL8twyaPq7JrsfAxAr78Dj5GsyB19HcbaVUo8iMX5AWcq2DKuk1miS",
    };
    unsigned char out[128], prog[40];
    char hrp[91];
    size_t n, plen;
    tk_bech32_variant v;
    int ver, accepted = 0;
    (void)state;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t len = strlen(inputs[i]);
        for (size_t cut = 0; cut <= len; cut++) {
            guard_buf g;
            const char *p = guard_copy(&g, inputs[i], cut);
            assert_non_null(p);
            accepted += TK_OK == tk_hex_decode(out, sizeof out, &n, p, cut);
            accepted += TK_OK == tk_hex_decode_exact(out, cut / 2, p, cut, TK_HEX_ALLOW_0X);
            accepted += TK_OK == tk_base58_decode(out, sizeof out, &n, p, cut);
            accepted += TK_OK == tk_base64_decode(out, sizeof out, &n, p, cut);
            accepted += TK_OK == tk_bech32_decode(hrp, sizeof hrp, out, sizeof out, &n, &v, p, cut);
            accepted += TK_OK == tk_segwit_decode(&ver, prog, sizeof prog, &plen, "bc", p, cut);
            accepted += TK_OK == tk_nearkey_decode(out, 32, TK_NEARKEY_ED25519_PUBLIC, p, cut);
            accepted += TK_OK == tk_nearkey_decode(out, 64, TK_NEARKEY_SECP256K1_PUBLIC, p, cut);
            guard_free(&g);
        }
    }
    assert_true(accepted >= 6); /* each full input decodes with its own decoder */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex),          cmocka_unit_test(test_base58),
        cmocka_unit_test(test_base64),       cmocka_unit_test(test_bech32),
        cmocka_unit_test(test_segwit),       cmocka_unit_test(test_nearkey),
        cmocka_unit_test(test_no_over_read), cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
