/*
 * teekeys sign: the signing kinds of DESIGN 4.1, which family each belongs to, dispatch to the
 * chain modules (evm, bitcoin, solana, near), raw digests, verification of the message kinds,
 * and the result envelope. The CLI and the HTTP API both go through here, so a payload and its
 * result move between them unchanged.
 */
#ifndef TEEKEYS_SIGN_H
#define TEEKEYS_SIGN_H

#include <stddef.h>

#include <jansson.h>

#include "teekeys/common.h"
#include "teekeys/derive.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TK_KIND_ETH_TRANSACTION = 1,
    TK_KIND_ETH_AUTHORIZATION,
    TK_KIND_ETH_PERSONAL,
    TK_KIND_ETH_TYPED_DATA,
    TK_KIND_BTC_PSBT,
    TK_KIND_SOL_TRANSACTION,
    TK_KIND_SOL_MESSAGE,
    TK_KIND_NEAR_TRANSACTION,
    TK_KIND_NEP413,
    TK_KIND_RAW_DIGEST
} tk_sign_kind;

/* Parses a kind name ("eth_transaction", ...). */
int tk_sign_kind_parse(tk_sign_kind *kind, const char *name) TK_MUST_CHECK;

/* Returns: the kind's name, or NULL. */
const char *tk_sign_kind_name(tk_sign_kind kind);

/* Checks that a kind applies to a family (raw_digest applies to all). TK_OK or TK_ERR_INPUT
 * naming the families the kind belongs to. */
int tk_sign_kind_check(tk_sign_kind kind, tk_family family) TK_MUST_CHECK;

/* Signs `payload` (the kind's DESIGN 4.1 payload) with a derived key. No kind depends on the
 * network (PSBT scripts and EVM chain ids are explicit in their payloads); the network only
 * shapes the envelope's address. Out: *result (new reference). In: key (from tk_derive_key),
 * kind, payload. raw_digest gives {signature}: 0x-hex r||s||v (v 27/28) on evm, a
 * BIP-340 signature (hex) by the BIP-86 output key on bitcoin families, base58 on solana,
 * "ed25519:<base58>" on near. */
int tk_sign_payload(json_t **result, const tk_key *key, tk_sign_kind kind,
                    const json_t *payload) TK_MUST_CHECK;

/* The envelope {"kind", "result", "key": {"family","path","network","public_key","address"}}.
 * Takes over the reference to `result` (also on failure). */
int tk_sign_envelope(json_t **envelope, tk_sign_kind kind, json_t *result, const tk_key *key,
                     tk_network network, const char *path) TK_MUST_CHECK;

/* Verifies a message-kind signature (eth_personal, eth_typed_data, sol_message, nep413) for
 * its payload. `signer` is who must have signed: an EVM address ("0x..") for the eth kinds, a
 * base58 public key (or "ed25519:..") for sol_message, and for nep413 the "ed25519:..." key the
 * result must name (NULL: accept the result's own publicKey). Returns TK_OK, TK_ERR_CRYPTO for
 * a signature that does not verify or names another signer, or an input error. */
int tk_sign_verify_var(tk_sign_kind kind, const json_t *payload, const json_t *result,
                       const char *signer) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_SIGN_H */
