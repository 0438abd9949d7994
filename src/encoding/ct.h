/*
 * Branch-free helpers for the text codecs that carry secrets (hex, base58, base64): character
 * classes and digit values are computed with masks, never with a table indexed by a secret
 * byte or with a secret-dependent branch. Internal to src/encoding/.
 */
#ifndef TK_ENCODING_CT_H
#define TK_ENCODING_CT_H

#include <stdint.h>

/* 0xffffffff if lo <= c <= hi, else 0 (c, lo, hi < 2^31). */
static inline uint32_t tk_ct_in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    return ~(uint32_t)(((int32_t)(c - lo) >> 31) | ((int32_t)(hi - c) >> 31));
}

/* 1 if v >= k, else 0 (v, k < 2^31). */
static inline uint32_t tk_ct_ge(uint32_t v, uint32_t k)
{
    return 1u ^ ((uint32_t)((int32_t)(v - k) >> 31) & 1u);
}

#endif
