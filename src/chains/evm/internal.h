/*
 * Helpers shared by the files of the evm module (not a public API): JSON field readers for
 * hex quantities and byte strings, error-detail prefixing, secp256k1 glue. Nothing here may
 * log or format secret bytes.
 */
#ifndef TK_EVM_INTERNAL_H
#define TK_EVM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "teekeys/evm.h"

/* Re-records the current detail prefixed with "<formatted prefix>: ". Returns rc. */
int tk_evm__refail(int rc, const char *fmt, ...) TK_PRINTF(2, 3);

/* Parses a JSON-RPC hex quantity ("0x0", "0x1a", no leading zeros) of at most 256 bits.
 * `field` names it in errors. */
int tk_evm__quantity(tk_evm_u256 *out, const json_t *v, const char *field) TK_MUST_CHECK;
/* The same, and it must fit in 64 bits. */
int tk_evm__quantity_u64(uint64_t *out, const json_t *v, const char *field) TK_MUST_CHECK;
/* Parses "0x" + an even number of hex digits. Out: *out (malloc'd, NULL when empty). */
int tk_evm__hex_bytes(unsigned char **out, size_t *out_len, const json_t *v, size_t max_len,
                      const char *field) TK_MUST_CHECK;
/* Parses "0x" + exactly 2*len hex digits. */
int tk_evm__hex_fixed(unsigned char *out, size_t len, const json_t *v,
                      const char *field) TK_MUST_CHECK;
/* Parses an address string (see tk_evm_address_parse). */
int tk_evm__address(unsigned char addr[TK_EVM_ADDRESS_LEN], const json_t *v,
                    const char *field) TK_MUST_CHECK;

/* JSON values: hex quantity of big-endian bytes / of a u64, and 0x-hex of bytes.
 * Return NULL when out of memory. */
json_t *tk_evm__json_quantity(const unsigned char *be, size_t len);
json_t *tk_evm__json_quantity_u64(uint64_t v);
json_t *tk_evm__json_hex(const unsigned char *p, size_t len);
json_t *tk_evm__json_address(const unsigned char addr[TK_EVM_ADDRESS_LEN]);

/* Signs a digest: out r, s (32 bytes each), recovery id 0/1. */
int tk_evm__sign_rs(unsigned char r[32], unsigned char s[32], unsigned *recid,
                    const unsigned char seckey[32], const unsigned char hash[32]) TK_MUST_CHECK;
/* Recovers the address from digest, r, s, recovery id (refuses high-S, zero r/s). */
int tk_evm__recover_rs(unsigned char addr[TK_EVM_ADDRESS_LEN], const unsigned char hash[32],
                       const unsigned char r[32], const unsigned char s[32],
                       unsigned recid) TK_MUST_CHECK;
/* 1 if s <= n/2 (and non-zero, below n), else 0. */
int tk_evm__s_is_low(const unsigned char s[32]);

#endif
