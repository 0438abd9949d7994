/*
 * teekeys near: NEAR protocol helpers — account ids, and (growing) the borsh transaction codec,
 * transaction and NEP-413 signing.
 */
#ifndef TEEKEYS_NEAR_H
#define TEEKEYS_NEAR_H

#include <stddef.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_NEAR_ACCOUNT_MIN_LEN 2
#define TK_NEAR_ACCOUNT_MAX_LEN 64

/* Checks a NEAR account id by the protocol's rules: 2..64 characters; parts of lowercase
 * letters and digits separated by single '-', '_' or '.'; no separator at either end or next
 * to another one. Implicit accounts (64 lowercase hex characters) pass these rules too.
 * Returns TK_OK, or TK_ERR_INPUT with a detail naming the problem. */
int tk_near_account_check(const char *id, size_t id_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_NEAR_H */
