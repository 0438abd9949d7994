/*
 * PSBT tests: the BIP-174 and BIP-371 test vectors (every invalid one refused with a detail,
 * every valid one parsed and re-serialized byte for byte), strictness cases of our own, and
 * the Taproot signer, finalizer, extractor and JSON request on PSBTs built here with mixed
 * sighash types, a foreign input, unknown and proprietary fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "teekeys/bitcoin.h"
#include "teekeys/encoding.h"
#include "teekeys/psbt.h"
#include "util.h"

#define VEC_DIR "tests/vectors/bitcoin/"

/* ---- helpers ---- */

static unsigned char *unhex_alloc(size_t *len, const char *hex)
{
    unsigned char *b = malloc(strlen(hex) / 2 + 1);
    assert_non_null(b);
    *len = test_unhex(b, strlen(hex) / 2 + 1, hex);
    return b;
}

static unsigned char *serialize(const tk_psbt *p, size_t *len)
{
    size_t cap = tk_psbt_serialized_len(p);
    unsigned char *b = malloc(cap + 1);
    assert_non_null(b);
    assert_int_equal(tk_psbt_serialize(b, cap, len, p), TK_OK);
    assert_int_equal(*len, cap);
    return b;
}

/* Parses hex that must be refused; returns the detail message. */
static const char *refuse_hex(const char *hex)
{
    size_t n;
    unsigned char *b = unhex_alloc(&n, hex);
    tk_psbt *p = NULL;
    int rc = tk_psbt_parse(&p, b, n);
    free(b);
    assert_int_not_equal(rc, TK_OK);
    assert_null(p);
    assert_true(strlen(tk_errmsg()) > 0);
    return tk_errmsg();
}

/* ---- published vectors ---- */

static void test_bip174_bip371_vectors(void **state)
{
    json_error_t err;
    json_t *root = json_load_file(VEC_DIR "psbt_bip174_bip371.json", 0, &err), *v;
    size_t i, n_valid = 0, n_invalid = 0;
    (void)state;
    assert_non_null(root);
    json_array_foreach(root, i, v)
    {
        const char *kind = json_string_value(json_object_get(v, "kind"));
        const char *hex = json_string_value(json_object_get(v, "hex"));
        size_t n, out_len;
        unsigned char *b = unhex_alloc(&n, hex), *out;
        tk_psbt *p = NULL;
        int rc = tk_psbt_parse(&p, b, n);
        if (strcmp(kind, "invalid") == 0) {
            if (rc == TK_OK) {
                fail_msg("accepted invalid vector: %s",
                         json_string_value(json_object_get(v, "case")));
            }
            assert_true(strlen(tk_errmsg()) > 0);
            n_invalid++;
        } else {
            char *b64 = NULL;
            tk_psbt *q = NULL;
            if (rc != TK_OK) {
                fail_msg("refused valid vector %s: %s",
                         json_string_value(json_object_get(v, "case")), tk_errmsg());
            }
            out = serialize(p, &out_len);
            assert_int_equal(out_len, n);
            assert_memory_equal(out, b, n);
            assert_int_equal(tk_psbt_serialize_base64(&b64, NULL, p), TK_OK);
            assert_int_equal(tk_psbt_parse_base64(&q, b64, strlen(b64)), TK_OK);
            assert_int_equal(tk_psbt_serialized_len(q), n);
            tk_psbt_free(q);
            free(b64);
            free(out);
            n_valid++;
        }
        tk_psbt_free(p);
        free(b);
    }
    assert_int_equal(n_invalid, 27);
    assert_int_equal(n_valid, 20);
    json_decref(root);
}

/* ---- strictness cases of our own ---- */

/* A minimal valid PSBT: one input, one output, empty maps. */
#define MIN_TX                                                                                     \
    "02000000"                                                                                     \
    "01"                                                                                           \
    "aa00000000000000000000000000000000000000000000000000000000000000"                             \
    "00000000"                                                                                     \
    "00"                                                                                           \
    "fdffffff"                                                                                     \
    "01"                                                                                           \
    "e803000000000000"                                                                             \
    "00"                                                                                           \
    "00000000"
#define MIN_TX_LEN "3c" /* 60 bytes */
#define MIN_PSBT                                                                                   \
    "70736274ff"                                                                                   \
    "01"                                                                                           \
    "00" MIN_TX_LEN MIN_TX "00"

static void test_strictness(void **state)
{
    size_t n, out_len;
    unsigned char *b, *out;
    tk_psbt *p = NULL;
    (void)state;
    /* The minimal PSBT parses and round-trips. */
    b = unhex_alloc(&n, MIN_PSBT "00"
                                 "00");
    assert_int_equal(tk_psbt_parse(&p, b, n), TK_OK);
    out = serialize(p, &out_len);
    assert_memory_equal(out, b, n);
    tk_psbt_free(p);
    p = NULL;
    free(out);
    free(b);

    /* Missing output map, extra map, bad magic. */
    assert_non_null(strstr(refuse_hex(MIN_PSBT "00"), "fewer maps"));
    assert_non_null(strstr(refuse_hex(MIN_PSBT "00"
                                               "019000"),
                           "output 0: truncated"));
    assert_non_null(strstr(refuse_hex(MIN_PSBT "00"
                                               "00"
                                               "00"),
                           "after the last output map"));
    assert_non_null(strstr(refuse_hex("70736274fe0100" MIN_TX_LEN MIN_TX "000000"), "magic"));
    /* Non-canonical key length. */
    assert_non_null(strstr(refuse_hex("70736274ff"
                                      "fd0100"
                                      "00" MIN_TX_LEN MIN_TX "000000"),
                           "non-canonical"));
    /* A PSBT v2 field and an unsupported version. */
    assert_non_null(strstr(refuse_hex(MIN_PSBT "010e"
                                               "00"
                                               "00"
                                               "00"),
                           "PSBT v2 field"));
    assert_non_null(strstr(refuse_hex("70736274ff"
                                      "01"
                                      "00" MIN_TX_LEN MIN_TX "01fb0402000000"
                                      "00"
                                      "00"
                                      "00"),
                           "version 2"));
    /* PSBT_GLOBAL_VERSION 0 is accepted. */
    b = unhex_alloc(&n, "70736274ff"
                        "01"
                        "00" MIN_TX_LEN MIN_TX "01fb0400000000"
                        "00"
                        "00"
                        "00");
    assert_int_equal(tk_psbt_parse(&p, b, n), TK_OK);
    tk_psbt_free(p);
    p = NULL;
    free(b);
    /* TAP_KEY_SIG of 65 bytes with sighash byte 0x00, and with 0x04. */
    {
        char hex[2000];
        char sig64[129];
        memset(sig64, '1', 128);
        sig64[128] = '\0';
        snprintf(hex, sizeof hex,
                 "%s"
                 "0113"
                 "41"
                 "%s"
                 "00"
                 "00"
                 "00",
                 MIN_PSBT, sig64);
        assert_non_null(strstr(refuse_hex(hex), "PSBT_IN_TAP_KEY_SIG"));
        snprintf(hex, sizeof hex,
                 "%s"
                 "0113"
                 "41"
                 "%s"
                 "04"
                 "00"
                 "00",
                 MIN_PSBT, sig64);
        assert_non_null(strstr(refuse_hex(hex), "PSBT_IN_TAP_KEY_SIG"));
        snprintf(hex, sizeof hex,
                 "%s"
                 "0113"
                 "41"
                 "%s"
                 "83"
                 "00"
                 "00",
                 MIN_PSBT, sig64);
        b = unhex_alloc(&n, hex);
        assert_int_equal(tk_psbt_parse(&p, b, n), TK_OK);
        tk_psbt_free(p);
        p = NULL;
        free(b);
    }
    /* Witness UTXO: bad script length, amount too large. */
    assert_non_null(strstr(refuse_hex(MIN_PSBT "0101"
                                               "0a"
                                               "e803000000000000"
                                               "05aa"
                                               "00"
                                               "00"),
                           "PSBT_IN_WITNESS_UTXO"));
    assert_non_null(strstr(refuse_hex(MIN_PSBT "0101"
                                               "09"
                                               "0140075af0750700"
                                               "00"
                                               "00"
                                               "00"),
                           "21 million"));
    /* Non-witness UTXO whose txid is not the outpoint's. */
    assert_non_null(strstr(refuse_hex(MIN_PSBT "0100" MIN_TX_LEN MIN_TX "00"
                                               "00"),
                           "txid"));
    /* Duplicate unknown keys, in an output. */
    assert_non_null(strstr(refuse_hex(MIN_PSBT "00"
                                               "0299aa0100"
                                               "0299aa0101"
                                               "00"),
                           "duplicate"));
    /* SHA256 preimage that does not hash to its key. */
    assert_non_null(strstr(
        refuse_hex(MIN_PSBT "210b"
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                            "0100"
                            "00"
                            "00"),
        "preimage"));
    /* The same with the empty preimage is valid. */
    b = unhex_alloc(&n, MIN_PSBT "210b"
                                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                                 "00"
                                 "00"
                                 "00");
    assert_int_equal(tk_psbt_parse(&p, b, n), TK_OK);
    tk_psbt_free(p);
    p = NULL;
    free(b);
    /* Unknown and proprietary fields are kept byte for byte, multi-byte key types too. */
    b = unhex_alloc(&n, "70736274ff"
                        "01"
                        "00" MIN_TX_LEN MIN_TX "06fc0361626301"
                        "02beef"
                        "00"
                        "03fdfd00"
                        "0101"
                        "00"
                        "0190"
                        "00"
                        "00");
    assert_int_equal(tk_psbt_parse(&p, b, n), TK_OK);
    out = serialize(p, &out_len);
    assert_int_equal(out_len, n);
    assert_memory_equal(out, b, n);
    assert_non_null(tk_psbt_map_find(&p->inputs[0], 0xfd, NULL, 0));
    tk_psbt_free(p);
    p = NULL;
    free(out);
    free(b);
    /* Proprietary key whose identifier overruns it. */
    assert_non_null(strstr(refuse_hex("70736274ff"
                                      "01"
                                      "00" MIN_TX_LEN MIN_TX "03fc0561"
                                      "00"
                                      "00"
                                      "00"
                                      "00"),
                           "proprietary"));
    /* Truncations at every length never crash and always fail. */
    b = unhex_alloc(&n, MIN_PSBT "0113"
                                 "40"
                                 "1111111111111111111111111111111111111111111111111111111111111111"
                                 "1111111111111111111111111111111111111111111111111111111111111111"
                                 "00"
                                 "00");
    for (size_t cut = 0; cut < n; cut++) {
        assert_int_not_equal(tk_psbt_parse(&p, b, cut), TK_OK);
        assert_null(p);
    }
    assert_int_equal(tk_psbt_parse(&p, b, n), TK_OK);
    tk_psbt_free(p);
    p = NULL;
    free(b);
    /* base64 errors are reported as such. */
    assert_int_equal(tk_psbt_parse_base64(&p, "cHNidP8=x", 9), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "base64"));
}

/* ---- signing ---- */

/* Our key, and a foreign key, both fixed so failures reproduce. */
static const char *OUR_SK = "6b973d88838f27366ed61c9ad6367663045cb456e28335c109e30717ae0c6baa";
static const char *FOREIGN_SK = "1e4da49f6aaf4e5cd175fe08a32bb5cb4863d963921255f33d3bc31e1343907f";

typedef struct {
    unsigned char our_sk[32], foreign_sk[32], our_q[32], our_p[32], foreign_q[32];
} keys_t;

static void load_keys(keys_t *k)
{
    test_unhex(k->our_sk, 32, OUR_SK);
    test_unhex(k->foreign_sk, 32, FOREIGN_SK);
    assert_int_equal(tk_btc_bip86_keys(k->our_p, k->our_q, k->our_sk), TK_OK);
    assert_int_equal(tk_btc_bip86_keys(NULL, k->foreign_q, k->foreign_sk), TK_OK);
}

static void set_witness_utxo(tk_psbt *p, size_t i, uint64_t value, const unsigned char q[32])
{
    unsigned char v[8 + 1 + 34];
    for (int b = 0; b < 8; b++) {
        v[b] = (unsigned char)(value >> (8 * b));
    }
    v[8] = 34;
    tk_btc_p2tr_script(v + 9, q);
    assert_int_equal(tk_psbt_map_set(&p->inputs[i], TK_PSBT_IN_WITNESS_UTXO, NULL, 0, v, sizeof v),
                     TK_OK);
}

static void set_sighash(tk_psbt *p, size_t i, uint32_t t)
{
    unsigned char v[4] = {(unsigned char)t, (unsigned char)(t >> 8), (unsigned char)(t >> 16),
                          (unsigned char)(t >> 24)};
    assert_int_equal(tk_psbt_map_set(&p->inputs[i], TK_PSBT_IN_SIGHASH_TYPE, NULL, 0, v, 4), TK_OK);
}

/* Four inputs: 0 (ours, DEFAULT), 1 (ours, ALL|ANYONECANPAY), 2 (foreign), 3 (ours, SINGLE);
 * four outputs so SINGLE has its match. Input 0 also carries an unknown and a proprietary
 * field, which finalization must keep. */
static tk_psbt *build_psbt(const keys_t *k)
{
    tk_btc_tx tx;
    tk_btc_txin in[4];
    tk_btc_txout out[4];
    unsigned char spk[4][34];
    tk_psbt *p = NULL;
    memset(&tx, 0, sizeof tx);
    memset(in, 0, sizeof in);
    memset(out, 0, sizeof out);
    tx.version = 2;
    tx.locktime = 800000;
    for (size_t i = 0; i < 4; i++) {
        memset(in[i].prev_txid, (int)(0x10 + i), 32);
        in[i].prev_vout = (uint32_t)i;
        in[i].sequence = 0xfffffffd;
        out[i].value = 10000 + i;
        tk_btc_p2tr_script(spk[i], i % 2 ? k->foreign_q : k->our_q);
        out[i].script.data = spk[i];
        out[i].script.len = 34;
    }
    tx.in = in;
    tx.n_in = 4;
    tx.out = out;
    tx.n_out = 4;
    assert_int_equal(tk_psbt_from_tx(&p, &tx), TK_OK);
    set_witness_utxo(p, 0, 50000, k->our_q);
    set_witness_utxo(p, 1, 60000, k->our_q);
    set_witness_utxo(p, 2, 70000, k->foreign_q);
    set_witness_utxo(p, 3, 80000, k->our_q);
    set_sighash(p, 1, 0x81);
    set_sighash(p, 3, 0x03);
    assert_int_equal(tk_psbt_map_set(&p->inputs[0], 0x99, (const unsigned char *)"k", 1,
                                     (const unsigned char *)"v", 1),
                     TK_OK);
    assert_int_equal(tk_psbt_map_set(&p->inputs[0], 0xfc, (const unsigned char *)"\x02tk\x01", 4,
                                     (const unsigned char *)"\x07", 1),
                     TK_OK);
    return p;
}

/* Checks input i's TAP_KEY_SIG against an independently computed sighash and key. */
static void check_sig(const tk_psbt *p, size_t i, unsigned hash_type, const unsigned char q[32])
{
    tk_btc_prevout prev[8];
    tk_btc_sighash_cache cache;
    unsigned char h[32];
    const tk_psbt_pair *ks = tk_psbt_map_find(&p->inputs[i], TK_PSBT_IN_TAP_KEY_SIG, NULL, 0);
    assert_non_null(ks);
    assert_int_equal(ks->value_len, hash_type == 0 ? 64 : 65);
    if (hash_type != 0) {
        assert_int_equal(ks->value[64], hash_type);
    }
    for (size_t j = 0; j < p->tx->n_in; j++) {
        assert_int_equal(tk_psbt_input_witness_utxo(&prev[j], p, j), TK_OK);
    }
    assert_int_equal(tk_btc_sighash_precompute_var(&cache, p->tx, prev, p->tx->n_in), TK_OK);
    assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, p->tx, prev, p->tx->n_in, i, hash_type),
                     TK_OK);
    assert_int_equal(tk_btc_schnorr_verify_var(ks->value, h, 32, q), TK_OK);
}

static void test_sign_finalize_extract(void **state)
{
    keys_t k;
    tk_psbt *p;
    size_t idx[8], n = 0, n_final = 0, len1, len2;
    unsigned char aux[32] = {7}, *s1, *s2;
    tk_psbt_sign_opts opts = {aux};
    tk_btc_tx *tx = NULL;
    (void)state;
    load_keys(&k);
    p = build_psbt(&k);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_OK);
    assert_int_equal(n, 3);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 3);
    check_sig(p, 0, 0x00, k.our_q);
    check_sig(p, 1, 0x81, k.our_q);
    check_sig(p, 3, 0x03, k.our_q);
    assert_null(tk_psbt_map_find(&p->inputs[2], TK_PSBT_IN_TAP_KEY_SIG, NULL, 0));
    {
        const tk_psbt_pair *ik =
            tk_psbt_map_find(&p->inputs[0], TK_PSBT_IN_TAP_INTERNAL_KEY, NULL, 0);
        assert_non_null(ik);
        assert_memory_equal(ik->value, k.our_p, 32);
    }
    /* The signed PSBT re-parses to the same bytes. */
    s1 = serialize(p, &len1);
    {
        tk_psbt *q = NULL;
        assert_int_equal(tk_psbt_parse(&q, s1, len1), TK_OK);
        s2 = serialize(q, &len2);
        assert_int_equal(len1, len2);
        assert_memory_equal(s1, s2, len1);
        tk_psbt_free(q);
        free(s2);
    }
    free(s1);
    /* Fixed aux: signing again gives the same signature (deterministic entry point); fresh
     * aux gives a different, also valid one. */
    {
        tk_psbt *a = build_psbt(&k), *b = build_psbt(&k);
        const tk_psbt_pair *sa, *sb;
        assert_int_equal(tk_psbt_sign_taproot(a, idx, 8, &n, k.our_sk, &opts), TK_OK);
        assert_int_equal(tk_psbt_sign_taproot(b, idx, 8, &n, k.our_sk, &opts), TK_OK);
        sa = tk_psbt_map_find(&a->inputs[0], TK_PSBT_IN_TAP_KEY_SIG, NULL, 0);
        sb = tk_psbt_map_find(&b->inputs[0], TK_PSBT_IN_TAP_KEY_SIG, NULL, 0);
        assert_memory_equal(sa->value, sb->value, 64);
        assert_memory_not_equal(
            sa->value, tk_psbt_map_find(&p->inputs[0], TK_PSBT_IN_TAP_KEY_SIG, NULL, 0)->value, 64);
        tk_psbt_free(a);
        tk_psbt_free(b);
    }
    /* Finalize: our three inputs; the foreign one stays, so extraction names it. */
    assert_int_equal(tk_psbt_finalize_taproot(p, &n_final), TK_OK);
    assert_int_equal(n_final, 3);
    assert_true(tk_psbt_input_is_final(p, 0));
    assert_false(tk_psbt_input_is_final(p, 2));
    assert_null(tk_psbt_map_find(&p->inputs[0], TK_PSBT_IN_TAP_KEY_SIG, NULL, 0));
    assert_null(tk_psbt_map_find(&p->inputs[0], TK_PSBT_IN_TAP_INTERNAL_KEY, NULL, 0));
    assert_null(tk_psbt_map_find(&p->inputs[1], TK_PSBT_IN_SIGHASH_TYPE, NULL, 0));
    assert_non_null(tk_psbt_map_find(&p->inputs[0], TK_PSBT_IN_WITNESS_UTXO, NULL, 0));
    assert_non_null(tk_psbt_map_find(&p->inputs[0], 0x99, (const unsigned char *)"k", 1));
    assert_non_null(tk_psbt_map_find(&p->inputs[0], 0xfc, (const unsigned char *)"\x02tk\x01", 4));
    assert_int_equal(tk_psbt_extract(&tx, p), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "input 2"));
    /* Signing again with our key finds nothing left to sign. */
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_RANGE);
    /* The foreign party signs its input; then everything finalizes and extracts. */
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.foreign_sk, NULL), TK_OK);
    assert_int_equal(n, 1);
    assert_int_equal(idx[0], 2);
    assert_int_equal(tk_psbt_finalize_taproot(p, &n_final), TK_OK);
    assert_int_equal(n_final, 1);
    assert_int_equal(tk_psbt_extract(&tx, p), TK_OK);
    assert_int_equal(tx->n_in, 4);
    assert_int_equal(tx->in[0].n_witness, 1);
    assert_int_equal(tx->in[0].witness[0].len, 64);
    assert_int_equal(tx->in[1].witness[0].len, 65);
    assert_int_equal(tx->in[3].witness[0].len, 65);
    {
        unsigned char id1[32], id2[32];
        assert_int_equal(tk_btc_tx_txid(id1, tx), TK_OK);
        assert_int_equal(tk_btc_tx_txid(id2, p->tx), TK_OK);
        assert_memory_equal(id1, id2, 32);
    }
    tk_btc_tx_free(tx);
    tk_psbt_free(p);
}

static void test_sign_refusals(void **state)
{
    keys_t k;
    tk_psbt *p;
    size_t idx[8], n, len1, len2;
    unsigned char *before, *after;
    (void)state;
    load_keys(&k);

    /* Missing witness_utxo on the foreign input: refused, naming it, PSBT unchanged. */
    p = build_psbt(&k);
    for (size_t j = 0; j < p->inputs[2].n; j++) {
        if (p->inputs[2].pairs[j].type == TK_PSBT_IN_WITNESS_UTXO) {
            p->inputs[2].pairs[j].type = 0x77; /* hide it (test-only surgery) */
            p->inputs[2].pairs[j].key[0] = 0x77;
        }
    }
    before = serialize(p, &len1);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "input 2"));
    assert_non_null(strstr(tk_errmsg(), "witness_utxo"));
    after = serialize(p, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(before, after, len1);
    free(before);
    free(after);
    tk_psbt_free(p);

    /* SIGHASH_SINGLE on an input without a matching output. */
    p = build_psbt(&k);
    p->tx->n_out = 3; /* the maps beyond n_out are never touched */
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "input 3"));
    assert_non_null(strstr(tk_errmsg(), "SIGHASH_SINGLE"));
    p->tx->n_out = 4;
    tk_psbt_free(p);

    /* A sighash type Taproot does not define. */
    p = build_psbt(&k);
    set_sighash(p, 1, 0x84);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "input 1"));
    set_sighash(p, 1, 0x100);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_RANGE);
    tk_psbt_free(p);

    /* An internal key that is not ours, a merkle root on a BIP-86 output. */
    p = build_psbt(&k);
    assert_int_equal(
        tk_psbt_map_set(&p->inputs[0], TK_PSBT_IN_TAP_INTERNAL_KEY, NULL, 0, k.foreign_q, 32),
        TK_OK);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "PSBT_IN_TAP_INTERNAL_KEY"));
    tk_psbt_free(p);
    p = build_psbt(&k);
    assert_int_equal(
        tk_psbt_map_set(&p->inputs[3], TK_PSBT_IN_TAP_MERKLE_ROOT, NULL, 0, k.foreign_q, 32),
        TK_OK);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "input 3"));
    tk_psbt_free(p);

    /* Not enough room for the indices; a key that owns nothing. */
    p = build_psbt(&k);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 2, &n, k.our_sk, NULL), TK_ERR_BUFFER);
    {
        unsigned char other[32];
        memset(other, 0x42, 32);
        assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, other, NULL), TK_ERR_RANGE);
    }
    /* A tampered signature is caught by the finalizer. */
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_OK);
    for (size_t j = 0; j < p->inputs[1].n; j++) {
        if (p->inputs[1].pairs[j].type == TK_PSBT_IN_TAP_KEY_SIG) {
            p->inputs[1].pairs[j].value[5] ^= 1;
        }
    }
    assert_int_equal(tk_psbt_finalize_taproot(p, NULL), TK_ERR_CRYPTO);
    assert_non_null(strstr(tk_errmsg(), "input 1"));
    assert_false(tk_psbt_input_is_final(p, 0));
    tk_psbt_free(p);
}

static void test_request_json(void **state)
{
    keys_t k;
    tk_psbt *p;
    char *b64 = NULL, *res = NULL, payload[8192];
    json_t *j;
    json_error_t err;
    size_t i;
    (void)state;
    load_keys(&k);
    p = build_psbt(&k);
    assert_int_equal(tk_psbt_serialize_base64(&b64, NULL, p), TK_OK);

    snprintf(payload, sizeof payload, "{\"psbt\":\"%s\"}", b64);
    assert_int_equal(tk_btc_sign_psbt_request(&res, payload, strlen(payload), k.our_sk, NULL),
                     TK_OK);
    j = json_loads(res, 0, &err);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "signed_inputs")), 3);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(j, "signed_inputs"), 2)), 3);
    assert_null(json_object_get(j, "tx"));
    {
        tk_psbt *q = NULL;
        const char *s = json_string_value(json_object_get(j, "psbt"));
        assert_int_equal(tk_psbt_parse_base64(&q, s, strlen(s)), TK_OK);
        check_sig(q, 0, 0, k.our_q);
        tk_psbt_free(q);
    }
    json_decref(j);
    free(res);
    res = NULL;

    /* finalize: true with a foreign unsigned input: ours finalized, no tx. */
    snprintf(payload, sizeof payload, "{\"psbt\":\"%s\",\"finalize\":true}", b64);
    assert_int_equal(tk_btc_sign_psbt_request(&res, payload, strlen(payload), k.our_sk, NULL),
                     TK_OK);
    j = json_loads(res, 0, &err);
    assert_null(json_object_get(j, "tx"));
    json_decref(j);
    free(res);
    res = NULL;

    /* With every input ours, finalize gives the network transaction. */
    set_witness_utxo(p, 2, 70000, k.our_q);
    free(b64);
    assert_int_equal(tk_psbt_serialize_base64(&b64, NULL, p), TK_OK);
    snprintf(payload, sizeof payload, "{\"finalize\":true,\"psbt\":\"%s\"}", b64);
    assert_int_equal(tk_btc_sign_psbt_request(&res, payload, strlen(payload), k.our_sk, NULL),
                     TK_OK);
    j = json_loads(res, 0, &err);
    assert_int_equal(json_array_size(json_object_get(j, "signed_inputs")), 4);
    {
        const char *hex = json_string_value(json_object_get(j, "tx"));
        size_t n;
        unsigned char *raw;
        tk_btc_tx *tx = NULL;
        assert_non_null(hex);
        raw = unhex_alloc(&n, hex);
        assert_int_equal(tk_btc_tx_parse(&tx, raw, n, 0), TK_OK);
        for (i = 0; i < 4; i++) {
            assert_int_equal(tx->in[i].n_witness, 1);
        }
        tk_btc_tx_free(tx);
        free(raw);
    }
    json_decref(j);
    free(res);
    res = NULL;

    /* Refusals: unknown member, wrong types, missing psbt, bad JSON, bad base64. */
    {
        const char *bad[] = {"{\"psbt\":\"cHNidP8=\",\"extra\":1}",
                             "{\"psbt\":5}",
                             "{\"psbt\":\"x\",\"finalize\":\"yes\"}",
                             "{}",
                             "[1]",
                             "{\"psbt\":",
                             "{\"psbt\":\"@@@@\"}",
                             "{\"psbt\":\"a\",\"psbt\":\"b\"}"};
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            assert_int_equal(tk_btc_sign_psbt_request(&res, bad[i], strlen(bad[i]), k.our_sk, NULL),
                             TK_ERR_INPUT);
            assert_null(res);
        }
    }
    free(b64);
    tk_psbt_free(p);
}

/* Over-read check: every prefix of a signed PSBT, placed so that it ends right before an
 * unmapped page, parses or fails without touching the page (a read there would crash). */
static void test_guard_page(void **state)
{
    keys_t k;
    tk_psbt *p, *q = NULL;
    size_t idx[8], n, len, page = (size_t)sysconf(_SC_PAGESIZE), span;
    unsigned char *bytes, *map;
    (void)state;
    load_keys(&k);
    p = build_psbt(&k);
    assert_int_equal(tk_psbt_sign_taproot(p, idx, 8, &n, k.our_sk, NULL), TK_OK);
    bytes = serialize(p, &len);
    span = (len + page - 1) / page * page;
    map = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + span, page, PROT_NONE), 0);
    for (size_t cut = 0; cut <= len; cut++) {
        unsigned char *at = map + span - cut;
        memcpy(at, bytes, cut);
        if (tk_psbt_parse(&q, at, cut) == TK_OK) {
            assert_int_equal(cut, len);
            tk_psbt_free(q);
            q = NULL;
        }
    }
    munmap(map, span + page);
    free(bytes);
    tk_psbt_free(p);
}

/* The creator refuses a transaction that is already signed. */
static void test_from_tx(void **state)
{
    tk_btc_tx *tx = NULL;
    tk_psbt *p = NULL;
    unsigned char raw[200];
    size_t n = test_unhex(raw, sizeof raw, MIN_TX);
    (void)state;
    assert_int_equal(tk_btc_tx_parse(&tx, raw, n, 0), TK_OK);
    assert_int_equal(tk_psbt_from_tx(&p, tx), TK_OK);
    assert_int_equal(tk_psbt_serialized_len(p), 5 + 1 + 1 + 1 + n + 1 + 1 + 1);
    tk_psbt_free(p);
    p = NULL;
    free(tx->in[0].script_sig.data);
    tx->in[0].script_sig.data = malloc(1);
    assert_non_null(tx->in[0].script_sig.data);
    tx->in[0].script_sig.data[0] = 0x51;
    tx->in[0].script_sig.len = 1;
    assert_int_equal(tk_psbt_from_tx(&p, tx), TK_ERR_INPUT);
    assert_null(p);
    tk_btc_tx_free(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bip174_bip371_vectors),
        cmocka_unit_test(test_strictness),
        cmocka_unit_test(test_sign_finalize_extract),
        cmocka_unit_test(test_sign_refusals),
        cmocka_unit_test(test_request_json),
        cmocka_unit_test(test_guard_page),
        cmocka_unit_test(test_from_tx),
    };
    if (tk_init() != TK_OK) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
