/*
 * Base64 (RFC 4648 standard alphabet) with mandatory '=' padding and canonical trailing
 * bits. Constant-time in the data: PSBTs are public but NEAR borsh and keys may not be.
 */
#include <string.h>

#include "ct.h"
#include "teekeys/encoding.h"

static char b64_digit(uint32_t v)
{
    return (char)(v + 'A' + 6 * tk_ct_ge(v, 26) - 75 * tk_ct_ge(v, 52) - 15 * tk_ct_ge(v, 62) +
                  3 * tk_ct_ge(v, 63));
}

static uint32_t b64_value(uint32_t c, uint32_t *bad)
{
    uint32_t u = tk_ct_in_range(c, 'A', 'Z');
    uint32_t l = tk_ct_in_range(c, 'a', 'z');
    uint32_t d = tk_ct_in_range(c, '0', '9');
    uint32_t p = tk_ct_in_range(c, '+', '+');
    uint32_t s = tk_ct_in_range(c, '/', '/');
    *bad |= ~(u | l | d | p | s);
    return ((c - 'A') & u) | ((c - 'a' + 26) & l) | ((c - '0' + 52) & d) | (62 & p) | (63 & s);
}

int tk_base64_encode(char *out, size_t out_cap, size_t *out_len, const unsigned char *in,
                     size_t in_len)
{
    size_t i, o = 0, need;
    if (out == NULL || out_len == NULL || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_base64_encode: NULL argument");
    }
    *out_len = 0;
    if (in_len > (SIZE_MAX / 4) * 3 - 3) {
        return tk_fail(TK_ERR_RANGE, "base64 input too long");
    }
    need = tk_base64_encoded_len(in_len) + 1;
    if (out_cap < need) {
        return tk_fail(TK_ERR_BUFFER, "base64 output needs %zu bytes", need);
    }
    for (i = 0; i + 3 <= in_len; i += 3) {
        uint32_t w = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64_digit(w >> 18);
        out[o++] = b64_digit((w >> 12) & 63);
        out[o++] = b64_digit((w >> 6) & 63);
        out[o++] = b64_digit(w & 63);
    }
    if (in_len - i == 1) {
        uint32_t w = (uint32_t)in[i] << 16;
        out[o++] = b64_digit(w >> 18);
        out[o++] = b64_digit((w >> 12) & 63);
        out[o++] = '=';
        out[o++] = '=';
    } else if (in_len - i == 2) {
        uint32_t w = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = b64_digit(w >> 18);
        out[o++] = b64_digit((w >> 12) & 63);
        out[o++] = b64_digit((w >> 6) & 63);
        out[o++] = '=';
    }
    out[o] = '\0';
    *out_len = o;
    return TK_OK;
}

int tk_base64_decode(unsigned char *out, size_t out_cap, size_t *out_len, const char *in,
                     size_t in_len)
{
    size_t pad = 0, n, i, o = 0;
    uint32_t bad = 0;

    if (out_len == NULL || (in == NULL && in_len > 0) || (out == NULL && out_cap > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_base64_decode: NULL argument");
    }
    *out_len = 0;
    if (in_len % 4 != 0) {
        return tk_fail(TK_ERR_INPUT, "base64 length %zu is not a multiple of 4", in_len);
    }
    if (in_len >= 1 && in[in_len - 1] == '=') {
        pad = (in_len >= 2 && in[in_len - 2] == '=') ? 2 : 1;
    }
    n = in_len / 4 * 3 - pad;
    if (n > out_cap) {
        return tk_fail(TK_ERR_BUFFER, "base64 decodes to %zu bytes, room for %zu", n, out_cap);
    }
    for (i = 0; i < in_len; i += 4) {
        size_t k, real = (i + 4 == in_len) ? 4 - pad : 4;
        uint32_t w = 0;
        for (k = 0; k < 4; k++) {
            uint32_t v = 0;
            if (k < real) {
                v = b64_value((unsigned char)in[i + k], &bad);
            }
            w = (w << 6) | v;
        }
        out[o++] = (unsigned char)(w >> 16);
        if (real > 2) {
            out[o++] = (unsigned char)(w >> 8);
        }
        if (real > 3) {
            out[o++] = (unsigned char)w;
        }
        /* non-canonical: bits below the last encoded byte must be zero */
        bad |= (uint32_t)(real == 2) * (w & 0xffff) | (uint32_t)(real == 3) * (w & 0xff);
    }
    if (bad) {
        tk_wipe(out, o);
        return tk_fail(TK_ERR_INPUT, "invalid base64 (bad character, padding or trailing bits)");
    }
    *out_len = n;
    return TK_OK;
}
