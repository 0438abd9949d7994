/*
 * Tests for the near module's transaction codec and signing and NEP-413: near-api-js known
 * answers (tests/vectors/near/near_api_js.txt: every action kind, signatures byte for byte),
 * decode -> encode round trips, every refusal of the strict decoder with the field it names,
 * truncation at every length, and NEP-413 sign/verify/decode.
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

#include "teekeys/borsh.h"
#include "teekeys/encoding.h"
#include "teekeys/near.h"
#include "util.h"

#define VECTORS "tests/vectors/near/near_api_js.txt"

/* Returns the hex of vector `name`. */
static const char *vector(const char *name)
{
    return test_vector_line(VECTORS, name);
}

static size_t vbytes(unsigned char *out, size_t cap, const char *name)
{
    const char *h = vector(name);
    return *h ? test_unhex(out, cap, h) : 0;
}

static void test_key(unsigned char sk[64])
{
    test_vector_keypair(sk, VECTORS);
}

/* ---- known answers ---- */

static void check_signed(const char *prefix)
{
    unsigned char sk[64], tx[4096], want[4096], hash_want[32], out[4096], hash[32];
    char name[64];
    size_t n, m, w;
    test_key(sk);
    snprintf(name, sizeof name, "%s_tx", prefix);
    n = vbytes(tx, sizeof tx, name);
    snprintf(name, sizeof name, "%s_signed", prefix);
    m = vbytes(want, sizeof want, name);
    snprintf(name, sizeof name, "%s_hash", prefix);
    vbytes(hash_want, sizeof hash_want, name);
    assert_int_equal(tk_near_sign_transaction(out, sizeof out, &w, hash, sk, tx, n), TK_OK);
    assert_int_equal(w, m);
    assert_memory_equal(out, want, m);
    assert_memory_equal(hash, hash_want, 32);
    /* too small a buffer reports the size */
    assert_int_equal(tk_near_sign_transaction(out, n, &w, hash, sk, tx, n), TK_ERR_BUFFER);
    assert_int_equal(w, m);
}

static void test_sign_known_answers(void **state)
{
    (void)state;
    check_signed("all");
    check_signed("transfer");
}

static void test_b64_kind(void **state)
{
    unsigned char sk[64], tx[4096], want[4096], hash[32];
    char in[8192], out[8192], exp[8192], h58[TK_NEAR_HASH_B58_MAX], exp58[64];
    size_t n, m, k;
    (void)state;
    test_key(sk);
    n = vbytes(tx, sizeof tx, "all_tx");
    m = vbytes(want, sizeof want, "all_signed");
    vbytes(hash, sizeof hash, "all_hash");
    assert_int_equal(tk_base64_encode(in, sizeof in, &k, tx, n), TK_OK);
    assert_int_equal(tk_near_sign_transaction_b64(out, sizeof out, h58, sizeof h58, sk, in, k),
                     TK_OK);
    assert_int_equal(tk_base64_encode(exp, sizeof exp, &k, want, m), TK_OK);
    assert_string_equal(out, exp);
    assert_int_equal(tk_base58_encode(exp58, sizeof exp58, &k, hash, 32), TK_OK);
    assert_string_equal(h58, exp58);
    assert_int_equal(tk_near_sign_transaction_b64(out, sizeof out, h58, sizeof h58, sk, "@@@@", 4),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "transaction"));
}

static void test_decode_all_kinds(void **state)
{
    unsigned char tx[4096], re[4096];
    tk_near_tx *d = NULL;
    tk_near_bytes name;
    size_t n, w;
    (void)state;
    n = vbytes(tx, sizeof tx, "all_tx");
    assert_int_equal(tk_near_tx_decode_var(&d, tx, n), TK_OK);
    assert_int_equal(d->signer_id.len, 10);
    assert_memory_equal(d->signer_id.ptr, "alice.near", 10);
    assert_memory_equal(d->receiver_id.ptr, "bob.near", 8);
    assert_int_equal(d->nonce, 7);
    assert_int_equal(d->public_key.type, TK_NEAR_KEY_ED25519);
    assert_int_equal(d->block_hash[0], 0xa0);
    assert_int_equal(d->n_actions, 11);
    assert_int_equal(d->actions[0].kind, TK_NEAR_ACTION_CREATE_ACCOUNT);
    assert_int_equal(d->actions[1].kind, TK_NEAR_ACTION_DEPLOY_CONTRACT);
    assert_int_equal(d->actions[1].code.len, 300);
    assert_int_equal(d->actions[2].kind, TK_NEAR_ACTION_FUNCTION_CALL);
    assert_memory_equal(d->actions[2].method_name.ptr, "set_greeting", 12);
    assert_int_equal(d->actions[2].gas, 100000000000000ull);
    assert_int_equal(d->actions[3].kind, TK_NEAR_ACTION_TRANSFER);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(d->actions[3].amount[i], 0xff);
    }
    assert_int_equal(d->actions[4].kind, TK_NEAR_ACTION_STAKE);
    assert_int_equal(d->actions[5].kind, TK_NEAR_ACTION_ADD_KEY);
    assert_true(d->actions[5].full_access);
    assert_false(d->actions[6].full_access);
    assert_int_equal(d->actions[6].public_key.type, TK_NEAR_KEY_SECP256K1);
    assert_true(d->actions[6].has_allowance);
    assert_memory_equal(d->actions[6].permission_receiver.ptr, "app.near", 8);
    assert_int_equal(d->actions[6].n_method_names, 2);
    assert_int_equal(tk_near_method_name_var(&name, &d->actions[6], 1), TK_OK);
    assert_int_equal(name.len, 10);
    assert_memory_equal(name.ptr, "method_two", 10);
    assert_int_equal(tk_near_method_name_var(&name, &d->actions[6], 2), TK_ERR_ARG);
    assert_false(d->actions[7].has_allowance);
    assert_int_equal(d->actions[7].n_method_names, 0);
    assert_int_equal(d->actions[8].kind, TK_NEAR_ACTION_DELETE_KEY);
    assert_int_equal(d->actions[9].kind, TK_NEAR_ACTION_DELETE_ACCOUNT);
    assert_memory_equal(d->actions[9].beneficiary_id.ptr, "beneficiary.near", 16);
    assert_int_equal(d->actions[10].kind, TK_NEAR_ACTION_DELEGATE);
    assert_non_null(d->actions[10].delegate);
    assert_int_equal(d->actions[10].delegate->n_actions, 3);
    assert_int_equal(d->actions[10].delegate->nonce, 99);
    assert_int_equal(d->actions[10].delegate->max_block_height, 123456789);
    assert_int_equal(d->actions[10].delegate->actions[2].kind, TK_NEAR_ACTION_ADD_KEY);
    /* re-encodes to the same bytes; measuring with a NULL buffer works */
    assert_int_equal(tk_near_tx_encode_var(re, sizeof re, &w, d), TK_OK);
    assert_int_equal(w, n);
    assert_memory_equal(re, tx, n);
    assert_int_equal(tk_near_tx_encode_var(NULL, 0, &w, d), TK_ERR_BUFFER);
    assert_int_equal(w, n);
    tk_near_tx_free(d);
}

/* ---- refusals ---- */

/* A small transfer transaction written by hand; returns its length. Offsets used below:
 * signer "ab.near" at 4, key tag at 11. */
static size_t build_tx(unsigned char *b, const char *signer, uint8_t action, const void *body,
                       size_t body_len)
{
    tk_borsh_writer w;
    unsigned char pk[32], hash[32];
    size_t n = 0;
    memset(pk, 0x11, 32);
    memset(hash, 0x22, 32);
    tk_borsh_writer_init(&w, b, 4096);
    tk_borsh_write_bytes(&w, signer, strlen(signer));
    tk_borsh_write_u8(&w, 0);
    tk_borsh_write_fixed(&w, pk, 32);
    tk_borsh_write_u64(&w, 5);
    tk_borsh_write_bytes(&w, "cd.near", 7);
    tk_borsh_write_fixed(&w, hash, 32);
    tk_borsh_write_u32(&w, 1);
    tk_borsh_write_u8(&w, action);
    tk_borsh_write_fixed(&w, body, body_len);
    assert_int_equal(tk_borsh_writer_finish(&w, &n), TK_OK);
    return n;
}

static void expect_refused(const unsigned char *b, size_t n, int code, const char *detail)
{
    tk_near_tx *d = NULL;
    int rc = tk_near_tx_decode_var(&d, b, n);
    if (rc != code || strstr(tk_errmsg(), detail) == NULL) {
        fail_msg("expected %d with '%s', got %d '%s'", code, detail, rc, tk_errmsg());
    }
    assert_null(d);
}

static void test_refusals(void **state)
{
    unsigned char b[4096], body[64];
    tk_near_tx *d = NULL;
    size_t n;
    (void)state;
    memset(body, 0, sizeof body);
    n = build_tx(b, "ab.near", TK_NEAR_ACTION_TRANSFER, body, 16);
    assert_int_equal(tk_near_tx_decode_var(&d, b, n), TK_OK);
    tk_near_tx_free(d);
    /* trailing byte */
    b[n] = 0;
    expect_refused(b, n + 1, TK_ERR_INPUT, "trailing");
    /* bad account ids */
    n = build_tx(b, "Ab.near", TK_NEAR_ACTION_TRANSFER, body, 16);
    expect_refused(b, n, TK_ERR_INPUT, "signer_id");
    n = build_tx(b, "a..near", TK_NEAR_ACTION_TRANSFER, body, 16);
    expect_refused(b, n, TK_ERR_INPUT, "signer_id");
    n = build_tx(b, "a", TK_NEAR_ACTION_TRANSFER, body, 16);
    expect_refused(b, n, TK_ERR_INPUT, "signer_id");
    /* unknown key type */
    n = build_tx(b, "ab.near", TK_NEAR_ACTION_TRANSFER, body, 16);
    b[11] = 2;
    expect_refused(b, n, TK_ERR_INPUT, "public_key");
    /* unknown and unsupported action kinds */
    n = build_tx(b, "ab.near", 9, body, 16);
    expect_refused(b, n, TK_ERR_UNSUPPORTED, "action kind 9");
    n = build_tx(b, "ab.near", 200, body, 16);
    expect_refused(b, n, TK_ERR_UNSUPPORTED, "actions[0]");
    /* truncated transfer amount */
    n = build_tx(b, "ab.near", TK_NEAR_ACTION_TRANSFER, body, 15);
    expect_refused(b, n, TK_ERR_INPUT, "actions[0] (Transfer): deposit");
    /* AddKey: bad permission tag, bad option tag, bad receiver */
    {
        unsigned char ak[64];
        memset(ak, 0, sizeof ak);
        ak[0] = 0;  /* ed25519 */
        ak[41] = 2; /* permission tag after 1 + 32 + 8 */
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_ADD_KEY, ak, 42);
        expect_refused(b, n, TK_ERR_INPUT, "access_key.permission");
        ak[41] = 0;
        ak[42] = 3; /* allowance option tag */
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_ADD_KEY, ak, 43);
        expect_refused(b, n, TK_ERR_INPUT, "option tag 3");
        ak[42] = 0;
        memcpy(ak + 43, "\x02\x00\x00\x00X!", 6); /* receiver "X!" */
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_ADD_KEY, ak, 49);
        expect_refused(b, n, TK_ERR_INPUT, "permission.receiver_id");
    }
    /* FunctionCall: bad UTF-8 method name, oversized method name */
    {
        unsigned char fc[64] = {2, 0, 0, 0, 0xc3, 0x28};
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_FUNCTION_CALL, fc, 6);
        expect_refused(b, n, TK_ERR_INPUT, "method_name: not valid UTF-8");
        fc[0] = 0x01;
        fc[1] = 0x01; /* 257 */
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_FUNCTION_CALL, fc, 6);
        expect_refused(b, n, TK_ERR_INPUT, "exceeds the limit");
    }
    /* AddKey: more than 2000 bytes of method names (8 x 256 = 2048) */
    {
        unsigned char ak[2200];
        size_t p = 0;
        memset(ak, 0, sizeof ak);
        p = 41;      /* ed25519 key and nonce */
        ak[p++] = 0; /* FunctionCall permission */
        ak[p++] = 0; /* no allowance */
        memcpy(ak + p,
               "\x07\x00\x00\x00"
               "ab.near",
               11);
        p += 11;
        ak[p] = 8;
        p += 4;
        for (int i = 0; i < 8; i++) {
            ak[p] = 0x00;
            ak[p + 1] = 0x01; /* 256 */
            p += 4;
            memset(ak + p, 'm', 256);
            p += 256;
        }
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_ADD_KEY, ak, p);
        expect_refused(b, n, TK_ERR_INPUT, "more than 2000 bytes");
        /* seven names (1792 bytes) pass */
        ak[41 + 2 + 11] = 7;
        n = build_tx(b, "ab.near", TK_NEAR_ACTION_ADD_KEY, ak, p - 260);
        assert_int_equal(tk_near_tx_decode_var(&d, b, n), TK_OK);
        assert_int_equal(d->actions[0].n_method_names, 7);
        tk_near_tx_free(d);
        d = NULL;
    }
    /* DeleteAccount with an invalid beneficiary */
    n = build_tx(b, "ab.near", TK_NEAR_ACTION_DELETE_ACCOUNT, "\x03\x00\x00\x00-ab", 7);
    expect_refused(b, n, TK_ERR_INPUT, "beneficiary_id");
    /* too many actions */
    n = build_tx(b, "ab.near", TK_NEAR_ACTION_CREATE_ACCOUNT, NULL, 0);
    b[n - 5] = 101;
    expect_refused(b, n, TK_ERR_INPUT, "101 actions");
    /* misuse */
    assert_int_equal(tk_near_tx_decode_var(NULL, b, n), TK_ERR_ARG);
    tk_near_tx_free(NULL);
}

/* A delegate action may not contain another delegate; found in the near-api-js vector by
 * patching the inner Transfer's tag (the first inner action) to 8. */
static void test_nested_delegate(void **state)
{
    unsigned char tx[4096];
    tk_near_tx *d = NULL;
    size_t n, off;
    (void)state;
    n = vbytes(tx, sizeof tx, "all_tx");
    assert_int_equal(tk_near_tx_decode_var(&d, tx, n), TK_OK);
    /* sender_id string of the delegate: "relayed.testnet" */
    off = (size_t)(d->actions[10].delegate->receiver_id.ptr - tx) +
          d->actions[10].delegate->receiver_id.len + 4;
    tk_near_tx_free(d);
    assert_int_equal(tx[off], TK_NEAR_ACTION_TRANSFER);
    tx[off] = TK_NEAR_ACTION_DELEGATE;
    expect_refused(tx, n, TK_ERR_INPUT, "cannot contain another delegate");
}

static void test_truncation(void **state)
{
    unsigned char tx[4096];
    size_t n;
    (void)state;
    n = vbytes(tx, sizeof tx, "all_tx");
    for (size_t len = 0; len < n; len++) {
        unsigned char *copy = malloc(len ? len : 1);
        tk_near_tx *d = NULL;
        assert_non_null(copy);
        memcpy(copy, tx, len);
        assert_int_not_equal(tk_near_tx_decode_var(&d, copy, len), TK_OK);
        assert_null(d);
        free(copy);
    }
}

static void test_wrong_key(void **state)
{
    unsigned char sk[64], seed[32] = {7}, pk[32], tx[4096], out[4096], hash[32];
    size_t n, w;
    (void)state;
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    n = vbytes(tx, sizeof tx, "transfer_tx");
    assert_int_equal(tk_near_sign_transaction(out, sizeof out, &w, hash, sk, tx, n), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "public_key"));
}

/* ---- NEP-413 ---- */

static void load_nep413(tk_near_nep413 *m, unsigned char *buf, size_t cap, int i)
{
    char name[64];
    size_t n, pos = 0;
    memset(m, 0, sizeof *m);
    snprintf(name, sizeof name, "nep413_%d_message", i);
    n = vbytes(buf, cap, name);
    m->message.ptr = buf;
    m->message.len = n;
    pos += n;
    snprintf(name, sizeof name, "nep413_%d_nonce", i);
    assert_int_equal(vbytes(m->nonce, 32, name), 32);
    snprintf(name, sizeof name, "nep413_%d_recipient", i);
    n = vbytes(buf + pos, cap - pos, name);
    m->recipient.ptr = buf + pos;
    m->recipient.len = n;
    pos += n;
    snprintf(name, sizeof name, "nep413_%d_callback", i);
    n = vbytes(buf + pos, cap - pos, name);
    if (!(n == 1 && buf[pos] == 0xff)) {
        m->has_callback_url = 1;
        m->callback_url.ptr = buf + pos;
        m->callback_url.len = n;
    }
}

static void test_nep413(void **state)
{
    unsigned char sk[64];
    (void)state;
    test_key(sk);
    for (int i = 0; i < 2; i++) {
        unsigned char buf[512], sig[64], want[64], enc[1024];
        tk_near_nep413 m, dec;
        char name[64];
        size_t n, w;
        load_nep413(&m, buf, sizeof buf, i);
        snprintf(name, sizeof name, "nep413_%d_signature", i);
        vbytes(want, 64, name);
        assert_int_equal(tk_near_nep413_sign(sig, sk, &m), TK_OK);
        assert_memory_equal(sig, want, 64);
        assert_int_equal(tk_near_nep413_verify_var(sig, sk + 32, &m), TK_OK);
        sig[0] ^= 0x80;
        assert_int_equal(tk_near_nep413_verify_var(sig, sk + 32, &m), TK_ERR_CRYPTO);
        /* encode -> decode -> encode */
        assert_int_equal(tk_near_nep413_encode_var(enc, sizeof enc, &n, &m), TK_OK);
        assert_int_equal(enc[0], 0x9d); /* 2^31 + 413 little-endian: 9d 01 00 80 */
        assert_int_equal(enc[3], 0x80);
        assert_int_equal(tk_near_nep413_decode_var(&dec, enc, n), TK_OK);
        assert_int_equal(dec.has_callback_url, m.has_callback_url);
        assert_memory_equal(dec.nonce, m.nonce, 32);
        {
            unsigned char re[1024];
            assert_int_equal(tk_near_nep413_encode_var(re, sizeof re, &w, &dec), TK_OK);
            assert_int_equal(w, n);
            assert_memory_equal(re, enc, n);
        }
        /* refusals: wrong tag, bad option tag, trailing bytes, truncation */
        enc[0] ^= 1;
        assert_int_equal(tk_near_nep413_decode_var(&dec, enc, n), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "tag"));
        enc[0] ^= 1;
        enc[n] = 0;
        assert_int_equal(tk_near_nep413_decode_var(&dec, enc, n + 1), TK_ERR_INPUT);
        for (size_t len = 0; len < n; len++) {
            assert_int_not_equal(tk_near_nep413_decode_var(&dec, enc, len), TK_OK);
        }
    }
    {
        tk_near_nep413 m;
        unsigned char sig[64];
        memset(&m, 0, sizeof m);
        m.message.ptr = (const unsigned char *)"\xff";
        m.message.len = 1;
        assert_int_equal(tk_near_nep413_sign(sig, sk, &m), TK_ERR_RANGE);
        assert_non_null(strstr(tk_errmsg(), "message"));
    }
}

/* ---- the JSON kinds ---- */

static void test_sign_request(void **state)
{
    unsigned char sk[64], tx[4096], want[4096], sig[64];
    char b64[8192], exp[8192], req[8300], pub[TK_NEARKEY_MAX_LEN], implicit[65];
    json_t *payload, *result = NULL;
    size_t n, m, k;
    (void)state;
    test_key(sk);
    n = vbytes(tx, sizeof tx, "transfer_tx");
    m = vbytes(want, sizeof want, "transfer_signed");
    assert_int_equal(tk_base64_encode(b64, sizeof b64, &k, tx, n), TK_OK);
    snprintf(req, sizeof req, "{\"transaction\": \"%s\"}", b64);
    payload = json_loads(req, 0, NULL);
    assert_non_null(payload);
    assert_int_equal(tk_near_sign_request(&result, sk, "near_transaction", payload), TK_OK);
    assert_int_equal(tk_base64_encode(exp, sizeof exp, &k, want, m), TK_OK);
    assert_string_equal(json_string_value(json_object_get(result, "signed_transaction")), exp);
    assert_non_null(json_string_value(json_object_get(result, "hash")));
    json_decref(result);
    json_object_set_new(payload, "signer", json_string("x"));
    assert_int_equal(tk_near_sign_request(&result, sk, "near_transaction", payload), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "signer"));
    json_decref(payload);

    /* nep413, the first near-api-js case, without accountId: the implicit account */
    payload = json_pack("{s:s, s:s, s:s}", "message", "Login to teekeys \u2713", "nonce",
                        "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8=", "recipient",
                        "teekeys@dao.test.near");
    assert_non_null(payload);
    assert_int_equal(tk_near_sign_request(&result, sk, "nep413", payload), TK_OK);
    vbytes(want, 64, "nep413_0_signature");
    assert_int_equal(
        tk_base64_decode(sig, sizeof sig, &k,
                         json_string_value(json_object_get(result, "signature")),
                         strlen(json_string_value(json_object_get(result, "signature")))),
        TK_OK);
    assert_memory_equal(sig, want, 64);
    assert_int_equal(tk_nearkey_encode(pub, sizeof pub, TK_NEARKEY_ED25519_PUBLIC, sk + 32, 32),
                     TK_OK);
    assert_string_equal(json_string_value(json_object_get(result, "publicKey")), pub);
    assert_int_equal(tk_hex_encode(implicit, sizeof implicit, sk + 32, 32), TK_OK);
    assert_string_equal(json_string_value(json_object_get(result, "accountId")), implicit);
    assert_int_equal(tk_near_nep413_verify_request_var(payload, result), TK_OK);
    json_object_set_new(payload, "recipient", json_string("evil.near"));
    assert_int_equal(tk_near_nep413_verify_request_var(payload, result), TK_ERR_CRYPTO);
    json_decref(result);
    /* accountId is echoed, and must be a valid account id */
    json_object_set_new(payload, "accountId", json_string("alice.near"));
    assert_int_equal(tk_near_sign_request(&result, sk, "nep413", payload), TK_OK);
    assert_string_equal(json_string_value(json_object_get(result, "accountId")), "alice.near");
    json_decref(result);
    json_object_set_new(payload, "accountId", json_string("Alice"));
    assert_int_equal(tk_near_sign_request(&result, sk, "nep413", payload), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "accountId"));
    /* nonce must be 32 bytes */
    json_object_set_new(payload, "accountId", json_null());
    json_object_set_new(payload, "nonce", json_string("AAAA"));
    assert_int_equal(tk_near_sign_request(&result, sk, "nep413", payload), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "nonce"));
    json_decref(payload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_known_answers), cmocka_unit_test(test_b64_kind),
        cmocka_unit_test(test_decode_all_kinds),   cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_nested_delegate),    cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_wrong_key),          cmocka_unit_test(test_nep413),
        cmocka_unit_test(test_sign_request),
    };
    if (sodium_init() < 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
