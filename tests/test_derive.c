/*
 * Derivation v1 tests: the 144 known-answer vectors of tests/vectors/derive_v1.json (made
 * by an independent implementation, tests/oracle/derive_v1.mjs), validation of account ids,
 * families, networks and paths, and the property that every info string parses back to
 * exactly one (account, family, path, counter).
 */
#include <jansson.h>

#include "teekeys/address.h"
#include "teekeys/derive.h"
#include "teekeys/near.h"
#include "util.h"

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void test_known_answers(void **state)
{
    json_error_t err;
    json_t *doc = json_load_file("tests/vectors/derive_v1.json", 0, &err), *arr, *v;
    size_t i, count = 0;
    tk_key key;
    (void)state;
    assert_non_null(doc);
    arr = json_object_get(doc, "vectors");
    assert_true(json_array_size(arr) >= 30);
    assert_int_equal(tk_key_init(&key), TK_OK);
    json_array_foreach(arr, i, v)
    {
        unsigned char master[32], want[64];
        char info[TK_DERIVE_INFO_MAX], addr[TK_ADDRESS_MAX], pks[TK_NEARKEY_MAX_LEN];
        size_t info_len, n;
        tk_family fam;
        tk_network net;

        assert_int_equal(tk_hex_decode_exact(master, 32, jstr(v, "master"), 64, 0), TK_OK);
        assert_int_equal(tk_derive_family_parse(&fam, jstr(v, "family")), TK_OK);
        assert_int_equal(tk_derive_network_resolve(&net, fam, jstr(v, "network_arg")), TK_OK);
        if (jstr(v, "network") == NULL) {
            assert_null(tk_derive_network_name(net));
        } else {
            assert_string_equal(tk_derive_network_name(net), jstr(v, "network"));
        }
        assert_int_equal(tk_derive_key(&key, master, jstr(v, "account"), fam, jstr(v, "path")),
                         TK_OK);
        assert_int_equal(tk_derive_info(info, sizeof info, &info_len, jstr(v, "account"), fam,
                                        jstr(v, "path"), key.counter),
                         TK_OK);
        assert_string_equal(info, jstr(v, "info"));
        n = test_unhex(want, sizeof want, jstr(v, "secret"));
        assert_int_equal(n, 32);
        assert_memory_equal(key.secret, want, 32);
        n = test_unhex(want, sizeof want, jstr(v, "public_key_hex"));
        assert_int_equal(key.public_key_len, n);
        assert_memory_equal(key.public_key, want, n);
        assert_int_equal(tk_address_from_public_key(addr, sizeof addr, fam, net, key.public_key,
                                                    key.public_key_len),
                         TK_OK);
        assert_string_equal(addr, jstr(v, "address"));
        assert_int_equal(
            tk_address_public_key_string(pks, sizeof pks, key.public_key, key.public_key_len),
            TK_OK);
        assert_string_equal(pks, jstr(v, "public_key"));
        count++;
    }
    tk_key_free(&key);
    json_decref(doc);
    print_message("%zu derivation vectors checked\n", count);
}

static void test_account_ids(void **state)
{
    static const char *const good[] = {
        "ok",
        "alice.near",
        "a-b_c.d",
        "0o",
        "bowen",
        "b-o_w_e-n",
        "98793cd91a3f870fb126f66285808c7e094afcfc4eda8a970f6648cdf0dbd6de",
        "aa",
        "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01"};
    static const char *const bad[] = {
        "",
        "a",
        "A.near",
        "alice..near",
        ".alice",
        "alice.",
        "-a",
        "a-",
        "a__b",
        "a b",
        "a@b",
        "ålice",
        "a\nb",
        "a|b",
        "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012"};
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (tk_near_account_check(good[i], strlen(good[i])) != TK_OK) {
            fail_msg("rejected %s: %s", good[i], tk_errmsg());
        }
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tk_near_account_check(bad[i], strlen(bad[i])), TK_ERR_INPUT);
    }
}

static void test_families_networks(void **state)
{
    tk_family f;
    tk_network n;
    (void)state;
    assert_int_equal(tk_derive_family_parse(&f, "ethereum"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "unknown family 'ethereum'"));
    assert_int_equal(tk_derive_family_parse(&f, "EVM"), TK_ERR_INPUT);
    assert_int_equal(tk_derive_family_parse(&f, "evm"), TK_OK);
    assert_int_equal(tk_derive_network_resolve(&n, f, NULL), TK_OK);
    assert_int_equal(n, TK_NETWORK_NONE);
    assert_int_equal(tk_derive_network_resolve(&n, f, "mainnet"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "has no networks"));
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_SOLANA, "testnet"), TK_ERR_INPUT);
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_NEAR, "mainnet"), TK_ERR_INPUT);
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_BITCOIN, NULL), TK_OK);
    assert_int_equal(n, TK_NETWORK_MAINNET);
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_BITCOIN, "testnet"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "bitcoin-test"));
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_BITCOIN_TEST, NULL), TK_OK);
    assert_int_equal(n, TK_NETWORK_TESTNET);
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_BITCOIN_TEST, "regtest"), TK_OK);
    assert_int_equal(n, TK_NETWORK_REGTEST);
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_BITCOIN_TEST, "mainnet"),
                     TK_ERR_INPUT);
    assert_int_equal(tk_derive_network_resolve(&n, TK_FAMILY_BITCOIN_TEST, "testnet4"),
                     TK_ERR_INPUT);
    assert_int_equal(tk_derive_network_resolve(&n, (tk_family)99, NULL), TK_ERR_ARG);
}

static void test_paths(void **state)
{
    char long_path[TK_DERIVE_PATH_MAX + 2];
    static const char *const good[] = {"",          "savings", "a/b/c",
                                       "ünïcode ✓", "𝄞 music", "~!@#$%^&*()"};
    static const char *const bad[] = {"a|b",      "tab\there", "nl\n",         "del\x7f",
                                      "\xc2\x85", "\xc0\xaf",  "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "\xff",     "\xe2\x82"};
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(tk_derive_path_check(good[i], strlen(good[i])), TK_OK);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tk_derive_path_check(bad[i], strlen(bad[i])), TK_ERR_INPUT);
    }
    memset(long_path, 'a', sizeof long_path);
    assert_int_equal(tk_derive_path_check(long_path, TK_DERIVE_PATH_MAX), TK_OK);
    assert_int_equal(tk_derive_path_check(long_path, TK_DERIVE_PATH_MAX + 1), TK_ERR_INPUT);
    /* an embedded NUL is a control character, never a silent truncation */
    assert_int_equal(tk_derive_path_check("a\0b", 3), TK_ERR_INPUT);
}

/* Splits an info string on '|' and checks it yields back exactly the parts it was built from. */
static void check_parse_back(const char *info, const char *account, const char *family,
                             const char *path, unsigned counter)
{
    char copy[TK_DERIVE_INFO_MAX], *parts[8], *save = NULL, *tok;
    size_t n = 0;
    strcpy(copy, info);
    /* strtok_r would merge empty fields; split by hand */
    tok = copy;
    for (;;) {
        char *bar = strchr(tok, '|');
        assert_true(n < 8);
        parts[n++] = tok;
        if (bar == NULL) {
            break;
        }
        *bar = '\0';
        tok = bar + 1;
    }
    (void)save;
    assert_int_equal(n, counter ? 5 : 4);
    assert_string_equal(parts[0], "teekeys/v1");
    assert_string_equal(parts[1], account);
    assert_string_equal(parts[2], family);
    assert_string_equal(parts[3], path);
    if (counter) {
        char num[16];
        snprintf(num, sizeof num, "%u", counter);
        assert_string_equal(parts[4], num);
    }
}

static void test_info_parses_back(void **state)
{
    static const char *const accounts[] = {"alice.near", "a-b_c.d", "0o"};
    static const char *const paths[] = {"", "x", "1", "a/b", "ü ✓", "teekeys/v1"};
    static const tk_family fams[] = {TK_FAMILY_EVM, TK_FAMILY_BITCOIN, TK_FAMILY_BITCOIN_TEST,
                                     TK_FAMILY_SOLANA, TK_FAMILY_NEAR};
    char info[TK_DERIVE_INFO_MAX];
    size_t len;
    (void)state;
    for (size_t a = 0; a < 3; a++) {
        for (size_t f = 0; f < 5; f++) {
            for (size_t p = 0; p < 6; p++) {
                for (unsigned c = 0; c < 3; c++) {
                    assert_int_equal(
                        tk_derive_info(info, sizeof info, &len, accounts[a], fams[f], paths[p], c),
                        TK_OK);
                    assert_int_equal(strlen(info), len);
                    check_parse_back(info, accounts[a], tk_derive_family_name(fams[f]), paths[p],
                                     c);
                }
            }
        }
    }
    /* inputs that could make an ambiguous string are refused before any derivation */
    assert_int_equal(tk_derive_info(info, sizeof info, &len, "alice.near", TK_FAMILY_EVM, "a|1", 0),
                     TK_ERR_INPUT);
    assert_int_equal(tk_derive_info(info, sizeof info, &len, "a|b", TK_FAMILY_EVM, "", 0),
                     TK_ERR_INPUT);
    assert_int_equal(tk_derive_info(info, 10, &len, "alice.near", TK_FAMILY_EVM, "", 0),
                     TK_ERR_BUFFER);
}

static void test_key_errors(void **state)
{
    unsigned char master[32] = {1};
    tk_key key;
    (void)state;
    assert_int_equal(tk_key_init(&key), TK_OK);
    assert_int_equal(tk_derive_key(&key, master, "Alice", TK_FAMILY_EVM, ""), TK_ERR_INPUT);
    assert_int_equal(key.public_key_len, 0);
    for (int i = 0; i < TK_KEY_SECRET_LEN; i++) {
        assert_int_equal(key.secret[i], 0);
    }
    assert_int_equal(tk_derive_key(&key, master, "alice.near", (tk_family)0, ""), TK_ERR_ARG);
    assert_int_equal(tk_derive_key(&key, NULL, "alice.near", TK_FAMILY_EVM, ""), TK_ERR_ARG);
    /* different paths and families give different keys; same inputs the same key */
    assert_int_equal(tk_derive_key(&key, master, "alice.near", TK_FAMILY_NEAR, ""), TK_OK);
    {
        unsigned char first[32];
        memcpy(first, key.public_key, 32);
        assert_int_equal(tk_derive_key(&key, master, "alice.near", TK_FAMILY_SOLANA, ""), TK_OK);
        assert_memory_not_equal(first, key.public_key, 32);
        assert_int_equal(tk_derive_key(&key, master, "alice.near", TK_FAMILY_NEAR, ""), TK_OK);
        assert_memory_equal(first, key.public_key, 32);
    }
    tk_key_free(&key);
    tk_key_free(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),     cmocka_unit_test(test_account_ids),
        cmocka_unit_test(test_families_networks), cmocka_unit_test(test_paths),
        cmocka_unit_test(test_info_parses_back),  cmocka_unit_test(test_key_errors),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
