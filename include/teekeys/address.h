/*
 * teekeys address: the addresses of DESIGN 2.2 computed from public keys.
 *   evm          EIP-55 checksummed hex of keccak-256(x || y)[12..32]
 *   bitcoin      BIP-86 P2TR: Q = P + hashTapTweak(x(P))·G, segwit v1, bech32m, hrp bc
 *   bitcoin-test the same with hrp tb (testnet, signet) or bcrt (regtest)
 *   solana       base58 of the ed25519 public key
 *   near         implicit account: lowercase hex of the ed25519 public key
 * Public data only.
 */
#ifndef TEEKEYS_ADDRESS_H
#define TEEKEYS_ADDRESS_H

#include <stddef.h>

#include "teekeys/common.h"
#include "teekeys/derive.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_ADDRESS_MAX 96 /* longest address plus NUL, rounded up */

/* EIP-55 address ("0x" + 40 mixed-case hex) of a 64-byte public key x || y. */
int tk_address_evm(char *out, size_t out_cap, const unsigned char *pub64) TK_MUST_CHECK;

/* Applies EIP-55 checksum casing to 20 address bytes. */
int tk_address_eip55(char *out, size_t out_cap, const unsigned char *addr20) TK_MUST_CHECK;

/* BIP-86 key-path-only Taproot output key: x(Q) for internal key P (64 bytes x || y; only
 * x(P) matters, as BIP-340 keys are x-only). Out: 32-byte x-only output key. */
int tk_address_taproot_output_key(unsigned char *xonly_q, const unsigned char *pub64) TK_MUST_CHECK;

/* BIP-86 P2TR address of a 64-byte internal public key with the given hrp ("bc", "tb", "bcrt"). */
int tk_address_p2tr(char *out, size_t out_cap, const char *hrp,
                    const unsigned char *pub64) TK_MUST_CHECK;

/* Returns: the bech32 hrp of a Bitcoin network, or NULL. */
const char *tk_address_btc_hrp(tk_network network);

/* The address of a public key for a family and network (as resolved by
 * tk_derive_network_resolve). pub_len must be 64 for secp256k1 families, 32 for ed25519. */
int tk_address_from_public_key(char *out, size_t out_cap, tk_family family, tk_network network,
                               const unsigned char *pub, size_t pub_len) TK_MUST_CHECK;

/* The NEAR key string of a public key: "secp256k1:..." (64 bytes) or "ed25519:..." (32). */
int tk_address_public_key_string(char *out, size_t out_cap, const unsigned char *pub,
                                 size_t pub_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_ADDRESS_H */
