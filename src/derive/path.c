/*
 * Validation of derivation path labels: UTF-8, bounded, no control characters and no '|',
 * so that every HKDF info string parses back to exactly one (account, family, path, counter).
 */
#include <stdint.h>

#include "teekeys/derive.h"
#include "teekeys/encoding.h"

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
        size_t n = tk_utf8_next(&cp, p + i, path_len - i);
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
