/*
 * Borsh primitives (include/teekeys/borsh.h). The reader checks every length against what is
 * left before touching memory and never allocates; the writer never writes past its capacity.
 */
#include <string.h>

#include "teekeys/borsh.h"
#include "teekeys/encoding.h"

void tk_borsh_reader_init(tk_borsh_reader *r, const unsigned char *p, size_t len)
{
    r->p = p;
    r->len = p == NULL ? 0 : len;
    r->pos = 0;
}

int tk_borsh_read_fixed(tk_borsh_reader *r, const unsigned char **out, size_t n, const char *field)
{
    if (r->len - r->pos < n) {
        return tk_fail(TK_ERR_INPUT, "%s: truncated (needs %zu bytes at offset %zu, %zu left)",
                       field, n, r->pos, r->len - r->pos);
    }
    *out = r->p + r->pos;
    r->pos += n;
    return TK_OK;
}

int tk_borsh_read_u8(tk_borsh_reader *r, uint8_t *v, const char *field)
{
    const unsigned char *b = NULL;
    int rc = tk_borsh_read_fixed(r, &b, 1, field);
    if (rc == TK_OK) {
        *v = b[0];
    }
    return rc;
}

int tk_borsh_read_u32(tk_borsh_reader *r, uint32_t *v, const char *field)
{
    const unsigned char *b = NULL;
    int rc = tk_borsh_read_fixed(r, &b, 4, field);
    if (rc == TK_OK) {
        *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    return rc;
}

int tk_borsh_read_u64(tk_borsh_reader *r, uint64_t *v, const char *field)
{
    const unsigned char *b = NULL;
    int rc = tk_borsh_read_fixed(r, &b, 8, field);
    if (rc == TK_OK) {
        uint64_t x = 0;
        for (int i = 7; i >= 0; i--) {
            x = x << 8 | b[i];
        }
        *v = x;
    }
    return rc;
}

int tk_borsh_read_bytes(tk_borsh_reader *r, const unsigned char **out, size_t *out_len,
                        size_t max_len, const char *field)
{
    uint32_t n = 0;
    int rc = tk_borsh_read_u32(r, &n, field);
    if (rc != TK_OK) {
        return rc;
    }
    if (n > max_len) {
        return tk_fail(TK_ERR_INPUT, "%s: length %u exceeds the limit of %zu", field, n, max_len);
    }
    if ((rc = tk_borsh_read_fixed(r, out, n, field)) == TK_OK) {
        *out_len = n;
    }
    return rc;
}

int tk_borsh_read_string(tk_borsh_reader *r, const char **out, size_t *out_len, size_t max_len,
                         const char *field)
{
    const unsigned char *b = NULL;
    size_t n = 0, bad;
    int rc = tk_borsh_read_bytes(r, &b, &n, max_len, field);
    if (rc != TK_OK) {
        return rc;
    }
    bad = tk_utf8_bad_offset(b, n);
    if (bad != n) {
        return tk_fail(TK_ERR_INPUT, "%s: not valid UTF-8 at byte %zu", field, bad);
    }
    *out = (const char *)b;
    *out_len = n;
    return TK_OK;
}

int tk_borsh_read_option(tk_borsh_reader *r, int *present, const char *field)
{
    uint8_t tag = 0;
    int rc = tk_borsh_read_u8(r, &tag, field);
    if (rc != TK_OK) {
        return rc;
    }
    if (tag > 1) {
        return tk_fail(TK_ERR_INPUT, "%s: option tag %u is neither 0 nor 1", field, tag);
    }
    *present = tag;
    return TK_OK;
}

int tk_borsh_read_end(const tk_borsh_reader *r, const char *what)
{
    if (r->pos != r->len) {
        return tk_fail(TK_ERR_INPUT, "%s: %zu trailing bytes", what, r->len - r->pos);
    }
    return TK_OK;
}

void tk_borsh_writer_init(tk_borsh_writer *w, unsigned char *out, size_t cap)
{
    w->p = out;
    w->cap = out == NULL ? 0 : cap;
    w->len = 0;
    w->err = 0;
}

void tk_borsh_write_fixed(tk_borsh_writer *w, const void *data, size_t n)
{
    if (n != 0 && w->len <= w->cap && w->cap - w->len >= n) {
        memcpy(w->p + w->len, data, n);
    }
    w->len += n;
}

void tk_borsh_write_u8(tk_borsh_writer *w, uint8_t v)
{
    tk_borsh_write_fixed(w, &v, 1);
}

void tk_borsh_write_u32(tk_borsh_writer *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    tk_borsh_write_fixed(w, b, 4);
}

void tk_borsh_write_u64(tk_borsh_writer *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    tk_borsh_write_fixed(w, b, 8);
}

void tk_borsh_write_bytes(tk_borsh_writer *w, const void *data, size_t n)
{
    if (n > UINT32_MAX) {
        w->err = 1;
        return;
    }
    tk_borsh_write_u32(w, (uint32_t)n);
    tk_borsh_write_fixed(w, data, n);
}

int tk_borsh_writer_finish(const tk_borsh_writer *w, size_t *written)
{
    if (w->err) {
        return tk_fail(TK_ERR_RANGE, "borsh: a length does not fit a u32");
    }
    *written = w->len;
    if (w->len > w->cap) {
        return tk_fail(TK_ERR_BUFFER, "borsh: output needs %zu bytes, buffer has %zu", w->len,
                       w->cap);
    }
    return TK_OK;
}
