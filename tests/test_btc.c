/*
 * Known answers and strictness tests for the bitcoin module: BIP-340 sign/verify vectors,
 * BIP-341 wallet vectors (tweaks, key-path sighash intermediaries, signatures with auxRand 0,
 * the fully signed transaction), BIP-86 output keys and addresses, and the transaction codec's
 * refusals. Vector files live in tests/vectors/bitcoin/ (see the README there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "teekeys/bitcoin.h"
#include "teekeys/encoding.h"
#include "util.h"

#define VEC_DIR "tests/vectors/bitcoin/"

static json_t *load_json(const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (j == NULL) {
        fail_msg("cannot load %s: %s (line %d)", path, err.text, err.line);
    }
    return j;
}

static const char *jstr(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    assert_non_null(s);
    return s;
}

/* Decodes hex of any case (the BIP-340 CSV is uppercase). */
static size_t unhex_any(unsigned char *out, size_t cap, const char *hex)
{
    char lower[2048];
    size_t i, n = strlen(hex);
    assert_true(n < sizeof lower);
    for (i = 0; i <= n; i++) {
        lower[i] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] + 32 : hex[i]);
    }
    return test_unhex(out, cap, lower);
}

static void lower_hex_equal(const unsigned char *buf, size_t len, const char *hex)
{
    char lower[2048];
    size_t i, n = strlen(hex);
    assert_true(n < sizeof lower);
    for (i = 0; i <= n; i++) {
        lower[i] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] + 32 : hex[i]);
    }
    assert_hex_equal(buf, len, lower);
}

/* ---- BIP-340 ---- */

static void test_bip340_vectors(void **state)
{
    FILE *f = fopen(VEC_DIR "bip340_test_vectors.csv", "r");
    char line[1024];
    int rows = 0, signed_rows = 0;
    (void)state;
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        char *field[8] = {0};
        char *p = line;
        unsigned char sk[32], pk[32], aux[32], msg[256], sig[64], mine[64], xonly[32];
        size_t msg_len, i;
        int expect_ok, rc;
        line[strcspn(line, "\r\n")] = '\0';
        for (i = 0; i < 8; i++) {
            field[i] = p;
            p = strchr(p, ',');
            if (p == NULL) {
                break;
            }
            *p++ = '\0';
        }
        assert_true(i >= 6);
        unhex_any(pk, sizeof pk, field[2]);
        msg_len = unhex_any(msg, sizeof msg, field[4]);
        unhex_any(sig, sizeof sig, field[5]);
        expect_ok = strcmp(field[6], "TRUE") == 0;
        if (field[1][0] != '\0') {
            unhex_any(sk, sizeof sk, field[1]);
            unhex_any(aux, sizeof aux, field[3]);
            assert_int_equal(tk_btc_xonly_pubkey(xonly, sk), TK_OK);
            assert_memory_equal(xonly, pk, 32);
            assert_int_equal(tk_btc_schnorr_sign(mine, msg, msg_len, sk, aux), TK_OK);
            lower_hex_equal(mine, 64, field[5]);
            /* Fresh randomness gives a different signature that still verifies. */
            assert_int_equal(tk_btc_schnorr_sign(mine, msg, msg_len, sk, NULL), TK_OK);
            assert_int_equal(tk_btc_schnorr_verify_var(mine, msg, msg_len, pk), TK_OK);
            signed_rows++;
        }
        rc = tk_btc_schnorr_verify_var(sig, msg, msg_len, pk);
        if (expect_ok) {
            assert_int_equal(rc, TK_OK);
        } else {
            assert_int_not_equal(rc, TK_OK);
        }
        rows++;
    }
    fclose(f);
    assert_true(rows >= 15);
    assert_true(signed_rows >= 4);
}

static void test_schnorr_bad_keys(void **state)
{
    unsigned char zero[32] = {0}, sig[64], msg[32] = {1};
    unsigned char n[32];
    (void)state;
    test_unhex(n, sizeof n, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    assert_int_equal(tk_btc_schnorr_sign(sig, msg, 32, zero, NULL), TK_ERR_INPUT);
    assert_int_equal(tk_btc_schnorr_sign(sig, msg, 32, n, NULL), TK_ERR_INPUT);
    assert_int_equal(tk_btc_schnorr_sign(NULL, msg, 32, n, NULL), TK_ERR_ARG);
    assert_int_equal(tk_btc_xonly_pubkey(sig, zero), TK_ERR_INPUT);
    assert_int_equal(tk_btc_bip86_keys(sig, sig + 32, n), TK_ERR_INPUT);
}

/* ---- BIP-341 / BIP-86 ---- */

static void test_bip341_script_pubkeys(void **state)
{
    json_t *root = load_json(VEC_DIR "bip341_wallet_test_vectors.json");
    json_t *list = json_object_get(root, "scriptPubKey"), *v;
    size_t i;
    (void)state;
    assert_true(json_array_size(list) >= 7);
    json_array_foreach(list, i, v)
    {
        json_t *given = json_object_get(v, "given"), *inter = json_object_get(v, "intermediary");
        json_t *mr = json_object_get(inter, "merkleRoot");
        unsigned char p[32], root32[32], q[32], t[32], spk[34];
        char addr[100];
        test_unhex(p, sizeof p, jstr(given, "internalPubkey"));
        if (json_is_string(mr)) {
            test_unhex(root32, sizeof root32, json_string_value(mr));
        }
        tk_btc_taproot_tweak_var(t, p, json_is_string(mr) ? root32 : NULL);
        assert_hex_equal(t, 32, jstr(inter, "tweak"));
        assert_int_equal(
            tk_btc_taproot_output_key_var(q, NULL, p, json_is_string(mr) ? root32 : NULL), TK_OK);
        assert_hex_equal(q, 32, jstr(inter, "tweakedPubkey"));
        tk_btc_p2tr_script(spk, q);
        assert_hex_equal(spk, 34, jstr(json_object_get(v, "expected"), "scriptPubKey"));
        assert_int_equal(tk_segwit_encode(addr, sizeof addr, "bc", 1, q, 32), TK_OK);
        assert_string_equal(addr, jstr(json_object_get(v, "expected"), "bip350Address"));
    }
    json_decref(root);
}

static void test_bip86_vectors(void **state)
{
    json_t *root = load_json(VEC_DIR "bip86_vectors.json");
    json_t *list = json_object_get(root, "vectors"), *v;
    size_t i;
    (void)state;
    assert_int_equal(json_array_size(list), 3);
    json_array_foreach(list, i, v)
    {
        unsigned char p[32], q[32], spk[34];
        char addr[100];
        test_unhex(p, sizeof p, jstr(v, "internal_key"));
        assert_int_equal(tk_btc_taproot_output_key_var(q, NULL, p, NULL), TK_OK);
        assert_hex_equal(q, 32, jstr(v, "output_key"));
        tk_btc_p2tr_script(spk, q);
        assert_hex_equal(spk, 34, jstr(v, "scriptPubKey"));
        assert_int_equal(tk_segwit_encode(addr, sizeof addr, "bc", 1, q, 32), TK_OK);
        assert_string_equal(addr, jstr(v, "address"));
    }
    /* An x coordinate that is not on the curve (x = 5 has no square root of x^3 + 7). */
    {
        unsigned char bad[32] = {0}, q[32];
        bad[31] = 5;
        assert_int_equal(tk_btc_taproot_output_key_var(q, NULL, bad, NULL), TK_ERR_INPUT);
    }
    json_decref(root);
}

static void test_bip341_keypath(void **state)
{
    json_t *root = load_json(VEC_DIR "bip341_wallet_test_vectors.json");
    json_t *kps = json_object_get(root, "keyPathSpending"), *kp, *given, *utxos, *inter, *sp;
    unsigned char *raw = malloc(100000), *out = malloc(100000);
    unsigned char scripts[16][64];
    tk_btc_prevout prev[16];
    tk_btc_sighash_cache cache;
    tk_btc_tx *tx = NULL, *signed_tx = NULL;
    size_t raw_len, out_len, i, n_checked = 0;
    json_t *u;
    (void)state;
    assert_non_null(raw);
    assert_non_null(out);
    assert_int_equal(json_array_size(kps), 1);
    kp = json_array_get(kps, 0);
    given = json_object_get(kp, "given");
    raw_len = test_unhex(raw, 100000, jstr(given, "rawUnsignedTx"));
    assert_int_equal(tk_btc_tx_parse(&tx, raw, raw_len, 0), TK_OK);
    assert_int_equal(tk_btc_tx_serialize(out, 100000, &out_len, tx, 0), TK_OK);
    assert_int_equal(out_len, raw_len);
    assert_memory_equal(out, raw, raw_len);

    utxos = json_object_get(given, "utxosSpent");
    assert_int_equal(json_array_size(utxos), tx->n_in);
    json_array_foreach(utxos, i, u)
    {
        prev[i].script_len = test_unhex(scripts[i], sizeof scripts[i], jstr(u, "scriptPubKey"));
        prev[i].script = scripts[i];
        prev[i].value = (uint64_t)json_integer_value(json_object_get(u, "amountSats"));
    }
    assert_int_equal(tk_btc_sighash_precompute_var(&cache, tx, prev, tx->n_in), TK_OK);
    inter = json_object_get(kp, "intermediary");
    assert_hex_equal(cache.amounts, 32, jstr(inter, "hashAmounts"));
    assert_hex_equal(cache.outputs, 32, jstr(inter, "hashOutputs"));
    assert_hex_equal(cache.prevouts, 32, jstr(inter, "hashPrevouts"));
    assert_hex_equal(cache.script_pubkeys, 32, jstr(inter, "hashScriptPubkeys"));
    assert_hex_equal(cache.sequences, 32, jstr(inter, "hashSequences"));

    /* The fully signed transaction parses, re-serializes identically, and carries our
     * witnesses for the key-path inputs. */
    raw_len = test_unhex(raw, 100000, jstr(json_object_get(kp, "auxiliary"), "fullySignedTx"));
    assert_int_equal(tk_btc_tx_parse(&signed_tx, raw, raw_len, 0), TK_OK);
    assert_int_equal(tk_btc_tx_serialize(out, 100000, &out_len, signed_tx, 0), TK_OK);
    assert_int_equal(out_len, raw_len);
    assert_memory_equal(out, raw, raw_len);

    json_array_foreach(json_object_get(kp, "inputSpending"), i, sp)
    {
        json_t *g = json_object_get(sp, "given"), *im = json_object_get(sp, "intermediary");
        json_t *mr = json_object_get(g, "merkleRoot");
        size_t idx = (size_t)json_integer_value(json_object_get(g, "txinIndex"));
        unsigned ht = (unsigned)json_integer_value(json_object_get(g, "hashType"));
        unsigned char sk[32], p[32], t[32], tsk[32], mroot[32], msg[TK_BTC_SIGMSG_MAX], h[32];
        unsigned char sig[65], zero_aux[32] = {0};
        const unsigned char *mrp = NULL;
        size_t msg_len, sig_len;
        char hex[200];
        test_unhex(sk, sizeof sk, jstr(g, "internalPrivkey"));
        if (json_is_string(mr)) {
            test_unhex(mroot, sizeof mroot, json_string_value(mr));
            mrp = mroot;
        }
        assert_int_equal(tk_btc_xonly_pubkey(p, sk), TK_OK);
        assert_hex_equal(p, 32, jstr(im, "internalPubkey"));
        tk_btc_taproot_tweak_var(t, p, mrp);
        assert_hex_equal(t, 32, jstr(im, "tweak"));
        assert_int_equal(tk_btc_taproot_tweak_seckey(tsk, sk, mrp), TK_OK);
        assert_hex_equal(tsk, 32, jstr(im, "tweakedPrivkey"));
        assert_int_equal(tk_btc_taproot_sigmsg_var(msg, sizeof msg, &msg_len, &cache, tx, prev,
                                                   tx->n_in, idx, ht),
                         TK_OK);
        assert_hex_equal(msg, msg_len, jstr(im, "sigMsg"));
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, idx, ht), TK_OK);
        assert_hex_equal(h, 32, jstr(im, "sigHash"));
        assert_int_equal(tk_btc_taproot_sign_keypath(sig, &sig_len, h, sk, mrp, ht, zero_aux),
                         TK_OK);
        assert_int_equal(sig_len, ht == 0 ? 64 : 65);
        assert_hex_equal(sig, sig_len,
                         json_string_value(json_array_get(
                             json_object_get(json_object_get(sp, "expected"), "witness"), 0)));
        /* The signature verifies against the output key in the spent scriptPubKey. */
        assert_int_equal(tk_btc_schnorr_verify_var(sig, h, 32, prev[idx].script + 2), TK_OK);
        assert_int_equal(signed_tx->in[idx].n_witness, 1);
        assert_int_equal(tk_hex_encode(hex, sizeof hex, signed_tx->in[idx].witness[0].data,
                                       signed_tx->in[idx].witness[0].len),
                         TK_OK);
        assert_hex_equal(sig, sig_len, hex);
        tk_wipe(tsk, sizeof tsk);
        n_checked++;
    }
    assert_int_equal(n_checked, 7);

    /* Refusals: bad hash types, SINGLE without its output, wrong prevout count. */
    {
        unsigned char h[32];
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, 0, 0x04),
                         TK_ERR_RANGE);
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, 0, 0x80),
                         TK_ERR_RANGE);
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, 2, 0x03),
                         TK_ERR_RANGE);
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, 2, 0x83),
                         TK_ERR_RANGE);
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, 1, 0x03), TK_OK);
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in - 1, 0, 0),
                         TK_ERR_ARG);
        assert_int_equal(tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, tx->n_in, 0),
                         TK_ERR_RANGE);
    }
    tk_btc_tx_free(tx);
    tk_btc_tx_free(signed_tx);
    free(raw);
    free(out);
    json_decref(root);
}

/* ---- transaction codec ---- */

/* A one-input, one-output legacy transaction. */
static const char *LEGACY_TX = "0100000001"
                               "1111111111111111111111111111111111111111111111111111111111111111"
                               "02000000"
                               "03aabbcc"
                               "feffffff"
                               "01"
                               "e803000000000000"
                               "16"
                               "0014751e76e8199196d454941c45d1b3a323f1433bd6"
                               "00000000";

static int parse_hex(tk_btc_tx **tx, const char *hex, unsigned flags)
{
    unsigned char buf[1024];
    size_t n = test_unhex(buf, sizeof buf, hex);
    return tk_btc_tx_parse(tx, buf, n, flags);
}

static void test_tx_roundtrip(void **state)
{
    tk_btc_tx *tx = NULL, *clone = NULL;
    unsigned char buf[1024], txid[32];
    size_t n;
    tk_btc_bytes items[2] = {{(unsigned char *)"\x01\x02", 2}, {NULL, 0}};
    (void)state;
    assert_int_equal(parse_hex(&tx, LEGACY_TX, 0), TK_OK);
    assert_int_equal(tx->version, 1);
    assert_int_equal(tx->n_in, 1);
    assert_int_equal(tx->in[0].prev_vout, 2);
    assert_int_equal(tx->in[0].sequence, 0xfffffffeu);
    assert_int_equal(tx->n_out, 1);
    assert_int_equal(tx->out[0].value, 1000);
    assert_int_equal(tk_btc_tx_serialize(buf, sizeof buf, &n, tx, 0), TK_OK);
    assert_hex_equal(buf, n, LEGACY_TX);
    assert_int_equal(tk_btc_tx_serialize(buf, n - 1, &n, tx, 0), TK_ERR_BUFFER);
    /* Adding a witness switches to the segwit format; the txid does not change. */
    assert_int_equal(tk_btc_tx_txid(txid, tx), TK_OK);
    assert_int_equal(tk_btc_tx_clone(&clone, tx), TK_OK);
    assert_int_equal(tk_btc_tx_set_witness(clone, 0, items, 2), TK_OK);
    assert_int_equal(tk_btc_tx_set_witness(clone, 1, items, 2), TK_ERR_ARG);
    assert_int_equal(tk_btc_tx_serialize(buf, sizeof buf, &n, clone, 0), TK_OK);
    assert_int_equal(n, tk_btc_tx_serialized_len(tx, 0) + 2 + 1 + 3 + 1);
    assert_memory_equal(buf + 4, "\x00\x01", 2);
    tk_btc_tx_free(tx);
    tx = NULL;
    assert_int_equal(tk_btc_tx_parse(&tx, buf, n, 0), TK_OK);
    assert_int_equal(tx->in[0].n_witness, 2);
    assert_int_equal(tx->in[0].witness[1].len, 0);
    {
        unsigned char txid2[32];
        assert_int_equal(tk_btc_tx_txid(txid2, tx), TK_OK);
        assert_memory_equal(txid, txid2, 32);
    }
    /* Segwit bytes are refused when witnesses are not allowed. */
    {
        tk_btc_tx *nw = NULL;
        assert_int_not_equal(tk_btc_tx_parse(&nw, buf, n, TK_BTC_TX_NO_WITNESS), TK_OK);
        assert_null(nw);
    }
    tk_btc_tx_free(tx);
    tk_btc_tx_free(clone);
}

static void test_tx_refusals(void **state)
{
    tk_btc_tx *tx = NULL;
    char hex[600];
    size_t n = strlen(LEGACY_TX);
    (void)state;
    /* Truncated at every length. */
    for (size_t cut = 0; cut < n; cut += 2) {
        memcpy(hex, LEGACY_TX, cut);
        hex[cut] = '\0';
        assert_int_equal(parse_hex(&tx, hex, 0), TK_ERR_INPUT);
        assert_null(tx);
    }
    /* Trailing byte. */
    snprintf(hex, sizeof hex, "%s00", LEGACY_TX);
    assert_int_equal(parse_hex(&tx, hex, 0), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "trailing"));
    /* Non-canonical input count (fd 0100 for 1). */
    assert_int_equal(parse_hex(&tx,
                               "01000000fd0100"
                               "1111111111111111111111111111111111111111111111111111111111111111"
                               "0200000000feffffff0100000000000000000000000000",
                               0),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "non-canonical"));
    /* Segwit marker with a flag other than 1. */
    assert_int_equal(parse_hex(&tx, "010000000002", 0), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "flag"));
    /* Segwit serialization whose witnesses are all empty. */
    assert_int_equal(parse_hex(&tx,
                               "010000000001"
                               "01"
                               "1111111111111111111111111111111111111111111111111111111111111111"
                               "0200000000feffffff"
                               "010000000000000000"
                               "00"
                               "00"
                               "00000000",
                               0),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "superfluous"));
    /* An input count larger than the bytes that follow. */
    assert_int_equal(parse_hex(&tx, "01000000fe00000100", 0), TK_ERR_INPUT);
    /* An amount above 21M BTC. */
    assert_int_equal(parse_hex(&tx,
                               "0100000001"
                               "1111111111111111111111111111111111111111111111111111111111111111"
                               "0200000000feffffff"
                               "01"
                               "0140075af0750700"
                               "00"
                               "00000000",
                               0),
                     TK_ERR_RANGE);
    /* A zero-input transaction is legal only without witness parsing. */
    assert_int_equal(parse_hex(&tx,
                               "01000000"
                               "00"
                               "01"
                               "0000000000000000"
                               "00"
                               "00000000",
                               TK_BTC_TX_NO_WITNESS),
                     TK_OK);
    assert_int_equal(tx->n_in, 0);
    assert_int_equal(tx->n_out, 1);
    tk_btc_tx_free(tx);
    tx = NULL;
    assert_int_equal(tk_btc_tx_parse(NULL, (const unsigned char *)"", 0, 0), TK_ERR_ARG);
}

static void test_witness_parse(void **state)
{
    unsigned char buf[64];
    tk_btc_bytes *items = NULL;
    size_t n_items = 0, n;
    (void)state;
    n = test_unhex(buf, sizeof buf, "0201aa00");
    assert_int_equal(tk_btc_witness_parse(&items, &n_items, buf, n), TK_OK);
    assert_int_equal(n_items, 2);
    assert_int_equal(items[0].len, 1);
    assert_int_equal(items[0].data[0], 0xaa);
    assert_int_equal(items[1].len, 0);
    tk_btc_witness_free(items, n_items);
    assert_int_equal(tk_btc_witness_parse(&items, &n_items, buf, n - 1), TK_ERR_INPUT);
    assert_null(items);
    n = test_unhex(buf, sizeof buf, "0201aa0000");
    assert_int_equal(tk_btc_witness_parse(&items, &n_items, buf, n), TK_ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bip340_vectors),        cmocka_unit_test(test_schnorr_bad_keys),
        cmocka_unit_test(test_bip341_script_pubkeys), cmocka_unit_test(test_bip86_vectors),
        cmocka_unit_test(test_bip341_keypath),        cmocka_unit_test(test_tx_roundtrip),
        cmocka_unit_test(test_tx_refusals),           cmocka_unit_test(test_witness_parse),
    };
    if (tk_init() != TK_OK) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
