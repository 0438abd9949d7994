/*
 * The master secret object: guarded allocation, generation and the strict backup text form.
 * Never prints or logs the secret.
 */
#include <string.h>

#include "teekeys/encoding.h"
#include "teekeys/master.h"

int tk_master_init(tk_master *master)
{
    if (master == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_master_init: NULL");
    }
    master->source = NULL;
    master->bytes = tk_secure_alloc(TK_MASTER_LEN);
    if (master->bytes == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot allocate guarded memory for the master secret");
    }
    return TK_OK;
}

void tk_master_free(tk_master *master)
{
    if (master != NULL) {
        tk_secure_free(master->bytes);
        master->bytes = NULL;
        master->source = NULL;
    }
}

int tk_master_generate(tk_master *master)
{
    if (master == NULL || master->bytes == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_master_generate: uninitialised master");
    }
    tk_random(master->bytes, TK_MASTER_LEN);
    master->source = "generated";
    return TK_OK;
}

int tk_master_from_hex(tk_master *master, const char *text, size_t text_len)
{
    int rc;
    if (master == NULL || master->bytes == NULL || (text == NULL && text_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_master_from_hex: invalid argument");
    }
    if (text_len == TK_MASTER_HEX_LEN + 1 && text[TK_MASTER_HEX_LEN] == '\n') {
        text_len = TK_MASTER_HEX_LEN;
    }
    if (text_len != TK_MASTER_HEX_LEN) {
        return tk_fail(TK_ERR_INPUT,
                       "master secret must be exactly 64 hex characters (32 bytes), got %zu "
                       "characters",
                       text_len);
    }
    rc = tk_hex_decode_exact(master->bytes, TK_MASTER_LEN, text, text_len, 0);
    if (rc != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "master secret is not hex: %s", tk_errmsg());
    }
    return TK_OK;
}
