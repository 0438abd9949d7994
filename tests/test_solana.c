/*
 * Tests for the solana module: @solana/web3.js known answers (tests/vectors/solana/web3js.txt,
 * legacy and v0, signatures byte for byte), every sanitizer refusal, canonical compact-u16,
 * truncation at every length, signer lookup, and sol_message's refusal of disguised transactions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/solana.h"
#include "util.h"

/* ---- vectors ---- */

#define VECTORS "tests/vectors/solana/web3js.txt"

static const char *vector(const char *name)
{
    return test_vector_line(VECTORS, name);
}

static size_t vector_bytes(unsigned char *out, size_t cap, const char *name)
{
    return test_unhex(out, cap, vector(name));
}

static void test_key(unsigned char sk[64])
{
    test_vector_keypair(sk, VECTORS);
}

/* ---- web3.js known answers ---- */

static void check_sign_matches(const char *unsigned_name, const char *signed_name, int version)
{
    unsigned char sk[64], wire[1232], want[1232], out[1232], sig[64], re[1232];
    size_t n, m, w;
    tk_sol_transaction *tx = malloc(sizeof *tx);
    assert_non_null(tx);
    test_key(sk);
    n = vector_bytes(wire, sizeof wire, unsigned_name);
    m = vector_bytes(want, sizeof want, signed_name);
    assert_int_equal(tk_sol_transaction_parse_var(tx, wire, n), TK_OK);
    assert_int_equal(tx->msg.version, version);
    assert_int_equal(tx->n_signatures, 1);
    /* message re-serialises to the same bytes */
    assert_int_equal(tk_sol_message_serialize_var(re, sizeof re, &w, &tx->msg), TK_OK);
    assert_int_equal(w, tx->message_len);
    assert_memory_equal(re, tx->message, w);
    assert_int_equal(tk_sol_transaction_serialize_var(re, sizeof re, &w, tx), TK_OK);
    assert_int_equal(w, n);
    assert_memory_equal(re, wire, n);

    assert_int_equal(tk_sol_sign_transaction(out, sizeof out, &w, sig, sk, wire, n), TK_OK);
    assert_int_equal(w, m);
    assert_memory_equal(out, want, m);
    assert_memory_equal(sig, want + 1, 64);
    /* signing in place works too, and signing an already signed transaction is idempotent */
    assert_int_equal(tk_sol_sign_transaction(wire, sizeof wire, &w, sig, sk, wire, n), TK_OK);
    assert_memory_equal(wire, want, m);
    free(tx);
}

static void test_web3js_legacy(void **state)
{
    unsigned char wire[1232];
    size_t n;
    tk_sol_transaction tx;
    (void)state;
    check_sign_matches("legacy_unsigned", "legacy_signed", TK_SOL_LEGACY);
    n = vector_bytes(wire, sizeof wire, "legacy_signed");
    assert_int_equal(tk_sol_transaction_parse_var(&tx, wire, n), TK_OK);
    assert_int_equal(tx.msg.num_required_signatures, 1);
    assert_int_equal(tx.msg.num_readonly_signed, 0);
    assert_int_equal(tx.msg.num_readonly_unsigned, 1);
    assert_int_equal(tx.msg.n_keys, 3);
    assert_int_equal(tx.msg.n_instructions, 1);
    assert_int_equal(tx.msg.instructions[0].program_id_index, 2);
    assert_int_equal(tx.msg.instructions[0].n_accounts, 2);
    assert_int_equal(tx.msg.instructions[0].data_len, 12);
    assert_int_equal(tx.msg.recent_blockhash[0], 0x90);
}

static void test_web3js_v0(void **state)
{
    unsigned char wire[1232];
    size_t n;
    tk_sol_transaction tx;
    (void)state;
    check_sign_matches("v0_unsigned", "v0_signed", TK_SOL_V0);
    n = vector_bytes(wire, sizeof wire, "v0_signed");
    assert_int_equal(tk_sol_transaction_parse_var(&tx, wire, n), TK_OK);
    assert_int_equal(tx.msg.n_lookups, 1);
    assert_int_equal(tx.msg.lookups[0].table[0], 0x20);
    assert_int_equal(tx.msg.lookups[0].n_writable, 1);
    assert_int_equal(tx.msg.lookups[0].n_readonly, 1);
    assert_int_equal(tx.msg.n_instructions, 2);
    /* the memo instruction's account comes from the table (index >= static keys) */
    assert_true(tx.msg.instructions[1].accounts[0] >= tx.msg.n_keys);
}

static void test_b64_kind(void **state)
{
    unsigned char sk[64], want[1232];
    char in[2000], sig58[TK_SOL_SIGNATURE_B58_MAX], out64[TK_SOL_TX_B64_MAX], exp58[100],
        exp64[2000];
    unsigned char wire[1232];
    size_t n, m, k;
    (void)state;
    test_key(sk);
    n = vector_bytes(wire, sizeof wire, "v0_unsigned");
    m = vector_bytes(want, sizeof want, "v0_signed");
    assert_int_equal(tk_base64_encode(in, sizeof in, &k, wire, n), TK_OK);
    assert_int_equal(
        tk_sol_sign_transaction_b64(sig58, sizeof sig58, out64, sizeof out64, sk, in, k), TK_OK);
    assert_int_equal(tk_base58_encode(exp58, sizeof exp58, &k, want + 1, 64), TK_OK);
    assert_string_equal(sig58, exp58);
    assert_int_equal(tk_base64_encode(exp64, sizeof exp64, &k, want, m), TK_OK);
    assert_string_equal(out64, exp64);
    /* bad base64 names the field */
    assert_int_equal(
        tk_sol_sign_transaction_b64(sig58, sizeof sig58, out64, sizeof out64, sk, "AQ=", 3),
        TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "transaction"));
}

static void test_not_a_signer(void **state)
{
    unsigned char sk[64], seed[32] = {9}, pk[32], wire[1232], out[1232], sig[64];
    size_t n, w;
    (void)state;
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    n = vector_bytes(wire, sizeof wire, "legacy_unsigned");
    assert_int_equal(tk_sol_sign_transaction(out, sizeof out, &w, sig, sk, wire, n),
                     TK_ERR_NOT_FOUND);
    /* the recipient (a writable non-signer key) is not a required signer either */
    memcpy(sk + 32, wire + 1 + 64 + 4 + 32, 32);
    assert_int_equal(tk_sol_sign_transaction(out, sizeof out, &w, sig, sk, wire, n),
                     TK_ERR_NOT_FOUND);
    /* output buffer too small */
    test_key(sk);
    assert_int_equal(tk_sol_sign_transaction(out, 10, &w, sig, sk, wire, n), TK_ERR_BUFFER);
    assert_int_equal(w, n);
}

/* ---- refusals ---- */

/* A legacy message: header, keys k0..k(n-1) (byte i+1 repeated), blockhash, one instruction. */
static size_t make_msg(unsigned char *m, unsigned req, unsigned ro_s, unsigned ro_u, unsigned nkeys,
                       unsigned pid, unsigned acct)
{
    size_t p = 0;
    m[p++] = (unsigned char)req;
    m[p++] = (unsigned char)ro_s;
    m[p++] = (unsigned char)ro_u;
    m[p++] = (unsigned char)nkeys;
    for (unsigned i = 0; i < nkeys; i++) {
        memset(m + p, (int)(i + 1), 32);
        p += 32;
    }
    memset(m + p, 0x77, 32);
    p += 32;
    m[p++] = 1;
    m[p++] = (unsigned char)pid;
    m[p++] = 1;
    m[p++] = (unsigned char)acct;
    m[p++] = 2;
    m[p++] = 0xaa;
    m[p++] = 0xbb;
    return p;
}

static void test_sanitizer(void **state)
{
    unsigned char m[600];
    tk_sol_message msg;
    size_t n;
    (void)state;
    n = make_msg(m, 1, 0, 1, 3, 2, 1);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_OK);
    /* program id is the fee payer */
    n = make_msg(m, 1, 0, 1, 3, 0, 1);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "fee payer"));
    /* program id out of range */
    n = make_msg(m, 1, 0, 1, 3, 3, 1);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    /* account index out of range */
    n = make_msg(m, 1, 0, 1, 3, 2, 3);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "account index 3"));
    /* no writable signer */
    n = make_msg(m, 1, 1, 1, 3, 2, 1);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    n = make_msg(m, 0, 0, 1, 3, 2, 1);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    /* header counts exceed keys */
    n = make_msg(m, 3, 0, 1, 3, 2, 1);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    /* duplicate keys */
    n = make_msg(m, 1, 0, 1, 3, 2, 1);
    memset(m + 4 + 64, 1, 32);
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "repeats"));
    /* trailing byte */
    n = make_msg(m, 1, 0, 1, 3, 2, 1);
    m[n] = 0;
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n + 1), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "trailing"));
    /* unsupported version */
    m[0] = 0x81;
    assert_int_equal(tk_sol_message_parse_var(&msg, m, n), TK_ERR_UNSUPPORTED);
    /* empty */
    assert_int_equal(tk_sol_message_parse_var(&msg, m, 0), TK_ERR_INPUT);
    assert_int_equal(tk_sol_message_parse_var(NULL, m, n), TK_ERR_ARG);
}

static void test_v0_rules(void **state)
{
    unsigned char wire[1232], m[1232];
    tk_sol_transaction tx;
    tk_sol_message msg;
    size_t n, len;
    (void)state;
    n = vector_bytes(wire, sizeof wire, "v0_unsigned");
    assert_int_equal(tk_sol_transaction_parse_var(&tx, wire, n), TK_OK);
    len = tx.message_len;
    memcpy(m, tx.message, len);
    /* the last three bytes are: writable [00], readonly count 01, [01]. Empty lookup: */
    {
        unsigned char e[1232];
        memcpy(e, m, len - 4);
        e[len - 4] = 0; /* no writable */
        e[len - 3] = 0; /* no readonly */
        /* the instructions refer to table accounts that no longer exist, so this fails either
         * as an empty lookup or an index out of range: both are range errors */
        assert_int_equal(tk_sol_message_parse_var(&msg, e, len - 2), TK_ERR_RANGE);
    }
    /* a program id that points into the lookup table is refused */
    {
        unsigned char e[1232];
        memcpy(e, m, len);
        /* first instruction's program id index: after version, header, keys, blockhash, count */
        size_t pos = 1 + 3 + 1 + 3 * 32 + 32 + 1;
        assert_int_equal(e[pos], 1); /* the system program */
        e[pos] = 3;
        assert_int_equal(tk_sol_message_parse_var(&msg, e, len), TK_ERR_RANGE);
        assert_non_null(strstr(tk_errmsg(), "program id"));
    }
    /* signature count must equal the header's: two signatures, and none, before the message */
    {
        unsigned char e[1232];
        e[0] = 2;
        memset(e + 1, 0, 128);
        memcpy(e + 129, m, len);
        assert_int_equal(tk_sol_transaction_parse_var(&tx, e, 129 + len), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "2 signatures"));
        e[0] = 0;
        memcpy(e + 1, m, len);
        assert_int_equal(tk_sol_transaction_parse_var(&tx, e, 1 + len), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "0 signatures"));
    }
}

static void test_compact_u16(void **state)
{
    unsigned char m[600], bad[700];
    tk_sol_message msg;
    size_t n, w;
    (void)state;
    n = make_msg(m, 1, 0, 1, 3, 2, 1);
    /* the key count 3 written as 0x83 0x00 (non-canonical alias) */
    memcpy(bad, m, 3);
    bad[3] = 0x83;
    bad[4] = 0x00;
    memcpy(bad + 5, m + 4, n - 4);
    assert_int_equal(tk_sol_message_parse_var(&msg, bad, n + 1), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "non-canonical"));
    /* more than 65535 */
    bad[3] = 0xff;
    bad[4] = 0xff;
    bad[5] = 0x04;
    assert_int_equal(tk_sol_message_parse_var(&msg, bad, n + 1), TK_ERR_INPUT);
    /* a 200-byte instruction data length takes two bytes and round-trips */
    {
        unsigned char big[600], re[600];
        size_t p = make_msg(big, 1, 0, 1, 3, 2, 1) - 3;
        big[p++] = 0xc8;
        big[p++] = 0x01;
        memset(big + p, 0x5a, 200);
        p += 200;
        assert_int_equal(tk_sol_message_parse_var(&msg, big, p), TK_OK);
        assert_int_equal(msg.instructions[0].data_len, 200);
        assert_int_equal(tk_sol_message_serialize_var(re, sizeof re, &w, &msg), TK_OK);
        assert_int_equal(w, p);
        assert_memory_equal(re, big, p);
        assert_int_equal(tk_sol_message_serialize_var(re, 10, &w, &msg), TK_ERR_BUFFER);
        assert_int_equal(w, p);
    }
}

static void test_truncation(void **state)
{
    const char *names[] = {"legacy_signed", "v0_signed"};
    (void)state;
    for (size_t k = 0; k < 2; k++) {
        unsigned char wire[1232];
        size_t n = vector_bytes(wire, sizeof wire, names[k]);
        for (size_t len = 0; len < n; len++) {
            /* exact-size heap copies so ASan catches any over-read */
            unsigned char *copy = malloc(len ? len : 1);
            tk_sol_transaction tx;
            assert_non_null(copy);
            memcpy(copy, wire, len);
            assert_int_not_equal(tk_sol_transaction_parse_var(&tx, copy, len), TK_OK);
            free(copy);
        }
    }
}

/* ---- sol_message ---- */

static void test_message_sign(void **state)
{
    unsigned char sk[64], sig[64];
    const char *text = "Sign in to teekeys ✓ nonce 1234";
    (void)state;
    test_key(sk);
    assert_int_equal(tk_sol_sign_message(sig, sk, text, strlen(text)), TK_OK);
    assert_int_equal(
        crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), sk + 32), 0);
    assert_int_equal(tk_sol_verify_message_var(sig, sk + 32, text, strlen(text)), TK_OK);
    sig[5] ^= 1;
    assert_int_equal(tk_sol_verify_message_var(sig, sk + 32, text, strlen(text)), TK_ERR_CRYPTO);
    /* invalid UTF-8: overlong, surrogate, truncated, above U+10FFFF */
    assert_int_equal(tk_sol_sign_message(sig, sk, "a\xc0\xaf", 3), TK_ERR_RANGE);
    assert_int_equal(tk_sol_sign_message(sig, sk, "\xed\xa0\x80", 3), TK_ERR_RANGE);
    assert_int_equal(tk_sol_sign_message(sig, sk, "\xe2\x9c", 2), TK_ERR_RANGE);
    assert_int_equal(tk_sol_sign_message(sig, sk, "\xf4\x90\x80\x80", 4), TK_ERR_RANGE);
    assert_int_equal(tk_sol_sign_message(sig, sk, "", 0), TK_ERR_RANGE);
}

static void test_message_refuses_transactions(void **state)
{
    unsigned char sk[64], sig[64], m[700], wire[1232];
    tk_sol_transaction tx;
    size_t n;
    (void)state;
    test_key(sk);
    /* An all-ASCII legacy message (valid UTF-8) that the network would accept. */
    n = make_msg(m, 1, 0, 1, 3, 2, 1);
    for (size_t i = 0; i < n; i++) {
        assert_true(m[i] < 0x80 || i >= n - 2);
    }
    m[n - 2] = 'a';
    m[n - 1] = 'b';
    assert_true(tk_sol_looks_like_message_var(m, n));
    assert_int_equal(tk_sol_sign_message(sig, sk, (const char *)m, n), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "transaction message"));
    /* ... also with text after it (packets may carry trailing bytes) */
    memcpy(m + n, " hello", 6);
    assert_int_equal(tk_sol_sign_message(sig, sk, (const char *)m, n + 6), TK_ERR_RANGE);
    assert_int_equal(tk_sol_verify_message_var(sig, sk + 32, (const char *)m, n + 6), TK_ERR_RANGE);
    /* the web3.js messages are recognised too */
    n = vector_bytes(wire, sizeof wire, "v0_signed");
    assert_int_equal(tk_sol_transaction_parse_var(&tx, wire, n), TK_OK);
    assert_true(tk_sol_looks_like_message_var(tx.message, tx.message_len));
    n = vector_bytes(wire, sizeof wire, "legacy_signed");
    assert_int_equal(tk_sol_transaction_parse_var(&tx, wire, n), TK_OK);
    assert_true(tk_sol_looks_like_message_var(tx.message, tx.message_len));
    /* ordinary text does not look like a message */
    assert_false(tk_sol_looks_like_message_var((const unsigned char *)"hello world", 11));
}

/* ---- the JSON kinds ---- */

static void test_sign_request(void **state)
{
    unsigned char sk[64], wire[1232], want[1232];
    char b64[2000], exp[2000], exp58[100], req[2100];
    json_t *payload, *result = NULL, *text;
    size_t n, m, k;
    (void)state;
    test_key(sk);
    n = vector_bytes(wire, sizeof wire, "legacy_unsigned");
    m = vector_bytes(want, sizeof want, "legacy_signed");
    assert_int_equal(tk_base64_encode(b64, sizeof b64, &k, wire, n), TK_OK);
    snprintf(req, sizeof req, "{\"transaction\": \"%s\"}", b64);
    payload = json_loads(req, 0, NULL);
    assert_non_null(payload);
    assert_int_equal(tk_sol_sign_request(&result, sk, "sol_transaction", payload), TK_OK);
    assert_int_equal(tk_base64_encode(exp, sizeof exp, &k, want, m), TK_OK);
    assert_string_equal(json_string_value(json_object_get(result, "transaction")), exp);
    assert_int_equal(tk_base58_encode(exp58, sizeof exp58, &k, want + 1, 64), TK_OK);
    assert_string_equal(json_string_value(json_object_get(result, "signature")), exp58);
    json_decref(result);
    /* unknown fields, wrong types and unknown kinds are refused */
    json_object_set_new(payload, "extra", json_true());
    assert_int_equal(tk_sol_sign_request(&result, sk, "sol_transaction", payload), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "extra"));
    assert_null(result);
    assert_int_equal(tk_sol_sign_request(&result, sk, "sol_message", payload), TK_ERR_INPUT);
    assert_int_equal(tk_sol_sign_request(&result, sk, "sol_other", payload), TK_ERR_UNSUPPORTED);
    json_decref(payload);
    /* sol_message signs and verifies */
    text = json_string("hello from teekeys");
    assert_int_equal(tk_sol_sign_request(&result, sk, "sol_message", text), TK_OK);
    assert_int_equal(tk_sol_verify_message_request_var(sk + 32, text, result), TK_OK);
    json_decref(text);
    text = json_string("hello from teekeyz");
    assert_int_equal(tk_sol_verify_message_request_var(sk + 32, text, result), TK_ERR_CRYPTO);
    json_decref(text);
    json_decref(result);
}

/* A v0 message loading more than 256 accounts through a lookup table is refused. */
static void test_account_limit(void **state)
{
    unsigned char m[1000];
    tk_sol_message msg;
    size_t p = 0;
    (void)state;
    m[p++] = 0x80;
    m[p++] = 1;
    m[p++] = 0;
    m[p++] = 1;
    m[p++] = 3;
    for (int i = 0; i < 3; i++) {
        memset(m + p, i + 1, 32);
        p += 32;
    }
    memset(m + p, 0x77, 32);
    p += 32;
    m[p++] = 1; /* one instruction: program 2, no accounts, no data */
    m[p++] = 2;
    m[p++] = 0;
    m[p++] = 0;
    m[p++] = 1; /* one lookup */
    memset(m + p, 0x55, 32);
    p += 32;
    m[p++] = 0xfd; /* 253 writable indexes: 3 + 253 = 256 accounts, the maximum */
    m[p++] = 0x01;
    for (int i = 0; i < 253; i++) {
        m[p++] = (unsigned char)i;
    }
    m[p++] = 0;
    assert_int_equal(tk_sol_message_parse_var(&msg, m, p), TK_OK);
    assert_int_equal(msg.lookups[0].n_writable, 253);
    /* one more readonly index makes 257 */
    m[p - 1] = 1;
    m[p++] = 0;
    assert_int_equal(tk_sol_message_parse_var(&msg, m, p), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "257 accounts"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_web3js_legacy), cmocka_unit_test(test_web3js_v0),
        cmocka_unit_test(test_b64_kind),      cmocka_unit_test(test_not_a_signer),
        cmocka_unit_test(test_sanitizer),     cmocka_unit_test(test_v0_rules),
        cmocka_unit_test(test_compact_u16),   cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_message_sign),  cmocka_unit_test(test_message_refuses_transactions),
        cmocka_unit_test(test_sign_request),  cmocka_unit_test(test_account_limit),
    };
    if (sodium_init() < 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
