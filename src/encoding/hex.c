/*
 * Hex encoding and strict decoding, constant-time in the data (master secrets and scalars
 * travel as hex). Decoding never stops early on a bad character; it reports the first bad
 * offset only after the whole input was processed.
 */
#include <string.h>

#include "ct.h"
#include "teekeys/encoding.h"

static char hex_digit(uint32_t v)
{
    /* '0'..'9' for 0..9, 'a'..'f' for 10..15 */
    return (char)(v + '0' + 39 * tk_ct_ge(v, 10));
}

/* Returns the nibble value, or 0xff.. mask bit set in *bad for a non-hex character. */
static uint32_t hex_value(uint32_t c, uint32_t *bad)
{
    uint32_t d = tk_ct_in_range(c, '0', '9');
    uint32_t l = tk_ct_in_range(c, 'a', 'f');
    uint32_t u = tk_ct_in_range(c, 'A', 'F');
    *bad |= ~(d | l | u);
    return ((c - '0') & d) | ((c - 'a' + 10) & l) | ((c - 'A' + 10) & u);
}

int tk_hex_encode(char *out, size_t out_cap, const unsigned char *in, size_t in_len)
{
    size_t i;
    if (out == NULL || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_hex_encode: NULL argument");
    }
    if (in_len > (SIZE_MAX - 1) / 2 || out_cap < 2 * in_len + 1) {
        return tk_fail(TK_ERR_BUFFER, "hex output needs %zu bytes", 2 * in_len + 1);
    }
    for (i = 0; i < in_len; i++) {
        out[2 * i] = hex_digit(in[i] >> 4);
        out[2 * i + 1] = hex_digit(in[i] & 15);
    }
    out[2 * in_len] = '\0';
    return TK_OK;
}

static int decode_body(unsigned char *out, const char *in, size_t n_bytes)
{
    uint32_t bad = 0;
    size_t i, first_bad = 0;
    for (i = 0; i < n_bytes; i++) {
        uint32_t b = 0;
        uint32_t hi = hex_value((unsigned char)in[2 * i], &b);
        uint32_t lo = hex_value((unsigned char)in[2 * i + 1], &b);
        out[i] = (unsigned char)((hi << 4) | lo);
        /* remember the first failing position without branching on data */
        first_bad |= (size_t)((b & ~bad) & 1u) * (i + 1);
        bad |= b;
    }
    tk_declassify(&bad, sizeof bad); /* whether the input was valid hex is reported anyway */
    tk_declassify(&first_bad, sizeof first_bad);
    if (bad) {
        tk_wipe(out, n_bytes);
        return tk_fail(TK_ERR_INPUT, "invalid hex character near offset %zu", 2 * (first_bad - 1));
    }
    return TK_OK;
}

int tk_hex_decode(unsigned char *out, size_t out_cap, size_t *out_len, const char *in,
                  size_t in_len)
{
    int rc;
    if (out_len == NULL || (in == NULL && in_len > 0) || (out == NULL && out_cap > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_hex_decode: NULL argument");
    }
    *out_len = 0;
    if (in_len % 2 != 0) {
        return tk_fail(TK_ERR_INPUT, "hex string has odd length %zu", in_len);
    }
    if (in_len / 2 > out_cap) {
        return tk_fail(TK_ERR_BUFFER, "hex decodes to %zu bytes, room for %zu", in_len / 2,
                       out_cap);
    }
    if ((rc = decode_body(out, in, in_len / 2)) == TK_OK) {
        *out_len = in_len / 2;
    }
    return rc;
}

int tk_hex_decode_exact(unsigned char *out, size_t out_len, const char *in, size_t in_len,
                        unsigned flags)
{
    if ((out == NULL && out_len > 0) || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_hex_decode_exact: NULL argument");
    }
    if ((flags & TK_HEX_ALLOW_0X) && in_len >= 2 && in[0] == '0' &&
        (in[1] == 'x' || in[1] == 'X')) {
        in += 2;
        in_len -= 2;
    }
    if (in_len != 2 * out_len) {
        return tk_fail(TK_ERR_INPUT, "expected %zu hex characters, got %zu", 2 * out_len, in_len);
    }
    return decode_body(out, in, out_len);
}
