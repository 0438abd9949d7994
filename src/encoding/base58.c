/*
 * Base58 with the Bitcoin alphabet (no checksum), as Solana addresses and NEAR key strings
 * use it. Digits are mapped arithmetically and the big-number loops always run over the full
 * buffer, so the time depends on the lengths only, not on the bytes (NEAR secret keys are
 * base58). Leading zero bytes map to leading '1's, which makes the encoding canonical.
 */
#include <string.h>

#include "ct.h"
#include "teekeys/encoding.h"

#define B58_MAX_TEXT 1024

static char b58_digit(uint32_t v)
{
    return (char)(v + '1' + 7 * tk_ct_ge(v, 9) + tk_ct_ge(v, 17) + tk_ct_ge(v, 22) +
                  6 * tk_ct_ge(v, 33) + tk_ct_ge(v, 44));
}

static uint32_t b58_value(uint32_t c, uint32_t *bad)
{
    uint32_t r0 = tk_ct_in_range(c, '1', '9');
    uint32_t r1 = tk_ct_in_range(c, 'A', 'H');
    uint32_t r2 = tk_ct_in_range(c, 'J', 'N');
    uint32_t r3 = tk_ct_in_range(c, 'P', 'Z');
    uint32_t r4 = tk_ct_in_range(c, 'a', 'k');
    uint32_t r5 = tk_ct_in_range(c, 'm', 'z');
    *bad |= ~(r0 | r1 | r2 | r3 | r4 | r5);
    return ((c - '1') & r0) | ((c - 'A' + 9) & r1) | ((c - 'J' + 17) & r2) | ((c - 'P' + 22) & r3) |
           ((c - 'a' + 33) & r4) | ((c - 'm' + 44) & r5);
}

int tk_base58_encode(char *out, size_t out_cap, size_t *out_len, const unsigned char *in,
                     size_t in_len)
{
    unsigned char digits[(B58_MAX_TEXT * 733) / 1000 * 138 / 100 + 8];
    size_t zeros = 0, size, i, j, skip = 0, n;
    uint32_t seen = 0;

    if (out == NULL || out_len == NULL || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_base58_encode: NULL argument");
    }
    *out_len = 0;
    if (in_len > 700) {
        return tk_fail(TK_ERR_RANGE, "base58 input of %zu bytes is too long", in_len);
    }
    for (i = 0; i < in_len; i++) { /* leading zeros: visible in the output anyway */
        seen |= in[i];
        zeros += (seen == 0);
    }
    size = (in_len - zeros) * 138 / 100 + 1;
    memset(digits, 0, size);
    for (i = zeros; i < in_len; i++) {
        uint32_t carry = in[i];
        for (j = size; j-- > 0;) {
            carry += 256u * digits[j];
            digits[j] = (unsigned char)(carry % 58);
            carry /= 58;
        }
    }
    while (skip < size && digits[skip] == 0) {
        skip++;
    }
    n = zeros + (size - skip);
    if (out_cap < n + 1) {
        tk_wipe(digits, size);
        return tk_fail(TK_ERR_BUFFER, "base58 output needs %zu bytes", n + 1);
    }
    memset(out, '1', zeros);
    for (i = skip; i < size; i++) {
        out[zeros + i - skip] = b58_digit(digits[i]);
    }
    out[n] = '\0';
    *out_len = n;
    tk_wipe(digits, size);
    return TK_OK;
}

int tk_base58_decode(unsigned char *out, size_t out_cap, size_t *out_len, const char *in,
                     size_t in_len)
{
    unsigned char bytes[B58_MAX_TEXT * 733 / 1000 + 8];
    size_t ones = 0, size, i, j, skip = 0, n;
    uint32_t bad = 0, nonone = 0;
    int rc = TK_OK;

    if (out_len == NULL || (in == NULL && in_len > 0) || (out == NULL && out_cap > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_base58_decode: NULL argument");
    }
    *out_len = 0;
    if (in_len > B58_MAX_TEXT) {
        return tk_fail(TK_ERR_INPUT, "base58 string of %zu characters is too long", in_len);
    }
    for (i = 0; i < in_len; i++) {
        nonone |= (uint32_t)(unsigned char)in[i] ^ '1';
        ones += (nonone == 0);
    }
    size = (in_len - ones) * 733 / 1000 + 1;
    memset(bytes, 0, size);
    for (i = ones; i < in_len; i++) {
        uint32_t carry = b58_value((unsigned char)in[i], &bad);
        for (j = size; j-- > 0;) {
            carry += 58u * bytes[j];
            bytes[j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
    }
    if (bad) {
        rc = tk_fail(TK_ERR_INPUT, "invalid base58 character");
        goto cleanup;
    }
    while (skip < size && bytes[skip] == 0) {
        skip++;
    }
    n = ones + (size - skip);
    if (n > out_cap) {
        rc = tk_fail(TK_ERR_BUFFER, "base58 decodes to %zu bytes, room for %zu", n, out_cap);
        goto cleanup;
    }
    memset(out, 0, ones);
    memcpy(out + ones, bytes + skip, size - skip);
    *out_len = n;
cleanup:
    tk_wipe(bytes, size);
    return rc;
}
