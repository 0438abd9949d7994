/*
 * Validation of derivation path labels: UTF-8, bounded, no control characters and no '|',
 * so that every HKDF info string parses back to exactly one (account, family, path, counter).
 */
#include <stdint.h>

#include "teekeys/derive.h"

/* Returns the length of the valid UTF-8 sequence at p (1..4), or 0. Rejects overlong forms,
 * surrogates and code points above U+10FFFF. *cp receives the code point. */
static size_t utf8_next(const unsigned char *p, size_t left, uint32_t *cp)
{
    size_t n, i;
    uint32_t c = p[0], min;
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
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }
    *cp = c;
    return n;
}

int tk_derive_path_check(const char *path, size_t path_len)
{
    const unsigned char *p = (const unsigned char *)path;
    size_t i = 0;

    if (path == NULL) {
        return tk_fail(TK_ERR_ARG, "path is NULL");
    }
    if (path_len > TK_DERIVE_PATH_MAX) {
        return tk_fail(TK_ERR_INPUT, "path is %zu bytes; the limit is %d", path_len,
                       TK_DERIVE_PATH_MAX);
    }
    while (i < path_len) {
        uint32_t cp;
        size_t n = utf8_next(p + i, path_len - i, &cp);
        if (n == 0) {
            return tk_fail(TK_ERR_INPUT, "path is not valid UTF-8 at byte %zu", i);
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            return tk_fail(TK_ERR_INPUT, "path has a control character at byte %zu", i);
        }
        if (cp == '|') {
            return tk_fail(TK_ERR_INPUT, "path must not contain '|' (byte %zu)", i);
        }
        i += n;
    }
    return TK_OK;
}
