/*
 * Taproot key-path signer (BIP-86 key, BIP-341 sighash, BIP-371 PSBT_IN_TAP_KEY_SIG), finalizer
 * (BIP-174 finalizer rules) and extractor for PSBT v0.
 * The signer refuses rather than guesses: every input must carry its witness_utxo, because a
 * Taproot signature commits to all spent amounts and scripts. It plans every signature before
 * changing the PSBT, so a refusal leaves the PSBT untouched. The secret key is only passed to
 * tk_btc_taproot_sign_keypath, which wipes its tweaked copy.
 */
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include "psbt_internal.h"

int tk_psbt_input_is_final(const tk_psbt *psbt, size_t index)
{
    if (psbt == NULL || psbt->tx == NULL || index >= psbt->tx->n_in) {
        return 0;
    }
    return psbt_map_find_type(&psbt->inputs[index], TK_PSBT_IN_FINAL_SCRIPTSIG) != NULL ||
           psbt_map_find_type(&psbt->inputs[index], TK_PSBT_IN_FINAL_SCRIPTWITNESS) != NULL;
}

int tk_psbt_input_witness_utxo(tk_btc_prevout *out, const tk_psbt *psbt, size_t index)
{
    const tk_psbt_pair *p;
    btc_reader r;
    uint64_t slen;
    if (out == NULL || psbt == NULL || psbt->tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_input_witness_utxo: NULL argument");
    }
    if (index >= psbt->tx->n_in) {
        return tk_fail(TK_ERR_ARG, "input %zu does not exist (%zu inputs)", index, psbt->tx->n_in);
    }
    p = psbt_map_find_type(&psbt->inputs[index], TK_PSBT_IN_WITNESS_UTXO);
    if (p == NULL) {
        return tk_fail(TK_ERR_NOT_FOUND, "input %zu has no PSBT_IN_WITNESS_UTXO", index);
    }
    r.p = p->value;
    r.len = p->value_len;
    r.pos = 0;
    if (btc_read_u64(&r, &out->value) != 0 || btc_read_compact(&r, &slen) != 0 ||
        slen != btc_remaining(&r) || out->value > TK_BTC_MAX_MONEY ||
        slen > TK_BTC_SCRIPT_MAX_LEN) {
        return tk_fail(TK_ERR_INPUT, "input %zu: PSBT_IN_WITNESS_UTXO is malformed", index);
    }
    out->script = p->value + r.pos;
    out->script_len = (size_t)slen;
    return TK_OK;
}

/* The input's PSBT_IN_SIGHASH_TYPE, or SIGHASH_DEFAULT when absent; refuses types Taproot
 * does not define. */
static int input_hash_type(unsigned *out, const tk_psbt *psbt, size_t index)
{
    const tk_psbt_pair *p = psbt_map_find_type(&psbt->inputs[index], TK_PSBT_IN_SIGHASH_TYPE);
    uint32_t v;
    *out = TK_BTC_SIGHASH_DEFAULT;
    if (p == NULL) {
        return TK_OK;
    }
    if (p->value_len != 4) {
        return tk_fail(TK_ERR_INPUT, "input %zu: PSBT_IN_SIGHASH_TYPE is not 4 bytes", index);
    }
    v = btc_le32(p->value);
    if (!tk_btc_taproot_hash_type_valid(v)) {
        return tk_fail(TK_ERR_RANGE, "input %zu: sighash type 0x%x is not valid for taproot", index,
                       (unsigned)v);
    }
    *out = v;
    return TK_OK;
}

/* Reads every input's witness_utxo; refuses (naming the input) when one is missing. */
static int all_prevouts(tk_btc_prevout **out, const tk_psbt *psbt)
{
    size_t i, n = psbt->tx->n_in;
    tk_btc_prevout *prev = calloc(n + 1, sizeof *prev);
    int rc;
    *out = NULL;
    if (prev == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        rc = tk_psbt_input_witness_utxo(&prev[i], psbt, i);
        if (rc == TK_ERR_NOT_FOUND) {
            rc = tk_fail(TK_ERR_INPUT,
                         "input %zu has no witness_utxo: taproot signatures commit "
                         "to every spent output, so every input needs one",
                         i);
        }
        if (rc != TK_OK) {
            free(prev);
            return rc;
        }
    }
    *out = prev;
    return TK_OK;
}

int tk_psbt_sign_taproot(tk_psbt *psbt, size_t *signed_idx, size_t signed_cap, size_t *n_signed,
                         const unsigned char seckey[TK_BTC_SECKEY_LEN],
                         const tk_psbt_sign_opts *opts)
{
    unsigned char p[32], q[32], target[TK_BTC_P2TR_SCRIPT_LEN];
    unsigned char(*sigs)[TK_BTC_TAPROOT_SIG_MAX] = NULL;
    size_t *sig_lens = NULL, *plan = NULL, n_plan = 0, i, n_in;
    unsigned *types = NULL;
    tk_btc_prevout *prev = NULL;
    tk_btc_sighash_cache cache;
    secp256k1_keypair kp; /* the tweaked key, made once for every input */
    int rc;
    memset(&kp, 0, sizeof kp);
    if (psbt == NULL || psbt->tx == NULL || n_signed == NULL || seckey == NULL ||
        (signed_idx == NULL && signed_cap != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_sign_taproot: NULL argument");
    }
    *n_signed = 0;
    n_in = psbt->tx->n_in;
    if ((rc = all_prevouts(&prev, psbt)) != TK_OK ||
        (rc = btc_taproot_keypair(&kp, p, q, seckey, NULL)) != TK_OK) {
        goto cleanup;
    }
    tk_btc_p2tr_script(target, q);
    plan = calloc(n_in + 1, sizeof *plan);
    types = calloc(n_in + 1, sizeof *types);
    if (plan == NULL || types == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* Plan: which inputs, which sighash types; refuse before touching anything. */
    for (i = 0; i < n_in; i++) {
        const tk_psbt_pair *ik, *mr;
        if (prev[i].script_len != sizeof target ||
            memcmp(prev[i].script, target, sizeof target) != 0 || tk_psbt_input_is_final(psbt, i)) {
            continue;
        }
        if ((rc = input_hash_type(&types[n_plan], psbt, i)) != TK_OK) {
            goto cleanup;
        }
        if ((types[n_plan] & 3u) == TK_BTC_SIGHASH_SINGLE && i >= psbt->tx->n_out) {
            rc = tk_fail(TK_ERR_RANGE,
                         "input %zu: SIGHASH_SINGLE without a matching output "
                         "(%zu outputs)",
                         i, psbt->tx->n_out);
            goto cleanup;
        }
        ik = psbt_map_find_type(&psbt->inputs[i], TK_PSBT_IN_TAP_INTERNAL_KEY);
        if (ik != NULL && (ik->value_len != 32 || memcmp(ik->value, p, 32) != 0)) {
            rc = tk_fail(TK_ERR_INPUT,
                         "input %zu: PSBT_IN_TAP_INTERNAL_KEY is not this key's "
                         "internal key",
                         i);
            goto cleanup;
        }
        mr = psbt_map_find_type(&psbt->inputs[i], TK_PSBT_IN_TAP_MERKLE_ROOT);
        if (mr != NULL) {
            rc = tk_fail(TK_ERR_INPUT,
                         "input %zu: PSBT_IN_TAP_MERKLE_ROOT is set, but the output "
                         "is a BIP-86 key without a script tree",
                         i);
            goto cleanup;
        }
        plan[n_plan++] = i;
    }
    if (n_plan == 0) {
        rc = tk_fail(TK_ERR_RANGE, "no input spends this key's BIP-86 output");
        goto cleanup;
    }
    if (n_plan > signed_cap) {
        rc = tk_fail(TK_ERR_BUFFER, "%zu inputs to sign, room for %zu indices", n_plan, signed_cap);
        goto cleanup;
    }
    sigs = calloc(n_plan, sizeof *sigs);
    sig_lens = calloc(n_plan, sizeof *sig_lens);
    if (sigs == NULL || sig_lens == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = tk_btc_sighash_precompute_var(&cache, psbt->tx, prev, n_in)) != TK_OK) {
        goto cleanup;
    }
    for (i = 0; i < n_plan; i++) {
        unsigned char h[32];
        rc = tk_btc_taproot_sighash_var(h, &cache, psbt->tx, prev, n_in, plan[i], types[i]);
        if (rc == TK_OK) {
            rc = btc_sign_keypair(sigs[i], h, 32, &kp, opts != NULL ? opts->aux32 : NULL);
        }
        if (rc != TK_OK) {
            goto cleanup;
        }
        sig_lens[i] = 64;
        if (types[i] != TK_BTC_SIGHASH_DEFAULT) {
            sigs[i][64] = (unsigned char)types[i];
            sig_lens[i] = 65;
        }
    }
    /* Apply. Only allocation can fail from here on. */
    for (i = 0; i < n_plan; i++) {
        tk_psbt_map *m = &psbt->inputs[plan[i]];
        rc = tk_psbt_map_set(m, TK_PSBT_IN_TAP_KEY_SIG, NULL, 0, sigs[i], sig_lens[i]);
        if (rc == TK_OK && psbt_map_find_type(m, TK_PSBT_IN_TAP_INTERNAL_KEY) == NULL) {
            rc = tk_psbt_map_set(m, TK_PSBT_IN_TAP_INTERNAL_KEY, NULL, 0, p, 32);
        }
        if (rc != TK_OK) {
            goto cleanup;
        }
        signed_idx[i] = plan[i];
    }
    *n_signed = n_plan;
    rc = TK_OK;
cleanup:
    tk_wipe(&kp, sizeof kp);
    free(prev);
    free(plan);
    free(types);
    free(sigs);
    free(sig_lens);
    return rc;
}

/* Verifies input i's key-path signature; *ok = 0 when the input is not a finalizable
 * key-path spend (no signature, not P2TR, already final). */
static int check_keypath_sig(int *ok, const tk_psbt *psbt, size_t i, tk_btc_prevout *prev,
                             const int *have_prev, const tk_btc_sighash_cache *cache, int cache_ok)
{
    const tk_psbt_pair *ks = psbt_map_find_type(&psbt->inputs[i], TK_PSBT_IN_TAP_KEY_SIG);
    unsigned field_type, sig_type;
    unsigned char h[32];
    int rc;
    *ok = 0;
    if (ks == NULL || tk_psbt_input_is_final(psbt, i) || !have_prev[i] ||
        prev[i].script_len != TK_BTC_P2TR_SCRIPT_LEN || prev[i].script[0] != 0x51 ||
        prev[i].script[1] != 0x20) {
        return TK_OK;
    }
    if (ks->value_len != 64 && ks->value_len != 65) {
        return tk_fail(TK_ERR_INPUT, "input %zu: PSBT_IN_TAP_KEY_SIG has %zu bytes", i,
                       ks->value_len);
    }
    sig_type = ks->value_len == 65 ? ks->value[64] : TK_BTC_SIGHASH_DEFAULT;
    if (ks->value_len == 65 && sig_type == TK_BTC_SIGHASH_DEFAULT) {
        return tk_fail(TK_ERR_INPUT, "input %zu: 65-byte PSBT_IN_TAP_KEY_SIG with sighash 0", i);
    }
    if ((rc = input_hash_type(&field_type, psbt, i)) != TK_OK) {
        return rc;
    }
    if (psbt_map_find_type(&psbt->inputs[i], TK_PSBT_IN_SIGHASH_TYPE) != NULL &&
        field_type != sig_type) {
        return tk_fail(TK_ERR_INPUT,
                       "input %zu: PSBT_IN_TAP_KEY_SIG sighash 0x%02x differs from "
                       "PSBT_IN_SIGHASH_TYPE 0x%02x",
                       i, sig_type, field_type);
    }
    if (!(sig_type & TK_BTC_SIGHASH_ANYONECANPAY) && !cache_ok) {
        return tk_fail(TK_ERR_INPUT,
                       "input %zu: cannot check its signature: another input has "
                       "no witness_utxo",
                       i);
    }
    rc = tk_btc_taproot_sighash_var(h, cache, psbt->tx, prev, psbt->tx->n_in, i, sig_type);
    if (rc != TK_OK) {
        return rc;
    }
    if (tk_btc_schnorr_verify_var(ks->value, h, 32, prev[i].script + 2) != TK_OK) {
        return tk_fail(TK_ERR_CRYPTO, "input %zu: PSBT_IN_TAP_KEY_SIG does not verify", i);
    }
    *ok = 1;
    return TK_OK;
}

int tk_psbt_finalize_taproot(tk_psbt *psbt, size_t *n_final)
{
    size_t i, j, n_in, count = 0;
    tk_btc_prevout *prev = NULL;
    int *have = NULL, *todo = NULL, cache_ok = 1, rc = TK_OK;
    tk_btc_sighash_cache cache;
    if (psbt == NULL || psbt->tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_finalize_taproot: NULL argument");
    }
    n_in = psbt->tx->n_in;
    prev = calloc(n_in + 1, sizeof *prev);
    have = calloc(n_in + 1, sizeof *have);
    todo = calloc(n_in + 1, sizeof *todo);
    if (prev == NULL || have == NULL || todo == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < n_in; i++) {
        rc = tk_psbt_input_witness_utxo(&prev[i], psbt, i);
        if (rc == TK_ERR_NOT_FOUND) {
            cache_ok = 0;
            /* an empty prevout stands in; only ANYONECANPAY hashes of other inputs use it */
            prev[i].script = NULL;
            prev[i].script_len = 0;
            prev[i].value = 0;
        } else if (rc != TK_OK) {
            goto cleanup;
        } else {
            have[i] = 1;
        }
    }
    rc = tk_btc_sighash_precompute_var(&cache, psbt->tx, prev, n_in);
    if (rc != TK_OK) {
        goto cleanup;
    }
    for (i = 0; i < n_in; i++) {
        if ((rc = check_keypath_sig(&todo[i], psbt, i, prev, have, &cache, cache_ok)) != TK_OK) {
            goto cleanup;
        }
    }
    for (i = 0; i < n_in; i++) {
        tk_psbt_map *m = &psbt->inputs[i];
        const tk_psbt_pair *ks;
        unsigned char wit[1 + 1 + TK_BTC_TAPROOT_SIG_MAX];
        size_t sig_len;
        if (!todo[i]) {
            continue;
        }
        ks = psbt_map_find_type(m, TK_PSBT_IN_TAP_KEY_SIG);
        sig_len = ks->value_len;
        wit[0] = 1;
        wit[1] = (unsigned char)sig_len;
        memcpy(wit + 2, ks->value, sig_len);
        /* BIP-174 finalizer: keep the UTXOs and fields we do not know; drop the rest. */
        for (j = m->n; j-- > 0;) {
            uint64_t t = m->pairs[j].type;
            if (t != TK_PSBT_IN_NON_WITNESS_UTXO && t != TK_PSBT_IN_WITNESS_UTXO &&
                psbt_field_name(PSBT_INPUT, t) != NULL) {
                psbt_map_remove_at(m, j);
            }
        }
        rc = tk_psbt_map_set(m, TK_PSBT_IN_FINAL_SCRIPTWITNESS, NULL, 0, wit, 2 + sig_len);
        if (rc != TK_OK) {
            goto cleanup;
        }
        count++;
    }
    if (n_final != NULL) {
        *n_final = count;
    }
cleanup:
    free(prev);
    free(have);
    free(todo);
    return rc;
}

int tk_psbt_extract(tk_btc_tx **out, const tk_psbt *psbt)
{
    tk_btc_tx *tx = NULL;
    size_t i;
    int rc;
    if (out == NULL || psbt == NULL || psbt->tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_extract: NULL argument");
    }
    *out = NULL;
    for (i = 0; i < psbt->tx->n_in; i++) {
        if (!tk_psbt_input_is_final(psbt, i)) {
            return tk_fail(TK_ERR_RANGE, "input %zu is not finalized", i);
        }
    }
    if ((rc = tk_btc_tx_clone(&tx, psbt->tx)) != TK_OK) {
        return rc;
    }
    for (i = 0; i < tx->n_in; i++) {
        const tk_psbt_pair *ss = psbt_map_find_type(&psbt->inputs[i], TK_PSBT_IN_FINAL_SCRIPTSIG);
        const tk_psbt_pair *sw =
            psbt_map_find_type(&psbt->inputs[i], TK_PSBT_IN_FINAL_SCRIPTWITNESS);
        if (ss != NULL && ss->value_len > 0) {
            if (ss->value_len > TK_BTC_SCRIPT_MAX_LEN) {
                rc = tk_fail(TK_ERR_RANGE, "input %zu: final scriptSig too long", i);
                goto cleanup;
            }
            tx->in[i].script_sig.data = malloc(ss->value_len);
            if (tx->in[i].script_sig.data == NULL) {
                rc = tk_fail(TK_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            memcpy(tx->in[i].script_sig.data, ss->value, ss->value_len);
            tx->in[i].script_sig.len = ss->value_len;
        }
        if (sw != NULL) {
            tk_btc_bytes *items = NULL;
            size_t n = 0;
            rc = tk_btc_witness_parse(&items, &n, sw->value, sw->value_len);
            if (rc == TK_OK) {
                tk_btc_witness_free(tx->in[i].witness, tx->in[i].n_witness);
                tx->in[i].witness = items;
                tx->in[i].n_witness = n;
            } else {
                goto cleanup;
            }
        }
    }
    *out = tx;
    tx = NULL;
    rc = TK_OK;
cleanup:
    tk_btc_tx_free(tx);
    return rc;
}
