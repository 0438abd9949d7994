/*
 * RLP encoder and strict decoder (include/teekeys/rlp.h). The decoder must accept exactly the
 * canonical encodings and never read outside its input; it never allocates. Public data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/rlp.h"

/* ---- encoder ---- */

void tk_rlp_buf_init(tk_rlp_buf *b)
{
    if (b != NULL) {
        memset(b, 0, sizeof *b);
    }
}

void tk_rlp_buf_free(tk_rlp_buf *b)
{
    if (b == NULL) {
        return;
    }
    if (b->data != NULL) {
        tk_wipe(b->data, b->cap);
        free(b->data);
    }
    memset(b, 0, sizeof *b);
}

int tk_rlp_buf_status(const tk_rlp_buf *b)
{
    if (b == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp buffer is NULL");
    }
    return b->err;
}

/* Makes room for `extra` more bytes. */
static int buf_reserve(tk_rlp_buf *b, size_t extra)
{
    size_t need, cap;
    unsigned char *p;
    if (b->err != TK_OK) {
        return b->err;
    }
    if (extra > TK_RLP_MAX_INPUT || b->len + extra > TK_RLP_MAX_INPUT) {
        b->err = tk_fail(TK_ERR_RANGE, "rlp encoding larger than %u bytes", TK_RLP_MAX_INPUT);
        return b->err;
    }
    need = b->len + extra;
    if (need <= b->cap) {
        return TK_OK;
    }
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        cap *= 2;
    }
    /* Not realloc: the old contents are wiped before they are released. */
    p = malloc(cap);
    if (p == NULL) {
        b->err = tk_fail(TK_ERR_NOMEM, "rlp buffer: out of memory");
        return b->err;
    }
    if (b->data != NULL) {
        memcpy(p, b->data, b->len);
        tk_wipe(b->data, b->cap);
        free(b->data);
    }
    b->data = p;
    b->cap = cap;
    return TK_OK;
}

/* Writes a length header (offset 0x80 for strings, 0xc0 for lists) into hdr; returns its size. */
static size_t header(unsigned char hdr[9], unsigned base, size_t len)
{
    size_t i, lol = 0;
    if (len <= 55) {
        hdr[0] = (unsigned char)(base + len);
        return 1;
    }
    for (size_t t = len; t != 0; t >>= 8) {
        lol++;
    }
    hdr[0] = (unsigned char)(base + 55 + lol);
    for (i = 0; i < lol; i++) {
        hdr[lol - i] = (unsigned char)(len >> (8 * i));
    }
    return 1 + lol;
}

int tk_rlp_put_raw(tk_rlp_buf *b, const unsigned char *p, size_t n)
{
    int rc;
    if (b == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp: NULL buffer");
    }
    if (p == NULL && n != 0) {
        if (b->err == TK_OK) {
            b->err = tk_fail(TK_ERR_ARG, "rlp: NULL input");
        }
        return TK_ERR_ARG;
    }
    if ((rc = buf_reserve(b, n)) != TK_OK) {
        return rc;
    }
    if (n != 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    return TK_OK;
}

int tk_rlp_put_bytes(tk_rlp_buf *b, const unsigned char *p, size_t n)
{
    unsigned char hdr[9];
    size_t h;
    int rc;
    if (b == NULL || (p == NULL && n != 0)) {
        return tk_rlp_put_raw(b, NULL, 1);
    }
    if (n == 1 && p[0] < 0x80) {
        return tk_rlp_put_raw(b, p, 1);
    }
    h = header(hdr, 0x80, n);
    if ((rc = tk_rlp_put_raw(b, hdr, h)) != TK_OK) {
        return rc;
    }
    return tk_rlp_put_raw(b, p, n);
}

int tk_rlp_put_uint_be(tk_rlp_buf *b, const unsigned char *be, size_t n)
{
    if (be == NULL && n != 0) {
        return tk_rlp_put_raw(b, NULL, 1);
    }
    while (n > 0 && be[0] == 0) {
        be++;
        n--;
    }
    return tk_rlp_put_bytes(b, be, n);
}

int tk_rlp_put_u64(tk_rlp_buf *b, uint64_t v)
{
    unsigned char be[8];
    for (int i = 0; i < 8; i++) {
        be[7 - i] = (unsigned char)(v >> (8 * i));
    }
    return tk_rlp_put_uint_be(b, be, 8);
}

int tk_rlp_list_begin(tk_rlp_buf *b, size_t *mark)
{
    if (b == NULL || mark == NULL) {
        return tk_rlp_put_raw(b, NULL, 1);
    }
    *mark = b->len;
    return b->err;
}

int tk_rlp_list_end(tk_rlp_buf *b, size_t mark)
{
    unsigned char hdr[9];
    size_t h, payload;
    int rc;
    if (b == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp: NULL buffer");
    }
    if (b->err != TK_OK) {
        return b->err;
    }
    if (mark > b->len) {
        b->err = tk_fail(TK_ERR_ARG, "rlp: list mark beyond the buffer");
        return b->err;
    }
    payload = b->len - mark;
    h = header(hdr, 0xc0, payload);
    if ((rc = buf_reserve(b, h)) != TK_OK) {
        return rc;
    }
    memmove(b->data + mark + h, b->data + mark, payload);
    memcpy(b->data + mark, hdr, h);
    b->len += h;
    return TK_OK;
}

/* ---- decoder ---- */

int tk_rlp_decode_one(tk_rlp_item *item, size_t *consumed, const unsigned char *in, size_t in_len)
{
    unsigned b;
    size_t hdr, len, lol, i;
    int is_list;

    if (item == NULL || consumed == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "rlp decode: NULL argument");
    }
    if (in_len == 0) {
        return tk_fail(TK_ERR_INPUT, "rlp: unexpected end of input (no item)");
    }
    b = in[0];
    if (b < 0x80) {
        item->is_list = 0;
        item->payload = in;
        item->len = 1;
        item->enc = in;
        item->enc_len = 1;
        *consumed = 1;
        return TK_OK;
    }
    is_list = b >= 0xc0;
    b -= is_list ? 0xc0 : 0x80;
    if (b <= 55) {
        hdr = 1;
        len = b;
    } else {
        lol = b - 55;
        if (in_len < 1 + lol) {
            return tk_fail(TK_ERR_INPUT, "rlp: truncated length field (%zu bytes needed)", lol);
        }
        if (in[1] == 0) {
            return tk_fail(TK_ERR_INPUT, "rlp: length field has a leading zero byte");
        }
        if (lol > 4) {
            return tk_fail(TK_ERR_INPUT, "rlp: item length above the %u byte limit",
                           TK_RLP_MAX_INPUT);
        }
        len = 0;
        for (i = 0; i < lol; i++) {
            len = (len << 8) | in[1 + i];
        }
        if (len <= 55) {
            return tk_fail(TK_ERR_INPUT, "rlp: long length form used for a %zu byte payload", len);
        }
        if (len > TK_RLP_MAX_INPUT) {
            return tk_fail(TK_ERR_INPUT, "rlp: item length above the %u byte limit",
                           TK_RLP_MAX_INPUT);
        }
        hdr = 1 + lol;
    }
    if (len > in_len - hdr) {
        return tk_fail(TK_ERR_INPUT, "rlp: %s of %zu bytes runs past the end of the input",
                       is_list ? "list" : "string", len);
    }
    if (!is_list && len == 1 && in[hdr] < 0x80) {
        return tk_fail(TK_ERR_INPUT, "rlp: single byte 0x%02x below 0x80 must not be wrapped",
                       in[hdr]);
    }
    item->is_list = is_list;
    item->payload = in + hdr;
    item->len = len;
    item->enc = in;
    item->enc_len = hdr + len;
    *consumed = hdr + len;
    return TK_OK;
}

/* Checks every item nested in a list payload. */
static int check_tree(const tk_rlp_item *list, unsigned depth, const unsigned char *base)
{
    const unsigned char *p = list->payload;
    size_t left = list->len, used = 0;
    tk_rlp_item it = {0};
    int rc;
    if (depth > TK_RLP_MAX_DEPTH) {
        return tk_fail(TK_ERR_INPUT, "rlp: lists nested deeper than %d", TK_RLP_MAX_DEPTH);
    }
    while (left > 0) {
        if ((rc = tk_rlp_decode_one(&it, &used, p, left)) != TK_OK) {
            char why[256];
            snprintf(why, sizeof why, "%s", tk_errmsg());
            return tk_fail(rc, "%s (at offset %zu)", why, (size_t)(p - base));
        }
        if (it.is_list && (rc = check_tree(&it, depth + 1, base)) != TK_OK) {
            return rc;
        }
        p += used;
        left -= used;
    }
    return TK_OK;
}

int tk_rlp_decode(tk_rlp_item *item, const unsigned char *in, size_t in_len)
{
    size_t used = 0;
    int rc;
    if (item == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "rlp decode: NULL argument");
    }
    if (in_len > TK_RLP_MAX_INPUT) {
        return tk_fail(TK_ERR_INPUT, "rlp: input of %zu bytes above the %u byte limit", in_len,
                       TK_RLP_MAX_INPUT);
    }
    if ((rc = tk_rlp_decode_one(item, &used, in, in_len)) != TK_OK) {
        return rc;
    }
    if (used != in_len) {
        return tk_fail(TK_ERR_INPUT, "rlp: %zu trailing bytes after the item", in_len - used);
    }
    if (item->is_list) {
        return check_tree(item, 1, in);
    }
    return TK_OK;
}

int tk_rlp_iter_init(tk_rlp_iter *it, const tk_rlp_item *list)
{
    if (it == NULL || list == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp iter: NULL argument");
    }
    if (!list->is_list) {
        return tk_fail(TK_ERR_INPUT, "rlp: expected a list, got a string");
    }
    it->p = list->payload;
    it->left = list->len;
    return TK_OK;
}

int tk_rlp_iter_next(tk_rlp_iter *it, tk_rlp_item *item)
{
    size_t used = 0;
    int rc;
    if (it == NULL || item == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp iter: NULL argument");
    }
    if (it->left == 0) {
        return TK_ERR_NOT_FOUND;
    }
    if ((rc = tk_rlp_decode_one(item, &used, it->p, it->left)) != TK_OK) {
        return rc;
    }
    it->p += used;
    it->left -= used;
    return TK_OK;
}

long tk_rlp_list_count(const tk_rlp_item *list)
{
    tk_rlp_iter it = {0};
    tk_rlp_item x = {0};
    long n = 0;
    int rc;
    if ((rc = tk_rlp_iter_init(&it, list)) != TK_OK) {
        return rc;
    }
    while ((rc = tk_rlp_iter_next(&it, &x)) == TK_OK) {
        n++;
    }
    return rc == TK_ERR_NOT_FOUND ? n : rc;
}

int tk_rlp_get_uint_be(unsigned char *out, size_t out_cap, const tk_rlp_item *item,
                       const char *what)
{
    if (out == NULL || item == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp get: NULL argument");
    }
    if (what == NULL) {
        what = "integer";
    }
    if (item->is_list) {
        return tk_fail(TK_ERR_INPUT, "%s: expected an integer, got a list", what);
    }
    if (item->len > 0 && item->payload[0] == 0) {
        return tk_fail(TK_ERR_INPUT, "%s: integer has a leading zero byte", what);
    }
    if (item->len > out_cap) {
        return tk_fail(TK_ERR_INPUT, "%s: integer of %zu bytes, at most %zu allowed", what,
                       item->len, out_cap);
    }
    memset(out, 0, out_cap - item->len);
    if (item->len != 0) {
        memcpy(out + out_cap - item->len, item->payload, item->len);
    }
    return TK_OK;
}

int tk_rlp_get_u64(uint64_t *out, const tk_rlp_item *item, const char *what)
{
    unsigned char be[8];
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp get: NULL argument");
    }
    if ((rc = tk_rlp_get_uint_be(be, sizeof be, item, what)) != TK_OK) {
        return rc;
    }
    *out = 0;
    for (int i = 0; i < 8; i++) {
        *out = (*out << 8) | be[i];
    }
    return TK_OK;
}

int tk_rlp_get_fixed(unsigned char *out, size_t len, const tk_rlp_item *item, const char *what)
{
    if (out == NULL || item == NULL) {
        return tk_fail(TK_ERR_ARG, "rlp get: NULL argument");
    }
    if (what == NULL) {
        what = "field";
    }
    if (item->is_list) {
        return tk_fail(TK_ERR_INPUT, "%s: expected %zu bytes, got a list", what, len);
    }
    if (item->len != len) {
        return tk_fail(TK_ERR_INPUT, "%s: expected %zu bytes, got %zu", what, len, item->len);
    }
    if (len != 0) {
        memcpy(out, item->payload, len);
    }
    return TK_OK;
}
