/*
 * Strict UTF-8 decoding (RFC 3629): every text that reaches a chain or a derivation path is
 * checked here, so there is one definition of "valid UTF-8" in teekeys. Public data only.
 */
#include "teekeys/encoding.h"

size_t tk_utf8_next(uint32_t *cp, const unsigned char *s, size_t left)
{
    uint32_t c, min;
    size_t n, i;

    if (left == 0) {
        return 0;
    }
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2, c &= 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, c &= 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (left < n) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }
    *cp = c;
    return n;
}

size_t tk_utf8_bad_offset(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = tk_utf8_next(&cp, s + i, len - i);
        if (n == 0) {
            return i;
        }
        i += n;
    }
    return len;
}
