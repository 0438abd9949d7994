/*
 * NEAR account id validation (nearcore's rules). Used for every account name teekeys derives
 * keys for or puts on chain; it must never accept an id nearcore would refuse.
 */
#include "teekeys/near.h"

static int is_separator(char c)
{
    return c == '-' || c == '_' || c == '.';
}

int tk_near_account_check(const char *id, size_t id_len)
{
    size_t i;
    int prev_sep = 1; /* the first character must not be a separator */

    if (id == NULL) {
        return tk_fail(TK_ERR_ARG, "account id is NULL");
    }
    if (id_len < TK_NEAR_ACCOUNT_MIN_LEN || id_len > TK_NEAR_ACCOUNT_MAX_LEN) {
        return tk_fail(TK_ERR_INPUT, "account id must be %d to %d characters, got %zu",
                       TK_NEAR_ACCOUNT_MIN_LEN, TK_NEAR_ACCOUNT_MAX_LEN, id_len);
    }
    for (i = 0; i < id_len; i++) {
        char c = id[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            prev_sep = 0;
        } else if (is_separator(c)) {
            if (prev_sep) {
                return tk_fail(TK_ERR_INPUT,
                               i == 0 ? "account id starts with a separator '%c'"
                                      : "account id has two separators in a row at '%c'",
                               c);
            }
            prev_sep = 1;
        } else {
            return tk_fail(TK_ERR_INPUT,
                           "account id has an invalid character at position %zu (allowed: a-z, "
                           "0-9, '-', '_', '.')",
                           i);
        }
    }
    if (prev_sep) {
        return tk_fail(TK_ERR_INPUT, "account id ends with a separator");
    }
    return TK_OK;
}
