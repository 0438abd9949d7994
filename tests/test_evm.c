/*
 * evm module: EIP-155 and EIP-712 Mail known answers (tests/vectors/evm/), round trips of
 * every transaction type through JSON → sign → raw → decode → JSON, the strict JSON and raw
 * parsers' refusals (each must name its field), EIP-7702 authorizations, EIP-191 and EIP-712
 * value encoding with range checks. Cross-implementation checks live in oracle/evm_check.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>
#include <jansson.h>

#include "teekeys/evm.h"
#include "teekeys/hash.h"
#include "teekeys/rlp.h"
#include "util.h"

static const unsigned char key46[32] = {
    0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46,
    0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46};

static json_t *load(const char *name)
{
    char path[256];
    json_error_t err;
    json_t *j;
    snprintf(path, sizeof path, "tests/vectors/evm/%s", name);
    j = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL) {
        fail_msg("cannot load %s: %s", path, err.text);
    }
    return j;
}

static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL) {
        fail_msg("test JSON does not parse: %s: %s", err.text, text);
    }
    return j;
}

/* Decodes "0x..." hex from a JSON string member. */
static size_t hex_member(unsigned char *out, size_t cap, const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    assert_non_null(s);
    assert_true(s[0] == '0' && s[1] == 'x');
    return test_unhex(out, cap, s + 2);
}

static void assert_detail(const char *needle)
{
    if (strstr(tk_errmsg(), needle) == NULL) {
        fail_msg("detail \"%s\" lacks \"%s\"", tk_errmsg(), needle);
    }
}

static void test_eip155_known(void **state)
{
    json_t *v = load("eip155.json"), *res = NULL;
    unsigned char key[32], want[256], hash[32], addr[20], *enc = NULL;
    char addr_s[TK_EVM_ADDRESS_STR];
    size_t n, enc_len;
    tk_evm_tx tx, dec;
    (void)state;

    hex_member(key, sizeof key, v, "key");
    assert_int_equal(tk_evm_tx_from_jansson(&tx, json_object_get(v, "tx")), TK_OK);
    assert_int_equal(tk_evm_tx_encode(&enc, &enc_len, &tx, 0), TK_OK);
    n = hex_member(want, sizeof want, v, "signing_payload");
    assert_int_equal(enc_len, n);
    assert_memory_equal(enc, want, n);
    free(enc);
    assert_int_equal(tk_evm_tx_signing_hash(hash, &tx), TK_OK);
    hex_member(want, sizeof want, v, "signing_hash");
    assert_memory_equal(hash, want, 32);

    assert_int_equal(tk_evm_tx_sign(&tx, key), TK_OK);
    assert_int_equal(tk_evm_tx_encode(&enc, &enc_len, &tx, 1), TK_OK);
    n = hex_member(want, sizeof want, v, "raw");
    assert_int_equal(enc_len, n);
    assert_memory_equal(enc, want, n);

    assert_int_equal(tk_evm_address_of_seckey(addr, key), TK_OK);
    assert_int_equal(tk_evm_address_string(addr_s, sizeof addr_s, addr), TK_OK);
    assert_string_equal(addr_s, json_string_value(json_object_get(v, "from")));

    /* decode → same fields, same bytes, same sender */
    assert_int_equal(tk_evm_tx_decode(&dec, want, n), TK_OK);
    assert_int_equal(dec.type, TK_EVM_TX_LEGACY);
    assert_true(dec.eip155 && dec.chain_id == 1 && dec.nonce == 9 && dec.gas == 21000);
    free(enc);
    assert_int_equal(tk_evm_tx_encode(&enc, &enc_len, &dec, 1), TK_OK);
    assert_int_equal(enc_len, n);
    assert_memory_equal(enc, want, n);
    assert_int_equal(tk_evm_tx_sender_var(addr, &dec), TK_OK);
    assert_int_equal(tk_evm_address_string(addr_s, sizeof addr_s, addr), TK_OK);
    assert_string_equal(addr_s, json_string_value(json_object_get(v, "from")));

    /* the request entry point gives {raw, hash, from} */
    assert_int_equal(tk_evm_sign_request(&res, key, "eth_transaction", json_object_get(v, "tx")),
                     TK_OK);
    assert_string_equal(json_string_value(json_object_get(res, "raw")),
                        json_string_value(json_object_get(v, "raw")));
    assert_string_equal(json_string_value(json_object_get(res, "from")), addr_s);
    tk_keccak256(hash, want, n);
    n = hex_member(want, sizeof want, res, "hash");
    assert_int_equal(n, 32);
    assert_memory_equal(want, hash, 32);

    json_decref(res);
    free(enc);
    tk_evm_tx_free(&tx);
    tk_evm_tx_free(&dec);
    json_decref(v);
}

static void test_eip712_mail(void **state)
{
    json_t *v = load("eip712_mail.json"), *typed, *res = NULL, *no_domain;
    unsigned char key[32], want[65], hash[32], ds[32], sh[32], sig[65], addr[20];
    char *et = NULL, addr_s[TK_EVM_ADDRESS_STR];
    (void)state;
    hex_member(key, sizeof key, v, "key");
    typed = json_object_get(v, "typed");
    assert_int_equal(tk_evm_typed_encode_type(&et, json_object_get(typed, "types"), "Mail"), TK_OK);
    assert_string_equal(et, json_string_value(json_object_get(v, "encode_type")));
    free(et);
    assert_int_equal(tk_evm_typed_data_hash(hash, ds, sh, typed), TK_OK);
    hex_member(want, sizeof want, v, "domain_separator");
    assert_memory_equal(ds, want, 32);
    hex_member(want, sizeof want, v, "struct_hash");
    assert_memory_equal(sh, want, 32);
    hex_member(want, sizeof want, v, "digest");
    assert_memory_equal(hash, want, 32);

    assert_int_equal(tk_evm_sign_digest(sig, key, hash), TK_OK);
    hex_member(want, sizeof want, v, "signature");
    assert_memory_equal(sig, want, 65);
    assert_int_equal(tk_evm_recover_var(addr, hash, sig), TK_OK);
    assert_int_equal(tk_evm_address_string(addr_s, sizeof addr_s, addr), TK_OK);
    assert_string_equal(addr_s, json_string_value(json_object_get(v, "address")));

    assert_int_equal(tk_evm_sign_request(&res, key, "eth_typed_data", typed), TK_OK);
    assert_string_equal(json_string_value(json_object_get(res, "signature")),
                        json_string_value(json_object_get(v, "signature")));
    json_decref(res);
    /* the same object as a JSON string, as eth_signTypedData_v4 sends it */
    {
        char *text = json_dumps(typed, JSON_COMPACT);
        json_t *str = json_string(text);
        assert_int_equal(tk_evm_typed_data_hash(sig, NULL, NULL, str), TK_OK);
        assert_memory_equal(sig, hash, 32);
        assert_int_equal(tk_evm_sign_request(&res, key, "eth_typed_data", str), TK_OK);
        assert_string_equal(json_string_value(json_object_get(res, "signature")),
                            json_string_value(json_object_get(v, "signature")));
        json_decref(res);
        json_decref(str);
        free(text);
    }

    /* Without EIP712Domain in types, the domain type is built from the fields present in
     * viem's order: here the same four, so the same digest. */
    no_domain = json_deep_copy(typed);
    assert_int_equal(json_object_del(json_object_get(no_domain, "types"), "EIP712Domain"), 0);
    assert_int_equal(tk_evm_typed_data_hash(sig, NULL, NULL, no_domain), TK_OK);
    assert_memory_equal(sig, hash, 32);
    /* ... and an unknown domain field is refused there */
    json_object_set_new(json_object_get(no_domain, "domain"), "colour", json_string("red"));
    assert_int_equal(tk_evm_typed_data_hash(sig, NULL, NULL, no_domain), TK_ERR_INPUT);
    assert_detail("colour");
    json_decref(no_domain);
    json_decref(v);
}

/* Typed data with one field of type `type` holding `value` (JSON text). */
static int typed_one(const char *type, const char *value)
{
    char text[2048];
    unsigned char h[32];
    json_t *j;
    int rc;
    snprintf(text, sizeof text,
             "{\"types\":{\"T\":[{\"name\":\"v\",\"type\":\"%s\"}],\"S\":[{\"name\":\"a\","
             "\"type\":\"uint8\"},{\"name\":\"b\",\"type\":\"string\"}]},\"primaryType\":\"T\","
             "\"domain\":{\"chainId\":\"0x1\"},\"message\":{\"v\":%s}}",
             type, value);
    j = parse(text);
    rc = tk_evm_typed_data_hash(h, NULL, NULL, j);
    json_decref(j);
    return rc;
}

static void test_eip712_values(void **state)
{
    (void)state;
    /* integers: bounds of every kind, JSON numbers, decimal and hex strings */
    assert_int_equal(typed_one("uint8", "255"), TK_OK);
    assert_int_equal(typed_one("uint8", "256"), TK_ERR_RANGE);
    assert_detail("message.v");
    assert_int_equal(typed_one("uint8", "-1"), TK_ERR_RANGE);
    assert_int_equal(typed_one("int8", "-128"), TK_OK);
    assert_int_equal(typed_one("int8", "127"), TK_OK);
    assert_int_equal(typed_one("int8", "128"), TK_ERR_RANGE);
    assert_int_equal(typed_one("int8", "-129"), TK_ERR_RANGE);
    assert_int_equal(typed_one("int16", "\"-0x8000\""), TK_OK);
    assert_int_equal(typed_one("int16", "\"0x8000\""), TK_ERR_RANGE);
    assert_int_equal(
        typed_one(
            "uint256",
            "\"115792089237316195423570985008687907853269984665640564039457584007913129639935\""),
        TK_OK);
    assert_int_equal(
        typed_one(
            "uint256",
            "\"115792089237316195423570985008687907853269984665640564039457584007913129639936\""),
        TK_ERR_RANGE);
    assert_int_equal(
        typed_one(
            "int256",
            "\"-57896044618658097711785492504343953926634992332820282019728792003956564819968\""),
        TK_OK);
    assert_int_equal(
        typed_one(
            "int256",
            "\"57896044618658097711785492504343953926634992332820282019728792003956564819968\""),
        TK_ERR_RANGE);
    assert_int_equal(typed_one("uint64", "1.5"), TK_ERR_INPUT);
    assert_int_equal(typed_one("uint64", "\"12a\""), TK_ERR_INPUT);
    assert_int_equal(typed_one("uint64", "true"), TK_ERR_INPUT);
    assert_int_equal(typed_one("uint7", "1"), TK_ERR_INPUT); /* not a type */
    assert_int_equal(typed_one("uint264", "1"), TK_ERR_INPUT);
    assert_int_equal(typed_one("uint08", "1"), TK_ERR_INPUT);
    assert_int_equal(typed_one("uint", "1"), TK_ERR_INPUT);
    /* bytes, bool, address, string */
    assert_int_equal(typed_one("bytes1", "\"0xff\""), TK_OK);
    assert_int_equal(typed_one("bytes32", "\"0x"
                                          "00112233445566778899aabbccddeeff"
                                          "00112233445566778899aabbccddeeff\""),
                     TK_OK);
    assert_int_equal(typed_one("bytes3", "\"0x00112233\""), TK_ERR_INPUT);
    assert_int_equal(typed_one("bytes33", "\"0x00\""), TK_ERR_INPUT);
    assert_int_equal(typed_one("bytes", "\"0x\""), TK_OK);
    assert_int_equal(typed_one("bytes", "\"0x123\""), TK_ERR_INPUT);
    assert_int_equal(typed_one("bool", "false"), TK_OK);
    assert_int_equal(typed_one("bool", "1"), TK_ERR_INPUT);
    assert_int_equal(typed_one("address", "\"0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826\""), TK_OK);
    assert_int_equal(typed_one("address", "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827\""),
                     TK_ERR_INPUT); /* bad EIP-55 checksum */
    assert_detail("checksum");
    assert_int_equal(typed_one("string", "\"h\\u00e9llo\""), TK_OK);
    assert_int_equal(typed_one("string", "5"), TK_ERR_INPUT);
    /* arrays: dynamic, fixed, multi-dimensional, of structs */
    assert_int_equal(typed_one("uint8[]", "[]"), TK_OK);
    assert_int_equal(typed_one("uint8[2]", "[1,2]"), TK_OK);
    assert_int_equal(typed_one("uint8[2]", "[1,2,3]"), TK_ERR_INPUT);
    assert_int_equal(typed_one("uint8[2][]", "[[1,2],[3,4],[5,6]]"), TK_OK);
    assert_int_equal(typed_one("uint8[2][]", "[[1,2],[3]]"), TK_ERR_INPUT);
    assert_detail("message.v[1]");
    assert_int_equal(typed_one("uint8[][3]", "[[],[1],[1,2]]"), TK_OK);
    assert_int_equal(typed_one("uint8[0]", "[]"), TK_ERR_INPUT);
    assert_int_equal(typed_one("S[]", "[{\"a\":1,\"b\":\"x\"}]"), TK_OK);
    assert_int_equal(typed_one("S[]", "[{\"a\":1}]"), TK_ERR_INPUT);
    assert_detail("message.v[0].b");
    assert_int_equal(typed_one("S", "{\"a\":1,\"b\":\"x\",\"c\":2}"), TK_ERR_INPUT);
    assert_detail("\"c\"");
    assert_int_equal(typed_one("Unknown", "{}"), TK_ERR_INPUT);
    assert_int_equal(typed_one("S[", "{}"), TK_ERR_INPUT);
}

static void test_eip712_structure(void **state)
{
    /* Dependencies are sorted by name after the primary type, recursive types terminate. */
    json_t *types =
        parse("{\"Z\":[{\"name\":\"b\",\"type\":\"B[]\"},{\"name\":\"a\",\"type\":\"A\"}],"
              "\"A\":[{\"name\":\"z\",\"type\":\"Z[]\"}],\"B\":[{\"name\":\"x\","
              "\"type\":\"uint256\"}]}");
    char *et = NULL;
    unsigned char h[32];
    json_t *t;
    (void)state;
    assert_int_equal(tk_evm_typed_encode_type(&et, types, "Z"), TK_OK);
    assert_string_equal(et, "Z(B[] b,A a)A(Z[] z)B(uint256 x)");
    free(et);
    json_decref(types);
    /* primaryType EIP712Domain hashes the domain only */
    t = parse("{\"types\":{},\"primaryType\":\"EIP712Domain\",\"domain\":{\"name\":\"x\"}}");
    assert_int_equal(tk_evm_typed_data_hash(h, NULL, NULL, t), TK_OK);
    json_decref(t);
    t = parse("{\"types\":{},\"primaryType\":\"Nope\",\"domain\":{},\"message\":{}}");
    assert_int_equal(tk_evm_typed_data_hash(h, NULL, NULL, t), TK_ERR_INPUT);
    assert_detail("primaryType");
    json_decref(t);
    t = parse("{\"types\":{\"uint8\":[]},\"primaryType\":\"uint8\",\"domain\":{},\"message\":{}}");
    assert_int_equal(tk_evm_typed_data_hash(h, NULL, NULL, t), TK_ERR_INPUT);
    json_decref(t);
    t = parse("{\"types\":{\"uint7\":[]},\"primaryType\":\"EIP712Domain\",\"domain\":{}}");
    assert_int_equal(tk_evm_typed_data_hash(h, NULL, NULL, t), TK_ERR_INPUT);
    assert_detail("built-in");
    json_decref(t);
    t = parse("{\"types\":{},\"primaryType\":\"EIP712Domain\",\"domain\":{},\"extra\":1}");
    assert_int_equal(tk_evm_typed_data_hash(h, NULL, NULL, t), TK_ERR_INPUT);
    assert_detail("extra");
    json_decref(t);
    assert_int_equal(tk_evm_typed_data_hash_json(h, "{", 1), TK_ERR_INPUT);
}

/* Signs a transaction from JSON text, checks raw → decode → encode and sender, and returns
 * the raw bytes' length. */
static void roundtrip(const char *text, tk_evm_tx_type type)
{
    tk_evm_tx tx, dec, again;
    unsigned char *raw = NULL, *raw2 = NULL, *u1 = NULL, *u2 = NULL, addr[20], me[20];
    size_t raw_len, raw2_len, u1_len, u2_len;
    json_t *j = NULL;
    assert_int_equal(tk_evm_tx_from_json(&tx, text, strlen(text)), TK_OK);
    assert_int_equal(tx.type, type);
    assert_int_equal(tk_evm_tx_sign(&tx, key46), TK_OK);
    assert_int_equal(tk_evm_tx_encode(&raw, &raw_len, &tx, 1), TK_OK);
    if (type != TK_EVM_TX_LEGACY) {
        assert_int_equal(raw[0], (unsigned)type);
    }
    assert_int_equal(tk_evm_tx_decode(&dec, raw, raw_len), TK_OK);
    assert_int_equal(tk_evm_tx_encode(&raw2, &raw2_len, &dec, 1), TK_OK);
    assert_int_equal(raw_len, raw2_len);
    assert_memory_equal(raw, raw2, raw_len);
    assert_int_equal(tk_evm_tx_sender_var(addr, &dec), TK_OK);
    assert_int_equal(tk_evm_address_of_seckey(me, key46), TK_OK);
    assert_memory_equal(addr, me, 20);
    /* JSON view without the signature parses back to the same unsigned payload */
    assert_int_equal(tk_evm_tx_to_jansson(&j, &dec, 0), TK_OK);
    assert_int_equal(tk_evm_tx_from_jansson(&again, j), TK_OK);
    assert_int_equal(tk_evm_tx_encode(&u1, &u1_len, &tx, 0), TK_OK);
    assert_int_equal(tk_evm_tx_encode(&u2, &u2_len, &again, 0), TK_OK);
    assert_int_equal(u1_len, u2_len);
    assert_memory_equal(u1, u2, u1_len);
    json_decref(j);
    free(raw);
    free(raw2);
    free(u1);
    free(u2);
    tk_evm_tx_free(&tx);
    tk_evm_tx_free(&dec);
    tk_evm_tx_free(&again);
}

static void test_tx_types(void **state)
{
    json_t *res = NULL, *p;
    tk_evm_tx tx;
    char text[2048];
    (void)state;
    roundtrip("{\"chainId\":\"0x89\",\"nonce\":\"0x0\",\"gasPrice\":\"0x1\",\"gas\":\"0x5208\","
              "\"to\":null,\"input\":\"0x6001600055\"}",
              TK_EVM_TX_LEGACY);
    roundtrip("{\"type\":\"0x1\",\"chainId\":\"0x1\",\"nonce\":\"0x1\",\"gasPrice\":\"0x3b9aca00\","
              "\"gas\":\"0x186a0\",\"to\":\"0x3535353535353535353535353535353535353535\","
              "\"value\":\"0x0\",\"accessList\":[{\"address\":"
              "\"0x0000000000000000000000000000000000000001\",\"storageKeys\":["
              "\"0x0000000000000000000000000000000000000000000000000000000000000000\","
              "\"0x00000000000000000000000000000000000000000000000000000000000000ff\"]},"
              "{\"address\":\"0x0000000000000000000000000000000000000002\",\"storageKeys\":[]}]}",
              TK_EVM_TX_EIP2930);
    roundtrip("{\"chainId\":\"0xaa36a7\",\"nonce\":\"0x2a\",\"maxFeePerGas\":\"0x77359400\","
              "\"maxPriorityFeePerGas\":\"0x3b9aca00\",\"gas\":\"0x5208\",\"to\":"
              "\"0x3535353535353535353535353535353535353535\",\"value\":\"0xde0b6b3a7640000\","
              "\"data\":\"0xa9059cbb\",\"input\":\"0xa9059cbb\"}",
              TK_EVM_TX_EIP1559);

    /* type 4: sign an authorization first, then put it in the list */
    p = parse("{\"chainId\":\"0x0\",\"address\":\"0x00000000000000000000000000000000000000aa\","
              "\"nonce\":\"0x7\"}");
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_authorization", p), TK_OK);
    json_decref(p);
    assert_string_equal(json_string_value(json_object_get(res, "chainId")), "0x0");
    assert_string_equal(json_string_value(json_object_get(res, "nonce")), "0x7");
    {
        char *auth = json_dumps(res, JSON_COMPACT);
        snprintf(text, sizeof text,
                 "{\"type\":\"0x4\",\"chainId\":\"0x1\",\"nonce\":\"0x8\",\"maxFeePerGas\":"
                 "\"0x2\",\"maxPriorityFeePerGas\":\"0x1\",\"gas\":\"0x186a0\",\"to\":"
                 "\"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F\",\"authorizationList\":[%s]}",
                 auth);
        free(auth);
    }
    json_decref(res);
    roundtrip(text, TK_EVM_TX_EIP7702);
    /* the authority recovered from the decoded tuple is the key's address */
    assert_int_equal(tk_evm_tx_from_json(&tx, text, strlen(text)), TK_OK);
    {
        unsigned char a[20], me[20];
        assert_int_equal(tk_evm_auth_signer_var(a, &tx.auths[0]), TK_OK);
        assert_int_equal(tk_evm_address_of_seckey(me, key46), TK_OK);
        assert_memory_equal(a, me, 20);
    }
    tk_evm_tx_free(&tx);
}

static void test_auth_digest(void **state)
{
    tk_evm_authorization a;
    unsigned char h[32], want[32], enc[64];
    size_t n;
    (void)state;
    memset(&a, 0, sizeof a);
    a.chain_id = 1;
    a.address[19] = 1;
    a.nonce = 7;
    assert_int_equal(tk_evm_auth_digest(h, &a), TK_OK);
    /* 0x05 || rlp([1, 0x00..01, 7]) written out by hand */
    n = test_unhex(enc, sizeof enc, "05d70194000000000000000000000000000000000000000107");
    tk_keccak256(want, enc, n);
    assert_memory_equal(h, want, 32);
}

static void expect_tx_error(const char *text, int rc, const char *needle)
{
    tk_evm_tx tx;
    int got = tk_evm_tx_from_json(&tx, text, strlen(text));
    tk_evm_tx_free(&tx);
    if (got != rc) {
        fail_msg("parsing %s: got %d (%s), want %d", text, got, tk_errmsg(), rc);
    }
    assert_detail(needle);
}

#define BASE "\"chainId\":\"0x1\",\"nonce\":\"0x0\",\"gas\":\"0x5208\""
static void test_tx_json_errors(void **state)
{
    (void)state;
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x01\"}", TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x\"}", TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{" BASE ",\"gasPrice\":\"1\"}", TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{" BASE ",\"gasPrice\":1}", TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0xg\"}", TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{" BASE "}", TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{\"nonce\":\"0x0\",\"gas\":\"0x1\",\"gasPrice\":\"0x1\"}", TK_ERR_INPUT,
                    "chainId");
    expect_tx_error("{\"chainId\":\"0x0\",\"nonce\":\"0x0\",\"gas\":\"0x1\",\"gasPrice\":\"0x1\"}",
                    TK_ERR_RANGE, "chainId");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"nonce\":\"0x1\"}", TK_ERR_INPUT, "duplicate");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"foo\":1}", TK_ERR_INPUT, "\"foo\"");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"gasLimit\":\"0x1\"}", TK_ERR_INPUT, "gas");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"blobVersionedHashes\":[]}",
                    TK_ERR_UNSUPPORTED, "blob");
    expect_tx_error("{\"type\":\"0x3\"," BASE "}", TK_ERR_UNSUPPORTED, "type");
    expect_tx_error("{\"type\":\"0x5\"," BASE "}", TK_ERR_UNSUPPORTED, "type");
    expect_tx_error("{\"type\":\"0x0\"," BASE ",\"gasPrice\":\"0x1\",\"accessList\":[]}",
                    TK_ERR_INPUT, "accessList");
    expect_tx_error("{\"type\":\"0x2\"," BASE ",\"gasPrice\":\"0x1\",\"maxFeePerGas\":\"0x1\","
                    "\"maxPriorityFeePerGas\":\"0x1\"}",
                    TK_ERR_INPUT, "gasPrice");
    expect_tx_error("{" BASE ",\"maxFeePerGas\":\"0x1\",\"maxPriorityFeePerGas\":\"0x2\"}",
                    TK_ERR_RANGE, "maxPriorityFeePerGas");
    expect_tx_error("{" BASE ",\"maxFeePerGas\":\"0x1\"}", TK_ERR_INPUT, "maxPriorityFeePerGas");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"to\":\"0x35\"}", TK_ERR_INPUT, "to");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"to\":"
                    "\"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4f\"}",
                    TK_ERR_INPUT, "checksum");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"data\":\"0x1\"}", TK_ERR_INPUT, "data");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"data\":\"0x12\",\"input\":\"0x13\"}",
                    TK_ERR_INPUT, "input");
    expect_tx_error("{" BASE ",\"gasPrice\":\"0x1\",\"value\":\"0x1"
                    "0000000000000000000000000000000000000000000000000000000000000000\"}",
                    TK_ERR_RANGE, "value");
    expect_tx_error("{\"chainId\":\"0x1\",\"nonce\":\"0xffffffffffffffff\",\"gas\":\"0x1\","
                    "\"gasPrice\":\"0x1\"}",
                    TK_ERR_RANGE, "nonce");
    expect_tx_error("{\"chainId\":\"0x1\",\"nonce\":\"0x10000000000000000\",\"gas\":\"0x1\","
                    "\"gasPrice\":\"0x1\"}",
                    TK_ERR_RANGE, "nonce");
    expect_tx_error("{\"type\":\"0x1\"," BASE ",\"gasPrice\":\"0x1\",\"accessList\":[{\"address\":"
                    "\"0x0000000000000000000000000000000000000001\",\"storageKeys\":[\"0x00\"]}]}",
                    TK_ERR_INPUT, "accessList[0]");
    expect_tx_error("{\"type\":\"0x1\"," BASE ",\"gasPrice\":\"0x1\",\"accessList\":[{\"address\":"
                    "\"0x0000000000000000000000000000000000000001\"}]}",
                    TK_ERR_INPUT, "storageKeys");
    expect_tx_error("{\"type\":\"0x4\"," BASE ",\"maxFeePerGas\":\"0x1\",\"maxPriorityFeePerGas\":"
                    "\"0x1\",\"to\":\"0x0000000000000000000000000000000000000001\","
                    "\"authorizationList\":[]}",
                    TK_ERR_INPUT, "authorizationList");
    expect_tx_error("{\"type\":\"0x4\"," BASE ",\"maxFeePerGas\":\"0x1\",\"maxPriorityFeePerGas\":"
                    "\"0x1\",\"authorizationList\":[]}",
                    TK_ERR_INPUT, "to");
    expect_tx_error("{\"type\":\"0x4\"," BASE ",\"maxFeePerGas\":\"0x1\",\"maxPriorityFeePerGas\":"
                    "\"0x1\",\"to\":\"0x0000000000000000000000000000000000000001\","
                    "\"authorizationList\":[{\"chainId\":\"0x1\",\"address\":"
                    "\"0x0000000000000000000000000000000000000001\",\"nonce\":\"0x0\"}]}",
                    TK_ERR_INPUT, "authorizationList[0]");
    expect_tx_error("[1]", TK_ERR_INPUT, "object");
    expect_tx_error("{", TK_ERR_INPUT, "JSON");
}

static void test_from_must_match(void **state)
{
    json_t *p = parse("{" BASE ",\"gasPrice\":\"0x1\",\"from\":"
                      "\"0x0000000000000000000000000000000000000001\"}");
    json_t *res = NULL;
    (void)state;
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_transaction", p), TK_ERR_RANGE);
    assert_detail("from");
    assert_null(res);
    json_object_set_new(p, "from", json_string("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"));
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_transaction", p), TK_OK);
    json_decref(res);
    json_decref(p);
}

static int decode_hex_tx(const char *hex)
{
    static unsigned char buf[4096];
    tk_evm_tx tx;
    size_t n = test_unhex(buf, sizeof buf, hex);
    int rc = tk_evm_tx_decode(&tx, buf, n);
    tk_evm_tx_free(&tx);
    return rc;
}

static void test_decode_rejects(void **state)
{
    static const char good[] =
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
        "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f76"
        "1aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
    char bad[sizeof good + 8];
    (void)state;
    assert_int_equal(decode_hex_tx(good), TK_OK);
    /* trailing byte */
    snprintf(bad, sizeof bad, "%s00", good);
    assert_int_equal(decode_hex_tx(bad), TK_ERR_INPUT);
    /* v = 0x24 (36): neither 27/28 nor EIP-155 */
    memcpy(bad, good, sizeof good);
    bad[86] = '2';
    bad[87] = '4';
    assert_int_equal(decode_hex_tx(bad), TK_ERR_INPUT);
    assert_detail("v");
    /* high s: replace s with n - s */
    memcpy(bad, good, sizeof good);
    memcpy(bad + 156, "98341627668089e51348fccfb4c7ff31c55912f2d2e47ef09652acf665fad3be", 64);
    assert_int_equal(decode_hex_tx(bad), TK_ERR_INPUT);
    assert_detail("low-S");
    /* unknown and unsupported type bytes, empty input */
    assert_int_equal(decode_hex_tx("05c0"), TK_ERR_INPUT);
    assert_int_equal(decode_hex_tx("03c0"), TK_ERR_UNSUPPORTED);
    assert_int_equal(decode_hex_tx(""), TK_ERR_INPUT);
    /* wrong field count */
    assert_int_equal(decode_hex_tx("02c0"), TK_ERR_INPUT);
    assert_detail("fields");
    assert_int_equal(decode_hex_tx("c101"), TK_ERR_INPUT);
}

static void test_personal(void **state)
{
    unsigned char h[32], sig[65], addr[20], me[20];
    json_t *res = NULL, *p;
    (void)state;
    assert_int_equal(tk_evm_personal_digest(h, (const unsigned char *)"hello world", 11), TK_OK);
    assert_hex_equal(h, 32, "d9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68");
    assert_int_equal(tk_evm_sign_digest(sig, key46, h), TK_OK);
    assert_true(sig[64] == 27 || sig[64] == 28);
    assert_int_equal(tk_evm_recover_var(addr, h, sig), TK_OK);
    assert_int_equal(tk_evm_address_of_seckey(me, key46), TK_OK);
    assert_memory_equal(addr, me, 20);
    /* a string payload and the same bytes as {"raw"} sign the same */
    p = json_string("hello world");
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_personal", p), TK_OK);
    json_decref(p);
    p = parse("{\"raw\":\"0x68656c6c6f20776f726c64\"}");
    {
        json_t *res2 = NULL;
        assert_int_equal(tk_evm_sign_request(&res2, key46, "eth_personal", p), TK_OK);
        assert_true(json_equal(res, res2));
        json_decref(res2);
    }
    json_decref(p);
    json_decref(res);
    p = parse("{\"raw\":\"0x1\"}");
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_personal", p), TK_ERR_INPUT);
    json_decref(p);
    p = parse("{\"text\":\"hi\"}");
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_personal", p), TK_ERR_INPUT);
    json_decref(p);
    /* tampered signature recovers someone else or fails */
    sig[10] ^= 1;
    if (tk_evm_recover_var(addr, h, sig) == TK_OK) {
        assert_memory_not_equal(addr, me, 20);
    }
}

static void test_misuse(void **state)
{
    unsigned char zero[32] = {0}, h[32] = {0}, sig[65], addr[20];
    json_t *res = NULL, *p = json_string("x");
    (void)state;
    assert_int_equal(tk_evm_sign_digest(sig, zero, h), TK_ERR_ARG);
    assert_int_equal(tk_evm_address_of_seckey(addr, zero), TK_ERR_ARG);
    assert_int_equal(tk_evm_sign_request(&res, key46, "eth_sign_raw", p), TK_ERR_UNSUPPORTED);
    assert_int_equal(tk_evm_sign_request(NULL, key46, "eth_personal", p), TK_ERR_ARG);
    assert_int_equal(tk_evm_tx_from_json(NULL, "{}", 2), TK_ERR_ARG);
    assert_int_equal(tk_evm_tx_decode(NULL, h, 1), TK_ERR_ARG);
    assert_int_equal(tk_evm_typed_data_hash(NULL, NULL, NULL, p), TK_ERR_ARG);
    memset(sig, 0, sizeof sig);
    sig[64] = 29;
    assert_int_equal(tk_evm_recover_var(addr, h, sig), TK_ERR_INPUT);
    json_decref(p);
}

/* Every prefix of signed transactions of each type, right before an unmapped page: only the
 * whole transaction decodes, and nothing reads past the end. */
static void test_decode_no_overread(void **state)
{
    static const char *const txs[] = {
        "{\"chainId\":\"0x1\",\"nonce\":\"0x1\",\"gasPrice\":\"0x1\",\"gas\":\"0x1\","
        "\"data\":\"0x0102\"}",
        "{\"type\":\"0x1\",\"chainId\":\"0x1\",\"nonce\":\"0x1\",\"gasPrice\":\"0x1\","
        "\"gas\":\"0x1\",\"accessList\":[{\"address\":"
        "\"0x0000000000000000000000000000000000000001\",\"storageKeys\":["
        "\"0x00000000000000000000000000000000000000000000000000000000000000ff\"]}]}",
        "{\"chainId\":\"0x1\",\"nonce\":\"0x1\",\"maxFeePerGas\":\"0x2\","
        "\"maxPriorityFeePerGas\":\"0x1\",\"gas\":\"0x1\",\"to\":"
        "\"0x0000000000000000000000000000000000000001\"}",
    };
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *m, *raw;
    size_t raw_len;
    tk_evm_tx tx;
    (void)state;
    m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
    for (size_t t = 0; t < sizeof txs / sizeof txs[0]; t++) {
        assert_int_equal(tk_evm_tx_from_json(&tx, txs[t], strlen(txs[t])), TK_OK);
        assert_int_equal(tk_evm_tx_sign(&tx, key46), TK_OK);
        assert_int_equal(tk_evm_tx_encode(&raw, &raw_len, &tx, 1), TK_OK);
        tk_evm_tx_free(&tx);
        for (size_t k = 0; k <= raw_len; k++) {
            unsigned char *p = m + pg - k;
            int rc;
            memcpy(p, raw, k);
            rc = tk_evm_tx_decode(&tx, p, k);
            tk_evm_tx_free(&tx);
            if (k == raw_len) {
                assert_int_equal(rc, TK_OK);
            } else {
                assert_int_not_equal(rc, TK_OK);
            }
        }
        free(raw);
    }
    munmap(m, 2 * (size_t)pg);
}

static void test_address_and_json_view(void **state)
{
    static const char raw_hex[] =
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
        "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f76"
        "1aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
    unsigned char a[20], b[20], raw[128];
    char s[TK_EVM_ADDRESS_STR];
    size_t n;
    tk_evm_tx tx;
    json_t *j = NULL;
    (void)state;
    /* all lower, all upper and correct EIP-55 parse to the same bytes; a wrong case does not */
    assert_int_equal(tk_evm_address_parse(a, "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", 42),
                     TK_OK);
    assert_int_equal(tk_evm_address_parse(b, "0x9D8A62F656A8D1615C1294FD71E9CFB3E4855A4F", 42),
                     TK_OK);
    assert_memory_equal(a, b, 20);
    assert_int_equal(tk_evm_address_string(s, sizeof s, a), TK_OK);
    assert_string_equal(s, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    assert_int_equal(tk_evm_address_parse(b, s, 42), TK_OK);
    s[3] = 'D';
    assert_int_equal(tk_evm_address_parse(b, s, 42), TK_ERR_INPUT);
    assert_int_equal(tk_evm_address_parse(b, "9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", 40),
                     TK_ERR_INPUT);
    assert_int_equal(tk_evm_address_parse(b, "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4g", 42),
                     TK_ERR_INPUT);
    assert_int_equal(tk_evm_address_string(s, 42, a), TK_ERR_BUFFER);

    /* the JSON view of a signed transaction carries v, r, s as quantities */
    n = test_unhex(raw, sizeof raw, raw_hex);
    assert_int_equal(tk_evm_tx_decode(&tx, raw, n), TK_OK);
    assert_int_equal(tk_evm_tx_to_jansson(&j, &tx, 1), TK_OK);
    assert_string_equal(json_string_value(json_object_get(j, "v")), "0x25");
    assert_string_equal(json_string_value(json_object_get(j, "value")), "0xde0b6b3a7640000");
    assert_string_equal(json_string_value(json_object_get(j, "input")), "0x");
    assert_string_equal(json_string_value(json_object_get(j, "r")),
                        "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276");
    assert_null(json_object_get(j, "yParity"));
    json_decref(j);
    tk_evm_tx_free(&tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eip155_known),
        cmocka_unit_test(test_eip712_mail),
        cmocka_unit_test(test_eip712_values),
        cmocka_unit_test(test_eip712_structure),
        cmocka_unit_test(test_tx_types),
        cmocka_unit_test(test_auth_digest),
        cmocka_unit_test(test_tx_json_errors),
        cmocka_unit_test(test_from_must_match),
        cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_personal),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_address_and_json_view),
        cmocka_unit_test(test_decode_no_overread),
    };
    if (tk_init() != TK_OK) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
