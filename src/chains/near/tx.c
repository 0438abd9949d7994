/*
 * NEAR Transaction borsh codec (include/teekeys/near.h): strict decoder and encoder for
 * Transaction (V0) with every action kind up to Delegate. The decoder must never accept what
 * nearcore would refuse to deserialize (bad tags, bad account ids, oversized fields, trailing
 * bytes) and never reads outside its input. Public data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/borsh.h"
#include "teekeys/near.h"

static const char *const action_names[] = {
    "CreateAccount", "DeployContract", "FunctionCall",  "Transfer", "Stake",
    "AddKey",        "DeleteKey",      "DeleteAccount", "Delegate",
};

/* Re-records the current detail with a prefix ("actions[3] (AddKey): ..."). */
static int wrap(int rc, const char *fmt_prefix, size_t i, const char *kind)
{
    char why[256];
    snprintf(why, sizeof why, "%s", tk_errmsg());
    return tk_fail(rc, "%s[%zu]%s%s%s: %s", fmt_prefix, i, kind ? " (" : "", kind ? kind : "",
                   kind ? ")" : "", why);
}

static size_t pubkey_len(uint8_t type)
{
    return type == TK_NEAR_KEY_ED25519 ? TK_NEAR_ED25519_PUBKEY_LEN : TK_NEAR_SECP256K1_PUBKEY_LEN;
}

static size_t sig_len(uint8_t type)
{
    return type == TK_NEAR_KEY_ED25519 ? TK_NEAR_ED25519_SIG_LEN : TK_NEAR_SECP256K1_SIG_LEN;
}

static int read_pubkey(tk_borsh_reader *r, tk_near_pubkey *pk, const char *field)
{
    const unsigned char *b = NULL;
    int rc = tk_borsh_read_u8(r, &pk->type, field);
    if (rc != TK_OK) {
        return rc;
    }
    if (pk->type > TK_NEAR_KEY_SECP256K1) {
        return tk_fail(TK_ERR_INPUT, "%s: unknown key type %u (0 ed25519, 1 secp256k1)", field,
                       pk->type);
    }
    memset(pk->data, 0, sizeof pk->data);
    if ((rc = tk_borsh_read_fixed(r, &b, pubkey_len(pk->type), field)) == TK_OK) {
        memcpy(pk->data, b, pubkey_len(pk->type));
    }
    return rc;
}

static int read_signature(tk_borsh_reader *r, tk_near_signature *sig, const char *field)
{
    const unsigned char *b = NULL;
    int rc = tk_borsh_read_u8(r, &sig->type, field);
    if (rc != TK_OK) {
        return rc;
    }
    if (sig->type > TK_NEAR_KEY_SECP256K1) {
        return tk_fail(TK_ERR_INPUT, "%s: unknown signature type %u", field, sig->type);
    }
    memset(sig->data, 0, sizeof sig->data);
    if ((rc = tk_borsh_read_fixed(r, &b, sig_len(sig->type), field)) == TK_OK) {
        memcpy(sig->data, b, sig_len(sig->type));
    }
    return rc;
}

static int read_account(tk_borsh_reader *r, tk_near_bytes *out, const char *field)
{
    const char *s = NULL;
    size_t n = 0;
    int rc = tk_borsh_read_string(r, &s, &n, 256, field);
    if (rc != TK_OK) {
        return rc;
    }
    if ((rc = tk_near_account_check(s, n)) != TK_OK) {
        char why[200];
        snprintf(why, sizeof why, "%s", tk_errmsg());
        return tk_fail(rc, "%s: %s", field, why);
    }
    out->ptr = (const unsigned char *)s;
    out->len = n;
    return TK_OK;
}

static int read_u128(tk_borsh_reader *r, unsigned char out[16], const char *field)
{
    const unsigned char *b = NULL;
    int rc = tk_borsh_read_fixed(r, &b, 16, field);
    if (rc == TK_OK) {
        memcpy(out, b, 16);
    }
    return rc;
}

static int read_actions(tk_borsh_reader *r, size_t *n_out, tk_near_action *actions, int nested);

static int read_add_key(tk_borsh_reader *r, tk_near_action *a)
{
    uint8_t perm = 0;
    uint32_t n_names = 0;
    size_t start, total = 0;
    int rc;

    if ((rc = read_pubkey(r, &a->public_key, "public_key")) != TK_OK ||
        (rc = tk_borsh_read_u64(r, &a->access_key_nonce, "access_key.nonce")) != TK_OK ||
        (rc = tk_borsh_read_u8(r, &perm, "access_key.permission")) != TK_OK) {
        return rc;
    }
    if (perm == 1) {
        a->full_access = 1;
        return TK_OK;
    }
    if (perm != 0) {
        return tk_fail(TK_ERR_INPUT,
                       "access_key.permission: unknown tag %u (0 FunctionCall, 1 FullAccess)",
                       perm);
    }
    a->full_access = 0;
    if ((rc = tk_borsh_read_option(r, &a->has_allowance, "permission.allowance")) != TK_OK ||
        (a->has_allowance && (rc = read_u128(r, a->allowance, "permission.allowance")) != TK_OK) ||
        (rc = read_account(r, &a->permission_receiver, "permission.receiver_id")) != TK_OK ||
        (rc = tk_borsh_read_u32(r, &n_names, "permission.method_names")) != TK_OK) {
        return rc;
    }
    start = r->pos;
    for (uint32_t i = 0; i < n_names; i++) {
        const char *s = NULL;
        size_t n = 0;
        if ((rc = tk_borsh_read_string(r, &s, &n, TK_NEAR_MAX_METHOD_NAME_LEN,
                                       "permission.method_names")) != TK_OK) {
            return rc;
        }
        total += n;
        if (total > TK_NEAR_MAX_METHOD_NAMES_BYTES) {
            return tk_fail(TK_ERR_INPUT, "permission.method_names: more than %d bytes of names",
                           TK_NEAR_MAX_METHOD_NAMES_BYTES);
        }
    }
    a->n_method_names = n_names;
    a->method_names_raw.ptr = r->p + start;
    a->method_names_raw.len = r->pos - start;
    return TK_OK;
}

static int read_delegate(tk_borsh_reader *r, tk_near_action *a)
{
    tk_near_delegate *d = calloc(1, sizeof *d);
    int rc;
    if (d == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory decoding a delegate action");
    }
    a->delegate = d; /* owned from here on: freed with the transaction */
    if ((rc = read_account(r, &d->sender_id, "delegate_action.sender_id")) != TK_OK ||
        (rc = read_account(r, &d->receiver_id, "delegate_action.receiver_id")) != TK_OK) {
        return rc;
    }
    if ((rc = read_actions(r, &d->n_actions, d->actions, 1)) != TK_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", tk_errmsg());
        return tk_fail(rc, "delegate_action.%s", why);
    }
    if ((rc = tk_borsh_read_u64(r, &d->nonce, "delegate_action.nonce")) != TK_OK ||
        (rc = tk_borsh_read_u64(r, &d->max_block_height, "delegate_action.max_block_height")) !=
            TK_OK ||
        (rc = read_pubkey(r, &d->public_key, "delegate_action.public_key")) != TK_OK ||
        (rc = read_signature(r, &d->signature, "signature")) != TK_OK) {
        return rc;
    }
    return TK_OK;
}

static int read_action(tk_borsh_reader *r, tk_near_action *a, int nested)
{
    uint8_t tag = 0;
    int rc = tk_borsh_read_u8(r, &tag, "action kind");
    const char *s = NULL;
    size_t n = 0;
    if (rc != TK_OK) {
        return rc;
    }
    if (tag > TK_NEAR_ACTION_DELEGATE) {
        return tk_fail(TK_ERR_UNSUPPORTED, "action kind %u is not supported (0..8)", tag);
    }
    if (nested && tag == TK_NEAR_ACTION_DELEGATE) {
        return tk_fail(TK_ERR_INPUT, "a delegate action cannot contain another delegate action");
    }
    a->kind = (tk_near_action_kind)tag;
    switch (a->kind) {
    case TK_NEAR_ACTION_CREATE_ACCOUNT:
        return TK_OK;
    case TK_NEAR_ACTION_DEPLOY_CONTRACT:
        return tk_borsh_read_bytes(r, &a->code.ptr, &a->code.len, TK_NEAR_MAX_CODE_LEN, "code");
    case TK_NEAR_ACTION_FUNCTION_CALL:
        if ((rc = tk_borsh_read_string(r, &s, &n, TK_NEAR_MAX_METHOD_NAME_LEN, "method_name")) !=
            TK_OK) {
            return rc;
        }
        a->method_name.ptr = (const unsigned char *)s;
        a->method_name.len = n;
        if ((rc = tk_borsh_read_bytes(r, &a->args.ptr, &a->args.len, TK_NEAR_MAX_ARGS_LEN,
                                      "args")) != TK_OK ||
            (rc = tk_borsh_read_u64(r, &a->gas, "gas")) != TK_OK) {
            return rc;
        }
        return read_u128(r, a->amount, "deposit");
    case TK_NEAR_ACTION_TRANSFER:
        return read_u128(r, a->amount, "deposit");
    case TK_NEAR_ACTION_STAKE:
        if ((rc = read_u128(r, a->amount, "stake")) != TK_OK) {
            return rc;
        }
        return read_pubkey(r, &a->public_key, "public_key");
    case TK_NEAR_ACTION_ADD_KEY:
        return read_add_key(r, a);
    case TK_NEAR_ACTION_DELETE_KEY:
        return read_pubkey(r, &a->public_key, "public_key");
    case TK_NEAR_ACTION_DELETE_ACCOUNT:
        return read_account(r, &a->beneficiary_id, "beneficiary_id");
    case TK_NEAR_ACTION_DELEGATE:
        return read_delegate(r, a);
    }
    return tk_fail(TK_ERR_INTERNAL, "unreachable action kind");
}

static int read_actions(tk_borsh_reader *r, size_t *n_out, tk_near_action *actions, int nested)
{
    uint32_t n = 0;
    int rc = tk_borsh_read_u32(r, &n, "actions");
    if (rc != TK_OK) {
        return rc;
    }
    if (n > TK_NEAR_MAX_ACTIONS) {
        return tk_fail(TK_ERR_INPUT, "actions: %u actions (at most %d)", n, TK_NEAR_MAX_ACTIONS);
    }
    for (uint32_t i = 0; i < n; i++) {
        size_t at = r->pos;
        *n_out = i + 1; /* so that tk_near_tx_free sees every allocated delegate */
        if ((rc = read_action(r, &actions[i], nested)) != TK_OK) {
            /* name the kind when its tag was read and is known */
            return wrap(rc, "actions", i,
                        r->pos > at && r->p[at] <= TK_NEAR_ACTION_DELEGATE ? action_names[r->p[at]]
                                                                           : NULL);
        }
    }
    *n_out = n;
    return TK_OK;
}

void tk_near_tx_free(tk_near_tx *tx)
{
    if (tx == NULL) {
        return;
    }
    for (size_t i = 0; i < tx->n_actions && i < TK_NEAR_MAX_ACTIONS; i++) {
        if (tx->actions[i].kind == TK_NEAR_ACTION_DELEGATE) {
            free(tx->actions[i].delegate);
        }
    }
    free(tx);
}

int tk_near_tx_decode_var(tk_near_tx **out, const unsigned char *in, size_t in_len)
{
    tk_borsh_reader r;
    const unsigned char *hash = NULL;
    tk_near_tx *tx;
    int rc;

    if (out == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_tx_decode_var");
    }
    *out = NULL;
    if (in_len > TK_NEAR_TX_MAX_LEN) {
        return tk_fail(TK_ERR_INPUT, "transaction is %zu bytes (at most %d)", in_len,
                       TK_NEAR_TX_MAX_LEN);
    }
    tx = calloc(1, sizeof *tx);
    if (tx == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory decoding a transaction");
    }
    tk_borsh_reader_init(&r, in, in_len);
    if ((rc = read_account(&r, &tx->signer_id, "signer_id")) != TK_OK ||
        (rc = read_pubkey(&r, &tx->public_key, "public_key")) != TK_OK ||
        (rc = tk_borsh_read_u64(&r, &tx->nonce, "nonce")) != TK_OK ||
        (rc = read_account(&r, &tx->receiver_id, "receiver_id")) != TK_OK ||
        (rc = tk_borsh_read_fixed(&r, &hash, TK_NEAR_HASH_LEN, "block_hash")) != TK_OK) {
        goto fail;
    }
    memcpy(tx->block_hash, hash, TK_NEAR_HASH_LEN);
    if ((rc = read_actions(&r, &tx->n_actions, tx->actions, 0)) != TK_OK ||
        (rc = tk_borsh_read_end(&r, "transaction")) != TK_OK) {
        goto fail;
    }
    *out = tx;
    return TK_OK;
fail:
    tk_near_tx_free(tx);
    return rc;
}

/* ---- encoder ---- */

static int write_pubkey(tk_borsh_writer *w, const tk_near_pubkey *pk)
{
    if (pk->type > TK_NEAR_KEY_SECP256K1) {
        return tk_fail(TK_ERR_ARG, "public key type %u", pk->type);
    }
    tk_borsh_write_u8(w, pk->type);
    tk_borsh_write_fixed(w, pk->data, pubkey_len(pk->type));
    return TK_OK;
}

static int write_actions(tk_borsh_writer *w, size_t n, const tk_near_action *actions, int nested);

static int write_action(tk_borsh_writer *w, const tk_near_action *a, int nested)
{
    int rc = TK_OK;
    const tk_near_delegate *d;
    if ((unsigned)a->kind > TK_NEAR_ACTION_DELEGATE ||
        (nested && a->kind == TK_NEAR_ACTION_DELEGATE)) {
        return tk_fail(TK_ERR_ARG, "action kind %d cannot be encoded here", (int)a->kind);
    }
    tk_borsh_write_u8(w, (uint8_t)a->kind);
    switch (a->kind) {
    case TK_NEAR_ACTION_CREATE_ACCOUNT:
        break;
    case TK_NEAR_ACTION_DEPLOY_CONTRACT:
        tk_borsh_write_bytes(w, a->code.ptr, a->code.len);
        break;
    case TK_NEAR_ACTION_FUNCTION_CALL:
        tk_borsh_write_bytes(w, a->method_name.ptr, a->method_name.len);
        tk_borsh_write_bytes(w, a->args.ptr, a->args.len);
        tk_borsh_write_u64(w, a->gas);
        tk_borsh_write_fixed(w, a->amount, 16);
        break;
    case TK_NEAR_ACTION_TRANSFER:
        tk_borsh_write_fixed(w, a->amount, 16);
        break;
    case TK_NEAR_ACTION_STAKE:
        tk_borsh_write_fixed(w, a->amount, 16);
        rc = write_pubkey(w, &a->public_key);
        break;
    case TK_NEAR_ACTION_ADD_KEY:
        if ((rc = write_pubkey(w, &a->public_key)) != TK_OK) {
            break;
        }
        tk_borsh_write_u64(w, a->access_key_nonce);
        if (a->full_access) {
            tk_borsh_write_u8(w, 1);
            break;
        }
        tk_borsh_write_u8(w, 0);
        tk_borsh_write_u8(w, a->has_allowance ? 1 : 0);
        if (a->has_allowance) {
            tk_borsh_write_fixed(w, a->allowance, 16);
        }
        tk_borsh_write_bytes(w, a->permission_receiver.ptr, a->permission_receiver.len);
        if (a->n_method_names > UINT32_MAX) {
            return tk_fail(TK_ERR_ARG, "too many method names");
        }
        tk_borsh_write_u32(w, (uint32_t)a->n_method_names);
        tk_borsh_write_fixed(w, a->method_names_raw.ptr, a->method_names_raw.len);
        break;
    case TK_NEAR_ACTION_DELETE_KEY:
        rc = write_pubkey(w, &a->public_key);
        break;
    case TK_NEAR_ACTION_DELETE_ACCOUNT:
        tk_borsh_write_bytes(w, a->beneficiary_id.ptr, a->beneficiary_id.len);
        break;
    case TK_NEAR_ACTION_DELEGATE:
        d = a->delegate;
        if (d == NULL || d->signature.type > TK_NEAR_KEY_SECP256K1) {
            return tk_fail(TK_ERR_ARG, "delegate action without a valid delegate");
        }
        tk_borsh_write_bytes(w, d->sender_id.ptr, d->sender_id.len);
        tk_borsh_write_bytes(w, d->receiver_id.ptr, d->receiver_id.len);
        if ((rc = write_actions(w, d->n_actions, d->actions, 1)) != TK_OK) {
            break;
        }
        tk_borsh_write_u64(w, d->nonce);
        tk_borsh_write_u64(w, d->max_block_height);
        if ((rc = write_pubkey(w, &d->public_key)) != TK_OK) {
            break;
        }
        tk_borsh_write_u8(w, d->signature.type);
        tk_borsh_write_fixed(w, d->signature.data, sig_len(d->signature.type));
        break;
    }
    return rc;
}

static int write_actions(tk_borsh_writer *w, size_t n, const tk_near_action *actions, int nested)
{
    int rc;
    if (n > TK_NEAR_MAX_ACTIONS) {
        return tk_fail(TK_ERR_ARG, "%zu actions (at most %d)", n, TK_NEAR_MAX_ACTIONS);
    }
    tk_borsh_write_u32(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        if ((rc = write_action(w, &actions[i], nested)) != TK_OK) {
            return rc;
        }
    }
    return TK_OK;
}

int tk_near_tx_encode_var(unsigned char *out, size_t out_cap, size_t *written, const tk_near_tx *tx)
{
    tk_borsh_writer w;
    int rc;
    if (written == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_tx_encode_var");
    }
    tk_borsh_writer_init(&w, out, out_cap);
    tk_borsh_write_bytes(&w, tx->signer_id.ptr, tx->signer_id.len);
    if ((rc = write_pubkey(&w, &tx->public_key)) != TK_OK) {
        return rc;
    }
    tk_borsh_write_u64(&w, tx->nonce);
    tk_borsh_write_bytes(&w, tx->receiver_id.ptr, tx->receiver_id.len);
    tk_borsh_write_fixed(&w, tx->block_hash, TK_NEAR_HASH_LEN);
    if ((rc = write_actions(&w, tx->n_actions, tx->actions, 0)) != TK_OK) {
        return rc;
    }
    return tk_borsh_writer_finish(&w, written);
}

int tk_near_method_name_var(tk_near_bytes *name, const tk_near_action *action, size_t i)
{
    tk_borsh_reader r;
    const char *s = NULL;
    size_t n = 0;
    int rc;
    if (name == NULL || action == NULL || action->kind != TK_NEAR_ACTION_ADD_KEY ||
        action->full_access || i >= action->n_method_names) {
        return tk_fail(TK_ERR_ARG, "no method name %zu in this action", i);
    }
    tk_borsh_reader_init(&r, action->method_names_raw.ptr, action->method_names_raw.len);
    for (size_t k = 0; k <= i; k++) {
        if ((rc = tk_borsh_read_string(&r, &s, &n, TK_NEAR_MAX_METHOD_NAME_LEN, "method name")) !=
            TK_OK) {
            return rc;
        }
    }
    name->ptr = (const unsigned char *)s;
    name->len = n;
    return TK_OK;
}
